//! The change-review filter: only findings on lines a change added or
//! modified are reported (`vigil review --diff REV` / `--diff-file PATCH`).
//!
//! The line sets come from `input::diff`, keyed by the path as the review
//! shows it. A finding spanning several lines counts when any of them
//! changed. Lines are the file's own (a diff review never reads listings),
//! so a finding's display lines are the file's lines.

use std::collections::{BTreeSet, HashMap};

use crate::finding::Finding;

#[derive(Debug, Clone, Default)]
pub struct ChangedLines {
    by_path: HashMap<String, BTreeSet<u32>>,
}

impl ChangedLines {
    pub fn insert(&mut self, path: impl Into<String>, lines: BTreeSet<u32>) {
        self.by_path.entry(path.into()).or_default().extend(lines);
    }

    /// Whether any line of `finding` (its first to its last) changed.
    pub fn touches(&self, finding: &Finding) -> bool {
        self.by_path
            .get(&finding.path)
            .is_some_and(|lines| lines.range(finding.line..=finding.end_line).next().is_some())
    }

    /// How many files the change touched (deleted files are not counted).
    pub fn files(&self) -> usize {
        self.by_path.len()
    }
}
