#!/usr/bin/env python3
"""Change reviews of real commits: the last N commits of a project's history
that change its Python code, each reviewed as a reviewer would meet it.

    python3 bench/change_review_history.py [--project cinder] [--commits 20]
                                           [--vigil target/release/vigil]

The project's git mirror (`fetch` github:openstack/cinder, kept in
/work/.mirror/openstack+cinder/repo, or --mirror-root) is cloned into a
temporary folder. For each commit: its parent is reviewed whole with the
cache, then `vigil review --diff HEAD~1` runs on the commit from that cache
(the CI job or editor that reviewed the parent), and once without any
cache; the whole tree is reviewed once without a cache for the ratio. Prints
one line per commit and the medians. With `--reference OLD`, each change
review's output (from the parent's cache, and without a cache) must also be
OLD's without a cache, byte for byte. Only cinder, glance, neutron and swift
(the dev projects) are measured here.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed import sample  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="cinder", choices=["cinder", "glance", "neutron", "swift"])
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--mirror-root", default="/work/.mirror")
    parser.add_argument("--reference", help="also check that each change review prints what this "
                        "build's does without a cache (e.g. a build from before a change to the engine)")
    args = parser.parse_args()
    vigil = os.path.abspath(args.vigil)
    mirror = os.path.join(args.mirror_root, f"openstack+{args.project}", "repo")
    if not os.path.isdir(mirror):
        sys.exit(f"no mirror of {args.project} at {mirror}: fetch github:openstack/{args.project} first")
    with tempfile.TemporaryDirectory() as work:
        checkout = os.path.join(work, args.project)
        subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", mirror, checkout], check=True)
        commits = git(checkout, "log", "--no-merges", "--format=%H", f"-{args.commits}", "HEAD", "--",
                      f"{args.project}/*.py").split()
        review = [vigil, "review", "--exit-zero", "--format", "json"]
        cache = os.path.join(checkout, ".vigil_cache")
        rows = []
        differ = False
        for commit in commits:
            git(checkout, "checkout", "-q", "-f", f"{commit}~1")
            shutil.rmtree(cache, ignore_errors=True)
            subprocess.run(review + [args.project], cwd=checkout, stdout=subprocess.DEVNULL, check=True)
            git(checkout, "checkout", "-q", "-f", commit)
            changed = [p for p in git(checkout, "diff", "--name-only", "HEAD~1", "HEAD").split()
                       if p.endswith(".py") and p.startswith(args.project + "/")]
            change = ["--diff", "HEAD~1", args.project]
            if args.reference:
                saved = os.path.join(work, "parent-cache")
                shutil.rmtree(saved, ignore_errors=True)
                shutil.copytree(cache, saved)
                outputs = [output(review + change, checkout), output(review + ["--no-cache"] + change, checkout),
                           output([os.path.abspath(args.reference)] + review[1:] + ["--no-cache"] + change,
                                  checkout)]
                same = outputs[0] == outputs[1] == outputs[2]
                differ |= not same
                shutil.rmtree(cache)
                shutil.copytree(saved, cache)
            warm = sample(review + change, checkout)
            shutil.rmtree(cache, ignore_errors=True)
            cold = sample(review + ["--no-cache"] + change, checkout)
            whole = sample(review + ["--no-cache", args.project], checkout)
            # /usr/bin/time counts in hundredths: a review of nothing reads 0.
            rows.append((whole[0] / max(warm[0], 0.01), whole[0] / max(cold[0], 0.01)))
            print(f"{commit[:10]} {len(changed):3} files  whole {whole[0]:5.2f} s  "
                  f"change from the parent's cache {warm[0]:5.2f} s ({rows[-1][0]:4.1f}x)  "
                  f"without cache {cold[0]:5.2f} s ({rows[-1][1]:4.1f}x)"
                  + (f"  {'same' if same else 'DIFFERENT'} output" if args.reference else ""))
        print(f"median over {len(rows)} commits: {statistics.median(r[0] for r in rows):.1f}x less CPU than "
              f"the whole tree from the parent's cache, {statistics.median(r[1] for r in rows):.1f}x without")
    sys.exit(1 if differ else 0)


def output(cmd, cwd):
    """What a run prints (JSON), with the exit code."""
    out = subprocess.run(cmd, cwd=cwd, capture_output=True)
    return out.returncode, out.stdout


if __name__ == "__main__":
    main()
