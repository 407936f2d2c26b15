#!/usr/bin/env python3
"""A prototype of an "inconsistently locked attribute" check (issue #12,
class 4), kept to reproduce the numbers that decided against making it a
rule: an attribute of `self` that one method changes under a lock and
another method changes without one.

    python3 bench/lock_attributes.py [--strict] [-v] TREE [TREE ...]

Loose (the default): the attribute is read or written under a lock (a
`with` lock, a lock decorator, or a private method every in-class caller
of which holds one; per-resource lock names do not count) somewhere, and
written without one outside set-up methods. Strict: the locked access is
a read-modify-write (`+=`, a container's `append`/`pop`/...) inside a
`with` lock, and private methods nothing in the class calls are left out
(they may be called under a lock from elsewhere). Prints, per tree, the
attributes found ("A": also written under a lock, "B": only read under
one); `-v` lists them. Test code is left out.
"""

import argparse
import ast
import os

MUT = {
    "append",
    "extend",
    "insert",
    "add",
    "update",
    "pop",
    "popitem",
    "remove",
    "discard",
    "clear",
    "setdefault",
}
SETUP = {
    "__init__",
    "__new__",
    "do_setup",
    "setup",
    "setUp",
    "initialize",
    "__post_init__",
    "__setstate__",
    "start",
    "init_host",
}


def dotted(e):
    if isinstance(e, ast.Name):
        return e.id
    if isinstance(e, ast.Attribute):
        d = dotted(e.value)
        return d and d + "." + e.attr
    return None


def lock_kind(e):
    """None if not a lock; 'const' if a lock guarding instance state; 'var' if a per-resource lock."""
    call = e if isinstance(e, ast.Call) else None
    target = e.func if call else e
    name = dotted(target)
    if not name:
        return None
    last = name.rsplit(".", 1)[-1].lower()
    if not any(k in last for k in ("lock", "synchronized", "mutex", "semaphore")):
        return None
    if call and call.args:
        a = call.args[0]
        if isinstance(a, ast.Constant):
            return "const"
        return "var"
    return "const"


def self_attr(e):
    if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "self":
        return e.attr
    return None


def is_lockish(attr):
    a = attr.lower()
    return any(k in a for k in ("lock", "mutex", "semaphore", "sem"))


class Method(ast.NodeVisitor):
    def __init__(self, fn):
        self.fn = fn
        self.acc = []
        self.calls = []
        self.depth = 0
        self.locked0 = any(lock_kind(d) == "const" for d in fn.decorator_list)
        self.wdepth = 0

    def locked(self):
        return self.depth > 0

    def inwith(self):
        return self.wdepth > 0

    def visit_FunctionDef(self, n):
        pass  # nested functions: skip

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, n):
        pass

    def visit_ClassDef(self, n):
        pass

    def visit_With(self, n):
        k = [lock_kind(i.context_expr) for i in n.items]
        for i in n.items:
            self.visit(i.context_expr)
        inc = any(x == "const" for x in k)
        self.depth += inc
        self.wdepth += inc
        for st in n.body:
            self.visit(st)
        self.depth -= inc
        self.wdepth -= inc

    visit_AsyncWith = visit_With

    def write(self, target, line):
        a = self_attr(target)
        if a:
            self.acc.append((a, "w", line, self.locked(), self.inwith(), False))
            return True
        if isinstance(target, ast.Subscript):
            a = self_attr(target.value)
            if a:
                self.acc.append((a, "w", line, self.locked(), self.inwith(), False))
                self.visit(target.slice)
                return True
            return self.write(target.value, line) or False
        if isinstance(target, (ast.Tuple, ast.List)):
            for e in target.elts:
                if not self.write(e, line):
                    self.visit(e)
            return True
        return False

    def visit_Assign(self, n):
        for t in n.targets:
            if not self.write(t, n.lineno):
                self.visit(t)
        self.visit(n.value)

    def visit_AugAssign(self, n):
        k = len(self.acc)
        if not self.write(n.target, n.lineno):
            self.visit(n.target)
        self.acc[k:] = [(x[0], x[1], x[2], x[3], x[4], True) for x in self.acc[k:]]
        self.visit(n.value)

    def visit_AnnAssign(self, n):
        if n.value is not None:
            if not self.write(n.target, n.lineno):
                self.visit(n.target)
            self.visit(n.value)

    def visit_Delete(self, n):
        for t in n.targets:
            if not self.write(t, n.lineno):
                self.visit(t)

    def visit_Call(self, n):
        f = n.func
        if isinstance(f, ast.Attribute):
            base = f.value
            if f.attr in MUT:
                a = self_attr(base) or (isinstance(base, ast.Subscript) and self_attr(base.value))
                if a:
                    self.acc.append((a, "m", n.lineno, self.locked(), self.inwith(), True))
                    for x in n.args:
                        self.visit(x)
                    for k in n.keywords:
                        self.visit(k.value)
                    if isinstance(base, ast.Subscript):
                        self.visit(base.slice)
                    return
            if isinstance(base, ast.Name) and base.id == "self":
                self.calls.append((f.attr, self.locked(), n.lineno))
                for a in n.args:
                    self.visit(a)
                for k in n.keywords:
                    self.visit(k.value)
                return
        self.generic_visit(n)

    def visit_Attribute(self, n):
        a = self_attr(n)
        if a:
            self.acc.append((a, "r", n.lineno, self.locked(), self.inwith(), False))
        else:
            self.generic_visit(n)


def analyse_class(cls, path, out, strict):
    methods = {}
    for st in cls.body:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(dotted(d) in ("staticmethod", "classmethod") for d in st.decorator_list):
                continue
            m = Method(st)
            m.depth = 1 if m.locked0 else 0
            for b in st.body:
                m.visit(b)
            methods[st.name] = m
    if not methods:
        return
    callers = {}
    for name, m in methods.items():
        for c, held, line in m.calls:
            if c in methods:
                callers.setdefault(c, []).append((name, held))
    # context: 'locked' / 'setup' fixpoint for private methods with callers
    locked = {n for n, m in methods.items() if m.locked0}
    setup = set(SETUP) & set(methods)

    def private(n):
        return n.startswith("_") and not n.endswith("__")

    cand = {n for n in methods if private(n) and n in callers}
    changed = True
    lk = {n for n in cand}
    st_ = {n for n in cand}
    while changed:
        changed = False
        for n in list(lk):
            if not all(held or c in locked or c in lk for c, held in callers[n]):
                lk.discard(n)
                changed = True
        for n in list(st_):
            if not all(c in setup or c in st_ for c, held in callers[n]):
                st_.discard(n)
                changed = True
    locked |= lk
    setup |= st_
    containers = set()
    CT = (
        "dict",
        "set",
        "list",
        "defaultdict",
        "OrderedDict",
        "deque",
        "Counter",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.deque",
        "collections.Counter",
    )
    for n, m in methods.items():
        for node in ast.walk(m.fn):
            if isinstance(node, ast.Assign):
                v = node.value
                if isinstance(v, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)) or (
                    isinstance(v, ast.Call) and dotted(v.func) in CT
                ):
                    for t in node.targets:
                        a = self_attr(t)
                        if a:
                            containers.add(a)
    acc = {}
    for n, m in methods.items():
        for a, k, line, held, w, rmw in m.acc:
            if is_lockish(a):
                continue
            if k == "m":
                k = "w" if a in containers else "r"
            acc.setdefault(a, []).append((n, k, line, held or n in locked, n in setup, w, rmw))
    for a, lst in acc.items():
        lw = [x for x in lst if x[3] and x[1] == "w" and not x[4] and (not strict or (x[5] and x[6]))]
        lr = [x for x in lst if x[3] and not x[4]]
        uw = [x for x in lst if not x[3] and x[1] == "w" and not x[4]]
        uncalled = {n for n in methods if n.startswith("_") and not n.endswith("__") and n not in callers}
        if strict:
            uw = [x for x in uw if x[0] not in uncalled]
        if uw and (lw if strict else lr):
            out.append((path, cls.name, a, "A" if lw else "B", uw, lw or lr))


def check_tree(root, strict):
    out = []
    for dp, _, fn in os.walk(root):
        if "/tests" in dp or dp.endswith("tests"):
            continue
        for f in fn:
            if not f.endswith(".py") or f.startswith("test_"):
                continue
            p = os.path.join(dp, f)
            try:
                tree = ast.parse(open(p, encoding="utf-8").read())
            except (SyntaxError, UnicodeDecodeError, ValueError):
                continue
            for n in ast.walk(tree):
                if isinstance(n, ast.ClassDef):
                    analyse_class(n, p, out, strict)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+")
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    for root in args.trees:
        out = check_tree(root, args.strict)
        a = [o for o in out if o[3] == "A"]
        b = [o for o in out if o[3] == "B"]
        print(
            f"{root}: {len(out)} attributes ({len(a)} also written under a lock, {len(b)} only read under one)"
        )
        if args.verbose:
            for path, cls, attr, kind, unlocked, locked in out:
                print(
                    f"  {kind} {path} {cls}.{attr} unlocked: {[(m, line) for m, _, line, *_ in unlocked][:4]} "
                    f"locked: {[(m, line, k) for m, k, line, *_ in locked][:3]}"
                )


if __name__ == "__main__":
    main()
