//! The language-model stage in plain text (`--llm`): its summary line, the
//! model's triage of one finding, and the findings it dropped (with
//! `--show-dropped`). Shared by the text review and the comment formats;
//! everything the model wrote is escaped like code (`terminal_safe`).

use std::fmt::Write;

use super::terminal_safe::escape;
use super::thousands;
use crate::finding::Finding;
use crate::llm::Summary;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One paragraph: what the model kept, dropped and found, what was
/// rejected or could not be used, and what it cost.
pub fn summary(llm: &Summary) -> String {
    let mut parts: Vec<String> = Vec::new();
    let triage_asked = llm.triaged + llm.not_triaged;
    if triage_asked > 0 {
        let mut triage = format!(
            "{} triaged: {} kept, {} dropped",
            plural(llm.triaged, "finding", "findings"),
            llm.kept,
            llm.dropped.len()
        );
        if !llm.dropped.is_empty() && !llm.show_dropped {
            triage.push_str(" (hidden; --show-dropped shows them)");
        }
        if llm.not_triaged > 0 {
            let _ = write!(triage, ", {} without a verdict", llm.not_triaged);
        }
        parts.push(triage);
    }
    let reported = llm.discovered + llm.rejected_total() + llm.duplicates + llm.out_of_scope;
    if reported > 0 {
        let mut found = format!(
            "{} reported by the model: {} shown",
            plural(reported, "defect", "defects"),
            llm.discovered
        );
        if llm.rejected_total() > 0 {
            let _ = write!(
                found,
                ", {} rejected by the line check ({})",
                llm.rejected_total(),
                crate::llm::stage::counts(&llm.rejected)
            );
        }
        if llm.duplicates > 0 {
            let _ = write!(found, ", {} already found by the analysis", llm.duplicates);
        }
        if llm.out_of_scope > 0 {
            let _ = write!(found, ", {} outside the change or in the baseline", llm.out_of_scope);
        }
        parts.push(found);
    }
    if llm.unusable_total() > 0 {
        parts.push(format!(
            "{} without a usable answer ({})",
            plural(llm.unusable_total(), "question", "questions"),
            crate::llm::stage::counts(&llm.unusable)
        ));
    }
    if llm.not_sent > 0 {
        let why = match llm.budget {
            Some(budget) if llm.failure.is_none() => format!("the token budget of {} was spent", thousands(budget)),
            _ => "the stage stopped".to_string(),
        };
        parts.push(format!(
            "{} not sent: {why}",
            plural(llm.not_sent, "question", "questions")
        ));
    }
    parts.push(format!(
        "{} ({} from the cache), {} tokens sent, {} received, {:.1} s",
        plural(llm.requests, "request", "requests"),
        llm.cache_hits,
        thousands(llm.tokens_sent),
        thousands(llm.tokens_received),
        llm.seconds
    ));
    let mut out = format!("Language model `{}`: {}.", escape(&llm.model), parts.join("; "));
    if let Some(failure) = &llm.failure {
        let _ = write!(out, " It stopped early: {}.", escape(failure));
    }
    out
}

/// The model's triage of a finding of the analysis, one line, or `None`.
pub fn triage(f: &Finding) -> Option<String> {
    let t = f.triage.as_ref()?;
    let mut line = format!(
        "Model `{}`: {} (confidence {}): {}",
        escape(&t.model),
        if t.keep { "a real defect" } else { "a false alarm" },
        t.confidence,
        escape(&t.explanation)
    );
    if !t.fix.trim().is_empty() {
        let _ = write!(line, " Its fix: {}", escape(&t.fix));
    }
    Some(line)
}

/// For a defect the model reported: who did, and what vigil checked.
pub fn origin(f: &Finding) -> Option<String> {
    f.found_by_model.as_ref().map(|model| {
        format!(
            "reported by language model `{}` (its line and quoted code checked, the defect not)",
            escape(model)
        )
    })
}

/// The findings the model dropped, for `--show-dropped`; empty otherwise.
pub fn dropped(llm: &Summary) -> String {
    if !llm.show_dropped || llm.dropped.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\nDropped by the language model ({}; the analysis reported them):\n",
        llm.dropped.len()
    );
    for f in &llm.dropped {
        let _ = writeln!(
            out,
            "  {}:{}:{}: {} {}",
            escape(&f.path),
            f.line,
            f.column,
            f.rule.id,
            escape(&f.message)
        );
        if let Some(reason) = triage(f) {
            let _ = writeln!(out, "    {reason}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_what_was_spent_and_rejected() {
        let mut llm = Summary {
            model: "m".into(),
            triaged: 2,
            kept: 2,
            requests: 3,
            cache_hits: 1,
            tokens_sent: 1500,
            tokens_received: 20,
            not_sent: 1,
            budget: Some(2000),
            ..Summary::default()
        };
        llm.rejected.insert("quoted code not on that line", 2);
        let text = summary(&llm);
        assert!(
            text.starts_with("Language model `m`: 2 findings triaged: 2 kept, 0 dropped;"),
            "{text}"
        );
        assert!(text.contains("2 defects reported by the model: 0 shown, 2 rejected by the line check (2 quoted code not on that line)"), "{text}");
        assert!(
            text.contains("1 question not sent: the token budget of 2,000 was spent"),
            "{text}"
        );
        assert!(
            text.contains("3 requests (1 from the cache), 1,500 tokens sent, 20 received"),
            "{text}"
        );
    }
}
