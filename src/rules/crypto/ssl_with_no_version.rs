//! S504 ssl-with-no-version (Bandit B504).

use ruff_text_size::Ranged;

use super::arguments::{has_double_star, has_star, positional};
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S504",
    name: "ssl-with-no-version",
    bandit: Some("B504"),
    bandit_name: Some("ssl_with_no_version"),
    family: Family::Crypto,
    cwe: 327,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `ssl.wrap_socket` calls that do not choose a protocol version (`ssl_version`).",
        why: "Without `ssl_version`, `ssl.wrap_socket` negotiates whatever the peer and the local OpenSSL \
              allow, which on older builds includes SSL 3.0 and TLS 1.0; it also checks no hostname and, \
              by default, no certificate. A man in the middle can downgrade or impersonate the peer. The \
              function was removed in Python 3.12.",
        example: "sock = ssl.wrap_socket(sock, ca_certs=CONF.ssl.ca_file, cert_reqs=ssl.CERT_REQUIRED)",
        use_instead: "context = ssl.create_default_context(cafile=CONF.ssl.ca_file)\n\
                      sock = context.wrap_socket(sock, server_hostname=host)",
        fix: "Replace `ssl.wrap_socket` with `ssl.create_default_context().wrap_socket(sock, server_hostname=host)`.",
        references: &[
            "https://docs.python.org/3/library/ssl.html#ssl.SSLContext.wrap_socket",
            "https://security.openstack.org/guidelines/dg_move-data-securely.html",
        ],
    },
};

/// The position of `ssl_version` in `ssl.wrap_socket(sock, keyfile,
/// certfile, server_side, cert_reqs, ssl_version, ...)`.
const SSL_VERSION_POSITION: usize = 5;

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if site.qualname != "ssl.wrap_socket" {
        return;
    }
    // Bandit flags a call whose `ssl_version` it cannot read as a literal
    // (`ssl_version=CONF.version()`) and ignores positional arguments; vigil
    // counts any `ssl_version` as a choice, and stays silent when `*args` or
    // `**kwargs` may carry it.
    let chosen = site.keyword("ssl_version").is_some()
        || positional(site.call, SSL_VERSION_POSITION).is_some()
        || has_star(site.call)
        || has_double_star(site.call);
    if chosen {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    out.push(
        Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` is called without `ssl_version`"),
        )
        .fix("Use `ssl.create_default_context().wrap_socket(sock, server_hostname=host)`"),
    );
}
