//! S104 hardcoded-bind-all-interfaces (Bandit B104).

use ruff_python_ast::Expr;

use super::string_constants::{shown, string_constants};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S104",
    name: "hardcoded-bind-all-interfaces",
    bandit: Some("B104"),
    bandit_name: Some("hardcoded_bind_all_interfaces"),
    family: Family::General,
    cwe: 605,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags the string `'0.0.0.0'` anywhere in code, the address that binds a socket to every network \
               interface of the host.",
        why: "A service listening on `0.0.0.0` is reachable on every network the host is attached to: on a \
              compute or network node that includes the tenant-facing and storage networks, not only the \
              management network the service was meant for. An internal API, a metadata or console proxy \
              or a debugging port then becomes reachable from networks no firewall rule anticipated.",
        example: "server = wsgi.Server('metadata', app, host='0.0.0.0', port=8775)",
        use_instead: "server = wsgi.Server('metadata', app, host=CONF.metadata_listen, port=CONF.metadata_listen_port)",
        fix: "Bind to a configurable address (an `oslo.config` `HostAddressOpt`) so each deployment picks the \
              interface; if `0.0.0.0` must stay as the option's default, say so in the help text and suppress \
              this finding there.",
        references: &["https://nvd.nist.gov/vuln/detail/CVE-2018-1281"],
    },
};

pub fn check(cx: &Context, expr: &Expr, out: &mut Vec<Diagnostic>) {
    for constant in string_constants(cx, expr) {
        if constant.value == "0.0.0.0" {
            out.push(Diagnostic::new(
                &RULE,
                constant.range,
                format!(
                    "`{}` makes a socket bound to it listen on every network interface",
                    shown(cx, expr, &constant)
                ),
            ));
        }
    }
}
