//! R504 chmod-after-create: a file or directory created with the default
//! (world-readable) mode and narrowed by a later `chmod`, leaving a window
//! in which any local user can open it.

use ruff_text_size::Ranged;

use super::file_modes::octal;
use super::function_calls::{Body, default_mode, resolved_mode, world_readable};
use super::sensitive_names::is_sensitive;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R504",
    name: "chmod-after-create",
    bandit: None,
    bandit_name: None,
    family: Family::Permissions,
    cwe: 276,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a `chmod` (by `os.chmod` or the `chmod` command) that takes read access away from others on \
               a file the same function created just before with the default mode: `open(path, 'w')`, \
               `os.open(path, O_CREAT)` without a mode, `shutil.copy(src, path)`, or the `touch`/`cp` \
               commands. Directories are left out: an open directory gives no access to files created in it \
               after its mode is narrowed. Severity is MEDIUM when the path names a secret.",
        why: "Between the creation and the `chmod`, the path has the umask's default mode (0o644 for files, \
              0o755 for directories). Any local user who opens the file in that window keeps the open \
              descriptor after the `chmod` and reads everything written to it later: passwords, keys, backup \
              data. Permissions are checked at open time only (CWE-276, CWE-362).",
        example: "open(self._file_path, 'w').close()\nos.chmod(self._file_path, 0o600)",
        use_instead: "fd = os.open(self._file_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)\nos.close(fd)",
        fix: "Create the path with its final mode (`os.open(path, flags, 0o600)`, `os.makedirs(path, mode=0o750)`) \
              instead of narrowing it afterwards.",
        references: &["https://security.openstack.org/guidelines/dg_using-temporary-files-securely.html"],
    },
};

pub fn check(cx: &Context, body: &Body, out: &mut Vec<Diagnostic>) {
    let names = &body.names;
    let creations = &body.creations;
    for chmod in &body.chmods {
        let Some(mode) = resolved_mode(cx, names, chmod) else {
            continue;
        };
        if mode.grants_world_read {
            continue;
        }
        // Only absolute modes, or symbolic ones that take `r` from others,
        // narrow access; `u+rw` leaves others as they were.
        let narrows = match mode.absolute {
            Some(_) => true,
            None => {
                let text = cx.source(chmod.mode_expr);
                (text.contains('o') || text.contains('a')) && text.contains('-') && text.contains('r')
            }
        };
        if !narrows {
            continue;
        }
        let key = names.key(chmod.path);
        let created = creations.iter().rfind(|c| {
            !c.directory && c.call.start() < chmod.call.start() && names.key(c.path) == key && world_readable(c)
        });
        let Some(creation) = created else { continue };
        let path = cx.snippet(chmod.path);
        let created_as = octal(default_mode(creation));
        let final_mode = mode.absolute.map(octal).unwrap_or_else(|| cx.snippet(chmod.mode_expr));
        let severity = if is_sensitive(&key) { Level::Medium } else { Level::Low };
        let fix = if creation.directory {
            format!("Create it with its final mode: `os.makedirs({path}, mode={final_mode})`.")
        } else {
            format!(
                "Create it with its final mode: `os.open({path}, os.O_WRONLY | os.O_CREAT | os.O_EXCL, \
                 {final_mode})` wrapped in `os.fdopen(...)`."
            )
        };
        out.push(
            Diagnostic::new(
                &RULE,
                chmod.call.range(),
                format!(
                    "`{}` narrows `{path}` only after line {} created it world-readable",
                    cx.snippet(chmod.call),
                    cx.line_of(creation.call)
                ),
            )
            .severity(severity)
            .detail(format!(
                "Line {} creates `{path}` as {created_as}; line {} narrows it to {final_mode}. Anyone who opens it \
                 in between keeps access.",
                cx.line_of(creation.call),
                cx.line_of(chmod.call)
            ))
            .fix(fix)
            .step(
                creation.call.range(),
                format!("`{}` creates `{path}` as {created_as}", cx.snippet(creation.call)),
            )
            .step(
                chmod.call.range(),
                format!("`{}` narrows it to {final_mode}", cx.snippet(chmod.call)),
            ),
        );
    }
}
