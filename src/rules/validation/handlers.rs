//! Which functions are API request handlers, and what they receive.
//!
//! OpenStack's WSGI APIs route a request to a method of a controller class:
//! Nova and Cinder `wsgi.Controller` subclasses take `(self, req, id, body)`,
//! Neutron's extension controllers `(self, request, id, body=None, **kwargs)`,
//! Glance's `RequestDeserializer` methods `(self, request)` and read the body
//! themselves. A [`Handler`] names the request parameter, the body parameter,
//! the path parameters (the ids the router fills from the URL) and whether a
//! schema decorator validates the body or the query string.
//!
//! Used by the validation family (R6xx) and by the denial-of-service and
//! exposure families through [`super::request_data`].

use crate::python::names::last_segment;
use ruff_python_ast::{Expr, Stmt, StmtClassDef, StmtFunctionDef};

use crate::python::literal::str_value;
use crate::python::names::dotted;
use crate::rules::Context;

/// An API request handler and what it receives.
pub struct Handler<'a> {
    pub def: &'a StmtFunctionDef,
    /// The request parameter (`req`, `request`).
    pub request: &'a str,
    /// The body parameter, when the router passes one (`body`).
    pub body: Option<&'a str>,
    /// Positional parameters the router fills from the URL (`id`, `server_id`).
    pub path_params: Vec<&'a str>,
    /// The `@validation.schema(...)` decorator (Nova, Cinder), if any.
    pub body_schema: bool,
    /// The `@validation.query_schema(...)` decorator, if any.
    pub query_schema: bool,
    /// A Glance-style deserializer in the same module validates this
    /// method's body before the controller sees it.
    pub deserialized: bool,
    /// The handler is itself a method of a `*Deserializer` class.
    pub in_deserializer: bool,
    /// The action name of a `@wsgi.action('os-attach')` handler: the router
    /// dispatched on `body['os-attach']`, so that key is present.
    pub action: Option<String>,
}

/// Class names (or base names) that mark request handlers, by suffix.
const HANDLER_CLASS_SUFFIXES: &[&str] = &["Controller", "Deserializer"];

/// Parameter names the router never fills from the URL.
const NOT_PATH_PARAMS: &[&str] = &["body", "context", "ctxt", "req", "request", "self"];

/// The handler `def` is, if it is a method of a controller (or deserializer)
/// class taking a `req`/`request` parameter, or a `@webob.dec.wsgify`
/// function.
pub fn handler<'a>(cx: &Context<'a>, def: &'a StmtFunctionDef) -> Option<Handler<'a>> {
    let class = enclosing_class(cx, def);
    let wsgify = def
        .decorator_list
        .iter()
        .any(|d| decorator_name(cx, &d.expression).is_some_and(|n| n.ends_with("wsgify")));
    let in_handler_class = class.is_some_and(is_handler_class);
    if !wsgify && !in_handler_class {
        return None;
    }
    // A private method is a helper unless it is routed as an action
    // (`@wsgi.action('os-extend') def _extend`); its callers are the handlers.
    let action_decorator = def.decorator_list.iter().find_map(|d| match &d.expression {
        Expr::Call(call) if cx.qualified_name(&call.func).is_some_and(|n| n.ends_with("action")) => Some(call),
        _ => None,
    });
    let routed = action_decorator.is_some();
    let action = action_decorator
        .and_then(|call| call.arguments.args.first())
        .and_then(str_value)
        .map(|a| a.into_owned());
    if def.name.as_str().starts_with('_') && !routed {
        return None;
    }
    let params = &def.parameters;
    let positional: Vec<&str> = params
        .posonlyargs
        .iter()
        .chain(params.args.iter())
        .map(|p| p.parameter.name.as_str())
        .collect();
    let all: Vec<&str> = positional
        .iter()
        .copied()
        .chain(params.kwonlyargs.iter().map(|p| p.parameter.name.as_str()))
        .collect();
    let request = all.iter().copied().find(|n| *n == "req" || *n == "request")?;
    let body = all.iter().copied().find(|n| *n == "body");
    let path_params = params
        .posonlyargs
        .iter()
        .chain(params.args.iter())
        .filter(|p| p.default.is_none())
        .map(|p| p.parameter.name.as_str())
        .filter(|n| !NOT_PATH_PARAMS.contains(n))
        .filter(|n| *n == "id" || n.ends_with("_id") || n.ends_with("_uuid"))
        .collect();
    let mut body_schema = false;
    let mut query_schema = false;
    for decorator in &def.decorator_list {
        match decorator_name(cx, &decorator.expression)
            .as_deref()
            .and_then(|n| n.rsplit('.').next())
        {
            Some("schema") => body_schema = true,
            Some("query_schema") => query_schema = true,
            _ => {}
        }
    }
    // Cinder validates some bodies in a helper the handler calls:
    // `self._disable_cluster(req, body=body)` with `@validation.schema` on
    // the helper.
    if !body_schema && let (Some(class), Some(body)) = (class, body) {
        body_schema = passes_body_to_schema_method(cx, def, class, body);
    }
    let deserialized = class.is_some_and(|c| !is_deserializer(c)) && has_deserializer_method(cx, def.name.as_str());
    Some(Handler {
        def,
        request,
        body,
        path_params,
        body_schema,
        query_schema,
        deserialized,
        in_deserializer: class.is_some_and(is_deserializer),
        action,
    })
}

/// The class `def` is a method of (directly, not nested in another
/// function), found among the statements enclosing the current node.
fn enclosing_class<'a>(cx: &Context<'a>, def: &'a StmtFunctionDef) -> Option<&'a StmtClassDef> {
    let at = cx
        .stmts
        .iter()
        .position(|s| matches!(s, Stmt::FunctionDef(f) if std::ptr::eq(f, def)))?;
    match cx.stmts.get(at.checked_sub(1)?) {
        Some(Stmt::ClassDef(class)) => Some(class),
        _ => None,
    }
}

fn is_handler_class(class: &StmtClassDef) -> bool {
    let named = |name: &str| HANDLER_CLASS_SUFFIXES.iter().any(|s| name.ends_with(s));
    named(class.name.as_str()) || class.bases().iter().filter_map(dotted).any(|b| named(last_segment(&b)))
}

fn is_deserializer(class: &StmtClassDef) -> bool {
    class.name.as_str().ends_with("Deserializer")
}

/// True when a `*Deserializer` class of this module has a method `name`:
/// Glance validates a request body there, before routing it to the
/// controller method of the same name.
fn has_deserializer_method(cx: &Context, name: &str) -> bool {
    cx.module.parsed.syntax().body.iter().any(|stmt| match stmt {
        Stmt::ClassDef(class) if is_deserializer(class) => class
            .body
            .iter()
            .any(|s| matches!(s, Stmt::FunctionDef(f) if f.name.as_str() == name)),
        _ => false,
    })
}

/// True when `def` calls `self.helper(..., body, ...)` and `helper`, a
/// method of `class`, carries a `schema` decorator.
fn passes_body_to_schema_method(cx: &Context, def: &StmtFunctionDef, class: &StmtClassDef, body: &str) -> bool {
    let schema_methods: Vec<&str> = class
        .body
        .iter()
        .filter_map(|s| match s {
            Stmt::FunctionDef(f)
                if f.decorator_list
                    .iter()
                    .any(|d| decorator_name(cx, &d.expression).is_some_and(|n| last_segment(&n) == "schema")) =>
            {
                Some(f.name.as_str())
            }
            _ => None,
        })
        .collect();
    if schema_methods.is_empty() {
        return false;
    }
    ruff_python_ast::helpers::any_over_body(&def.body, |e| {
        let Expr::Call(call) = e else { return false };
        let Expr::Attribute(attr) = &*call.func else {
            return false;
        };
        matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == "self")
            && schema_methods.contains(&attr.attr.as_str())
            && call
                .arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|k| &k.value))
                .any(|a| matches!(a, Expr::Name(n) if n.id.as_str() == body))
    })
}

/// The qualified name of a decorator, called (`@validation.schema(x)`) or
/// not (`@webob.dec.wsgify`).
fn decorator_name(cx: &Context, expr: &Expr) -> Option<String> {
    let callee = match expr {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    cx.qualified_name(callee)
}
