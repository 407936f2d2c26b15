//! Change review end to end: real git repositories made in the test, a
//! change, and `vigil review --diff REV` / `--diff-file PATCH` / `--diff-file -`
//! with exact output and exit codes.

mod common;

use common::{NO_DEFECTS, Repo, outside, review_text, s101, stderr, stdout};

const BASE: &str = "def f(ctx):\n    assert ctx.user\n    return 1\n\n\ndef g(ctx):\n    assert ctx.project\n";

fn repo_with_base() -> Repo {
    let repo = Repo::new();
    repo.write("nova/api.py", BASE);
    repo.commit("base");
    repo
}

#[test]
fn added_lines_are_reviewed_and_old_findings_are_not() {
    let repo = repo_with_base();
    repo.write(
        "nova/api.py",
        "def f(ctx):\n    assert ctx.user\n    assert ctx.admin\n    return 1\n\n\ndef g(ctx):\n    assert ctx.project\n",
    );
    let out = repo.vigil(&["review", "--select", "S101", "--diff", "HEAD"]);
    assert_eq!(stdout(&out), review_text(&[s101("nova/api.py", 3, 4, "ctx.admin")], 1));
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(1));

    // Without --diff every finding of the file is there.
    let all = repo.vigil(&["review", "--select", "S101", "nova/api.py"]);
    assert_eq!(stdout(&all).matches(": S101 ").count(), 3);
}

#[test]
fn modified_lines_are_reviewed() {
    let repo = repo_with_base();
    repo.write(
        "nova/api.py",
        &BASE.replace("assert ctx.project", "assert ctx.project_id"),
    );
    let out = repo.vigil(&["review", "--select", "S101", "--diff", "HEAD"]);
    assert_eq!(
        stdout(&out),
        review_text(&[s101("nova/api.py", 7, 4, "ctx.project_id")], 1)
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_finding_counts_when_any_of_its_lines_changed() {
    let repo = Repo::new();
    repo.write("a.py", "assert ready, (\n    'not ready'\n)\nassert other\n");
    repo.commit("base");
    repo.write("a.py", "assert ready, (\n    'still not ready'\n)\nassert other\n");
    let out = repo.vigil(&["review", "--select", "S101", "--format", "json", "--diff", "HEAD"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let spans: Vec<(u64, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["end_line"].as_u64().unwrap()))
        .collect();
    assert_eq!(spans, vec![(1, 3)]);
}

#[test]
fn unchanged_files_and_pure_deletions_report_nothing() {
    let repo = repo_with_base();
    repo.write("nova/api.py", &BASE.replace("    return 1\n", ""));
    let out = repo.vigil(&["review", "--select", "S101", "--diff", "HEAD"]);
    assert_eq!(stdout(&out), NO_DEFECTS);
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_rename_with_edits_reports_the_edits_under_the_new_name() {
    let repo = Repo::new();
    let mut body = String::new();
    for i in 1..=12 {
        body.push_str(&format!("def check_{i}(ctx):\n    assert ctx.flag_{i}\n\n\n"));
    }
    repo.write("nova/old_name.py", &body);
    repo.commit("base");
    repo.git(&["mv", "nova/old_name.py", "nova/new name.py"]);
    repo.write("nova/new name.py", &body.replace("ctx.flag_5\n", "ctx.flag_5b\n"));
    repo.commit("rename and edit");
    let diff = repo.git(&["diff", "-M", "HEAD~1"]);
    assert!(
        diff.contains("rename from nova/old_name.py\nrename to nova/new name.py\n"),
        "{diff}"
    );

    let out = repo.vigil(&["review", "--select", "S101", "--diff", "HEAD~1"]);
    assert_eq!(
        stdout(&out),
        review_text(&[s101("nova/new name.py", 18, 4, "ctx.flag_5b")], 1)
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn deleted_files_are_skipped_and_new_files_reviewed_whole() {
    let repo = repo_with_base();
    repo.write("nova/gone.py", "assert gone\n");
    repo.commit("more");
    repo.remove("nova/gone.py");
    repo.write("nova/café.py", "import os\nassert new_one\nassert new_two\n");
    repo.write("nova/README.rst", "Not Python.\n");
    repo.commit("delete one, add one");
    let out = repo.vigil(&["review", "--select", "S101", "--diff", "HEAD~1"]);
    assert_eq!(
        stdout(&out),
        review_text(
            &[
                s101("nova/café.py", 2, 0, "new_one"),
                s101("nova/café.py", 3, 0, "new_two")
            ],
            1
        )
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_change_without_python_files_reviews_nothing() {
    let repo = repo_with_base();
    repo.write("doc/index.rst", "Docs\n");
    repo.commit("docs");
    let out = repo.vigil(&["review", "--diff", "HEAD~1"]);
    // Not "no defects": nothing was reviewed.
    assert_eq!(
        stdout(&out),
        "Nothing was reviewed: the change touches no Python file under the given paths.\n"
    );
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
}

/// The change every patch-file test reviews: one line added to `nova/api.py`.
fn committed_change() -> Repo {
    let repo = repo_with_base();
    repo.write("nova/api.py", &format!("{BASE}    assert ctx.admin\n"));
    repo.commit("Add an admin check\n\ndiff --git a/x b/x quoted in the message\n--- a/x\n+++ b/x\n");
    repo
}

#[test]
fn a_format_patch_mail_is_a_diff() {
    let repo = committed_change();
    let mail = repo.git(&["format-patch", "-1", "--stdout"]);
    assert!(mail.starts_with("From "), "{mail}");
    let patch = outside(&repo, "change.patch");
    std::fs::write(&patch, &mail).unwrap();
    let out = repo.vigil(&["review", "--select", "S101", "--diff-file", patch.to_str().unwrap()]);
    assert_eq!(stdout(&out), review_text(&[s101("nova/api.py", 8, 4, "ctx.admin")], 1));
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_format_patch_series_moves_earlier_changes() {
    let repo = committed_change();
    repo.write("nova/api.py", &format!("import os\n\n{}", repo.read("nova/api.py")));
    repo.commit("Import os");
    let series = repo.git(&["format-patch", "-2", "--stdout"]);
    let out = repo.vigil_in(".", &["review", "--select", "S101", "--diff-file", "-"], Some(&series));
    assert_eq!(stdout(&out), review_text(&[s101("nova/api.py", 10, 4, "ctx.admin")], 1));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_diff_on_standard_input() {
    let repo = committed_change();
    let diff = repo.git(&["diff", "HEAD~1"]);
    let out = repo.vigil_in(".", &["review", "--select", "S101", "--diff-file", "-"], Some(&diff));
    assert_eq!(stdout(&out), review_text(&[s101("nova/api.py", 8, 4, "ctx.admin")], 1));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn paths_limit_a_change_review_and_are_shown_as_a_review_shows_them() {
    let repo = committed_change();
    repo.write("tools/t.py", "assert tool\n");
    repo.write("nova/tests/t.py", "assert test\n");
    repo.commit("more");
    let out = repo.vigil(&[
        "review",
        "--select",
        "S101",
        "--diff",
        "HEAD~2",
        "nova/tests",
        "tools/t.py",
    ]);
    assert_eq!(
        stdout(&out),
        review_text(
            &[s101("nova/tests/t.py", 1, 0, "test"), s101("tools/t.py", 1, 0, "tool")],
            2
        )
    );
    // From a subdirectory, paths in the diff still start at the top of the
    // repository, and `.` limits the review to the subdirectory.
    let diff = repo.git(&["diff", "HEAD~2"]);
    let inside = repo.vigil_in("nova", &["review", "--select", "S101", "--diff-file", "-"], Some(&diff));
    // There, `tests/t.py` is test code below the folder named: left out.
    assert_eq!(
        stdout(&inside),
        review_text(&[s101("api.py", 8, 4, "ctx.admin")], 1).replacen(
            "1 file reviewed.",
            "1 file reviewed, 1 test file left out (--include-tests reviews them).",
            1
        )
    );
}

#[test]
fn a_diff_that_does_not_match_the_files_is_an_error() {
    let repo = committed_change();
    let diff = repo.git(&["diff", "HEAD~1"]);
    // Someone edited the line the diff adds.
    repo.write("nova/api.py", &format!("{BASE}    assert ctx.is_admin\n"));
    repo.write("other.py", "assert untouched\n");
    let out = repo.vigil_in(".", &["review", "--select", "S101", "--diff-file", "-"], Some(&diff));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).starts_with("Nothing was reviewed: the input below could not be reviewed.\n\nNot reviewed:\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        stderr(&out),
        "vigil: error: nova/api.py: the diff does not match the file on disk: hunk `@@ -5,3 +5,4 @@ def f(ctx):` \
         (diff line 5) expects line 8 to be `    assert ctx.admin`, but the file has `    assert ctx.is_admin`; \
         is the diff for this checkout (a patch file must be applied first, as `git am` or `git apply` does)?\n"
    );

    // A file the diff changes is not there at all.
    let missing = diff.replace("nova/api.py", "nova/moved.py");
    let out = repo.vigil_in(".", &["review", "--diff-file", "-"], Some(&missing));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: nova/moved.py: the diff on standard input changes this file, but it is not on disk: \
         is the diff for this checkout, and is vigil run where its paths start (the top of the repository)?\n"
    );
}

#[test]
fn broken_and_foreign_diffs_are_usage_errors() {
    let repo = committed_change();
    let diff = repo.git(&["diff", "HEAD~1"]);
    let cut = &diff[..diff.len() - "    assert ctx.admin\n".len() - 1];
    let out = repo.vigil_in(".", &["review", "--diff-file", "-"], Some(cut));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: the diff on standard input: line 5: hunk `@@ -5,3 +5,4 @@ def f(ctx):` is cut short: \
         the diff ends before its last 0 old and 1 new line(s); is the diff truncated or edited by hand?\n"
    );
    assert_eq!(stdout(&out), "");

    let out = repo.vigil(&["review", "--diff-file", "nova/api.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: nova/api.py: no file changes found: expected a unified diff \
         (from `git diff`, `git format-patch` or `diff -u`)\n"
    );

    let out = repo.vigil(&["review", "--diff-file", "nope.patch"]);
    assert_eq!(
        stderr(&out),
        "vigil: error: cannot read the diff nope.patch: no such file\n"
    );
    assert_eq!(out.status.code(), Some(2));

    let escaping = diff.replace("nova/api.py", "../outside.py");
    let out = repo.vigil_in(".", &["review", "--diff-file", "-"], Some(&escaping));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: ../outside.py: the diff on standard input names a path outside the repository; not reviewed\n"
    );
}

#[test]
fn git_problems_are_usage_errors() {
    let repo = committed_change();
    let out = repo.vigil(&["review", "--diff", "no-such-revision"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("vigil: error: `git diff no-such-revision` failed in "),
        "{}",
        stderr(&out)
    );
    let out = repo.vigil(&["review", "--diff=--output=x"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: `--diff --output=x`: expected a revision such as HEAD~1, a commit id or origin/master\n"
    );
    assert!(!repo.path().join("x").exists());
    let out = repo.vigil(&["review", "--diff", "HEAD", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("vigil: error: `-` (standard input) cannot be reviewed"));

    let plain = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["review", "--diff", "HEAD"])
        .current_dir(plain.path())
        .env("GIT_CEILING_DIRECTORIES", plain.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("vigil: error: `git rev-parse --show-toplevel` failed in "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_users_git_configuration_does_not_change_what_vigil_reads() {
    let repo = committed_change();
    for (key, value) in [
        ("diff.noprefix", "true"),
        ("diff.mnemonicPrefix", "true"),
        ("diff.relative", "true"),
        ("color.ui", "always"),
        ("color.diff", "always"),
        ("diff.external", "false"),
        ("core.quotePath", "false"),
    ] {
        repo.git(&["config", key, value]);
    }
    let out = repo.vigil_in("nova", &["review", "--select", "S101", "--diff", "HEAD~1"], None);
    assert_eq!(stdout(&out), review_text(&[s101("api.py", 8, 4, "ctx.admin")], 1));
    assert_eq!(stderr(&out), "");
}

#[test]
fn the_dataflow_of_a_change_sees_the_unchanged_files_it_calls() {
    let repo = Repo::new();
    repo.write("app/__init__.py", "");
    repo.write(
        "app/shell.py",
        "import subprocess\n\n\ndef run(command):\n    return subprocess.run(command, shell=True)\n",
    );
    repo.write(
        "app/views.py",
        "from flask import Flask, request\n\nfrom app import shell\n\napp = Flask(__name__)\n\n\n\
         @app.route('/ping')\ndef ping():\n    return ''\n",
    );
    repo.commit("base");
    repo.write(
        "app/views.py",
        "from flask import Flask, request\n\nfrom app import shell\n\napp = Flask(__name__)\n\n\n\
         @app.route('/ping')\ndef ping():\n    shell.run('ping -c 1 ' + request.args['host'])\n    return ''\n",
    );
    let out = repo.vigil(&["review", "--select", "T078", "--format", "json", "--diff", "HEAD"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(String, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect();
    // The sink is in the unchanged `app/shell.py`; the change passes it a
    // query parameter.
    assert_eq!(found, vec![("app/views.py".to_string(), 10)]);
    assert_eq!(doc["summary"]["files_reviewed"], 1);
    assert_eq!(out.status.code(), Some(1));
}
