//! TODO family doc.

use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules { rules: &[], hooks: &[] };
