//! End-to-end tests of configuration (`.vigil.toml`, `[tool.vigil]`, flags,
//! `vigil config`), unused-suppression reports and the progress line: the
//! binary on trees made here, exact output and exit codes.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The temporary folder as vigil sees it (symlinks resolved).
fn real(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap()
}

/// `(path, line)` of every finding in a JSON report.
fn findings(out: &Output) -> Vec<(String, u64)> {
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect()
}

fn found(items: &[(&str, u64)]) -> Vec<(String, u64)> {
    items.iter().map(|(p, l)| (p.to_string(), *l)).collect()
}

const ASSERT: &str = "eval(x)\n";
/// S307 (low severity) on line 1, S506 `exec` (medium) on line 2.
const TWO_RULES: &str = "eval(x)\nimport yaml; yaml.load(code)\n";

/// Runs `vigil config` in `dir` and returns (exit code, stderr).
fn config_error(dir: &Path) -> (Option<i32>, String) {
    let out = vigil(dir, &["config"]);
    (out.status.code(), stderr(&out))
}

// --- discovery and precedence -------------------------------------------

#[test]
fn config_is_found_walking_up_from_the_first_path() {
    let dir = tree(&[(".vigil.toml", "select = [\"S506\"]\n"), ("pkg/sub/a.py", TWO_RULES)]);
    let out = vigil(&dir.path().join("pkg"), &["review", "--format", "json", "sub"]);
    assert_eq!(findings(&out), found(&[("sub/a.py", 2)]));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn vigil_toml_wins_over_pyproject_in_the_same_folder() {
    let dir = tree(&[
        (".vigil.toml", "select = [\"S506\"]\n"),
        ("pyproject.toml", "[tool.vigil]\nselect = [\"S307\"]\n"),
        ("a.py", TWO_RULES),
    ]);
    let out = vigil(dir.path(), &["review", "--format", "json", "a.py"]);
    assert_eq!(findings(&out), found(&[("a.py", 2)]));
}

#[test]
fn the_nearest_file_wins_and_pyproject_without_tool_vigil_is_passed_over() {
    let dir = tree(&[
        (".vigil.toml", "select = [\"S506\"]\n"),
        ("inner/pyproject.toml", "[project]\nname = \"inner\"\n"),
        ("inner/a.py", TWO_RULES),
        ("near/pyproject.toml", "[tool.vigil]\nselect = [\"S307\"]\n"),
        ("near/a.py", TWO_RULES),
    ]);
    let out = vigil(dir.path(), &["review", "--format", "json", "inner"]);
    assert_eq!(
        findings(&out),
        found(&[("inner/a.py", 2)]),
        "walks past a foreign pyproject"
    );
    let out = vigil(dir.path(), &["review", "--format", "json", "near"]);
    assert_eq!(findings(&out), found(&[("near/a.py", 1)]), "the nearest file wins");
}

#[test]
fn flags_override_the_file() {
    let dir = tree(&[
        (".vigil.toml", "select = [\"S506\"]\nseverity = \"high\"\n"),
        ("a.py", TWO_RULES),
    ]);
    let out = vigil(dir.path(), &["review", "--format", "json", "a.py"]);
    assert_eq!(findings(&out), found(&[]), "S506 is medium, under the file's threshold");
    let out = vigil(dir.path(), &["review", "--format", "json", "--severity", "low", "a.py"]);
    assert_eq!(findings(&out), found(&[("a.py", 2)]));
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--format",
            "json",
            "--severity",
            "low",
            "--select",
            "S307",
            "a.py",
        ],
    );
    assert_eq!(findings(&out), found(&[("a.py", 1)]));
}

#[test]
fn extend_select_adds_to_the_default_set() {
    // S307 is on by default, S101 is not.
    let two = "eval(x)\nassert y\n";
    let dir = tree(&[(".vigil.toml", "extend-select = [\"S101\"]\n"), ("a.py", two)]);
    let out = vigil(dir.path(), &["review", "--format", "json", "a.py"]);
    assert_eq!(findings(&out), found(&[("a.py", 1), ("a.py", 2)]));
    let out = vigil(dir.path(), &["review", "--format", "json", "--isolated", "a.py"]);
    assert_eq!(findings(&out), found(&[("a.py", 1)]));
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--format",
            "json",
            "--isolated",
            "--extend-select",
            "B101",
            "a.py",
        ],
    );
    assert_eq!(findings(&out), found(&[("a.py", 1), ("a.py", 2)]));
    // With `select`, it extends that selection instead.
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--format",
            "json",
            "--select",
            "S101",
            "--extend-select",
            "S307",
            "a.py",
        ],
    );
    assert_eq!(findings(&out), found(&[("a.py", 1), ("a.py", 2)]));
}

#[test]
fn config_flag_names_the_file_and_isolated_ignores_all() {
    let dir = tree(&[
        (".vigil.toml", "select = [\"S506\"]\n"),
        ("other/strict.toml", "select = [\"S307\"]\n"),
        ("a.py", TWO_RULES),
    ]);
    let out = vigil(
        dir.path(),
        &["review", "--format", "json", "--config", "other/strict.toml", "a.py"],
    );
    assert_eq!(findings(&out), found(&[("a.py", 1)]));
    let out = vigil(dir.path(), &["review", "--format", "json", "--isolated", "a.py"]);
    assert_eq!(findings(&out), found(&[("a.py", 1), ("a.py", 2)]));
    let out = vigil(dir.path(), &["review", "--isolated", "--config", "x.toml", "a.py"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn standard_input_uses_the_current_folders_config() {
    let dir = tree(&[(".vigil.toml", "select = [\"S506\"]\n")]);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.args(["review", "--format", "json", "-"]).current_dir(dir.path());
    let out = common::run_with_input(&mut cmd, TWO_RULES.as_bytes());
    assert_eq!(findings(&out), found(&[("-", 2)]));
}

// --- `vigil config` ---------------------------------------------------------

#[test]
fn vigil_config_shows_every_key_and_its_origin() {
    let dir = tree(&[
        (
            "pyproject.toml",
            "[project]\nname = \"nova\"\n\n[tool.vigil]\nselect = [\"S1\", \"B506\"]\n\
             per-file-ignores = { \"nova/tests/**\" = [\"S307\"] }\nextend-exclude = [\"nova/locale\"]\n\
             models = [\"models/nova.yaml\"]\n",
        ),
        ("models/nova.yaml", "not: [read"),
        ("nova/a.py", ASSERT),
    ]);
    let out = vigil(&dir.path().join("nova"), &["config", "--severity", "medium"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let file = real(dir.path()).join("pyproject.toml");
    let file = file.display();
    assert_eq!(
        stdout(&out),
        format!(
            "# vigil configuration
# file: {file} [tool.vigil]
select = [\"S1\", \"B506\"]  # {file}:5
extend-select = []  # default
ignore = []  # default
per-file-ignores = {{ \"nova/tests/**\" = [\"S307\"] }}  # {file}:6
severity = \"medium\"  # flag --severity
confidence = \"low\"  # default
exclude = [\"*.egg\", \"__pypackages__\", \"_build\", \"buck-out\", \"dist\", \"node_modules\", \"site-packages\", \"venv\"]  # default
extend-exclude = [\"nova/locale\"]  # {file}:7
include-tests = false  # default (test code is left out of the review)
test-paths = []  # default
models = [\"models/nova.yaml\"]  # {file}:8 (dataflow model files, added to the built-in ones)
"
        )
    );
}

#[test]
fn vigil_config_without_a_file_and_isolated() {
    let dir = tree(&[(".vigil.toml", "ignore = [\"S307\"]\n")]);
    let out = vigil(dir.path(), &["config", "--isolated"]);
    assert_eq!(
        stdout(&out),
        "# vigil configuration
# file: none (--isolated: configuration files are ignored)
select = []  # default: every rule that is on by default
extend-select = []  # default
ignore = []  # default
per-file-ignores = {}  # default
severity = \"low\"  # default
confidence = \"low\"  # default
exclude = [\"*.egg\", \"__pypackages__\", \"_build\", \"buck-out\", \"dist\", \"node_modules\", \"site-packages\", \"venv\"]  # default
extend-exclude = []  # default
include-tests = false  # default (test code is left out of the review)
test-paths = []  # default
models = []  # default (dataflow model files, added to the built-in ones)
"
    );
    let out = vigil(dir.path(), &["config"]);
    let text = stdout(&out);
    assert!(text.contains("# file: .vigil.toml\n"), "{text}");
    assert!(text.contains("ignore = [\"S307\"]  # .vigil.toml:1\n"), "{text}");
}

#[test]
fn vigil_config_checks_flag_selectors() {
    let dir = tree(&[]);
    let out = vigil(dir.path(), &["config", "--isolated", "--select", "B999"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: unknown rule `B999`: run `vigil rules` to list rule ids, Bandit ids and names\n"
    );
}

// --- errors: file, line, column, key ---------------------------------------

/// (file name, contents, the exact error after `vigil: error: `).
const ERRORS: &[(&str, &str, &str)] = &[
    (
        ".vigil.toml",
        "select = [\"S1\"]\nselec = [\"S1\"]\n",
        ".vigil.toml:2:1: unknown key `selec`: the keys are `select`, `extend-select`, `ignore`, `per-file-ignores`, `severity`, `confidence`, `exclude`, `extend-exclude`, `include-tests`, `test-paths`, `models`",
    ),
    (
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.vigil]\nseverity = \"low\"\nbogus = 1\n\n[tool.other]\nbogus = 2\n",
        "pyproject.toml:6:1: unknown key `bogus` in [tool.vigil]: the keys are `select`, `extend-select`, `ignore`, `per-file-ignores`, `severity`, `confidence`, `exclude`, `extend-exclude`, `include-tests`, `test-paths`, `models`",
    ),
    (
        ".vigil.toml",
        "select = \"S307\"\n",
        ".vigil.toml:1:10: `select` must be a list of strings, not a string",
    ),
    (
        ".vigil.toml",
        "ignore = [\"S307\", 3]\n",
        ".vigil.toml:1:10: `ignore` must be a list of strings, not a list holding an integer",
    ),
    (
        ".vigil.toml",
        "select = [\n  \"S307\",\n  \"B999\",\n]\n",
        ".vigil.toml:3:3: `select`: unknown rule `B999`: run `vigil rules` to list rule ids, Bandit ids and names",
    ),
    (
        ".vigil.toml",
        "severity = \"huge\"\n",
        ".vigil.toml:1:12: `severity` must be \"low\", \"medium\" or \"high\", not \"huge\"",
    ),
    (
        ".vigil.toml",
        "confidence = 2\n",
        ".vigil.toml:1:14: `confidence` must be a string, not an integer",
    ),
    (
        ".vigil.toml",
        "per-file-ignores = [\"tests\"]\n",
        ".vigil.toml:1:20: `per-file-ignores` must be a table of \"glob\" = [\"RULE\", ...] entries, not an array",
    ),
    (
        ".vigil.toml",
        "[per-file-ignores]\n\"tests/**\" = \"S307\"\n",
        ".vigil.toml:1:1: `per-file-ignores.\"tests/**\"` must be a list of strings, not a string",
    ),
    (
        ".vigil.toml",
        "[per-file-ignores]\n\"tests/**\" = [\"S307\"]\n\"a[\" = [\"S307\"]\n",
        ".vigil.toml:3:1: `per-file-ignores`: `a[` is not a valid glob: unclosed character class; missing ']'",
    ),
    (
        ".vigil.toml",
        "[per-file-ignores]\n\"tests/**\" = [\"S307\", \"S9\"]\n",
        ".vigil.toml:2:23: `per-file-ignores.\"tests/**\"`: unknown rule `S9`: run `vigil rules` to list rule ids, Bandit ids and names",
    ),
    (
        ".vigil.toml",
        "exclude = [\"build\", \"{a\"]\n",
        ".vigil.toml:1:21: `exclude`: `{a` is not a valid glob: unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)",
    ),
    (
        ".vigil.toml",
        "extend-exclude = [\"\"]\n",
        ".vigil.toml:1:19: `extend-exclude`: `` is an empty pattern",
    ),
    (
        ".vigil.toml",
        "select = [\"S307\"\n",
        ".vigil.toml:1:17: invalid TOML: unclosed array, expected `]`",
    ),
    (
        ".vigil.toml",
        "severity = \"low\"\nseverity = \"high\"\n",
        ".vigil.toml:2:1: invalid TOML: duplicate key",
    ),
    (
        ".vigil.toml",
        "models = [\"/etc/shadow\"]\n",
        ".vigil.toml:1:11: `models`: `/etc/shadow` is outside {dir}: a repository's configuration cannot make vigil read files outside the repository",
    ),
    (
        ".vigil.toml",
        "models = [\"models/../../x.yaml\"]\n",
        ".vigil.toml:1:11: `models`: `models/../../x.yaml` is outside {dir}: a repository's configuration cannot make vigil read files outside the repository",
    ),
    (
        ".vigil.toml",
        "models = [\"models/missing.yaml\"]\n",
        ".vigil.toml:1:11: `models`: `models/missing.yaml` does not exist (paths are relative to {dir})",
    ),
    (
        ".vigil.toml",
        "models = [\"\"]\n",
        ".vigil.toml:1:11: `models`: an empty path names no model file",
    ),
];

#[test]
fn every_error_names_file_line_column_and_key() {
    for (name, text, expected) in ERRORS {
        let dir = tree(&[(name, text), ("a.py", ASSERT)]);
        let expected = expected.replace("{dir}", &real(dir.path()).display().to_string());
        let (code, err) = config_error(dir.path());
        assert_eq!(
            (code, err.as_str()),
            (Some(2), format!("vigil: error: {expected}\n").as_str()),
            "{text}"
        );
        // `vigil review` refuses the same file the same way, before any file is read.
        let out = vigil(dir.path(), &["review", "a.py"]);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(stderr(&out), format!("vigil: error: {expected}\n"));
        assert_eq!(stdout(&out), "");
    }
}

#[test]
fn a_named_file_must_exist_and_a_named_pyproject_needs_tool_vigil() {
    let dir = tree(&[("pyproject.toml", "[project]\nname = \"x\"\n")]);
    let out = vigil(dir.path(), &["config", "--config", "nope.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: nope.toml: cannot read the configuration: no such file\n"
    );
    let out = vigil(dir.path(), &["config", "--config", "pyproject.toml"]);
    assert_eq!(
        stderr(&out),
        "vigil: error: pyproject.toml: has no [tool.vigil] table: add one, or name a `.vigil.toml`\n"
    );
}

#[cfg(unix)]
#[test]
fn model_paths_may_not_escape_through_symlinks() {
    let outside = tree(&[("secret.yaml", "token: hunter2\n")]);
    let dir = tree(&[
        (".vigil.toml", "models = [\"models/link.yaml\"]\n"),
        ("models/ok.yaml", ""),
    ]);
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), dir.path().join("models/link.yaml")).unwrap();
    let (code, err) = config_error(dir.path());
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        format!(
            "vigil: error: .vigil.toml:1:11: `models`: `models/link.yaml` resolves to {}, outside {}: a repository's configuration cannot make vigil read files outside the repository\n",
            real(outside.path()).join("secret.yaml").display(),
            real(dir.path()).display()
        )
    );
    assert!(!err.contains("hunter2"));

    // A symlink that stays inside, and a path with `..` that stays inside, are fine.
    std::fs::remove_file(dir.path().join("models/link.yaml")).unwrap();
    std::os::unix::fs::symlink("ok.yaml", dir.path().join("models/link.yaml")).unwrap();
    write(
        dir.path(),
        ".vigil.toml",
        "models = [\"models/link.yaml\", \"models/../models/ok.yaml\"]\n",
    );
    let out = vigil(dir.path(), &["config"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_model_file_that_is_not_text_is_an_error() {
    let dir = tree(&[(".vigil.toml", "models = [\"models/own.bin\"]\n"), ("a.py", "x = 1\n")]);
    std::fs::create_dir_all(dir.path().join("models")).unwrap();
    std::fs::write(dir.path().join("models/own.bin"), b"\xff\x00\xfe").unwrap();
    let out = vigil(dir.path(), &["review", "a.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: model file `models/own.bin`: stream did not contain valid UTF-8\n"
    );
}

#[cfg(unix)]
#[test]
fn a_config_file_symlinked_out_of_its_folder_is_not_read() {
    let outside = tree(&[("elsewhere.toml", "bogus-secret-key = 1\n")]);
    let dir = tree(&[("a.py", ASSERT)]);
    std::os::unix::fs::symlink(outside.path().join("elsewhere.toml"), dir.path().join(".vigil.toml")).unwrap();
    let (code, err) = config_error(dir.path());
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        format!(
            "vigil: error: .vigil.toml: is a symlink to {}, outside its folder; not read: a repository's configuration cannot make vigil read files outside the repository\n",
            real(outside.path()).join("elsewhere.toml").display()
        )
    );
    assert!(!err.contains("bogus-secret-key"));
}

// --- per-file ignores and excludes -------------------------------------------

#[test]
fn per_file_ignores_match_relative_to_the_config_folder() {
    let dir = tree(&[
        (
            ".vigil.toml",
            "[per-file-ignores]\n\"nova/tests\" = [\"S307\"]\n\"conftest.py\" = [\"eval-call\"]\n\
             \"nova/*.py\" = [\"B506\"]\n",
        ),
        ("nova/a.py", TWO_RULES),
        ("nova/sub/b.py", TWO_RULES),
        ("nova/tests/unit/test_a.py", TWO_RULES),
        ("other/conftest.py", TWO_RULES),
    ]);
    // Run from a subfolder: globs stay relative to the configuration's folder.
    let out = vigil(
        &dir.path().join("nova"),
        &["review", "--format", "json", "--include-tests", "."],
    );
    assert_eq!(
        findings(&out),
        found(&[
            ("a.py", 1),
            ("sub/b.py", 1),
            ("sub/b.py", 2),
            ("tests/unit/test_a.py", 2)
        ])
    );
    let out = vigil(dir.path(), &["review", "--format", "json", "--include-tests", "other"]);
    assert_eq!(findings(&out), found(&[("other/conftest.py", 2)]));
}

#[test]
fn excludes_apply_while_walking() {
    let files = [
        ("pkg/a.py", ASSERT),
        ("venv/lib/v.py", ASSERT),
        ("pkg/venv/w.py", ASSERT),
        ("pkg/locale/l.py", ASSERT),
        ("locale/top.py", ASSERT),
        ("build/b.py", ASSERT),
    ];
    let dir = tree(&files);
    let paths = |out: &Output| findings(out).into_iter().map(|(p, _)| p).collect::<Vec<_>>();

    // Defaults: `venv` at any depth.
    let out = vigil(dir.path(), &["review", "--format", "json", "--select", "S307", "."]);
    assert_eq!(
        paths(&out),
        ["build/b.py", "locale/top.py", "pkg/a.py", "pkg/locale/l.py"]
    );

    // extend-exclude adds (anchored with a slash, by name without).
    write(
        dir.path(),
        ".vigil.toml",
        "extend-exclude = [\"pkg/locale\", \"build\"]\n",
    );
    let out = vigil(dir.path(), &["review", "--format", "json", "--select", "S307", "."]);
    assert_eq!(paths(&out), ["locale/top.py", "pkg/a.py"]);

    // exclude replaces the defaults.
    write(dir.path(), ".vigil.toml", "exclude = [\"build/\"]\n");
    let out = vigil(dir.path(), &["review", "--format", "json", "--select", "S307", "."]);
    assert_eq!(
        paths(&out),
        [
            "locale/top.py",
            "pkg/a.py",
            "pkg/locale/l.py",
            "pkg/venv/w.py",
            "venv/lib/v.py"
        ]
    );
}

#[test]
fn named_files_are_reviewed_unless_force_exclude() {
    let dir = tree(&[(".vigil.toml", "extend-exclude = [\"gen\"]\n"), ("gen/g.py", ASSERT)]);
    let out = vigil(
        dir.path(),
        &["review", "--format", "json", "--select", "S307", "gen/g.py"],
    );
    assert_eq!(findings(&out), found(&[("gen/g.py", 1)]));
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--format",
            "json",
            "--select",
            "S307",
            "--force-exclude",
            "gen/g.py",
        ],
    );
    assert_eq!(findings(&out), found(&[]));
    assert_eq!(out.status.code(), Some(0));
}

// --- unused suppressions -------------------------------------------------------

const SUPPRESSED: &str = "\
eval(a)  # nosec
eval(b)  # nosec B307
x = 1  # nosec
y = 2  # nosec B506
import yaml; yaml.load(c)  # vigil: ignore[S506] the code is a constant
z = 3  # vigil: ignore[S307] left over
";

#[test]
fn unused_suppressions_are_listed_on_stderr() {
    let dir = tree(&[("a.py", SUPPRESSED)]);
    let out = vigil(dir.path(), &["review", "--report-unused-suppressions", "a.py"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "No security defects are detected in the code\n");
    assert_eq!(
        stderr(&out),
        "vigil: 3 unused suppressions (hid no finding in this run; remove them):
  a.py:3: # nosec
  a.py:4: # nosec B506
  a.py:6: # vigil: ignore[S307]
"
    );
    let out = vigil(dir.path(), &["review", "a.py"]);
    assert_eq!(stderr(&out), "", "only when asked");
}

#[test]
fn suppressions_for_rules_that_did_not_run_are_not_called_unused() {
    let dir = tree(&[("a.py", SUPPRESSED)]);
    let out = vigil(
        dir.path(),
        &["review", "--report-unused-suppressions", "--select", "S307", "a.py"],
    );
    assert_eq!(
        stderr(&out),
        "vigil: 1 unused suppression (hid no finding in this run; remove it):
  a.py:6: # vigil: ignore[S307]
vigil: 3 suppressions not checked (a rule they cover did not run, so this run cannot tell whether they are needed):
  a.py:3: # nosec (it covers every rule, and not every default rule ran)
  a.py:4: # nosec B506 (S506 did not run)
  a.py:5: # vigil: ignore[S506] (S506 did not run)
"
    );
}

#[test]
fn per_file_ignored_rules_count_as_not_run() {
    let dir = tree(&[
        (".vigil.toml", "[per-file-ignores]\n\"a.py\" = [\"S506\"]\n"),
        ("a.py", "import yaml; yaml.load(c)  # nosec B506\n"),
    ]);
    let out = vigil(dir.path(), &["review", "--report-unused-suppressions", "a.py"]);
    assert_eq!(
        stderr(&out),
        "vigil: no unused suppressions
vigil: 1 suppression not checked (a rule it covers did not run, so this run cannot tell whether it is needed):
  a.py:1: # nosec B506 (S506 did not run)
"
    );
}

#[test]
fn a_suppression_hiding_a_finding_under_the_threshold_is_still_used() {
    let dir = tree(&[("a.py", "eval(a)  # nosec B307\n")]);
    let out = vigil(
        dir.path(),
        &["review", "--report-unused-suppressions", "--severity", "high", "a.py"],
    );
    assert_eq!(stderr(&out), "vigil: no unused suppressions\n");
}

#[test]
fn unused_suppressions_in_json_only_when_asked() {
    let dir = tree(&[("a.py", SUPPRESSED)]);
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--format",
            "json",
            "--select",
            "S307",
            "--report-unused-suppressions",
            "a.py",
        ],
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["unused_suppressions"][0],
        serde_json::json!({"path": "a.py", "line": 3, "comment": "# nosec", "status": "not-checked",
                           "reason": "it covers every rule, and not every default rule ran"})
    );
    assert_eq!(
        doc["unused_suppressions"][3],
        serde_json::json!({"path": "a.py", "line": 6, "comment": "# vigil: ignore[S307]", "status": "unused"})
    );
    let out = vigil(dir.path(), &["review", "--format", "json", "a.py"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc.get("unused_suppressions").is_none());
}

// --- progress ---------------------------------------------------------------

#[test]
fn progress_is_silent_when_stderr_is_not_a_terminal() {
    let files: Vec<(String, &str)> = (0..300).map(|i| (format!("m{i:03}.py"), "x = 1\n")).collect();
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &files {
        write(dir.path(), name, text);
    }
    let out = vigil(dir.path(), &["review", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out), "No security defects are detected in the code\n");
}

/// The configuration's `models` extend the dataflow models: a project's own
/// command runner becomes a sink, and a bad row names its file and line.
#[test]
fn user_model_files_extend_the_dataflow_models() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("models")).unwrap();
    std::fs::write(
        root.join("models/mylib.toml"),
        "rows = [\n{ kind = \"sink\", call = \"mylib.run_shell\", args = [0], labels = [\"user\"], rule = \"T078\", message = \"`{call}()` runs a shell command built from {source}\", note = \"runs it in a shell\" },\n]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("app.py"),
        "from flask import request\nimport mylib\n\n\ndef handler():\n    cmd = request.args.get('cmd')\n    mylib.run_shell(cmd)\n",
    )
    .unwrap();
    let review = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_vigil"))
            .args(args)
            .current_dir(root)
            .output()
            .unwrap()
    };
    let rules_of = |out: &std::process::Output| -> Vec<(String, u64)> {
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["rule_id"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
            .collect()
    };
    let before = review(&["review", "--select", "T078", "--format", "json", "app.py"]);
    assert_eq!(rules_of(&before), vec![], "no model names mylib yet");

    std::fs::write(root.join(".vigil.toml"), "models = [\"models/mylib.toml\"]\n").unwrap();
    let after = review(&["review", "--select", "T078", "--format", "json", "app.py"]);
    assert_eq!(rules_of(&after), vec![("T078".to_string(), 7)]);

    std::fs::write(
        root.join("models/mylib.toml"),
        "rows = [\n{ kind = \"sink\", call = \"mylib.run_shell\" },\n]\n",
    )
    .unwrap();
    let bad = review(&["review", "--select", "T078", "app.py"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(
        err.starts_with("vigil: error: model file models/mylib.toml:2: "),
        "{err}"
    );
}
