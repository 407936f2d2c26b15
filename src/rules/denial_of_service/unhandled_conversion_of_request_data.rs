//! R305 unhandled-conversion-of-request-data: `int(req.GET['limit'])` and
//! similar conversions of request values, with nothing catching the error.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::conversions::conversion;
use crate::rules::validation::handlers::Handler;
use crate::rules::validation::request_data::{Origin, Scan};
use crate::rules::validation::{HandlerCheck, OnExpr};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R305",
    name: "unhandled-conversion-of-request-data",
    bandit: None,
    bandit_name: None,
    family: Family::DenialOfService,
    cwe: 1287,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags, in API handlers, conversions that raise on malformed text (`int()`, `float()`, \
               `uuid.UUID()`, `netaddr.IPAddress()`, `timeutils.parse_isotime()`, `jsonutils.loads()`...) \
               applied to a query parameter or an unvalidated body value, when no enclosing `try` catches the \
               error and no schema or validating call checks the value. (Headers are left out: most are set \
               by other services, and a bad one is a broken contract between them.)",
        why: "`?limit=abc` makes `int()` raise `ValueError`, which the API's fault wrapper reports as an HTTP \
              500: the client gets an internal error instead of a 400, the service logs a traceback per \
              request (an easy way to flood logs and alerting), and monitoring counts a server fault for a \
              client mistake.",
        example: "def index(self, req):\n    limit = int(req.GET.get('limit', CONF.api.max_limit))",
        use_instead: "@validation.query_schema(schema.index_query)\ndef index(self, req):\n    limit = int(req.GET.get('limit', CONF.api.max_limit))",
        fix: "Validate the value first (a query or body schema, `utils.validate_integer(...)`) or catch the conversion error and raise `HTTPBadRequest`.",
        references: &["https://docs.openstack.org/api-guide/compute/faults.html"],
    },
};

/// The rule's part of the walk of an API handler (`validation::handler_pass`).
pub fn start<'a, 'h>(cx: &'h Context<'a>, _handler: &'h Handler<'a>) -> Option<Box<dyn HandlerCheck<'a> + 'h>> {
    Some(Box::new(OnExpr(
        move |s: &Scan<'a, '_>, expr: &'a Expr, out: &mut Vec<Diagnostic>| {
            let Expr::Call(call) = expr else { return };
            let Some(qualname) = cx.qualified_name(&call.func) else {
                return;
            };
            let Some(conv) = conversion(&qualname) else { return };
            let Some(arg) = call.arguments.args.first() else { return };
            // Headers are left out: in OpenStack services they are mostly set by
            // other services and middleware (Swift's backend servers trust the
            // proxy's `X-Size`, keystonemiddleware sets `X-Roles`), so a bad one
            // is a broken contract between services, not user input; on Swift's
            // history all such findings were of that kind.
            let origin = match s.origin(arg) {
                Some(Origin::Query) if !s.handler.query_schema => Origin::Query,
                Some(Origin::Body) if !s.handler.body_schema && !s.handler.deserialized => Origin::Body,
                _ => return,
            };
            if s.catches(conv.raises) || s.is_validated(arg) {
                return;
            }
            let error = conv.raises.iter().find(|e| **e != "TypeError").unwrap_or(&"ValueError");
            let callee = cx.snippet(&*call.func);
            out.push(
                Diagnostic::new(
                    &RULE,
                    call.range(),
                    format!(
                        "`{}` raises an unhandled `{error}` when {} holds a malformed value",
                        cx.snippet(call),
                        origin.describe()
                    ),
                )
                .detail(format!(
                    "`{}` comes from {} and nothing validates it before `{callee}` parses it: a malformed value \
                 becomes an HTTP 500.",
                    cx.snippet(arg),
                    origin.describe()
                ))
                .fix(format!(
                    "Validate `{}` (a schema, or a helper such as `utils.validate_integer`) or wrap the conversion in \
                 `try: ... except {error}: raise webob.exc.HTTPBadRequest(...)`.",
                    cx.snippet(arg)
                )),
            );
        },
    )))
}
