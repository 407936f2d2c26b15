//! S501 request-with-no-cert-validation (Bandit B501).

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S501",
    name: "request-with-no-cert-validation",
    bandit: Some("B501"),
    bandit_name: Some("request_with_no_cert_validation"),
    family: Family::Crypto,
    cwe: 295,
    severity: Level::High,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `requests` calls (`requests.get`, `requests.post`... and `requests.request`) and `httpx` \
               calls (including `httpx.Client` and `httpx.AsyncClient`) given `verify=False`.",
        why: "With `verify=False` the client accepts any certificate, so anyone on the network path to the \
              endpoint (a Keystone, Glance or Nova API, a metadata or image server) can impersonate it: read \
              the `X-Auth-Token` and credentials the request carries, and answer with forged data.",
        example: "resp = requests.get(glance_url, headers={'X-Auth-Token': token}, verify=False)",
        use_instead: "resp = requests.get(glance_url, headers={'X-Auth-Token': token}, verify=CONF.glance.cafile or True)",
        fix: "Keep certificate verification on; pass the deployment's CA bundle as `verify=` instead of `False`.",
        references: &[
            "https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification",
            "https://security.openstack.org/guidelines/dg_validate-certificates.html",
            "https://security.openstack.org/guidelines/dg_move-data-securely.html",
        ],
    },
};

/// The `requests` functions that take `verify`. Bandit leaves out
/// `requests.request`, which every other one calls; vigil includes it.
const REQUESTS_FUNCTIONS: &[&str] = &["delete", "get", "head", "options", "patch", "post", "put", "request"];
/// The `httpx` callables that take `verify`.
const HTTPX_FUNCTIONS: &[&str] = &[
    "AsyncClient",
    "Client",
    "delete",
    "get",
    "head",
    "options",
    "patch",
    "post",
    "put",
    "request",
    "stream",
];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    // Like Bandit: the first segment of the qualified name is the library and
    // the last one the function, so `requests.api.get` counts too, but not
    // `session.get` on a `requests.Session()` instance.
    let library = site.qualname.split('.').next().unwrap_or("");
    let functions = match library {
        "requests" => REQUESTS_FUNCTIONS,
        "httpx" => HTTPX_FUNCTIONS,
        _ => return,
    };
    if !functions.contains(&site.name()) {
        return;
    }
    // Bandit also matches the string "False", which `requests` takes for a CA
    // bundle path (and fails on): it does not disable verification.
    let Some(verify @ Expr::BooleanLiteral(b)) = site.keyword("verify") else {
        return;
    };
    if b.value {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    out.push(
        // Bandit reports the line of the `verify=` value.
        Diagnostic::new(&RULE, verify.range(), format!("`{callee}` does not verify the server's TLS certificate (`verify=False`)"))
            .fix("Remove `verify=False`, or pass the CA bundle that signs the server's certificate (e.g. `verify=CONF.ssl.ca_file`)"),
    );
}
