#!/usr/bin/env python3
"""Checks that the dataflow memo never changes a result when modules are
edited: the memo answers for a whole module only while its text is the
same, and for single functions of an edited module (`flow/fn_memo.rs`)
while each one's text, place and everything it looked up are the same.

    python3 bench/memo_edits_same.py [--vigil target/release/vigil]
                                     [--projects nova,neutron,cinder,glance]
                                     [--trials 8] [--seed 1]

For each project, a git checkout of its sdist (bench/corpora) is made in a
temporary folder. Each trial edits a random set of modules (1 to 20, tests
left out) in one of these ways, chosen from the module's own syntax tree:

- `append`: a function added at the end (nothing else moves);
- `rebind`: a module-level name assigned again at the end (`NAME = None`):
  the functions that read it see another value, the others are unchanged;
- `insert`: a statement added at the top of a function's body (that
  function changes and every line below it moves);
- `return`: a function made to return its first parameter first (its
  summary changes, and with it what its callers in the module compute).

The parent commit is reviewed with the cache, then the edited tree with
the cache the parent left and without any cache (`--select ALL --format
json`, the whole tree): both must print the same bytes. Then the same
modules are edited again the same way (another function, another name)
and reviewed with the cache the first edit's review left, and without:
an edited module keeps its functions' records, so this second review is
where most of the function memo's answers are. The review with
the cache runs with `VIGIL_FN_MEMO_CHECK=1`: every function the memo
answers for is analysed anyway, and any difference in its summary,
findings, dependencies or lookups is an error (few edits change a finding
that shows; this checks every answer). Prints one line per trial and exits
1 on any difference.
"""
import argparse
import ast
import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from change_review_speed import checkouts, git, python_files  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EDITS = ["append", "rebind", "insert", "return"]


def review(vigil, cwd, project, cache, check=False):
    """The review's JSON, the functions whose memo answer differed from
    their analysis, and how many the memo answered for (with `check`:
    `VIGIL_FN_MEMO_CHECK`)."""
    flags = [] if cache else ["--no-cache"]
    env = dict(os.environ, VIGIL_FN_MEMO_CHECK="1", VIGIL_FLOW_DEBUG="1") if check else None
    out = subprocess.run([vigil, "review", "--select", "ALL", *flags, "--exit-zero", "--format", "json",
                          project], cwd=cwd, capture_output=True, check=True, env=env)
    stderr = out.stderr.decode()
    wrong = [line for line in stderr.splitlines() if "function memo:" in line]
    answered = re.search(r"\((\d+) functions of them", stderr)
    return out.stdout, wrong, int(answered.group(1)) if answered else 0


def functions(tree):
    """Functions and methods with a body that starts on its own line."""
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body and n.body[0].lineno > n.lineno]


def edited(text, edit, rng):
    """The module's text with one edit of kind `edit`, or None if the module
    has nothing to edit that way."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    if edit == "append":
        return text + "\n\ndef _bench_added(value):\n    return str(value)\n"
    if edit == "rebind":
        names = sorted({t.id for n in tree.body if isinstance(n, ast.Assign)
                        for t in n.targets if isinstance(t, ast.Name)})
        return text + f"\n{rng.choice(names)} = None\n" if names else None
    candidates = functions(tree)
    if edit == "return":
        candidates = [f for f in candidates if f.args.args]
    if not candidates:
        return None
    func = rng.choice(candidates)
    first = func.body[0]
    lines = text.splitlines(keepends=True)
    indent = " " * first.col_offset
    if edit == "insert":
        line = f"{indent}_bench_inserted = None\n"
    else:
        line = f"{indent}return {func.args.args[0].arg}\n"
    lines.insert(first.lineno - 1, line)
    return "".join(lines)


def edit_modules(checkout, paths, edit, rng, count):
    """Edits the first `count` of `paths` that have something to edit the
    way `edit` says; returns those it edited."""
    changed = []
    for path in paths:
        if len(changed) == count:
            break
        full = os.path.join(checkout, path)
        with open(full, encoding="utf-8") as f:
            text = edited(f.read(), edit, rng)
        if text is not None:
            with open(full, "w", encoding="utf-8") as f:
                f.write(text)
            changed.append(path)
    return changed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--projects", default="nova,neutron,cinder,glance")
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    vigil = os.path.abspath(args.vigil)
    rng = random.Random(args.seed)
    differ = False
    for project, checkout in checkouts(args.projects):
        modules = python_files(checkout, project)
        cache = os.path.join(checkout, ".vigil_cache")
        for trial in range(args.trials):
            edit = EDITS[trial % len(EDITS)]
            count = rng.choice([1, 3, 20])
            # The parent's review fills the cache.
            shutil.rmtree(cache, ignore_errors=True)
            review(vigil, checkout, project, cache=True)
            paths = rng.sample(modules, len(modules))
            for round_ in (1, 2):
                paths = edit_modules(checkout, paths, edit, rng, count)
                warm, wrong, answered = review(vigil, checkout, project, cache=True, check=True)
                cold, _, _ = review(vigil, checkout, project, cache=False)
                same = warm == cold and not wrong
                differ |= not same
                print(f"{project:8} trial {trial:2} edit {round_}: {edit:6} in {len(paths):2} modules, "
                      f"{answered:4} functions from the memo  {'same' if same else 'DIFFERENT'}")
                for line in wrong[:10]:
                    print(f"    {line}")
            git(checkout, "checkout", "-q", "--", ".")
        shutil.rmtree(cache, ignore_errors=True)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
