//! Banned calls (Bandit's B3xx blacklist): functions that are unsafe whatever
//! their arguments, such as `pickle.loads`, `eval` or `xml.sax.parse`.
//!
//! The rules are data: [`table`] holds one row per rule (its metadata, docs
//! and the qualified names it bans), and a single `Call` hook ([`check`])
//! matches every call against all rows. [`blacklist`] is the row type and
//! matching shared with the banned-imports family.

pub(in crate::rules) mod blacklist;
pub(in crate::rules) mod check;
mod table;

use super::checker::{Hook, On};
use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules {
    rules: table::RULES,
    hooks: &[Hook {
        rules: table::RULES,
        on: On::Call(check::call),
    }],
};
