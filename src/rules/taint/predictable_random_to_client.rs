//! T330 predictable-random-to-client.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T330",
    name: "predictable-random-to-client",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 330,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds values from the `random` module sent to a client: a response body, a cookie, a session.",
        why: "`random` is a Mersenne Twister: a few outputs predict all others, so tokens, session ids or reset codes made from it can be guessed.",
        example: "token = str(random.random())\nresponse.set_cookie('remember', token)",
        use_instead: "token = secrets.token_urlsafe(32)\nresponse.set_cookie('remember', token)",
        fix: "Use the `secrets` module (or `random.SystemRandom`) for values a client receives.",
        references: &["https://docs.python.org/3/library/secrets.html"],
    },
};
