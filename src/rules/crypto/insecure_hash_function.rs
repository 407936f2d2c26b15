//! S324 insecure-hash-function (Bandit B324).

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::arguments::{positional, symbol};
use super::weak_hashes::{WEAK_CRYPT_METHODS, WEAK_HASHES};
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S324",
    name: "insecure-hash-function",
    bandit: Some("B324"),
    bandit_name: Some("hashlib"),
    family: Family::Crypto,
    cwe: 327,
    severity: Level::High,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags MD4, MD5 and SHA-1 hashes made with `hashlib` (`hashlib.md5`, `hashlib.new('sha1')`) \
               unless they pass `usedforsecurity=False`, and `crypt.crypt` / `crypt.mksalt` with the \
               `METHOD_CRYPT`, `METHOD_MD5` or `METHOD_BLOWFISH` schemes.",
        why: "MD5 and SHA-1 collisions are cheap to compute, so a digest used as an integrity check, a \
              signature input or a token can be matched by a forged image, file or request; a password \
              stored with them (or with DES-based `crypt`) falls to a GPU in minutes. Where the digest is \
              only a cache key, checksum or ETag, `usedforsecurity=False` says so and keeps the code \
              working on FIPS-enabled hosts, where these hashes are otherwise refused.",
        example: "checksum = hashlib.md5(image_data).hexdigest()",
        use_instead: "checksum = hashlib.sha256(image_data).hexdigest()\n\
                      # or, where it is not a security control:\n\
                      etag = hashlib.md5(body, usedforsecurity=False).hexdigest()",
        fix: "Use SHA-256 or stronger, or pass `usedforsecurity=False` where the digest protects nothing.",
        references: &[
            "https://docs.python.org/3/library/hashlib.html#hashlib.new",
            "https://security.openstack.org/guidelines/dg_strong-crypto.html",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    // Like Bandit: any qualified name with a `hashlib` (or `crypt`) segment.
    let segments: Vec<&str> = site.qualname.split('.').collect();
    let func = site.name();
    if segments.contains(&"hashlib") {
        check_hashlib(cx, site, func, out);
    } else if segments.contains(&"crypt") {
        check_crypt(cx, site, func, out);
    }
}

fn check_hashlib(cx: &Context, site: &CallSite, func: &str, out: &mut Vec<Diagnostic>) {
    let algorithm = if WEAK_HASHES.contains(&func) {
        func
    } else if func == "new" {
        // `hashlib.new('md5')`, `hashlib.new(name='sha1')`.
        let argument = match positional(site.call, 0) {
            Some(arg) => Some(arg),
            None if site.call.arguments.args.is_empty() => site.keyword("name"),
            None => None,
        };
        match argument.and_then(symbol) {
            Some(name) if WEAK_HASHES.contains(&name.to_ascii_lowercase().as_str()) => name,
            _ => return,
        }
    } else {
        return;
    };
    // Bandit accepts any `usedforsecurity` but `True` (or the string "True").
    if !site.keyword("usedforsecurity").is_none_or(is_true) {
        return;
    }
    let upper = algorithm.to_ascii_uppercase();
    let callee = cx.snippet(&*site.call.func);
    let (shown, fix) = if func == "new" {
        // The argument as written: `'md5'`, or a constant such as `hashes.MD5`.
        let argument = site
            .arg(0)
            .or_else(|| site.keyword("name"))
            .map(|a| cx.snippet(a))
            .unwrap_or_default();
        (
            format!("`{callee}({argument})`"),
            format!("Use `{callee}('sha256')`, or pass `usedforsecurity=False` if the digest protects nothing"),
        )
    } else {
        (
            format!("`{callee}`"),
            format!(
                "Use `hashlib.sha256`, or pass `{callee}(..., usedforsecurity=False)` if the digest protects nothing"
            ),
        )
    };
    out.push(
        Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("{shown} computes a weak {upper} hash without `usedforsecurity=False`"),
        )
        .fix(fix),
    );
}

fn is_true(value: &Expr) -> bool {
    match value {
        Expr::BooleanLiteral(b) => b.value,
        Expr::StringLiteral(s) => s.value.to_str() == "True",
        _ => false,
    }
}

fn check_crypt(cx: &Context, site: &CallSite, func: &str, out: &mut Vec<Diagnostic>) {
    // `crypt.crypt(word, salt)` and `crypt.mksalt(method)`.
    let (index, keyword) = match func {
        "crypt" => (1, "salt"),
        "mksalt" => (0, "method"),
        _ => return,
    };
    let method = match positional(site.call, index) {
        Some(arg) => symbol(arg),
        None if site.call.arguments.args.len() <= index => site.keyword(keyword).and_then(symbol),
        None => None,
    };
    let Some(method) = method.filter(|m| WEAK_CRYPT_METHODS.contains(m)) else {
        return;
    };
    let callee = cx.snippet(&*site.call.func);
    out.push(
        Diagnostic::new(&RULE, site.call.range(), format!("`{callee}` uses the weak `crypt.{method}` scheme"))
            .severity(Level::Medium)
            .detail(crypt_weakness(method))
            .fix("Use `crypt.METHOD_SHA512` (or a maintained library such as `passlib` or `bcrypt`: `crypt` is gone in Python 3.13)"),
    );
}

fn crypt_weakness(method: &str) -> &'static str {
    match method {
        "METHOD_CRYPT" => {
            "`METHOD_CRYPT` is traditional DES crypt: it uses only the first 8 characters of the password \
                           and a 2-character salt, so stolen hashes are cracked offline in minutes."
        }
        "METHOD_MD5" => {
            "`METHOD_MD5` is MD5-crypt: fast enough on a GPU that stolen hashes of ordinary passwords are \
                         cracked offline."
        }
        _ => {
            "`METHOD_BLOWFISH` truncates passwords at 72 bytes and works only where the platform's crypt(3) \
              supports it; Python documents `METHOD_SHA512` as the strongest method."
        }
    }
}
