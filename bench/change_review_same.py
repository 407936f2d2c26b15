#!/usr/bin/env python3
"""Checks that a change review reports, on the changed files, exactly what a
whole-tree review reports on them: the change review's project pass covers
only what the changed files import, and must lose nothing by it.

    python3 bench/change_review_same.py [--vigil target/release/vigil]
                                        [--projects nova,neutron,cinder,glance]
                                        [--sets 12] [--seed 1] [--warm] [--again]

For each project, a git checkout of its sdist (bench/corpora) is made in a
temporary folder. Each trial picks a random set of its Python files (1 to
40, tests left out as the default review does), commits the tree without
them, then with them (half the trials among the files with dataflow
findings), and runs `vigil review --select ALL --diff HEAD~1`:
every line of those files is changed, so the review reports all their
findings. They must be the findings the whole-tree review of the same tree
gives for those files, byte for byte (JSON). With `--warm`, each parent is
reviewed first with the cache, and the change review uses what it left
(the dataflow memo of `flow/memo.rs`). With `--again`, the change is
reviewed a second time with the cache the first change review left (every
reported file's dataflow findings are there, and the project pass does not
run), and must give the same findings too. Prints one line per trial and
exits 1 on any difference.
"""
import argparse
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from change_review_speed import checkouts, git, python_files  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def findings(vigil, cwd, args, cache=False):
    flags = [] if cache else ["--no-cache"]
    out = subprocess.run([vigil, "review", "--select", "ALL", *flags, "--exit-zero",
                          "--format", "json", *args], cwd=cwd, capture_output=True, check=True)
    return json.loads(out.stdout)["findings"]


def by_file(found):
    out = {}
    for f in found:
        out.setdefault(f["path"], []).append(json.dumps(f, sort_keys=True))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--projects", default="nova,neutron,cinder,glance")
    parser.add_argument("--sets", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm", action="store_true",
                        help="review each parent first and the change with the cache it left "
                             "(the dataflow memo answers for what did not change)")
    parser.add_argument("--again", action="store_true",
                        help="review each change a second time with the cache the first left")
    args = parser.parse_args()
    vigil = os.path.abspath(args.vigil)
    rng = random.Random(args.seed)
    differ = False
    for project, checkout in checkouts(args.projects):
        whole = by_file(findings(vigil, checkout, [project]))
        files = python_files(checkout, project)
        # Half the trials pick among the files with dataflow findings,
        # the ones a restricted pass could lose.
        flowing = sorted(p for p, fs in whole.items() if any('"rule_id": "T' in f for f in fs))
        for trial in range(args.sets):
            pool = flowing if trial % 2 and flowing else files
            chosen = rng.sample(pool, min(len(pool), rng.choice([1, 2, 5, 10, 40])))
            git(checkout, "checkout", "-q", "--detach", "HEAD")
            git(checkout, "rm", "-q", "--cached", *chosen)
            git(checkout, "commit", "-q", "-m", "without")
            git(checkout, "add", *chosen)
            git(checkout, "commit", "-q", "-m", "with")
            if args.warm:
                git(checkout, "checkout", "-q", "HEAD~1")
                findings(vigil, checkout, [project], cache=True)
                git(checkout, "checkout", "-q", "-")
            cached = args.warm or args.again
            change = by_file(findings(vigil, checkout, ["--diff", "HEAD~1", project], cache=cached))
            expected = {p: whole[p] for p in chosen if p in whole}
            same = change == expected
            if args.again:
                again = by_file(findings(vigil, checkout, ["--diff", "HEAD~1", project], cache=True))
                same &= again == expected
            differ |= not same
            count = sum(len(v) for v in expected.values())
            flows = sum(1 for v in expected.values() for f in v if '"rule_id": "T' in f)
            print(f"{project:8} trial {trial:2}: {len(chosen):2} files, {count:3} findings "
                  f"({flows:3} dataflow)  "
                  f"{'same' if same else 'DIFFERENT'}")
            if not same:
                for p in sorted(set(change) | set(expected)):
                    if change.get(p) != expected.get(p):
                        print(f"    {p}: change review {len(change.get(p, []))}, "
                              f"whole tree {len(expected.get(p, []))}")
            git(checkout, "checkout", "-q", "HEAD~2")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
