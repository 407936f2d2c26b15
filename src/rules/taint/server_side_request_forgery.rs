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
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Finds outgoing requests to a URL or host taken from untrusted data (`requests`, `urllib`, `http.client`). Off by default: on neutron 29, cinder 29 and glance 33 (non-test code) 0 of 2 findings were true: neutron's metadata proxy fixes the host and takes only the path from the request, and the engine does not yet track a constant URL prefix.",
        why: "The service connects wherever the caller says: internal addresses, the cloud metadata service, admin-only endpoints behind the firewall.",
        example: "requests.get(body['image_url'])",
        use_instead: "url = body['image_url']\nif urlparse(url).hostname not in CONF.allowed_hosts:\n    raise exc.HTTPBadRequest()\nrequests.get(url)",
        fix: "Allow only schemes and hosts from a configured list before connecting.",
        references: &["https://owasp.org/www-community/attacks/Server_Side_Request_Forgery"],
    },
};
