//! The hash algorithms and `crypt` methods S324 reports (Bandit's
//! `WEAK_HASHES` and `WEAK_CRYPT_HASHES`).
//!
//! To add an entry, insert it at its sorted place (byte order, one per line)
//! and add a `# error` line using it to `tests/fixtures/rules/S324.py`; the
//! unit test below keeps each table sorted.

/// Names of weak hash constructors in `hashlib` (`hashlib.md5`) and of weak
/// algorithms given to `hashlib.new` (compared in lower case).
pub const WEAK_HASHES: &[&str] = &["md4", "md5", "sha", "sha1"];

/// `crypt` methods (`crypt.METHOD_MD5`) whose hashes are cheap to crack.
pub const WEAK_CRYPT_METHODS: &[&str] = &["METHOD_BLOWFISH", "METHOD_CRYPT", "METHOD_MD5"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(WEAK_HASHES.is_sorted());
        assert!(WEAK_CRYPT_METHODS.is_sorted());
    }
}
