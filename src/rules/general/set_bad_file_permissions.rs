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
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `chmod`-style calls (`os.chmod`, `os.fchmod`, `Path.chmod`, `sftp.chmod`...) whose mode is a \
               constant granting group or world write or execute permission. The review grades what the mode \
               allows: world write HIGH, group write MEDIUM, execute (or, on a directory, traverse) bits LOW; \
               Bandit's report keeps Bandit's grades (world write HIGH, the rest MEDIUM).",
        why: "A file or directory others can write can be replaced by them: a config, a rootwrap filter, a \
              console log or an instance disk image that another account rewrites is read back by the service \
              (or by root) as trusted. Execute bits give no write access, but let others run a file or open \
              the files of a directory whose names they know.",
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
    // Bandit grades by one bit (world write HIGH, the rest MEDIUM); the
    // review says what this mode lets others do, and grades that.
    let bandit_severity = if mode & S_IWOTH != 0 {
        Level::High
    } else {
        Level::Medium
    };
    let callee = cx.snippet(&*site.call.func);
    let target_text = target.map(|t| cx.snippet(t));
    let what = target_text
        .as_deref()
        .map_or("the file".to_string(), |t| format!("`{t}`"));
    let on = target_text.as_deref().map(|t| format!(" on `{t}`")).unwrap_or_default();
    let (severity, effect) = if mode & S_IWOTH != 0 {
        (
            Level::High,
            format!(
                "Any local account can rewrite {what} (or, for a directory, replace the files in it), and the \
                 service reads back what they wrote."
            ),
        )
    } else if mode & S_IWGRP != 0 {
        (
            Level::Medium,
            format!("Every account in the group of {what} can rewrite it (or replace the files in a directory)."),
        )
    } else {
        let who = if mode & S_IXOTH != 0 {
            "every local account"
        } else {
            "the group"
        };
        (
            Level::Low,
            format!(
                "No other account gains write access: the execute bit lets {who} run {what}, or, for a \
                 directory, open the files in it whose names they know (not list or change them)."
            ),
        )
    };
    let mut diag = Diagnostic::new(
        &RULE,
        site.call.range(),
        format!("`{callee}` sets mode {}{on} ({})", octal(mode), bits.join(", ")),
    )
    .severity(severity)
    .bandit_severity(bandit_severity);
    let narrowed = mode & !(S_IWOTH | S_IXOTH | S_IWGRP | S_IXGRP);
    if mode & (S_IWOTH | S_IWGRP) == 0 && narrowed & 0o700 != 0 {
        diag = diag.fix(format!(
            "If another service's account must reach {what} (qemu, libvirt), give it the group of that \
             account and `{}`; otherwise use `{}`.",
            octal(narrowed | S_IXGRP),
            octal(narrowed)
        ));
    } else if narrowed & 0o700 != 0 {
        diag = diag.fix(format!(
            "Use `{}` or narrower, and give write access through the owner or group of the accounts that \
             must write {what}, not through these bits.",
            octal(narrowed)
        ));
    }
    let value = if matches!(mode_expr, Expr::NumberLiteral(_)) {
        String::new()
    } else {
        format!("`{}` is {}. ", cx.snippet(mode_expr), octal(mode))
    };
    diag = diag.detail(format!("{value}{effect}"));
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
