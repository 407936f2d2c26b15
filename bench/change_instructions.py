#!/usr/bin/env python3
"""Instructions of a change review, per vigil build: counted by valgrind
(`--tool=cachegrind --cache-sim=no`, the "I refs" line), which the
machine's load does not move, unlike CPU time.

    python3 bench/change_instructions.py BUILD [BUILD ...] [--change 10] [--project nova] [--whole] [--fill]

Each build reviews the parent of a commit that changes N modules (as
`bench/change_review_speed.py` makes it) to fill its own cache, then the
commit with `--diff HEAD~1` under valgrind from that cache. Only vigil's
own instructions are counted: git runs in processes valgrind does not
follow. Needs valgrind on PATH; a run takes about fifty times the
review's time. With `--whole`, each build's whole-tree review of the
project's sdist without a cache (`--no-cache`) is counted too; with
`--fill`, its whole-tree review that fills an empty cache (in the
checkout), with the size of the dataflow memo it writes.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402
from change_review_speed import checkout_of, commit_change, git  # noqa: E402


def instructions(binary, tree, project, review=("--diff", "HEAD~1")):
    run = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                          binary, "review", "-q", "--exit-zero", *review, project],
                         cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
    if not found:
        sys.exit(f"no instruction count from valgrind for {binary}:\n{run.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", nargs="+")
    parser.add_argument("--change", type=int, default=10, metavar="N")
    parser.add_argument("--project", default="nova", choices=sorted(corpora.OPENSTACK))
    parser.add_argument("--whole", action="store_true", help="also count the whole tree without a cache")
    parser.add_argument("--fill", action="store_true", help="also count the whole tree filling an empty cache")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not on PATH")
    with tempfile.TemporaryDirectory() as work:
        tree, modules = checkout_of(args.project, work)
        commit_change(tree, modules, args.change, "end")
        cache = os.path.join(tree, ".vigil_cache")
        for build in args.builds:
            binary = os.path.abspath(build)
            shutil.rmtree(cache, ignore_errors=True)
            git(tree, "checkout", "-q", "HEAD~1")
            subprocess.run([binary, "review", "--exit-zero", "-q", args.project], cwd=tree,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            git(tree, "checkout", "-q", "-")
            count = instructions(binary, tree, args.project)
            print(f"{build:40} {count / 1e6:9.1f} M instructions ({args.change}-file change, parent's cache)")
            if args.whole:
                sdist = corpora.sdist(args.project, corpora.OPENSTACK[args.project])
                whole = instructions(binary, sdist, args.project, review=("--no-cache",))
                print(f"{build:40} {whole / 1e6:9.1f} M instructions (whole tree, no cache)")
            if args.fill:
                shutil.rmtree(cache, ignore_errors=True)
                fill = instructions(binary, tree, args.project, review=())
                memo = sum(os.path.getsize(os.path.join(cache, name)) for name in os.listdir(cache)
                           if name.startswith("flow-"))
                print(f"{build:40} {fill / 1e6:9.1f} M instructions (whole tree, filling an empty cache; "
                      f"memo {memo / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
