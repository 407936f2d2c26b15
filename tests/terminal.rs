//! The review as people read it (issue #14, part 2): colour and carets on a
//! terminal or with `--color always`, none on a pipe or with `NO_COLOR`;
//! `--quiet`, `--output-format concise`, `--statistics`, and
//! `--stdin-filename` for editor buffers. Exact outputs throughout.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::tree;

fn vigil_with(dir: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.args(args).current_dir(dir).env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::run_with_input(&mut cmd, stdin.unwrap_or("").as_bytes())
}

fn vigil(dir: &Path, args: &[&str]) -> Output {
    vigil_with(dir, args, None, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const ASSERT_PY: &str = "def f(ctx):\n    assert ctx.is_admin\n";
const TWO_PY: &str = "import yaml\n\n\ndef f(ctx, s):\n    assert ctx.is_admin\n    return yaml.load(s)\n";
const WHY_S101: &str = "`assert` statements are removed when Python runs with `-O` or `PYTHONOPTIMIZE`, so a check written as an assertion (a permission, a size limit, a state precondition) silently stops protecting anything in an optimised deployment.";

/// The plain review of ASSERT_PY in `path`: what a pipe has always shown.
fn plain_s101(path: &str) -> String {
    format!(
        "Found 1 security defect in 1 file (0 high, 0 medium, 1 low severity); 1 file reviewed.

{path}:2:5: S101 `assert ctx.is_admin` is removed under `python -O`
  S101 · assert-used (Bandit B101) · CWE-703 · severity LOW · confidence HIGH · line 2
    |
  2 |     assert ctx.is_admin
    |
  Defect: {WHY_S101}
  Solution: Use `if not (ctx.is_admin): raise ...` if this check must hold in production.
"
    )
}

#[test]
fn color_always_paints_and_underlines_the_defect() {
    let dir = tree(&[("a.py", ASSERT_PY)]);
    let out = vigil(dir.path(), &["review", "--color", "always", "--select", "S101", "a.py"]);
    assert_eq!(out.status.code(), Some(1));
    let bold = "\u{1b}[1m";
    let blue = "\u{1b}[1m\u{1b}[94m";
    let reset = "\u{1b}[0m";
    assert_eq!(
        stdout(&out),
        format!(
            "{bold}Found 1 security defect in 1 file (0 high, 0 medium, 1 low severity); 1 file reviewed.{reset}

{bold}a.py{reset}:2:5: {blue}S101{reset} `assert ctx.is_admin` is removed under `python -O`
  S101 · assert-used (Bandit B101) · CWE-703 · {blue}severity LOW{reset} · confidence HIGH · line 2
    {blue}|{reset}
  {blue}2{reset} {blue}|{reset}     assert ctx.is_admin
    {blue}|{reset}     {blue}^^^^^^^^^^^^^^^^^^^{reset}
  {bold}Defect:{reset} {WHY_S101}
  \u{1b}[1m\u{1b}[96mSolution:{reset} Use `if not (ctx.is_admin): raise ...` if this check must hold in production.
"
        )
    );
    // `--color always` wins over NO_COLOR: the user asked on the command line.
    let forced = vigil_with(
        dir.path(),
        &["review", "--color", "always", "--select", "S101", "a.py"],
        None,
        &[("NO_COLOR", "1")],
    );
    assert_eq!(stdout(&forced), stdout(&out));
}

#[test]
fn severities_have_their_own_colours() {
    let dir = tree(&[("a.py", TWO_PY)]);
    let out = vigil(
        dir.path(),
        &["review", "--color", "always", "--select", "S101,S506", "a.py"],
    );
    let text = stdout(&out);
    assert!(text.contains("\u{1b}[1m\u{1b}[33mS506\u{1b}[0m"), "{text}");
    assert!(text.contains("\u{1b}[1m\u{1b}[94mS101\u{1b}[0m"), "{text}");
    // The medium finding comes first, its range under yellow carets.
    assert!(text.find("S506").unwrap() < text.find("S101").unwrap());
    assert!(text.contains("\u{1b}[1m\u{1b}[33m^^^^^^^^^^^^\u{1b}[0m"), "{text}");
}

#[test]
fn pipes_and_no_color_get_the_plain_review() {
    let dir = tree(&[("a.py", ASSERT_PY)]);
    for (args, env) in [
        (vec!["review", "--select", "S101", "a.py"], vec![]),
        (vec!["review", "--select", "S101", "a.py"], vec![("NO_COLOR", "1")]),
        (vec!["review", "--color", "never", "--select", "S101", "a.py"], vec![]),
        (vec!["review", "--color", "auto", "--select", "S101", "a.py"], vec![]),
    ] {
        let out = vigil_with(dir.path(), &args, None, &env);
        assert_eq!(stdout(&out), plain_s101("a.py"), "{args:?} {env:?}");
        assert!(!stdout(&out).contains('\u{1b}'));
    }
}

#[test]
fn the_clean_answer_is_never_painted() {
    let dir = tree(&[("a.py", "x = 1\n")]);
    let out = vigil(dir.path(), &["review", "--color", "always", "a.py"]);
    assert_eq!(stdout(&out), "No security defects are detected in the code\n");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn quiet_prints_the_findings_only() {
    let dir = tree(&[("a.py", ASSERT_PY), ("tests/test_a.py", ASSERT_PY)]);
    let out = vigil(dir.path(), &["review", "-q", "--select", "S101", "."]);
    assert_eq!(out.status.code(), Some(1));
    let full = plain_s101("a.py");
    let findings = full.split_once("\n\n").unwrap().1;
    assert_eq!(stdout(&out), findings);
    assert_eq!(stderr(&out), "");

    // Clean and quiet: nothing at all, not even the note on test files.
    let clean = tree(&[("a.py", "x = 1\n"), ("tests/test_a.py", ASSERT_PY)]);
    let out = vigil(clean.path(), &["review", "--quiet", "--select", "S101", "."]);
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
    let loud = vigil(clean.path(), &["review", "--select", "S101", "."]);
    assert_eq!(
        stderr(&loud),
        "vigil: note: 1 test file left out of the review (--include-tests reviews it)\n"
    );

    // Errors still go to standard error.
    let out = vigil(dir.path(), &["review", "-q", "missing.py"]);
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "vigil: error: missing.py: no such file or directory\n");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn concise_is_one_line_per_finding_in_file_order() {
    let dir = tree(&[("a.py", TWO_PY), ("b.py", ASSERT_PY)]);
    let expected = "Found 3 security defects in 2 files (0 high, 1 medium, 2 low severity); 2 files reviewed.

a.py:5:5: S101 `assert ctx.is_admin` is removed under `python -O`
a.py:6:12: S506 `yaml.load` without a safe loader can build arbitrary Python objects
b.py:2:5: S101 `assert ctx.is_admin` is removed under `python -O`
";
    for flag in ["--output-format", "--format", "-f"] {
        let out = vigil(dir.path(), &["review", flag, "concise", "--select", "S101,S506", "."]);
        assert_eq!(stdout(&out), expected, "{flag}");
        assert_eq!(out.status.code(), Some(1));
    }
    let out = vigil(
        dir.path(),
        &["review", "-q", "-f", "concise", "--select", "S101,S506", "."],
    );
    assert_eq!(stdout(&out), expected.split_once("\n\n").unwrap().1);
    let out = vigil(dir.path(), &["review", "-f", "concise", "--select", "S602", "."]);
    assert_eq!(stdout(&out), "No security defects are detected in the code\n");
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = tree(&[("a.py", TWO_PY), ("b.py", ASSERT_PY)]);
    let out = vigil(dir.path(), &["review", "--statistics", "--select", "S101,S506", "."]);
    assert_eq!(
        stdout(&out),
        "Found 3 security defects in 2 files (0 high, 1 medium, 2 low severity); 2 files reviewed.

2  S101  LOW     assert-used
1  S506  MEDIUM  unsafe-yaml-load  (1 fixable with --fix)
"
    );
    assert_eq!(out.status.code(), Some(1));
    let out = vigil(dir.path(), &["review", "--statistics", "-q", "--select", "S101", "."]);
    assert_eq!(stdout(&out), "2  S101  LOW     assert-used\n");

    let out = vigil(dir.path(), &["review", "--statistics", "-f", "json", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: --statistics counts findings for people: use it with --format text or concise\n"
    );
}

#[test]
fn stdin_filename_names_the_buffer() {
    let dir = tree(&[(
        "proj/pyproject.toml",
        "[tool.vigil]\nselect = [\"S101\", \"S506\"]\nextend-exclude = [\"generated\"]\n\n\
         [tool.vigil.per-file-ignores]\n\"tests\" = [\"S101\"]\n",
    )]);
    // The configuration is the buffer's (found from its folder, which need
    // not exist yet), and so is the path shown.
    let out = vigil_with(
        dir.path(),
        &["review", "--stdin-filename", "proj/new/a.py"],
        Some(ASSERT_PY),
        &[],
    );
    assert_eq!(stdout(&out), plain_s101("proj/new/a.py"));
    assert_eq!(out.status.code(), Some(1));

    // Its per-file ignores apply.
    let out = vigil_with(
        dir.path(),
        &[
            "review",
            "-f",
            "concise",
            "--stdin-filename",
            "proj/tests/test_a.py",
            "-",
        ],
        Some(TWO_PY),
        &[],
    );
    assert_eq!(
        stdout(&out),
        "Found 1 security defect in 1 file (0 high, 1 medium, 0 low severity); 1 file reviewed.

proj/tests/test_a.py:6:12: S506 `yaml.load` without a safe loader can build arbitrary Python objects
"
    );

    // A name ending in .py is Python, never tried as a review listing.
    let listing_like = "1 assert ok\n2 assert ok\n";
    let out = vigil_with(
        dir.path(),
        &[
            "review",
            "--isolated",
            "--select",
            "S101",
            "-f",
            "concise",
            "--stdin-filename",
            "b.py",
        ],
        Some(listing_like),
        &[],
    );
    assert!(
        stderr(&out).starts_with("vigil: warning: b.py:1: syntax error"),
        "{}",
        stderr(&out)
    );
    let as_listing = vigil_with(
        dir.path(),
        &["review", "--isolated", "--select", "S101", "-f", "concise", "-"],
        Some(listing_like),
        &[],
    );
    assert_eq!(stderr(&as_listing), "");

    // With --force-exclude, an excluded buffer is not reviewed.
    let out = vigil_with(
        dir.path(),
        &["review", "--force-exclude", "--stdin-filename", "proj/generated/x.py"],
        Some(ASSERT_PY),
        &[],
    );
    assert_eq!(
        stderr(&out),
        "vigil: note: proj/generated/x.py is excluded by the configuration (--force-exclude): not reviewed\n"
    );
    assert_eq!(out.status.code(), Some(0));

    // Standard input is one file: other paths go in another run.
    let out = vigil(dir.path(), &["review", "--stdin-filename", "a.py", "proj"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: --stdin-filename names standard input: give `-` or no path, and review other files in another run\n"
    );
}
