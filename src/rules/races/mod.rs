//! The `races` family: no rules yet.

use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules { rules: &[], hooks: &[] };
