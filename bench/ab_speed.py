#!/usr/bin/env python3
"""Two vigil builds side by side on one tree: the median CPU, wall time
and peak memory of interleaved runs (a change's speed, measured on a
machine whose load drifts: both builds see the same drift).

    python3 bench/ab_speed.py NEW OLD [--project nova] [--runs 10] [--flags "-q"] [--ruff]

Both review the project's package from its sdist in bench/corpora with
`--no-cache`, the default rules and any `--flags`; outputs are discarded
(`bench/same_output.py` checks that they agree). `--ruff` interleaves
Ruff `--select S` on the same package as a third row and prints both
builds' ratios to it (issue #13's targets, on a machine too noisy for
`bench/speed.py`'s separate runs to compare).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402
from speed import interleaved, show  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new")
    parser.add_argument("old")
    parser.add_argument("--project", default="nova", choices=sorted(corpora.OPENSTACK))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--flags", default="-q", help="extra review flags for both builds")
    parser.add_argument("--ruff", action="store_true", help="Ruff --select S as a third row")
    args = parser.parse_args()
    tree = corpora.sdist(args.project, corpora.OPENSTACK[args.project])
    flags = args.flags.split()
    rows = [(name, [os.path.abspath(binary), "review", "--no-cache", "--exit-zero"] + flags + [args.project], args.runs)
            for name, binary in (("new", args.new), ("old", args.old))]
    if args.ruff:
        ruff = os.path.join(corpora.tools_venv(), "ruff")
        rows.append(("ruff", [ruff, "check", "--no-cache", "--select", "S", "--exit-zero", "--quiet", args.project],
                     args.runs))
    result = interleaved(rows, tree, args.runs)
    for name, cmd, _ in rows:
        cpu, wall, rss = result[name]
        show(f"{name} ({os.path.basename(cmd[0])})", (cpu, wall, int(rss)))
    (new_cpu, new_wall, new_rss), (old_cpu, old_wall, old_rss) = result["new"], result["old"]
    print(f"new / old: cpu {new_cpu / old_cpu:.2f}x, wall {new_wall / old_wall:.2f}x, rss {new_rss / old_rss:.2f}x")
    if args.ruff:
        ruff_cpu, ruff_wall, _ = result["ruff"]
        for name in ("new", "old"):
            cpu, wall, _ = result[name]
            print(f"{name} / ruff: cpu {cpu / ruff_cpu:.2f}x, wall {wall / ruff_wall:.2f}x (targets <= 1.5x)")


if __name__ == "__main__":
    main()
