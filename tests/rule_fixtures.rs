//! Data-driven rule tests: every rule has `tests/fixtures/rules/<ID>.py`.
//!
//! In a fixture, a line whose comment says `# error` must be the first line
//! of a finding of that rule, a line saying `# ok` must not be, and no other
//! line may be one either. Each fixture needs at least one of each. A line
//! saying `# miss` records a known false negative and is not checked.
//!
//! The rendered review of each fixture is compared with `<ID>.snap`; run with
//! `VIGIL_BLESS=1` to write the snapshots, then review their diff like code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use vigil::input::SourceFile;
use vigil::report::{self, Report};
use vigil::review::{self, Settings};
use vigil::rules::registry::{self, Selection};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn marked_lines(text: &str, marker: &str) -> BTreeSet<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.split('#').skip(1).any(|c| c.trim_start().starts_with(marker)))
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

fn check_rule(id: &str) -> Result<(), String> {
    let path = fixture_dir().join(format!("{id}.py"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{id}: missing fixture {}: {e}", path.display()))?;
    let errors = marked_lines(&text, "error");
    let oks = marked_lines(&text, "ok");
    let misses = marked_lines(&text, "miss");
    if errors.is_empty() || oks.is_empty() {
        return Err(format!(
            "{id}: the fixture needs at least one `# error` line and one `# ok` line"
        ));
    }
    let settings = Settings::new(Selection::new(&[id.to_string()], &[]).map_err(|e| e.to_string())?);
    let file = SourceFile::plain(format!("{id}.py"), text.clone());
    let result = review::review(&file, &settings);
    let found: BTreeSet<u32> = result.findings.iter().map(|f| f.line).collect();
    let missing: Vec<_> = errors.difference(&found).collect();
    let unexpected: Vec<_> = found.difference(&errors).filter(|l| !misses.contains(l)).collect();
    if !missing.is_empty() || !unexpected.is_empty() {
        return Err(format!(
            "{id}: expected findings missing at lines {missing:?}; unexpected findings at lines {unexpected:?}"
        ));
    }

    let report = Report {
        files_reviewed: 1,
        findings: result.findings,
        ..Report::default()
    };
    let rendered = report::render(&report, report::Format::Text);
    let snap = fixture_dir().join(format!("{id}.snap"));
    if std::env::var_os("VIGIL_BLESS").is_some() {
        std::fs::write(&snap, &rendered).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&snap).map_err(|_| {
        format!(
            "{id}: no snapshot {}; run `VIGIL_BLESS=1 cargo test` and review it",
            snap.display()
        )
    })?;
    if expected != rendered {
        return Err(format!(
            "{id}: output differs from {}:\n--- expected\n{expected}\n--- actual\n{rendered}",
            snap.display()
        ));
    }
    Ok(())
}

#[test]
fn every_rule_matches_its_fixture_and_snapshot() {
    let failures: Vec<String> = registry::all().iter().filter_map(|r| check_rule(r.id).err()).collect();
    assert!(
        failures.is_empty(),
        "{} rule(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn no_fixture_without_a_rule() {
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        assert!(registry::find(&stem).is_some(), "{} belongs to no rule", path.display());
    }
}

#[test]
fn every_rule_is_documented_in_five_sections() {
    for rule in registry::all() {
        let d = &rule.docs;
        for (section, text) in [
            ("what", d.what),
            ("why", d.why),
            ("example", d.example),
            ("use_instead", d.use_instead),
            ("fix", d.fix),
        ] {
            assert!(!text.trim().is_empty(), "{}: empty `{section}` doc", rule.id);
        }
        assert!(rule.cwe > 0, "{}: no CWE", rule.id);
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: name must be kebab-case",
            rule.id
        );
    }
}

/// A finding message states one fact: one line, no trailing period (the
/// description and solution carry the rest).
#[test]
fn messages_state_one_fact() {
    for rule in registry::all() {
        let Ok(text) = std::fs::read_to_string(fixture_dir().join(format!("{}.py", rule.id))) else {
            continue;
        };
        let settings = Settings::new(Selection::new(&[rule.id.to_string()], &[]).unwrap());
        let result = review::review(&SourceFile::plain("f.py", text), &settings);
        for f in result.findings {
            assert!(
                !f.message.contains('\n') && !f.message.ends_with('.'),
                "{}: message `{}`",
                rule.id,
                f.message
            );
        }
    }
}
