//! S502 ssl-insecure-version (Bandit B502).

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::arguments::{positional, symbol};
use super::bad_protocols::{bad_protocol, protocol_parameter, replacement};
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S502",
    name: "ssl-insecure-version",
    bandit: Some("B502"),
    bandit_name: Some("ssl_with_bad_version"),
    family: Family::Crypto,
    cwe: 327,
    severity: Level::High,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags SSL 2.0, SSL 3.0, TLS 1.0 and TLS 1.1 protocol constants (`ssl.PROTOCOL_SSLv3`, \
               `SSL.TLSv1_METHOD`...) passed to `ssl.wrap_socket`, `ssl.SSLContext` or pyOpenSSL's \
               `SSL.Context`, or as the `ssl_version=` or `method=` argument of any other call.",
        why: "These protocol versions have practical attacks (DROWN on SSL 2.0, POODLE on SSL 3.0, BEAST and \
              weak MAC/cipher suites on TLS 1.0/1.1; RFC 8996 deprecates them all). A man in the middle between \
              a service and its peer (a compute host and the message bus, a console proxy and its client) can \
              decrypt or tamper with the traffic, or force a downgrade to the weakest version both accept.",
        example: "sock = ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLSv1)",
        use_instead: "context = ssl.create_default_context(cafile=CONF.ssl.ca_file)\n\
                      sock = context.wrap_socket(sock, server_hostname=host)",
        fix: "Use `ssl.create_default_context()` (or `ssl.PROTOCOL_TLS_CLIENT`) and let it refuse anything below TLS 1.2.",
        references: &[
            "https://datatracker.ietf.org/doc/html/rfc8996",
            "https://docs.python.org/3/library/ssl.html#security-considerations",
            "https://security.openstack.org/guidelines/dg_move-data-securely.html",
        ],
    },
};

/// The keywords Bandit checks on calls it does not know.
const PROTOCOL_KEYWORDS: &[&str] = &["method", "ssl_version"];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    // Made only for a message: most calls are not about SSL at all.
    let callee = || cx.snippet(&*site.call.func);
    if let Some((parameter, position)) = protocol_parameter(&site.qualname) {
        // A known API: Bandit reads the keyword only; vigil also reads the
        // positional argument (`SSL.Context(SSL.TLSv1_METHOD)` is the usual
        // spelling).
        let Some(value) = site.keyword(parameter).or_else(|| positional(site.call, position)) else {
            return;
        };
        let Some((constant, protocol)) = broken(value) else {
            return;
        };
        let message = format!("`{}` selects {protocol} (`{}`)", callee(), cx.snippet(value));
        let mut diag = Diagnostic::new(&RULE, value.range(), message).fix(format!("Use {}", replacement(constant)));
        if let Some(detail) = sslv23_detail(constant) {
            diag = diag.detail(detail);
        }
        out.push(diag);
        return;
    }
    for keyword in PROTOCOL_KEYWORDS {
        let Some(value) = site.keyword(keyword) else {
            continue;
        };
        let Some((constant, protocol)) = broken(value) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                value.range(),
                format!(
                    "`{}` is given the broken protocol {protocol} (`{keyword}={}`)",
                    callee(),
                    cx.snippet(value)
                ),
            )
            .severity(Level::Medium)
            .confidence(Level::Medium)
            .detail(sslv23_detail(constant).map_or_else(
                || {
                    format!(
                        "If `{}` sets up a connection with this value, that connection uses {protocol}.",
                        callee()
                    )
                },
                str::to_string,
            ))
            .fix(format!("Use {}", replacement(constant))),
        );
        return;
    }
}

/// The broken constant an argument names, and the protocol it selects.
fn broken(value: &Expr) -> Option<(&str, &'static str)> {
    let constant = symbol(value)?;
    Some((constant, bad_protocol(constant)?))
}

/// What `SSLv23_METHOD` does, which its name does not say.
fn sslv23_detail(constant: &str) -> Option<&'static str> {
    (constant == "SSLv23_METHOD").then_some(
        "`SSLv23_METHOD` negotiates the highest version both sides support, down to SSL 2.0 and 3.0 unless \
         `OP_NO_SSLv2` and `OP_NO_SSLv3` are set, so an attacker in the middle can force a broken version.",
    )
}
