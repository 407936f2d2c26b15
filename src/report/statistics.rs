//! `--statistics`: how many findings each rule reported, most first, in
//! place of the findings themselves, with how many of them `--fix` can fix.
//! The summary line opens it unless `quiet`.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Report;
use super::text::{self, Options};
use crate::rules::Rule;

struct Row {
    rule: &'static Rule,
    count: usize,
    fixable: usize,
}

pub fn render(report: &Report, options: &Options) -> String {
    let paint = options.paint;
    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    for f in &report.findings {
        let row = rows.entry(f.rule.id).or_insert(Row {
            rule: f.rule,
            count: 0,
            fixable: 0,
        });
        row.count += 1;
        row.fixable += usize::from(f.edit.is_some());
    }
    let mut rows: Vec<Row> = rows.into_values().collect();
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.rule.severity.cmp(&a.rule.severity))
            .then(a.rule.id.cmp(b.rule.id))
    });
    let mut out = String::new();
    if !options.quiet {
        let _ = writeln!(out, "{}", text::summary(report, paint));
        if !rows.is_empty() {
            out.push('\n');
        }
    }
    let count_width = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(1);
    let id_width = rows.iter().map(|r| r.rule.id.len()).max().unwrap_or(4);
    for row in &rows {
        let fixable = match row.fixable {
            0 => String::new(),
            n => format!("  ({n} fixable with --fix)"),
        };
        let _ = writeln!(
            out,
            "{:>count_width$}  {}  {:<6}  {}{fixable}",
            row.count,
            paint.severity(row.rule.severity, &format!("{:<id_width$}", row.rule.id)),
            row.rule.severity.as_str(),
            row.rule.name,
        );
    }
    if !options.quiet {
        text::not_reviewed(&mut out, report, paint);
    }
    out
}
