//! S606 start-process-with-no-shell (Bandit B606).

use ruff_text_size::Ranged;

use super::process_functions::{Launcher, launcher};
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S606",
    name: "start-process-with-no-shell",
    bandit: Some("B606"),
    bandit_name: Some("start_process_with_no_shell"),
    family: Family::Injection,
    cwe: 78,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `os.exec*`, `os.spawn*` and `os.startfile`, which start a program directly, without a shell.",
        why: "No shell means no shell injection, but whoever chooses the program path or its arguments chooses \
              what runs: a path or option taken from a request can start another binary or change what the \
              program does. `os.exec*` also replaces the whole service process. These calls are rare in \
              OpenStack code and deserve a look at where their arguments come from.",
        example: "os.execvp(tool, [tool, '--config', conf_path])",
        use_instead: "processutils.execute('/usr/bin/nova-tool', '--config', conf_path)",
        fix: "Check that the program path and its arguments cannot be chosen by a user, or use `processutils.execute` with a fixed program.",
        references: &["https://docs.python.org/3/library/os.html#process-management"],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if launcher(&site.qualname) != Some(Launcher::NoShell) {
        return;
    }
    // `os.spawn*(mode, path, ...)` take the program second.
    let program = if site.name().starts_with("spawn") {
        site.arg(1)
    } else {
        site.arg(0)
    };
    let message = match program {
        Some(program) => format!(
            "`{}` starts `{}` directly, without a shell",
            site.qualname,
            cx.snippet(program)
        ),
        None => format!("`{}` starts a program directly, without a shell", site.qualname),
    };
    out.push(Diagnostic::new(&RULE, site.call.range(), message));
}
