//! Which names look like they hold a password: Bandit's `RE_CANDIDATES`.
//!
//! Bandit (`general_hardcoded_password.py`) searches every candidate name
//! with
//!
//! ```text
//! RE_WORDS = "(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)"
//! RE_CANDIDATES = re.compile("(^{0}$|_{0}_|^{0}_|_{0}$)".format(RE_WORDS), re.IGNORECASE)
//! ```
//!
//! No alternative of `RE_WORDS` contains `_`, so a name matches exactly when
//! one of its `_`-separated segments is, as a whole, one of the words:
//! `password`, `db_password`, `auth_token_v2` and `SECRET` match;
//! `passwords`, `tokenizer` and `x-auth-token` do not. That is what
//! [`looks_like_password`] tests, without a regex engine.

/// Bandit's `RE_CANDIDATES.search(name)`.
pub fn looks_like_password(name: &str) -> bool {
    // Python's `$` also matches before a final newline: `"token\n"` matches.
    let name = name.strip_suffix('\n').unwrap_or(name);
    name.split('_').any(is_password_word)
}

/// True when `segment`, as a whole, matches Bandit's `RE_WORDS` ignoring
/// case: `pas+wo?r?d`, `pass`, `passphrase`, `pwd`, `token`, `secret` or
/// `secrete`.
pub fn is_password_word(segment: &str) -> bool {
    // Long enough for every word; anything longer than `pa` + 16 `s` + `word`
    // is not worth folding.
    if segment.is_empty() || segment.len() > 24 {
        return false;
    }
    let folded: String = segment.chars().map(fold_case).collect();
    let word = folded.as_str();
    if matches!(word, "pass" | "passphrase" | "pwd" | "token" | "secret" | "secrete") {
        return true;
    }
    // pas+wo?r?d: `pa`, one or more `s`, `w`, then `d`, `od`, `rd` or `ord`.
    let Some(rest) = word.strip_prefix("pa") else {
        return false;
    };
    let after_s = rest.trim_start_matches('s');
    if after_s.len() == rest.len() {
        return false;
    }
    matches!(after_s, "wd" | "wod" | "wrd" | "word")
}

/// Case folding as Python's `re.IGNORECASE` does it for the letters of
/// `RE_WORDS`: ASCII letters, plus the long s (`ſ`) and the Kelvin sign
/// (`K`), which match `s` and `k`. Other characters never match a word.
fn fold_case(c: char) -> char {
    match c {
        '\u{17F}' => 's',
        '\u{212A}' => 'k',
        _ => c.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bandit_examples() {
        for name in [
            "password",
            "EMAIL_PASSWORD",
            "email_pwd",
            "my_secret_password_for_email",
            "passphrase",
            "auth_token",
            "token_ttl",
            "secrete",
            "passwd",
            "paswd",
            "passsword",
            "pasword",
            "passwod",
            "PassWord",
            "a__token__b",
            "token\n",
            "pa\u{17F}sword",
        ] {
            assert!(looks_like_password(name), "{name}");
        }
        for name in [
            "",
            "user",
            "passwords",
            "password1",
            "mypassword",
            "tokenizer",
            "x-auth-token",
            "secret key",
            "pwd ",
            "passw",
            "paword",
            "pwd\n\n",
            "_",
        ] {
            assert!(!looks_like_password(name), "{name}");
        }
    }
}
