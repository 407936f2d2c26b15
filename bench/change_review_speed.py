#!/usr/bin/env python3
"""CPU time, wall time and peak memory of change reviews (`vigil review
--diff REV`) against a whole-tree review of the same checkout, with the
default rules (the dataflow project pass included).

    python3 bench/change_review_speed.py [--project nova] [--files 1,10,80]
                                         [--vigil target/release/vigil] [--runs 3]

The checkout is made here from the project's sdist in bench/corpora (a git
repository with one commit: no project history is read), then for each
count N a commit changes N files (a function added at the end of each
function-bearing module, spread over the tree; `--edit top`: a comment line
at the top, which moves every line below) and `--diff HEAD~1` reviews it: without the
cache (`--no-cache`), and with the cache a review of the parent commit left
(the usual case in an editor or a CI job that keeps `.vigil_cache/`; each
timed run starts from a copy of that cache), and once more with the cache
the change review itself left (the same change reviewed again); and the
whole tree after the change from the parent's cache (the dataflow memo
answers for what the change did not affect).
Third-party code is for measuring only: the checkout lives in a temporary
folder.
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
from speed import measure, sample  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com")
    subprocess.run(["git", "-c", "core.autocrlf=false", *args], cwd=cwd, check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def git_checkout(project, work):
    """A git checkout of the project's sdist package in `work`, with one
    commit (no project history is read)."""
    sdist = corpora.sdist(project, corpora.OPENSTACK[project])
    checkout = os.path.join(work, project)
    shutil.copytree(os.path.join(sdist, project), os.path.join(checkout, project))
    git(checkout, "init", "-q")
    git(checkout, "add", "-A")
    git(checkout, "commit", "-q", "-m", "sdist")
    # A working tree's files are older than vigil's racy window by the time
    # a change of it is reviewed (src/cache/seen_files.rs, RACY_SECONDS):
    # within it, vigil reads a file again on every run rather than trust
    # its metadata, as a copy made a moment ago would have it here.
    time.sleep(3)
    return checkout


def checkouts(projects):
    """Each of the comma-separated projects with its [`git_checkout`], in a
    temporary folder removed when the next is made."""
    for project in projects.split(","):
        with tempfile.TemporaryDirectory() as work:
            yield project, git_checkout(project, work)


def python_files(checkout, project):
    """The project's Python files in `checkout` (paths relative to it),
    tests left out as the default review leaves them."""
    return sorted(os.path.relpath(os.path.join(d, f), checkout)
                  for d, _, fs in os.walk(os.path.join(checkout, project))
                  for f in fs if f.endswith(".py") and "tests" not in d.split(os.sep))


def checkout_of(project, work):
    """[`git_checkout`], and its modules worth changing (over 2,000 bytes,
    tests left out)."""
    checkout = git_checkout(project, work)
    modules = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(checkout, project))
                     for f in fs if f.endswith(".py") and "tests" not in d.split(os.sep)
                     and os.path.getsize(os.path.join(d, f)) > 2000)
    return checkout, modules


def commit_change(checkout, modules, n, edit):
    """Commits a change of `n` modules spread over the tree (`edit`: a
    function added at the end, or a comment line at the top)."""
    step = max(1, len(modules) // n)
    for path in modules[::step][:n]:
        with open(path) as f:
            text = f.read()
        if edit == "end":
            text += "\n\ndef _bench_added(value):\n    return str(value)\n"
        else:
            text = "# A comment added by the benchmark.\n" + text
        with open(path, "w") as f:
            f.write(text)
    git(checkout, "commit", "-q", "-am", f"change {n} files")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="nova", choices=sorted(corpora.OPENSTACK))
    parser.add_argument("--files", default="1,10,80")
    parser.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edit", choices=["end", "top"], default="end",
                        help="where the changed files get their new lines: at the end (nothing "
                             "else moves) or at the top (every line below moves, and every path "
                             "step through the file with it)")
    args = parser.parse_args()
    vigil = os.path.abspath(args.vigil)
    with tempfile.TemporaryDirectory() as work:
        checkout, modules = checkout_of(args.project, work)
        review = [vigil, "review", "--exit-zero", "--format", "json"]
        whole = measure(review + ["--no-cache", args.project], checkout, args.runs)
        print(f"{'whole tree, no cache':46} cpu {whole[0]:6.2f} s   wall {whole[1]:6.2f} s   rss {whole[2]:5d} MB")
        for n in [int(x) for x in args.files.split(",")]:
            git(checkout, "reset", "-q", "--hard", "HEAD")
            git(checkout, "checkout", "-q", "--detach", "HEAD")
            commit_change(checkout, modules, n, args.edit)
            cold = measure(review + ["--no-cache", "--diff", "HEAD~1", args.project], checkout, args.runs)
            # The parent's review fills the cache, as an earlier run would;
            # each timed run starts from that cache (a second review of the
            # same change would find its own analyses there too).
            cache = os.path.join(checkout, ".vigil_cache")
            parent = os.path.join(work, "parent-cache")
            git(checkout, "checkout", "-q", "HEAD~1")
            subprocess.run(review + [args.project], cwd=checkout, stdout=subprocess.DEVNULL)
            git(checkout, "checkout", "-q", "-")
            shutil.rmtree(parent, ignore_errors=True)
            shutil.copytree(cache, parent)
            def from_parent(cmd):
                samples = []
                for _ in range(args.runs):
                    shutil.rmtree(cache)
                    shutil.copytree(parent, cache)
                    samples.append(sample(cmd, checkout))
                return tuple(statistics.median(s[i] for s in samples) for i in range(3))

            warm = from_parent(review + ["--diff", "HEAD~1", args.project])
            whole_after = from_parent(review + [args.project])
            again = measure(review + ["--diff", "HEAD~1", args.project], checkout, args.runs)
            shutil.rmtree(cache, ignore_errors=True)
            for name, (cpu, wall, rss) in ((f"{n} files changed, no cache", cold),
                                           (f"{n} files changed, cache of parent", warm),
                                           (f"{n} files changed, reviewed again", again),
                                           (f"{n} files changed, whole tree, cache of parent", whole_after)):
                print(f"{name:46} cpu {cpu:6.2f} s   wall {wall:6.2f} s   rss {rss:5d} MB   "
                      f"{whole[0] / cpu:5.1f}x less cpu than the whole tree")


if __name__ == "__main__":
    main()
