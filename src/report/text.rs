//! The review, for people: a one-line summary, then each defect, most
//! serious first, with its line, rule, what is wrong here and the solution,
//! and the quoted source; what could not be reviewed comes last. With no
//! defect and everything reviewed, exactly [`NO_DEFECTS`].
//!
//! A rule's general explanation (its documentation's *why* and general
//! fix) is printed once, with the first finding of that rule; every finding
//! keeps what its check said about this code.
//!
//! [`Options`] change the form, never the content: on a terminal the rule
//! ids and severities are coloured and the quoted code has the defect's
//! range underlined with carets (`snippet`); `quiet` leaves out the summary
//! and the list of files not reviewed (standard error has them). Piped
//! output with the defaults is byte for byte what [`render`] gives.

use std::collections::HashMap;
use std::fmt::Write;

use super::paint::Paint;
use super::terminal_safe::escape;
use super::{Report, review_text, snippet};
use crate::finding::Finding;

/// The form of the text review (its content never changes).
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Colours and emphasis.
    pub paint: Paint,
    /// Underline each defect's range with carets (the terminal layout).
    pub carets: bool,
    /// Findings only: no summary line, no list of files not reviewed.
    pub quiet: bool,
}

pub fn render(report: &Report) -> String {
    render_with(report, &Options::default())
}

pub fn render_with(report: &Report, options: &Options) -> String {
    let paint = options.paint;
    let mut out = String::new();
    if !options.quiet {
        let _ = writeln!(out, "{}", summary(report, paint));
        if let Some(llm) = &report.llm {
            let _ = writeln!(out, "{}", super::llm_text::summary(llm));
        }
    }
    let mut first_of_rule: HashMap<&str, &Finding> = HashMap::new();
    for (i, finding) in most_serious_first(report).into_iter().enumerate() {
        if i > 0 || !options.quiet {
            out.push('\n');
        }
        let first = first_of_rule.get(finding.rule.id).copied();
        render_finding(&mut out, finding, first, options);
        first_of_rule.entry(finding.rule.id).or_insert(finding);
    }
    if let Some(llm) = &report.llm {
        out.push_str(&super::llm_text::dropped(llm));
    }
    if !options.quiet {
        not_reviewed(&mut out, report, paint);
    }
    out
}

/// The summary line; the exact no-defect sentence is never painted.
pub fn summary(report: &Report, paint: Paint) -> String {
    let line = review_text::summary(report);
    if report.findings.is_empty() {
        line
    } else {
        paint.bold(&line)
    }
}

/// The files that could not be reviewed, after a blank line.
pub fn not_reviewed(out: &mut String, report: &Report, paint: Paint) {
    if !report.errors.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Not reviewed:"));
        for e in &report.errors {
            let _ = writeln!(out, "  {}: {}", escape(&e.path), escape(&e.reason));
        }
    }
}

/// Most serious first; ties in the machine formats' order.
fn most_serious_first(report: &Report) -> Vec<&Finding> {
    let mut order: Vec<&Finding> = report.findings.iter().collect();
    order.sort_by(|a, b| {
        (b.severity, b.confidence)
            .cmp(&(a.severity, a.confidence))
            .then_with(|| a.sort_key().cmp(&b.sort_key()))
    });
    order
}

/// `path:line:col: ID message`, the first line of a finding (and the whole
/// of it in the concise format), with the path in bold and the rule id in
/// its severity's colour.
pub fn headline(f: &Finding, paint: Paint) -> String {
    format!(
        "{}:{}:{}: {} {}",
        paint.bold(&escape(&f.path)),
        f.line,
        f.column,
        paint.severity(f.severity, f.rule.id),
        review_text::message(f)
    )
}

/// One finding; `earlier` is the first finding of the same rule already
/// printed, whose general explanation this one does not repeat.
fn render_finding(out: &mut String, f: &Finding, earlier: Option<&Finding>, options: &Options) {
    let paint = options.paint;
    let _ = writeln!(out, "{}", headline(f, paint));
    let severity = format!("severity {}", f.severity);
    let rule_line = review_text::rule_line(f).replacen(&severity, &paint.severity(f.severity, &severity), 1);
    let _ = writeln!(out, "  {rule_line}");
    match options.carets.then(|| snippet::annotated(f, paint, "  ")).flatten() {
        Some(quoted) => out.push_str(&quoted),
        None => quote(out, f, paint),
    }
    let label = |text: &str| paint.bold(text);
    match (&f.detail, earlier) {
        (Some(detail), _) => {
            let _ = writeln!(out, "  {} {}", label("Defect:"), escape(detail));
        }
        (None, None) => {
            let _ = writeln!(out, "  {} {}", label("Defect:"), escape(f.rule.docs.why));
        }
        (None, Some(_)) => {}
    }
    if f.detail.is_some() && earlier.is_none() {
        let _ = writeln!(out, "  {} {}", label("Why it matters:"), escape(f.rule.docs.why));
    }
    if let Some(path) = review_text::path(f) {
        let _ = writeln!(out, "  {}", label("Path:"));
        for line in path.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    let specific = f.solution != f.rule.docs.fix;
    let solution = paint.help("Solution:");
    match earlier {
        Some(first) if !specific && first.path == f.path => {
            let _ = writeln!(out, "  {solution} as for line {} above.", first.line);
        }
        Some(first) if !specific => {
            let _ = writeln!(out, "  {solution} as for {}:{} above.", escape(&first.path), first.line);
        }
        _ => {
            let _ = writeln!(out, "  {solution} {}", review_text::solution(f));
        }
    }
    if let Some(triage) = super::llm_text::triage(f) {
        let _ = writeln!(out, "  {triage}");
    }
}

/// The quoted lines with their numbers, as the review has always printed
/// them off a terminal.
fn quote(out: &mut String, f: &Finding, paint: Paint) {
    let width = f.snippet.iter().map(|l| l.line.to_string().len()).max().unwrap_or(1);
    let bar = paint.dim("|");
    let _ = writeln!(out, "  {:width$} {bar}", "");
    for line in &f.snippet {
        let _ = writeln!(out, "  {:>width$} {bar} {}", line.line, escape(&line.text));
    }
    let _ = writeln!(out, "  {:width$} {bar}", "");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SourceFile;
    use crate::review::{Settings, review};
    use crate::rules::registry::Selection;

    fn report_of(file: SourceFile, select: &str) -> Report {
        let settings = Settings::new(Selection::new(&[select.to_string()], &[]).unwrap());
        Report {
            findings: review(&file, &settings).findings,
            files_reviewed: 1,
            ..Report::default()
        }
    }

    fn terminal(quiet: bool) -> Options {
        Options {
            paint: Paint::new(false),
            carets: true,
            quiet,
        }
    }

    #[test]
    fn the_terminal_layout_without_colour_underlines_the_range() {
        let file = SourceFile::plain("a.py", "import yaml\nd = yaml.load(s)\n".to_string());
        let text = render_with(&report_of(file, "S506"), &terminal(true));
        let quoted: Vec<&str> = text.lines().skip(2).take(3).collect();
        assert_eq!(quoted, ["    |", "  2 | d = yaml.load(s)", "    |     ^^^^^^^^^^^^"]);
    }

    #[test]
    fn a_range_over_several_lines_is_drawn_across_them() {
        let code = "import yaml\nd = yaml.load(\n    s,\n)\n";
        let file = SourceFile::plain("a.py", code.to_string());
        let text = render_with(&report_of(file, "S506"), &terminal(true));
        let quoted: Vec<&str> = text.lines().skip(2).take(6).collect();
        assert_eq!(
            quoted,
            [
                "    |",
                "  2 |   d = yaml.load(",
                "    |  _____^",
                "  3 | |     s,",
                "  4 | | )",
                "    | |_^",
            ]
        );
    }

    #[test]
    fn control_characters_are_escaped_and_the_carets_follow() {
        let file = SourceFile::plain("a.py", "import yaml\nx = '\u{1b}'; d = yaml.load(s)\n".to_string());
        let text = render_with(&report_of(file, "S506"), &terminal(true));
        let quoted: Vec<&str> = text.lines().skip(3).take(2).collect();
        assert_eq!(
            quoted,
            [
                "  2 | x = '\\u{1b}'; d = yaml.load(s)",
                "    |                   ^^^^^^^^^^^^"
            ]
        );
    }
}
