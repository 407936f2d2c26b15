//! S601 paramiko-exec-command (Bandit B601).

use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S601",
    name: "paramiko-exec-command",
    bandit: Some("B601"),
    bandit_name: Some("paramiko_calls"),
    family: Family::Injection,
    cwe: 78,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags calls to `exec_command(...)` in a module that imports Paramiko.",
        why: "Paramiko's `SSHClient.exec_command` hands its string to the login shell of the remote host. \
              Any value interpolated into it (an instance name, a path, a user name from the API) can close \
              the command with `;`, `&&` or `$(...)` and run arbitrary commands there, typically on a \
              hypervisor or storage node with the credentials of the service.",
        example: "client = paramiko.SSHClient()\nclient.connect(host)\n\
                  client.exec_command('rbd snap create %s@%s' % (volume, snapshot))",
        use_instead: "client.exec_command('rbd snap create %s' % shlex.quote(f'{volume}@{snapshot}'))",
        fix: "Quote every interpolated value with `shlex.quote()` (or check it against a strict pattern) before it reaches `exec_command`.",
        references: &[
            "https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.exec_command",
            "https://security.openstack.org/guidelines/dg_use-subprocess-securely.html",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if site.short_name() != "exec_command" || !cx.imported_like("paramiko") {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    let mut diag = Diagnostic::new(
        &RULE,
        site.call.range(),
        format!("`{callee}` runs its command through the remote host's shell"),
    );
    if let Some(command) = site.arg_or_keyword(0, "command")
        && !matches!(command, ruff_python_ast::Expr::StringLiteral(_))
    {
        diag = diag.detail(format!(
            "The command `{}` is not a literal string.",
            cx.snippet(command)
        ));
    }
    out.push(diag);
}
