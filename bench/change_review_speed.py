#!/usr/bin/env python3
"""CPU time and peak memory of change reviews (`vigil review --diff REV`) on a
git checkout, with the default rules (the dataflow project pass included: it
covers the whole tree even when the change touches a few files).

    python3 bench/change_review_speed.py CHECKOUT [--revs HEAD~1,HEAD~3,HEAD~10]
                                         [--vigil target/release/vigil] [--runs 3]

CHECKOUT is a git work tree, e.g. nova's: the search tool's `fetch
github:openstack/nova` gives a bare repository under /work/.mirror, and
`git --git-dir=/work/.mirror/openstack+nova/repo worktree add /tmp/nova HEAD`
checks it out. Third-party code is for measuring only: do not commit it.
Prints, for each revision, the files and lines the change touches (`git diff
--shortstat`) and vigil's best CPU time (user+sys) and peak RSS.
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed import measure  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout")
    parser.add_argument("--revs", default="HEAD~1,HEAD~3,HEAD~10")
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    vigil = os.path.abspath(args.vigil)
    for rev in args.revs.split(","):
        stat = subprocess.run(["git", "diff", "--shortstat", rev], cwd=args.checkout,
                              capture_output=True, text=True, check=True).stdout.strip()
        cpu, rss = measure([vigil, "review", "--exit-zero", "--format", "json", "--diff", rev],
                           args.checkout, args.runs)
        print(f"{rev:10} {stat or 'no change':60} cpu {cpu:6.2f} s   peak rss {rss:5d} MB")


if __name__ == "__main__":
    main()
