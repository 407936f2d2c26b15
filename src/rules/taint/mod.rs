//! The `taint` family: untrusted data reaching a dangerous sink, found by
//! the dataflow engine in `flow`.
//!
//! Each rule has its own file holding its metadata and documentation; ids
//! are `T` followed by the rule's CWE number (`T078` is CWE-78, command
//! injection). Which calls are sources, sinks and sanitizers is not here but
//! in the model files of `flow/models/`, where each sink row names the rule
//! it reports. One hook runs the analysis once per module ([`check`]) and
//! turns every [`flow::TaintFinding`] into a diagnostic with its path of
//! steps, from the source line to the sink line.
//!
//! The analysis sees the whole project when the review has computed its
//! facts (`Context::project`); a file reviewed on its own is analysed as a
//! project of one module.

mod argument_injection;
mod code_injection;
mod command_injection;
mod cookie_without_secure_flag;
mod image_format_not_pinned;
mod image_size_not_limited;
mod ldap_injection;
mod log_injection;
mod open_redirect;
mod predictable_random_to_client;
mod reflected_xss;
mod secret_compared_in_variable_time;
mod secret_in_api_error;
mod secret_in_log;
mod server_side_request_forgery;
mod sql_injection;
mod untrusted_data_in_session;
mod untrusted_deserialization;
mod user_controlled_path;
mod weak_hash_digest;
mod xml_external_entity;
mod xpath_injection;

use super::checker::{Context, Diagnostic, Hook, On};
use super::rule::{FamilyRules, Level, Rule};
use crate::flow::{self, Models};

/// Every taint rule, by CWE.
const ALL: &[&Rule] = &[
    &user_controlled_path::RULE,
    &command_injection::RULE,
    &reflected_xss::RULE,
    &argument_injection::RULE,
    &sql_injection::RULE,
    &ldap_injection::RULE,
    &code_injection::RULE,
    &log_injection::RULE,
    &secret_compared_in_variable_time::RULE,
    &secret_in_api_error::RULE,
    &weak_hash_digest::RULE,
    &predictable_random_to_client::RULE,
    &untrusted_data_in_session::RULE,
    &untrusted_deserialization::RULE,
    &secret_in_log::RULE,
    &open_redirect::RULE,
    &xml_external_entity::RULE,
    &image_size_not_limited::RULE,
    &cookie_without_secure_flag::RULE,
    &xpath_injection::RULE,
    &image_format_not_pinned::RULE,
    &server_side_request_forgery::RULE,
];

pub static RULES: FamilyRules = FamilyRules {
    rules: ALL,
    hooks: &[Hook {
        rules: ALL,
        on: On::Module(check),
    }],
};

/// The module name a file reviewed outside any project gets.
const LONE_MODULE: &str = "__main__";
const LONE_PATH: &str = "<file>";

/// Reports the dataflow findings of the module: those the project pass
/// found, or, for a module it left out (nothing imports it) or a file
/// reviewed on its own, those of an analysis of this module alone.
fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let models = Models::active();
    let no_project;
    let (facts, module, path, is_package) = match cx.project {
        Some(view) => (view.facts, view.module, view.path, view.is_package),
        None => {
            no_project = flow::ProjectFacts::default();
            (&no_project, LONE_MODULE, LONE_PATH, false)
        }
    };
    let alone;
    let findings: Vec<&flow::TaintFinding> = if cx.project.is_none() || facts.alone.contains(path) {
        let input = flow::ModuleInput {
            parsed: cx.module,
            text: cx.text,
            module,
            path,
            is_package,
        };
        alone = flow::analyze::analyze_alone(
            &input,
            facts,
            models,
            flow::project::ALONE_ROUNDS,
            facts.triggers.as_ref(),
        );
        let mut all: Vec<&flow::TaintFinding> = alone
            .functions
            .iter()
            .flat_map(|f| f.findings.iter())
            .chain(alone.top_findings.iter())
            .collect();
        all.sort_by(|a, b| (a.range.start(), &a.rule).cmp(&(b.range.start(), &b.rule)));
        all.dedup_by(|a, b| a.range == b.range && a.rule == b.rule);
        all
    } else {
        flow::project::findings_of(facts, path)
    };
    for finding in findings {
        let Some(rule) = ALL.iter().copied().find(|r| r.id == finding.rule) else {
            continue;
        };
        let mut diag = Diagnostic::new(rule, finding.range, finding.message.clone());
        if finding.only_constants {
            diag.only_constants = true;
            out.push(diag);
            continue;
        }
        if let Some(level) = finding.severity.as_deref().and_then(Level::parse) {
            diag = diag.severity(level);
        }
        for (range, note) in &finding.steps {
            diag = diag.step(*range, note.clone());
        }
        out.push(diag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule a model sink reports exists, with the CWE its id says.
    #[test]
    fn model_rules_exist() {
        let models = Models::active();
        for rule in &models.rules {
            let found = ALL.iter().find(|r| r.id == rule);
            let found = found.unwrap_or_else(|| panic!("the models report {rule}, which is not a taint rule"));
            assert_eq!(
                format!("T{:03}", found.cwe),
                found.id,
                "{} must be T + its CWE",
                found.id
            );
        }
        for rule in ALL {
            assert!(
                models.rules.iter().any(|r| r == rule.id),
                "{} is reported by no model row",
                rule.id
            );
        }
    }
}
