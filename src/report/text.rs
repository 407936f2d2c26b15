//! The review, for people: a one-line summary, then each defect, most
//! serious first, with its line, rule, what is wrong here and the solution,
//! and the quoted source; what could not be reviewed comes last. With no
//! defect and everything reviewed, exactly [`NO_DEFECTS`].
//!
//! A rule's general explanation (its documentation's *why* and general
//! fix) is printed once, with the first finding of that rule; every finding
//! keeps what its check said about this code.

use std::collections::HashMap;
use std::fmt::Write;

use super::terminal_safe::escape;
use super::{Report, review_text};
use crate::finding::Finding;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", review_text::summary(report));
    if let Some(llm) = &report.llm {
        let _ = writeln!(out, "{}", super::llm_text::summary(llm));
    }
    let mut order: Vec<&Finding> = report.findings.iter().collect();
    // Most serious first; ties in the machine formats' order.
    order.sort_by(|a, b| {
        (b.severity, b.confidence)
            .cmp(&(a.severity, a.confidence))
            .then_with(|| a.sort_key().cmp(&b.sort_key()))
    });
    let mut first_of_rule: HashMap<&str, &Finding> = HashMap::new();
    for finding in order {
        out.push('\n');
        let first = first_of_rule.get(finding.rule.id).copied();
        render_finding(&mut out, finding, first);
        first_of_rule.entry(finding.rule.id).or_insert(finding);
    }
    if let Some(llm) = &report.llm {
        out.push_str(&super::llm_text::dropped(llm));
    }
    if !report.errors.is_empty() {
        let _ = writeln!(out, "\nNot reviewed:");
        for e in &report.errors {
            let _ = writeln!(out, "  {}: {}", escape(&e.path), escape(&e.reason));
        }
    }
    out
}

/// One finding; `earlier` is the first finding of the same rule already
/// printed, whose general explanation this one does not repeat.
fn render_finding(out: &mut String, f: &Finding, earlier: Option<&Finding>) {
    let _ = writeln!(
        out,
        "{}:{}:{}: {} {}",
        escape(&f.path),
        f.line,
        f.column,
        f.rule.id,
        review_text::message(f)
    );
    let _ = writeln!(out, "  {}", review_text::rule_line(f));
    let width = f.snippet.iter().map(|l| l.line.to_string().len()).max().unwrap_or(1);
    let _ = writeln!(out, "  {:width$} |", "");
    for line in &f.snippet {
        let _ = writeln!(out, "  {:>width$} | {}", line.line, escape(&line.text));
    }
    let _ = writeln!(out, "  {:width$} |", "");
    match (&f.detail, earlier) {
        (Some(detail), _) => {
            let _ = writeln!(out, "  Defect: {}", escape(detail));
        }
        (None, None) => {
            let _ = writeln!(out, "  Defect: {}", escape(f.rule.docs.why));
        }
        (None, Some(_)) => {}
    }
    if f.detail.is_some() && earlier.is_none() {
        let _ = writeln!(out, "  Why it matters: {}", escape(f.rule.docs.why));
    }
    if let Some(path) = review_text::path(f) {
        let _ = writeln!(out, "  Path:");
        for line in path.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    let specific = f.solution != f.rule.docs.fix;
    match earlier {
        Some(first) if !specific && first.path == f.path => {
            let _ = writeln!(out, "  Solution: as for line {} above.", first.line);
        }
        Some(first) if !specific => {
            let _ = writeln!(out, "  Solution: as for {}:{} above.", escape(&first.path), first.line);
        }
        _ => {
            let _ = writeln!(out, "  Solution: {}", review_text::solution(f));
        }
    }
    if let Some(triage) = super::llm_text::triage(f) {
        let _ = writeln!(out, "  {triage}");
    }
}
