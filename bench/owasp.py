#!/usr/bin/env python3
"""OWASP BenchmarkPython: vigil and Bandit side by side, per category and overall.

    python3 bench/owasp.py [CHECKOUT] [--vigil target/debug/vigil] [--select ...] [--extend-select ...] [--no-bandit]
                           [--show-misses CATEGORY] [--show-fps CATEGORY]

CHECKOUT is a BenchmarkPython source tree; by default it is exported from the
git mirror at /work/.mirror/OWASP-Benchmark+BenchmarkPython/repo (get it with
the search tool's `fetch github:OWASP-Benchmark/BenchmarkPython`) into
bench/corpora/owasp/ (ignored by git). vigil reviews the whole checkout, so the
cases' calls into `helpers/` are analysed as the project's own code; Bandit
runs on the same tree (bench/corpora/venv/bin/bandit, see corpora.py).

Scoring is OWASP's: a case counts as flagged when any finding in its file has
exactly the expected CWE; per category, score = TPR - FPR; overall = the mean
over categories. Expected results come from
../shared/bench/owasp-benchmark-python-0.1-expected.csv (VIGIL_SHARED overrides).
"""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MIRROR = "/work/.mirror/OWASP-Benchmark+BenchmarkPython/repo"
EXPECTED = os.path.join(os.environ.get("VIGIL_SHARED", os.path.join(ROOT, "..", "shared")), "bench",
                        "owasp-benchmark-python-0.1-expected.csv")


def checkout(path):
    """The benchmark tree: `path` if given, else an export of the mirror."""
    if path:
        return path
    target = os.path.join(corpora.CORPORA, "owasp")
    if not os.path.isdir(os.path.join(target, "testcode")):
        if not os.path.isdir(MIRROR):
            sys.exit(f"no checkout given and no mirror at {MIRROR}: fetch github:OWASP-Benchmark/BenchmarkPython")
        os.makedirs(target, exist_ok=True)
        archive = subprocess.run(["git", "--git-dir", MIRROR, "archive", "HEAD"], capture_output=True, check=True)
        subprocess.run(["tar", "x", "-C", target], input=archive.stdout, check=True)
    return target


def expected():
    cases = {}
    with open(EXPECTED) as f:
        for row in csv.reader(f):
            if not row or row[0].startswith("#"):
                continue
            name, category, real, cwe = row[0], row[1], row[2] == "true", int(row[3])
            cases[name] = (category, real, cwe)
    return cases


def case_name(path):
    base = os.path.basename(path)
    return base[:-3] if base.startswith("BenchmarkTest") and base.endswith(".py") else None


def vigil_findings(tree, vigil, select, extend=""):
    cmd = [os.path.abspath(vigil), "review", "--format", "json", "--exit-zero", "."]
    if select:
        cmd[2:2] = ["--select", select]
    if extend:
        cmd[2:2] = ["--extend-select", extend]
    out = subprocess.run(cmd, cwd=tree, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"vigil failed ({out.returncode}): {out.stderr[:2000]}")
    found = collections.defaultdict(set)
    rules = collections.defaultdict(set)
    for f in json.loads(out.stdout)["findings"]:
        name = case_name(f["path"])
        if name:
            found[name].add(f["cwe"])
            rules[name].add((f["rule_id"], f["cwe"], f["line"]))
    return found, rules


def bandit_findings(tree):
    bandit = os.path.join(corpora.tools_venv(), "bandit")
    out = subprocess.run([bandit, "-q", "-r", "-f", "json", "testcode"], cwd=tree, capture_output=True, text=True)
    found = collections.defaultdict(set)
    for r in json.loads(out.stdout)["results"]:
        name = case_name(r["filename"])
        cwe = (r.get("issue_cwe") or {}).get("id")
        if name and cwe:
            found[name].add(int(cwe))
    return found


def score(cases, found):
    """Per category: (tp, fn, fp, tn, tpr, fpr, score)."""
    counts = collections.defaultdict(lambda: [0, 0, 0, 0])
    for name, (category, real, cwe) in cases.items():
        flagged = cwe in found.get(name, ())
        c = counts[category]
        c[(0 if flagged else 1) if real else (2 if flagged else 3)] += 1
    table = {}
    for category, (tp, fn, fp, tn) in sorted(counts.items()):
        tpr = tp / (tp + fn) if tp + fn else 0.0
        fpr = fp / (fp + tn) if fp + tn else 0.0
        table[category] = (tp, fn, fp, tn, tpr, fpr, tpr - fpr)
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", nargs="?", default="")
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "debug", "vigil"))
    parser.add_argument("--select", default="T",
                        help="vigil --select value (default: T, the dataflow rules; \"\" for the default set)")
    parser.add_argument("--extend-select", default="", help="vigil --extend-select value")
    parser.add_argument("--no-bandit", action="store_true", help="skip Bandit")
    parser.add_argument("--show-misses", default="", metavar="CATEGORY", help="list false negatives")
    parser.add_argument("--show-fps", default="", metavar="CATEGORY", help="list false positives")
    args = parser.parse_args()

    tree = checkout(args.checkout)
    cases = expected()
    vigil, rules = vigil_findings(tree, args.vigil, args.select, args.extend_select)
    tables = [("vigil", score(cases, vigil))]
    if not args.no_bandit:
        tables.append(("bandit", score(cases, bandit_findings(tree))))

    header = f"{'category':16}" + "".join(f"{name:>34}" for name, _ in tables)
    print(header)
    print(f"{'':16}" + "".join(f"{'TP  FN  FP  TN   TPR   FPR  score':>34}" for _ in tables))
    for category in sorted(tables[0][1]):
        row = f"{category:16}"
        for _, table in tables:
            tp, fn, fp, tn, tpr, fpr, s = table[category]
            row += f"{tp:>9}{fn:>4}{fp:>4}{tn:>4}{tpr:>6.2f}{fpr:>6.2f}{s:>7.2f}"
        print(row)
    row = f"{'overall':16}"
    for _, table in tables:
        mean = sum(t[6] for t in table.values()) / len(table)
        row += f"{'':>27}{mean:>7.3f}"
    print(row)

    for category, want_real in ((args.show_misses, True), (args.show_fps, False)):
        if not category:
            continue
        for name, (cat, real, cwe) in sorted(cases.items()):
            flagged = cwe in vigil.get(name, ())
            if cat == category and real == want_real and flagged != want_real:
                what = "MISS" if want_real else "FP  "
                print(f"{what} {name} CWE-{cwe} {sorted(rules.get(name, ()))}")


if __name__ == "__main__":
    main()
