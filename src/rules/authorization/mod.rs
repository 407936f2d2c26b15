//! The `authorization` family (R8xx): API entry points and the policy checks
//! on their path, compared with the other entry points of their class.
//!
//! - R801: an entry point changes or deletes a resource with no policy
//!   check, while its siblings check theirs (CWE-862).
//! - R802: a policy check with no target (or `{}`) where the class's other
//!   checks pass the resource (CWE-863).
//!
//! [`class_policy`] reads a class (controller or API layer) once; the calls
//! and decorators that enforce policy are data ([`policy_apis`]).

mod class_policy;
mod operation_without_policy_check;
mod policy_apis;
mod policy_check_without_target;

use ruff_python_ast::Stmt;

use super::checker::Hook;
use super::rule::FamilyRules;
use super::{Context, Diagnostic, On};

pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &operation_without_policy_check::RULE,
        &policy_check_without_target::RULE,
    ],
    hooks: &[Hook {
        rules: &[
            &operation_without_policy_check::RULE,
            &policy_check_without_target::RULE,
        ],
        on: On::Stmt(check_class),
    }],
};

/// Reads the class once for both rules.
fn check_class(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::ClassDef(class) = stmt else { return };
    let Some((kind, methods)) = class_policy::methods(cx, class) else {
        return;
    };
    operation_without_policy_check::check(cx, class, kind, &methods, out);
    policy_check_without_target::check(cx, &methods, out);
}
