//! Finds the secret values inside an expression: the arguments of a log
//! call, of an exception, of a `write`.
//!
//! A value is secret when it is read through a secret name
//! ([`super::secret_names`]): a variable (`password`), an attribute
//! (`self.configuration.san_password`), a string key (`creds['password']`,
//! `creds.get('password')`). The search goes through formatting (`%`,
//! `.format`, f-strings), containers and method calls on a secret
//! (`password.strip()`), and stops at what hides the value: masking
//! functions (`strutils.mask_password`, anything named `mask`, `redact`,
//! `sanitize`, `hash`...), `len()`, `bool()`, comparisons, and attributes of
//! a secret object that are not secret themselves (`secret.id`).

use ruff_python_ast::{Expr, InterpolatedStringElement};

use super::secret_names::{is_secret_key, is_secret_name, words};
use crate::python::literal::str_value;

/// Words in a function name that mean it hides or summarises its argument.
const HIDING_WORDS: &[&str] = &[
    "bool",
    "censor",
    "count",
    "digest",
    "hash",
    "hexdigest",
    "hide",
    "isinstance",
    "len",
    "mask",
    "md5",
    "obfuscate",
    "redact",
    "sanitize",
    "scrub",
    "sha1",
    "sha256",
    "sha512",
    "type",
];

/// True when a function's name says it hides or summarises its argument:
/// one of its words is in [`HIDING_WORDS`].
fn is_hiding(callee: &str) -> bool {
    words(callee)
        .iter()
        .any(|w| HIDING_WORDS.binary_search(&w.as_str()).is_ok())
}

/// The first secret value in `expr`, if any.
pub fn find_secret(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::Name(name) => is_secret_name(name.id.as_str()).then_some(expr),
        Expr::Attribute(attr) => {
            if is_secret_name(attr.attr.as_str()) {
                Some(expr)
            } else {
                // `secret.id`, `token.expires_at`: about the secret, not it.
                None
            }
        }
        Expr::Subscript(sub) => {
            if let Some(key) = str_value(&sub.slice) {
                return is_secret_key(&key).then_some(expr);
            }
            find_secret(&sub.value)
        }
        Expr::Call(call) => {
            if is_hiding(callee_name(&call.func)) {
                return None;
            }
            if let Expr::Attribute(attr) = &*call.func {
                // `creds.get('password')`
                if attr.attr.as_str() == "get"
                    && let Some(key) = call.arguments.args.first().and_then(str_value)
                {
                    return is_secret_key(&key).then_some(expr);
                }
                // `password.strip()`, `'...'.format(password)`
                if let Some(found) = find_secret(&attr.value) {
                    return Some(found);
                }
            }
            call.arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|k| &k.value))
                .find_map(find_secret)
        }
        Expr::BinOp(op) => find_secret(&op.left).or_else(|| find_secret(&op.right)),
        Expr::BoolOp(op) => op.values.iter().find_map(find_secret),
        Expr::If(e) => find_secret(&e.body).or_else(|| find_secret(&e.orelse)),
        Expr::Tuple(t) => t.elts.iter().find_map(find_secret),
        Expr::List(l) => l.elts.iter().find_map(find_secret),
        Expr::Set(s) => s.elts.iter().find_map(find_secret),
        Expr::Dict(d) => d.items.iter().find_map(|item| {
            // `{'password': pw}`: the key names the value.
            if let Some(key) = item.key.as_ref().and_then(str_value)
                && is_secret_key(&key)
                && !is_harmless(&item.value)
            {
                return Some(&item.value);
            }
            find_secret(&item.value)
        }),
        Expr::FString(f) => f.value.elements().find_map(|e| match e {
            InterpolatedStringElement::Interpolation(i) => find_secret(&i.expression),
            InterpolatedStringElement::Literal(_) => None,
        }),
        Expr::Starred(s) => find_secret(&s.value),
        _ => None,
    }
}

/// A literal or a masked value under a secret key (`{'password': '***'}`).
fn is_harmless(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::Compare(_) => true,
        Expr::Call(call) => is_hiding(callee_name(&call.func)),
        _ => false,
    }
}

/// The last name of a callee: `mask_password` for `strutils.mask_password`.
fn callee_name(func: &Expr) -> &str {
    match func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(src: &str) -> Option<String> {
        let expr = ruff_python_parser::parse_expression(src).unwrap().into_expr();
        find_secret(&expr).map(|e| src[ruff_text_size::Ranged::range(e)].to_string())
    }

    #[test]
    fn hiding_words_are_sorted() {
        for pair in HIDING_WORDS.windows(2) {
            assert!(pair[0] < pair[1], "{} must come after {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn finds_secrets_through_formatting() {
        assert_eq!(secret("{'secret': chap_secret}").as_deref(), Some("chap_secret"));
        assert_eq!(
            secret("'x %s' % self.configuration.san_password").as_deref(),
            Some("self.configuration.san_password")
        );
        assert_eq!(
            secret("f'{creds[\"password\"]}'").as_deref(),
            Some("creds[\"password\"]")
        );
        assert_eq!(secret("'{}'.format(password.strip())").as_deref(), Some("password"));
        assert_eq!(
            secret("{'pw': conn.get('auth_password')}").as_deref(),
            Some("conn.get('auth_password')")
        );
    }

    #[test]
    fn masked_and_derived_values_are_not_secrets() {
        assert_eq!(secret("strutils.mask_password(cmd)"), None);
        assert_eq!(secret("strutils.mask_dict_password(password)"), None);
        assert_eq!(secret("len(password)"), None);
        assert_eq!(secret("secret.id"), None);
        assert_eq!(secret("password is None"), None);
        assert_eq!(secret("{'password': '***'}"), None);
        assert_eq!(secret("token_expiry"), None);
    }
}
