# Training runs of an experiment notebook on a GPU: `hdsr-run` (papermill) with hdsr[train,notebooks], no servers.
#   docker build -f docker/train.Dockerfile -t hdsr-train .
#   docker run --gpus all -v "$PWD/runs:/app/runs" -v /data/mnist:/data/mnist -e HDSR_MNIST_DIR=/data/mnist hdsr-train
# trains the default experiment into runs/<time>-train/; other arguments replace CMD's, e.g.
#   ... hdsr-train nbs/experiments/train.ipynb --params nbs/experiments/handwriting.yaml --name handwriting
# (handwriting also needs -v /data/real:/data/real -e HDSR_REAL_DIR=/data/real). torch's wheel carries its CUDA
# libraries; the CUDA base image sets up the driver's side (nvidia-container-toolkit, NVIDIA_* variables).
# tests/test_docker.py runs these RUN lines (apt-get aside: the test machine has its Python) into a fresh venv, then
# ENTRYPOINT with CMD's arguments on a tiny run, on the CPU.
FROM nvidia/cuda:13.0.2-base-ubuntu24.04
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/hdsr
ENV PATH=/opt/hdsr/bin:$PATH HDSR_WANDB_MODE=offline
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -c constraints.txt ".[train,notebooks]"
ENTRYPOINT ["hdsr-run"]
CMD ["nbs/experiments/train.ipynb", "--params", "nbs/experiments/default.yaml"]
