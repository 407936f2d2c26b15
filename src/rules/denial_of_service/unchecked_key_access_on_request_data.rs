//! R306 unchecked-key-access-on-request-data: `req.GET['marker']`,
//! `req.headers['X-Foo']` read with nothing handling a missing key.

use ruff_python_ast::Expr;
use ruff_text_size::TextRange;

use crate::rules::validation::handlers::Handler;
use crate::rules::validation::request_data::{Origin, Scan};
use crate::rules::validation::{HandlerCheck, OnExpr};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R306",
    name: "unchecked-key-access-on-request-data",
    bandit: None,
    bandit_name: None,
    family: Family::DenialOfService,
    cwe: 248,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags, in API handlers and `@wsgify` middleware, subscripts of the query string \
               (`req.GET['marker']`, `req.params[...]`, or a local copy of them) when the handler never tests \
               the key (`in`, `.get()`) and no enclosing `try` catches `KeyError`. Off by default: modern \
               neutron, cinder and glance have no such subscript, and on the history of cinder, glance, \
               neutron and Swift 1 of 2 findings was a real crash (precision 50%): the other key was \
               guaranteed by the router.",
        why: "Which query parameters arrive is the client's choice. A request that leaves one out raises \
              `KeyError` in the handler, and the fault wrapper answers with an HTTP 500 and logs a traceback: \
              every such request costs a stack trace in the logs and a server-error alert, and the client is \
              told the service is broken rather than that its request is incomplete.",
        example: "def index(self, req):\n    marker = req.GET['marker']",
        use_instead: "def index(self, req):\n    marker = req.GET.get('marker')",
        fix: "Read optional values with `.get(key, default)`, or test `key in req.GET` and raise `HTTPBadRequest` when a required one is missing.",
        references: &["https://docs.pylonsproject.org/projects/webob/en/stable/api/multidict.html"],
    },
};

/// Exceptions that handle a missing key.
const HANDLED: &[&str] = &["KeyError", "LookupError"];

/// The rule's part of the walk of an API handler (`validation::handler_pass`).
pub fn start<'a, 'h>(cx: &'h Context<'a>, handler: &'h Handler<'a>) -> Option<Box<dyn HandlerCheck<'a> + 'h>> {
    let def = handler.def;
    let mut reported: Vec<TextRange> = Vec::new();
    Some(Box::new(OnExpr(
        move |s: &Scan<'a, '_>, expr: &'a Expr, out: &mut Vec<Diagnostic>| {
            let Expr::Subscript(sub) = expr else { return };
            // A slice (`value[:-1]`) never raises `KeyError`.
            if matches!(&*sub.slice, Expr::Slice(_)) {
                return;
            }
            if !sub.ctx.is_load() || reported.iter().any(|r| r.contains_range(sub.range)) {
                return;
            }
            // One report per chain: `req.GET['a'][0]` is about `req.GET['a']`.
            if matches!(&*sub.value, Expr::Subscript(_)) {
                return;
            }
            // Only the query string: headers are mostly set by other services
            // (Swift's backend servers read `X-Size`, `X-Etag`... from the
            // proxy), and every header finding on Swift's history was of that
            // kind.
            let origin = match s.origin(expr) {
                Some(o @ Origin::Query) => o,
                _ => return,
            };
            if s.is_membership_tested(&sub.value, &sub.slice) || s.catches(HANDLED) || s.is_validated(&sub.value) {
                return;
            }
            reported.push(sub.range);
            let container = cx.snippet(&*sub.value);
            let key = cx.snippet(&*sub.slice);
            out.push(
                Diagnostic::new(
                    &RULE,
                    sub.range,
                    format!("`{}` raises `KeyError` when {}", cx.snippet(expr), origin.lacks(&key)),
                )
                .detail(format!(
                    "Nothing in `{}` tests `{key} in {container}` or catches `KeyError`, so a request without it \
                 becomes an HTTP 500.",
                    def.name.as_str()
                ))
                .fix(format!(
                    "Use `{container}.get({key})` and handle `None`, or check `{key} in {container}` and raise \
                 `webob.exc.HTTPBadRequest`."
                )),
            );
        },
    )))
}
