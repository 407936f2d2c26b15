#!/usr/bin/env python3
"""Bandit parity: how many of Bandit 1.9.4's findings on its own examples/
vigil reproduces at the same file, line and Bandit id.

    python3 bench/bandit_parity.py [--vigil target/release/vigil] [--ids B602,B603] [-v]

Fetches Bandit's sdist from PyPI into bench/corpora/ (ignored by git), runs
vigil with `--format bandit-json` on examples/ and compares with
../shared/bench/bandit-1.9.4-examples-findings.jsonl. Prints every miss and
every extra, then the recall. Exit status 1 below the 98% target.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPORA = os.path.join(HERE, "corpora")
TRUTH = os.path.join(os.environ.get("VIGIL_SHARED", os.path.join(ROOT, "..", "shared")), "bench",
                     "bandit-1.9.4-examples-findings.jsonl")
VERSION = "1.9.4"
TARGET = 0.98


def fetch_examples():
    src = os.path.join(CORPORA, f"bandit-{VERSION}")
    if not os.path.isdir(os.path.join(src, "examples")):
        os.makedirs(CORPORA, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             f"bandit=={VERSION}", "-d", CORPORA],
            check=True,
        )
        with tarfile.open(os.path.join(CORPORA, f"bandit-{VERSION}.tar.gz")) as tar:
            tar.extractall(CORPORA, filter="data")
    return src


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--ids", default="", help="only these Bandit ids (comma-separated)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the matches too")
    args = parser.parse_args()
    ids = set(filter(None, args.ids.split(",")))
    args.vigil = os.path.abspath(args.vigil)  # vigil runs from inside the sdist

    src = fetch_examples()
    out = subprocess.run(
        [args.vigil, "review", "--format", "bandit-json", "--select", "B", "--include-tests", "examples"],
        cwd=src, capture_output=True, text=True,
    )
    if out.returncode not in (0, 1, 2):
        sys.exit(f"vigil failed ({out.returncode}): {out.stderr}")
    found = collections.Counter()
    for r in json.loads(out.stdout)["results"]:
        if r["test_id"].startswith("B"):
            found[(r["filename"], r["line_number"], r["test_id"])] += 1
    truth = collections.Counter()
    for line in open(TRUTH):
        r = json.loads(line)
        truth[(r["filename"], r["line_number"], r["test_id"])] += 1
    if ids:
        found = collections.Counter({k: v for k, v in found.items() if k[2] in ids})
        truth = collections.Counter({k: v for k, v in truth.items() if k[2] in ids})

    # Bandit may report one id twice on one line (two calls); count each.
    matched = truth & found
    misses = truth - found
    extras = found - truth
    for key in sorted(misses.elements()):
        print("MISS  %s:%d %s" % key)
    for key in sorted(extras.elements()):
        print("EXTRA %s:%d %s" % key)
    if args.verbose:
        for key in sorted(matched.elements()):
            print("OK    %s:%d %s" % key)
    total = sum(truth.values())
    hit = sum(matched.values())
    recall = hit / total if total else 1.0
    print(f"bandit parity: {hit}/{total} findings reproduced ({recall:.1%}); "
          f"{sum(misses.values())} missed, {sum(extras.values())} extra; target {TARGET:.0%}")
    sys.exit(0 if recall >= TARGET else 1)


if __name__ == "__main__":
    main()
