//! Words that mark a path as holding a secret (a password file, a private
//! key, a token), matched against the path expression as written (variable
//! names, attributes, literals), lower-cased.
//!
//! To add a word: put it on its own line in [`SENSITIVE`], keeping the table
//! sorted (a unit test checks the order). [`PUBLIC`] lists words that make a
//! match a false alarm (a known-hosts file holds public keys).

pub const SENSITIVE: &[&str] = &[
    ".key",
    ".pem",
    "credential",
    "htpasswd",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "id_rsa",
    "key_file",
    "key_path",
    "keyfile",
    "keyring",
    "keytab",
    "passwd",
    "password",
    "private",
    "privkey",
    "secret",
    "shadow",
    "token",
];

pub const PUBLIC: &[&str] = &["cert", "hosts_key", "known_hosts", "pub", "public"];

/// Whether a path expression's text names a secret.
pub fn is_sensitive(path_text: &str) -> bool {
    let text = path_text.to_ascii_lowercase();
    SENSITIVE.iter().any(|w| text.contains(w)) && !PUBLIC.iter().any(|w| text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_match() {
        assert!(SENSITIVE.windows(2).all(|w| w[0] < w[1]));
        assert!(PUBLIC.windows(2).all(|w| w[0] < w[1]));
        assert!(is_sensitive("self._password_file"));
        assert!(is_sensitive("os.path.join(d,\"id_rsa\")"));
        assert!(!is_sensitive("CONF.ssh_hosts_key_file"));
        assert!(!is_sensitive("volume_path"));
    }
}
