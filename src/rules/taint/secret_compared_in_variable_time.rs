//! T208 secret-compared-in-variable-time.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T208",
    name: "secret-compared-in-variable-time",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 208,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds an HMAC signature (`hmac.new(key, msg, sha256).hexdigest()`, `hmac.digest()`, Swift's \
               `get_hmac()`) compared with `==`, `!=`, `in` or `not in` to a value that is not a constant, \
               directly or through the functions that compute it. `hmac.compare_digest()` (or \
               `secrets.compare_digest()`, Swift's `streq_const_time()`, oslo's \
               `secretutils.constant_time_compare()`) is the comparison to use.",
        why: "`==` on two strings returns at the first character that differs, so how long a failed check \
              takes says how many leading characters of the guess were right. A client that can time the \
              answers of a signed-URL, S3 or form-post endpoint learns the valid signature for a request of \
              its choice one character at a time, and with it access it was never granted. `in` a list of \
              valid signatures compares with `==` element by element.",
        example: "sig = hmac.new(key, hmac_body, sha256).hexdigest()\nif sig != attributes.get('signature'):\n    return '401 Unauthorized'",
        use_instead: "sig = hmac.new(key, hmac_body, sha256).hexdigest()\nif not hmac.compare_digest(sig, attributes.get('signature') or ''):\n    return '401 Unauthorized'",
        fix: "Compare with `hmac.compare_digest(a, b)` (for several valid values, compare with each and keep the result of all).",
        references: &[
            "https://cwe.mitre.org/data/definitions/208.html",
            "https://docs.python.org/3/library/hmac.html#hmac.compare_digest",
        ],
    },
};
