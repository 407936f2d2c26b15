//! The review of one finding as plain text, shared by every format that puts
//! it in front of a reviewer: the text review (`text`), inline comments
//! (`gerrit`, `zuul`), workflow annotations (`github`) and result messages
//! (`sarif`).
//!
//! The review is four paragraphs: the one-fact message, the rule line (id,
//! name, Bandit id, CWE, severity, confidence, lines), the description and
//! the solution. Message, description and solution can quote the analysed
//! code, so their control and bidi characters are made visible
//! (`terminal_safe`): a reviewer must see what is really there. Each format
//! then applies its own syntax escaping on top.

use std::borrow::Cow;

use super::terminal_safe::escape;
use super::{NO_DEFECTS, Report};
use crate::finding::Finding;
use crate::rules::Level;

/// `S101 · assert-used (Bandit B101) · CWE-703 · severity LOW · confidence HIGH · line 2`
pub fn rule_line(f: &Finding) -> String {
    let rule = f.rule;
    let lines = if f.end_line > f.line {
        format!("lines {}-{}", f.line, f.end_line)
    } else {
        format!("line {}", f.line)
    };
    let bandit = rule.bandit.map(|b| format!(" (Bandit {b})")).unwrap_or_default();
    let also = if f.also.is_empty() {
        String::new()
    } else {
        let ids: Vec<String> = f
            .also
            .iter()
            .map(|a| match a.rule.bandit {
                Some(b) => format!("{} (Bandit {b})", a.rule.id),
                None => a.rule.id.to_string(),
            })
            .collect();
        format!(" · also {}", ids.join(", "))
    };
    let model = super::llm_text::origin(f)
        .map(|o| format!(" · {o}"))
        .unwrap_or_default();
    format!(
        "{} · {}{}{} · CWE-{} · severity {} · confidence {} · {}{}",
        rule.id, rule.name, bandit, also, rule.cwe, f.severity, f.confidence, lines, model
    )
}

/// The one-fact message, safe to show.
pub fn message(f: &Finding) -> Cow<'_, str> {
    escape(&f.message)
}

/// Why the code is exploitable, safe to show.
pub fn description(f: &Finding) -> Cow<'_, str> {
    escape(&f.description)
}

/// The path to the defect, one step a line (`line 98: ...`), safe to show;
/// `None` for a defect on one node.
pub fn path(f: &Finding) -> Option<String> {
    if f.steps.is_empty() {
        return None;
    }
    let lines: Vec<String> = f
        .steps
        .iter()
        .map(|s| format!("line {}: {}", s.line, escape(&s.note)))
        .collect();
    Some(lines.join("\n"))
}

/// What to change, safe to show.
pub fn solution(f: &Finding) -> Cow<'_, str> {
    escape(&f.solution)
}

/// The whole review of one finding: four paragraphs separated by blank
/// lines, without a trailing newline.
pub fn review(f: &Finding) -> String {
    let path = path(f).map(|p| format!("\n\nPath:\n{p}")).unwrap_or_default();
    let triage = super::llm_text::triage(f)
        .map(|t| format!("\n\n{t}"))
        .unwrap_or_default();
    format!(
        "{}\n\n{}\n\nDefect: {}{}\n\nSolution: {}{}",
        message(f),
        rule_line(f),
        description(f),
        path,
        solution(f),
        triage
    )
}

/// The one-line summary: `Found 3 security defects in 2 files (1 high, 1
/// medium, 1 low severity); 12 files reviewed, 4 test files left out
/// (--include-tests reviews them).` With no defect it is exactly
/// [`NO_DEFECTS`] only when every input was reviewed; otherwise it says what
/// was not (see [`not_reviewed`]).
pub fn summary(report: &Report) -> String {
    let dropped = report.llm.as_ref().map_or(0, |l| l.dropped.len());
    if report.findings.is_empty() {
        return match not_reviewed(report) {
            Some(honest) => honest,
            // The analysis found defects; only the model's triage hid them.
            None if dropped > 0 => format!(
                "No security defects are left after the language model's triage: it dropped {} of the analysis.",
                count(dropped, "finding", "")
            ),
            None => NO_DEFECTS.to_string(),
        };
    }
    let by_model = report.findings.iter().filter(|f| f.found_by_model.is_some()).count();
    // Findings are grouped by path in every report, so equal paths are
    // adjacent once sorted.
    let mut paths: Vec<&str> = report.findings.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    let (n, files) = (report.findings.len(), paths.len());
    let mut scope = vec![count(report.files_reviewed, "file", "reviewed")];
    scope.extend(left_out(report));
    let model_note = if by_model > 0 {
        format!(" ({by_model} reported by the language model)")
    } else {
        String::new()
    };
    format!(
        "Found {} security defect{}{} in {} file{} ({} high, {} medium, {} low severity); {}.",
        n,
        if n == 1 { "" } else { "s" },
        model_note,
        files,
        if files == 1 { "" } else { "s" },
        report.count(Level::High),
        report.count(Level::Medium),
        report.count(Level::Low),
        scope.join(", "),
    )
}

/// With no finding: what keeps the review from saying that the code has no
/// defect, when something does (nothing was reviewed, or a file could not
/// be). `None` when [`NO_DEFECTS`] is the honest answer.
pub fn not_reviewed(report: &Report) -> Option<String> {
    let errors = report.errors.len();
    if report.files_reviewed == 0 {
        let why = if errors > 0 {
            if errors == 1 {
                "the input below could not be reviewed".to_string()
            } else {
                format!("the {errors} inputs below could not be reviewed")
            }
        } else if report.test_files_left_out > 0 {
            format!(
                "the {} under the given paths {} test code (--include-tests reviews {})",
                count(report.test_files_left_out, "Python file", ""),
                if report.test_files_left_out == 1 { "is" } else { "are" },
                if report.test_files_left_out == 1 { "it" } else { "them" },
            )
        } else if report.change {
            "the change touches no Python file under the given paths".to_string()
        } else {
            "there is no Python file under the given paths".to_string()
        };
        return Some(format!("Nothing was reviewed: {why}."));
    }
    (errors > 0).then(|| {
        format!(
            "No security defects were found in the {} reviewed, but {} could not be reviewed (listed below).",
            count(report.files_reviewed, "file", ""),
            count(errors, "file", "").trim_end(),
        )
    })
}

/// What the review left out, as phrases for the summary.
fn left_out(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    if report.test_files_left_out > 0 {
        out.push(format!(
            "{} left out (--include-tests reviews them)",
            count(report.test_files_left_out, "test file", "")
        ));
    }
    if !report.errors.is_empty() {
        out.push(format!(
            "{} could not be reviewed (listed below)",
            count(report.errors.len(), "file", "")
        ));
    }
    out
}

/// `1 file reviewed`, `3 files reviewed`; `what` without `done` gives `3 files`.
fn count(n: usize, what: &str, done: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    if done.is_empty() {
        format!("{n} {what}{plural}")
    } else {
        format!("{n} {what}{plural} {done}")
    }
}
