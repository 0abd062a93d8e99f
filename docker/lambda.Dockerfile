# The AWS Lambda function: hdsr.serve.lambda_handler.handler on the shipped model's ONNX export, without torch.
#   docker build -f docker/lambda.Dockerfile -t hdsr-lambda .
#   docker run -p 9000:8080 hdsr-lambda
#   curl -d @docker/events/api-gateway-v2.json localhost:9000/2015-03-31/functions/function/invocations
# tests/test_docker.py runs these RUN lines into a scratch folder and calls the handler from a bare python without torch.
FROM public.ecr.aws/lambda/python:3.11
COPY . /tmp/hdsr
RUN pip install --no-cache-dir -r /tmp/hdsr/docker/lambda-requirements.txt --target "${LAMBDA_TASK_ROOT}" && \
    pip install --no-cache-dir --no-deps /tmp/hdsr --target "${LAMBDA_TASK_ROOT}" && \
    rm -rf /tmp/hdsr
CMD ["hdsr.serve.lambda_handler.handler"]
