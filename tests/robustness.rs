//! Hostile input: whatever a repository contains, vigil gives a correct
//! review or a clear per-file error, never a panic, a hang or the loss of
//! other files' findings. Inputs are generated here; nothing huge is committed.

use std::path::Path;
use std::process::{Command, Output};

fn vigil_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.args(args).current_dir(dir).env("SOURCE_DATE_EPOCH", "0");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("vigil runs")
}

fn vigil(dir: &Path, args: &[&str]) -> Output {
    vigil_env(dir, args, &[])
}

fn findings(out: &Output) -> Vec<(String, u64, u64)> {
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON on stdout");
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A deeply nested file next to an ordinary one: the nested one is reviewed
/// (or reported) and the ordinary one's finding is still there.
fn survives_nesting(source: String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deep.py", source);
    write(dir.path(), "ok.py", "assert ok\n");
    let out = vigil(dir.path(), &["review", "--select", "ALL", "--format", "json", "."]);
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "crashed: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(findings(&out).contains(&("ok.py".to_string(), 1, 1)));
}

#[test]
fn hundred_thousand_nested_parentheses() {
    let n = 100_000;
    survives_nesting(format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)));
}

#[test]
fn hundred_thousand_nested_lists_and_calls() {
    let n = 100_000;
    survives_nesting(format!("x = {}{}\n", "[".repeat(n), "]".repeat(n)));
    survives_nesting(format!("x = {}0{}\n", "f(".repeat(n), ")".repeat(n)));
}

#[test]
fn hundred_thousand_nested_lambdas_and_operators() {
    let n = 100_000;
    survives_nesting(format!("x = {}0\n", "lambda: ".repeat(n)));
    survives_nesting(format!("x = {}1\n", "-".repeat(n)));
    survives_nesting(format!("x = {}\n", vec!["a"; n].join(" + ")));
}

#[test]
fn deeply_nested_blocks() {
    let mut src = String::new();
    for depth in 0..1_000 {
        src.push_str(&" ".repeat(depth));
        src.push_str("if x:\n");
    }
    src.push_str(&" ".repeat(1_000));
    src.push_str("assert y\n");
    survives_nesting(src);
}

#[test]
fn line_ends_bom_form_feeds_and_tabs_keep_lines_exact() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "crlf.py", "import os\r\n\r\nassert a\r\n");
    write(dir.path(), "cr.py", "import os\r\rassert b\r");
    write(dir.path(), "bom.py", "\u{feff}assert c\n");
    write(dir.path(), "ff.py", "x = 1\n\x0cassert d\n");
    write(dir.path(), "tabs.py", "if x:\n\tif y:\n\t    assert e\n");
    let out = vigil(dir.path(), &["review", "--select", "S101", "--format", "json", "."]);
    assert_eq!(
        findings(&out),
        vec![
            ("bom.py".to_string(), 1, 1),
            ("cr.py".to_string(), 3, 1),
            ("crlf.py".to_string(), 3, 1),
            ("ff.py".to_string(), 2, 2),
            ("tabs.py".to_string(), 3, 6),
        ]
    );
}

#[test]
fn a_fifty_megabyte_file_is_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let line = "value = compute(alpha, beta, gamma)  # a comment to make the line longer\n";
    let mut src = line.repeat(50 * 1024 * 1024 / line.len());
    src.push_str("assert last\n");
    let lines = src.lines().count() as u64;
    write(dir.path(), "big.py", &src);
    let out = vigil(
        dir.path(),
        &["review", "--select", "S101", "--format", "json", "big.py"],
    );
    assert_eq!(findings(&out), vec![("big.py".to_string(), lines, 1)]);
}

#[test]
fn many_tiny_files_and_thread_count_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3_000 {
        let body = if i % 7 == 0 {
            format!("assert v{i}\n")
        } else {
            format!("v{i} = {i}\n")
        };
        write(dir.path(), &format!("pkg{}/mod{}.py", i % 13, i), body);
    }
    let one = vigil_env(
        dir.path(),
        &["review", "--select", "ALL", "--format", "json", "."],
        &[("RAYON_NUM_THREADS", "1")],
    );
    let many = vigil_env(
        dir.path(),
        &["review", "--select", "ALL", "--format", "json", "."],
        &[("RAYON_NUM_THREADS", "8")],
    );
    let default = vigil(dir.path(), &["review", "--select", "ALL", "--format", "json", "."]);
    assert_eq!(findings(&one).len(), 3_000_usize.div_ceil(7));
    assert_eq!(one.stdout, many.stdout);
    assert_eq!(one.stdout, default.stdout);
    let text_one = vigil_env(
        dir.path(),
        &["review", "--select", "ALL", "."],
        &[("RAYON_NUM_THREADS", "1")],
    );
    let text_default = vigil(dir.path(), &["review", "--select", "ALL", "."]);
    assert_eq!(text_one.stdout, text_default.stdout);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_tree_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.py", "assert outside\n");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pkg/a.py", "assert inside\n");
    std::os::unix::fs::symlink(dir.path().join("pkg"), dir.path().join("pkg/loop")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.py"), dir.path().join("pkg/leak.py")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("pkg/a.py"), dir.path().join("pkg/alias.py")).unwrap();
    let out = vigil(dir.path(), &["review", "--select", "S101", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&out), vec![("pkg/a.py".to_string(), 1, 1)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pkg/leak.py: symlink to") && err.contains("outside the reviewed tree; not followed"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn hostile_file_names_cannot_break_reports_or_terminals() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\"\\\n\u{1b}[31m\u{202e}.py";
    write(dir.path(), name, "assert x\n");
    let json = vigil(dir.path(), &["review", "--select", "S101", "--format", "json", "."]);
    assert_eq!(findings(&json)[0].0, name, "JSON carries the exact name, escaped");
    let bandit = vigil(
        dir.path(),
        &["review", "--select", "S101", "--format", "bandit-json", "."],
    );
    let doc: serde_json::Value = serde_json::from_slice(&bandit.stdout).unwrap();
    assert_eq!(doc["results"][0]["filename"], name);
    let text = vigil(dir.path(), &["review", "--select", "S101", "."]);
    let shown = String::from_utf8(text.stdout).unwrap();
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{202e}'), "{shown:?}");
}

#[test]
fn binary_and_truncated_files_are_per_file_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "blob.py", [0x7f, b'E', b'L', b'F', 0, 0, 1, 2]);
    write(dir.path(), "cut.py", b"x = '\xe2\x82");
    write(dir.path(), "fine.py", "assert fine\n");
    let out = vigil(dir.path(), &["review", "--select", "S101", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(findings(&out), vec![("fine.py".to_string(), 1, 1)]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(errors, vec!["blob.py", "cut.py"]);
}

/// Loops nested `depth` deep. Each loop's body starts a chain of its own
/// afresh, runs the loop inside it, and moves what that loop found one
/// variable down its chain per pass (`c1 = b1; b1 = a1; a1 = c2`), the
/// innermost taking attacker data: every loop needs several passes to reach
/// its fixpoint, each time it is entered, and each pass of an outer loop
/// enters the loop inside it again.
fn nested_loops_with_carried_taint(depth: usize) -> String {
    let mut text = String::from("import os\nfrom flask import request\n\n\ndef handler(items):\n");
    let mut indent = String::from("    ");
    for k in 0..depth {
        text.push_str(&format!("{indent}a{k} = b{k} = c{k} = ''\n"));
        text.push_str(&format!("{indent}for i{k} in items:\n"));
        indent.push_str("    ");
    }
    text.push_str(&format!("{indent}source = request.args['q']\n"));
    for k in (0..depth).rev() {
        let feed = if k + 1 == depth {
            "source".to_string()
        } else {
            format!("c{}", k + 1)
        };
        text.push_str(&format!(
            "{indent}c{k} = b{k}\n{indent}b{k} = a{k}\n{indent}a{k} = {feed}\n"
        ));
        indent.truncate(indent.len() - 4);
    }
    text.push_str("    os.system(c0)\n");
    text
}

/// The statements the dataflow interpreter executes on `text`.
fn interpreter_steps(text: &str) -> u64 {
    use vigil::flow::{self, Models, ModuleInput};
    let parsed = vigil::python::parse(text);
    let input = ModuleInput {
        parsed: &parsed,
        text,
        module: "m",
        path: "m.py",
        is_package: false,
    };
    let facts = flow::ProjectFacts::default();
    let out = flow::analyze::analyze_alone(&input, &facts, Models::active(), flow::project::ALONE_ROUNDS, None);
    out.steps
}

/// Regression (fuzzing found fourteen nested loops taking seconds): loops
/// nested deeper than four run their body once and widen
/// (`flow::interp::stmt`), so the work stays bounded however deep the
/// nest. Without that bound each level multiplies the work by about four:
/// the eight-deep nest here costs some 370,000 interpreter steps (four
/// deep, 1,450); with it, fewer than the four-deep nest.
#[test]
fn deeply_nested_loops_with_loop_carried_taint_stay_cheap() {
    let four = interpreter_steps(&nested_loops_with_carried_taint(4));
    let eight = interpreter_steps(&nested_loops_with_carried_taint(8));
    assert!(four > 1_000, "the nest is analysed pass by pass ({four} steps)");
    assert!(
        eight <= 2 * four,
        "eight nested loops cost {eight} interpreter steps, four cost {four}: depth multiplies the work"
    );
    // Within the bound the analysis stays precise: the taint goes down every
    // chain to the sink.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "m.py", nested_loops_with_carried_taint(4));
    let out = vigil(dir.path(), &["review", "--select", "T078", "--format", "json", "m.py"]);
    assert_eq!(findings(&out).len(), 1, "{}", String::from_utf8_lossy(&out.stdout));
}
