//! T532 secret-in-log.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T532",
    name: "secret-in-log",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 532,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Finds passwords, tokens and key material written to a log (`LOG.*`) without `strutils.mask_password`. Off by default: on neutron 29, cinder 29 and glance 33 (non-test code) 4 of 16 findings were true (CHAP passwords and an auth token logged); the false ones were secrets carried on client objects and containers of which only another item was logged. On nova 34 (held out) 0 of 1: an exception caught around password injection, logged.",
        why: "Logs are kept for months, shipped to central systems and read by operators and support staff: a secret in a log is a secret shared with all of them.",
        example: "LOG.debug('Connecting with %s', connection_info['data']['auth_password'])",
        use_instead: "LOG.debug('Connecting with %s', strutils.mask_password(connection_info))",
        fix: "Mask the value with `strutils.mask_password`/`mask_dict_password`, or leave it out of the message.",
        references: &["https://docs.openstack.org/oslo.utils/latest/reference/strutils.html"],
    },
};
