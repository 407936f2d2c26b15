//! T643 xpath-injection.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T643",
    name: "xpath-injection",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 643,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds XPath expressions built from untrusted data (`lxml` `xpath`/`XPath`, `elementpath`, ElementTree `find`).",
        why: "Quotes in the value rewrite the query: it matches nodes it should not (authentication bypass, data disclosure).",
        example: "root.xpath(\"//user[@name='%s']\" % name)",
        use_instead: "root.xpath('//user[@name=$name]', name=name)",
        fix: "Pass the value as an XPath variable instead of formatting it into the expression.",
        references: &["https://owasp.org/www-community/attacks/XPATH_Injection"],
    },
};
