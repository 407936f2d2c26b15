//! T614 cookie-without-secure-flag.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T614",
    name: "cookie-without-secure-flag",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 614,
    severity: Level::Low,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds cookies set without `secure=True`.",
        why: "The browser also sends the cookie over plain HTTP, where anyone on the path reads it (session hijacking).",
        example: "response.set_cookie('session', token)",
        use_instead: "response.set_cookie('session', token, secure=True, httponly=True)",
        fix: "Pass `secure=True` (and `httponly=True`) when setting the cookie.",
        references: &["https://owasp.org/www-community/controls/SecureCookieAttribute"],
    },
};
