//! The key generators S505 knows, the sizes below which their keys are
//! weak, and the sizes of named elliptic curves (Bandit's
//! `weak_cryptographic_key` defaults).
//!
//! To add a key generator, insert it in [`KEY_GENERATORS`] at its sorted
//! place (byte order of the qualified name, one per line) with the parameter
//! that carries the size and its position; to add a curve, insert it in
//! [`EC_CURVE_BITS`] the same way. Then add a `# error` line using it to
//! `tests/fixtures/rules/S505.py`. The unit tests keep both tables sorted.

use crate::rules::Level;

/// The kind of key a generator makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Dsa,
    Ec,
    Rsa,
}

impl Algorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Dsa => "DSA",
            Algorithm::Ec => "EC",
            Algorithm::Rsa => "RSA",
        }
    }

    /// Key sizes below the first bound are breakable (HIGH severity); below
    /// the second, too weak for new keys (MEDIUM).
    pub fn thresholds(self) -> [(i64, Level); 2] {
        match self {
            Algorithm::Dsa | Algorithm::Rsa => [(1024, Level::High), (2048, Level::Medium)],
            Algorithm::Ec => [(160, Level::High), (224, Level::Medium)],
        }
    }
}

/// A function that generates a key pair.
pub struct KeyGenerator {
    pub qualname: &'static str,
    pub algorithm: Algorithm,
    /// The parameter giving the size (for EC: the curve).
    pub parameter: &'static str,
    /// Its position when passed positionally.
    pub position: usize,
}

const fn generator(
    qualname: &'static str,
    algorithm: Algorithm,
    parameter: &'static str,
    position: usize,
) -> KeyGenerator {
    KeyGenerator {
        qualname,
        algorithm,
        parameter,
        position,
    }
}

pub const KEY_GENERATORS: &[KeyGenerator] = &[
    generator("Crypto.PublicKey.DSA.generate", Algorithm::Dsa, "bits", 0),
    generator("Crypto.PublicKey.RSA.generate", Algorithm::Rsa, "bits", 0),
    generator("Cryptodome.PublicKey.DSA.generate", Algorithm::Dsa, "bits", 0),
    generator("Cryptodome.PublicKey.RSA.generate", Algorithm::Rsa, "bits", 0),
    generator(
        "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key",
        Algorithm::Dsa,
        "key_size",
        0,
    ),
    generator(
        "cryptography.hazmat.primitives.asymmetric.ec.generate_private_key",
        Algorithm::Ec,
        "curve",
        0,
    ),
    generator(
        "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key",
        Algorithm::Rsa,
        "key_size",
        1,
    ),
];

/// The size in bits of the curves of `cryptography.hazmat.primitives.asymmetric.ec`.
/// A curve not listed counts as 224 bits, i.e. strong enough.
pub const EC_CURVE_BITS: &[(&str, i64)] = &[
    ("BrainpoolP256R1", 256),
    ("BrainpoolP384R1", 384),
    ("BrainpoolP512R1", 512),
    ("SECP192R1", 192),
    ("SECP224R1", 224),
    ("SECP256K1", 256),
    ("SECP256R1", 256),
    ("SECP384R1", 384),
    ("SECP521R1", 521),
    ("SECT163K1", 163),
    ("SECT163R2", 163),
    ("SECT233K1", 233),
    ("SECT233R1", 233),
    ("SECT283K1", 283),
    ("SECT283R1", 283),
    ("SECT409K1", 409),
    ("SECT409R1", 409),
    ("SECT571K1", 571),
    ("SECT571R1", 570),
];

/// The generator called `qualname`, if S505 knows it.
pub fn key_generator(qualname: &str) -> Option<&'static KeyGenerator> {
    KEY_GENERATORS
        .binary_search_by(|g| g.qualname.cmp(qualname))
        .ok()
        .map(|i| &KEY_GENERATORS[i])
}

/// The size of a named curve, if listed.
pub fn curve_bits(curve: &str) -> Option<i64> {
    EC_CURVE_BITS
        .binary_search_by(|(c, _)| (*c).cmp(curve))
        .ok()
        .map(|i| EC_CURVE_BITS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(KEY_GENERATORS.is_sorted_by(|a, b| a.qualname < b.qualname));
        assert!(EC_CURVE_BITS.is_sorted_by(|a, b| a.0 < b.0));
    }

    #[test]
    fn lookup() {
        assert_eq!(
            key_generator("Crypto.PublicKey.RSA.generate").map(|g| g.algorithm),
            Some(Algorithm::Rsa)
        );
        assert_eq!(curve_bits("SECT571R1"), Some(570));
        assert_eq!(curve_bits("SECP384R1"), Some(384));
        assert_eq!(curve_bits("X25519"), None);
    }
}
