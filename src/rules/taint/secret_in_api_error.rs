//! T209 secret-in-api-error.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T209",
    name: "secret-in-api-error",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 209,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Finds passwords, tokens and keys that reach an API error message (`webob.exc.HTTP*` explanations, exception messages returned to the caller).",
        why: "The error body goes back to the client and often into the client's own logs: the secret leaks to whoever triggered the error.",
        example: "raise exc.HTTPBadRequest(explanation='bad password %s' % admin_pass)",
        use_instead: "raise exc.HTTPBadRequest(explanation='invalid admin password')",
        fix: "Leave the secret out of the message, or mask it with `strutils.mask_password`.",
        references: &["https://cwe.mitre.org/data/definitions/209.html"],
    },
};
