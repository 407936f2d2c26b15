#!/usr/bin/env python3
"""Semgrep's Python rule tests as a measure of vigil's dataflow rules: recall on
`# ruleid:` lines and false positives on `# ok:` lines, for the rules whose CWE
one of vigil's T rules has.

    python3 bench/semgrep_rules.py [CHECKOUT] [--vigil target/release/vigil] [-v]

CHECKOUT is a semgrep-rules source tree; by default it is exported from the git
mirror at /work/.mirror/semgrep+semgrep-rules/repo (get it with the search
tool's `fetch github:semgrep/semgrep-rules`) into bench/corpora/semgrep-rules/
(ignored by git). Only the test files are used: the `.py` file next to each
rule's `.yaml` under python/, with its annotations; the rules themselves are
read only for their CWE. This measures, it does not copy: vigil's models are
its own.

A `# ruleid:` (or `# ok:`) annotation marks the next code line (or its own
line when it ends one). A ruleid line counts as found when vigil reports a
T finding with one of the rule's CWEs on it; an ok line counts as a false
positive when vigil reports any T finding with one of the rule's CWEs on it.
vigil reviews the whole python/ folder as one project (`--select T`).
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MIRROR = "/work/.mirror/semgrep+semgrep-rules/repo"
ANNOTATION = re.compile(r"#\s*(ruleid|ok|todoruleid|todook)\s*:\s*([\w.,\- ]+)")


def checkout(path):
    if path:
        return path
    target = os.path.join(corpora.CORPORA, "semgrep-rules")
    if not os.path.isdir(os.path.join(target, "python")):
        if not os.path.isdir(MIRROR):
            sys.exit(f"no checkout given and no mirror at {MIRROR}: fetch github:semgrep/semgrep-rules")
        os.makedirs(target, exist_ok=True)
        archive = subprocess.run(["git", "--git-dir", MIRROR, "archive", "HEAD", "python"],
                                 capture_output=True, check=True)
        subprocess.run(["tar", "x", "-C", target], input=archive.stdout, check=True)
    return target


def vigil_cwes(vigil):
    """CWEs of vigil's T rules."""
    out = subprocess.run([vigil, "rules"], capture_output=True, text=True, check=True).stdout
    cwes = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and re.fullmatch(r"T\d{3}", parts[0]):
            cwe = int(parts[2].removeprefix("CWE-"))
            cwes[cwe] = parts[0]
    return cwes


def rule_cwes(yaml_path):
    """rule id -> (CWEs, mode), for every rule of a rule file. Semgrep's
    `taint` rules need a source, as vigil's do; its other (search) rules
    flag a pattern whatever flows into it."""
    with open(yaml_path) as f:
        doc = yaml.safe_load(f) or {}
    out = {}
    for rule in doc.get("rules", []):
        meta = rule.get("metadata") or {}
        cwe = meta.get("cwe") or []
        if isinstance(cwe, str):
            cwe = [cwe]
        nums = set()
        for c in cwe:
            m = re.match(r"CWE-(\d+)", str(c))
            if m:
                nums.add(int(m.group(1)))
        out[rule.get("id", "")] = (nums, rule.get("mode", "search"))
    return out


def annotations(text):
    """(kind, rule ids, target line) for each annotation."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        m = ANNOTATION.search(line)
        if not m:
            continue
        kind = m.group(1)
        ids = [x.strip() for x in m.group(2).split(",") if x.strip()]
        code = line[: m.start()].strip()
        target = i + 1
        if not code:
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].strip().startswith("#")):
                j += 1
            target = j + 1
        out.append((kind, ids, target))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", nargs="?", default="")
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and false positive")
    args = parser.parse_args()

    tree = checkout(args.checkout)
    covered = vigil_cwes(args.vigil)
    run = subprocess.run([os.path.abspath(args.vigil), "review", "--select", "T", "--format", "json", "--exit-zero",
                          "python"], cwd=tree, capture_output=True, text=True)
    found = collections.defaultdict(set)
    for f in json.loads(run.stdout)["findings"]:
        found[(f["path"], f["line"])].add(f["cwe"])

    # (mode, cwe) -> [ruleid, found, ok, fp]
    per_cwe = collections.defaultdict(lambda: [0, 0, 0, 0])
    misses, fps = [], []
    for d, _, files in os.walk(os.path.join(tree, "python")):
        for name in sorted(files):
            if not name.endswith(".yaml"):
                continue
            test = os.path.join(d, name[:-5] + ".py")
            if not os.path.exists(test):
                continue
            rules = rule_cwes(os.path.join(d, name))
            rel = os.path.relpath(test, tree)
            with open(test, errors="replace") as f:
                text = f.read()
            for kind, ids, line in annotations(text):
                if kind.startswith("todo"):
                    continue
                for rid in ids:
                    cwes, mode = rules.get(rid, (set(), "search"))
                    cwes = cwes & covered.keys()
                    if not cwes:
                        continue
                    hit = bool(found.get((rel, line), set()) & cwes)
                    for cwe in cwes:
                        stats = per_cwe[(mode, cwe)]
                        if kind == "ruleid":
                            stats[0] += 1
                            stats[1] += hit
                        else:
                            stats[2] += 1
                            stats[3] += hit
                    if kind == "ruleid" and not hit:
                        misses.append(f"MISS {rel}:{line} {rid}")
                    if kind == "ok" and hit:
                        fps.append(f"FP   {rel}:{line} {rid}")

    for mode in ("taint", "search"):
        print(f"\nSemgrep {mode} rules" + (" (a source is needed, as for vigil)" if mode == "taint"
                                          else " (any non-constant value is flagged; vigil needs a source)"))
        print(f"{'CWE':8} {'rule':5} {'ruleid':>7} {'found':>6} {'recall':>7} {'ok':>5} {'FP':>4}")
        tot = [0, 0, 0, 0]
        for m, cwe in sorted(per_cwe):
            if m != mode:
                continue
            r, h, o, fp = per_cwe[(m, cwe)]
            tot = [a + b for a, b in zip(tot, (r, h, o, fp))]
            recall = h / r if r else 0.0
            print(f"CWE-{cwe:<4} {covered[cwe]:5} {r:7d} {h:6d} {recall:7.2f} {o:5d} {fp:4d}")
        recall = tot[1] / tot[0] if tot[0] else 0.0
        print(f"{'all':14} {tot[0]:7d} {tot[1]:6d} {recall:7.2f} {tot[2]:5d} {tot[3]:4d}")
    if args.verbose:
        print("\n".join(misses + fps))


if __name__ == "__main__":
    main()
