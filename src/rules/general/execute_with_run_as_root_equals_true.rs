//! S111 execute-with-run-as-root-equals-true (Bandit B111, retired).
//!
//! Bandit removed this OpenStack check after 1.x; vigil keeps it because
//! rootwrap's `run_as_root=True` is still how much OpenStack code reaches
//! root. Its last Bandit version reported the configured runners (see
//! [`super::execute_functions`]) with LOW severity and MEDIUM confidence, on
//! the line of the `run_as_root` argument.

use ruff_python_ast::Expr;

use super::execute_functions::is_known_execute_function;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S111",
    name: "execute-with-run-as-root-equals-true",
    bandit: Some("B111"),
    bandit_name: Some("execute_with_run_as_root_equals_true"),
    family: Family::General,
    cwe: 250,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags command runners (`nova.utils.execute`, `processutils.execute`, `cinder.utils.execute`, \
               any other `execute` or `trycmd`) called with `run_as_root=True`, which runs the whole command \
               as root through rootwrap.",
        why: "With `run_as_root=True` the command runs as root, limited only by the rootwrap filter that \
              matches it, and filters are coarse: a `CommandFilter` allows any argument. If any argument \
              is derived from user input (an instance name, a volume path, a device name) an attacker can \
              turn it into an option or path that reads or rewrites arbitrary files as root. Rootwrap also \
              spawns a Python interpreter per call. An `oslo.privsep` entrypoint instead exposes one narrow \
              Python function with the exact capabilities it needs.",
        example: "utils.execute('chown', owner, path, run_as_root=True)",
        use_instead: "# nova/privsep/path.py\n@nova.privsep.sys_admin_pctxt.entrypoint\ndef chown(path, uid=-1, gid=-1):\n    os.chown(path, uid, gid)\n\n\
                      # caller\nnova.privsep.path.chown(path, uid=owner_uid)",
        fix: "Move the privileged operation into an `oslo.privsep` entrypoint with the narrowest capabilities \
              and call it instead of running a command with `run_as_root=True`.",
        references: &[
            "https://docs.openstack.org/oslo.privsep/latest/user/index.html",
            "https://security.openstack.org/guidelines/dg_use-oslo-rootwrap-securely.html",
            "https://security.openstack.org/guidelines/dg_rootwrap-recommendations-and-plans.html",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let Some(keyword) = site
        .call
        .arguments
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "run_as_root"))
    else {
        return;
    };
    if !matches!(keyword.value, Expr::BooleanLiteral(ref b) if b.value) {
        return;
    }
    let known = is_known_execute_function(&site.qualname);
    // Any other runner named `execute` or `trycmd`, including the private
    // `self._execute` that Cinder and os-brick drivers are given.
    let generic = matches!(site.short_name().trim_start_matches('_'), "execute" | "trycmd");
    if !known && !generic {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    let command = site.arg(0).map(|c| format!(" `{}`", cx.snippet(c))).unwrap_or_default();
    let mut diag = Diagnostic::new(&RULE, keyword.range, format!("`{callee}` runs{command} as root (`run_as_root=True`)"))
        .fix(format!("Replace this `{callee}(..., run_as_root=True)` call with an `oslo.privsep` entrypoint that does only this operation."));
    if !known {
        diag = diag.confidence(Level::Low).detail(format!(
            "`{callee}` is assumed to be a rootwrap command runner from its name."
        ));
    }
    out.push(diag);
}
