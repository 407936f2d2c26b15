//! What in a request handler comes from the user, and what guards it.
//!
//! [`Scan`] walks one handler's body in source order (nested functions and
//! classes are left to their own hook call) and tells each rule, for every
//! expression, where the data comes from ([`Scan::origin`]): the query string
//! (`req.GET`, `req.params`), the headers (`req.headers`,
//! `req.environ['HTTP_...']`), the body (the `body` parameter, `req.body`,
//! `req.json`, Glance's `self._get_request_body(req)`), a path parameter, or
//! the raw input stream. Local names assigned from such data
//! (`params = req.GET.copy()`) carry its origin; a reassignment clears it.
//!
//! It also knows which exceptions the enclosing `try` blocks catch
//! ([`Scan::catches`]), which containers the handler tests with `in`
//! ([`Scan::is_membership_tested`]) and which values it hands to a
//! validating function ([`Scan::is_validated`]), so rules stay silent on
//! code that already copes with bad input.

use crate::python::names::last_segment;
use std::collections::{HashMap, HashSet};

use ruff_python_ast::helpers::any_over_body;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{CmpOp, ExceptHandler, Expr, Stmt};
use ruff_text_size::Ranged;

use super::handlers::Handler;
use crate::python::literal::str_value;
use crate::rules::Context;

/// Where a value in a handler comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The query string: `req.GET`, `req.params`.
    Query,
    /// Request headers: `req.headers`, `req.environ['HTTP_X']`.
    Header,
    /// The parsed request body: `body`, `req.json`.
    Body,
    /// A parameter the router fills from the URL path.
    Path,
    /// The unread input stream: `req.body_file`, `environ['wsgi.input']`.
    Stream,
}

impl Origin {
    /// How a message says `key` is missing: "the query string has no 'zone'".
    pub fn lacks(self, key: &str) -> String {
        match self {
            Origin::Header => format!("the request has no {key} header"),
            other => format!("{} has no {key}", other.describe()),
        }
    }

    /// How a message names the origin: "the query string".
    pub fn describe(self) -> &'static str {
        match self {
            Origin::Query => "the query string",
            Origin::Header => "a request header",
            Origin::Body => "the request body",
            Origin::Path => "the URL path",
            Origin::Stream => "the request stream",
        }
    }
}

/// Attributes of a WebOb request holding the query string.
const QUERY_ATTRS: &[&str] = &["GET", "POST", "params", "str_GET", "str_POST", "str_params"];
/// Attributes of a WebOb request holding the parsed or raw body.
const BODY_ATTRS: &[&str] = &["body", "json", "json_body", "text"];
/// Attributes of a WebOb request holding the input stream.
const STREAM_ATTRS: &[&str] = &["body_file", "body_file_raw", "body_file_seekable", "stream"];
/// Methods that return (part of) the container or string they are called on.
const PASS_THROUGH_METHODS: &[&str] = &[
    "copy", "get", "getall", "getone", "items", "keys", "lower", "mixed", "pop", "split", "strip", "upper", "values",
];
/// Builtins that return their argument's data in another shape.
const PASS_THROUGH_CALLS: &[&str] = &["dict", "float", "int", "list", "str", "tuple"];
/// Calls that parse a request body from its argument.
const BODY_PARSERS: &[&str] = &["json.loads", "jsonutils.loads"];
/// Substrings of a function name that say it validates its arguments.
const VALIDATOR_WORDS: &[&str] = &[
    "check",
    "is_int_like",
    "is_uuid_like",
    "isdecimal",
    "isdigit",
    "isnumeric",
    "prepare_request_body",
    "schema",
    "valid",
];

/// The state of a walk over one handler.
pub struct Scan<'a, 'c> {
    pub cx: &'c Context<'a>,
    pub handler: &'c Handler<'a>,
    locals: HashMap<&'a str, Origin>,
    /// For each enclosing `try` body, the exception names its handlers catch
    /// (last segments; `*` for a bare `except`).
    caught: Vec<Vec<String>>,
    /// Every `key in container` test in the handler: the container's source
    /// text and the key when it is a string literal (`None`: any key).
    tested: HashSet<(&'a str, Option<String>)>,
    /// Source text of every value passed to a validating function.
    validated: HashSet<&'a str>,
    /// Source text of every operand of an ordered comparison (`n > MAX`).
    bounded: HashSet<&'a str>,
}

impl<'a> Scan<'a, '_> {
    /// Where `expr` comes from, if from the request.
    pub fn origin(&self, expr: &Expr) -> Option<Origin> {
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                if Some(id) == self.handler.body {
                    Some(Origin::Body)
                } else if self.handler.path_params.contains(&id) {
                    Some(Origin::Path)
                } else {
                    self.locals.get(id).copied()
                }
            }
            Expr::Attribute(attr) if self.is_request(&attr.value) => {
                let name = attr.attr.as_str();
                if QUERY_ATTRS.contains(&name) {
                    Some(Origin::Query)
                } else if name == "headers" {
                    Some(Origin::Header)
                } else if BODY_ATTRS.contains(&name) {
                    Some(Origin::Body)
                } else if STREAM_ATTRS.contains(&name) {
                    Some(Origin::Stream)
                } else {
                    None
                }
            }
            Expr::Subscript(sub) => {
                if self.is_environ(&sub.value) {
                    return environ_origin(str_value(&sub.slice).as_deref());
                }
                self.origin(&sub.value)
            }
            Expr::Call(call) => {
                if let Expr::Attribute(attr) = &*call.func {
                    let method = attr.attr.as_str();
                    if self.is_environ(&attr.value) && method == "get" {
                        return environ_origin(call.arguments.args.first().and_then(str_value).as_deref());
                    }
                    if PASS_THROUGH_METHODS.contains(&method) {
                        return self.origin(&attr.value);
                    }
                }
                let name = self.cx.qualified_name(&call.func).unwrap_or_default();
                if name.ends_with("_get_request_body") || name.ends_with("from_json") {
                    return Some(Origin::Body);
                }
                let first = call.arguments.args.first()?;
                if BODY_PARSERS.iter().any(|p| name.ends_with(p)) {
                    // Parsing the raw stream gives the body.
                    return self
                        .origin(first)
                        .map(|o| if o == Origin::Stream { Origin::Body } else { o });
                }
                if PASS_THROUGH_CALLS.contains(&name.as_str()) {
                    return self.origin(first).filter(|o| *o != Origin::Stream);
                }
                None
            }
            Expr::If(ifexp) => self.origin(&ifexp.body).or_else(|| self.origin(&ifexp.orelse)),
            Expr::BoolOp(op) => op.values.iter().find_map(|v| self.origin(v)),
            _ => None,
        }
    }

    /// True for the handler's request parameter.
    pub fn is_request(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(n) if n.id.as_str() == self.handler.request)
    }

    /// True for `req.environ` (or a local alias of it is not tracked).
    fn is_environ(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Attribute(a) if a.attr.as_str() == "environ" && self.is_request(&a.value))
    }

    /// True when an enclosing `try` (inside this handler) catches one of
    /// `names` (last segments), `Exception`, `BaseException` or everything.
    pub fn catches(&self, names: &[&str]) -> bool {
        self.caught
            .iter()
            .flatten()
            .any(|c| c == "*" || c == "Exception" || c == "BaseException" || names.contains(&c.as_str()))
    }

    /// True when the handler tests `key in container` or
    /// `if container.get(key)` anywhere (or tests a key it computes, which
    /// may be this one). Keys compare without case: header names are
    /// case-insensitive, and a body with two keys differing only in case is
    /// not worth a finding.
    pub fn is_membership_tested(&self, container: &Expr, key: &Expr) -> bool {
        let text = self.cx.source(container);
        let key = str_value(key).map(|k| k.to_lowercase());
        self.tested.contains(&(text, None)) || (key.is_some() && self.tested.contains(&(text, key)))
    }

    /// True when `expr` (by its source text) or the value it reads from is
    /// handed to a validating function anywhere in the handler.
    pub fn is_validated(&self, expr: &Expr) -> bool {
        let mut current = expr;
        loop {
            // Passing the whole request to a checker (`self._check(req)`)
            // says nothing about one of its values.
            if self.is_request(current) {
                return false;
            }
            if self.validated.contains(self.cx.source(current)) {
                return true;
            }
            current = match current {
                Expr::Subscript(sub) => &sub.value,
                Expr::Attribute(attr) => &attr.value,
                Expr::Call(call) => match &*call.func {
                    Expr::Attribute(attr) => &attr.value,
                    _ => match call.arguments.args.first() {
                        Some(arg) => arg,
                        None => return false,
                    },
                },
                _ => return false,
            };
        }
    }
}

impl Scan<'_, '_> {
    /// True when `expr`, or the value it converts (`int(x)` for `x`), is
    /// compared with `<`, `<=`, `>` or `>=` somewhere in the handler.
    pub fn is_bounded(&self, expr: &Expr) -> bool {
        let mut current = expr;
        loop {
            if self.bounded.contains(self.cx.source(current)) {
                return true;
            }
            current = match current {
                Expr::Call(call) if call.arguments.args.len() == 1 => &call.arguments.args[0],
                _ => return false,
            };
        }
    }
}

/// Records, as validated, the source text of every subscript and call made
/// inside a `try` whose handlers catch lookup or conversion errors: the
/// classic check `try: int(body['x']['size']) except (KeyError, ValueError):
/// raise HTTPBadRequest` validates the same expression used again below.
fn collect_tried<'a>(body: &'a [Stmt], text: &'a str, validated: &mut HashSet<&'a str>) {
    const CHECKING: &[&str] = &[
        "*",
        "BaseException",
        "Exception",
        "KeyError",
        "LookupError",
        "TypeError",
        "ValueError",
    ];
    let mut stack: Vec<&'a [Stmt]> = vec![body];
    while let Some(stmts) = stack.pop() {
        for stmt in stmts {
            match stmt {
                Stmt::Try(t) => {
                    let checks = t
                        .handlers
                        .iter()
                        .flat_map(caught_names)
                        .any(|n| CHECKING.contains(&n.as_str()));
                    if checks {
                        any_over_body(&t.body, |e| {
                            if matches!(e, Expr::Subscript(_) | Expr::Call(_)) {
                                validated.insert(&text[e.range()]);
                            }
                            false
                        });
                    }
                    stack.push(&t.body);
                    for h in &t.handlers {
                        let ExceptHandler::ExceptHandler(h) = h;
                        stack.push(&h.body);
                    }
                    stack.push(&t.orelse);
                    stack.push(&t.finalbody);
                }
                Stmt::If(s) => {
                    stack.push(&s.body);
                    for clause in &s.elif_else_clauses {
                        stack.push(&clause.body);
                    }
                }
                Stmt::For(s) => stack.push(&s.body),
                Stmt::While(s) => stack.push(&s.body),
                Stmt::With(s) => stack.push(&s.body),
                _ => {}
            }
        }
    }
}

/// Records `container.get('key')` calls anywhere in the handler (the author
/// expects the key may be missing and, by the same leniency as `in` tests,
/// is taken to check it), and `container.keys()` calls (a check of the key
/// set, such as `set(required) - set(body.keys())`) as a test of every key.
fn collect_get_tests<'a>(body: &'a [Stmt], text: &'a str, tested: &mut HashSet<(&'a str, Option<String>)>) {
    any_over_body(body, |e| {
        if let Expr::Call(call) = e
            && let Expr::Attribute(attr) = &*call.func
        {
            let container = &text[attr.value.range()];
            match attr.attr.as_str() {
                "get" => {
                    if let Some(key) = call.arguments.args.first().and_then(str_value) {
                        tested.insert((container, Some(key.to_lowercase())));
                    }
                }
                "keys" => {
                    tested.insert((container, None));
                }
                _ => {}
            }
        }
        false
    });
}

/// The origin of `environ[key]`: only the CGI variables a client controls.
fn environ_origin(key: Option<&str>) -> Option<Origin> {
    match key? {
        k if k.starts_with("HTTP_") || k == "CONTENT_TYPE" || k == "CONTENT_LENGTH" => Some(Origin::Header),
        "QUERY_STRING" => Some(Origin::Query),
        "wsgi.input" => Some(Origin::Stream),
        _ => None,
    }
}

/// Walks `handler`'s body, calling `on_expr` on every expression in source
/// order with the scan's state as it stands there.
pub fn scan<'a>(cx: &Context<'a>, handler: &Handler<'a>, on_expr: impl FnMut(&Scan<'a, '_>, &'a Expr)) {
    let mut walk = Walk {
        scan: Scan {
            cx,
            handler,
            locals: HashMap::new(),
            caught: Vec::new(),
            tested: HashSet::new(),
            validated: HashSet::new(),
            bounded: HashSet::new(),
        },
        on_expr,
    };
    walk.scan.collect_guards(&handler.def.body);
    walk.visit_body(&handler.def.body);
}

impl<'a> Scan<'a, '_> {
    /// Records, before the walk, the containers tested with `in` and the
    /// values passed to validators anywhere in the handler: a check placed
    /// after a use in the source usually still runs first (an early return,
    /// a loop), and a rule that reports a guarded use loses the reviewer.
    fn collect_guards(&mut self, body: &'a [Stmt]) {
        let text = self.cx.text;
        let mut tested = HashSet::new();
        let mut validated = HashSet::new();
        let mut bounded = HashSet::new();
        any_over_body(body, |expr| {
            match expr {
                Expr::Compare(cmp) => {
                    let mut left = &*cmp.left;
                    for (op, right) in cmp.ops.iter().zip(cmp.comparators.iter()) {
                        if matches!(op, CmpOp::In | CmpOp::NotIn) {
                            let key = str_value(left).map(|k| k.to_lowercase());
                            tested.insert((&text[right.range()], key));
                        }
                        if matches!(op, CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE) {
                            bounded.insert(&text[left.range()]);
                            bounded.insert(&text[right.range()]);
                        }
                        left = right;
                    }
                }
                Expr::Call(call) => {
                    let callee = &text[call.func.range()];
                    let callee_short = last_segment(callee);
                    if VALIDATOR_WORDS
                        .iter()
                        .any(|w| callee_short.to_ascii_lowercase().contains(w))
                    {
                        for arg in call.arguments.args.iter() {
                            validated.insert(&text[arg.range()]);
                        }
                        for kw in call.arguments.keywords.iter() {
                            validated.insert(&text[kw.value.range()]);
                        }
                        // `value.isdigit()` validates `value`.
                        if let Expr::Attribute(attr) = &*call.func {
                            validated.insert(&text[attr.value.range()]);
                        }
                    }
                }
                _ => {}
            }
            false
        });
        collect_get_tests(body, text, &mut tested);
        collect_tried(body, text, &mut validated);
        self.tested = tested;
        self.validated = validated;
        self.bounded = bounded;
    }

    fn bind(&mut self, target: &'a Expr, origin: Option<Origin>) {
        match target {
            Expr::Name(name) => match origin {
                Some(o) => {
                    self.locals.insert(name.id.as_str(), o);
                }
                None => {
                    self.locals.remove(name.id.as_str());
                }
            },
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.bind(e, origin)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.bind(e, origin)),
            _ => {}
        }
    }
}

struct Walk<'a, 'c, F> {
    scan: Scan<'a, 'c>,
    on_expr: F,
}

impl<'a, F: FnMut(&Scan<'a, '_>, &'a Expr)> Visitor<'a> for Walk<'a, '_, F> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // Nested functions and classes get their own hook call.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                let origin = self.scan.origin(&assign.value);
                for target in &assign.targets {
                    self.scan.bind(target, origin);
                    if !matches!(target, Expr::Name(_)) {
                        self.visit_expr(target);
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                    let origin = self.scan.origin(value);
                    self.scan.bind(&assign.target, origin);
                }
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.iter);
                let origin = self.scan.origin(&for_stmt.iter);
                self.scan.bind(&for_stmt.target, origin);
                self.visit_body(&for_stmt.body);
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(vars) = &item.optional_vars {
                        let origin = self.scan.origin(&item.context_expr);
                        self.scan.bind(vars, origin);
                    }
                }
                self.visit_body(&with.body);
            }
            Stmt::Try(try_stmt) => {
                let names = try_stmt.handlers.iter().flat_map(caught_names).collect();
                self.scan.caught.push(names);
                self.visit_body(&try_stmt.body);
                self.scan.caught.pop();
                for handler in &try_stmt.handlers {
                    let ExceptHandler::ExceptHandler(h) = handler;
                    if let Some(t) = &h.type_ {
                        self.visit_expr(t);
                    }
                    self.visit_body(&h.body);
                }
                self.visit_body(&try_stmt.orelse);
                self.visit_body(&try_stmt.finalbody);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        (self.on_expr)(&self.scan, expr);
        visitor::walk_expr(self, expr);
    }
}

/// The last segments of the exception names an `except` clause catches;
/// `*` for a bare `except:`.
pub fn caught_names(handler: &ExceptHandler) -> Vec<String> {
    let ExceptHandler::ExceptHandler(h) = handler;
    let Some(type_) = &h.type_ else {
        return vec!["*".to_string()];
    };
    let last = |e: &Expr| crate::python::names::dotted(e).map(|d| last_segment(&d).to_string());
    match &**type_ {
        Expr::Tuple(t) => t.elts.iter().filter_map(last).collect(),
        other => last(other).into_iter().collect(),
    }
}
