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
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds passwords, tokens and key material written to a log (`LOG.*`, `logging.*`) without \
               `strutils.mask_password`/`mask_dict_password`: directly, or inside what is logged whole (the \
               connection properties a driver returns with `auth_password` in them, a request body or header \
               dict, a command line, `'...' % locals()`), across functions and modules. A value stored under \
               a secret's key (`props['auth_password'] = chap`) is a secret from then on; a log message that \
               names its keys (`'%(volume_id)s'`) shows only those; a secret kept as an attribute of a client \
               object is not in that object's log line.",
        why: "Logs are kept for months, shipped to central systems and read by operators and support staff: a secret in a log is a secret shared with all of them.",
        example: "LOG.debug('Connecting with %s', connection_info['data']['auth_password'])",
        use_instead: "LOG.debug('Connecting with %s', strutils.mask_password(connection_info))",
        fix: "Mask the value with `strutils.mask_password`/`mask_dict_password`, or leave it out of the message.",
        references: &["https://docs.openstack.org/oslo.utils/latest/reference/strutils.html"],
    },
};
