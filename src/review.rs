//! Reviewing one file: parse, run the selected checks, turn diagnostics into
//! findings and apply the per-file filters (suppressions, thresholds, and
//! the `filter` module's changed lines and baseline). Asked to, it also tells
//! which suppression comments hid nothing.

use std::collections::BTreeSet;

use crate::filter::{Baseline, ChangedLines};
use crate::finding::Finding;
use crate::flow;
use crate::fusion;
use crate::input::SourceFile;
use crate::python;
use crate::python::suppression::Suppression;
use crate::rules::registry::{self, Selection};
use crate::rules::{self, Hooks, Level};
use ruff_source_file::LineIndex;

/// What the user asked a review to keep.
pub struct Settings {
    pub selection: Selection,
    pub hooks: Hooks,
    pub min_severity: Level,
    pub min_confidence: Level,
    /// Report findings even where `# nosec` or `# vigil: ignore` says not to.
    pub ignore_suppressions: bool,
    /// Change review: report only findings on these lines.
    pub changed_lines: Option<ChangedLines>,
    /// Hide findings this baseline accepted.
    pub baseline: Option<Baseline>,
    /// List the suppression comments that hid nothing.
    pub report_unused_suppressions: bool,
    /// Where the checks of unchanged files are kept between runs (see
    /// `cache`); `None` checks everything.
    pub cache: Option<crate::cache::Cache>,
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
            changed_lines: None,
            baseline: None,
            report_unused_suppressions: false,
            cache: None,
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
    /// How many findings on reviewed lines the baseline hid.
    pub baselined: usize,
    /// How many pattern findings stood down from the default review because
    /// the dataflow analysis proved only constants reach their sink.
    pub proven_constant: usize,
    /// With `report_unused_suppressions`: the comments that hid nothing.
    pub unused_suppressions: Vec<UnusedSuppression>,
}

/// A suppression comment that hid no finding in this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedSuppression {
    pub path: String,
    /// The comment's line, as the user numbers it.
    pub line: u32,
    /// The comment as written back by vigil (`# nosec B602`).
    pub comment: String,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every rule it names ran on this file, and it hid nothing: it can go.
    Unused,
    /// A rule it names did not run on this file (not selected, or ignored
    /// for it), so this run cannot tell whether it is needed. The text says
    /// which rules.
    NotChecked(String),
}

pub fn review(file: &SourceFile, settings: &Settings) -> FileReview {
    review_with(file, settings, &settings.selection, None)
}

/// [`review`] for a file of a project whose dataflow facts were computed
/// (`project::facts`): the taint rules then see calls into other files.
pub fn review_in_project(file: &SourceFile, settings: &Settings, project: Option<&flow::ProjectFacts>) -> FileReview {
    review_with(file, settings, &settings.selection, project)
}

/// [`review`] with this file's own selection (the run's, less its
/// per-file ignores) and, when computed, the project's dataflow facts.
pub fn review_with(
    file: &SourceFile,
    settings: &Settings,
    selection: &Selection,
    project: Option<&flow::ProjectFacts>,
) -> FileReview {
    review_parsed(file, &python::parse(&file.text), settings, selection, project)
}

/// [`review_with`] for a file already parsed: `module` is the parse of
/// `file.text`.
pub fn review_parsed(
    file: &SourceFile,
    module: &python::ParsedModule,
    settings: &Settings,
    selection: &Selection,
    project: Option<&flow::ProjectFacts>,
) -> FileReview {
    let checks = check_file(file, module, settings);
    let dataflow = check_dataflow(file, module, settings, project);
    finish(file, &module.lines, checks, dataflow, settings, selection)
}

/// What the checks that look at the file alone found there (every rule but
/// the dataflow rules), before any filter, with what the filters need of
/// the parse: a function of the file's text and the selection, which a
/// cache may keep.
#[derive(Debug, Clone)]
pub struct FileChecks {
    pub diagnostics: Vec<rules::Diagnostic>,
    /// Where the dataflow rules' diagnostics go among them (the order the
    /// hooks ran in: fusion keeps the first of equals).
    pub dataflow_at: usize,
    pub syntax_errors: Vec<python::SyntaxProblem>,
    pub suppressions: python::suppression::Suppressions,
}

/// Runs every selected check but the dataflow rules' on a parsed file.
pub fn check_file(file: &SourceFile, module: &python::ParsedModule, settings: &Settings) -> FileChecks {
    let (diagnostics, dataflow_at) = rules::checker::check_patterns(&file.text, module, &settings.hooks);
    FileChecks {
        diagnostics,
        dataflow_at,
        syntax_errors: module.syntax_errors.clone(),
        suppressions: module.suppressions.clone(),
    }
}

/// The dataflow rules' diagnostics for a parsed file, with the project's
/// facts when they were computed.
pub fn check_dataflow(
    file: &SourceFile,
    module: &python::ParsedModule,
    settings: &Settings,
    project: Option<&flow::ProjectFacts>,
) -> Vec<rules::Diagnostic> {
    let view = project.and_then(|facts| {
        let name = facts.module_of(&file.path)?;
        Some(flow::ProjectView {
            facts,
            module: name,
            path: &file.path,
            is_package: file.path.ends_with("__init__.py"),
        })
    });
    rules::checker::check_dataflow(&file.text, module, &settings.hooks, view)
}

/// The review of a checked file: findings from the diagnostics, fused,
/// filtered (selection, thresholds, suppressions, changed lines, baseline)
/// and sorted. `lines` is the line index of `file.text`.
pub fn finish(
    file: &SourceFile,
    lines: &LineIndex,
    checks: FileChecks,
    dataflow: Vec<rules::Diagnostic>,
    settings: &Settings,
    selection: &Selection,
) -> FileReview {
    let line_of = |offset: ruff_text_size::TextSize| lines.line_index(offset).get() as u32;
    let mut result = FileReview::default();
    for e in &checks.syntax_errors {
        result.warnings.push(Warning {
            line: file.display_line(e.line),
            message: format!("syntax error: {} (the rest of the file is still reviewed)", e.message),
        });
    }
    let suppressions = &checks.suppressions;
    for p in &suppressions.problems {
        result.warnings.push(Warning {
            line: file.display_line(p.line),
            message: p.message.clone(),
        });
    }
    let mut diagnostics = checks.diagnostics;
    let at = checks.dataflow_at.min(diagnostics.len());
    diagnostics.splice(at..at, dataflow);
    let mut used = BTreeSet::new();
    let mut found = Vec::new();
    let mut proofs = Vec::new();
    for diag in diagnostics {
        if !selection.contains(diag.rule) {
            continue;
        }
        let statement = diag.statement.unwrap_or(diag.range);
        let statement_lines = (line_of(statement.start()), line_of(statement.end()));
        if diag.only_constants {
            proofs.push(Finding::new(diag, file, lines, statement_lines));
            continue;
        }
        // Before the thresholds: a comment hiding a finding that
        // `--severity high` drops is still needed on a default run.
        if settings.report_unused_suppressions {
            note_use(&diag, &line_of, suppressions, &mut used);
        }
        found.push(Finding::new(diag, file, lines, statement_lines));
    }
    for finding in fusion::fuse(found, &proofs) {
        // A pattern finding on a sink that only constants reach is not
        // what a security review raises: only a selection that names its
        // rule shows it (with the proof in its text).
        if finding.only_constants && selection.is_default() {
            result.proven_constant += 1;
            continue;
        }
        if finding.severity < settings.min_severity || finding.confidence < settings.min_confidence {
            continue;
        }
        if !settings.ignore_suppressions && is_suppressed(&finding, suppressions) {
            result.suppressed += 1;
            continue;
        }
        result.findings.push(finding);
    }
    result.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    result.findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
    crate::fingerprint::assign(&mut result.findings);
    // After fingerprints: occurrence indices count every finding of the
    // file. The change filter runs first, so the baseline's count covers
    // only findings on changed lines.
    let accepted = match &settings.baseline {
        Some(baseline) => baseline.accepted(&result.findings),
        None => vec![false; result.findings.len()],
    };
    let mut kept = Vec::with_capacity(result.findings.len());
    for (finding, accepted) in std::mem::take(&mut result.findings).into_iter().zip(accepted) {
        if settings.changed_lines.as_ref().is_some_and(|c| !c.touches(&finding)) {
            continue;
        }
        if accepted {
            result.baselined += 1;
            continue;
        }
        kept.push(finding);
    }
    result.findings = kept;
    if settings.report_unused_suppressions {
        result.unused_suppressions = unused_suppressions(file, suppressions, selection, &used);
    }
    result
}

/// Records the line of the comment that covers `diag`, if one does.
fn note_use(
    diag: &rules::Diagnostic,
    line_of: &dyn Fn(ruff_text_size::TextSize) -> u32,
    suppressions: &python::suppression::Suppressions,
    used: &mut BTreeSet<u32>,
) {
    let statement = diag.statement.unwrap_or(diag.range);
    let first = line_of(statement.start()).min(line_of(diag.range.start()));
    let last = line_of(statement.end()).max(line_of(diag.range.end()));
    if let Some((line, s)) = suppressions.lookup_line(first..=last)
        && s.covers(&diag.rule.names(), registry::is_rule_name)
    {
        used.insert(line);
    }
}

fn unused_suppressions(
    file: &SourceFile,
    suppressions: &python::suppression::Suppressions,
    selection: &Selection,
    used: &BTreeSet<u32>,
) -> Vec<UnusedSuppression> {
    suppressions
        .iter()
        // A `# noqa` may serve Ruff or flake8: hiding nothing here does not
        // make it unused.
        .filter(|(line, s)| !used.contains(line) && !s.is_shared())
        .map(|(line, s)| UnusedSuppression {
            path: file.path.clone(),
            line: file.display_line(line),
            comment: s.comment(),
            verdict: verdict(s, selection),
        })
        .collect()
}

/// Whether a comment that hid nothing is unused, or was not put to the test.
fn verdict(s: &Suppression, selection: &Selection) -> Verdict {
    let named: Vec<&'static rules::Rule> = s.listed_ids().iter().filter_map(|id| registry::find(id)).collect();
    // `# nosec`, and `# nosec` followed only by prose, cover every rule.
    let covers_all = match s {
        Suppression::All => true,
        Suppression::Nosec(_) => named.is_empty(),
        Suppression::Only(_) | Suppression::Noqa(_) => false,
    };
    if covers_all {
        return if selection.has_every_default_rule() {
            Verdict::Unused
        } else {
            Verdict::NotChecked("it covers every rule, and not every default rule ran".to_string())
        };
    }
    let mut not_run: Vec<&str> = named.iter().filter(|r| !selection.contains(r)).map(|r| r.id).collect();
    not_run.dedup();
    match not_run.as_slice() {
        [] => Verdict::Unused,
        [one] => Verdict::NotChecked(format!("{one} did not run")),
        many => Verdict::NotChecked(format!("{} did not run", many.join(", "))),
    }
}

fn is_suppressed(finding: &Finding, suppressions: &python::suppression::Suppressions) -> bool {
    let (first, last) = finding.suppression_lines;
    // A fused finding is hidden by a comment naming any rule that saw it.
    let names = finding.names();
    suppressions
        .lookup(first..=last)
        .is_some_and(|s: &Suppression| s.covers(&names, registry::is_rule_name))
}
