//! Banned imports (Bandit's B4xx blacklist): modules whose mere use deserves
//! a reviewer's look, such as `pickle`, `subprocess`, `telnetlib` or PyCrypto.
//!
//! The rules are data: [`table`] holds one row per rule (its metadata, docs
//! and the module prefixes it bans). Two hooks ([`check`]) match them: one on
//! import statements, one on calls, because Bandit also reports modules loaded
//! by `__import__("...")` / `importlib.import_module("...")` and calls whose
//! qualified name is a banned name (`wsgiref.handlers.CGIHandler()`). The row
//! type and matching are shared with the banned-calls family.

mod check;
mod table;

use super::checker::{Hook, On};
use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules {
    rules: table::RULES,
    hooks: &[
        Hook {
            rules: table::RULES,
            on: On::Stmt(check::import),
        },
        Hook {
            rules: table::RULES,
            on: On::Call(check::call),
        },
    ],
};
