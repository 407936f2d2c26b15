//! General checks that need no context beyond one statement (Bandit's B1xx).

mod assert_used;

use super::checker::Hook;
use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules {
    rules: &[&assert_used::RULE],
    hooks: &[Hook {
        rules: &[&assert_used::RULE],
        on: super::On::Stmt(assert_used::check),
    }],
};
