#!/usr/bin/env python3
"""Recall on the development set of real security fixes mined from OpenStack
history (bench/devset/*.jsonl; Nova is held out and never mined).

    python3 bench/devset_recall.py [--vigil PATH] [--rules default|all|row]
                                   [--split design|held|all] [--tree] [--new-only]
                                   [--class CLASS] [-v]

Each row names a fix commit and the lines of the defect in the fix's PARENT:
  {"repo": "openstack/neutron", "commit": "<fix sha>", "parent": "<parent sha>",
   "file": "neutron/agent/linux/utils.py", "lines": [120, 135], "class": "race",
   "cwe": "CWE-367", "rules": ["R101"], "summary": "one line on the defect",
   "evidence": "commit subject; bug 1234567", "split": "design"}
(`cwe` and `evidence` are on the rows mined for issues #11 and #12; older rows lack them.)
The repository must have been fetched (the search tool's `fetch`,
github:openstack/neutron) into /work/.mirror/<owner>+<name>/repo, or name its git
directory with --mirror-root.

What is reviewed (`--rules`):
  default  the default review, no --select: what a user gets (the default);
  all      --select ALL: every rule, those off by default too;
  row      --select the rules the row names (its `rules`, or the class's rules in
           CLASS_RULES when it names none): the rules written for the row.
A row counts as found when a finding of its class (CLASS_RULES: rule id prefixes
and CWEs) starts or ends within `lines`; in `row` mode any finding of the
selected rules counts, as it always did.

What is read (`--tree`): by default the parent's version of the row's file alone
goes to vigil on standard input, so cross-module dataflow sees nothing else.
With --tree the parent's whole top-level package (non-test .py files only) is
exported once per parent with `git archive` into bench/corpora/devset-trees/<sha>/
(kept as a cache), reviewed as a tree, and the findings of the row's file are kept.

`split` is fixed by the fix commit (held when int(sha[:8], 16) is odd): design rows
are the ones rules may be designed on; held rows measure recall on defects the
designer has not looked at. --split picks the rows; the table always shows each
split present apart, and their sum.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tarfile
import io

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TREES = os.path.join(HERE, "corpora", "devset-trees")

# Which findings belong to each class of defect: rule id prefixes (a family
# prefix such as "R2" takes the whole family) and CWE numbers. A finding of a
# class counts for a row of that class whatever rule raised it, so a new rule
# that reports one of these CWEs counts without editing this table. CWE-20 is
# left out of validation on purpose: the banned-XML-parser rules (S313-S319)
# carry it, and they say nothing about request validation. T117 (log
# injection, CWE-117) is not exposure: it is about forged log lines, not
# secrets reaching a log.
CLASS_RULES = {
    "authz": (("R8",), {285, 639, 862, 863}),
    "dos": (("R301", "R302", "R303", "R304", "R307", "R308", "S113"),
            {400, 674, 770, 789, 835, 1088, 1333}),
    "exposure": (("R401", "R402", "R403", "R404", "R405", "T209", "T532", "S109"),
                 {200, 203, 209, 312, 359, 532}),
    "image": (("T843", "T770", "R302", "R7"), {610, 843}),
    "leak": (("R2",), {403, 404, 459, 772, 775}),
    "lock": (("R104", "R105", "R106", "R111"), {667}),
    "permission": (("R5", "S103", "S108"), {276, 732}),
    "race": (("R1",), {362, 367}),
    "temp-file": (("R103", "R202", "R505", "S108", "S306"), {377}),
    "timing": ((), {208}),  # no rule yet
    "validation": (("R6", "R305", "R306"), {1287}),
}


def git_dir(mirror_root, repo):
    return os.path.join(mirror_root, repo.replace("/", "+"), "repo")


def of_class(finding, cls):
    prefixes, cwes = CLASS_RULES.get(cls, ((), set()))
    return finding["rule_id"].startswith(prefixes) or finding.get("cwe") in cwes


def select_args(mode, row):
    """The --select arguments for a review in `mode`, or None when `row` mode
    has no rule to select (the row cannot be found)."""
    if mode == "default":
        return []
    if mode == "all":
        return ["--select", "ALL"]
    rules = row.get("rules") or list(CLASS_RULES.get(row["class"], ((), set()))[0])
    return ["--select", ",".join(rules)] if rules else None


def review(vigil, args, cwd=None, stdin=None):
    out = subprocess.run([vigil, "review", "--format", "json", "--exit-zero"] + args,
                         input=stdin, capture_output=True, cwd=cwd)
    if out.returncode != 0:
        sys.exit(f"vigil failed ({out.returncode}): {out.stderr.decode(errors='replace')[:500]}")
    return json.loads(out.stdout)["findings"]


def export_tree(gd, parent, package):
    """The parent's `package` as non-test .py files under TREES/<parent>/,
    exported once and kept."""
    dest = os.path.join(TREES, parent)
    done = os.path.join(dest, f".{package}.done")
    if not os.path.exists(done):
        os.makedirs(dest, exist_ok=True)
        tar = subprocess.run(["git", "--git-dir", gd, "archive", "--format=tar", parent, package],
                             capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            members = [m for m in archive.getmembers()
                       if m.isfile() and m.name.endswith(".py") and "/tests/" not in m.name]
            archive.extractall(dest, members=members, filter="data")
        open(done, "w").close()
    return dest


class Reviewer:
    """Runs vigil once per (parent, file or package, selection) and keeps the answer."""

    def __init__(self, args):
        self.args = args
        self.cache = {}

    def findings(self, row, gd, select):
        a = self.args
        if a.tree:
            package = row["file"].split("/", 1)[0]
            key = (row["parent"], package, tuple(select))
            if key not in self.cache:
                dest = export_tree(gd, row["parent"], package)
                self.cache[key] = review(a.vigil, select + [package], cwd=dest)
            return [f for f in self.cache[key] if f["path"] == row["file"]]
        key = (row["parent"], row["file"], tuple(select))
        if key not in self.cache:
            show = subprocess.run(["git", "--git-dir", gd, "show", f"{row['parent']}:{row['file']}"],
                                  capture_output=True)
            if show.returncode != 0:
                return None
            self.cache[key] = review(a.vigil, select + ["-"], stdin=show.stdout)
        return self.cache[key]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--mirror-root", default="/work/.mirror")
    parser.add_argument("--rules", choices=("default", "all", "row"), default="default")
    parser.add_argument("--split", choices=("design", "held", "all"), default="all")
    parser.add_argument("--tree", action="store_true",
                        help="review the parent's whole package, not the file alone")
    parser.add_argument("--class", dest="classes", action="append",
                        help="only rows of this class (repeatable)")
    parser.add_argument("--new-only", action="store_true",
                        help="only the rows mined for issues #11 and #12 (those with `evidence`)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list found rows too")
    args = parser.parse_args()

    reviewer = Reviewer(args)
    found = collections.Counter()
    total = collections.Counter()
    missing_repos = set()
    for path in sorted(glob.glob(os.path.join(HERE, "devset", "*.jsonl"))):
        for number, line in enumerate(open(path), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            split = row.get("split", "design")
            if args.split != "all" and split != args.split:
                continue
            if args.classes and row["class"] not in args.classes:
                continue
            if args.new_only and "evidence" not in row:
                continue
            gd = git_dir(args.mirror_root, row["repo"])
            if not os.path.isdir(gd):
                missing_repos.add(row["repo"])
                continue
            select = select_args(args.rules, row)
            lo, hi = row["lines"]
            hit = False
            if select is not None:
                findings = reviewer.findings(row, gd, select)
                if findings is None:
                    print(f"{os.path.basename(path)}:{number}: cannot read {row['file']} at "
                          f"{row['parent']}", file=sys.stderr)
                    continue
                hit = any((lo <= f["line"] <= hi or lo <= f["end_line"] <= hi)
                          and (args.rules == "row" or of_class(f, row["class"]))
                          for f in findings)
            total[row["class"], split] += 1
            found[row["class"], split] += hit
            if args.verbose or not hit:
                print(f"{'FOUND' if hit else 'MISS '} {row['class']:10} {split:6} "
                      f"{row['repo']}@{row['commit'][:10]} {row['file']}:{lo}-{hi} {row['summary']}")
    for repo in sorted(missing_repos):
        print(f"not fetched: {repo} (fetch github:{repo} first)", file=sys.stderr)

    splits = sorted({s for _, s in total})
    print(f"\nrecall, --rules {args.rules}, {'--tree' if args.tree else 'single file'}")
    print(f"{'class':12}" + "".join(f"{s:>16}" for s in splits + ["all"]))
    for cls in sorted({c for c, _ in total}) + ["overall"]:
        cells = []
        for s in splits + ["all"]:
            keys = [k for k in total if (cls == "overall" or k[0] == cls) and (s == "all" or k[1] == s)]
            t = sum(total[k] for k in keys)
            f = sum(found[k] for k in keys)
            cells.append(f"{f}/{t} ({f / t:.0%})" if t else "-")
        print(f"{cls:12}" + "".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
