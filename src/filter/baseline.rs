//! Baselines: findings a project has accepted, so that a review reports only
//! new ones (`vigil baseline` writes the file, `vigil review --baseline FILE`
//! reads it).
//!
//! The file is JSON, schema `vigil-baseline/1` (docs/baseline.md). Only the
//! fingerprints decide what is hidden (see `fingerprint`: rule, path, folded
//! line text and occurrence index, never the line number); rule id, path,
//! line and message are there for the people who read and review the file.
//! This module renders and parses the text; `cli` reads and writes the file.
//!
//! Paths in a baseline start at the baseline file's folder ([`PathBase`]),
//! whatever folder the review runs from: a review shows paths relative to
//! its working directory, so they are moved to the baseline's folder before
//! fingerprints are compared, and the same baseline works from anywhere.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

pub const SCHEMA: &str = "vigil-baseline/1";

/// The fingerprints of accepted findings.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    fingerprints: HashSet<String>,
    base: PathBase,
}

/// Where a baseline's paths start, seen from the review: both folders are
/// absolute (and canonical, `cli` resolves them); with neither set, the
/// review's paths are taken as they are.
#[derive(Debug, Clone, Default)]
pub struct PathBase {
    /// The folder the review runs in.
    cwd: PathBuf,
    /// The folder holding the baseline file.
    folder: PathBuf,
}

impl PathBase {
    pub fn new(cwd: PathBuf, folder: PathBuf) -> PathBase {
        PathBase { cwd, folder }
    }

    /// A path as the review shows it, as the baseline records it: relative
    /// to the baseline's folder, `/`-separated, with `..` where it lies
    /// outside. Only names are compared: nothing is read from the disk.
    pub fn path(&self, shown: &str) -> String {
        if self.folder.as_os_str().is_empty() || self.cwd == self.folder {
            return shown.to_string();
        }
        let absolute = normalize(&self.cwd.join(shown));
        let folder = normalize(&self.folder);
        let (mut a, mut b) = (absolute.components().peekable(), folder.components().peekable());
        while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
            if x != y {
                break;
            }
            a.next();
            b.next();
        }
        let mut parts: Vec<String> = b.map(|_| "..".to_string()).collect();
        parts.extend(a.map(|c| c.as_os_str().to_string_lossy().into_owned()));
        parts.join("/")
    }
}

/// `path` with `.` dropped and `..` taken back, lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

impl Baseline {
    /// Reads the review's paths from `base` (see [`PathBase`]).
    pub fn with_base(mut self, base: PathBase) -> Baseline {
        self.base = base;
        self
    }

    /// For each of `findings` (sorted, of one or more files, with every
    /// finding of each file), whether the baseline accepted it.
    pub fn accepted(&self, findings: &[Finding]) -> Vec<bool> {
        crate::fingerprint::with_paths(findings, |p| self.base.path(p))
            .iter()
            .map(|fp| self.fingerprints.contains(fp))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

#[derive(Serialize)]
struct FileOut<'a> {
    schema: &'static str,
    findings: Vec<EntryOut<'a>>,
}

#[derive(Serialize)]
struct EntryOut<'a> {
    fingerprint: &'a str,
    rule_id: &'static str,
    path: &'a str,
    line: u32,
    message: &'a str,
}

/// What is read back: the schema and each fingerprint. Other fields are for
/// people and may be edited freely.
#[derive(Deserialize)]
struct FileIn {
    #[allow(dead_code, reason = "checked before this struct is read")]
    schema: String,
    findings: Vec<EntryIn>,
}

#[derive(Deserialize)]
struct EntryIn {
    fingerprint: String,
}

/// The baseline file for `findings` (sorted as the review sorts them), with
/// paths from `base`'s folder. The same findings always give the same
/// bytes: no dates, no tool version, so the file only changes in version
/// control when the accepted findings do.
pub fn render(findings: &[Finding], base: &PathBase) -> String {
    let fingerprints = crate::fingerprint::with_paths(findings, |p| base.path(p));
    let paths: Vec<String> = findings.iter().map(|f| base.path(&f.path)).collect();
    let doc = FileOut {
        schema: SCHEMA,
        findings: findings
            .iter()
            .zip(&fingerprints)
            .zip(&paths)
            .map(|((f, fingerprint), path)| EntryOut {
                fingerprint,
                rule_id: f.rule.id,
                path,
                line: f.line,
                message: &f.message,
            })
            .collect(),
    };
    // Plain structs of strings and numbers always serialise.
    let mut text = serde_json::to_string_pretty(&doc).expect("baseline serialises");
    text.push('\n');
    text
}

/// Reads a baseline file's text. The error says what is wrong (with line and
/// column when the JSON itself is broken) and how to get a good file.
pub fn parse(text: &str) -> Result<Baseline, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Eof => format!("is truncated: {e}"),
        _ => format!("is not valid JSON: {e}"),
    })?;
    match value.get("schema") {
        Some(serde_json::Value::String(schema)) if schema == SCHEMA => {}
        Some(serde_json::Value::String(schema)) => {
            return Err(format!(
                "has schema `{schema}`, but this vigil reads `{SCHEMA}`: write it again with this vigil's `vigil baseline`"
            ));
        }
        _ => return Err(format!("is not a vigil baseline: it has no `\"schema\": \"{SCHEMA}\"`")),
    }
    let file: FileIn = serde_json::from_str(text).map_err(|e| format!("does not follow {SCHEMA}: {e}"))?;
    let mut fingerprints = HashSet::with_capacity(file.findings.len());
    for (index, entry) in file.findings.into_iter().enumerate() {
        let fp = entry.fingerprint;
        if fp.len() != 16 || !fp.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(format!(
                "finding {} has fingerprint `{}`: a fingerprint is 16 lowercase hexadecimal digits",
                index + 1,
                fp.chars().take(40).collect::<String>()
            ));
        }
        fingerprints.insert(fp);
    }
    Ok(Baseline {
        fingerprints,
        base: PathBase::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::{PathBase, parse};

    #[test]
    fn review_paths_move_to_the_baseline_folder() {
        let base = PathBase::new("/repo/nova".into(), "/repo".into());
        assert_eq!(base.path("virt/disk.py"), "nova/virt/disk.py");
        assert_eq!(base.path("./virt/../api.py"), "nova/api.py");
        assert_eq!(base.path("/repo/glance/x.py"), "glance/x.py");
        let below = PathBase::new("/repo".into(), "/repo/ci".into());
        assert_eq!(below.path("nova/api.py"), "../nova/api.py");
        let same = PathBase::new("/repo".into(), "/repo".into());
        assert_eq!(same.path("nova/api.py"), "nova/api.py");
        assert_eq!(PathBase::default().path("a.py"), "a.py");
    }

    #[test]
    fn good_file() {
        let b = parse(
            r#"{"schema": "vigil-baseline/1", "findings": [
                 {"fingerprint": "0123456789abcdef", "rule_id": "S101", "note": "edited by hand"},
                 {"fingerprint": "0123456789abcdef"}]}"#,
        )
        .unwrap();
        assert_eq!(b.len(), 1);
        assert!(
            parse(r#"{"schema": "vigil-baseline/1", "findings": []}"#)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn broken_files_say_what_and_where() {
        assert_eq!(
            parse("{\"schema\": \"vigil-baseline/1\",\n \"findings\": [\n").unwrap_err(),
            "is truncated: EOF while parsing a list at line 3 column 0"
        );
        assert_eq!(
            parse("{\"schema\": \"vigil-baseline/1\",\n \"findings\": [}").unwrap_err(),
            "is not valid JSON: expected value at line 2 column 15"
        );
        assert_eq!(
            parse("[]").unwrap_err(),
            "is not a vigil baseline: it has no `\"schema\": \"vigil-baseline/1\"`"
        );
        assert_eq!(
            parse(r#"{"schema": "vigil-baseline/9", "findings": []}"#).unwrap_err(),
            "has schema `vigil-baseline/9`, but this vigil reads `vigil-baseline/1`: write it again with this vigil's `vigil baseline`"
        );
        assert_eq!(
            parse("{\"schema\": \"vigil-baseline/1\",\n \"findings\": [{\"fingerprint\": 7}]}").unwrap_err(),
            "does not follow vigil-baseline/1: invalid type: integer `7`, expected a string at line 2 column 31"
        );
        assert_eq!(
            parse(r#"{"schema": "vigil-baseline/1"}"#).unwrap_err(),
            "does not follow vigil-baseline/1: missing field `findings` at line 1 column 30"
        );
        assert_eq!(
            parse(r#"{"schema": "vigil-baseline/1", "findings": [{"fingerprint": "XYZ"}]}"#).unwrap_err(),
            "finding 1 has fingerprint `XYZ`: a fingerprint is 16 lowercase hexadecimal digits"
        );
    }
}
