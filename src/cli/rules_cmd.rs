//! `vigil rules` and `vigil rule ID`: the rule documentation, printed from
//! the same data the review uses.

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;

use crate::rules::registry;
use crate::rules::{Rule, Status};

/// Every rule, those off by default marked so. `--json` gives the same as data.
pub fn list(as_json: bool) -> ExitCode {
    let rules: Vec<&Rule> = registry::all().to_vec();
    let mut out = String::new();
    if as_json {
        let rows: Vec<_> = rules
            .iter()
            .map(|r| {
                json!({"id": r.id, "name": r.name, "bandit_id": r.bandit, "family": r.family.as_str(),
                       "cwe": r.cwe, "severity": r.severity.as_str(), "confidence": r.confidence.as_str(),
                       "default": r.status == Status::Stable, "summary": r.docs.what})
            })
            .collect();
        // A vector of JSON values always serialises.
        out.push_str(&serde_json::to_string_pretty(&rows).expect("rules serialise"));
        out.push('\n');
    } else {
        out.push_str(&format!(
            "{:<6} {:<6} {:<8} {:<7} {:<6} {:<17} NAME\n",
            "ID", "BANDIT", "CWE", "SEV", "CONF", "FAMILY"
        ));
        for r in rules {
            out.push_str(&format!(
                "{:<6} {:<6} {:<8} {:<7} {:<6} {:<17} {}{}\n",
                r.id,
                r.bandit.unwrap_or("-"),
                format!("CWE-{}", r.cwe),
                r.severity.as_str(),
                r.confidence.as_str(),
                r.family.as_str(),
                r.name,
                if r.status == Status::Opt {
                    " (off by default)"
                } else {
                    ""
                }
            ));
        }
    }
    print_or_exit(&out)
}

/// Prints to standard output; a reader that closed the pipe early
/// (`vigil rules | head`) got what it wanted and is not an error.
fn print_or_exit(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("vigil: error: cannot write to standard output: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

pub fn show(id: &str) -> ExitCode {
    match registry::find(id) {
        Some(rule) => print_or_exit(&render_doc(rule)),
        None => {
            eprintln!("vigil: error: unknown rule `{id}`: run `vigil rules` to list rule ids, Bandit ids and names");
            ExitCode::from(2)
        }
    }
}

/// The five-section documentation of a rule, as Markdown.
pub fn render_doc(rule: &Rule) -> String {
    let d = &rule.docs;
    let bandit = rule.bandit.map(|b| format!(" · Bandit {b}")).unwrap_or_default();
    let mut refs = vec![format!("- CWE-{}: {}", rule.cwe, rule.cwe_link())];
    refs.extend(d.references.iter().map(|r| format!("- {r}")));
    format!(
        "# {id} {name}\n\n{family} · CWE-{cwe} · severity {sev} · confidence {conf}{bandit}{off}\n\n\
         ## What it does\n{what}\n\n## Why is this bad?\n{why}\n\n## Example\n```python\n{ex}\n```\n\n\
         ## Use instead\n```python\n{use_}\n```\n\n## References\n{refs}\n",
        id = rule.id,
        name = rule.name,
        family = rule.family.as_str(),
        cwe = rule.cwe,
        sev = rule.severity,
        conf = rule.confidence,
        off = if rule.status == Status::Opt {
            " · off by default"
        } else {
            ""
        },
        what = match crate::rules::measured::of(rule.id) {
            Some(m) => format!("{}\n\n{}", d.what, m.sentence()),
            None => d.what.to_string(),
        },
        why = d.why,
        ex = d.example.trim_end(),
        use_ = d.use_instead.trim_end(),
        refs = refs.join("\n"),
    )
}
