#!/usr/bin/env python3
"""What the default review says about whole OpenStack trees: findings per
1,000 lines of the whole package (test code included in the line count, as a
user runs `vigil review nova`), per rule, side by side for two vigil binaries.

    python3 bench/default_review.py [--projects nova,neutron,cinder,glance,swift]
                                    [--before /path/to/old/vigil] [--vigil target/release/vigil]

Reviews each project's package from its PyPI sdist (bench/corpora, see
corpora.py) with no flag at all, exactly as `vigil review <package>` in the
sdist's folder. Prints, per project and binary: Python lines of the whole
package, findings, findings per 1,000 lines, how many of them are in test
code, and the findings per rule. For the newer binary it also says what the
triage records (bench/triage/*.jsonl and bench/triage/remaining/*.jsonl, made
against current releases) concluded of each finding: the precision of what a
user is shown.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def lines_of(package):
    total = 0
    for d, _, files in os.walk(package):
        for f in files:
            if f.endswith(".py"):
                with open(os.path.join(d, f), errors="replace") as text:
                    total += sum(1 for _ in text)
    return total


def verdicts():
    """(project, path, rule, line) -> verdict, for findings on current releases."""
    found = {}
    here = os.path.dirname(os.path.abspath(__file__))
    for path in glob.glob(os.path.join(here, "triage", "*.jsonl")) + \
            glob.glob(os.path.join(here, "triage", "remaining", "*.jsonl")):
        for line in open(path):
            r = json.loads(line)
            if "verdict" in r and r.get("snapshot") == "current":
                found[(r["project"], r["path"], r["rule"], r["line"])] = r["verdict"]
    return found


def review(vigil, tree, name):
    out = subprocess.run([os.path.abspath(vigil), "review", "--format", "json", "--exit-zero", name],
                         cwd=tree, capture_output=True, text=True)
    if out.returncode not in (0, 2):
        sys.exit(f"{vigil} failed ({out.returncode}): {out.stderr[:500]}")
    return json.loads(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", default="nova,neutron,cinder,glance,swift")
    parser.add_argument("--before", default="", help="an older vigil binary to compare with")
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    args = parser.parse_args()
    binaries = [("before", args.before)] if args.before else []
    binaries.append(("after", args.vigil))
    triaged = verdicts()
    shown = collections.Counter()
    for name in filter(None, args.projects.split(",")):
        tree = corpora.sdist(name, corpora.OPENSTACK[name])
        lines = lines_of(os.path.join(tree, name))
        print(f"== {name} {corpora.OPENSTACK[name]}: {lines:,} lines of Python in {name}/")
        for label, vigil in binaries:
            report = review(vigil, tree, name)
            findings = report["findings"]
            in_tests = sum(1 for f in findings if corpora.is_test_path(f["path"]))
            per_rule = collections.Counter(f["rule_id"] for f in findings)
            summary = report["summary"]
            left_out = summary.get("test_files_left_out", 0)
            print(f"  {label:6} {len(findings):5} findings, {len(findings) / lines * 1000:.2f} per 1,000 lines; "
                  f"{in_tests} in test code; {summary['files_reviewed']} files reviewed, {left_out} test files "
                  f"left out")
            print("         " + ", ".join(f"{r} {n}" for r, n in sorted(per_rule.items())))
            if label == "after":
                seen = collections.Counter(triaged.get((name, f["path"], f["rule_id"], f["line"]), "untriaged")
                                           for f in findings)
                shown.update(seen)
                print("         triaged: " + ", ".join(f"{v} {n}" for v, n in sorted(seen.items())))
    judged = shown["TP"] + shown["minor"] + shown["FP"]
    if judged:
        print(f"\nwhat the newer binary shows: {shown['TP']} TP, {shown['minor']} minor, {shown['FP']} FP, "
              f"{shown['untriaged']} untriaged; precision {shown['TP'] / judged:.0%} of {judged} triaged")


if __name__ == "__main__":
    main()
