//! R206 response-not-closed: a WSGI subrequest's response whose body
//! iterator is neither read nor closed on a way out of the function.

use ruff_python_ast::{Expr, ExprCall, Stmt};

use super::acquisitions::{diagnostic, unreleased};
use super::release::LeakKind;
use super::resources::Kind;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R206",
    name: "response-not-closed",
    bandit: None,
    bandit_name: None,
    family: Family::Leaks,
    cwe: 772,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a subrequest's response (`resp = req.get_response(self.app)`) that a `return`, a `raise` or \
               the end of the function leaves with its body neither read (`resp.body`) nor closed \
               (`close_if_possible(resp.app_iter)`, `drain_and_close(resp)`, `resp.app_iter.close()`), and \
               not handed to anyone (returned, passed on, stored). Exceptions from other calls are not \
               followed: only the function's own ways out.",
        why: "In a WSGI pipeline the response body is an iterator that holds the backend connection (an \
              object server's socket, a container listing being streamed) until it is exhausted or closed. \
              A middleware that looks at the status of a subrequest and returns or raises on an error path \
              without closing it leaves that connection open until the garbage collector happens to run: \
              under eventlet, clients that keep hitting the error path (a 404 on a delete marker, a failed \
              precondition) pile up open backend connections and descriptors on the proxy.",
        example: "resp = req.get_response(self.app)\nif resp.status_int == 404:\n    raise HTTPNotFound(request=req)\nreturn json.loads(resp.body)",
        use_instead: "resp = req.get_response(self.app)\nif resp.status_int == 404:\n    drain_and_close(resp)\n    raise HTTPNotFound(request=req)\nreturn json.loads(resp.body)",
        fix: "Close the response (`drain_and_close(resp)`, `close_if_possible(resp.app_iter)`) before leaving, or in a `finally:`.",
        references: &[
            "https://peps.python.org/pep-3333/#specification-details",
            "https://cwe.mitre.org/data/definitions/772.html",
        ],
    },
};

/// Request methods whose responses carry no body from a backend: nothing
/// streams, so nothing is held open.
const BODILESS: &[&str] = &["COPY", "DELETE", "HEAD", "OPTIONS", "POST", "PUT"];

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    for u in unreleased(cx, body, Kind::Response) {
        if u.leak.kind == LeakKind::Raises && !cx.source(&u.leak.at).starts_with("raise") {
            continue;
        }
        if bodiless(cx, body, u.call) {
            continue;
        }
        out.push(
            diagnostic(&RULE, cx, &u, "closed")
                .fix("Read the body or close it (`drain_and_close(resp)`, `close_if_possible(resp.app_iter)`) before this way out, or in a `finally:` block."),
        );
    }
}

/// Whether the subrequest is made with a method whose response has no body
/// to stream: given to `get_response` (`method='HEAD'`), or to the request
/// the function built (`Request.blank(path, environ={'REQUEST_METHOD':
/// 'PUT'})`, `make_subrequest(env, method='HEAD')`).
fn bodiless(cx: &Context, body: &[Stmt], call: &ExprCall) -> bool {
    let names_bodiless = |text: &str| {
        BODILESS
            .iter()
            .any(|m| text.contains(&format!("'{m}'")) || text.contains(&format!("\"{m}\"")))
    };
    if call
        .arguments
        .args
        .iter()
        .skip(1)
        .chain(
            call.arguments
                .keywords
                .iter()
                .filter(|k| k.arg.as_ref().is_some_and(|a| a == "method"))
                .map(|k| &k.value),
        )
        .any(|a| names_bodiless(cx.source(a)))
    {
        return true;
    }
    let Expr::Attribute(attr) = &*call.func else {
        return false;
    };
    let Expr::Name(request) = &*attr.value else {
        return names_bodiless(cx.source(&*attr.value));
    };
    let mut found = false;
    for stmt in body {
        visit_assignments(stmt, &mut |target, value| {
            if matches!(target, Expr::Name(n) if n.id == request.id) && names_bodiless(cx.source(value)) {
                found = true;
            }
        });
    }
    found
}

/// Every `name = value` assignment in a statement, nested blocks included.
fn visit_assignments<'a>(stmt: &'a Stmt, f: &mut dyn FnMut(&'a Expr, &'a Expr)) {
    use ruff_python_ast::visitor::{self, Visitor};
    struct V<'f, 'a>(&'f mut dyn FnMut(&'a Expr, &'a Expr));
    impl<'a> Visitor<'a> for V<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
                Stmt::Assign(a) => {
                    for t in &a.targets {
                        (self.0)(t, &a.value);
                    }
                }
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }
    }
    V(f).visit_stmt(stmt);
}
