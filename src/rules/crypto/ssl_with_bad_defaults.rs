//! S503 ssl-with-bad-defaults (Bandit B503).

use ruff_python_ast::Stmt;
use ruff_text_size::{Ranged, TextRange};

use super::arguments::symbol;
use super::bad_protocols::{bad_protocol, replacement};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S503",
    name: "ssl-with-bad-defaults",
    bandit: Some("B503"),
    bandit_name: Some("ssl_with_bad_defaults"),
    family: Family::Crypto,
    cwe: 327,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags function definitions whose parameters default to an SSL 2.0, SSL 3.0, TLS 1.0 or TLS 1.1 \
               protocol constant (`def connect(host, version=ssl.PROTOCOL_TLSv1)`).",
        why: "Every caller that does not pass the argument gets a protocol version with practical attacks \
              (DROWN, POODLE, BEAST; RFC 8996 deprecates them all), and nothing at the call site shows it: an \
              attacker in the middle can decrypt or alter the connection the function sets up.",
        example: "def connect(host, port, ssl_version=ssl.PROTOCOL_TLSv1):\n    ...",
        use_instead: "def connect(host, port, context=None):\n    \
                      context = context or ssl.create_default_context()\n    ...",
        fix: "Default to `None` and build the connection from `ssl.create_default_context()` when no protocol is given.",
        references: &[
            "https://datatracker.ietf.org/doc/html/rfc8996",
            "https://security.openstack.org/guidelines/dg_move-data-securely.html",
        ],
    },
};

pub fn check(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::FunctionDef(def) = stmt else { return };
    // Bandit reads the defaults of positional parameters of `def` (not
    // `async def`), and only those written as `module.CONSTANT`. vigil also
    // reads `async def`, keyword-only parameters, bare names (`from ssl
    // import PROTOCOL_TLSv1`) and strings naming a constant, as S502 does
    // for call arguments.
    let parameters = &def.parameters;
    let with_defaults = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .chain(&parameters.kwonlyargs);
    for parameter in with_defaults {
        let Some(default) = parameter.default() else {
            continue;
        };
        let Some(constant) = symbol(default) else {
            continue;
        };
        let Some(protocol) = bad_protocol(constant) else {
            continue;
        };
        // Bandit reports the line of `def`; the range runs from the
        // function's name to the default.
        let range = TextRange::new(def.name.start(), default.end());
        out.push(
            Diagnostic::new(
                &RULE,
                range,
                format!(
                    "`{}` defaults `{}` to {protocol} (`{}`)",
                    def.name.as_str(),
                    parameter.parameter.name.as_str(),
                    cx.snippet(default)
                ),
            )
            .fix(format!(
                "Default `{}` to `None` and fall back to {}",
                parameter.parameter.name.as_str(),
                replacement(constant)
            )),
        );
        return;
    }
}
