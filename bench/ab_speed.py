#!/usr/bin/env python3
"""Two vigil builds side by side on one tree: the median CPU, wall time
and peak memory of interleaved runs (a change's speed, measured on a
machine whose load drifts: both builds see the same drift).

    python3 bench/ab_speed.py NEW OLD [--project nova] [--runs 10] [--flags "-q"] [--ruff]
    python3 bench/ab_speed.py NEW OLD --fill          # reviews that fill an empty cache
    python3 bench/ab_speed.py NEW OLD --change 10 [--edit top] [--again]   # change reviews from the parent's cache

Both review the project's package from its sdist in bench/corpora with
`--no-cache`, the default rules and any `--flags`; outputs are discarded
(`bench/same_output.py` checks that they agree). `--fill` times reviews
that start from an empty cache and fill it (the first review of a tree).
`--change N` times `--diff HEAD~1` reviews of a commit that changes N
modules, as `bench/change_review_speed.py` makes it, each build from the
cache its own review of the parent left (copied in before every run,
untimed; `--fill` removes the cache before every run, untimed). With
`--again`, the same modules are edited a second time, and each build
starts from the cache its review of the first edit left (a change being
worked on: the usual case in an editor). `--ruff` interleaves
Ruff `--select S` on the same package as a third row and prints both
builds' ratios to it (issue #13's targets, on a machine too noisy for
`bench/speed.py`'s separate runs to compare).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402
from change_review_speed import checkout_of, commit_change, git  # noqa: E402
from speed import interleaved, show  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new")
    parser.add_argument("old")
    parser.add_argument("--project", default="nova", choices=sorted(corpora.OPENSTACK))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--flags", default="-q", help="extra review flags for both builds")
    parser.add_argument("--ruff", action="store_true", help="Ruff --select S as a third row")
    parser.add_argument("--fill", action="store_true", help="reviews that fill an empty cache")
    parser.add_argument("--change", type=int, metavar="N",
                        help="change reviews of N changed modules, from the parent's cache")
    parser.add_argument("--edit", choices=["end", "top"], default="end",
                        help="with --change: where the changed modules get their new lines")
    parser.add_argument("--again", action="store_true",
                        help="with --change: the same modules edited a second time, from the cache the "
                             "review of the first edit left")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        compare(args, work)


def copy_cache(parent, cache):
    """The parent's cache in place of `cache` (before a timed run)."""
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(parent, cache)


def compare(args, work):
    tree = corpora.sdist(args.project, corpora.OPENSTACK[args.project])
    flags = args.flags.split()
    builds = (("new", os.path.abspath(args.new)), ("old", os.path.abspath(args.old)))
    if args.change:
        tree, modules = checkout_of(args.project, work)
        commit_change(tree, modules, args.change, args.edit)
        if args.again:
            commit_change(tree, modules, args.change, args.edit)
        rows = []
        for name, binary in builds:
            # The parent's review with this build fills its cache (with
            # --again: the grandparent's, then the review of the first edit).
            cache = os.path.join(tree, ".vigil_cache")
            shutil.rmtree(cache, ignore_errors=True)
            if args.again:
                git(tree, "checkout", "-q", "HEAD~2")
                subprocess.run([binary, "review", "--exit-zero", "-q", args.project], cwd=tree,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                git(tree, "checkout", "-q", "-")
                git(tree, "checkout", "-q", "HEAD~1")
                subprocess.run([binary, "review", "--exit-zero", "-q", "--diff", "HEAD~1", args.project], cwd=tree,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            else:
                git(tree, "checkout", "-q", "HEAD~1")
                subprocess.run([binary, "review", "--exit-zero", "-q", args.project], cwd=tree,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            git(tree, "checkout", "-q", "-")
            parent = os.path.join(work, f"cache-{name}")
            shutil.move(cache, parent)
            rows.append((name, [binary, "review", "--exit-zero", *flags, "--diff", "HEAD~1", args.project],
                         args.runs, lambda parent=parent: copy_cache(parent, cache)))
    elif args.fill:
        cache = os.path.join(tree, ".vigil_cache")
        rows = [(name, [binary, "review", "--exit-zero", *flags, args.project], args.runs,
                 lambda: shutil.rmtree(cache, ignore_errors=True)) for name, binary in builds]
    else:
        rows = [(name, [binary, "review", "--no-cache", "--exit-zero"] + flags + [args.project], args.runs)
                for name, binary in builds]
    if args.ruff:
        ruff = os.path.join(corpora.tools_venv(), "ruff")
        rows.append(("ruff", [ruff, "check", "--no-cache", "--select", "S", "--exit-zero", "--quiet", args.project],
                     args.runs))
    result = interleaved(rows, tree, args.runs)
    for (name, *_), (_, binary) in zip(rows, builds + (("ruff", "ruff"),)):
        cpu, wall, rss = result[name]
        show(f"{name} ({os.path.basename(binary)})", (cpu, wall, int(rss)))
    (new_cpu, new_wall, new_rss), (old_cpu, old_wall, old_rss) = result["new"], result["old"]
    print(f"new / old: cpu {new_cpu / old_cpu:.2f}x, wall {new_wall / old_wall:.2f}x, rss {new_rss / old_rss:.2f}x")
    if args.ruff:
        ruff_cpu, ruff_wall, _ = result["ruff"]
        for name in ("new", "old"):
            cpu, wall, _ = result[name]
            print(f"{name} / ruff: cpu {cpu / ruff_cpu:.2f}x, wall {wall / ruff_wall:.2f}x (targets <= 1.5x)")


if __name__ == "__main__":
    main()
