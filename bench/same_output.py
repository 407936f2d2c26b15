#!/usr/bin/env python3
"""Checks that two vigil binaries give byte-identical reviews on the corpora:
every engine optimisation must leave the output unchanged.

    python3 bench/same_output.py NEW --reference OLD [--only nova,glance]
    python3 bench/same_output.py NEW --save DIR     # keep NEW's outputs (a reference for later)
    python3 bench/same_output.py NEW --against DIR  # compare with outputs kept before
    python3 bench/same_output.py NEW --memo         # NEW with its cache and without

`--memo` checks that the cache never changes a result on real trees: each
run without the cache, then with an empty cache (which fills it), then
with only the dataflow memo left (the per-file results removed, so that
the project pass runs and its memo answers) must print the same bytes.

For each tree (nova, neutron, cinder, glance from bench/corpora, and the
OWASP BenchmarkPython checkout in bench/corpora/owasp) it runs
`review --select ALL --format json`, `review --select ALL --include-tests
--format json` and the default text review, and compares standard output
and exit codes. Prints one line per run and exits 1 on any difference.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

TREES = ["nova", "neutron", "cinder", "glance", "owasp"]
RUNS = {
    "all-json": ["--select", "ALL", "--format", "json"],
    "all-tests-json": ["--select", "ALL", "--include-tests", "--format", "json"],
    "default-text": [],
}


def tree_path(name):
    if name == "owasp":
        return os.path.join(corpora.CORPORA, "owasp")
    return os.path.join(corpora.sdist(name, corpora.OPENSTACK[name]), name)


def run(binary, name, flags, extra):
    path = tree_path(name)
    cmd = [os.path.abspath(binary), "review"] + flags + extra + [os.path.basename(path)]
    out = subprocess.run(cmd, cwd=os.path.dirname(path), capture_output=True)
    return out.returncode, out.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new")
    parser.add_argument("--reference", help="the binary whose output NEW must reproduce")
    parser.add_argument("--save", help="write NEW's outputs into this folder")
    parser.add_argument("--against", help="compare with outputs saved in this folder")
    parser.add_argument("--only", help="comma-separated trees (default: all)")
    parser.add_argument("--extra", default="", help="extra flags for NEW only, e.g. --no-cache")
    parser.add_argument("--memo", action="store_true", help="NEW with and without its cache")
    args = parser.parse_args()
    if not (args.reference or args.save or args.against or args.memo):
        parser.error("give --reference OLD, --against DIR, --save DIR or --memo")
    trees = args.only.split(",") if args.only else TREES
    extra = args.extra.split()
    differ = False
    for name in trees:
        for run_name, flags in RUNS.items():
            key = f"{name}.{run_name}"
            if args.memo:
                cache = os.path.join(os.path.dirname(tree_path(name)), ".vigil_cache")
                shutil.rmtree(cache, ignore_errors=True)
                outputs = [run(args.new, name, flags, ["--no-cache"]), run(args.new, name, flags, [])]
                for entry in os.listdir(cache):
                    if entry.startswith("review-"):
                        os.remove(os.path.join(cache, entry))
                outputs.append(run(args.new, name, flags, []))
                shutil.rmtree(cache, ignore_errors=True)
                same = outputs[0] == outputs[1] == outputs[2]
                differ |= not same
                print(f"{key:28} {'same' if same else 'DIFFERENT'} without the cache, filling it, "
                      f"from the memo ({len(outputs[0][1])} bytes)")
                continue
            code, out = run(args.new, name, flags, extra)
            if args.save:
                os.makedirs(args.save, exist_ok=True)
                with open(os.path.join(args.save, key), "wb") as f:
                    f.write(b"%d\n" % code + out)
                print(f"{key:28} saved ({len(out)} bytes, exit {code})")
                continue
            if args.against:
                with open(os.path.join(args.against, key), "rb") as f:
                    saved = f.read()
                ref_code, ref_out = int(saved.split(b"\n", 1)[0]), saved.split(b"\n", 1)[1]
            else:
                ref_code, ref_out = run(args.reference, name, flags, [])
            same = code == ref_code and out == ref_out
            differ |= not same
            digest = hashlib.sha256(out).hexdigest()[:12]
            print(f"{key:28} {'same' if same else 'DIFFERENT'} ({len(out)} bytes, exit {code}, {digest})")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
