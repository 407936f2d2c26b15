#!/usr/bin/env python3
"""Speed and memory on a whole OpenStack tree, side by side with Ruff's
`--select S` and Bandit, on the same machine in one run.

    python3 bench/speed.py [--project nova] [--vigil target/release/vigil] [--runs 3] [--select S]

Prints CPU time (user+sys, best of --runs) and peak RSS for each tool, and
vigil's CPU time relative to Ruff's (the design target is at most 1.5x) and
Bandit's (at least 100x less).
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(cmd, cwd, runs):
    best = None
    for _ in range(runs):
        out = subprocess.run(["/usr/bin/time", "-f", "%U %S %M"] + cmd, cwd=cwd,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        user, system, rss = out.stderr.strip().splitlines()[-1].split()
        sample = (float(user) + float(system), int(rss) // 1024)
        best = sample if best is None or sample[0] < best[0] else best
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="nova", choices=sorted(corpora.OPENSTACK))
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--select", default="", help="vigil --select value (default: the default rules)")
    parser.add_argument("--no-bandit", action="store_true", help="skip Bandit (slow)")
    args = parser.parse_args()

    tree = corpora.sdist(args.project, corpora.OPENSTACK[args.project])
    bin_dir = corpora.tools_venv()
    package = os.path.join(tree, args.project)
    lines = sum(sum(1 for _ in open(os.path.join(d, f), errors="replace"))
                for d, _, fs in os.walk(package) for f in fs if f.endswith(".py"))
    print(f"{args.project}: {lines} lines of Python")
    vigil_cmd = [os.path.abspath(args.vigil), "review", "--exit-zero", "--format", "json", package]
    if args.select:
        vigil_cmd[2:2] = ["--select", args.select]
    rows = [("vigil", vigil_cmd),
            ("ruff --select S", [os.path.join(bin_dir, "ruff"), "check", "--no-cache", "--select", "S",
                                 "--exit-zero", "--quiet", package])]
    if not args.no_bandit:
        rows.append(("bandit", [os.path.join(bin_dir, "bandit"), "-q", "-r", "-f", "json", package]))
    results = {}
    for name, cmd in rows:
        runs = 1 if name == "bandit" else args.runs
        cpu, rss = measure(cmd, tree, runs)
        results[name] = cpu
        print(f"{name:16} cpu {cpu:8.2f} s   peak rss {rss:6d} MB")
    ruff = results["ruff --select S"]
    print(f"vigil / ruff cpu: {results['vigil'] / ruff:.2f}x (target <= 1.5x)")
    if "bandit" in results:
        print(f"bandit / vigil cpu: {results['bandit'] / results['vigil']:.0f}x (target >= 100x)")


if __name__ == "__main__":
    main()
