//! `report`: one module per output format, all rendered from the same
//! [`Report`]. Nothing here decides what counts as a finding.

pub mod bandit_json;
pub mod json;
pub mod terminal_safe;
pub mod text;

use crate::finding::Finding;
use crate::input::InputError;
use crate::rules::Level;

/// The exact answer when a review finds nothing.
pub const NO_DEFECTS: &str = "No security defects are detected in the code";

/// A warning about one file that did not stop its review.
#[derive(Debug, Clone)]
pub struct FileWarning {
    pub path: String,
    pub line: u32,
    pub message: String,
}

/// Everything a review produced, sorted.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub errors: Vec<InputError>,
    pub warnings: Vec<FileWarning>,
    pub files_reviewed: usize,
    pub lines_reviewed: usize,
    pub suppressed: usize,
    /// With `--report-unused-suppressions`: the comments that hid nothing,
    /// as the review judged them. `None` when not asked for.
    pub unused_suppressions: Option<Vec<crate::review::UnusedSuppression>>,
}

impl Report {
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.severity == level).count()
    }
}

/// The output formats `--format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A review for people: line, defect, description, solution.
    Text,
    /// vigil's stable JSON schema (see docs/json-schema.md).
    Json,
    /// Bandit's JSON report, for tools that already read Bandit.
    BanditJson,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text::render(report),
        Format::Json => json::render(report),
        Format::BanditJson => bandit_json::render(report),
    }
}
