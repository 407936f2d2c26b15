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
    format!(
        "{} · {}{} · CWE-{} · severity {} · confidence {} · {}",
        rule.id, rule.name, bandit, rule.cwe, f.severity, f.confidence, lines
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
    format!(
        "{}\n\n{}\n\nDefect: {}{}\n\nSolution: {}",
        message(f),
        rule_line(f),
        description(f),
        path,
        solution(f)
    )
}

/// `Found 3 security defects in 2 files (1 high, 1 medium, 1 low severity).`,
/// or exactly [`NO_DEFECTS`] when there is none.
pub fn summary(report: &Report) -> String {
    if report.findings.is_empty() {
        return NO_DEFECTS.to_string();
    }
    // Findings are sorted by path, so equal paths are adjacent.
    let mut paths: Vec<&str> = report.findings.iter().map(|f| f.path.as_str()).collect();
    paths.dedup();
    let (n, files) = (report.findings.len(), paths.len());
    format!(
        "Found {} security defect{} in {} file{} ({} high, {} medium, {} low severity).",
        n,
        if n == 1 { "" } else { "s" },
        files,
        if files == 1 { "" } else { "s" },
        report.count(Level::High),
        report.count(Level::Medium),
        report.count(Level::Low),
    )
}
