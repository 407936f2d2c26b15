//! R401 exception-details-in-api-response: the text of an unexpected
//! exception, or a traceback, sent back to the API user.

use crate::python::names::last_segment;
use std::collections::HashSet;

use ruff_python_ast::{ExceptHandler, Expr, InterpolatedStringElement, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::python::names::dotted;
use crate::rules::validation::handlers::handler;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R401",
    name: "exception-details-in-api-response",
    bandit: None,
    bandit_name: None,
    family: Family::Exposure,
    cwe: 209,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `except` blocks that catch a broad or internal exception (`Exception`, `OSError`, \
               `ProcessExecutionError`, database errors...) and put its text (`str(e)`, `'%s' % e`, \
               `e.args`, a message built from it) into an HTTP error (`webob.exc.HTTP*`, `Fault`) or into what \
               an API handler returns, and any `traceback.format_exc()` sent the same way. Messages from \
               `e.format_message()` or `e.msg`, written for users, are not flagged.",
        why: "The text of an unexpected exception is written for developers: it carries SQL statements and \
              values, file paths, host names and IPs of backends, command lines with their arguments, \
              library versions and sometimes credentials. Returning it to the API user hands an attacker a \
              map of the deployment and a way to probe it (CWE-209), and turns any internal failure into an \
              information leak.",
        example: "try:\n    self.volume_api.copy_volume_to_image(context, volume, params)\nexcept Exception as error:\n    raise webob.exc.HTTPBadRequest(explanation=str(error))",
        use_instead: "try:\n    self.volume_api.copy_volume_to_image(context, volume, params)\nexcept exception.InvalidVolume as error:\n    raise webob.exc.HTTPBadRequest(explanation=error.msg)\nexcept Exception:\n    LOG.exception('Failed to upload volume %s to image', volume.id)\n    raise webob.exc.HTTPInternalServerError(explanation=_('Upload failed.'))",
        fix: "Log the exception with `LOG.exception(...)` and return a fixed, user-oriented message; pass on only the messages of the project's own exceptions (`e.format_message()`, `e.msg`).",
        references: &["https://wiki.openstack.org/wiki/Security/Guidelines/logging_guidelines"],
    },
};

/// Exceptions whose text is not meant for users (last segments).
const INTERNAL: &[&str] = &[
    "BaseException",
    "CalledProcessError",
    "DBAPIError",
    "DBError",
    "EnvironmentError",
    "Exception",
    "IOError",
    "OSError",
    "OperationalError",
    "ProcessExecutionError",
    "RemoteError",
    "SQLAlchemyError",
    "error",
    "libvirtError",
];

/// Builtins whose errors carry no internal detail (`dict(member=m['id'])`).
const BUILTIN_CONSTRUCTORS: &[&str] = &["bool", "dict", "float", "int", "len", "list", "set", "str", "tuple"];

/// Attributes and methods of an exception that are safe to show.
const SAFE_ATTRIBUTES: &[&str] = &["__class__", "__name__", "code", "format_message", "kwargs", "msg"];

/// Callees that produce an HTTP error response, by last segment.
fn is_http_error(name: &str) -> bool {
    name.starts_with("HTTP") || name == "Fault" || name == "ConvertedException" || name == "Response"
}

pub fn check(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::Try(try_stmt) = stmt else { return };
    let returns_to_user = cx.enclosing_function().is_some_and(|f| handler(cx, f).is_some());
    // A `try` that calls nothing but builtins (`body['memberships']`,
    // `dict(member=m['member_id'])`) can only raise lookup and type errors
    // whose text is a key or a type: nothing internal.
    let calls_something = ruff_python_ast::helpers::any_over_body(&try_stmt.body, |e| match e {
        Expr::Call(call) => !matches!(&*call.func, Expr::Name(n) if BUILTIN_CONSTRUCTORS.contains(&n.id.as_str())),
        _ => false,
    });
    for h in &try_stmt.handlers {
        let ExceptHandler::ExceptHandler(h) = h;
        let caught = caught_type(h.type_.as_deref());
        let internal = caught
            .as_ref()
            .is_some_and(|names| names.iter().any(|n| INTERNAL.contains(&n.as_str())))
            || h.type_.is_none();
        let mut tainted: HashSet<&str> = HashSet::new();
        if internal && let Some(name) = &h.name {
            tainted.insert(name.as_str());
        }
        let mut sinks = Vec::new();
        walk(&h.body, &mut tainted, returns_to_user, &mut sinks);
        for sink in sinks.into_iter().filter(|s| s.traceback || calls_something) {
            let caught_text = h
                .type_
                .as_deref()
                .map_or("a bare `except`".to_string(), |t| format!("`{}`", cx.snippet(t)));
            let leaked = cx.snippet(sink.leaked);
            let (message, note) = if sink.traceback {
                (
                    format!("A traceback (`{leaked}`) is sent to the API user"),
                    "and its traceback is sent to the user here".to_string(),
                )
            } else {
                let exc = h.name.as_ref().map_or("the exception", |n| n.as_str());
                let via = if leaked == exc {
                    String::new()
                } else {
                    format!(" through `{leaked}`")
                };
                (
                    format!("The message of a caught {caught_text} (`{exc}`) is sent to the API user{via}"),
                    format!("and its text is sent to the user here{via}"),
                )
            };
            out.push(
                Diagnostic::new(&RULE, sink.range, message)
                    .detail(format!(
                        "The `except` clause catches {caught_text}, whose message is written for developers (paths, \
                         SQL, command lines, backend addresses), and `{}` puts it in the response.",
                        cx.snippet(&sink.range)
                    ))
                    .fix(
                        "Log the exception with `LOG.exception(...)` and answer with a fixed message (or \
                         `e.format_message()` for the project's own exceptions).",
                    )
                    .step(
                        TextRange::at(h.range().start(), first_line_len(cx, h.range())),
                        format!("{caught_text} is caught here"),
                    )
                    .step(sink.range, note),
            );
        }
    }
}

struct Sink<'a> {
    range: TextRange,
    leaked: &'a Expr,
    traceback: bool,
}

/// Length of the first line of a range (the `except ...:` clause).
fn first_line_len(cx: &Context, range: TextRange) -> ruff_text_size::TextSize {
    let text = cx.source(&range);
    let len = text.find('\n').unwrap_or(text.len());
    ruff_text_size::TextSize::try_from(len).unwrap_or(range.len())
}

/// The last segments of the caught exception names.
fn caught_type(type_: Option<&Expr>) -> Option<Vec<String>> {
    let last = |e: &Expr| dotted(e).map(|d| last_segment(&d).to_string());
    match type_? {
        Expr::Tuple(t) => Some(t.elts.iter().filter_map(last).collect()),
        other => last(other).map(|n| vec![n]),
    }
}

/// Walks an `except` body in order: names assigned from the exception's
/// text become tainted; raises of HTTP errors and (in API handlers) returns
/// that carry tainted text or a traceback are sinks.
fn walk<'a>(body: &'a [Stmt], tainted: &mut HashSet<&'a str>, returns_to_user: bool, sinks: &mut Vec<Sink<'a>>) {
    for stmt in body {
        match stmt {
            Stmt::Assign(assign) if leak(&assign.value, tainted).is_some() => {
                for target in &assign.targets {
                    if let Expr::Name(n) = target {
                        tainted.insert(n.id.as_str());
                    }
                }
            }
            Stmt::AugAssign(aug) => {
                if leak(&aug.value, tainted).is_some()
                    && let Expr::Name(n) = &*aug.target
                {
                    tainted.insert(n.id.as_str());
                }
            }
            Stmt::Raise(raise) => {
                if let Some(Expr::Call(call)) = raise.exc.as_deref()
                    && dotted(&call.func).is_some_and(|d| is_http_error(last_segment(&d)))
                    && let Some(leaked) = call
                        .arguments
                        .args
                        .iter()
                        .chain(call.arguments.keywords.iter().map(|k| &k.value))
                        .find_map(|a| leak(a, tainted))
                {
                    sinks.push(Sink {
                        range: stmt.range(),
                        leaked: leaked.0,
                        traceback: leaked.1,
                    });
                }
            }
            Stmt::Return(ret) if returns_to_user => {
                if let Some(value) = &ret.value
                    && let Some(leaked) = leak(value, tainted)
                {
                    sinks.push(Sink {
                        range: stmt.range(),
                        leaked: leaked.0,
                        traceback: leaked.1,
                    });
                }
            }
            Stmt::If(s) => {
                // `if error.exc_type in ('InvalidVolume', ...)`,
                // `if isinstance(e, exception.Invalid)`: the author narrowed
                // the exception to kinds whose message is meant for users.
                if !mentions(&s.test, tainted) {
                    walk(&s.body, tainted, returns_to_user, sinks);
                }
                for clause in &s.elif_else_clauses {
                    if !clause.test.as_ref().is_some_and(|t| mentions(t, tainted)) {
                        walk(&clause.body, tainted, returns_to_user, sinks);
                    }
                }
            }
            Stmt::With(s) => walk(&s.body, tainted, returns_to_user, sinks),
            Stmt::For(s) => walk(&s.body, tainted, returns_to_user, sinks),
            Stmt::Try(s) => {
                walk(&s.body, tainted, returns_to_user, sinks);
                walk(&s.orelse, tainted, returns_to_user, sinks);
                walk(&s.finalbody, tainted, returns_to_user, sinks);
            }
            _ => {}
        }
    }
}

/// True when `expr` reads a tainted name at all (even a safe attribute).
fn mentions(expr: &Expr, tainted: &HashSet<&str>) -> bool {
    ruff_python_ast::helpers::any_over_expr(
        expr,
        &|e: &Expr| matches!(e, Expr::Name(n) if tainted.contains(n.id.as_str())),
    )
}

/// The part of `expr` that carries the exception's text (a tainted name)
/// or a traceback, and whether it is a traceback.
fn leak<'a>(expr: &'a Expr, tainted: &HashSet<&str>) -> Option<(&'a Expr, bool)> {
    match expr {
        Expr::Name(n) => tainted.contains(n.id.as_str()).then_some((expr, false)),
        Expr::Attribute(a) => {
            if SAFE_ATTRIBUTES.contains(&a.attr.as_str()) {
                None
            } else {
                leak(&a.value, tainted)
            }
        }
        Expr::Call(call) => {
            if let Some(name) = dotted(&call.func) {
                if name.starts_with("traceback.format") || name == "format_exc" {
                    return Some((expr, true));
                }
                if name == "type" {
                    return None;
                }
            }
            if let Expr::Attribute(a) = &*call.func {
                if SAFE_ATTRIBUTES.contains(&a.attr.as_str()) {
                    return None;
                }
                if let Some(found) = leak(&a.value, tainted) {
                    return Some(found);
                }
            }
            call.arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|k| &k.value))
                .find_map(|a| leak(a, tainted))
        }
        Expr::BinOp(op) => leak(&op.left, tainted).or_else(|| leak(&op.right, tainted)),
        Expr::BoolOp(op) => op.values.iter().find_map(|v| leak(v, tainted)),
        Expr::If(e) => leak(&e.body, tainted).or_else(|| leak(&e.orelse, tainted)),
        Expr::Tuple(t) => t.elts.iter().find_map(|v| leak(v, tainted)),
        Expr::List(l) => l.elts.iter().find_map(|v| leak(v, tainted)),
        Expr::Dict(d) => d.items.iter().find_map(|i| leak(&i.value, tainted)),
        Expr::Subscript(s) => leak(&s.value, tainted),
        Expr::FString(f) => f.value.elements().find_map(|e| match e {
            InterpolatedStringElement::Interpolation(i) => leak(&i.expression, tainted),
            InterpolatedStringElement::Literal(_) => None,
        }),
        _ => None,
    }
}
