//! Baselines end to end: `vigil baseline` writes the accepted findings,
//! `vigil review --baseline FILE` hides them while code moves, and reports a
//! second copy of an accepted defect. Broken baseline files are clear errors.

mod common;

use common::{NO_DEFECTS, Repo, review_text, s101, stderr, stdout};

const CODE: &str = "def f(ctx):\n    assert ctx.user\n    return 1\n\n\ndef g(ctx):\n    assert ctx.project\n";

const BASELINE: &str = r#"{
  "schema": "vigil-baseline/1",
  "findings": [
    {
      "fingerprint": "0123456789abcdef",
      "rule_id": "S101",
      "path": "nova/api.py",
      "line": 2,
      "message": "`assert ctx.user` is removed under `python -O`"
    },
    {
      "fingerprint": "fedcba9876543210",
      "rule_id": "S101",
      "path": "nova/api.py",
      "line": 7,
      "message": "`assert ctx.project` is removed under `python -O`"
    }
  ]
}
"#;

/// The baseline text with its fingerprints replaced by placeholders: the
/// fingerprints themselves are pinned in `src/fingerprint.rs`.
fn with_placeholder_fingerprints(text: &str) -> String {
    let mut out = String::new();
    let placeholders = ["0123456789abcdef", "fedcba9876543210"];
    let mut next = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("      \"fingerprint\": \"") {
            assert_eq!(rest.len(), "0123456789abcdef\",\n".len(), "{line}");
            out.push_str(&format!("      \"fingerprint\": \"{}\",\n", placeholders[next]));
            next += 1;
        } else {
            out.push_str(line);
        }
    }
    out
}

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("nova/api.py", CODE);
    repo
}

#[test]
fn round_trip_survives_moves_and_reports_a_second_copy() {
    let repo = repo();
    let out = repo.vigil(&["baseline", "--select", "S101"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "vigil: wrote 2 findings to the baseline .vigil-baseline.json\n"
    );
    let written = repo.read(".vigil-baseline.json");
    assert_eq!(with_placeholder_fingerprints(&written), BASELINE);

    let hidden = repo.vigil(&["review", "--select", "S101", "--baseline", ".vigil-baseline.json"]);
    assert_eq!(stdout(&hidden), NO_DEFECTS);
    assert_eq!(
        stderr(&hidden),
        "vigil: note: the baseline .vigil-baseline.json hid 2 findings\n"
    );
    assert_eq!(hidden.status.code(), Some(0));

    // Ten lines of new code above: every line number changes, the
    // fingerprints do not.
    let moved = format!("{}{CODE}", "import os\n".repeat(10));
    repo.write("nova/api.py", &moved);
    let hidden = repo.vigil(&["review", "--select", "S101", "--baseline", ".vigil-baseline.json"]);
    assert_eq!(stdout(&hidden), NO_DEFECTS);
    assert_eq!(hidden.status.code(), Some(0));

    // A second identical defect is new (occurrence index 1).
    repo.write("nova/api.py", &format!("{moved}\n\ndef h(ctx):\n    assert ctx.user\n"));
    let out = repo.vigil(&["review", "--select", "S101", "--baseline", ".vigil-baseline.json"]);
    assert_eq!(stdout(&out), review_text(&[s101("nova/api.py", 21, 4, "ctx.user")], 1));
    assert_eq!(
        stderr(&out),
        "vigil: note: the baseline .vigil-baseline.json hid 2 findings\n"
    );
    assert_eq!(out.status.code(), Some(1));

    let json = repo.vigil(&[
        "review",
        "--select",
        "S101",
        "--format",
        "json",
        "--baseline",
        ".vigil-baseline.json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(doc["summary"]["baselined"], 2);
    assert_eq!(doc["summary"]["findings"], 1);
}

#[test]
fn the_same_findings_give_the_same_baseline_bytes() {
    let repo = repo();
    repo.vigil(&["baseline", "--select", "S101", "-o", "one.json"]);
    let out = repo.vigil(&["baseline", "--select", "S101", "-o", "-"]);
    assert_eq!(stdout(&out), repo.read("one.json"));
    assert_eq!(
        stderr(&out),
        "vigil: wrote 2 findings to the baseline standard output\n"
    );
}

#[test]
fn baseline_and_change_review_together() {
    let repo = repo();
    repo.commit("base");
    repo.vigil(&["baseline", "--select", "S101", "-o", "../accepted.json"]);
    // The change re-spaces an accepted line (the same defect: white space is
    // folded) and adds a second copy of another accepted defect.
    let changed = CODE.replace("assert ctx.user", "assert  ctx.user");
    repo.write(
        "nova/api.py",
        &format!("import os\n{changed}\n\ndef h(ctx):\n    assert ctx.project\n"),
    );
    let out = repo.vigil(&[
        "review",
        "--select",
        "S101",
        "--diff",
        "HEAD",
        "--baseline",
        "../accepted.json",
    ]);
    assert_eq!(
        stdout(&out),
        review_text(&[s101("nova/api.py", 12, 4, "ctx.project")], 1)
    );
    assert_eq!(
        stderr(&out),
        "vigil: note: the baseline ../accepted.json hid 1 finding\n"
    );
}

#[test]
fn broken_baselines_are_clear_errors() {
    let repo = repo();
    let cases: [(&str, &str, &str); 5] = [
        (
            "truncated.json",
            "{\n  \"schema\": \"vigil-baseline/1\",\n  \"findings\": [\n    {\n",
            "is truncated: EOF while parsing an object at line 5 column 0",
        ),
        (
            "corrupt.json",
            "{\n  \"schema\": \"vigil-baseline/1\",\n  \"findings\": [,]\n}\n",
            "is not valid JSON: expected value at line 3 column 16",
        ),
        (
            "future.json",
            "{\"schema\": \"vigil-baseline/2\", \"findings\": []}\n",
            "has schema `vigil-baseline/2`, but this vigil reads `vigil-baseline/1`: write it again with this \
             vigil's `vigil baseline`",
        ),
        (
            "report.json",
            "{\"schema\": \"vigil-report/1\", \"findings\": []}\n",
            "has schema `vigil-report/1`, but this vigil reads `vigil-baseline/1`: write it again with this \
             vigil's `vigil baseline`",
        ),
        (
            "bad_entry.json",
            "{\"schema\": \"vigil-baseline/1\",\n \"findings\": [{\"rule_id\": \"S101\"}]}\n",
            "does not follow vigil-baseline/1: missing field `fingerprint` at line 2 column 33",
        ),
    ];
    for (name, text, reason) in cases {
        repo.write(name, text);
        let out = repo.vigil(&["review", "--baseline", name, "nova"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert_eq!(stdout(&out), "", "{name}");
        assert_eq!(
            stderr(&out),
            format!(
                "vigil: error: baseline {name} {reason}; restore it from version control or write a new one \
                 with `vigil baseline -o {name}`\n"
            )
        );
    }

    let out = repo.vigil(&["review", "--baseline", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "vigil: error: baseline missing.json does not exist; write one with `vigil baseline -o missing.json`\n"
    );
}
