//! S507 ssh-no-host-key-verification (Bandit B507).

use crate::python::names::last_segment;
use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S507",
    name: "ssh-no-host-key-verification",
    bandit: Some("B507"),
    bandit_name: Some("ssh_no_host_key_verification"),
    family: Family::Crypto,
    cwe: 295,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `set_missing_host_key_policy(AutoAddPolicy)` and `set_missing_host_key_policy(WarningPolicy)` \
               (class or instance) in modules that import paramiko.",
        why: "These policies accept a host key the client has never seen, so the first connection (and every \
              connection from a fresh container or host) trusts whoever answers: an attacker who can redirect \
              the connection to a hypervisor, storage backend or switch receives the credentials and the \
              commands meant for it.",
        example: "client = paramiko.SSHClient()\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())",
        use_instead: "client = paramiko.SSHClient()\nclient.load_host_keys(CONF.ssh.known_hosts_file)\n\
                      client.set_missing_host_key_policy(paramiko.RejectPolicy())",
        fix: "Load the expected host keys (`load_system_host_keys()` or `load_host_keys(path)`) and keep paramiko's default `RejectPolicy`.",
        references: &[
            "https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.set_missing_host_key_policy",
        ],
    },
};

const TRUSTING_POLICIES: &[&str] = &["AutoAddPolicy", "WarningPolicy"];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    // Bandit takes the method name from the call whatever its receiver
    // (`get_client().set_missing_host_key_policy(...)` too).
    let method = match &*site.call.func {
        Expr::Attribute(attr) => attr.attr.as_str(),
        _ => site.name(),
    };
    if method != "set_missing_host_key_policy" {
        return;
    }
    let Some(argument) = site.call.arguments.args.first() else {
        return;
    };
    let Some(policy) = policy_name(cx, argument) else {
        return;
    };
    if !TRUSTING_POLICIES.contains(&policy.as_str()) || !cx.imported_like("paramiko") {
        return;
    }
    let receiver = cx.snippet(&*site.call.func);
    let message = if policy == "AutoAddPolicy" {
        format!(
            "`{receiver}` trusts and saves unknown host keys (`{}`)",
            cx.snippet(argument)
        )
    } else {
        format!(
            "`{receiver}` accepts unknown host keys with only a warning (`{}`)",
            cx.snippet(argument)
        )
    };
    out.push(
        Diagnostic::new(&RULE, site.call.range(), message)
            .fix("Load the expected host keys (`load_system_host_keys()` or `load_host_keys(path)`) and drop this call, leaving paramiko's default `RejectPolicy`"),
    );
}

/// The policy class an argument names: `paramiko.AutoAddPolicy`,
/// `AutoAddPolicy` or an instance of either built in place. Bandit takes the
/// name as written; vigil resolves import aliases too
/// (`from paramiko import AutoAddPolicy as Trust`).
fn policy_name(cx: &Context, argument: &Expr) -> Option<String> {
    let class = match argument {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    match class {
        Expr::Attribute(attr) => Some(attr.attr.to_string()),
        Expr::Name(_) => cx.qualified_name(class).map(|q| last_segment(&q).to_string()),
        _ => None,
    }
}
