#!/usr/bin/env python3
"""Turn compact mined rows (bench/devset/mined/*.txt) into devset JSONL rows.

    python3 bench/devset_rows.py --show bench/devset/mined/rows-2.txt   # print each row's parent lines
    python3 bench/devset_rows.py bench/devset/mined/rows-2.txt          # append rows to bench/devset/<class>.jsonl

One line per row, `#` starts a comment:
    <repo> <fix sha (abbreviated is fine)> <file> <first> <last> <class> <CWE-n> <rules|-> | <summary>
`repo` is cinder, glance, neutron or swift (the bare mirror /work/.mirror/openstack+<repo>/repo).
The script resolves the full fix sha and its parent, checks that the file exists in the parent
and that the lines are inside it, takes `evidence` from the commit (subject; bug numbers, CVE and
OSSA ids of the message) and fixes `split` from the sha: held when int(sha[:8], 16) is odd, so
the rows of one commit stay together and nobody chooses a row's split.
Appending twice duplicates rows: regenerate from the committed JSONL of the previous step.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = {"exposure": "exposure.jsonl", "timing": "timing.jsonl", "dos": "dos.jsonl",
         "lock": "lock.jsonl", "leak": "leaks.jsonl", "image": "image.jsonl",
         "authz": "authz.jsonl", "race": "races.jsonl"}


def git(gd, *args):
    return subprocess.run(["git", "--git-dir", gd, *args], capture_output=True, text=True)


def split_of(sha):
    return "held" if int(sha[:8], 16) % 2 else "design"


def rows_of(path, mirror_root):
    seen = set()
    for n, line in enumerate(open(path), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, summary = line.split("|", 1)
        parts = head.split()
        repo, sha, file, lo, hi, cls, cwe = parts[:7]
        rules = [] if len(parts) < 8 or parts[7] == "-" else parts[7].split(",")
        gd = os.path.join(mirror_root, f"openstack+{repo}", "repo")
        full = git(gd, "rev-parse", sha + "^{commit}").stdout.strip()
        parent = git(gd, "rev-parse", full + "^").stdout.strip()
        if not full or not parent:
            sys.exit(f"{path}:{n}: cannot resolve {sha} in {gd}")
        msg = git(gd, "log", "-1", "--format=%s%n%b", full).stdout
        bugs = sorted(set(re.findall(r"(?i)(?:bug[:#\s/-]*|bug/)(\d{6,8})", msg)))
        ids = sorted(set(re.findall(r"CVE-\d{4}-\d+|OSSA[- ]\d{4}-\d+", msg)))
        evidence = msg.splitlines()[0] + "".join(f"; bug {b}" for b in bugs) + "".join(f"; {i}" for i in ids)
        src = git(gd, "show", f"{parent}:{file}")
        if src.returncode:
            sys.exit(f"{path}:{n}: {file} is not in {parent}")
        text = src.stdout.splitlines()
        lo, hi = int(lo), int(hi)
        if not 1 <= lo <= hi <= len(text):
            sys.exit(f"{path}:{n}: lines {lo}-{hi} are outside {file} ({len(text)} lines)")
        if (full, file, lo, hi) in seen:
            sys.exit(f"{path}:{n}: duplicate row")
        seen.add((full, file, lo, hi))
        row = {"repo": f"openstack/{repo}", "commit": full, "parent": parent, "file": file,
               "lines": [lo, hi], "class": cls, "cwe": cwe, "rules": rules,
               "summary": summary.strip(), "evidence": evidence, "split": split_of(full)}
        yield n, row, text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows")
    parser.add_argument("--show", action="store_true", help="print the rows' parent lines, write nothing")
    parser.add_argument("--mirror-root", default="/work/.mirror")
    parser.add_argument("--out", default=os.path.join(HERE, "devset"))
    args = parser.parse_args()
    out = collections.defaultdict(list)
    for n, row, text in rows_of(args.rows, args.mirror_root):
        if args.show:
            lo, hi = row["lines"]
            print(f"--- {n}: {row['repo']} {row['commit'][:10]} {row['file']}:{lo}-{hi} "
                  f"{row['class']} [{row['split']}] {row['summary']}")
            for i in range(lo, hi + 1):
                print(f"  {i:5} {text[i - 1]}")
        out[row["class"]].append(row)
    if not args.show:
        for cls, rows in out.items():
            with open(os.path.join(args.out, FILES[cls]), "a") as f:
                for r in rows:
                    f.write(json.dumps(r) + "\n")
        print({c: len(r) for c, r in out.items()})


if __name__ == "__main__":
    main()
