//! End-to-end tests of what a review promises a reviewer (issue #10): one
//! finding per defect whatever the rules that saw it, the serious first, a
//! summary that says what was reviewed and what was not, test code left out
//! unless asked for, and no "no defects" when something was not reviewed.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::tree;

fn vigil(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .expect("vigil runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// The rule ids of each finding: the lead's, then those fused into it.
fn ids(report: &serde_json::Value) -> Vec<Vec<String>> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut ids = vec![f["rule_id"].as_str().unwrap().to_string()];
            ids.extend(
                f["also"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["rule_id"].as_str().unwrap().to_string()),
            );
            ids
        })
        .collect()
}

/// A Flask view that runs a query parameter through a shell: Bandit's B602
/// and the dataflow rule T078 see the same defect on line 7.
fn shell_view(comment: &str) -> String {
    format!(
        "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n\n@app.route('/run')\n\
         def run():\n    return subprocess.check_output(request.args['cmd'], shell=True){comment}\n"
    )
}

const SELECT: &[&str] = &[
    "review",
    "--isolated",
    "--select",
    "S602,T078",
    "--format",
    "json",
    "app.py",
];

#[test]
fn one_defect_seen_by_two_rules_is_one_finding_with_both_ids() {
    let dir = tree(&[("app.py", &shell_view(""))]);
    let out = vigil(dir.path(), SELECT);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(ids(&report), vec![vec!["T078".to_string(), "S602".to_string()]]);
    let finding = &report["findings"][0];
    assert_eq!(finding["line"], 7);
    // The lead carries the dataflow path.
    assert!(!finding["steps"].as_array().unwrap().is_empty());
    assert_eq!(finding["also"][0]["bandit_id"], "B602");

    // The text review says which other rule saw it.
    let text = vigil(dir.path(), &["review", "--isolated", "--select", "S602,T078", "app.py"]);
    assert!(
        stdout(&text).contains("T078 · command-injection · also S602 (Bandit B602) · CWE-78"),
        "{}",
        stdout(&text)
    );
}

#[test]
fn any_id_of_a_fused_finding_suppresses_it() {
    for comment in [
        "  # nosec B602",
        "  # nosec",
        "  # noqa: S602",
        "  # vigil: ignore[T078] the command is checked by the caller",
        "  # vigil: ignore[S602] the command is checked by the caller",
    ] {
        let dir = tree(&[("app.py", &shell_view(comment))]);
        let out = vigil(dir.path(), SELECT);
        assert_eq!(ids(&json(&out)), Vec::<Vec<String>>::new(), "{comment}");
        assert_eq!(out.status.code(), Some(0), "{comment}");
    }
}

#[test]
fn noqa_speaks_to_vigil_only_with_a_code_it_knows() {
    for comment in ["  # noqa", "  # noqa: E501", "  # noqa: B602"] {
        let dir = tree(&[("app.py", &shell_view(comment))]);
        let out = vigil(dir.path(), SELECT);
        assert_eq!(ids(&json(&out)).len(), 1, "{comment} must not hide the finding");
    }
}

#[test]
fn each_rule_alone_still_reports_it() {
    let dir = tree(&[("app.py", &shell_view(""))]);
    for (select, id) in [("S602", "S602"), ("B602", "S602"), ("T078", "T078")] {
        let out = vigil(
            dir.path(),
            &["review", "--isolated", "--select", select, "--format", "json", "app.py"],
        );
        assert_eq!(ids(&json(&out)), vec![vec![id.to_string()]], "--select {select}");
    }
}

#[test]
fn bandit_json_lists_one_result_per_check() {
    let dir = tree(&[("app.py", &shell_view(""))]);
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--isolated",
            "--select",
            "S602,T078",
            "--format",
            "bandit-json",
            "app.py",
        ],
    );
    let report = json(&out);
    let mut tests: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["test_id"].as_str().unwrap())
        .collect();
    tests.sort_unstable();
    assert_eq!(tests, ["B602", "T078"]);
}

const CONSTANT_EVAL: &str = "def total():\n    expression = '1 + 2'\n    return eval(expression)\n";

#[test]
fn a_pattern_finding_on_a_sink_only_constants_reach_leaves_the_default_review() {
    // S307 (Bandit's B307) is on by default; T094 follows data into `eval`.
    let dir = tree(&[("calc.py", CONSTANT_EVAL)]);
    let out = vigil(dir.path(), &["review", "--isolated", "--format", "json", "calc.py"]);
    let report = json(&out);
    assert_eq!(ids(&report), Vec::<Vec<String>>::new(), "{}", stdout(&out));
    assert_eq!(report["summary"]["proven_constant"], 1);
    assert_eq!(out.status.code(), Some(0));

    // Named, the rule still reports it, saying why it matters little here.
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--isolated",
            "--select",
            "S307,T094",
            "--format",
            "json",
            "calc.py",
        ],
    );
    let report = json(&out);
    assert_eq!(ids(&report), vec![vec!["S307".to_string()]]);
    let finding = &report["findings"][0];
    assert_eq!(finding["confidence"], "LOW");
    assert_eq!(finding["only_constants"], true);
    let description = finding["description"].as_str().unwrap();
    assert!(description.contains("only constants reach it"), "{description}");
    assert!(description.contains("the code it runs"), "{description}");

    // A shell command held in a constant: the same for B602 when selected.
    let shell = "import subprocess\n\ndef uptime():\n    cmd = '/usr/bin/uptime'\n    \
                 return subprocess.check_output(cmd, shell=True)\n";
    let dir = tree(&[("tool.py", shell)]);
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--isolated",
            "--select",
            "S602,T078",
            "--format",
            "json",
            "tool.py",
        ],
    );
    let finding = &json(&out)["findings"][0];
    assert_eq!(finding["rule_id"], "S602");
    assert_eq!(finding["only_constants"], true);
}

#[test]
fn a_variable_command_is_not_proven_constant() {
    let text = "import subprocess\n\ndef run(cmd):\n    return subprocess.check_output(cmd, shell=True)\n";
    let dir = tree(&[("tool.py", text)]);
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--isolated",
            "--select",
            "S602,T078",
            "--format",
            "json",
            "tool.py",
        ],
    );
    let finding = &json(&out)["findings"][0];
    assert_eq!(finding["rule_id"], "S602");
    assert_eq!(finding["only_constants"], false);
    assert_eq!(finding["confidence"], "HIGH");
}

#[test]
fn the_text_review_opens_with_a_summary_and_lists_the_serious_first() {
    let code = "import os\n\ndef setup(path, cmd):\n    os.chmod(path, 0o711)\n    os.chmod(path, 0o777)\n    \
                os.chmod(path, 0o751)\n";
    let dir = tree(&[
        ("a.py", code),
        ("b.py", "import os\n\ndef f(p):\n    os.chmod(p, 0o666)\n"),
    ]);
    let out = vigil(
        dir.path(),
        &["review", "--isolated", "--select", "S103", "a.py", "b.py"],
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Found 4 security defects in 2 files (2 high, 0 medium, 2 low severity); 2 files reviewed."
    );
    let heads: Vec<&str> = lines.iter().copied().filter(|l| l.contains(": S103 `")).collect();
    let places: Vec<&str> = heads.iter().map(|l| l.split(": S103").next().unwrap()).collect();
    // High severity first (by file and line), then low.
    assert_eq!(places, ["a.py:5:5", "b.py:4:5", "a.py:4:5", "a.py:6:5"]);
    // The rule's general explanation once, each finding its own text.
    assert_eq!(text.matches("Why it matters:").count(), 1, "{text}");
    assert_eq!(text.matches("Defect: ").count(), 4, "{text}");
}

const TEST_TREE: &[(&str, &str)] = &[
    ("pkg/__init__.py", ""),
    ("pkg/api.py", "def f(x):\n    return x\n"),
    ("pkg/tests/__init__.py", ""),
    (
        "pkg/tests/test_api.py",
        "import os\n\ndef test_it(p):\n    os.chmod(p, 0o777)\n",
    ),
    ("pkg/fixtures_test.py", "import os\nos.chmod('x', 0o777)\n"),
    ("conftest.py", "import os\nos.chmod('y', 0o777)\n"),
    ("pkg/functional/helpers.py", "import os\nos.chmod('z', 0o777)\n"),
];

#[test]
fn test_code_is_left_out_and_counted() {
    let dir = tree(TEST_TREE);
    let out = vigil(dir.path(), &["review", "--isolated", "--select", "S103", "."]);
    // helpers.py under `functional` is not test code by name: it is reviewed.
    let text = stdout(&out);
    assert_eq!(
        text.lines().next().unwrap(),
        "Found 1 security defect in 1 file (1 high, 0 medium, 0 low severity); 3 files reviewed, 4 test files \
         left out (--include-tests reviews them)."
    );
    assert!(text.contains("pkg/functional/helpers.py:2:1: S103"), "{text}");
    let report = json(&vigil(
        dir.path(),
        &["review", "--isolated", "--select", "S103", "--format", "json", "."],
    ));
    assert_eq!(report["summary"]["test_files_left_out"], 4);
}

#[test]
fn include_tests_and_test_paths_bring_them_back_or_add_more() {
    let dir = tree(TEST_TREE);
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--isolated",
            "--select",
            "S103",
            "--include-tests",
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 4);

    let dir = tree(TEST_TREE);
    std::fs::write(dir.path().join(".vigil.toml"), "include-tests = true\n").unwrap();
    let out = vigil(dir.path(), &["review", "--select", "S103", "--format", "json", "."]);
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 4);

    let dir = tree(TEST_TREE);
    std::fs::write(dir.path().join(".vigil.toml"), "test-paths = [\"functional\"]\n").unwrap();
    let out = vigil(dir.path(), &["review", "--select", "S103", "."]);
    assert_eq!(
        stdout(&out),
        "No security defects are detected in the code\n",
        "{}",
        stderr(&out)
    );
    assert_eq!(
        stderr(&out),
        "vigil: note: 5 test files left out of the review (--include-tests reviews them)\n"
    );
}

#[test]
fn a_test_file_named_on_the_command_line_is_reviewed() {
    let dir = tree(TEST_TREE);
    let out = vigil(
        dir.path(),
        &["review", "--isolated", "--select", "S103", "pkg/tests/test_api.py"],
    );
    assert_eq!(out.status.code(), Some(1));
    // And a test folder named explicitly is reviewed as well.
    let out = vigil(dir.path(), &["review", "--isolated", "--select", "S103", "pkg/tests"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn only_test_code_means_nothing_was_reviewed() {
    let dir = tree(&[("tests/test_a.py", "x = 1\n"), ("tests/test_b.py", "y = 2\n")]);
    let out = vigil(dir.path(), &["review", "--isolated", "."]);
    assert_eq!(
        stdout(&out),
        "Nothing was reviewed: the 2 Python files under the given paths are test code (--include-tests \
         reviews them).\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn nothing_reviewed_is_never_called_clean() {
    let dir = tree(&[("ok.py", "x = 1\n"), ("bin.py", "\u{0}\u{1}")]);
    let missing = vigil(dir.path(), &["review", "--isolated", "nosuchdir"]);
    assert_eq!(
        stdout(&missing),
        "Nothing was reviewed: the input below could not be reviewed.\n\nNot reviewed:\n  nosuchdir: no such file or directory\n"
    );
    assert_eq!(missing.status.code(), Some(2));

    let partly = vigil(dir.path(), &["review", "--isolated", "ok.py", "bin.py"]);
    assert_eq!(
        stdout(&partly),
        "No security defects were found in the 1 file reviewed, but 1 file could not be reviewed (listed \
         below).\n\nNot reviewed:\n  bin.py: contains NUL bytes: not a Python source file; skipped\n"
    );
    assert_eq!(partly.status.code(), Some(2));

    let as_json = json(&vigil(
        dir.path(),
        &["review", "--isolated", "--format", "json", "ok.py", "bin.py"],
    ));
    assert_eq!(as_json["summary"]["files_not_reviewed"], 1);
    assert_eq!(as_json["errors"][0]["path"], "bin.py");

    let empty = tree(&[("README", "no python here\n")]);
    let out = vigil(empty.path(), &["review", "--isolated", "."]);
    assert_eq!(
        stdout(&out),
        "Nothing was reviewed: there is no Python file under the given paths.\n"
    );
}
