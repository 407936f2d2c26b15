//! `report`: one module per output format, all rendered from the same
//! [`Report`]. Nothing here decides what counts as a finding.

pub mod bandit_json;
pub mod concise;
pub mod gerrit;
pub mod github;
pub mod html;
pub mod json;
pub mod llm_text;
pub mod paint;
pub mod review_text;
pub mod rule_help;
pub mod sarif;
pub mod snippet;
pub mod statistics;
pub mod terminal_safe;
pub mod text;
pub mod zuul;

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
    /// How many findings the baseline (`--baseline`) hid.
    pub baselined: usize,
    /// How many pattern findings stood down from the default review because
    /// the dataflow analysis proved only constants reach their sink.
    pub proven_constant: usize,
    /// How many test files the walk left out of the review.
    pub test_files_left_out: usize,
    /// A change review (`--diff`): what "nothing to review" means differs.
    pub change: bool,
    /// With `--report-unused-suppressions`: the comments that hid nothing,
    /// as the review judged them. `None` when not asked for.
    pub unused_suppressions: Option<Vec<crate::review::UnusedSuppression>>,
    /// With `--llm URL`: what the language-model stage did (its dropped
    /// findings, counts, tokens and time). `None` without `--llm`.
    pub llm: Option<crate::llm::Summary>,
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
    /// One line per finding: `path:line:col: ID message`.
    Concise,
    /// vigil's stable JSON schema (see docs/json-schema.md).
    Json,
    /// Bandit's JSON report, for tools that already read Bandit.
    BanditJson,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// Gerrit's ReviewInput: the body of a Set Review call, one inline comment per finding.
    Gerrit,
    /// Zuul's `zuul_return` data: `file_comments` for inline comments through Zuul.
    Zuul,
    /// GitHub Actions workflow commands that annotate the lines of a pull request.
    Github,
    /// One self-contained HTML page for an audit: summary, filters, findings in their code.
    Html,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text::render(report),
        Format::Concise => concise::render(report, &text::Options::default()),
        Format::Json => json::render(report),
        Format::BanditJson => bandit_json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Gerrit => gerrit::render(report),
        Format::Zuul => zuul::render(report),
        Format::Github => github::render(report),
        Format::Html => html::render(report),
    }
}

/// `325951` as `325,951`: counts of lines and tokens are read at a glance.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1234), "1,234");
        assert_eq!(super::thousands(325_951), "325,951");
        assert_eq!(super::thousands(1_000_000), "1,000,000");
    }
}
