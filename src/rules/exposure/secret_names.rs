//! Which identifiers and keys name a secret: `password`, `chap_secret`,
//! `self.configuration.san_password`, `creds['auth_token']`,
//! `X-Auth-Token`, and which merely talk about one: `password_length`,
//! `token_expiry`, `secret_uuid`, `is_password_set`.
//!
//! A name is split into lower-case words at `_`, `-`, `.`, spaces and
//! camelCase humps. It names a secret when one word (or two adjacent words)
//! is in [`SECRET_WORDS`] / [`SECRET_PAIRS`] and no word is in
//! [`NOT_SECRET_WORDS`] (an id, a reference, a length, a flag about the
//! secret). To add a word, insert it in the right table in byte order; the
//! tests check the order.

/// Words that make a name a secret.
const SECRET_WORDS: &[&str] = &[
    "passphrase",
    "passwd",
    "password",
    "passwords",
    "pwd",
    "secret",
    "secrets",
    "token",
    "tokens",
];

/// Adjacent word pairs that make a name a secret (`api_key`, `privateKey`).
const SECRET_PAIRS: &[(&str, &str)] = &[("api", "key"), ("auth", "key"), ("private", "key")];

/// Words that make a name describe a secret rather than hold one.
const NOT_SECRET_WORDS: &[&str] = &[
    "age",
    "algorithm",
    "changed",
    "check",
    "complexity",
    "continuation",
    "count",
    "dir",
    "duration",
    "enabled",
    "endpoint",
    "error",
    "errors",
    "exists",
    "expiration",
    "expire",
    "expired",
    "expires",
    "expiry",
    "field",
    "fields",
    "file",
    "filename",
    "flag",
    "format",
    "generator",
    "has",
    "hash",
    "hashed",
    "history",
    "href",
    "id",
    "ids",
    "interval",
    "is",
    "len",
    "length",
    "location",
    "manager",
    "mask",
    "masked",
    "max",
    "method",
    "min",
    "name",
    "names",
    "next",
    "opt",
    "option",
    "opts",
    "page",
    "path",
    "pattern",
    "period",
    "plugin",
    "policy",
    "prefix",
    "provided",
    "ref",
    "regex",
    "required",
    "reset",
    "retries",
    "retry",
    "rule",
    "rules",
    "salt",
    "set",
    "size",
    "state",
    "status",
    "store",
    "strategy",
    "suffix",
    "supported",
    "timeout",
    "ttl",
    "type",
    "uri",
    "url",
    "usage",
    "use",
    "uuid",
    "valid",
    "validation",
    "version",
];

/// True when `name` (a variable or attribute) holds a secret.
///
/// Upper-case names (`TOKEN_REFRESH_INTERVAL`, `PASSWORD_OPT`) are module
/// constants: settings about secrets, or hard-coded ones (S105's concern),
/// not secrets flowing through the code.
pub fn is_secret_name(name: &str) -> bool {
    if name.len() > 1 && name.chars().any(|c| c.is_ascii_uppercase()) && !name.chars().any(|c| c.is_lowercase()) {
        return false;
    }
    is_secret_key(name)
}

/// True when `key` (a dictionary key or header name, any case) names a
/// secret: `'password'`, `'X-Auth-Token'`, `'HTTP_X_AUTH_TOKEN'`.
pub fn is_secret_key(key: &str) -> bool {
    let words = words(key);
    if words
        .iter()
        .any(|w| NOT_SECRET_WORDS.binary_search(&w.as_str()).is_ok())
    {
        return false;
    }
    words.iter().any(|w| SECRET_WORDS.binary_search(&w.as_str()).is_ok())
        || words
            .windows(2)
            .any(|pair| SECRET_PAIRS.contains(&(pair[0].as_str(), pair[1].as_str())))
}

/// `authToken` → `auth`, `token`; `X-Auth-Token` → `x`, `auth`, `token`.
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        for table in [SECRET_WORDS, NOT_SECRET_WORDS] {
            for pair in table.windows(2) {
                assert!(pair[0] < pair[1], "{} must come after {}", pair[0], pair[1]);
            }
        }
    }

    #[test]
    fn secrets() {
        for name in [
            "password",
            "chap_secret",
            "san_password",
            "auth_password",
            "X-Auth-Token",
            "authToken",
            "api_key",
            "privateKey",
            "passphrase",
            "new_passphrase",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn not_secrets() {
        for name in [
            "password_length",
            "token_expiry",
            "secret_uuid",
            "secret_ref",
            "is_password_set",
            "trust_id",
            "passwords_file",
            "key",
            "keystone",
            "tokenizer",
            "next_token",
            "credential_id",
            "credentials",
            "TOKEN_REFRESH_INTERVAL",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
