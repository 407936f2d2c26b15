//! How OpenStack services enforce policy, as data: the calls and decorators
//! that check an action against the caller's credentials, and the calls
//! that load, change or delete a resource.
//!
//! To add an entry: put it on its own line, keeping each table sorted (a
//! unit test checks the order). Names are the last segment of the called
//! name: the same check is reached as `context.authorize`,
//! `req.environ['cinder.context'].authorize`, `policy.enforce` or
//! `self.policy.enforce` depending on the project.

/// Calls that enforce a policy rule (cinder's `context.authorize` and
/// `check_policy`, neutron's `policy.enforce`, glance's `self.policy.enforce`
/// and `_enforce`, nova-style `context.can`, oslo.policy's `authorize`).
pub const ENFORCING_CALLS: &[&str] = &[
    "_enforce",
    "authorize",
    "authorize_project_context",
    "can",
    "check_policy",
    "enforce",
    "enforce_policy",
    "validate_project_and_authorize",
];

/// Decorators that enforce a policy rule before the method runs (cinder's
/// `@wrap_check_policy`).
pub const ENFORCING_DECORATORS: &[&str] = &["check_policy", "wrap_check_policy"];

/// Suffixes of classes whose construction enforces: glance's policy helper
/// objects (`api_policy.ImageAPIPolicy(context, image, enforcer)`), whose
/// methods check one action each.
pub const ENFORCING_CLASS_SUFFIXES: &[&str] = &["APIPolicy"];

/// Words the text of every policy check above contains (swift's
/// `environ['swift.authorize']` too): a module without any has no check.
pub const ENFORCEMENT_WORDS: &[&str] = &["APIPolicy", "authorize", "can(", "check_policy", "enforce"];

/// Method names, by last segment, that change or delete what they are
/// called on or given: `volume.save()`, `db.volume_update(...)`,
/// `objects.GroupSnapshot(...).create()`.
pub const MUTATING_CALLS: &[&str] = &["add", "create", "delete", "destroy", "remove", "save", "update"];

/// Suffixes of mutating DB API names (`volume_update`, `group_destroy`).
pub const MUTATING_SUFFIXES: &[&str] = &["_add", "_create", "_delete", "_destroy", "_remove", "_update"];

/// Parameter names of an API layer's request context (cinder's
/// `def delete(self, context, volume)`).
pub const CONTEXT_PARAMS: &[&str] = &["context", "ctx", "ctxt"];

/// Keywords that pass a policy check its target.
pub const TARGET_KEYWORDS: &[&str] = &["target", "target_obj"];

/// Whether a called name's last segment is an enforcing call.
pub fn is_enforcing(last: &str) -> bool {
    ENFORCING_CALLS.binary_search(&last).is_ok() || ENFORCING_CLASS_SUFFIXES.iter().any(|s| last.ends_with(s))
}

/// Whether a called name's last segment changes or deletes something.
pub fn is_mutating(last: &str) -> bool {
    MUTATING_CALLS.binary_search(&last).is_ok() || MUTATING_SUFFIXES.iter().any(|s| last.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        for table in [
            ENFORCING_CALLS,
            ENFORCING_DECORATORS,
            ENFORCING_CLASS_SUFFIXES,
            MUTATING_CALLS,
            MUTATING_SUFFIXES,
            CONTEXT_PARAMS,
            TARGET_KEYWORDS,
        ] {
            assert!(table.windows(2).all(|w| w[0] < w[1]), "{table:?}");
        }
    }

    #[test]
    fn every_check_is_written_with_an_enforcement_word() {
        for name in ENFORCING_CALLS
            .iter()
            .chain(ENFORCING_DECORATORS)
            .chain(ENFORCING_CLASS_SUFFIXES)
        {
            let call = format!("{name}(");
            assert!(ENFORCEMENT_WORDS.iter().any(|w| call.contains(w)), "{name}");
        }
    }
}
