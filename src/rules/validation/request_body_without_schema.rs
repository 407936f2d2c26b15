//! R601 request-body-without-schema: an API handler indexes its request
//! body with no schema validating it.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::handler_pass::HandlerCheck;
use super::handlers::Handler;
use super::request_data::{Origin, Scan};
use crate::python::literal::str_value;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R601",
    name: "request-body-without-schema",
    bandit: None,
    bandit_name: None,
    family: Family::Validation,
    cwe: 20,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags API handlers (methods of a `Controller` class taking `req` and `body`, and Glance \
               `RequestDeserializer` methods) that index the request body (`body['server']`) when no \
               `@validation.schema(...)` decorator, validating call or `in` test checks it first, and no \
               `try` around the access catches `KeyError`.",
        why: "Whatever JSON the client sends reaches the handler: a missing key raises `KeyError` and a list \
              where a dict was expected raises `TypeError`, which the WSGI fault wrapper turns into an HTTP \
              500 with a traceback in the service log, and every unchecked value (a string for a size, a \
              100 MB name, a nested structure) flows on to the database, the scheduler or a backend driver. \
              Nova and Cinder declare a JSON schema per action precisely so that handlers only ever see \
              well-formed bodies.",
        example: "@wsgi.action('os-extend')\ndef _extend(self, req, id, body):\n    size = int(body['os-extend']['new_size'])\n    ...",
        use_instead: "@wsgi.action('os-extend')\n@validation.schema(volume_actions.extend)\ndef _extend(self, req, id, body):\n    size = body['os-extend']['new_size']\n    ...",
        fix: "Describe the body in a JSON schema and decorate the handler with `@validation.schema(...)`, or check the keys and types and raise `HTTPBadRequest`.",
        references: &["https://docs.openstack.org/nova/latest/contributor/api.html#validation"],
    },
};

/// Exceptions whose handler means the author expected a missing key.
const MISSING_KEY: &[&str] = &["KeyError", "LookupError"];
/// Exceptions raised by indexing a body of the wrong shape (a list, a
/// string). Nova's and Cinder's fault wrappers turn `TypeError` into a 400;
/// Glance's deserializers must catch it themselves.
const WRONG_SHAPE: &[&str] = &["TypeError"];

/// The rule's part of the walk of an API handler (`handler_pass`): none
/// when a schema or a deserializer validates the body.
pub fn start<'a, 'h>(cx: &'h Context<'a>, handler: &'h Handler<'a>) -> Option<Box<dyn HandlerCheck<'a> + 'h>> {
    if handler.body_schema || handler.deserialized {
        return None;
    }
    Some(Box::new(BodyReads {
        cx,
        handler,
        first: None,
    }))
}

/// The handler, and the first unchecked read of its body met so far.
struct BodyReads<'a, 'h> {
    cx: &'h Context<'a>,
    handler: &'h Handler<'a>,
    first: Option<&'a Expr>,
}

impl<'a> HandlerCheck<'a> for BodyReads<'a, '_> {
    fn expr(&mut self, s: &Scan<'a, '_>, expr: &'a Expr, _out: &mut Vec<Diagnostic>) {
        if self.first.is_some() {
            return;
        }
        let Expr::Subscript(sub) = expr else { return };
        // A slice (`value[:-1]`) never raises `KeyError`, and an index
        // (`value[-1]`) is about a string or list, not the body's keys.
        if matches!(&*sub.slice, Expr::Slice(_) | Expr::NumberLiteral(_) | Expr::UnaryOp(_)) {
            return;
        }
        // `body['os-attach']` in the `os-attach` action: the router found it.
        let action = self.handler.action.as_deref();
        let is_action_key = action
            .is_some_and(|a| matches!(&*sub.value, Expr::Name(_)) && str_value(&sub.slice).is_some_and(|k| k == a));
        if is_action_key
            || !sub.ctx.is_load()
            || s.origin(&sub.value) != Some(Origin::Body)
            || s.is_validated(&sub.value)
            || s.is_membership_tested(&sub.value, &sub.slice)
            || (s.catches(MISSING_KEY) && (!self.handler.in_deserializer || s.catches(WRONG_SHAPE)))
        {
            return;
        }
        // Report the outermost read of a chain (`body['a']['b']`) once, at
        // its first link.
        self.first = Some(expr);
    }

    fn finish(&mut self, out: &mut Vec<Diagnostic>) {
        let Some(access) = self.first else { return };
        let (cx, def) = (self.cx, self.handler.def);
        let name = def.name.as_str();
        let body_name = self.handler.body.unwrap_or("body");
        out.push(
            Diagnostic::new(
                &RULE,
                access.range(),
                format!(
                    "Handler `{name}` reads `{}` with no schema validating the request body",
                    cx.snippet(access)
                ),
            )
            .detail(format!(
                "A body without this key raises `KeyError` (a 500), and its value reaches the rest of `{name}` \
                 unchecked."
            ))
            .fix(format!(
                "Decorate `{name}` with `@validation.schema(...)` describing `{body_name}`, or check `{}` and raise \
                 `HTTPBadRequest`.",
                cx.snippet(access)
            ))
            .step(
                def.name.range(),
                format!("`{name}` handles the request with no schema decorator"),
            )
            .step(access.range(), format!("`{}` is read unchecked", cx.snippet(access))),
        );
    }
}
