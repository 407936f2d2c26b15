//! S505 weak-cryptographic-key (Bandit B505).

use ruff_python_ast::{Expr, Number};
use ruff_text_size::Ranged;

use super::arguments::{positional, symbol_or_class};
use super::key_sizes::{Algorithm, KeyGenerator, curve_bits, key_generator};
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S505",
    name: "weak-cryptographic-key",
    bandit: Some("B505"),
    bandit_name: Some("weak_cryptographic_key"),
    family: Family::Crypto,
    cwe: 326,
    severity: Level::High,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags RSA and DSA keys generated with fewer than 2048 bits and elliptic-curve keys on curves of \
               fewer than 224 bits, with `cryptography` (`rsa.generate_private_key`...) or PyCrypto / \
               PyCryptodome (`RSA.generate`...). Below 1024 bits (160 for EC) the severity is HIGH.",
        why: "The work to break a key falls steeply with its size: 512-bit RSA keys are factored in hours on \
              rented machines, and 1024-bit ones are within reach of well-funded attackers. Whoever recovers \
              the private key can sign tokens, impersonate the service or decrypt what was sent to it. NIST \
              SP 800-131A disallows RSA/DSA below 2048 bits and curves below 224 bits.",
        example: "key = rsa.generate_private_key(public_exponent=65537, key_size=1024)",
        use_instead: "key = rsa.generate_private_key(public_exponent=65537, key_size=3072)",
        fix: "Generate RSA/DSA keys of at least 2048 bits (3072 for keys that must last) and EC keys on a curve of at least 224 bits.",
        references: &[
            "https://csrc.nist.gov/publications/detail/sp/800-131a/rev-2/final",
            "https://security.openstack.org/guidelines/dg_strong-crypto.html",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let Some(generator) = key_generator(&site.qualname) else {
        return;
    };
    let argument = site
        .keyword(generator.parameter)
        .or_else(|| positional(site.call, generator.position));
    let callee = cx.snippet(&*site.call.func);
    let (bits, message) = match generator.algorithm {
        // Like Bandit, a size that is not an integer literal (a name, a
        // config option) is not judged, and a missing one counts as 2048.
        Algorithm::Dsa | Algorithm::Rsa => {
            let Some(bits) = argument.and_then(int_literal) else {
                return;
            };
            (
                bits,
                format!("`{callee}` makes a {bits}-bit {} key", generator.algorithm.as_str()),
            )
        }
        // A curve Bandit does not know, or cannot read, counts as 224 bits.
        // Bandit reads the curve class (`ec.SECT163R2`); vigil also reads an
        // instance built in place (`ec.SECT163R2()`, the documented form).
        Algorithm::Ec => {
            let Some(curve) = argument.and_then(symbol_or_class) else {
                return;
            };
            let Some(bits) = curve_bits(curve) else {
                return;
            };
            (bits, format!("`{callee}` uses the {bits}-bit curve `{curve}`"))
        }
    };
    let Some((bound, level)) = generator
        .algorithm
        .thresholds()
        .into_iter()
        .find(|(bound, _)| bits < *bound)
    else {
        return;
    };
    let mut diag = Diagnostic::new(&RULE, site.call.range(), message)
        .severity(level)
        .fix(fix(generator));
    if level == Level::High {
        let algorithm = generator.algorithm.as_str();
        diag = diag.detail(format!(
            "{algorithm} keys below {bound} bits are breakable with today's public means."
        ));
    }
    out.push(diag);
}

fn int_literal(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => Some(i.as_i64().unwrap_or(i64::MAX)),
            _ => None,
        },
        _ => None,
    }
}

fn fix(generator: &KeyGenerator) -> String {
    match generator.algorithm {
        Algorithm::Ec => "Use a curve of at least 224 bits, e.g. `ec.SECP384R1()`".to_string(),
        Algorithm::Dsa | Algorithm::Rsa => {
            format!(
                "Use at least 2048 bits (`{}=3072` for keys that must last)",
                generator.parameter
            )
        }
    }
}
