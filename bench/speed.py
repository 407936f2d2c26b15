#!/usr/bin/env python3
"""Speed and memory on a whole OpenStack tree, side by side with Ruff's
`--select S` and Bandit, on the same machine in one run.

    python3 bench/speed.py [--project nova] [--vigil target/release/vigil] [--runs 3]
                           [--select S] [--no-bandit] [--scale] [--seed]

Runs vigil (with `--no-cache`, then warm from its cache), Ruff and Bandit in
turn, interleaved, `--runs` times each (Bandit once: it takes a minute), and
prints the median CPU time (user+sys), wall time and peak RSS of each, and
vigil's ratios to Ruff (targets: CPU and wall at most 1.5x) and Bandit (at
least 100x less CPU). `--seed` also times the review of the seed listing
(`../shared/seeds/000_25df7d04e1566081.txt`, target under 50 ms wall).
`--scale` measures vigil on 1x, 2x, 4x and 8x the corpus (nova; nova,
neutron, cinder and glance; then copies of those) and on one generated file
of 100,000 lines, to show cost linear in lines.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The seed listing, beside the repository (a checkout or a worktree of it).
SEEDS = [os.path.join(ROOT, *[".."] * up, "shared", "seeds", "000_25df7d04e1566081.txt") for up in (1, 2, 3)]


def sample(cmd, cwd):
    """One run: (cpu seconds, wall seconds, peak RSS in MB), of the command
    and its children (vigil's git), to the microsecond (`/usr/bin/time`
    prints hundredths: a tenth of a change review)."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = 0
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss // 1024


def measure(cmd, cwd, runs):
    """Median CPU, wall and RSS of `runs` runs (the bench scripts share it)."""
    samples = [sample(cmd, cwd) for _ in range(runs)]
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def python_lines(folder):
    return sum(sum(1 for _ in open(os.path.join(d, f), errors="replace"))
               for d, _, fs in os.walk(folder) for f in fs if f.endswith(".py"))


def interleaved(rows, cwd, runs):
    """Median (cpu, wall, rss) per row, the rows' runs interleaved so that
    a change in the machine's load falls on all of them alike. A row is
    (name, command, runs) or (name, command, runs, setup): `setup()` runs
    before each of its runs, untimed."""
    samples = {row[0]: [] for row in rows}
    for i in range(runs):
        for name, cmd, times, *setup in rows:
            if i < times:
                for prepare in setup:
                    prepare()
                samples[name].append(sample(cmd, cwd))
    return {name: tuple(statistics.median(s[i] for s in got) for i in range(3))
            for name, got in samples.items()}


def show(name, result):
    cpu, wall, rss = result
    print(f"{name:26} cpu {cpu:7.2f} s   wall {wall:6.2f} s   peak rss {rss:5d} MB")


def side_by_side(args, vigil):
    tree = corpora.sdist(args.project, corpora.OPENSTACK[args.project])
    bin_dir = corpora.tools_venv()
    package = os.path.join(tree, args.project)
    print(f"{args.project}: {python_lines(package)} lines of Python; {os.cpu_count()} cores")
    select = ["--select", args.select] if args.select else []
    review = [vigil, "review", "--exit-zero", "--format", "json"] + select
    cache = os.path.join(tree, ".vigil_cache")
    shutil.rmtree(cache, ignore_errors=True)
    subprocess.run(review + [package], cwd=tree, stdout=subprocess.DEVNULL)  # fills the cache
    # Filling the cache: the review of an empty one (the cache removed
    # before each run, untimed).
    rows = [("vigil (no cache)", review + ["--no-cache", package], args.runs),
            ("vigil (filling the cache)", review + [package], args.runs,
             lambda: shutil.rmtree(cache, ignore_errors=True)),
            ("vigil (warm cache)", review + [package], args.runs),
            ("ruff --select S", [os.path.join(bin_dir, "ruff"), "check", "--no-cache", "--select", "S",
                                 "--exit-zero", "--quiet", package], args.runs)]
    if not args.no_bandit:
        # One run: Bandit takes about a minute on nova, and its ratio to
        # vigil is two orders of magnitude, not a close call.
        rows.append(("bandit (one run)", [os.path.join(bin_dir, "bandit"), "-q", "-r", "-f", "json", package], 1))
    results = interleaved(rows, tree, args.runs)
    shutil.rmtree(cache, ignore_errors=True)
    for name, *_ in rows:
        show(name, results[name])
    vigil_cpu, vigil_wall, _ = results["vigil (no cache)"]
    ruff_cpu, ruff_wall, _ = results["ruff --select S"]
    print(f"vigil / ruff: cpu {vigil_cpu / ruff_cpu:.2f}x, wall {vigil_wall / ruff_wall:.2f}x (targets <= 1.5x)")
    if "bandit (one run)" in results:
        print(f"bandit / vigil cpu: {results['bandit (one run)'][0] / vigil_cpu:.0f}x (target >= 100x)")


def seed(args, vigil):
    listing = next((s for s in SEEDS if os.path.isfile(s)), None)
    if listing is None:
        print("seed listing not found beside the repository")
        return
    result = measure([vigil, "review", "--no-cache", listing], ROOT, max(args.runs, 5))
    show("vigil on the seed listing", result)
    print(f"seed listing wall: {result[1] * 1000:.0f} ms (target < 50 ms)")


def scale(args, vigil):
    """1x, 2x, 4x, 8x the corpus, and one file of 100,000 lines."""
    names = ["nova", "neutron", "cinder", "glance"]
    packages = [os.path.join(corpora.sdist(n, corpora.OPENSTACK[n]), n) for n in names]
    with tempfile.TemporaryDirectory() as work:
        steps = [("1x: nova", [packages[0]])]
        four = packages
        steps.append(("2x: nova neutron cinder glance", four))
        # Copies of the four, as separate trees (their module names repeat
        # inside each copy, not across copies).
        for factor, copies in (("4x", 2), ("8x", 4)):
            trees = []
            for c in range(copies):
                copy = os.path.join(work, f"copy{c}")
                if not os.path.isdir(copy):
                    os.makedirs(copy)
                    for p in four:
                        shutil.copytree(p, os.path.join(copy, os.path.basename(p)))
                trees.append(copy)
            steps.append((f"{factor}: {copies} copies of the four", trees))
        big = os.path.join(work, "big")
        os.makedirs(big)
        with open(os.path.join(big, "generated.py"), "w") as f:
            f.write(generated_file(100_000))
        steps.append(("one file of 100k lines", [big]))
        for name, trees in steps:
            lines = sum(python_lines(t) for t in trees)
            result = measure([vigil, "review", "--no-cache", "--exit-zero", "--format", "json"] + trees, work,
                             args.runs)
            cpu, wall, rss = result
            print(f"{name:34} {lines:9d} lines  cpu {cpu:6.2f} s  wall {wall:6.2f} s  rss {rss:5d} MB  "
                  f"{cpu / lines * 1e6:5.2f} cpu-us/line")


def generated_file(lines):
    """Ordinary code of many shapes, `lines` lines long."""
    block = '''
class Handler{n}(object):
    def __init__(self, conf):
        self.conf = conf
        self.path = os.path.join(conf.state_path, "h{n}")

    def run(self, req, body):
        name = body["server"]["name"]
        if not name:
            raise ValueError("no name")
        for item in body.get("items", []):
            if item.get("size", 0) > 10:
                LOG.debug("item %s", item)
        cmd = ["qemu-img", "info", self.path]
        out, err = processutils.execute(*cmd)
        with open(self.path) as f:
            data = f.read()
        return {{"name": name, "data": data, "out": out}}

'''
    head = "import os\n\nfrom oslo_concurrency import processutils\nfrom oslo_log import log\n\nLOG = log.getLogger(__name__)\n"
    out = [head]
    count = head.count("\n")
    n = 0
    while count < lines:
        text = block.format(n=n)
        out.append(text)
        count += text.count("\n")
        n += 1
    return "".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="nova", choices=sorted(corpora.OPENSTACK))
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--select", default="", help="vigil --select value (default: the default rules)")
    parser.add_argument("--no-bandit", action="store_true", help="skip Bandit (slow)")
    parser.add_argument("--seed", action="store_true", help="also time the seed listing")
    parser.add_argument("--scale", action="store_true", help="only the scaling curve")
    args = parser.parse_args()
    vigil = os.path.abspath(args.vigil)
    if args.scale:
        scale(args, vigil)
        return
    side_by_side(args, vigil)
    if args.seed:
        seed(args, vigil)


if __name__ == "__main__":
    main()
