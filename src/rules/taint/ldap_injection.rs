//! T090 ldap-injection.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T090",
    name: "ldap-injection",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 90,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds LDAP search filters built from untrusted data (`ldap3`, `python-ldap`).",
        why: "Parentheses, `*` and `|` in the value rewrite the filter, matching entries the search should not (authentication bypass, directory disclosure).",
        example: "conn.search(base, '(uid=%s)' % username)",
        use_instead: "conn.search(base, '(uid=%s)' % escape_filter_chars(username))",
        fix: "Escape the value with `escape_filter_chars` before putting it in a filter.",
        references: &["https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html"],
    },
};
