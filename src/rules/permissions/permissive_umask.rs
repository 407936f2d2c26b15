//! R503 permissive-umask: `os.umask` set to a value that lets new files and
//! directories be world-writable.

use ruff_text_size::Ranged;

use super::file_modes::{WORLD_WRITE, mode_value, octal};
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R503",
    name: "permissive-umask",
    bandit: None,
    bandit_name: None,
    family: Family::Permissions,
    cwe: 276,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `os.umask(mask)` with a constant mask that does not clear the others-write bit (`0o002`), \
               such as `os.umask(0)`: from then on every file and directory the process creates without an \
               explicit mode is world-writable.",
        why: "The umask is process-wide: it applies to every greenthread and every library the service calls, \
              not only to the code that set it. With `umask(0)`, log files, state files, sockets, lock files \
              and anything written with plain `open()` become writable by every local user, who can then \
              inject content that the service (often running as root through privsep) reads back (CWE-276).",
        example: "os.umask(0)\nos.chdir('/')",
        use_instead: "os.umask(0o022)\nos.chdir('/')",
        fix: "Use a mask that clears at least the write bits of group and others (`0o022`, or `0o077` for \
              services that only write private files).",
        references: &["https://docs.python.org/3/library/os.html#os.umask"],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if site.qualname != "os.umask" {
        return;
    }
    let Some(mask_expr) = site.arg_or_keyword(0, "mask") else {
        return;
    };
    let Some(mask) = mode_value(cx, mask_expr) else { return };
    if mask & WORLD_WRITE != 0 {
        return;
    }
    out.push(
        Diagnostic::new(
            &RULE,
            site.call.range(),
            format!(
                "`os.umask({})` lets every file this process creates be world-writable",
                cx.snippet(mask_expr)
            ),
        )
        .detail(format!(
            "With a mask of {}, `open()` creates files as 0o{:03o} and directories as 0o{:03o}.",
            octal(mask),
            0o666 & !mask,
            0o777 & !mask
        ))
        .fix(format!("Use `os.umask({})` (or narrower).", octal(mask | 0o022))),
    );
}
