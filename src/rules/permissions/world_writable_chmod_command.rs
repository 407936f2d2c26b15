//! R501 world-writable-chmod-command: the `chmod` command run with a mode
//! that lets any local user write the path.

use ruff_text_size::Ranged;

use super::file_modes::chmod_of;
use crate::python::literal::is_truthy_constant;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R501",
    name: "world-writable-chmod-command",
    bandit: None,
    bandit_name: None,
    family: Family::Permissions,
    cwe: 732,
    severity: Level::High,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags the `chmod` command run through `processutils.execute`, `utils.execute`, a driver's \
               `_execute` or `subprocess` with a mode that gives others write permission: an octal mode with \
               the `0o002` bit (`666`, `777`) or a symbolic one adding `w` for `o` or `a` (`ugo+rw`, `a+w`). \
               `os.chmod` with such a mode is S103's.",
        why: "Commands run through rootwrap or privsep act as root, so the mode applies to whatever the path \
              names, including configuration files holding backend passwords and volume or image files. Once \
              it is world-writable, any local account (a compromised guest-facing process, another tenant's \
              service user) can rewrite it and have root or the service read it back as trusted (CWE-732).",
        example: "utils.execute('chmod', '666', CONF_PATH, run_as_root=True)",
        use_instead: "utils.execute('chmod', '640', CONF_PATH, run_as_root=True)",
        fix: "Give write access only to the accounts that need it: the owner or group of the processes that \
              must write the path and `660`/`640`, or, when the mode is widened so the service can rewrite a \
              root-owned file, write it as root through privsep and keep it `600`/`640`.",
        references: &["https://security.openstack.org/guidelines/dg_apply-restrictive-file-permissions.html"],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let Some(chmod) = chmod_of(cx, site.call) else { return };
    if !chmod.command || !chmod.mode.is_some_and(|m| m.grants_world_write) {
        return;
    }
    let mode = cx.snippet(chmod.mode_expr);
    let path = cx.snippet(chmod.path);
    let as_root = site.keyword("run_as_root").is_some_and(is_truthy_constant);
    let mut diag = Diagnostic::new(
        &RULE,
        site.call.range(),
        format!(
            "`chmod {}` makes `{path}` writable by every local user",
            mode.trim_matches(['\'', '"'])
        ),
    )
    .fix(format!(
        "Give write access only to the accounts that need it: set the owner or group of `{path}` to the \
         processes that must write it (the service, or qemu for a volume) and use `660`/`640` instead of \
         {mode}; if the mode is widened so that the unprivileged service can rewrite a file root owns, write \
         the file as root through privsep and keep it `600`/`640`."
    ));
    if as_root {
        diag = diag.detail(format!(
            "The command runs as root (`run_as_root=True`), so `{path}` is opened to all \
                                    accounts whatever it points to."
        ));
    }
    out.push(diag);
}
