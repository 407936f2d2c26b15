//! S602 subprocess-popen-with-shell-equals-true (Bandit B602).

use super::process_functions::{Launcher, launcher};
use super::spawn;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S602",
    name: "subprocess-popen-with-shell-equals-true",
    bandit: Some("B602"),
    bandit_name: Some("subprocess_popen_with_shell_equals_true"),
    family: Family::Injection,
    cwe: 78,
    severity: Level::High,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `subprocess` calls (`Popen`, `call`, `check_call`, `check_output`, `run`) made with a true \
               `shell=`. The finding is HIGH severity when the command is computed, LOW when it is a literal string.",
        why: "With `shell=True` the command string is parsed by `/bin/sh`: a value formatted into it that \
              contains `;`, `|`, `&&`, a newline or `$(...)` runs further commands with the service's privileges \
              (root, when the call sits behind privsep or rootwrap).",
        example: "subprocess.check_call('qemu-img resize %s %s' % (path, size), shell=True)",
        use_instead: "processutils.execute('qemu-img', 'resize', path, size)\n\
                      # or, outside OpenStack code:\nsubprocess.check_call(['qemu-img', 'resize', path, str(size)])",
        fix: "Pass the command as a list of arguments without `shell=True`, e.g. `processutils.execute('qemu-img', 'info', path)`.",
        references: &[
            "https://docs.python.org/3/library/subprocess.html#security-considerations",
            "https://security.openstack.org/guidelines/dg_avoid-shell-true.html",
            "https://docs.openstack.org/oslo.concurrency/latest/reference/processutils.html",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if launcher(&site.qualname) != Some(Launcher::Subprocess) || !spawn::has_shell(site.call) {
        return;
    }
    let Some(command) = spawn::command_of(site, Launcher::Subprocess) else {
        return;
    };
    let shell = spawn::shell_keyword(site.call)
        .map(|k| cx.snippet(k))
        .unwrap_or_default();
    let message = format!(
        "`{}` runs `{}` through a shell (`{shell}`)",
        site.qualname,
        cx.snippet(command)
    );
    let diag = Diagnostic::new(&RULE, spawn::report_range(cx, site.call), message);
    let mut diag = spawn::grade_shell_command(cx, diag, command);
    if let Some(argv) = spawn::literal_as_argv(command) {
        diag = diag.fix(format!("Pass `{argv}` and drop `{shell}`."));
    }
    if let Some((range, replacement)) = spawn::shell_free_edit(cx, site.call, command) {
        diag = diag.edit(range, replacement);
    }
    out.push(diag);
}
