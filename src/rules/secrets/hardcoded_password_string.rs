//! S105 hardcoded-password-string (Bandit B105).
//!
//! Bandit runs this test on every string literal and looks at its parent
//! node; so does [`check`]. The four places, and the node reported (always
//! the string visited, so the line is that string's):
//!
//! - `password = "..."`, `self.password = "..."`: the string is the value of
//!   an assignment one of whose targets is a password-like name or
//!   attribute (a target inside a tuple does not count).
//! - `{"password": "..."}`: the string is a password-like key of a dict
//!   literal whose value for it is a string or bytes literal. Bandit 1.9.4
//!   takes any constant there, so it also reports `{"password": None}` and
//!   `{"token_ttl": 3600}`; the check's own comment, its examples and its
//!   three other cases all want a string, and on nova these are 21 false
//!   positives out of 310 findings, so they are not reported here.
//! - `conf["password"] = "..."`: the string is part of a subscript that is
//!   a target of an assignment of a string literal.
//! - `password == "..."`: the string is an operand of a comparison whose
//!   left side is a password-like name or attribute and whose first
//!   right-hand operand is a string literal.
//!
//! As in Bandit, annotated assignments (`password: str = "..."`) are not
//! inspected, and bytes are never the string visited (only a dict value).

use ruff_python_ast::{Expr, ExprCompare, ExprDict, ExprSubscript, Stmt};
use ruff_text_size::Ranged;

use super::password_names::looks_like_password;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S105",
    name: "hardcoded-password-string",
    bandit: Some("B105"),
    bandit_name: Some("hardcoded_password_string"),
    family: Family::Secrets,
    cwe: 259,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags string literals assigned to, stored under or compared with a name that looks like a \
               password (a `_`-separated part of it is `password`, `passwd`, `pass`, `passphrase`, `pwd`, \
               `token`, `secret` or `secrete`, in any case).",
        why: "A password written in the source is in every clone, tarball, wheel and container image of the \
              project, and in its git history for good: anyone who can read the code can log in with it, and \
              rotating it means a code change and a release. When the same literal ships to every deployment, \
              one leak opens them all.",
        example: "class IronicClient:\n    admin_password = \"s3cr3t\"\n\n\ndef authorize(token):\n    if token == \"deadbeef\":\n        return True",
        use_instead: "class IronicClient:\n    def __init__(self, conf):\n        self.admin_password = conf.ironic.password\n\n\ndef authorize(token):\n    return secretutils.constant_time_compare(token, CONF.api.admin_token)",
        fix: "Read the secret from configuration (an oslo.config option with `secret=True`) or a secret store instead of writing it in the code.",
        references: &[
            "https://security.openstack.org/guidelines/dg_protect-sensitive-data-in-files.html",
            "https://owasp.org/www-community/vulnerabilities/Use_of_hard-coded_password",
        ],
    },
};

pub fn check(cx: &Context, expr: &Expr, out: &mut Vec<Diagnostic>) {
    let Expr::StringLiteral(literal) = expr else {
        return;
    };
    let diagnostic = match cx.parent_expr() {
        None => assigned(cx, expr),
        Some(Expr::Dict(dict)) => dict_value(cx, expr, literal.value.to_str(), dict),
        Some(Expr::Subscript(subscript)) => subscript_target(cx, expr, literal.value.to_str(), subscript),
        Some(Expr::Compare(compare)) => compared(cx, expr, compare),
        Some(_) => None,
    };
    out.extend(diagnostic);
}

/// `password = "..."`: the string is the value of an assignment statement.
fn assigned(cx: &Context, expr: &Expr) -> Option<Diagnostic> {
    let Some(Stmt::Assign(assign)) = cx.current_stmt() else {
        return None;
    };
    if !std::ptr::eq(&*assign.value, expr) {
        return None;
    }
    // Bandit reports once, for the first password-like target.
    let target = assign.targets.iter().find(|t| match t {
        Expr::Name(name) => looks_like_password(name.id.as_str()),
        Expr::Attribute(attr) => looks_like_password(attr.attr.as_str()),
        _ => false,
    })?;
    Some(
        Diagnostic::new(
            &RULE,
            expr.range(),
            format!(
                "`{}` is assigned the hard-coded string {}",
                cx.snippet(target),
                quoted(cx, expr)
            ),
        )
        .fix(format!(
            "Load `{}` from configuration or a secret store.",
            cx.snippet(target)
        )),
    )
}

/// `{"password": "..."}`: the string is a password-like key of a dict
/// literal with a literal value.
fn dict_value(cx: &Context, key: &Expr, key_text: &str, dict: &ExprDict) -> Option<Diagnostic> {
    if !looks_like_password(key_text) {
        return None;
    }
    let item = dict
        .items
        .iter()
        .find(|item| item.key.as_ref().is_some_and(|k| std::ptr::eq(k, key)))?;
    // Bandit 1.9.4 accepts any constant here (`None`, `3600`, `True`); the
    // other three cases and the check's own intent ("some_string") want a
    // string, so numbers, booleans and `None` are not reported.
    if !matches!(item.value, Expr::StringLiteral(_) | Expr::BytesLiteral(_)) {
        return None;
    }
    Some(Diagnostic::new(
        &RULE,
        key.range(),
        format!(
            "dict key {} maps to the hard-coded string {}",
            quoted(cx, key),
            quoted(cx, &item.value)
        ),
    ))
}

/// `conf["password"] = "..."`: the string is in a subscript that is a
/// target of an assignment of a string literal.
fn subscript_target(cx: &Context, expr: &Expr, text: &str, subscript: &ExprSubscript) -> Option<Diagnostic> {
    if !looks_like_password(text) || cx.exprs.len() != 2 {
        return None;
    }
    let Some(Stmt::Assign(assign)) = cx.current_stmt() else {
        return None;
    };
    let Expr::StringLiteral(_) = &*assign.value else {
        return None;
    };
    let is_target = assign
        .targets
        .iter()
        .any(|t| matches!(t, Expr::Subscript(s) if std::ptr::eq(s, subscript)));
    if !is_target {
        return None;
    }
    let target = cx.snippet(subscript);
    Some(
        Diagnostic::new(
            &RULE,
            expr.range(),
            format!(
                "`{target}` is assigned the hard-coded string {}",
                quoted(cx, &assign.value)
            ),
        )
        .fix(format!("Load `{target}` from configuration or a secret store.")),
    )
}

/// `password == "..."`: the string is an operand of a comparison with a
/// password-like name or attribute.
fn compared(cx: &Context, expr: &Expr, compare: &ExprCompare) -> Option<Diagnostic> {
    let name = match &*compare.left {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attr) => attr.attr.as_str(),
        _ => return None,
    };
    if !looks_like_password(name) {
        return None;
    }
    // Bandit reports the first right-hand operand, whichever string it visits.
    let first = compare.comparators.first()?;
    let Expr::StringLiteral(value) = first else {
        return None;
    };
    let left = cx.snippet(&*compare.left);
    let mut diagnostic = Diagnostic::new(
        &RULE,
        expr.range(),
        format!("`{left}` is compared with the hard-coded string {}", quoted(cx, first)),
    );
    if value.value.to_str().is_empty() {
        diagnostic = diagnostic
            .detail("Comparing with `''` usually tests for a missing value; when it checks a credential, the empty password is accepted.")
            .fix(format!("If this tests for a missing value, write `if not {left}:`; otherwise compare with a configured secret."));
    } else {
        diagnostic = diagnostic.fix(format!(
            "Compare `{left}` with a secret loaded from configuration, using `secretutils.constant_time_compare`."
        ));
    }
    Some(diagnostic)
}

/// The literal as written (quotes included), shortened for a message and
/// wrapped in backticks.
fn quoted(cx: &Context, expr: &Expr) -> String {
    format!("`{}`", cx.snippet(expr))
}
