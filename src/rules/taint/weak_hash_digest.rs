//! T328 weak-hash-digest.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T328",
    name: "weak-hash-digest",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 328,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Finds digests computed with MD5 or SHA-1 (directly, or through `hashlib.new` with a constant name) where `usedforsecurity=False` is not said.",
        why: "Collisions for MD5 and SHA-1 are practical: a digest used to protect a password, sign data or check integrity can be forged. Off by default: in OpenStack code MD5 and SHA-1 digests are checksums, ETags and cache keys, not protections (S324, which reports the same calls, had 0 security defects in 25 triaged findings; docs/precision.md).",
        example: "digest = hashlib.md5(password).hexdigest()",
        use_instead: "digest = hashlib.sha256(password).hexdigest()",
        fix: "Use SHA-256 or better, or say `usedforsecurity=False` when the digest protects nothing.",
        references: &["https://cwe.mitre.org/data/definitions/328.html"],
    },
};
