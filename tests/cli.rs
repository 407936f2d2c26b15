//! End-to-end tests: the `vigil` binary on trees made in the test, with exact
//! stdout and exit codes (ripgrep's `tests/` and ruff's `crates/ruff/tests/cli`
//! are the models).

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::tree;

fn vigil(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .expect("vigil runs")
}

fn vigil_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.args(args).current_dir(dir);
    common::run_with_input(&mut cmd, input.as_bytes())
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const ASSERT_PY: &str = "def f(ctx):\n    assert ctx.is_admin\n";

#[test]
fn text_review_is_exact() {
    let dir = tree(&[("a.py", ASSERT_PY)]);
    let out = vigil(dir.path(), &["review", "--select", "S101", "a.py"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "Found 1 security defect in 1 file (0 high, 0 medium, 1 low severity); 1 file reviewed.

a.py:2:5: S101 `assert ctx.is_admin` is removed under `python -O`
  S101 · assert-used (Bandit B101) · CWE-703 · severity LOW · confidence HIGH · line 2
    |
  2 |     assert ctx.is_admin
    |
  Defect: `assert` statements are removed when Python runs with `-O` or `PYTHONOPTIMIZE`, so a check written as an assertion (a permission, a size limit, a state precondition) silently stops protecting anything in an optimised deployment.
  Solution: Use `if not (ctx.is_admin): raise ...` if this check must hold in production.
"
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn no_defects_is_said_exactly() {
    let dir = tree(&[("a.py", "x = 1\n")]);
    let out = vigil(dir.path(), &["review", "a.py"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "No security defects are detected in the code\n");
}

#[test]
fn json_report_has_the_documented_fields() {
    let dir = tree(&[("a.py", ASSERT_PY)]);
    let out = vigil(dir.path(), &["review", "--select", "B101", "--format", "json", "a.py"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["schema"], "vigil-report/1");
    let f = &doc["findings"][0];
    assert_eq!(f["path"], "a.py");
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 5);
    assert_eq!(f["rule_id"], "S101");
    assert_eq!(f["bandit_id"], "B101");
    assert_eq!(f["cwe"], 703);
    assert_eq!(f["severity"], "LOW");
    assert_eq!(f["confidence"], "HIGH");
    assert_eq!(f["snippet"][0]["line"], 2);
    assert_eq!(f["snippet"][0]["text"], "    assert ctx.is_admin");
    assert_eq!(doc["summary"]["findings"], 1);
    assert_eq!(doc["summary"]["files_reviewed"], 1);
}

#[test]
fn bandit_json_report_reads_like_bandits() {
    let dir = tree(&[("a.py", ASSERT_PY)]);
    let out = vigil(
        dir.path(),
        &["review", "--select", "S101", "--format", "bandit-json", "a.py"],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["generated_at"], "1970-01-01T00:00:00Z");
    let r = &doc["results"][0];
    assert_eq!(r["filename"], "a.py");
    assert_eq!(r["test_id"], "B101");
    assert_eq!(r["test_name"], "assert_used");
    assert_eq!(r["line_number"], 2);
    assert_eq!(r["line_range"], serde_json::json!([2]));
    assert_eq!(r["col_offset"], 4);
    assert_eq!(r["issue_severity"], "LOW");
    assert_eq!(r["issue_cwe"]["id"], 703);
    assert_eq!(doc["metrics"]["_totals"]["SEVERITY.LOW"], 1);
}

const LISTING: &str = "I want you to act as a code reviewer of Nova in OpenStack. Please review the code below.\n\n\
100 def attach(self, ctx):\n\
101     LOG.debug('attaching')\n\
102     assert ctx.is_admin\n\
103 \n\
104     return True\n";

#[test]
fn listing_keeps_its_own_line_numbers() {
    let dir = tree(&[("request.txt", LISTING)]);
    let out = vigil(
        dir.path(),
        &["review", "--select", "S101", "--format", "json", "request.txt"],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["findings"][0]["line"], 102);
    assert_eq!(doc["findings"][0]["snippet"][0]["text"], "    assert ctx.is_admin");
}

#[test]
fn listing_on_standard_input() {
    let dir = tree(&[]);
    let out = vigil_stdin(dir.path(), &["review", "--select", "S101", "-"], LISTING);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("\n-:102:5: S101 "), "{}", stdout(&out));
}

#[test]
fn python_on_standard_input() {
    let dir = tree(&[]);
    let out = vigil_stdin(dir.path(), &["review", "--select", "S101", "-"], ASSERT_PY);
    assert!(stdout(&out).contains("\n-:2:5: S101 "), "{}", stdout(&out));
}

#[test]
fn listing_with_unnumbered_line_is_rejected_clearly() {
    let dir = tree(&[("request.txt", "Review:\n1 import os\n2 x = 1\noops\n3 y = 2\n")]);
    let out = vigil(dir.path(), &["review", "request.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: request.txt: listing line 4 is not numbered (`oops`): every code line of a listing must read `N <code>`\n"
    );
}

#[test]
fn bad_files_are_reported_and_the_rest_reviewed() {
    let dir = tree(&[
        ("good.py", ASSERT_PY),
        ("py2.py", "print 'hi'\nassert x\n"),
        ("empty.py", ""),
    ]);
    std::fs::write(dir.path().join("latin1.py"), b"x = '\xe9'\n").unwrap();
    std::fs::write(dir.path().join("nul.py"), b"x = 1\0\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/nonexistent/target.py", dir.path().join("dangling.py")).unwrap();
    let out = vigil(dir.path(), &["review", "--select", "S101", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(2), "input errors win over findings");
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let lines: Vec<(String, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(lines, vec![("good.py".to_string(), 2), ("py2.py".to_string(), 2)]);
    let err = stderr(&out);
    assert!(err.contains("vigil: warning: py2.py:1: syntax error:"), "{err}");
    assert!(
        err.contains(
            "vigil: error: latin1.py: line 1 is not valid UTF-8 (byte 0xe9 at column 6) and no encoding is \
             declared (PEP 263: `# -*- coding: NAME -*-` on line 1 or 2); skipped"
        ),
        "{err}"
    );
    assert!(err.contains("vigil: error: nul.py: contains NUL bytes"), "{err}");
    #[cfg(unix)]
    assert!(err.contains("dangling.py"), "{err}");
}

#[test]
fn missing_path_is_an_input_error() {
    let dir = tree(&[]);
    let out = vigil(dir.path(), &["review", "nope.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "vigil: error: nope.py: no such file or directory\n");
}

#[test]
fn unknown_rule_is_a_usage_error() {
    let dir = tree(&[("a.py", "x = 1\n")]);
    let out = vigil(dir.path(), &["review", "--select", "B999", "a.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: unknown rule `B999`: run `vigil rules` to list rule ids, Bandit ids and names\n"
    );
}

#[test]
fn bad_flag_value_is_a_usage_error() {
    let dir = tree(&[]);
    let out = vigil(dir.path(), &["review", "--severity", "huge"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`huge` is not a level"), "{}", stderr(&out));
}

#[test]
fn suppressions_follow_bandit() {
    let src = "\
assert a  # nosec
assert b  # nosec B101
assert c  # nosec B602
assert (
    d
)  # nosec
assert e  # nosec: this is fine
assert f  # vigil: ignore[S101] checked by the caller
assert g  # vigil: ignore[S101]
";
    let dir = tree(&[("a.py", src)]);
    let out = vigil(dir.path(), &["review", "--select", "S101", "--format", "json", "a.py"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let lines: Vec<u64> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        lines,
        vec![3, 9],
        "B602 does not cover B101; a reasonless vigil comment suppresses nothing"
    );
    assert_eq!(doc["summary"]["suppressed"], 5);
    assert!(
        stderr(&out).contains("a.py:9: `# vigil: ignore[S101]` has no reason"),
        "{}",
        stderr(&out)
    );

    let all = vigil(
        dir.path(),
        &[
            "review",
            "--select",
            "S101",
            "--no-suppressions",
            "--format",
            "json",
            "a.py",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&all)).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 7);
}

#[test]
fn severity_threshold_filters() {
    let dir = tree(&[("a.py", ASSERT_PY)]);
    let out = vigil(
        dir.path(),
        &["review", "--select", "S101", "--severity", "medium", "a.py"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "No security defects are detected in the code\n");
}

#[test]
fn ignore_removes_a_selected_rule() {
    let dir = tree(&[("a.py", ASSERT_PY)]);
    let out = vigil(dir.path(), &["review", "--ignore", "assert-used", "a.py"]);
    assert_eq!(stdout(&out), "No security defects are detected in the code\n");
}

#[test]
fn trees_are_walked_gitignore_aware() {
    let dir = tree(&[
        (".gitignore", "build/\n"),
        ("pkg/mod.py", ASSERT_PY),
        ("build/gen.py", ASSERT_PY),
        ("bin/tool", "#!/usr/bin/env python3\nassert x\n"),
        ("notes.txt", "assert x\n"),
        (".tox/py3/lib.py", ASSERT_PY),
    ]);
    let out = vigil(dir.path(), &["review", "--select", "S101", "--format", "json", "."]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["bin/tool", "pkg/mod.py"]);
}

#[test]
fn import_aliases_are_resolved_in_rules() {
    let src = "import subprocess as sp\nfrom os import system as run\n\n\ndef f(x, cmd):\n    sp.Popen(x, shell=True)\n    run(cmd)\n";
    let dir = tree(&[("a.py", src)]);
    let out = vigil(
        dir.path(),
        &["review", "--select", "B602,B605", "--format", "json", "a.py"],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(u64, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["rule_id"].as_str().unwrap()))
        .collect();
    assert_eq!(found, vec![(6, "S602"), (7, "S605")]);
}

#[test]
fn rules_command_lists_every_rule() {
    let dir = tree(&[]);
    let out = vigil(dir.path(), &["rules", "--json"]);
    let rules: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rules = rules.as_array().unwrap();
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "S101" && r["bandit_id"] == "B101" && r["cwe"] == 703)
    );
    let text = stdout(&vigil(dir.path(), &["rules"]));
    assert!(
        text.starts_with("ID     BANDIT CWE      SEV     CONF   FAMILY            NAME\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), rules.len() + 1);
}

#[test]
fn rule_command_prints_five_sections() {
    let dir = tree(&[]);
    let out = vigil(dir.path(), &["rule", "B101"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for heading in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## References",
    ] {
        assert!(text.contains(heading), "missing {heading}:\n{text}");
    }
    assert!(text.starts_with("# S101 assert-used\n"), "{text}");
    assert!(text.contains("- CWE-703: https://cwe.mitre.org/data/definitions/703.html"));

    let out = vigil(dir.path(), &["rule", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_file_option_writes_the_report() {
    let dir = tree(&[("a.py", ASSERT_PY)]);
    let out = vigil(dir.path(), &["review", "--select", "S101", "-o", "report.txt", "a.py"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let written = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
    assert!(written.contains("\na.py:2:5: S101"), "{written}");
}

#[test]
fn terminal_output_neutralises_control_characters() {
    let dir = tree(&[("a.py", "assert x  # \u{1b}[2J\u{202e}\n")]);
    let out = vigil(dir.path(), &["review", "--select", "S101", "a.py"]);
    let text = stdout(&out);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{text:?}");
    assert!(text.contains("\\u{1b}[2J\\u{202e}"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_is_not_an_error() {
    // `vigil rules | head -1`: the reader goes away after one line.
    let dir = tree(&[]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["rules"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}
