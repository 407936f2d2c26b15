//! S103 set-bad-file-permissions (Bandit B103).

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::rules::file_modes::mode_value;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S103",
    name: "set-bad-file-permissions",
    bandit: Some("B103"),
    bandit_name: Some("set_bad_file_permissions"),
    family: Family::General,
    cwe: 732,
    severity: Level::High,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `chmod`-style calls (`os.chmod`, `os.fchmod`, `Path.chmod`, `sftp.chmod`...) whose mode is a \
               constant granting group or world write or execute permission. World-writable modes are HIGH \
               severity, the other bits MEDIUM.",
        why: "A world-writable file can be replaced by any local user: a config, a rootwrap filter, a console \
              log or an instance disk image that another account rewrites is read back by the service (or by \
              root) as trusted. Group or world execute bits on data files, and group write on secrets, widen \
              the same hole to every account sharing the group on a compute host.",
        example: "os.chmod(console_log, 0o777)",
        use_instead: "os.chmod(console_log, 0o640)",
        fix: "Give the file the narrowest mode that works (`0o600` for secrets, `0o640` or `0o644` for data read \
              by other services).",
        references: &[
            "https://security.openstack.org/guidelines/dg_apply-restrictive-file-permissions.html",
            "https://docs.python.org/3/library/os.html#os.chmod",
        ],
    },
};

const S_IWOTH: u32 = 0o002;
const S_IXOTH: u32 = 0o001;
const S_IWGRP: u32 = 0o020;
const S_IXGRP: u32 = 0o010;
/// The bits Bandit calls dangerous, with how a message names them.
const DANGEROUS: &[(u32, &str)] = &[
    (S_IWOTH, "world-writable"),
    (S_IWGRP, "group-writable"),
    (S_IXGRP, "group-executable"),
    (S_IXOTH, "world-executable"),
];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let name = site.short_name();
    if !name.contains("chmod") {
        return;
    }
    let Some((mode_expr, target)) = mode_and_target(site, name) else {
        return;
    };
    let Some(mode) = mode_value(cx, mode_expr) else {
        return;
    };
    let bits: Vec<&str> = DANGEROUS
        .iter()
        .filter(|(bit, _)| mode & bit != 0)
        .map(|(_, what)| *what)
        .collect();
    if bits.is_empty() {
        return;
    }
    let severity = if mode & S_IWOTH != 0 {
        Level::High
    } else {
        Level::Medium
    };
    let callee = cx.snippet(&*site.call.func);
    let on = target.map(|t| format!(" on `{}`", cx.snippet(t))).unwrap_or_default();
    let mut diag = Diagnostic::new(
        &RULE,
        site.call.range(),
        format!("`{callee}` sets mode {}{on} ({})", octal(mode), bits.join(", ")),
    )
    .severity(severity);
    let narrowed = mode & !(S_IWOTH | S_IXOTH | S_IWGRP | S_IXGRP);
    if narrowed & 0o700 != 0 {
        diag = diag.fix(format!(
            "Use `{}` or narrower, so that no other account can write to or execute the file.",
            octal(narrowed)
        ));
    }
    if !matches!(mode_expr, Expr::NumberLiteral(_)) {
        diag = diag.detail(format!("`{}` is {}.", cx.snippet(mode_expr), octal(mode)));
    }
    out.push(diag);
}

/// A mode as `chmod` users write it: `0o755`, `0o1777`.
fn octal(mode: u32) -> String {
    format!("0o{mode:03o}")
}

/// The mode argument and the file it applies to, when an argument names it
/// (`path.chmod(mode)` names it by its receiver, already in the callee).
/// Bandit reads the mode only from `chmod(path, mode)` with exactly two
/// positional arguments; vigil also reads `mode=` and the one-argument
/// method `path.chmod(mode)` (pathlib, `lchmod`), which Bandit misses.
fn mode_and_target<'a>(site: &'a CallSite, name: &str) -> Option<(&'a Expr, Option<&'a Expr>)> {
    let args = &site.call.arguments.args;
    let is_method = matches!(&*site.call.func, Expr::Attribute(_));
    if let Some(mode) = site.keyword("mode") {
        let target = site
            .arg(0)
            .or_else(|| site.keyword("path"))
            .or_else(|| site.keyword("fd"));
        return Some((mode, target));
    }
    match args.len() {
        2 => Some((&args[1], Some(&args[0]))),
        1 if is_method && matches!(name, "chmod" | "lchmod") => Some((&args[0], None)),
        _ => None,
    }
}
