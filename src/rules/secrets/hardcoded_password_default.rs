//! S107 hardcoded-password-default (Bandit B107).
//!
//! Function definitions whose ordinary parameters (`args`, not positional-only
//! or keyword-only ones) include a password-like name with a string literal
//! default; the first such parameter is reported, on the line of `def` (not
//! of a decorator), as Bandit does. Like Bandit, this leaves out `async def`
//! (Bandit's `FunctionDef` tests never see an `AsyncFunctionDef` node) and
//! keyword-only parameters.
//!
//! Bandit pairs parameters with `args.defaults` by position from the end,
//! which goes wrong when positional-only parameters have defaults too
//! (`def f(a="x", /, password=None)` reports `"x"` for `password`); each
//! parameter is paired with its own default here.

use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::password_names::looks_like_password;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S107",
    name: "hardcoded-password-default",
    bandit: Some("B107"),
    bandit_name: Some("hardcoded_password_default"),
    family: Family::Secrets,
    cwe: 259,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags functions with a parameter whose name looks like a password (a `_`-separated part of it is \
               `password`, `passwd`, `pass`, `passphrase`, `pwd`, `token`, `secret` or `secrete`, in any case) \
               and whose default is a string literal. A `None` default is not flagged.",
        why: "A default password is used by every caller that forgets to pass one, silently: the service then \
              authenticates, or accepts authentication, with a credential published in the source and shared \
              by every deployment.",
        example: "def connect(host, user=\"admin\", password=\"admin\"):\n    return client.Client(host, user, password)",
        use_instead: "def connect(host, user, password):\n    return client.Client(host, user, password)",
        fix: "Remove the default (or default to `None` and fail when no password is given) and pass the secret from configuration.",
        references: &[
            "https://security.openstack.org/guidelines/dg_protect-sensitive-data-in-files.html",
            "https://owasp.org/www-community/vulnerabilities/Use_of_hard-coded_password",
        ],
    },
};

pub fn check(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    if function.is_async {
        return;
    }
    // Bandit reports once per function, for the first matching parameter.
    let found = function.parameters.args.iter().find_map(|param| {
        let default = param.default.as_deref()?;
        let is_string = matches!(default, Expr::StringLiteral(_));
        (is_string && looks_like_password(param.parameter.name.as_str())).then_some((param, default))
    });
    let Some((param, default)) = found else {
        return;
    };
    let name = param.parameter.name.as_str();
    let range = TextRange::new(def_keyword_start(cx, function), default.end());
    out.push(
        Diagnostic::new(
            &RULE,
            range,
            format!(
                "parameter `{name}` of `{}` defaults to the hard-coded string `{}`",
                function.name,
                cx.snippet(default)
            ),
        )
        .fix(format!(
            "Drop the default of `{name}` (or use `{name}=None`) and pass the secret from configuration."
        )),
    );
}

/// Where the `def` keyword is: the range of a decorated function starts at
/// its first decorator, but Bandit reports the line of `def`. Only blanks
/// and line continuations separate `def` from the name.
fn def_keyword_start(cx: &Context, function: &StmtFunctionDef) -> TextSize {
    let start = function.range.start();
    let name = function.name.range.start();
    cx.text
        .get(start.to_usize()..name.to_usize())
        .and_then(|header| header.rfind("def"))
        .and_then(|offset| TextSize::try_from(offset).ok())
        .map_or(start, |offset| start + offset)
}
