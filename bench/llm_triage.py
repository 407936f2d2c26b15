#!/usr/bin/env python3
"""The language-model stage on labelled data: does triage raise precision,
what does it cost in recall, how many discovered findings fail the line
check, and at what price in tokens and time.

- **Triage.** Findings a person triaged (`bench/triage/*_rules.jsonl`:
  verdict TP, minor or FP; the code in bench/corpora/<project>-<version>/ for
  the current snapshot, bench/corpora/history*/ for historic ones). Each
  sampled finding's file is reviewed with its rule and `--llm-tasks triage`;
  the finding is matched by rule and line. Precision is TP / findings shown,
  before (all) and after (those the model kept, or left without a verdict,
  since vigil shows those); recall after is the share of TP findings still
  shown. Files where the rule fires more than --max-per-file times are
  skipped (every one of them would be a question).
- **Discovery.** Defects of the dev set (`bench/devset/*.jsonl`: a file and
  line range in the parent of a fix, read from the git mirrors in
  /work/.mirror) are cut into a numbered listing in the seed's form (the
  defect's lines with --context lines around, real line numbers) and
  reviewed with `--llm-tasks discover`. Reported: the model's claims, the
  share the line check rejected, and how many defects a shown model finding
  overlaps (and the analysis, for comparison).

Any OpenAI-compatible server:

    python3 bench/llm_triage.py --llm http://127.0.0.1:8080 --model NAME
    python3 bench/llm_triage.py --serve          # bench/llm_server.py's SmolLM2-135M, started and stopped here

Samples are drawn with --seed, so a re-run asks the same questions (and,
with the default cache under bench/corpora/llm/cache, asks nothing again).
"""

import argparse
import glob
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llm_server  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
CORPORA = os.path.join(BENCH, "corpora")
MIRRORS = "/work/.mirror"
COST_KEYS = ("requests", "cache_hits", "tokens_sent", "tokens_received", "seconds")


def file_roots(project, snapshot):
    """The folders that may hold a labelled finding's file."""
    if snapshot == "current":
        return sorted(d for d in glob.glob(os.path.join(CORPORA, f"{project}-*")) if os.path.isdir(d))
    return sorted(glob.glob(os.path.join(CORPORA, "history*", f"{project}-{snapshot}*")))


def labelled():
    rows = []
    for path in sorted(glob.glob(os.path.join(BENCH, "triage", "*_rules.jsonl"))):
        with open(path) as f:
            for line in f:
                row = json.loads(line)
                if row.get("verdict") in ("TP", "minor", "FP"):
                    rows.append(row)
    return rows


def vigil_json(args, cwd, extra, path):
    cmd = [args.vigil, "review", "--isolated", "--include-tests", "--format", "json"] + extra + [path]
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    try:
        return json.loads(out.stdout), out.stderr
    except json.JSONDecodeError:
        raise SystemExit(f"vigil failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr}")


def llm_flags(args, url, tasks):
    flags = ["--llm", url, "--llm-model", args.model, "--llm-tasks", tasks, "--llm-cache", args.cache,
             "--llm-concurrency", str(args.concurrency), "--llm-timeout", str(args.timeout),
             "--llm-retries", "0", "--llm-max-tokens", str(args.max_tokens), "--show-dropped"]
    if args.budget:
        flags += ["--llm-budget", str(args.budget)]
    return flags


def add_cost(total, llm):
    for k in COST_KEYS:
        total[k] = total.get(k, 0) + (llm.get(k) or 0)


def matches(f, rule, line):
    return f["line"] == line and (f["rule_id"] == rule or any(a["rule_id"] == rule for a in f["also"]))


def triage(args, url, cost):
    rows = [r for r in labelled() if any(os.path.exists(os.path.join(d, r["path"]))
                                          for d in file_roots(r["project"], r["snapshot"]))]
    random.Random(args.seed).shuffle(rows)
    results, skipped = [], {"not reproduced": 0, "too many in the file": 0}
    for row in rows:
        if len(results) >= args.limit:
            break
        root = next(d for d in file_roots(row["project"], row["snapshot"])
                    if os.path.exists(os.path.join(d, row["path"])))
        plain, _ = vigil_json(args, root, ["--select", row["rule"]], row["path"])
        same_rule = [f for f in plain["findings"] if f["rule_id"] == row["rule"]
                     or any(a["rule_id"] == row["rule"] for a in f["also"])]
        if not any(matches(f, row["rule"], row["line"]) for f in same_rule):
            skipped["not reproduced"] += 1
            continue
        if len(same_rule) > args.max_per_file:
            skipped["too many in the file"] += 1
            continue
        doc, notes = vigil_json(args, root, ["--select", row["rule"]] + llm_flags(args, url, "triage"), row["path"])
        llm = doc["llm"]
        add_cost(cost, llm)
        kept = [f for f in doc["findings"] if matches(f, row["rule"], row["line"])]
        dropped = [f for f in llm.get("dropped_findings") or [] if matches(f, row["rule"], row["line"])]
        if dropped:
            model = "drop"
        elif kept and kept[0].get("triage"):
            model = "keep"
        else:
            model = "none"
        results.append({"row": row, "model": model, "failure": llm.get("failure")})
        why = f" ({llm['unusable_answers']})" if model == "none" and llm["unusable_answers"] else ""
        print(f"  {row['project']} {row['snapshot']} {row['path']}:{row['line']} {row['rule']} "
              f"{row['verdict']:5} -> {model}{why}", flush=True)
        if llm.get("failure"):
            print("  the stage failed: " + llm["failure"], flush=True)
            break
    return results, skipped


def devset_rows():
    rows = []
    for path in sorted(glob.glob(os.path.join(BENCH, "devset", "*.jsonl"))):
        with open(path) as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def excerpt(row, context):
    mirror = os.path.join(MIRRORS, row["repo"].replace("/", "+"), "repo")
    shown = subprocess.run(["git", "--git-dir", mirror, "show", f"{row['parent']}:{row['file']}"],
                           capture_output=True, text=True)
    if shown.returncode != 0:
        return None
    lines = shown.stdout.splitlines()
    lo, hi = row["lines"][0], row["lines"][-1]
    first, last = max(1, lo - context), min(len(lines), hi + context)
    body = "".join(f"{n} {lines[n - 1]}\n" for n in range(first, last + 1))
    return (f"Review this excerpt of {row['file']} (lines {first}-{last}) for security defects.\n\n"
            + body)


def discover(args, url, cost):
    rows = [r for r in devset_rows()
            if os.path.isdir(os.path.join(MIRRORS, r["repo"].replace("/", "+"), "repo"))]
    random.Random(args.seed).shuffle(rows)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for row in rows[:args.devset]:
            text = excerpt(row, args.context)
            if text is None:
                continue
            path = os.path.join(tmp, "excerpt.txt")
            with open(path, "w") as f:
                f.write(text)
            doc, notes = vigil_json(args, tmp, llm_flags(args, url, "discover"), "excerpt.txt")
            llm = doc["llm"]
            add_cost(cost, llm)
            lo, hi = row["lines"][0], row["lines"][-1]
            hit = lambda f: f["line"] <= hi and f["end_line"] >= lo  # noqa: E731
            model = [f for f in doc["findings"] if f.get("source") == "llm"]
            analysis = [f for f in doc["findings"] if f.get("source") != "llm"]
            claims = llm["discovered"] + llm["rejected"] + llm["duplicates"] + llm["out_of_scope"]
            results.append({"row": row, "claims": claims, "shown": llm["discovered"], "rejected": llm["rejected"],
                            "reasons": llm["rejected_reasons"], "unusable": llm["unusable_answers"],
                            "model_hit": any(hit(f) for f in model), "analysis_hit": any(hit(f) for f in analysis)})
            print(f"  {row['repo']} {row['file']}:{lo}-{hi} ({row['class']}): {claims} claims, "
                  f"{llm['discovered']} shown, {llm['rejected']} rejected {llm['rejected_reasons']}, "
                  f"unusable {llm['unusable_answers']}", flush=True)
            if llm.get("failure"):
                print("  the stage failed: " + llm["failure"], flush=True)
                break
    return results


def pct(a, b):
    return f"{100 * a / b:.0f}% ({a}/{b})" if b else "n/a (0/0)"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--llm", help="the server's URL")
    ap.add_argument("--model", default=llm_server.MODEL_NAME)
    ap.add_argument("--serve", action="store_true", help="start bench/llm_server.py's model for the run")
    ap.add_argument("--vigil", default=os.path.join(ROOT, "target", "release", "vigil"))
    ap.add_argument("--limit", type=int, default=8, help="labelled findings to triage")
    ap.add_argument("--max-per-file", type=int, default=2)
    ap.add_argument("--devset", type=int, default=4, help="dev-set defects to run discovery on")
    ap.add_argument("--context", type=int, default=12, help="lines around a dev-set defect in its excerpt")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", default=os.path.join(CORPORA, "llm", "cache"))
    ap.add_argument("--budget", type=int)
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=1800)
    ap.add_argument("--max-tokens", type=int, default=300)
    args = ap.parse_args()
    args.vigil = os.path.abspath(args.vigil)
    args.cache = os.path.abspath(args.cache)
    if not os.path.exists(args.vigil):
        raise SystemExit(f"{args.vigil} does not exist: cargo build --release, or --vigil PATH")
    if not args.llm and not args.serve:
        raise SystemExit("name a server with --llm URL, or --serve to start the small local one")
    server = None
    url = args.llm
    if args.serve:
        server, url = llm_server.start()
    started = time.time()
    cost = {}
    try:
        print(f"triage with {args.model} at {url}:", flush=True)
        triaged, skipped = triage(args, url, cost)
        print("discovery on the dev set:", flush=True)
        found = discover(args, url, cost)
    finally:
        if server:
            server.terminate()
            server.wait()

    tp = [r for r in triaged if r["row"]["verdict"] == "TP"]
    shown = [r for r in triaged if r["model"] != "drop"]
    tp_shown = [r for r in shown if r["row"]["verdict"] == "TP"]
    print(f"\nTriage: {len(triaged)} labelled findings ({len(tp)} TP), skipped {skipped}")
    print(f"  verdicts: {sum(r['model'] == 'keep' for r in triaged)} keep, "
          f"{sum(r['model'] == 'drop' for r in triaged)} drop, {sum(r['model'] == 'none' for r in triaged)} none")
    print(f"  precision before: {pct(len(tp), len(triaged))}; after: {pct(len(tp_shown), len(shown))}")
    print(f"  recall after (TP still shown): {pct(len(tp_shown), len(tp))}")
    claims = sum(r["claims"] for r in found)
    rejected = sum(r["rejected"] for r in found)
    print(f"Discovery: {len(found)} dev-set defects, {claims} model claims, {sum(r['shown'] for r in found)} shown")
    print(f"  rejected by the line check: {pct(rejected, claims)}")
    print(f"  defects a shown model finding overlaps: {pct(sum(r['model_hit'] for r in found), len(found))}; "
          f"the analysis: {pct(sum(r['analysis_hit'] for r in found), len(found))}")
    print(f"Cost: {cost.get('requests', 0)} requests, {cost.get('cache_hits', 0)} cache hits, "
          f"{cost.get('tokens_sent', 0)} tokens sent, {cost.get('tokens_received', 0)} received, "
          f"{cost.get('seconds', 0):.0f} s in the stage, {time.time() - started:.0f} s in all")


if __name__ == "__main__":
    main()
