# The API: `hdsr-serve` (FastAPI on uvicorn) on the shipped model's ONNX export: hdsr[serve], without torch.
#   docker build -f docker/server.Dockerfile -t hdsr-server .
#   docker run -p 8000:8000 hdsr-server            # then: curl localhost:8000/health
# Settings come from /app/settings.ini and HDSR_* variables (docker run -e HDSR_MAX_BODY=...).
# tests/test_docker.py runs these RUN and CMD lines in a fresh venv (no Docker engine runs where hdsr is tested).
FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -c constraints.txt ".[serve]"
ENV HDSR_HOST=0.0.0.0 HDSR_PORT=8000
EXPOSE 8000
CMD ["hdsr-serve"]
