//! R303 network-call-without-timeout: stdlib network clients,
//! `requests.request` and `requests.Session` calls with no timeout (the
//! `requests.get`-style functions are S113's).

use ruff_python_ast::{Expr, Stmt, StmtClassDef};
use ruff_text_size::Ranged;

use ruff_python_ast::helpers::any_over_body;

use super::bindings::find_bindings;
use crate::python::literal::str_value;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R303",
    name: "network-call-without-timeout",
    bandit: None,
    bandit_name: None,
    family: Family::DenialOfService,
    cwe: 1088,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags network calls made with no timeout (or `timeout=None`): `urllib.request.urlopen`, \
               `http.client.HTTPConnection`/`HTTPSConnection`, `socket.create_connection`, `ftplib`, \
               `smtplib`, `telnetlib`, `requests.request`, and the HTTP methods of a `requests.Session` bound \
               in the same function or to an attribute of the same class. (`requests.get` and friends are \
               S113.)",
        why: "Without a timeout a call waits as long as the peer keeps the connection open. A backend \
              array, metadata server or URL that stops answering (or that an attacker controls and \
              slow-drips) parks the calling greenthread or worker forever; enough of them and the service \
              stops handling requests, periodic tasks stall, and locks held around the call are never \
              released.",
        example: "self.session = requests.Session()\n...\nresp = self.session.post(url, json=payload, verify=self.verify)",
        use_instead: "resp = self.session.post(url, json=payload, verify=self.verify,\n                         timeout=self.configuration.rest_api_timeout)",
        fix: "Pass an explicit `timeout=` (a configured number of seconds, or a `(connect, read)` tuple).",
        references: &[
            "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",
            "https://docs.python.org/3/library/socket.html#socket.getdefaulttimeout",
        ],
    },
};

/// Network calls and the position of their `timeout` argument (`None` when
/// it can only be given by keyword).
const CLIENTS: &[(&str, Option<usize>)] = &[
    ("ftplib.FTP", Some(4)),
    ("ftplib.FTP_TLS", None),
    ("http.client.HTTPConnection", Some(2)),
    ("http.client.HTTPSConnection", Some(2)),
    ("httplib.HTTPConnection", Some(3)),
    ("httplib.HTTPSConnection", Some(5)),
    ("imaplib.IMAP4", Some(2)),
    ("imaplib.IMAP4_SSL", None),
    ("poplib.POP3", Some(2)),
    ("requests.request", None),
    ("six.moves.http_client.HTTPConnection", Some(2)),
    ("six.moves.http_client.HTTPSConnection", Some(2)),
    ("six.moves.urllib.request.urlopen", Some(2)),
    ("smtplib.SMTP", Some(3)),
    ("smtplib.SMTP_SSL", None),
    ("socket.create_connection", Some(1)),
    ("telnetlib.Telnet", Some(2)),
    ("urllib.request.urlopen", Some(2)),
    ("urllib2.urlopen", Some(2)),
];

/// `requests.Session` methods that send a request.
const SESSION_METHODS: &[&str] = &["delete", "get", "head", "options", "patch", "post", "put", "request"];

/// The constructors of a `requests` session.
const SESSIONS: &[&str] = &["requests.Session", "requests.session", "requests.sessions.Session"];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if let Some((name, position)) = CLIENTS.iter().find(|(name, _)| *name == site.qualname) {
        let positional = position.and_then(|p| site.arg(p));
        // `socket.setdefaulttimeout(30)` earlier in the function bounds the
        // sockets the standard library's clients open after it.
        if !name.starts_with("requests.") && default_timeout_set_before(cx, site) {
            return;
        }
        report(cx, site, positional, None, out);
        return;
    }
    let Expr::Attribute(attr) = &*site.call.func else {
        return;
    };
    if !SESSION_METHODS.contains(&attr.attr.as_str()) {
        return;
    }
    let Some(bound) = session_binding(cx, &attr.value) else {
        return;
    };
    report(cx, site, None, Some(bound), out);
}

fn report(
    cx: &Context,
    site: &CallSite,
    positional: Option<&Expr>,
    session: Option<&ruff_python_ast::Stmt>,
    out: &mut Vec<Diagnostic>,
) {
    let callee = cx.snippet(&*site.call.func);
    let keyword = site.keyword("timeout");
    let message = match (positional, keyword) {
        (Some(Expr::NoneLiteral(_)), _) | (_, Some(Expr::NoneLiteral(_))) => {
            format!("`{callee}` is given `timeout=None`, so it can wait forever")
        }
        (None, None) => {
            // A `**kwargs` may carry the timeout: stay quiet unless it is a
            // dict built in this function without one.
            let unpacked: Vec<&Expr> = site
                .call
                .arguments
                .keywords
                .iter()
                .filter(|k| k.arg.is_none())
                .map(|k| &k.value)
                .collect();
            if !unpacked.iter().all(|d| is_local_dict_without_timeout(cx, d)) {
                return;
            }
            format!("`{callee}` has no timeout, so it can wait forever")
        }
        _ => return,
    };
    let mut diag = Diagnostic::new(&RULE, site.call.range(), message).fix(format!(
        "Pass `timeout=` to `{callee}` (a configured number of seconds)."
    ));
    if let Some(stmt) = session {
        diag = diag
            .detail("A `requests.Session` has no default timeout: each call must pass its own.")
            .step(stmt.range(), "the `requests.Session` is created here")
            .step(
                site.call.range(),
                format!("and `{callee}` sends a request without a timeout"),
            );
    }
    out.push(diag);
}

/// Whether the enclosing function sets a default socket timeout (not
/// `None`) before this call.
fn default_timeout_set_before(cx: &Context, site: &CallSite) -> bool {
    let Some(function) = cx.enclosing_function() else {
        return false;
    };
    any_over_body(&function.body, |e| {
        let Expr::Call(call) = e else { return false };
        call.start() < site.call.start()
            && cx
                .qualified_name(&call.func)
                .is_some_and(|n| n == "socket.setdefaulttimeout")
            && call.arguments.args.first().is_some_and(|a| !a.is_none_literal_expr())
    })
}

/// The statement binding the receiver of a call to a `requests.Session`:
/// `requests.Session().get(...)` itself, a local (`s = requests.Session()`,
/// `with requests.Session() as s`) or an attribute of this class
/// (`self.session = requests.Session()` in any method).
fn session_binding<'a>(cx: &Context<'a>, receiver: &'a Expr) -> Option<&'a Stmt> {
    match receiver {
        Expr::Call(_) if is_session(cx, receiver) => cx.current_stmt(),
        Expr::Name(name) => {
            let function = cx.enclosing_function()?;
            let mut found = None;
            find_bindings(
                &function.body,
                name.id.as_str(),
                receiver.start(),
                &mut |stmt, value| {
                    found = is_session(cx, value).then_some(stmt);
                },
            );
            found
        }
        Expr::Attribute(attr) if matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == "self") => {
            // Cheap filter before walking the class: most `self.x.get()` are
            // dict lookups in modules that never create a session.
            if !cx.module_words().has("ession(") {
                return None;
            }
            let class = cx.stmts.iter().rev().find_map(|s| match s {
                Stmt::ClassDef(c) => Some(c),
                _ => None,
            })?;
            self_attribute_session(cx, class, attr.attr.as_str())
        }
        _ => None,
    }
}

fn self_attribute_session<'a>(cx: &Context<'a>, class: &'a StmtClassDef, attr: &str) -> Option<&'a Stmt> {
    let mut found = None;
    for stmt in &class.body {
        let Stmt::FunctionDef(method) = stmt else { continue };
        walk_assignments(&method.body, &mut |stmt, target, value| {
            if found.is_none()
                && matches!(target, Expr::Attribute(a) if a.attr.as_str() == attr
                    && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self"))
                && (is_session(cx, value) || is_session_factory_call(cx, class, value))
            {
                found = Some(stmt);
            }
        });
    }
    found
}

/// `self._establish_session()` where that method of the class creates a
/// `requests` session (and, by its role, returns it).
fn is_session_factory_call(cx: &Context, class: &StmtClassDef, value: &Expr) -> bool {
    let Expr::Call(call) = value else { return false };
    let Expr::Attribute(a) = &*call.func else { return false };
    if !matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self") {
        return false;
    }
    class.body.iter().any(|stmt| match stmt {
        Stmt::FunctionDef(f) if f.name.as_str() == a.attr.as_str() => any_over_body(&f.body, |e| is_session(cx, e)),
        _ => false,
    })
}

/// A `**name` whose `name` is a dict display (or `dict(...)` call) bound in
/// this function, with no `'timeout'` key and never updated or indexed
/// for writing afterwards.
fn is_local_dict_without_timeout(cx: &Context, expr: &Expr) -> bool {
    let Expr::Name(name) = expr else { return false };
    let Some(function) = cx.enclosing_function() else {
        return false;
    };
    let mut bound: Option<&Expr> = None;
    find_bindings(&function.body, name.id.as_str(), expr.start(), &mut |_, value| {
        bound = Some(value)
    });
    let has_timeout_key = |e: &Expr| match e {
        Expr::Dict(d) => d
            .items
            .iter()
            .any(|i| i.key.is_none() || i.key.as_ref().and_then(str_value).is_some_and(|k| k == "timeout")),
        Expr::Call(c) => c
            .arguments
            .keywords
            .iter()
            .any(|k| k.arg.as_ref().is_none_or(|a| a.as_str() == "timeout")),
        _ => true,
    };
    match bound {
        Some(value @ Expr::Dict(_)) if !has_timeout_key(value) => {}
        Some(value @ Expr::Call(c))
            if cx.qualified_name(&c.func).as_deref() == Some("dict") && !has_timeout_key(value) => {}
        _ => return false,
    }
    // `named['timeout'] = ...`, `named[key] = ...` or `named.update(...)`
    // anywhere: unknown.
    let id = name.id.as_str();
    let written = any_over_body(&function.body, |e| match e {
        Expr::Subscript(sub) => {
            matches!(&*sub.value, Expr::Name(n) if n.id.as_str() == id)
                && sub.ctx.is_store()
                && str_value(&sub.slice).is_none_or(|k| k == "timeout")
        }
        Expr::Call(c) => matches!(&*c.func, Expr::Attribute(a) if a.attr.as_str() == "update"
            && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == id)),
        _ => false,
    });
    !written
}

/// Every `target = value` in a body, entering compound statements.
fn walk_assignments<'a>(body: &'a [Stmt], f: &mut dyn FnMut(&'a Stmt, &'a Expr, &'a Expr)) {
    for stmt in body {
        match stmt {
            Stmt::Assign(a) => a.targets.iter().for_each(|t| f(stmt, t, &a.value)),
            Stmt::If(s) => {
                walk_assignments(&s.body, f);
                for clause in &s.elif_else_clauses {
                    walk_assignments(&clause.body, f);
                }
            }
            Stmt::With(s) => walk_assignments(&s.body, f),
            Stmt::For(s) => walk_assignments(&s.body, f),
            Stmt::While(s) => walk_assignments(&s.body, f),
            Stmt::Try(s) => {
                walk_assignments(&s.body, f);
                for h in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                    walk_assignments(&h.body, f);
                }
                walk_assignments(&s.orelse, f);
                walk_assignments(&s.finalbody, f);
            }
            _ => {}
        }
    }
}

fn is_session(cx: &Context, expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    cx.qualified_name(&call.func)
        .is_some_and(|q| SESSIONS.contains(&q.as_str()))
}
