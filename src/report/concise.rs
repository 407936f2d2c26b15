//! The concise review: one line per finding, `path:line:col: ID message`,
//! in file order, the form editors, `grep` and compilers' error parsers
//! read. The summary line opens it (as in the text review) unless `quiet`;
//! with no defect and everything reviewed it is the exact no-defect
//! sentence.

use std::fmt::Write;

use super::Report;
use super::text::{self, Options};

pub fn render(report: &Report, options: &Options) -> String {
    let mut out = String::new();
    if !options.quiet {
        let _ = writeln!(out, "{}", text::summary(report, options.paint));
        if !report.findings.is_empty() {
            out.push('\n');
        }
    }
    for f in &report.findings {
        let _ = writeln!(out, "{}", text::headline(f, options.paint));
    }
    if !options.quiet {
        text::not_reviewed(&mut out, report, options.paint);
    }
    out
}
