//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice`
//! line per finding, which the runner turns into an annotation on the line
//! of the pull request's diff.
//!
//! ```text
//! ::error file=nova/api.py,line=12,endLine=12,col=5,endColumn=22,title=S602 subprocess-popen-with-shell-equals-true::<the review>
//! ```
//!
//! The command and its properties are documented in GitHub's "Workflow
//! commands for GitHub Actions" (`file`, `line`, `endLine`, `col`,
//! `endColumn`, `title`). The escaping is the one the toolkit writes
//! (`@actions/core`, `command.ts`: `escapeData`, `escapeProperty`) and the
//! runner undoes (`ActionCommand.cs`: `UnescapeData`, `UnescapeProperty`):
//! in the message `%`, CR and LF become `%25`, `%0D` and `%0A`; a property
//! value also has `:` and `,` as `%3A` and `%2C`, since `,` separates
//! properties and `::` ends them. So no name or message from the analysed
//! code can end the line, add a property or start another command. These
//! lines are also read on terminals, so control and bidi characters are
//! first made visible (`terminal_safe`), in `file=` too: a path holding an
//! escape sequence then names no file of the repository, and GitHub shows
//! its annotation without a line rather than letting it drive a terminal.
//! The toolkit's `AnnotationProperties` says columns "cannot be sent when
//! `startLine` and `endLine` are different values", so a finding over
//! several lines has no `col`/`endColumn`.
//!
//! Severity picks the command: HIGH `error`, MEDIUM `warning`, LOW `notice`.
//! Files vigil could not review are `error`s on the file; warnings (syntax
//! errors) are `warning`s on their line. The last line is the plain summary
//! (exactly `No security defects are detected in the code` when there is
//! nothing), which the log shows as it is.

use std::fmt::Write;

use super::{Report, review_text, terminal_safe};
use crate::finding::Finding;
use crate::rules::Level;

fn command(severity: Level) -> &'static str {
    match severity {
        Level::High => "error",
        Level::Medium => "warning",
        Level::Low => "notice",
    }
}

/// A message: `%`, CR and LF escaped. `%` goes first, so the escapes that
/// follow are not themselves escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: a message's escapes, and `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn annotation(out: &mut String, f: &Finding) {
    let mut props = format!(
        "file={},line={},endLine={}",
        escape_property(&terminal_safe::escape(&f.path)),
        f.line,
        f.end_line
    );
    if f.line == f.end_line {
        let _ = write!(props, ",col={},endColumn={}", f.column, f.end_column);
    }
    let title = format!("{} {}", f.rule.id, f.rule.name);
    let _ = writeln!(
        out,
        "::{} {},title={}::{}",
        command(f.severity),
        props,
        escape_property(&title),
        escape_data(&review_text::review(f))
    );
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        annotation(&mut out, f);
    }
    for e in &report.errors {
        let _ = writeln!(
            out,
            "::error file={},title=vigil could not review this file::{}",
            escape_property(&terminal_safe::escape(&e.path)),
            escape_data(&format!(
                "{}: {}",
                terminal_safe::escape(&e.path),
                terminal_safe::escape(&e.reason)
            ))
        );
    }
    for w in &report.warnings {
        let _ = writeln!(
            out,
            "::warning file={},line={},title=vigil warning::{}",
            escape_property(&terminal_safe::escape(&w.path)),
            w.line,
            escape_data(&terminal_safe::escape(&w.message))
        );
    }
    let _ = writeln!(out, "{}", review_text::summary(report));
    out
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};

    #[test]
    fn escapes_follow_the_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // An escape already in the text survives the round trip.
        assert_eq!(escape_property("%3A"), "%253A");
    }
}
