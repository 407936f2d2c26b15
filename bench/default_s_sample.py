#!/usr/bin/env python3
"""The distinct findings of the default-on Bandit-parity (S) rules on current
and historic OpenStack code, and the reproducible sample of them that
bench/triage/default_s_rules.jsonl triages (docs/precision.md).

    python3 bench/default_s_sample.py [--vigil target/release/vigil] [--seed 1] [--per-rule 25]
                                      [--show] [--nova] [--write-counts bench/triage/default_s_counts.jsonl]

Corpora: the current sdists of neutron, cinder, glance and swift
(corpora.OPENSTACK), then the snapshots history_findings.py exports (cinder,
glance, neutron, swift at 2014-06-30, 2016-09-30, 2019-06-30, swift also at
2022-06-30). Test code is left out. One line of code is one finding: a
finding is keyed by (project, path, rule, first quoted line), current code
first, then snapshots oldest first, so a line still in today's release is
triaged as "current" and an unchanged line is never counted twice.

Sampling: a rule with at most --per-rule findings is triaged whole; above
that, --per-rule findings are drawn with random.Random(f"{rule}:{seed}") from
the rule's findings in the order above, so the same command re-draws the same
sample. --show prints each sampled finding with 15 lines of code around it.
--nova prints the S counts on current nova as noise only (never triaged:
nova is held out). --write-counts writes one JSON line per default-on S rule
(`vigil rules`, zero-finding rules included) with its distinct findings and
the lines reviewed: the population bench/precision.py divides by.
"""
import argparse
import collections
import os
import json
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from history_findings import DEFAULT, finding_key, history_findings  # noqa: E402
from openstack_findings import current_findings  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECTS = ["neutron", "cinder", "glance", "swift"]


def distinct_findings(vigil):
    """(lines, findings): non-test lines over all corpora and the distinct
    default findings, current code first."""
    seen = set()
    cur_lines, current = current_findings(vigil, "", PROJECTS)
    rows = []
    for f in current:
        key = finding_key(f["project"], f)
        if key not in seen:
            seen.add(key)
            rows.append(f)
    hist_lines, historic = history_findings(vigil, "", DEFAULT, seen=seen)
    return cur_lines, hist_lines, rows + historic


def sample(findings, per_rule, seed):
    """{rule: sampled findings} for the S rules, in corpus order."""
    by_rule = collections.defaultdict(list)
    for f in findings:
        if f["rule_id"].startswith("S"):
            by_rule[f["rule_id"]].append(f)
    drawn = {}
    for rule, rows in sorted(by_rule.items()):
        if len(rows) <= per_rule:
            drawn[rule] = rows
        else:
            picked = set(random.Random(f"{rule}:{seed}").sample(range(len(rows)), per_rule))
            drawn[rule] = [f for i, f in enumerate(rows) if i in picked]
    return by_rule, drawn


def default_s_rules(vigil):
    """The S rules `vigil rules` lists as on by default."""
    out = subprocess.run([os.path.abspath(vigil), "rules"], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()
            if line.startswith("S") and "(off by default)" not in line]


def write_counts(path, vigil, by_rule, cur_lines, hist_lines, seed, per_rule):
    with open(path, "w") as out:
        for rule in default_s_rules(vigil):
            rows = by_rule.get(rule, [])
            current = sum(1 for f in rows if f["snapshot"] == "current")
            out.write(json.dumps({"rule": rule, "findings": len(rows), "current": current,
                                  "historic": len(rows) - current, "current_lines": cur_lines,
                                  "historic_lines": hist_lines, "seed": seed, "per_rule": per_rule}) + "\n")


def show(f, context=15):
    path = os.path.join(f["folder"], f["path"])
    lines = open(path, errors="replace").read().splitlines()
    lo, hi = max(1, f["line"] - context), min(len(lines), f.get("end_line", f["line"]) + context)
    print(f"\n=== {f['rule_id']} {f['project']}@{f['snapshot']} {f['path']}:{f['line']}\n    {f['message']}")
    for n in range(lo, hi + 1):
        mark = ">>" if f["line"] <= n <= f.get("end_line", f["line"]) else "  "
        print(f"{mark}{n:5d} {lines[n - 1]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-rule", type=int, default=25)
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--nova", action="store_true")
    parser.add_argument("--write-counts", metavar="PATH")
    args = parser.parse_args()

    cur_lines, hist_lines, findings = distinct_findings(args.vigil)
    by_rule, drawn = sample(findings, args.per_rule, args.seed)
    print(f"{cur_lines} non-test lines in current {','.join(PROJECTS)}; {hist_lines} in the snapshots")
    print(f"{'rule':6} {'current':>8} {'historic':>9} {'distinct':>9} {'sampled':>8}")
    for rule in sorted(by_rule):
        cur = sum(1 for f in by_rule[rule] if f["snapshot"] == "current")
        print(f"{rule:6} {cur:8d} {len(by_rule[rule]) - cur:9d} {len(by_rule[rule]):9d} {len(drawn[rule]):8d}")
    if args.write_counts:
        write_counts(args.write_counts, args.vigil, by_rule, cur_lines, hist_lines, args.seed, args.per_rule)
    if args.nova:
        nova_lines, nova = current_findings(args.vigil, "", ["nova"])
        counts = collections.Counter(f["rule_id"] for f in nova if f["rule_id"].startswith("S"))
        print(f"nova (noise only, not triaged; {nova_lines} lines): "
              + ", ".join(f"{r} {n}" for r, n in sorted(counts.items())))
    for rule in sorted(drawn):
        for f in drawn[rule]:
            if args.show:
                show(f)
            else:
                print(f"{rule} {f['project']}@{f['snapshot']} {f['path']}:{f['line']} {f['message']}")


if __name__ == "__main__":
    main()
