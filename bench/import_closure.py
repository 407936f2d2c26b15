#!/usr/bin/env python3
"""How much of a tree a module imports, directly or not: what a change
review would still analyse if the dataflow project pass covered only the
modules the changed files import (issue #13's change-review target).

    python3 bench/import_closure.py [--project nova]

Reads the project's package from its sdist in bench/corpora, leaves test
code out as a default review does, resolves `import a.b` and
`from a import b` to the project's own modules, and prints the median and
quartiles of each module's closure, in modules and in share of lines.
"""
import argparse
import ast
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402


def modules_of(package_dir, package):
    mods = {}
    for d, _, files in os.walk(os.path.join(package_dir, package)):
        rel = os.path.relpath(d, package_dir)
        if "tests" in rel.split(os.sep):
            continue
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(d, f)
                name = os.path.relpath(path, package_dir)[:-3].replace(os.sep, ".")
                mods[name.removesuffix(".__init__")] = path
    return mods


def imports_of(path, mods):
    def known(name):
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name

    try:
        tree = ast.parse(open(path, encoding="utf-8", errors="replace").read())
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(known(a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                full = f"{node.module}.{a.name}"
                found.add(full if full in mods else known(node.module))
    found.discard("")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="nova", choices=sorted(corpora.OPENSTACK))
    args = parser.parse_args()
    tree = corpora.sdist(args.project, corpora.OPENSTACK[args.project])
    mods = modules_of(tree, args.project)
    imports = {m: imports_of(p, mods) - {m} for m, p in mods.items()}
    lines = {m: sum(1 for _ in open(p, encoding="utf-8", errors="replace")) for m, p in mods.items()}
    total = sum(lines.values())

    def closure(m):
        seen, todo = {m}, [m]
        while todo:
            for d in imports[todo.pop()]:
                if d not in seen:
                    seen.add(d)
                    todo.append(d)
        return seen

    closures = [closure(m) for m in mods]
    sizes = sorted(len(c) for c in closures)
    shares = sorted(sum(lines[x] for x in c) / total for c in closures)
    q = len(sizes) // 4
    print(f"{args.project}: {len(mods)} modules, {total:,} lines (tests left out)")
    print(f"modules imported, directly or not: median {statistics.median(sizes):.0f}, "
          f"quartiles {sizes[q]} and {sizes[3 * q]}")
    print(f"share of the lines: median {statistics.median(shares):.0%}, "
          f"quartiles {shares[q]:.0%} and {shares[3 * q]:.0%}")


if __name__ == "__main__":
    main()
