//! Cryptography, TLS and transport security (Bandit's B324 and B5xx).
//!
//! These checks find code that weakens the protection of data in transit or
//! at rest: broken hashes (S324), HTTP clients that skip certificate
//! verification (S501), broken SSL/TLS protocol versions (S502–S504), short
//! keys (S505), SSH clients trusting unknown host keys (S507) and SNMP
//! without encryption (S508, S509). Most are `Call` checks that look at one
//! argument of a known API; S503 looks at function defaults.
//!
//! The lists they compare against are data: [`weak_hashes`],
//! [`bad_protocols`] and [`key_sizes`]. [`arguments`] reads arguments the
//! way Bandit does (by the symbol `ssl.PROTOCOL_SSLv3` names).

mod arguments;
mod bad_protocols;
mod insecure_hash_function;
mod key_sizes;
mod pysnmp;
mod request_with_no_cert_validation;
mod snmp_insecure_version;
mod snmp_weak_cryptography;
mod ssh_no_host_key_verification;
mod ssl_insecure_version;
mod ssl_with_bad_defaults;
mod ssl_with_no_version;
mod weak_cryptographic_key;
mod weak_hashes;

use super::On;
use super::checker::Hook;
use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &insecure_hash_function::RULE,
        &request_with_no_cert_validation::RULE,
        &ssl_insecure_version::RULE,
        &ssl_with_bad_defaults::RULE,
        &ssl_with_no_version::RULE,
        &weak_cryptographic_key::RULE,
        &ssh_no_host_key_verification::RULE,
        &snmp_insecure_version::RULE,
        &snmp_weak_cryptography::RULE,
    ],
    hooks: &[
        Hook {
            rules: &[&insecure_hash_function::RULE],
            on: On::Call(insecure_hash_function::check),
        },
        Hook {
            rules: &[&request_with_no_cert_validation::RULE],
            on: On::Call(request_with_no_cert_validation::check),
        },
        Hook {
            rules: &[&ssl_insecure_version::RULE],
            on: On::Call(ssl_insecure_version::check),
        },
        Hook {
            rules: &[&ssl_with_bad_defaults::RULE],
            on: On::Stmt(ssl_with_bad_defaults::check),
        },
        Hook {
            rules: &[&ssl_with_no_version::RULE],
            on: On::Call(ssl_with_no_version::check),
        },
        Hook {
            rules: &[&weak_cryptographic_key::RULE],
            on: On::Call(weak_cryptographic_key::check),
        },
        Hook {
            rules: &[&ssh_no_host_key_verification::RULE],
            on: On::Call(ssh_no_host_key_verification::check),
        },
        Hook {
            rules: &[&snmp_insecure_version::RULE],
            on: On::Call(snmp_insecure_version::check),
        },
        Hook {
            rules: &[&snmp_weak_cryptography::RULE],
            on: On::Call(snmp_weak_cryptography::check),
        },
    ],
};
