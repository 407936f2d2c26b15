#!/usr/bin/env python3
"""Findings on historic snapshots of OpenStack trees, for rules that are quiet
on current code: the distinct findings over several snapshots, to triage.

    python3 bench/history_findings.py [--select R3,R4,R6 | --select DEFAULT] [--vigil target/release/vigil]
                                      [--snapshots cinder@2014-06-30,swift@2019-06-30,...]

Each snapshot is the last commit of the project's default branch before the
date, exported with `git archive` from the bare mirror the search tool's
`fetch` made (github:openstack/cinder -> /work/.mirror/openstack+cinder/repo)
into bench/corpora/history/<project>-<date>/ (ignored). Nova is never used:
its history is held out. Test code is left out. A finding is counted once
per (project, path, rule, first quoted line) over all snapshots, so code
unchanged between snapshots is not counted twice. `--select DEFAULT` (or an
empty value) runs vigil without `--select`: the rules that are on by default.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT = ",".join(
    f"{p}@{d}"
    for d in ("2014-06-30", "2016-09-30", "2019-06-30")
    for p in ("cinder", "glance", "neutron", "swift")
) + ",swift@2022-06-30"


def snapshot(mirror_root, project, date):
    gd = os.path.join(mirror_root, f"openstack+{project}", "repo")
    if not os.path.isdir(gd):
        sys.exit(f"{gd}: not fetched (fetch github:openstack/{project} first)")
    commit = subprocess.run(["git", "--git-dir", gd, "rev-list", "-1", f"--before={date}", "HEAD"],
                            capture_output=True, text=True, check=True).stdout.strip()
    folder = os.path.join(corpora.CORPORA, "history", f"{project}-{date}")
    if not os.path.isdir(folder):
        os.makedirs(folder)
        archive = subprocess.run(["git", "--git-dir", gd, "archive", commit], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
    return folder, commit


def review_command(vigil, select, target):
    """vigil's JSON review of `target`; an empty or DEFAULT selection passes no
    --select, so the rules on by default run. --isolated: no configuration
    file found above the corpus can change the selection."""
    cmd = [os.path.abspath(vigil), "review", "--isolated", "--format", "json", "--exit-zero"]
    if select and select.upper() != "DEFAULT":
        cmd += ["--select", select]
    return cmd + [target]


def count_lines(folder, package):
    lines = 0
    for d, _, files in os.walk(os.path.join(folder, package)):
        for f in files:
            path = os.path.join(d, f)
            if f.endswith(".py") and not corpora.is_test_path(os.path.relpath(path, folder)):
                lines += sum(1 for _ in open(path, errors="replace"))
    return lines


def finding_key(project, f):
    """What makes two findings the same line of code: project, path, rule and
    the first quoted line, white space stripped."""
    code = f["snippet"][0]["text"].strip() if f["snippet"] else ""
    return (project, f["path"], f["rule_id"], code)


def history_findings(vigil, select, snapshots=DEFAULT, mirror_root="/work/.mirror", seen=None):
    """(lines, findings): the non-test lines of every snapshot, and each
    distinct non-test finding (first snapshot that has it), with `project`,
    `snapshot` (the date), `folder` and `commit` added. Keys already in `seen`
    are skipped, and every key returned is added to it."""
    seen = set() if seen is None else seen
    lines = 0
    rows = []
    for spec in snapshots.split(","):
        project, date = spec.split("@")
        if project == "nova":
            sys.exit("nova's history is held out")
        folder, commit = snapshot(mirror_root, project, date)
        lines += count_lines(folder, project)
        out = subprocess.run(review_command(vigil, select, project), cwd=folder, capture_output=True, text=True)
        for f in json.loads(out.stdout)["findings"]:
            if corpora.is_test_path(f["path"]):
                continue
            key = finding_key(project, f)
            if key in seen:
                continue
            seen.add(key)
            f.update(project=project, snapshot=date, folder=folder, commit=commit)
            rows.append(f)
    return lines, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", default="R3,R4,R6", help="vigil --select value; DEFAULT or '': the default rules")
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--snapshots", default=DEFAULT)
    parser.add_argument("--mirror-root", default="/work/.mirror")
    args = parser.parse_args()

    lines, rows = history_findings(args.vigil, args.select, args.snapshots, args.mirror_root)
    per_rule = collections.Counter(f["rule_id"] for f in rows)
    print(f"{lines} lines of non-test code over all snapshots; distinct findings: "
          + ", ".join(f"{r} {n}" for r, n in sorted(per_rule.items())))
    print("\n".join(f"{f['project']}@{f['snapshot']} ({f['commit'][:10]}) {f['path']}:{f['line']} {f['rule_id']} "
                    f"{f['message']}" for f in rows))


if __name__ == "__main__":
    main()
