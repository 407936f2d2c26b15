//! S113 request-without-timeout (Bandit B113).

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S113",
    name: "request-without-timeout",
    bandit: Some("B113"),
    bandit_name: Some("request_without_timeout"),
    family: Family::General,
    cwe: 400,
    severity: Level::Medium,
    confidence: Level::Low,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `requests` calls (`requests.get`, `requests.post`...) made without a `timeout`, and \
               `requests` or `httpx` calls (including `httpx.Client` and `httpx.AsyncClient`) given \
               `timeout=None`.",
        why: "`requests` waits forever by default: one unresponsive or deliberately slow endpoint (an image \
              server, a metadata or webhook URL a user supplied) holds the calling greenthread or worker \
              indefinitely, and a few of them exhaust the service's pool. `httpx` has a default timeout \
              that `timeout=None` switches off.",
        example: "resp = requests.get(image_url, stream=True)",
        use_instead: "resp = requests.get(image_url, stream=True, timeout=CONF.glance.timeout)",
        fix: "Pass an explicit `timeout=` (a configured value, or a `(connect, read)` tuple) to every HTTP call.",
        references: &[
            "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",
            "https://www.python-httpx.org/advanced/timeouts/",
        ],
    },
};

/// The `requests` functions (and `httpx` ones) that take a `timeout`.
const HTTP_VERBS: &[&str] = &["delete", "get", "head", "options", "patch", "post", "put"];
/// The other `httpx` callables whose `timeout=None` disables the default.
const HTTPX_EXTRA: &[&str] = &["AsyncClient", "Client", "request", "stream"];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    // Like Bandit: the first segment of the qualified name is the library and
    // the last one the function, so `requests.api.get` and
    // `requests.Session.get` count too, but not `session.get`.
    let library = site.qualname.split('.').next().unwrap_or("");
    let name = site.name();
    let is_verb = HTTP_VERBS.contains(&name);
    let checked = match library {
        "requests" => is_verb,
        "httpx" => is_verb || HTTPX_EXTRA.contains(&name),
        _ => false,
    };
    if !checked {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    match site.keyword("timeout") {
        // Bandit also treats a timeout it cannot read as a literal
        // (`timeout=CONF.x * 2`, `timeout=get_timeout()`) as missing; vigil
        // accepts any value but `None`.
        None if library == "requests" => {
            let mut diag = Diagnostic::new(
                &RULE,
                site.call.range(),
                format!("`{callee}` has no `timeout`, so it can wait forever"),
            )
            .fix(format!(
                "Pass `timeout=` to `{callee}`, e.g. a configured number of seconds."
            ));
            if site.call.arguments.keywords.iter().any(|k| k.arg.is_none()) {
                diag = diag.detail(
                    "The timeout may come in through `**kwargs`; if it always does, suppress this finding here.",
                );
            }
            out.push(diag);
        }
        Some(Expr::NoneLiteral(_)) => out.push(
            Diagnostic::new(
                &RULE,
                site.call.range(),
                format!("`{callee}` is given `timeout=None`, so it can wait forever"),
            )
            .fix(format!("Give `{callee}` a finite `timeout=` instead of `None`.")),
        ),
        _ => {}
    }
}
