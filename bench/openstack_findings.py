#!/usr/bin/env python3
"""Findings per 1,000 lines of non-test code on real OpenStack trees, per rule,
and a reproducible random sample of findings to triage.

    python3 bench/openstack_findings.py [--projects neutron,cinder,glance,swift] [--select R,T | --select DEFAULT]
                                        [--sample 40 --seed 1] [--vigil target/release/vigil]

Downloads the sdists from PyPI into bench/corpora/ (see corpora.py). Test code
(folders named tests/test, files test_*.py, *_test.py, conftest.py) is left out
of both the line count and the findings. Without --select, or with DEFAULT,
the rules on by default run. With --sample N, prints N findings drawn at
random (fixed --seed) with their message and the quoted line, for a person to
triage.
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402
from history_findings import count_lines, review_command  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def current_findings(vigil, select, projects):
    """(lines, findings) on the current sdists of `projects`: the non-test
    lines, and every non-test finding with `project`, `snapshot` ("current")
    and `folder` added."""
    total_lines = 0
    findings = []
    for name in projects:
        tree = corpora.sdist(name, corpora.OPENSTACK[name])
        total_lines += count_lines(tree, name)
        out = subprocess.run(review_command(vigil, select, name), cwd=tree, capture_output=True, text=True)
        for f in json.loads(out.stdout)["findings"]:
            if corpora.is_test_path(f["path"]):
                continue
            f.update(project=name, snapshot="current", folder=tree)
            findings.append(f)
    return total_lines, findings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", default="neutron,cinder,glance")
    parser.add_argument("--select", default="", help="vigil --select value (default, or DEFAULT: the default rules)")
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    total_lines, findings = current_findings(args.vigil, args.select, list(filter(None, args.projects.split(","))))
    per_rule = collections.Counter(f["rule_id"] for f in findings)
    kloc = total_lines / 1000
    print(f"{args.projects}: {total_lines} lines of non-test code, {len(findings)} findings, "
          f"{len(findings) / kloc:.2f} per 1,000 lines")
    for rule, n in sorted(per_rule.items()):
        print(f"  {rule:6} {n:6d}  {n / kloc:.3f} per 1,000 lines")
    if args.sample:
        rng = random.Random(args.seed)
        for f in rng.sample(findings, min(args.sample, len(findings))):
            code = f["snippet"][0]["text"].strip() if f["snippet"] else ""
            print(f"\n{f['project']}/{f['path']}:{f['line']} {f['rule_id']} {f['message']}\n    {code}")


if __name__ == "__main__":
    main()
