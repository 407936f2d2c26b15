//! R502 sensitive-file-world-readable: a file whose name says it holds a
//! secret (password, private key, token) given, or left with, a mode that
//! lets every local user read it.

use ruff_text_size::Ranged;

use super::file_modes::{WORLD_READ, octal};
use super::function_calls::{Body, default_mode, resolved_mode};
use super::sensitive_names::is_sensitive;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R502",
    name: "sensitive-file-world-readable",
    bandit: None,
    bandit_name: None,
    family: Family::Permissions,
    cwe: 732,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a file whose path names a secret (`password`, `passwd`, `secret`, `token`, `credential`, \
               `private`, `id_rsa`, `.pem`, `.key`, `keyfile`, `keyring`...) that is chmod-ed (by `os.chmod` or \
               the `chmod` command) or created (`os.open`) with a mode readable by others, or written with \
               `open(path, 'w')` and never narrowed afterwards in the same function, which leaves it at the \
               umask's default (0o644: world-readable).",
        why: "Backend passwords, SSH private keys and tokens written world-readable can be read by every local \
              account on the host: a compromised guest-facing service user, another service, a tenant with a \
              shell on a shared node. From there the attacker logs in to the storage array or the hypervisor \
              with the service's credentials (CWE-732).",
        example: "with open(self._password_file, 'w') as f:\n    f.write(password)",
        use_instead: "fd = os.open(self._password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)\nwith os.fdopen(fd, 'w') as f:\n    f.write(password)",
        fix: "Create the file with mode `0o600` (`os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)` wrapped in \
              `os.fdopen`), or `0o640` when a group must read it.",
        references: &["https://security.openstack.org/guidelines/dg_apply-restrictive-file-permissions.html"],
    },
};

pub fn check(cx: &Context, body: &Body, out: &mut Vec<Diagnostic>) {
    let names = &body.names;
    let chmods = &body.chmods;
    for chmod in chmods {
        let key = names.key(chmod.path);
        if !is_sensitive(&key) || !resolved_mode(cx, names, chmod).is_some_and(|m| m.grants_world_read) {
            continue;
        }
        let path = cx.snippet(chmod.path);
        out.push(
            Diagnostic::new(
                &RULE,
                chmod.call.range(),
                format!(
                    "`{}` makes `{path}` readable by every local user",
                    cx.snippet(chmod.call)
                ),
            )
            .fix(format!(
                "Use `0o600` (or `0o640` for a group that must read it) for `{path}`."
            )),
        );
    }
    for creation in &body.creations {
        let call = &creation.call;
        if creation.directory {
            continue;
        }
        let key = names.key(creation.path);
        if !is_sensitive(&key) {
            continue;
        }
        let mode = default_mode(creation);
        if mode & WORLD_READ == 0 {
            continue;
        }
        // Narrowed later in the function: R504's window, not a lasting mode.
        let narrowed = chmods.iter().any(|c| {
            c.call.start() > call.start()
                && names.key(c.path) == key
                && resolved_mode(cx, names, c).is_some_and(|m| !m.grants_world_read)
        });
        if narrowed {
            continue;
        }
        let path = cx.snippet(creation.path);
        let how = if creation.mode.is_some() {
            format!("with mode {}", octal(creation.mode.unwrap_or(mode)))
        } else {
            format!("with the default mode ({} under the usual umask)", octal(mode))
        };
        out.push(
            Diagnostic::new(
                &RULE,
                call.range(),
                format!("`{}` creates `{path}` readable by every local user", cx.snippet(*call)),
            )
            .detail(format!(
                "The file is created {how} and nothing in this function narrows it."
            ))
            .fix(format!(
                "Create it with `os.open({path}, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)` wrapped in \
                 `os.fdopen(...)`."
            )),
        );
    }
}
