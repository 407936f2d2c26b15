#!/usr/bin/env python3
"""Recall on the development set of real security fixes mined from OpenStack
history (bench/devset/*.jsonl; Nova is held out and never mined).

    python3 bench/devset_recall.py [--vigil target/release/vigil] [-v]

Each row names a fix commit and the lines of the defect in the fix's PARENT:
  {"repo": "openstack/neutron", "commit": "<fix sha>", "parent": "<parent sha>",
   "file": "neutron/agent/linux/utils.py", "lines": [120, 135], "class": "race",
   "rules": ["R101"], "summary": "one line on the defect"}
The repository must have been fetched (the search tool's `fetch`,
github:openstack/neutron) into /work/.mirror/<owner>+<name>/repo, or name its git
directory with --mirror-root. The parent's file is reviewed with the rules the row
names (`--select`); the row counts as found when a finding of one of those rules
falls within `lines`. Prints recall per class and overall.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def git_dir(mirror_root, repo):
    return os.path.join(mirror_root, repo.replace("/", "+"), "repo")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--mirror-root", default="/work/.mirror")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    found = collections.Counter()
    total = collections.Counter()
    missing_repos = set()
    for path in sorted(glob.glob(os.path.join(HERE, "devset", "*.jsonl"))):
        for number, line in enumerate(open(path), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            gd = git_dir(args.mirror_root, row["repo"])
            if not os.path.isdir(gd):
                missing_repos.add(row["repo"])
                continue
            show = subprocess.run(["git", "--git-dir", gd, "show", f"{row['parent']}:{row['file']}"],
                                  capture_output=True)
            if show.returncode != 0:
                print(f"{os.path.basename(path)}:{number}: cannot read {row['file']} at {row['parent']}",
                      file=sys.stderr)
                continue
            out = subprocess.run([args.vigil, "review", "--format", "json", "--exit-zero",
                                  "--select", ",".join(row["rules"]), "-"],
                                 input=show.stdout, capture_output=True)
            findings = json.loads(out.stdout)["findings"]
            lo, hi = row["lines"]
            hit = any(lo <= f["line"] <= hi or lo <= f["end_line"] <= hi for f in findings)
            total[row["class"]] += 1
            found[row["class"]] += hit
            if args.verbose or not hit:
                print(f"{'FOUND' if hit else 'MISS '} {row['class']:12} {row['repo']}@{row['commit'][:10]} "
                      f"{row['file']}:{lo}-{hi} {row['summary']}")
    for repo in sorted(missing_repos):
        print(f"not fetched: {repo} (fetch github:{repo} first)", file=sys.stderr)
    for cls in sorted(total):
        print(f"{cls:14} {found[cls]}/{total[cls]} found ({found[cls] / total[cls]:.0%})")
    all_total = sum(total.values())
    if all_total:
        print(f"overall recall: {sum(found.values())}/{all_total} ({sum(found.values()) / all_total:.0%})")


if __name__ == "__main__":
    main()
