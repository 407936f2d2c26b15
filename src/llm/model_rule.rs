//! The rules a language model's findings are reported under: `L` + the CWE
//! the model named (`L078`, `L022`), family [`Family::Model`], name
//! `llm-reported-defect`.
//!
//! A [`Finding`](crate::finding::Finding) points at a `&'static Rule`; the
//! model may name any CWE, so these rules are made on first use and kept for
//! the life of the process (one small allocation per distinct CWE). They are
//! not in the registry: no `--select` or `vigil rule` knows them, and no
//! fixture could, since no check stands behind them.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use crate::rules::{Docs, Family, Level, Rule, Status};

/// The name every model rule shares.
pub const NAME: &str = "llm-reported-defect";

/// The highest CWE id accepted from a model (MITRE's ids are below 2,000).
pub const MAX_CWE: u32 = 9999;

const DOCS: Docs = Docs {
    what: "A language model reported this defect while reading the code (`vigil review --llm URL`). \
           vigil checked that the line exists in the code it sent and that the code the model quoted \
           is on that line; it did not check the defect itself.",
    why: "The model's description is its own reading of this code: no rule of the analysis stands \
          behind it. Language models catch defects no rule encodes, but also describe code that is \
          not there; treat the finding as a lead for a reviewer, not as a verdict.",
    example: "def read(name):\n    return open(name).read()   # the model: `name` may hold `..` (CWE-22)\n",
    use_instead: "def read(name):\n    return open(safe_join(BASE, name)).read()   # the model's solution, once checked\n",
    fix: "Review the code the model points at and apply its solution if the defect is real.",
    references: &[],
};

/// The rule for a model finding of CWE `cwe` (1..=[`MAX_CWE`]).
pub fn for_cwe(cwe: u32) -> &'static Rule {
    static RULES: OnceLock<Mutex<HashMap<u32, &'static Rule>>> = OnceLock::new();
    let rules = RULES.get_or_init(|| Mutex::new(HashMap::new()));
    // A poisoned lock only means another thread panicked while inserting;
    // the map itself is still a valid map.
    let mut rules = rules.lock().unwrap_or_else(|e| e.into_inner());
    rules.entry(cwe).or_insert_with(|| {
        Box::leak(Box::new(Rule {
            id: Box::leak(format!("L{cwe:03}").into_boxed_str()),
            name: NAME,
            bandit: None,
            bandit_name: None,
            family: Family::Model,
            cwe,
            severity: Level::Medium,
            confidence: Level::Low,
            status: Status::Opt,
            since: "0.1.0",
            docs: DOCS,
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_per_cwe_named_after_it() {
        let a = for_cwe(78);
        assert_eq!(a.id, "L078");
        assert_eq!(a.family, Family::Model);
        assert!(std::ptr::eq(a, for_cwe(78)), "made once");
        assert_eq!(for_cwe(1333).id, "L1333");
    }

    #[test]
    fn model_rules_are_not_in_the_registry() {
        for_cwe(22);
        assert!(crate::rules::registry::find("L022").is_none());
        assert!(crate::rules::registry::all().iter().all(|r| r.family != Family::Model));
    }
}
