#!/usr/bin/env python3
"""Precision as a security defect of vigil's default-on R and T rules, on
OpenStack code (docs/precision-rt.md says how it was measured and what it found).

    python3 bench/triage_rt.py findings [--vigil /work/bin/vigil-base] [-o /tmp/rt_findings.json]
    python3 bench/triage_rt.py sample   [-i /tmp/rt_findings.json]
    python3 bench/triage_rt.py table    [--verdicts bench/triage/default_rt_rules.jsonl]

`findings` runs the default R and T rules (the ids `vigil rules --json` marks
default and starting with R or T) on the current sdists of neutron, cinder,
glance and swift and on historic snapshots of the four (the last commit of
master before each date, pinned below, exported from the bare mirrors in
/work/.mirror into bench/corpora/history-rt/, ignored), leaves out test code, and keeps one
finding per (project, path, rule, quoted line): a line unchanged between trees
is triaged once, the first tree that reports it (current first) names it.
`sample` prints, per rule, every finding when there are at most 25, else 25
drawn with the fixed seed below: the findings a person triages. `table` counts
the verdicts written in the JSONL file per rule. Nova is never used.
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CURRENT = {"neutron": "29.0.0", "cinder": "29.0.0", "glance": "33.0.0", "swift": "2.38.3"}
# The snapshot commits, pinned. `git rev-list --before=2016-09-30` (what
# bench/history_findings.py runs) reads a date without a time as that date at
# the current time of day, so it picks a different commit depending on when it
# runs; these are the commits it picked for the triaged run. Newest first: a
# line unchanged across snapshots is named by the newest one that reports it.
SNAPSHOTS = [
    ("swift", "2022-06-30", "6af4449268533af57063d5be6e83d7d17c6706b2"),
    ("cinder", "2019-06-30", "9dd5232ea5ee36beda56946647fda9002fa0a608"),
    ("glance", "2019-06-30", "f6a938660bc6e8108b0e7ec70a4c8b1879abf9d6"),
    ("neutron", "2019-06-30", "54946b7a733467f8e00640c19ec8e356d006000f"),
    ("swift", "2019-06-30", "9d1f6bb57faecb9ac62f8ab36830be6d47a8c1be"),
    ("cinder", "2016-09-30", "0e75a1e3b584aacd895193d3b6b1402784cac194"),
    ("glance", "2016-09-30", "f58b8593926c51aa4d05867760aef45ba6eefb51"),
    ("neutron", "2016-09-30", "676257cea09b736328caacc61182e27d369e254b"),
    ("swift", "2016-09-30", "026c5b9b7c31e80650592deeee39f763e40534b9"),
    ("cinder", "2014-06-30", "5cf52914bd78fa553f853ad6ea2fba8a87d8075c"),
    ("glance", "2014-06-30", "49787cd81f149760f72576be8338be81e64b5006"),
    ("neutron", "2014-06-30", "b5cd4c7cef64491069ae7461f0e5ee89568ec495"),
    ("swift", "2014-06-30", "0f0c0e5553adeccdf6d95ee61b64ea84ffa79758"),
]
SEED = 20250610
PER_RULE = 25


def is_test_path(path):
    """Test code as the brief defines it: folders tests/test, test_*.py, *_test.py, conftest.py."""
    parts = path.replace("\\", "/").split("/")
    name = parts[-1]
    return ("tests" in parts or "test" in parts or name.startswith("test_") or name.endswith("_test.py")
            or name == "conftest.py")


def default_rt_rules(vigil):
    rules = json.loads(subprocess.run([vigil, "rules", "--json"], capture_output=True, text=True,
                                      check=True).stdout)
    return [r["id"] for r in rules if r["default"] and r["id"][0] in "RT"]


def snapshot(mirror_root, project, date, commit):
    """The tree of project at commit, exported once; renamed into place whole so a reader never sees half."""
    gd = os.path.join(mirror_root, f"openstack+{project}", "repo")
    folder = os.path.join(corpora.CORPORA, "history-rt", f"{project}-{date}-{commit[:10]}")
    if not os.path.isdir(folder):
        partial = f"{folder}.partial-{os.getpid()}"
        os.makedirs(partial)
        archive = subprocess.run(["git", "--git-dir", gd, "archive", commit], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", partial], input=archive.stdout, check=True)
        os.rename(partial, folder)
    return folder, commit


def count_lines(tree, package):
    total = 0
    for d, _, files in os.walk(os.path.join(tree, package)):
        for f in files:
            path = os.path.join(d, f)
            if f.endswith(".py") and not is_test_path(os.path.relpath(path, tree)):
                with open(path, errors="replace") as source:
                    total += sum(1 for _ in source)
    return total


def findings(args):
    vigil = os.path.abspath(args.vigil)
    select = ",".join(default_rt_rules(vigil))
    trees = [(p, "current", corpora.sdist(p, v), v) for p, v in CURRENT.items()]
    trees += [(p, d, *snapshot(args.mirror_root, p, d, c)) for p, d, c in SNAPSHOTS]
    seen = set()
    rows = []
    lines = {}
    for project, snap, tree, version in trees:
        lines[f"{project}@{snap}"] = count_lines(tree, project)
        out = subprocess.run([vigil, "review", "--select", select, "--format", "json", "--exit-zero", project],
                             cwd=tree, capture_output=True, text=True, check=False)
        for f in json.loads(out.stdout)["findings"]:
            if is_test_path(f["path"]):
                continue
            code = f["snippet"][0]["text"].strip() if f["snippet"] else ""
            key = (project, f["path"], f["rule_id"], code)
            if key in seen:
                continue
            seen.add(key)
            rows.append({"project": project, "snapshot": snap, "version": version[:10], "tree": tree,
                         "path": f["path"], "line": f["line"], "rule": f["rule_id"], "message": f["message"],
                         "description": f["description"], "solution": f["solution"],
                         "steps": [(s["line"], s["note"]) for s in f["steps"]], "code": code})
    per_rule = collections.Counter(r["rule"] for r in rows)
    with open(args.output, "w") as out:
        json.dump({"select": select, "lines": lines, "findings": rows}, out, indent=1)
    print(f"rules: {select}")
    print(f"{sum(lines.values())} lines of non-test code over {len(lines)} trees; {len(rows)} distinct findings")
    for rule in select.split(","):
        print(f"  {rule:6} {per_rule[rule]:5d}")


def sample(args):
    with open(args.input) as f:
        data = json.load(f)
    by_rule = collections.defaultdict(list)
    for f in data["findings"]:
        by_rule[f["rule"]].append(f)
    rng = random.Random(SEED)
    chosen = []
    for rule in data["select"].split(","):
        group = by_rule[rule]
        chosen += group if len(group) <= PER_RULE else rng.sample(group, PER_RULE)
    json.dump(chosen, sys.stdout, indent=1)


def wilson(k, n, z=1.96):
    """The 95% Wilson score interval of k successes in n trials, in percent."""
    centre = (k + z * z / 2) / (n + z * z)
    half = z * ((k * (n - k) / n + z * z / 4) ** 0.5) / (n + z * z)
    return round(100 * (centre - half)), round(100 * (centre + half))


def table(args):
    with open(args.input) as f:
        counts = json.load(f)
    found = collections.Counter(f["rule"] for f in counts["findings"])
    current = collections.Counter(f["rule"] for f in counts["findings"] if f["snapshot"] == "current")
    verdicts = collections.defaultdict(collections.Counter)
    with open(args.verdicts) as f:
        for line in f:
            v = json.loads(line)
            verdicts[v["rule"]][v["verdict"]] += 1
    total_lines = sum(counts["lines"].values())
    print("| Rule | Findings (current + historic) | Triaged | TP | minor | FP | Precision | 95% interval |")
    print("|------|------------------------------:|--------:|---:|------:|---:|----------:|-------------:|")
    for rule in counts["select"].split(","):
        c = verdicts[rule]
        n = sum(c.values())
        if not found[rule]:
            print(f"| {rule} | 0 | 0 | | | | unmeasured (0 findings in {total_lines:,} lines) | |")
            continue
        low, high = wilson(c["TP"], n)
        print(f"| {rule} | {found[rule]} ({current[rule]} + {found[rule] - current[rule]}) | {n} | {c['TP']} | "
              f"{c['minor']} | {c['FP']} | {100 * c['TP'] / n:.0f}% | {low}-{high}% |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["findings", "sample", "table"])
    parser.add_argument("--vigil", default="/work/bin/vigil-base")
    parser.add_argument("--mirror-root", default="/work/.mirror")
    parser.add_argument("-o", "--output", default="/tmp/rt_findings.json")
    parser.add_argument("-i", "--input", default="/tmp/rt_findings.json")
    parser.add_argument("--verdicts", default=os.path.join(ROOT, "bench", "triage", "default_rt_rules.jsonl"))
    args = parser.parse_args()
    {"findings": findings, "sample": sample, "table": table}[args.command](args)


if __name__ == "__main__":
    main()
