//! S605 start-process-with-a-shell (Bandit B605).

use ruff_text_size::Ranged;

use super::process_functions::{Launcher, launcher};
use super::spawn;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S605",
    name: "start-process-with-a-shell",
    bandit: Some("B605"),
    bandit_name: Some("start_process_with_a_shell"),
    family: Family::Injection,
    cwe: 78,
    severity: Level::High,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags functions that always run their command through a shell: `os.system`, `os.popen*`, \
               `subprocess.getoutput`, `subprocess.getstatusoutput` and the Python 2 `commands` and `popen2` \
               modules. The finding is HIGH severity when the command is computed, LOW when it is a literal string.",
        why: "`os.system`, `os.popen` and the like hand the whole string to `/bin/sh`, with no way to pass arguments separately: a \
              value formatted into the command that contains `;`, `|`, `&&` or `$(...)` runs further commands \
              with the service's privileges.",
        example: "os.system('iscsiadm -m node -T %s --login' % target_iqn)",
        use_instead: "processutils.execute('iscsiadm', '-m', 'node', '-T', target_iqn, '--login')",
        fix: "Replace the call with `processutils.execute(...)` or `subprocess.run([...])` given the program and its arguments as separate strings.",
        references: &[
            "https://docs.python.org/3/library/os.html#os.system",
            "https://security.openstack.org/guidelines/dg_use-subprocess-securely.html",
            "https://docs.openstack.org/oslo.concurrency/latest/reference/processutils.html",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if launcher(&site.qualname) != Some(Launcher::Shell) {
        return;
    }
    let Some(command) = spawn::command(site.call) else {
        return;
    };
    let message = format!("`{}` runs `{}` through a shell", site.qualname, cx.snippet(command));
    let diag = Diagnostic::new(&RULE, site.call.range(), message);
    let mut diag = spawn::grade_shell_command(cx, diag, command);
    if let Some(argv) = spawn::literal_as_argv(command) {
        diag = diag.fix(format!(
            "Use `subprocess.run({argv})`, or `processutils.execute(...)` with the same arguments."
        ));
    }
    out.push(diag);
}
