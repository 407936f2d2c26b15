//! T501 untrusted-data-in-session.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T501",
    name: "untrusted-data-in-session",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 501,
    severity: Level::Medium,
    confidence: Level::Low,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds request data stored in the server-side session without validation.",
        why: "Code that later reads the session trusts it as the application's own state: the caller plants values (a user id, a role) across the trust boundary.",
        example: "session['userid'] = request.form['userid']",
        use_instead: "user = authenticate(request.form['userid'], request.form['password'])\nsession['userid'] = user.id",
        fix: "Store only values the application derived or validated itself.",
        references: &["https://cwe.mitre.org/data/definitions/501.html"],
    },
};
