//! The review, for people: each defect with its line, rule, description and
//! solution, and the quoted source. With no defect, exactly [`NO_DEFECTS`].

use std::fmt::Write;

use super::terminal_safe::escape;
use super::{NO_DEFECTS, Report};
use crate::finding::Finding;
use crate::rules::Level;

pub fn render(report: &Report) -> String {
    if report.findings.is_empty() {
        return format!("{NO_DEFECTS}\n");
    }
    let mut out = String::new();
    for finding in &report.findings {
        render_finding(&mut out, finding);
        out.push('\n');
    }
    let files = {
        let mut paths: Vec<&str> = report.findings.iter().map(|f| f.path.as_str()).collect();
        paths.dedup();
        paths.len()
    };
    let n = report.findings.len();
    let _ = writeln!(
        out,
        "Found {} security defect{} in {} file{} ({} high, {} medium, {} low severity).",
        n,
        if n == 1 { "" } else { "s" },
        files,
        if files == 1 { "" } else { "s" },
        report.count(Level::High),
        report.count(Level::Medium),
        report.count(Level::Low),
    );
    out
}

fn render_finding(out: &mut String, f: &Finding) {
    let rule = f.rule;
    let lines = if f.end_line > f.line {
        format!("lines {}-{}", f.line, f.end_line)
    } else {
        format!("line {}", f.line)
    };
    let _ = writeln!(
        out,
        "{}:{}:{}: {} {}",
        escape(&f.path),
        f.line,
        f.column,
        rule.id,
        escape(&f.message)
    );
    let bandit = rule.bandit.map(|b| format!(" (Bandit {b})")).unwrap_or_default();
    let _ = writeln!(
        out,
        "  {} · {}{} · CWE-{} · severity {} · confidence {} · {}",
        rule.id, rule.name, bandit, rule.cwe, f.severity, f.confidence, lines
    );
    let width = f.snippet.iter().map(|l| l.line.to_string().len()).max().unwrap_or(1);
    let _ = writeln!(out, "  {:width$} |", "");
    for line in &f.snippet {
        let _ = writeln!(out, "  {:>width$} | {}", line.line, escape(&line.text));
    }
    let _ = writeln!(out, "  {:width$} |", "");
    let _ = writeln!(out, "  Defect: {}", escape(&f.description));
    if !f.steps.is_empty() {
        let _ = writeln!(out, "  Path:");
        for step in &f.steps {
            let _ = writeln!(out, "    line {}: {}", step.line, escape(&step.note));
        }
    }
    let _ = writeln!(out, "  Solution: {}", escape(&f.solution));
}
