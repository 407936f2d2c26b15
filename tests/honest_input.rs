//! End-to-end tests of what vigil agrees to read (issue #10, "Honest
//! answers"): source encodings as CPython reads them (PEP 263), files that
//! are neither Python nor a listing, and listings whose numbering cannot be
//! trusted. Each runs the binary on files made in a temporary directory and
//! checks the exit code and the exact error line (or the exact first line of
//! a finding).

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn vigil(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .expect("vigil runs")
}

fn vigil_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.args(args).current_dir(dir);
    common::run_with_input(&mut cmd, input)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A directory holding one file with exactly these bytes.
fn file(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    dir
}

/// Reviews `name` alone and returns the first line of its first finding
/// (the line after the summary and the blank line).
fn first_finding(dir: &Path, rule: &str, name: &str) -> String {
    let out = vigil(dir, &["review", "--select", rule, name]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    stdout(&out).lines().nth(2).unwrap_or_default().to_string()
}

/// Reviews `name` alone, expecting it to be refused with `reason`.
fn assert_refused(dir: &Path, name: &str, reason: &str) {
    let out = vigil(dir, &["review", name]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let expected = format!("vigil: error: {name}: {reason}");
    let err = stderr(&out);
    assert!(
        err.lines().any(|line| line == expected),
        "expected the line\n{expected}\nin\n{err}"
    );
}

// Encodings.

#[test]
fn latin1_file_is_read_as_python_reads_it() {
    let dir = file(
        "legacy.py",
        b"# -*- coding: latin-1 -*-\nimport pickle\n# Auteur: Andr\xe9 M\xfcller\n\n\n\
          def load(blob):\n    note = \"\xe9t\xe9\"; return pickle.loads(blob)\n",
    );
    // Line 7, and column 26 counted in characters after the two accented ones.
    assert_eq!(
        first_finding(dir.path(), "S301", "legacy.py"),
        "legacy.py:7:26: S301 `pickle.loads` unpickles `blob`, which can run arbitrary code"
    );
    let out = vigil(dir.path(), &["review", "--select", "S301", "legacy.py"]);
    assert!(
        stdout(&out).contains("  7 |     note = \"été\"; return pickle.loads(blob)\n"),
        "the quoted line is the decoded text:\n{}",
        stdout(&out)
    );
}

#[test]
fn cp1252_cookie_on_line_two_after_a_shebang() {
    let dir = file(
        "tool.py",
        b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nimport os\nprice = \"\x80 5\"\n\
          os.system(\"echo \" + price)\n",
    );
    assert_eq!(
        first_finding(dir.path(), "S605", "tool.py"),
        "tool.py:5:1: S605 `os.system` runs `\"echo \" + price` through a shell"
    );
}

#[test]
fn a_utf8_byte_order_mark_is_read_and_does_not_shift_columns() {
    let dir = file("bom.py", b"\xef\xbb\xbfimport pickle; pickle.loads(x)\n");
    assert_eq!(
        first_finding(dir.path(), "S301", "bom.py"),
        "bom.py:1:16: S301 `pickle.loads` unpickles `x`, which can run arbitrary code"
    );
}

#[test]
fn a_byte_order_mark_with_a_conflicting_cookie_is_refused() {
    let dir = file("bom.py", b"\xef\xbb\xbf# coding: latin-1\nimport os\n");
    assert_refused(
        dir.path(),
        "bom.py",
        "starts with a UTF-8 byte-order mark but declares encoding `latin-1` on line 1: Python refuses a file \
         that declares two encodings (\"encoding problem: iso-8859-1 with BOM\"); skipped",
    );
}

#[test]
fn an_unknown_codec_is_named() {
    let dir = file("klingon.py", b"# -*- coding: klingon -*-\nimport os\n");
    assert_refused(
        dir.path(),
        "klingon.py",
        "declares encoding `klingon` on line 1, which Python does not know (\"unknown encoding: klingon\"); skipped",
    );
}

#[test]
fn bytes_invalid_in_the_declared_codec_name_the_codec_and_the_line() {
    let dir = file("bad.py", b"# coding: cp1252\n\ns = \"caf\xe9 \x81\"\n");
    assert_refused(
        dir.path(),
        "bad.py",
        "line 3 is not valid cp1252 (byte 0x81 at column 11), the encoding declared on line 1; skipped",
    );
}

#[test]
fn utf16_files_are_refused_clearly() {
    let text: Vec<u8> = "import os\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let dir = file("wide.py", &[b"\xff\xfe".as_slice(), &text].concat());
    std::fs::write(dir.path().join("bare.py"), &text).unwrap();
    assert_refused(
        dir.path(),
        "wide.py",
        "is UTF-16LE (it starts with a UTF-16LE byte-order mark): Python reads source files only in UTF-8 or an \
         ASCII-compatible encoding a coding cookie declares; convert it to UTF-8; skipped",
    );
    assert_refused(
        dir.path(),
        "bare.py",
        "contains NUL bytes (it looks like UTF-16LE without a byte-order mark): Python reads source files only in \
         UTF-8 or an ASCII-compatible encoding a coding cookie declares; convert it to UTF-8; skipped",
    );
}

#[test]
fn standard_input_follows_the_cookie_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = vigil_stdin(
        dir.path(),
        &["review", "--select", "S301", "-"],
        b"# coding: latin-1\n# \xe9\nimport pickle\npickle.loads(x)\n",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("\n\n-:4:1: S301 "), "{}", stdout(&out));
}

// Files that are neither Python nor a listing.

#[test]
fn prose_named_explicitly_is_not_reviewed_as_python() {
    let dir = file("README.txt", b"vigil reviews Python.\nRun it on your tree.\n");
    assert_refused(
        dir.path(),
        "README.txt",
        "neither Python (not a .py file, no python shebang, and line 1 does not parse: Simple statements must be \
         separated by newlines or semicolons) nor a review-request listing (numbered lines `N <code>`); skipped",
    );
}

#[test]
fn a_text_file_of_valid_python_is_reviewed_as_python() {
    let dir = file("snippet.txt", b"import pickle\n\npickle.loads(data)\n");
    assert_eq!(
        first_finding(dir.path(), "S301", "snippet.txt"),
        "snippet.txt:3:1: S301 `pickle.loads` unpickles `data`, which can run arbitrary code"
    );
}

#[test]
fn python_files_with_syntax_errors_and_prose_on_standard_input_are_still_reviewed() {
    let dir = file("py2.py", b"print 'hi'\nassert x\n");
    let out = vigil(dir.path(), &["review", "--select", "S101", "py2.py"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("\n\npy2.py:2:1: S101 "), "{}", stdout(&out));

    let out = vigil_stdin(dir.path(), &["review", "-"], b"vigil reviews Python.\n");
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!stderr(&out).contains("neither Python"), "{}", stderr(&out));
}

#[test]
fn a_script_named_without_extension_is_python_by_its_shebang() {
    let dir = file("tool", b"#!/usr/bin/python3\nimport pickle\npickle.loads(data)\n");
    assert_eq!(
        first_finding(dir.path(), "S301", "tool"),
        "tool:3:1: S301 `pickle.loads` unpickles `data`, which can run arbitrary code"
    );
}

// Listings whose numbering cannot be trusted.

#[test]
fn a_listing_going_backwards_at_the_start_is_rejected() {
    let dir = file("request.txt", b"Please review.\n5 import os\n3 os.system(x)\n");
    assert_refused(
        dir.path(),
        "request.txt",
        "listing line 3 is numbered 3 after 5: listing numbers must increase",
    );
}

#[test]
fn a_listing_going_backwards_in_the_middle_is_rejected() {
    let dir = file(
        "request.txt",
        b"Please review.\n10 import os\n11 x = 1\n12 y = 2\n11 os.system(x)\n",
    );
    assert_refused(
        dir.path(),
        "request.txt",
        "listing line 5 is numbered 11 after 12: listing numbers must increase",
    );
}

#[test]
fn a_listing_repeating_a_number_is_rejected() {
    let dir = file("start.txt", b"7 import os\n7 os.system(x)\n");
    std::fs::write(
        dir.path().join("middle.txt"),
        b"Review:\n1 import os\n2 x = 1\n2 os.system(x)\n",
    )
    .unwrap();
    assert_refused(
        dir.path(),
        "start.txt",
        "listing line 2 is numbered 7 after 7: listing numbers must increase",
    );
    assert_refused(
        dir.path(),
        "middle.txt",
        "listing line 4 is numbered 2 after 2: listing numbers must increase",
    );
}

#[test]
fn a_listing_number_that_overflows_is_rejected() {
    let dir = file("start.txt", b"Review:\n99999999999 import os\n1 x\n");
    std::fs::write(
        dir.path().join("middle.txt"),
        b"Review:\n1 import os\n2 x = 1\n4294967296 os.system(x)\n",
    )
    .unwrap();
    assert_refused(
        dir.path(),
        "start.txt",
        "listing line 2 is numbered 99999999999, over the largest line number 4294967295",
    );
    assert_refused(
        dir.path(),
        "middle.txt",
        "listing line 4 is numbered 4294967296, over the largest line number 4294967295",
    );
}

#[test]
fn a_well_numbered_listing_with_gaps_still_keeps_its_numbers() {
    let dir = file(
        "request.txt",
        b"Please review.\n\n40 import os\n41 \n45 os.system(cmd)\n",
    );
    assert_eq!(
        first_finding(dir.path(), "S605", "request.txt"),
        "request.txt:45:1: S605 `os.system` runs `cmd` through a shell"
    );
}
