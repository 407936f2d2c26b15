//! T079 reflected-xss.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T079",
    name: "reflected-xss",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 79,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds web responses that contain request data without HTML escaping: a Flask view returning it, `django.http.HttpResponse`, `mark_safe`/`Markup`.",
        why: "A browser runs the script an attacker put in a link or form, with the victim's session: session theft and actions on their behalf.",
        example: "@app.route('/hello')\ndef hello():\n    return 'Hello ' + request.args['name']",
        use_instead: "@app.route('/hello')\ndef hello():\n    return 'Hello ' + html.escape(request.args['name'])",
        fix: "Escape the value (`html.escape`, `markupsafe.escape`) or render it through an autoescaping template.",
        references: &["https://owasp.org/www-community/attacks/xss/"],
    },
};
