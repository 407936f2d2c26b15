//! Finding the resources a function acquires and asking [`super::release`]
//! whether each is released on every path; shared by the five leak rules.
//!
//! An acquisition is a plain assignment of an acquiring call (see
//! [`super::resources`]) to a local name or a tuple of names, or, for a
//! temporary file made with `delete=False`, a `with` statement binding it.
//! `with open(...) as f:` acquires nothing: the `with` releases it. A name
//! declared `global` or `nonlocal` is not followed.

use crate::python::names::last_segment;
use std::collections::HashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::release::{CallKind, Classify, Leak, LeakKind, Resource, first_leak};
use super::resources::{
    CLOSES_DESCRIPTOR, CLOSES_RESPONSE, CONSUMING_READS, Kind, MOVES_PATH, OWNS_DESCRIPTOR, Part, REMOVES_PATH,
    RESPONSE_METHODS, USES_DESCRIPTOR, USES_FILE_OBJECT, acquired_by, releasing_methods,
};
use crate::python::literal::{is_falsy_constant, str_value};
use crate::rules::{Context, Diagnostic, Rule};

/// A resource not released on some path.
pub struct Unreleased<'a> {
    /// The acquiring call.
    pub call: &'a ExprCall,
    /// How the code names the resource (`fd`, `tmp.name`).
    pub name: String,
    pub leak: Leak,
}

/// The resources of `kind` that `body` acquires and does not release on
/// every path.
pub fn unreleased<'a>(cx: &Context<'a>, body: &'a [Stmt], kind: Kind) -> Vec<Unreleased<'a>> {
    let mut finder = Finder {
        cx,
        kind,
        found: Vec::new(),
        nonlocal: HashSet::new(),
    };
    finder.visit_body(body);
    let nonlocal = std::mem::take(&mut finder.nonlocal);
    let mut out = Vec::new();
    for mut site in finder.found {
        if site
            .keys
            .iter()
            .any(|k| nonlocal.contains(k.split('.').next().unwrap_or("")))
        {
            continue;
        }
        if is_lazy(cx, site.call) {
            // Nothing is open until the first `connect()`/`request()`.
            match first_connect(cx, body, &site) {
                Some(stmt) => site.stmt = stmt,
                None => continue,
            }
        }
        let api = Api { cx, kind };
        let resource = Resource {
            acquire: site.stmt,
            keys: site.keys.clone(),
        };
        if let Some(leak) = first_leak(cx.text, body, resource, &api) {
            out.push(Unreleased {
                call: site.call,
                name: site.keys[0].clone(),
                leak,
            });
        }
    }
    out
}

/// Connections that open nothing until they are told to connect.
const LAZY: &[&str] = &[
    "http.client.HTTPConnection",
    "http.client.HTTPSConnection",
    "paramiko.SSHClient",
    "paramiko.Transport",
    "six.moves.http_client.HTTPConnection",
    "six.moves.http_client.HTTPSConnection",
];

/// The methods that make a lazy connection open a socket.
const CONNECTS: &[&str] = &["connect", "putrequest", "request", "start_client"];

fn is_lazy(cx: &Context, call: &ExprCall) -> bool {
    cx.qualified_name(&call.func)
        .is_some_and(|n| LAZY.contains(&n.as_str()))
}

/// The first simple statement after the acquisition that calls a
/// connecting method on the resource.
fn first_connect<'a>(cx: &Context, body: &'a [Stmt], site: &Site<'a>) -> Option<&'a Stmt> {
    struct Connect<'a, 'c, 'x> {
        cx: &'c Context<'x>,
        key: &'c str,
        after: ruff_text_size::TextSize,
        found: Option<&'a Stmt>,
    }
    impl<'a> Visitor<'a> for Connect<'a, '_, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.found.is_some() {
                return;
            }
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Expr(_) | Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::AugAssign(_) | Stmt::Return(_)
                    if stmt.start() >= self.after =>
                {
                    let key = self.key;
                    let cx = self.cx;
                    let connects =
                        crate::rules::races::expr_search::any_in_body(std::slice::from_ref(stmt), |e: &Expr| {
                            matches!(e, Expr::Call(c) if matches!(&*c.func, Expr::Attribute(a)
                            if CONNECTS.contains(&a.attr.as_str()) && cx.source(&*a.value) == key))
                        });
                    if connects {
                        self.found = Some(stmt);
                    }
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Connect {
        cx,
        key: &site.keys[0],
        after: site.stmt.end(),
        found: None,
    };
    finder.visit_body(body);
    finder.found
}

struct Site<'a> {
    stmt: &'a Stmt,
    call: &'a ExprCall,
    keys: Vec<String>,
}

struct Finder<'a, 'c> {
    cx: &'c Context<'a>,
    kind: Kind,
    found: Vec<Site<'a>>,
    nonlocal: HashSet<String>,
}

impl<'a> Finder<'a, '_> {
    fn assignment(&mut self, stmt: &'a Stmt, target: &'a Expr, value: &'a Expr) {
        let Expr::Call(call) = value else { return };
        // `resp = req.get_response(self.app)`: a response and its body
        // iterator (`resp.app_iter`), whatever the request object is.
        if self.kind == Kind::Response {
            if let (Expr::Attribute(a), Expr::Name(n)) = (&*call.func, target)
                && RESPONSE_METHODS.contains(&a.attr.as_str())
            {
                self.found.push(Site {
                    stmt,
                    call,
                    keys: vec![n.id.to_string(), format!("{}.app_iter", n.id)],
                });
            }
            return;
        }
        let Some(name) = self.cx.qualified_name(&call.func) else {
            return;
        };
        // `tarfile.open(fileobj=stream)` wraps a stream it does not own:
        // nothing is opened.
        if call
            .arguments
            .keywords
            .iter()
            .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "fileobj"))
        {
            return;
        }
        let temp_file = name == "tempfile.NamedTemporaryFile";
        for &(kind, part) in acquired_by(&name) {
            if kind != self.kind {
                continue;
            }
            let bound = match (part, target) {
                (Part::Whole, Expr::Name(n)) => Some(n.id.to_string()),
                (Part::Item(i), Expr::Tuple(t)) => match t.elts.get(i) {
                    Some(Expr::Name(n)) if n.id.as_str() != "_" => Some(n.id.to_string()),
                    _ => None,
                },
                _ => None,
            };
            if let Some(key) = bound {
                self.found.push(Site {
                    stmt,
                    call,
                    keys: vec![key],
                });
            }
        }
        // `tmp = NamedTemporaryFile(delete=False)`: the file on disk is a
        // temporary path named `tmp.name`.
        if temp_file
            && self.kind == Kind::TempPath
            && keeps_file(call)
            && let Expr::Name(n) = target
        {
            self.found.push(Site {
                stmt,
                call,
                keys: vec![format!("{}.name", n.id)],
            });
        }
    }
}

/// `delete=False` (or the `delete_on_close`-less equivalent).
fn keeps_file(call: &ExprCall) -> bool {
    call.arguments
        .keywords
        .iter()
        .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "delete") && is_falsy_constant(&k.value))
}

impl<'a> Visitor<'a> for Finder<'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::Global(g) => self.nonlocal.extend(g.names.iter().map(|n| n.to_string())),
            Stmt::Nonlocal(g) => self.nonlocal.extend(g.names.iter().map(|n| n.to_string())),
            Stmt::Assign(assign) if assign.targets.len() == 1 => {
                self.assignment(stmt, &assign.targets[0], &assign.value);
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.assignment(stmt, &assign.target, value);
                }
            }
            Stmt::With(with) if self.kind == Kind::TempPath => {
                for item in &with.items {
                    let (Expr::Call(call), Some(var)) = (&item.context_expr, &item.optional_vars) else {
                        continue;
                    };
                    let Expr::Name(n) = &**var else { continue };
                    if self.cx.qualified_name(&call.func).as_deref() == Some("tempfile.NamedTemporaryFile")
                        && keeps_file(call)
                    {
                        self.found.push(Site {
                            stmt,
                            call,
                            keys: vec![format!("{}.name", n.id)],
                        });
                    }
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if !matches!(expr, Expr::Lambda(_)) {
            visitor::walk_expr(self, expr);
        }
    }
}

/// What calls do to one resource of one kind.
struct Api<'c, 'a> {
    cx: &'c Context<'a>,
    kind: Kind,
}

/// One call, seen with the resource's current names.
struct Seen<'x, 'c, 'a> {
    cx: &'c Context<'a>,
    keys: &'x [String],
}

impl Seen<'_, '_, '_> {
    fn is_key(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Name(_) | Expr::Attribute(_) => {
                let text: String = self.cx.source(expr).chars().filter(|c| !c.is_whitespace()).collect();
                self.keys.contains(&text)
            }
            _ => false,
        }
    }

    /// Whether the resource is among the call's arguments (positional,
    /// keyword, or an item of a list or tuple argument).
    fn passed(&self, call: &ExprCall) -> bool {
        call.arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|k| &k.value))
            .any(|a| match a {
                Expr::List(l) => l.elts.iter().any(|e| self.is_key(e)),
                Expr::Tuple(t) => t.elts.iter().any(|e| self.is_key(e)),
                other => self.is_key(other),
            })
    }

    fn first_arg_is_key(&self, call: &ExprCall) -> bool {
        call.arguments.args.first().is_some_and(|a| self.is_key(a))
    }
}

impl Classify for Api<'_, '_> {
    fn read(&self, attr: &str) -> CallKind {
        if self.kind == Kind::Response && CONSUMING_READS.contains(&attr) {
            CallKind::Release
        } else {
            CallKind::Harmless
        }
    }

    fn call(&self, call: &ExprCall, keys: &[String]) -> CallKind {
        let seen = Seen { cx: self.cx, keys };
        let qualname = self.cx.qualified_name(&call.func).unwrap_or_default();
        if self.kind == Kind::Response {
            return response_call(&seen, call, &qualname);
        }
        // A method of the resource itself: `f.close()`, `proc.wait()`.
        if let Expr::Attribute(attr) = &*call.func
            && seen.is_key(&attr.value)
        {
            return if releasing_methods(self.kind).contains(&attr.attr.as_str()) {
                CallKind::Release
            } else {
                CallKind::MayRaise
            };
        }
        // Logging the resource does not use it.
        if is_logging(&qualname) {
            return CallKind::Harmless;
        }
        if seen.passed(call) {
            return self.given(&seen, call, &qualname);
        }
        if is_harmless(call, &qualname) {
            CallKind::Harmless
        } else {
            CallKind::MayRaise
        }
    }
}

impl Api<'_, '_> {
    /// What a call given the resource as an argument does with it.
    fn given(&self, seen: &Seen, call: &ExprCall, qualname: &str) -> CallKind {
        let last = last_segment(qualname);
        if matches!(
            last,
            "addCleanup" | "add_cleanup" | "callback" | "enter_context" | "register" | "append" | "add" | "put"
        ) {
            return CallKind::Escape;
        }
        match self.kind {
            Kind::Descriptor => {
                if CLOSES_DESCRIPTOR.contains(&qualname) {
                    CallKind::Release
                } else if OWNS_DESCRIPTOR.contains(&qualname) && seen.first_arg_is_key(call) {
                    CallKind::Escape
                } else if USES_DESCRIPTOR.iter().any(|p| qualname.starts_with(p)) {
                    CallKind::MayRaise
                } else {
                    CallKind::Escape
                }
            }
            Kind::TempPath => {
                let removes = REMOVES_PATH.contains(&qualname)
                    || qualname == "fileutils.delete_if_exists"
                    || ["delete", "remove", "unlink", "rmtree", "cleanup", "clean_up", "purge"]
                        .iter()
                        .any(|w| last.to_ascii_lowercase().contains(w));
                if removes || self.command_removes(call, qualname) {
                    CallKind::Release
                } else if (MOVES_PATH.contains(&qualname) || last.contains("rename") || last.contains("move"))
                    && seen.first_arg_is_key(call)
                {
                    CallKind::Escape
                } else if qualname.starts_with("os.path.") {
                    CallKind::Harmless
                } else {
                    CallKind::MayRaise
                }
            }
            // Readers and writers leave the file open; anything else given
            // it may keep it (`contextlib.closing` included).
            // `os.*` functions work on descriptors and never own a file
            // object (`os.close(f)` raises `TypeError` and closes nothing).
            Kind::FileObject if USES_FILE_OBJECT.contains(&qualname) || qualname.starts_with("os.") => {
                CallKind::MayRaise
            }
            Kind::FileObject | Kind::Process | Kind::Connection | Kind::Response => CallKind::Escape,
        }
    }

    /// `utils.execute('rm', '-rf', tmpdir)` and the like.
    fn command_removes(&self, call: &ExprCall, qualname: &str) -> bool {
        let last = last_segment(qualname);
        if !matches!(last, "execute" | "_execute" | "call" | "check_call" | "run" | "trycmd") {
            return false;
        }
        let first = call.arguments.args.first().and_then(|a| match a {
            Expr::List(l) => l.elts.first(),
            Expr::Tuple(t) => t.elts.first(),
            other => Some(other),
        });
        first.and_then(str_value).is_some_and(|s| s == "rm" || s == "rmdir")
    }
}

/// What a call does to a subrequest's response. Only leaving the function
/// without closing it is a finding (a `return`, a `raise`, the end): an
/// exception from another call is not followed (the caller's error handling
/// is not this function's to know), so calls never raise here.
fn response_call(seen: &Seen, call: &ExprCall, qualname: &str) -> CallKind {
    let last = last_segment(qualname);
    if let Expr::Attribute(attr) = &*call.func
        && seen.is_key(&attr.value)
    {
        return if releasing_methods(Kind::Response).contains(&attr.attr.as_str()) {
            CallKind::Release
        } else {
            CallKind::Harmless
        };
    }
    if seen.passed(call) {
        return if CLOSES_RESPONSE.contains(&last) {
            CallKind::Release
        } else if is_logging(qualname) {
            CallKind::Harmless
        } else {
            // Handed on: the callee (or the exception built from it) owns it.
            CallKind::Escape
        };
    }
    CallKind::Harmless
}

fn is_logging(qualname: &str) -> bool {
    matches!(
        qualname.split('.').next().unwrap_or(""),
        "LOG" | "LOGGER" | "log" | "logger" | "logging" | "_LOG"
    )
}

/// Library calls that cannot fail in practice.
const NEVER_RAISE: &[&str] = &[
    "os.getegid",
    "os.geteuid",
    "os.getgid",
    "os.getpid",
    "os.getppid",
    "os.getuid",
    "time.monotonic",
    "time.time",
];

/// Calls that raise nothing worth reporting: logging, translation markers,
/// pure builtins and `os.path` string functions.
fn is_harmless(call: &ExprCall, qualname: &str) -> bool {
    const BUILTINS: &[&str] = &[
        "bool",
        "dict",
        "enumerate",
        "getattr",
        "hasattr",
        "id",
        "isinstance",
        "len",
        "list",
        "max",
        "min",
        "range",
        "repr",
        "set",
        "sorted",
        "str",
        "super",
        "tuple",
        "type",
        "zip",
    ];
    let first = qualname.split('.').next().unwrap_or("");
    let last = last_segment(qualname);
    matches!(first, "LOG" | "LOGGER" | "log" | "logger" | "logging" | "_LOG")
        || BUILTINS.contains(&qualname)
        // Translation markers, wherever they are imported from.
        || matches!(last, "_" | "_LE" | "_LI" | "_LW" | "_LC")
        // Closing something else does not fail in a way worth a finding.
        || last == "close"
        || qualname.starts_with("os.path.")
        || NEVER_RAISE.contains(&qualname)
        || matches!(&*call.func, Expr::Attribute(a) if a.value.is_literal_expr())
}

/// The finding for an unreleased resource, at the acquiring call, with the
/// acquisition and the way out as its path. `released` says what releasing
/// means for the kind (`closed`, `removed`, `waited for`).
pub fn diagnostic(rule: &'static Rule, cx: &Context, u: &Unreleased, released: &str) -> Diagnostic {
    let call = cx.snippet(u.call);
    let name = &u.name;
    let line = cx.line_of(&u.leak.at);
    let at = cx.snippet(&u.leak.at);
    let from = cx.line_of(u.call);
    let releases = match released {
        "removed" => "removes",
        "waited for" => "waits for",
        _ => "closes",
    };
    let raised = at
        .strip_prefix("raise ")
        .map(|exc| exc.split('(').next().unwrap_or(exc).trim().to_string());
    let (message, note, detail) = match (u.leak.kind, u.leak.never_released) {
        (LeakKind::Raises, _) if raised.is_some() => {
            let exc = raised.unwrap_or_default();
            (
                format!("`{name}` from `{call}` is not {released} when line {line} raises `{exc}`"),
                format!("this `raise` leaves with `{name}` not {released}"),
                format!(
                    "Line {from} acquires `{name}`; the `raise` on line {line} leaves without it being {released}."
                ),
            )
        }
        (LeakKind::Raises, _) => (
            format!("`{name}` from `{call}` is not {released} if `{at}` on line {line} raises"),
            format!("`{at}` can raise here; no `finally` or handler {releases} `{name}` on that path"),
            format!("Line {from} acquires `{name}`; when `{at}` on line {line} raises, nothing leaves it {released}."),
        ),
        (_, true) => (
            format!("`{name}` from `{call}` is never {released}"),
            format!("the function can leave here with `{name}` not {released}"),
            format!("Line {from} acquires `{name}` and nothing in the function {releases} it."),
        ),
        (LeakKind::Returns, false) => (
            format!("`{name}` from `{call}` is not {released} on the path that returns on line {line}"),
            format!("this `return` leaves with `{name}` not {released}"),
            format!("Line {from} acquires `{name}`; the `return` on line {line} leaves without it being {released}."),
        ),
        (LeakKind::FallsOff, false) => (
            format!("`{name}` from `{call}` is not {released} on every path to the end of the function"),
            format!("the function can end after this statement with `{name}` not {released}"),
            format!("Line {from} acquires `{name}`; on some path to the end of the function nothing {releases} it."),
        ),
    };
    Diagnostic::new(rule, u.call.range(), message)
        .detail(detail)
        .step(u.call.range(), format!("`{name}` comes from `{call}`"))
        .step(step_range(u), note)
}

/// Where the leak step points: the raising call or the `return`; for the
/// end of the function, its last statement's first line.
fn step_range(u: &Unreleased) -> TextRange {
    u.leak.at
}
