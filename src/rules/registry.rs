//! The list of all rules and the selection of the ones a review runs.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use super::checker::{Hooks, On};
use super::rule::{Family, FamilyRules, Rule, Status};
use super::{
    authorization, banned_calls, banned_imports, crypto, denial_of_service, exposure, frameworks, general, images,
    injection, leaks, permissions, races, secrets, taint, validation,
};

fn families() -> [&'static FamilyRules; 16] {
    [
        &general::RULES,
        &secrets::RULES,
        &banned_calls::RULES,
        &banned_imports::RULES,
        &crypto::RULES,
        &injection::RULES,
        &frameworks::RULES,
        &taint::RULES,
        &races::RULES,
        &leaks::RULES,
        &denial_of_service::RULES,
        &exposure::RULES,
        &permissions::RULES,
        &validation::RULES,
        &images::RULES,
        &authorization::RULES,
    ]
}

/// Every rule, sorted by id.
pub fn all() -> &'static [&'static Rule] {
    static ALL: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut rules: Vec<&'static Rule> = families().iter().flat_map(|f| f.rules.iter().copied()).collect();
        rules.sort_by_key(|r| r.id);
        rules
    })
}

/// The rule a user names by vigil id, Bandit id or name (any case).
pub fn find(name: &str) -> Option<&'static Rule> {
    all()
        .iter()
        .copied()
        .find(|r| r.names().iter().any(|n| n.eq_ignore_ascii_case(name)))
}

/// Whether `word` names a rule, or a family prefix (`S6`, `B6`).
pub fn is_rule_name(word: &str) -> bool {
    find(word).is_some()
}

/// The rules matching a selector: an exact id or name, a prefix of ids (`S6`,
/// `B3`), or `ALL`.
pub fn matching(selector: &str) -> Vec<&'static Rule> {
    if selector.eq_ignore_ascii_case("ALL") {
        return all().to_vec();
    }
    if let Some(rule) = find(selector) {
        return vec![rule];
    }
    let upper = selector.to_ascii_uppercase();
    all()
        .iter()
        .copied()
        .filter(|r| r.id.starts_with(&upper) || r.bandit.is_some_and(|b| b.starts_with(&upper)))
        .collect()
}

/// The rules a review runs.
#[derive(Debug, Clone)]
pub struct Selection {
    ids: BTreeSet<&'static str>,
    /// No `select` was given: the rules on by default (less `ignore`).
    default: bool,
}

impl Selection {
    /// `select` empty means the default set (every stable rule). Unknown
    /// selectors are an error naming them.
    pub fn new(select: &[String], ignore: &[String]) -> Result<Selection, String> {
        Selection::extended(select, &[], ignore)
    }

    /// [`Selection::new`] with `extend` added to what `select` chose (to the
    /// default set when `select` is empty), as Ruff's `extend-select`.
    pub fn extended(select: &[String], extend: &[String], ignore: &[String]) -> Result<Selection, String> {
        let mut ids: BTreeSet<&'static str> = if select.is_empty() {
            all()
                .iter()
                .filter(|r| r.status == Status::Stable)
                .map(|r| r.id)
                .collect()
        } else {
            let mut ids = BTreeSet::new();
            for s in select {
                let found = matching(s);
                if found.is_empty() {
                    return Err(unknown(s));
                }
                ids.extend(found.iter().map(|r| r.id));
            }
            ids
        };
        for s in extend {
            let found = matching(s);
            if found.is_empty() {
                return Err(unknown(s));
            }
            ids.extend(found.iter().map(|r| r.id));
        }
        for s in ignore {
            let found = matching(s);
            if found.is_empty() {
                return Err(unknown(s));
            }
            for r in found {
                ids.remove(r.id);
            }
        }
        Ok(Selection {
            ids,
            default: select.is_empty() && extend.is_empty(),
        })
    }

    /// Whether the user chose no rules: the default review, which leaves out
    /// what a security reviewer would not raise.
    pub fn is_default(&self) -> bool {
        self.default
    }

    pub fn contains(&self, rule: &Rule) -> bool {
        self.ids.contains(rule.id)
    }

    /// This selection less `rules` (a file's per-file ignores).
    pub fn without(&self, rules: &[&'static Rule]) -> Selection {
        let mut ids = self.ids.clone();
        for r in rules {
            ids.remove(r.id);
        }
        Selection {
            ids,
            default: self.default,
        }
    }

    /// Whether every rule on by default is selected: only then can a bare
    /// `# nosec` that hid nothing be called unused.
    pub fn has_every_default_rule(&self) -> bool {
        all()
            .iter()
            .filter(|r| r.status == Status::Stable)
            .all(|r| self.ids.contains(r.id))
    }

    /// Whether any selected rule belongs to `family`.
    pub fn any_of_family(&self, family: super::rule::Family) -> bool {
        all().iter().any(|r| r.family == family && self.contains(r))
    }

    /// The hooks that report at least one selected rule.
    pub fn hooks(&self) -> Hooks {
        let mut hooks = Hooks::default();
        for family in families() {
            for hook in family.hooks {
                if !hook.rules.iter().any(|r| self.contains(r)) {
                    continue;
                }
                match &hook.on {
                    On::Module(f) if hook.rules.iter().all(|r| r.family == Family::Taint) => {
                        hooks.dataflow = Some(*f);
                        hooks.dataflow_at = hooks.module.len();
                    }
                    on => hooks.add(on),
                }
            }
        }
        hooks
    }
}

fn unknown(selector: &str) -> String {
    format!("unknown rule `{selector}`: run `vigil rules` to list rule ids, Bandit ids and names")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique() {
        let mut seen = BTreeSet::new();
        for rule in all() {
            for name in rule.names() {
                assert!(seen.insert(name.to_ascii_lowercase()), "duplicate rule name {name}");
            }
        }
    }

    #[test]
    fn every_rule_is_reported_by_some_hook() {
        for rule in all() {
            let hooked = families()
                .iter()
                .any(|f| f.hooks.iter().any(|h| h.rules.iter().any(|r| r.id == rule.id)));
            assert!(hooked, "{} has no hook", rule.id);
        }
    }
}
