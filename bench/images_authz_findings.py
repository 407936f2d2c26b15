#!/usr/bin/env python3
"""The findings of the rules of issue #11 (untrusted disk images: T843, T770,
R701; authorization: R801, R802) on current and historic OpenStack code, and
whether every one of them is triaged (bench/triage/images_*.jsonl and
authz_*.jsonl; docs/precision-rt.md, "Images and authorization").

    python3 bench/images_authz_findings.py [--vigil target/release/vigil] [--select T843,T770,R701]
                                           [--check bench/triage/images_rules.jsonl] [--counts]

Corpora: the current sdists of neutron, cinder, glance and swift, then the
snapshots pinned below, oldest first (bench/triage_rt.py's, plus cinder and
glance at 2022-06-30: the code of the 2023 and 2024 image advisories), exported
from the bare mirrors into bench/corpora/history-rt/. Test code is left out.
One finding per (project, path, rule, first quoted line): a line unchanged
between trees is counted once, named by the first tree that reports it
(current first). Nova is never used.

--check fails when a finding has no verdict in the file (or a verdict has no
finding); --counts prints the population lines of the counts file.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402
from history_findings import count_lines, finding_key  # noqa: E402
from openstack_findings import current_findings  # noqa: E402
from triage_rt import SNAPSHOTS as RT_SNAPSHOTS, snapshot  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Oldest first, then the two 2022 trees (the start-of-day commits
# `history_findings.py --before` picked for the triaged run).
SNAPSHOTS = sorted(RT_SNAPSHOTS, key=lambda s: (s[1], ["cinder", "glance", "neutron", "swift"].index(s[0]))) + [
    ("cinder", "2022-06-30", "89eaf24c6a5f91e94902ba60d99a05c741e5af6b"),
    ("glance", "2022-06-30", "a71f7ba44e57a7945addb82afd2a19962d5c04cc"),
]


def review(vigil, select, folder, package):
    cmd = [os.path.abspath(vigil), "review", "--isolated", "--format", "json", "--exit-zero", "--select", select,
           package]
    out = subprocess.run(cmd, cwd=folder, capture_output=True, text=True)
    return json.loads(out.stdout)["findings"]


def findings(vigil, select, mirror_root="/work/.mirror"):
    seen = set()
    rows = []
    cur_lines, current = current_findings(vigil, select, ["neutron", "cinder", "glance", "swift"])
    for f in current:
        key = finding_key(f["project"], f)
        if key not in seen:
            seen.add(key)
            rows.append(f)
    hist_lines = 0
    for project, date, commit in SNAPSHOTS:
        folder, _ = snapshot(mirror_root, project, date, commit)
        hist_lines += count_lines(folder, project)
        for f in review(vigil, select, folder, project):
            if corpora.is_test_path(f["path"]):
                continue
            key = finding_key(project, f)
            if key in seen:
                continue
            seen.add(key)
            f.update(project=project, snapshot=date, commit=commit)
            rows.append(f)
    return cur_lines, hist_lines, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--select", default="T843,T770,R701")
    parser.add_argument("--mirror-root", default="/work/.mirror")
    parser.add_argument("--check", metavar="JSONL", help="the triage records that must cover every finding")
    parser.add_argument("--counts", action="store_true", help="print the counts records")
    args = parser.parse_args()

    cur_lines, hist_lines, rows = findings(args.vigil, args.select, args.mirror_root)
    for f in rows:
        print(f"{f['rule_id']} {f['project']}@{f['snapshot']} {f['path']}:{f['line']} {f['message']}")
    per_rule = collections.Counter(f["rule_id"] for f in rows)
    print(f"{cur_lines} current and {hist_lines} historic lines of non-test code; "
          + ", ".join(f"{r} {n}" for r, n in sorted(per_rule.items())), file=sys.stderr)
    if args.counts:
        for rule in sorted(set(args.select.split(","))):
            cur = sum(1 for f in rows if f["rule_id"] == rule and f["snapshot"] == "current")
            total = per_rule[rule]
            print(json.dumps({"rule": rule, "findings": total, "current": cur, "historic": total - cur,
                              "current_lines": cur_lines, "historic_lines": hist_lines, "seed": 0, "per_rule": 0}))
    if args.check:
        triaged = {(r["project"], r["snapshot"], r["path"], r["line"], r["rule"])
                   for r in map(json.loads, open(args.check)) if "verdict" in r}
        found = {(f["project"], f["snapshot"], f["path"], f["line"], f["rule_id"]) for f in rows}
        missing, stale = sorted(found - triaged), sorted(triaged - found)
        for m in missing:
            print(f"not triaged: {m}", file=sys.stderr)
        for s in stale:
            print(f"triaged but not found: {s}", file=sys.stderr)
        if missing or stale:
            sys.exit(1)
        print(f"{args.check}: every finding triaged", file=sys.stderr)


if __name__ == "__main__":
    main()
