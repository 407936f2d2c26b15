//! Reviewing one file: parse, run the selected checks, turn diagnostics into
//! findings and apply the per-file filters (suppressions, thresholds).

use crate::finding::Finding;
use crate::flow;
use crate::input::SourceFile;
use crate::python;
use crate::python::suppression::Suppression;
use crate::rules::registry::{self, Selection};
use crate::rules::{self, Hooks, Level};

/// What the user asked a review to keep.
pub struct Settings {
    pub selection: Selection,
    pub hooks: Hooks,
    pub min_severity: Level,
    pub min_confidence: Level,
    /// Report findings even where `# nosec` or `# vigil: ignore` says not to.
    pub ignore_suppressions: bool,
}

impl Settings {
    pub fn new(selection: Selection) -> Settings {
        let hooks = selection.hooks();
        Settings {
            selection,
            hooks,
            min_severity: Level::Low,
            min_confidence: Level::Low,
            ignore_suppressions: false,
        }
    }
}

/// A problem with a file that did not stop its review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct FileReview {
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
    /// How many findings suppression comments hid.
    pub suppressed: usize,
}

pub fn review(file: &SourceFile, settings: &Settings) -> FileReview {
    review_in_project(file, settings, None)
}

/// [`review`] for a file of a project whose dataflow facts were computed
/// (`project::facts`): the taint rules then see calls into other files.
pub fn review_in_project(file: &SourceFile, settings: &Settings, project: Option<&flow::ProjectFacts>) -> FileReview {
    let module = python::parse(&file.text);
    let mut result = FileReview::default();
    for e in &module.syntax_errors {
        result.warnings.push(Warning {
            line: file.display_line(e.line),
            message: format!("syntax error: {} (the rest of the file is still reviewed)", e.message),
        });
    }
    for p in &module.suppressions.problems {
        result.warnings.push(Warning {
            line: file.display_line(p.line),
            message: p.message.clone(),
        });
    }

    let view = project.and_then(|facts| {
        let name = facts.module_of(&file.path)?;
        Some(flow::ProjectView {
            facts,
            module: name,
            path: &file.path,
            is_package: file.path.ends_with("__init__.py"),
        })
    });
    let diagnostics = rules::check_module_in_project(&file.text, &module, &settings.hooks, view);
    for diag in diagnostics {
        if !settings.selection.contains(diag.rule)
            || diag.severity < settings.min_severity
            || diag.confidence < settings.min_confidence
        {
            continue;
        }
        let statement = diag.statement.unwrap_or(diag.range);
        let lines = (module.line_of(statement.start()), module.line_of(statement.end()));
        let finding = Finding::new(diag, file, &module, lines);
        if !settings.ignore_suppressions && is_suppressed(&finding, &module.suppressions) {
            result.suppressed += 1;
            continue;
        }
        result.findings.push(finding);
    }
    result.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    result.findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
    crate::fingerprint::assign(&mut result.findings);
    result
}

fn is_suppressed(finding: &Finding, suppressions: &python::suppression::Suppressions) -> bool {
    let (first, last) = finding.suppression_lines;
    let names = finding.rule.names();
    suppressions
        .lookup(first..=last)
        .is_some_and(|s: &Suppression| s.covers(&names, registry::is_rule_name))
}
