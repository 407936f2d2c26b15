//! R402 secret-in-log-message: a password, token or secret passed to a log
//! call in the clear.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::secret_values::find_secret;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R402",
    name: "secret-in-log-message",
    bandit: None,
    bandit_name: None,
    family: Family::Exposure,
    cwe: 532,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags log calls (`LOG.debug`, `LOG.info`, ..., `logger.*`, `logging.*`) whose arguments read a \
               value through a secret name: a variable or attribute such as `password`, `chap_secret`, \
               `self.configuration.san_password`, `auth_token`, or a key such as `creds['password']`, \
               directly or inside formatting, unless it is masked (`strutils.mask_password`, \
               `mask_dict_password`) or reduced (`len()`, `bool()`, a comparison).",
        why: "Service logs are read by far more people and systems than the credentials they contain were \
              meant for: operators, support bundles, log aggregation (ELK, Splunk), bug reports pasted to \
              Launchpad. A backend password or a Keystone token in a debug line gives whoever reads the log \
              the array, the database or the user's cloud account.",
        example: "LOG.debug('CHAP secret for %(host)s: %(secret)s', {'host': host, 'secret': chap_secret})",
        use_instead: "LOG.debug('CHAP secret set for %(host)s', {'host': host})",
        fix: "Leave the secret out of the message, or mask it with `oslo_utils.strutils.mask_password()` / `mask_dict_password()`.",
        references: &[
            "https://docs.openstack.org/oslo.utils/latest/reference/strutils.html#oslo_utils.strutils.mask_password",
            "https://wiki.openstack.org/wiki/Security/Guidelines/logging_guidelines",
        ],
    },
};

/// Logging methods.
const METHODS: &[&str] = &[
    "critical",
    "debug",
    "error",
    "exception",
    "fatal",
    "info",
    "log",
    "warn",
    "warning",
];
/// Last segments (lower case) of the objects that log.
const LOGGERS: &[&str] = &["_log", "_logger", "log", "logger", "logging"];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let Expr::Attribute(attr) = &*site.call.func else {
        return;
    };
    if !METHODS.contains(&attr.attr.as_str()) || !is_logger(&attr.value) {
        return;
    }
    let args = &site.call.arguments.args;
    // `LOG.log(level, msg, ...)`: the level is not part of the message.
    let skip = usize::from(attr.attr.as_str() == "log");
    let Some(secret) = args.iter().skip(skip).find_map(find_secret) else {
        return;
    };
    let callee = cx.snippet(&*site.call.func);
    let value = cx.snippet(secret);
    out.push(
        Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` writes `{value}` to the log in the clear"),
        )
        .detail(format!(
            "`{value}` holds a credential and nothing masks it before `{callee}` formats the message."
        ))
        .fix(format!(
            "Remove `{value}` from the message, or log `strutils.mask_password(...)` of the formatted text \
                 instead."
        )),
    );
}

fn is_logger(expr: &Expr) -> bool {
    let last = match expr {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    LOGGERS.contains(&last.to_ascii_lowercase().as_str())
}
