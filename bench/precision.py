#!/usr/bin/env python3
"""Precision as a security defect per rule, from the triage records in
bench/triage/*.jsonl, and whether each rule keeps its place in the default
set (docs/precision.md says how the records were made).

    python3 bench/precision.py [--threshold 0.6] [--rules S] [--triage bench/triage]
    python3 bench/precision.py --emit-rust src/rules/measured_data.rs   # the table the rule docs print
    python3 bench/precision.py --check src/rules/measured_data.rs       # CI: fails when it is stale

Two kinds of JSON lines are read from every *.jsonl file in the folder:
- a triaged finding: {"rule", "verdict": "TP"|"minor"|"FP", ...}
  (bench/triage/default_s_rules.jsonl);
- a population count: {"rule", "findings", "current_lines", "historic_lines"}
  without "verdict" (bench/triage/default_s_counts.jsonl, written by
  bench/default_s_sample.py --write-counts): how many distinct findings the
  rule has on the corpora, of which the triaged ones are all or a sample.

Precision = TP / (TP + minor + FP). A rule keeps its place in the default
set when its precision is at least --threshold. The 95% Wilson interval is
printed because most rules are measured on a sample, some on a handful of
findings. A rule with no finding on any corpus is "unmeasured", never kept
or dropped by a guess.
"""
import argparse
import collections
import glob
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def wilson(successes, n, z=1.96):
    """95% Wilson score interval of a proportion, as (low, high)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def read(folder):
    verdicts = collections.defaultdict(collections.Counter)
    counts = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.jsonl"))):
        with open(path) as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                record = json.loads(line)
                if "verdict" in record:
                    if record["verdict"] not in ("TP", "minor", "FP"):
                        raise SystemExit(f"{path}:{number}: verdict must be TP, minor or FP")
                    verdicts[record["rule"]][record["verdict"]] += 1
                elif "findings" in record:
                    counts[record["rule"]] = record
    return verdicts, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triage", default=os.path.join(HERE, "triage"))
    parser.add_argument("--threshold", type=float, default=0.6)
    parser.add_argument("--rules", default="", help="only rules whose id starts with this prefix")
    parser.add_argument("--emit-rust", metavar="PATH", help="write the measurements as src/rules/measured_data.rs")
    parser.add_argument("--check", metavar="PATH", help="exit 1 when PATH differs from what --emit-rust writes")
    args = parser.parse_args()

    verdicts, counts = read(args.triage)
    if args.emit_rust or args.check:
        text = rust_table(verdicts, counts)
        if args.emit_rust:
            with open(args.emit_rust, "w") as f:
                f.write(text)
            return
        with open(args.check) as f:
            if f.read() != text:
                raise SystemExit(f"{args.check} is stale: run `python3 bench/precision.py --emit-rust {args.check}`")
        print(f"{args.check} is up to date")
        return
    rules = sorted(r for r in set(verdicts) | set(counts) if r.startswith(args.rules))
    print(f"{'rule':6} {'findings':>8} {'triaged':>7} {'TP':>4} {'minor':>5} {'FP':>4} "
          f"{'precision':>9} {'95% interval':>13}  default")
    dropped, unmeasured = [], []
    for rule in rules:
        v = verdicts.get(rule, collections.Counter())
        triaged = sum(v.values())
        count = counts.get(rule)
        findings = count["findings"] if count else triaged
        if triaged == 0:
            if findings == 0 and count:
                lines = count["current_lines"] + count["historic_lines"]
                unmeasured.append(rule)
                print(f"{rule:6} {0:8d} {'':>7} {'':>4} {'':>5} {'':>4} {'':>9} {'':>13}  "
                      f"unmeasured (0 findings in {lines:,} lines)")
            else:
                print(f"{rule:6} {findings:8d} {0:7d}  not triaged")
            continue
        precision = v["TP"] / triaged
        low, high = wilson(v["TP"], triaged)
        keep = precision >= args.threshold
        if not keep:
            dropped.append(rule)
        thin = "  (fewer than 5 triaged)" if triaged < 5 else ""
        print(f"{rule:6} {findings:8d} {triaged:7d} {v['TP']:4d} {v['minor']:5d} {v['FP']:4d} "
              f"{precision:9.0%} {f'{low:.0%}-{high:.0%}':>13}  "
              f"{'keep on' if keep else 'leave the default set'}{thin}")
    print(f"\nbelow {args.threshold:.0%}: {', '.join(dropped) or 'none'}")
    if unmeasured:
        print(f"unmeasured (no finding on any corpus): {', '.join(unmeasured)}")


def rust_table(verdicts, counts):
    """src/rules/measured_data.rs: one row per measured rule, sorted by id."""
    rows = []
    for rule in sorted(set(verdicts) | set(counts)):
        v = verdicts.get(rule, collections.Counter())
        count = counts.get(rule)
        findings = count["findings"] if count else sum(v.values())
        lines = count["current_lines"] + count["historic_lines"] if count else 0
        rows.append(f"    Measured {{ id: \"{rule}\", findings: {findings}, lines: {lines}, tp: {v['TP']}, "
                    f"minor: {v['minor']}, fp: {v['FP']} }},")
    return (
        "// Generated by `python3 bench/precision.py --emit-rust src/rules/measured_data.rs` from\n"
        "// bench/triage/*.jsonl: do not edit. CI runs `--check` on it.\n"
        "\n"
        "//! How often each rule's findings are security defects a reviewer would ask\n"
        "//! to fix, measured on OpenStack code (cinder, glance, neutron and swift,\n"
        "//! current releases and historic snapshots; docs/precision.md). A rule is\n"
        "//! on by default only at 60% or more; `tests` check that `Rule::status`\n"
        "//! agrees with this table, and the rule docs print its row.\n"
        "\n"
        "use super::measured::Measured;\n"
        "\n"
        "/// Sorted by rule id.\n"
        "#[rustfmt::skip]\n"
        "pub const MEASURED: &[Measured] = &[\n" + "\n".join(rows) + "\n];\n"
    )


if __name__ == "__main__":
    main()
