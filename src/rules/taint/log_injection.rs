//! T117 log-injection.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T117",
    name: "log-injection",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 117,
    severity: Level::Low,
    confidence: Level::Low,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Finds untrusted data written to a log message as is.",
        why: "Newlines and control characters in the value forge log lines or hide an attack from whoever reads the logs. Off by default: most services log request data on purpose.",
        example: "LOG.info('Creating server %s', body['server']['name'])",
        use_instead: "LOG.info('Creating server %r', body['server']['name'])",
        fix: "Log the value with `%r` or strip control characters before logging it.",
        references: &["https://owasp.org/www-community/attacks/Log_Injection"],
    },
};
