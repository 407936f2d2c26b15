//! A rule's documentation as help that travels with a report: plain text
//! and Markdown, from the same `Docs` the review and `vigil rule` print
//! (what it does, why it is bad, example, use instead, solution,
//! references with the CWE first). `sarif` puts them in each rule's `help`.

use std::fmt::Write;

use crate::rules::Rule;

/// Where the repository's rule pages live: `docs/rules/<ID>.md`, one page
/// per rule, generated from the same `Docs` (`tests/rule_docs.rs` keeps them
/// current). With `repository` set in Cargo.toml the link is absolute;
/// without it, it is the page's path in the repository, which is where the
/// page is for anyone holding the source.
pub fn docs_url(rule: &Rule) -> String {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    if repository.is_empty() {
        format!("docs/rules/{}.md", rule.id)
    } else {
        format!("{repository}/blob/HEAD/docs/rules/{}.md", rule.id)
    }
}

fn references(rule: &Rule) -> Vec<String> {
    let mut refs = vec![format!("CWE-{}: {}", rule.cwe, rule.cwe_link())];
    refs.extend(rule.docs.references.iter().map(|r| r.to_string()));
    refs
}

/// What the rule does, with how its findings measured on OpenStack code.
fn what(rule: &Rule) -> String {
    match crate::rules::measured::of(rule.id) {
        Some(m) => format!("{} {}", rule.docs.what, m.sentence()),
        None => rule.docs.what.to_string(),
    }
}

fn indent(code: &str) -> String {
    code.trim_end()
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The documentation as plain text, code indented by four spaces.
pub fn text(rule: &Rule) -> String {
    let d = &rule.docs;
    let mut out = format!(
        "What it does\n{}\n\nWhy is this bad?\n{}\n\nExample\n{}\n\nUse instead\n{}\n\nSolution\n{}\n\nReferences",
        what(rule),
        d.why,
        indent(d.example),
        indent(d.use_instead),
        d.fix
    );
    for r in references(rule) {
        let _ = write!(out, "\n- {r}");
    }
    out
}

/// The documentation as Markdown, code in fenced Python blocks.
pub fn markdown(rule: &Rule) -> String {
    let d = &rule.docs;
    let mut out = format!(
        "## What it does\n{}\n\n## Why is this bad?\n{}\n\n## Example\n```python\n{}\n```\n\n\
         ## Use instead\n```python\n{}\n```\n\n## Solution\n{}\n\n## References",
        what(rule),
        d.why,
        d.example.trim_end(),
        d.use_instead.trim_end(),
        d.fix
    );
    for r in references(rule) {
        let _ = write!(out, "\n- {r}");
    }
    out
}
