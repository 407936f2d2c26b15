"""Fetches the third-party corpora the benchmarks measure on, into
bench/corpora/ (ignored by git): OpenStack sdists from PyPI, and a venv with
Bandit 1.9.4 and Ruff to compare against. Imported by the bench scripts."""
import os
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPORA = os.path.join(HERE, "corpora")
# Nova is here to measure noise only: its history and findings are never mined.
OPENSTACK = {"nova": "34.0.0", "neutron": "29.0.0", "cinder": "29.0.0", "glance": "33.0.0", "swift": "2.38.3"}


def sdist(name, version):
    """The unpacked sdist folder of name==version, downloading it once."""
    folder = os.path.join(CORPORA, f"{name}-{version}")
    if not os.path.isdir(folder):
        os.makedirs(CORPORA, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        f"{name}=={version}", "-d", CORPORA], check=True)
        with tarfile.open(os.path.join(CORPORA, f"{name}-{version}.tar.gz")) as tar:
            tar.extractall(CORPORA, filter="data")
    return folder


def tools_venv():
    """A venv holding bandit==1.9.4 and ruff; returns its bin folder."""
    venv = os.path.join(CORPORA, "venv")
    bin_dir = os.path.join(venv, "bin")
    if not os.path.exists(os.path.join(bin_dir, "ruff")) or not os.path.exists(os.path.join(bin_dir, "bandit")):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(bin_dir, "pip"), "install", "--quiet", "bandit==1.9.4", "ruff"], check=True)
    return bin_dir


def is_test_path(path):
    """Test code, which the measurements leave out as OpenStack's gate runs
    Bandit (`-x tests`): folders tests/test, test_*.py, *_test.py, conftest.py."""
    parts = path.replace("\\", "/").split("/")
    name = parts[-1]
    return ("tests" in parts or "test" in parts or name.startswith("test_") or name.endswith("_test.py")
            or name == "conftest.py")
