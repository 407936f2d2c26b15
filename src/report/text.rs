//! The review, for people: each defect with its line, rule, description and
//! solution, and the quoted source. With no defect, exactly [`NO_DEFECTS`].

use std::fmt::Write;

use super::terminal_safe::escape;
use super::{NO_DEFECTS, Report, review_text};
use crate::finding::Finding;

pub fn render(report: &Report) -> String {
    if report.findings.is_empty() {
        return format!("{NO_DEFECTS}\n");
    }
    let mut out = String::new();
    for finding in &report.findings {
        render_finding(&mut out, finding);
        out.push('\n');
    }
    let _ = writeln!(out, "{}", review_text::summary(report));
    out
}

fn render_finding(out: &mut String, f: &Finding) {
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
    let _ = writeln!(out, "  Defect: {}", review_text::description(f));
    if let Some(path) = review_text::path(f) {
        let _ = writeln!(out, "  Path:");
        for line in path.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    let _ = writeln!(out, "  Solution: {}", review_text::solution(f));
}
