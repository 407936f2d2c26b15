//! S604 call-with-shell-equals-true (Bandit B604).

use super::process_functions::{Launcher, launcher};
use super::spawn;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S604",
    name: "call-with-shell-equals-true",
    bandit: Some("B604"),
    bandit_name: Some("any_other_function_with_shell_equals_true"),
    family: Family::Injection,
    cwe: 78,
    severity: Level::Medium,
    confidence: Level::Low,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags calls to any function other than the `subprocess` ones (which S602 covers) that pass a true \
               `shell=` argument: wrappers such as `processutils.execute(..., shell=True)` or a project's own \
               `utils.execute`.",
        why: "A wrapper that accepts `shell=` almost always forwards it to `subprocess`, so the command line is \
              parsed by `/bin/sh` and any value formatted into it can inject commands (`;`, `|`, `$(...)`). The \
              confidence is low because vigil cannot see what the wrapper does with the flag.",
        example: "processutils.execute('dd if=%s of=%s' % (src, dst), shell=True)",
        use_instead: "processutils.execute('dd', 'if=%s' % src, 'of=%s' % dst)",
        fix: "Drop `shell=True` and pass the program and each argument separately, e.g. `processutils.execute('dd', 'if=' + src, 'of=' + dst)`.",
        references: &[
            "https://security.openstack.org/guidelines/dg_avoid-shell-true.html",
            "https://docs.openstack.org/oslo.concurrency/latest/reference/processutils.html",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if launcher(&site.qualname) == Some(Launcher::Subprocess) || !spawn::has_shell(site.call) {
        return;
    }
    let shell = spawn::shell_keyword(site.call)
        .map(|k| cx.snippet(k))
        .unwrap_or_default();
    let callee = if site.qualname.is_empty() {
        cx.snippet(&*site.call.func)
    } else {
        site.qualname.clone()
    };
    out.push(Diagnostic::new(
        &RULE,
        spawn::report_range(cx, site.call),
        format!("`{callee}` is called with `{shell}`"),
    ));
}
