//! S603 subprocess-without-shell-equals-true (Bandit B603).

use super::process_functions::{Launcher, launcher};
use super::spawn;
use crate::python::literal::is_constant;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S603",
    name: "subprocess-without-shell-equals-true",
    bandit: Some("B603"),
    bandit_name: Some("subprocess_without_shell_equals_true"),
    family: Family::Injection,
    cwe: 78,
    severity: Level::Low,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `subprocess` calls (`Popen`, `call`, `check_call`, `check_output`, `run`) that run without a \
               shell, so that each place a service starts a program gets a look.",
        why: "Without a shell there is no shell injection, but the program and its arguments still come from \
              somewhere: an argument that a user controls can be an option (`--output=/etc/...`), a path outside \
              the instance directory, or the program itself. In Nova, commands that need root run inside \
              privsep entrypoints, where such an argument is as dangerous as an unchecked API input.",
        example: "subprocess.check_call(['chown', owner, path])",
        use_instead: "@nova.privsep.sys_admin_pctxt.entrypoint\ndef chown(path, uid):\n    \
                      processutils.execute('chown', '--', str(int(uid)), path)",
        fix: "Check that no argument comes unchecked from a request; in Nova, run the command through a privsep entrypoint with `processutils.execute`.",
        references: &[
            "https://docs.python.org/3/library/subprocess.html#security-considerations",
            "https://security.openstack.org/guidelines/dg_use-subprocess-securely.html",
            "https://docs.openstack.org/oslo.privsep/latest/",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if launcher(&site.qualname) != Some(Launcher::Subprocess) || spawn::has_shell(site.call) {
        return;
    }
    let range = spawn::report_range(cx, site.call);
    let message = match spawn::command_of(site, Launcher::Subprocess) {
        Some(command) if is_constant(command) => {
            format!("`{}` starts the fixed command `{}`", site.qualname, cx.snippet(command))
        }
        Some(command) => format!("`{}` starts a process from `{}`", site.qualname, cx.snippet(command)),
        None => format!("`{}` starts a process", site.qualname),
    };
    out.push(Diagnostic::new(&RULE, range, message));
}
