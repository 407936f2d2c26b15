//! T601 open-redirect.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T601",
    name: "open-redirect",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 601,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds redirects to a URL taken from the request.",
        why: "A link to the trusted site sends its users to a site the attacker chose (phishing, token theft through the `Referer`).",
        example: "return redirect(request.args['next'])",
        use_instead: "target = request.args['next']\nif urlparse(target).netloc not in ALLOWED_HOSTS:\n    target = '/'\nreturn redirect(target)",
        fix: "Redirect only to relative paths or to hosts on an allow-list.",
        references: &[
            "https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
        ],
    },
};
