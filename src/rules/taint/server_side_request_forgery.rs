//! T918 server-side-request-forgery.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T918",
    name: "server-side-request-forgery",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 918,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds outgoing requests to a URL or host taken from untrusted data (`requests`, `urllib`, `http.client`).",
        why: "The service connects wherever the caller says: internal addresses, the cloud metadata service, admin-only endpoints behind the firewall.",
        example: "requests.get(body['image_url'])",
        use_instead: "url = body['image_url']\nif urlparse(url).hostname not in CONF.allowed_hosts:\n    raise exc.HTTPBadRequest()\nrequests.get(url)",
        fix: "Allow only schemes and hosts from a configured list before connecting.",
        references: &["https://owasp.org/www-community/attacks/Server_Side_Request_Forgery"],
    },
};
