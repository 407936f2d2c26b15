//! R108 event-wait-timeout-ignored: a wait with a timeout whose outcome is
//! thrown away, followed by code that carries on as if the event came.

use crate::python::names::last_segment;
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R108",
    name: "event-wait-timeout-ignored",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 754,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `event.wait(timeout)` (a `threading.Event`, `Condition` or eventlet event, recognised by \
               its constructor in the function or by a name containing `event`), `thread.join(timeout)` and \
               `concurrent.futures.wait(fs, timeout=...)` used as a statement, so that whether the wait \
               succeeded is thrown away, when the block goes on with more work and never checks \
               `is_set()`, `is_alive()` or `ready()`. A wait that ends a loop body (an interruptible sleep) or \
               the block is not flagged.",
        why: "`Event.wait(timeout)` returns `False` and `Thread.join(timeout)` returns with the thread still \
              running when the time is up. Code that does not look carries on as if the event had arrived: it \
              reads a result that is not there, reports an operation complete that is still running, or \
              tears down a resource a live thread is using (CWE-754).",
        example: "done.wait(timeout=30)\nreturn self._result",
        use_instead: "if not done.wait(timeout=30):\n    raise exception.Timeout()\nreturn self._result",
        fix: "Test the result (`if not event.wait(t): ...`, `if thread.is_alive(): ...`) and handle the timeout.",
        references: &["https://docs.python.org/3/library/threading.html#threading.Event.wait"],
    },
};

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    scan(cx, body, false, out);
}

fn scan(cx: &Context, stmts: &[Stmt], in_loop: bool, out: &mut Vec<Diagnostic>) {
    for (i, stmt) in stmts.iter().enumerate() {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Expr(e) => {
                let Expr::Call(call) = &*e.value else { continue };
                let Some((receiver, kind)) = timed_wait(cx, call, stmts) else {
                    continue;
                };
                let rest = &stmts[i + 1..];
                if !carries_on(cx, rest) || (in_loop && rest.is_empty()) || checks(rest, receiver) {
                    continue;
                }
                let next = rest.iter().find(|s| !is_logging(cx, s));
                let mut diag = Diagnostic::new(
                    &RULE,
                    call.range(),
                    format!(
                        "`{}` can time out, and the code goes on without checking",
                        cx.snippet(call)
                    ),
                )
                .fix(match kind {
                    Kind::Event => format!("Use `if not {}: ...` and handle the timeout.", cx.snippet(call)),
                    Kind::Thread => format!(
                        "After the join, check `{receiver}.is_alive()` and handle a thread that is still running."
                    ),
                    Kind::Futures => {
                        "Use the `(done, not_done)` result and handle the futures that did not finish.".to_string()
                    }
                });
                if let Some(next) = next {
                    diag = diag
                        .detail(format!(
                            "When the wait on line {} times out, line {} runs anyway.",
                            cx.line_of(call),
                            cx.line_of(next)
                        ))
                        .step(call.range(), "the wait may end by timing out")
                        .step(next.range(), "this runs as if the wait had succeeded");
                }
                out.push(diag);
            }
            Stmt::If(s) => {
                scan(cx, &s.body, in_loop, out);
                for c in &s.elif_else_clauses {
                    scan(cx, &c.body, in_loop, out);
                }
            }
            Stmt::For(s) => scan(cx, &s.body, true, out),
            Stmt::While(s) => scan(cx, &s.body, true, out),
            Stmt::With(s) => scan(cx, &s.body, in_loop, out),
            Stmt::Try(s) => {
                scan(cx, &s.body, in_loop, out);
                for h in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                    scan(cx, &h.body, in_loop, out);
                }
                scan(cx, &s.orelse, in_loop, out);
                scan(cx, &s.finalbody, in_loop, out);
            }
            _ => {}
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Event,
    Thread,
    Futures,
}

/// `x.wait(t)` on an event, `x.join(t)` on a thread, `futures.wait(fs,
/// timeout=t)`: the receiver's text and the kind.
fn timed_wait<'a>(cx: &Context<'a>, call: &ExprCall, block: &[Stmt]) -> Option<(&'a str, Kind)> {
    let timeout = call.arguments.args.len() == 1 || has_keyword(call, "timeout");
    let qualname = cx.qualified_name(&call.func).unwrap_or_default();
    if qualname == "concurrent.futures.wait" || qualname == "futures.wait" {
        return has_keyword(call, "timeout").then_some(("", Kind::Futures));
    }
    let Expr::Attribute(attr) = &*call.func else {
        return None;
    };
    if !timeout {
        return None;
    }
    let receiver = cx.source(&*attr.value);
    let last = last_segment(receiver).to_ascii_lowercase();
    match attr.attr.as_str() {
        "wait" if (last.contains("event") && !last.contains("eventlet")) || made_by(cx, block, receiver, EVENTS) => {
            Some((receiver, Kind::Event))
        }
        "join" if last.contains("thread") || made_by(cx, block, receiver, THREADS) => Some((receiver, Kind::Thread)),
        _ => None,
    }
}

const EVENTS: &[&str] = &["eventlet.event.Event", "threading.Condition", "threading.Event"];
const THREADS: &[&str] = &["threading.Thread"];

/// Whether `receiver` is assigned from one of `factories` in the block.
fn made_by(cx: &Context, block: &[Stmt], receiver: &str, factories: &[&str]) -> bool {
    block.iter().any(|s| match s {
        Stmt::Assign(a) => {
            a.targets.iter().any(|t| cx.source(t) == receiver)
                && matches!(&*a.value, Expr::Call(c) if cx.qualified_name(&c.func).is_some_and(|n| factories.contains(&n.as_str())))
        }
        _ => false,
    })
}

fn has_keyword(call: &ExprCall, name: &str) -> bool {
    call.arguments
        .keywords
        .iter()
        .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name))
}

/// Whether any of `rest` does work beyond logging and leaving.
fn carries_on(cx: &Context, rest: &[Stmt]) -> bool {
    rest.iter().any(|s| {
        !is_logging(cx, s)
            && !matches!(s, Stmt::Return(r) if r.value.is_none())
            && !matches!(s, Stmt::Raise(_) | Stmt::Pass(_))
    })
}

fn is_logging(cx: &Context, stmt: &Stmt) -> bool {
    let Stmt::Expr(e) = stmt else { return false };
    let Expr::Call(c) = &*e.value else { return false };
    let name = cx.qualified_name(&c.func).unwrap_or_default();
    matches!(
        name.split('.').next().unwrap_or(""),
        "LOG" | "LOGGER" | "log" | "logger" | "logging"
    )
}

/// Whether the rest of the block looks at how the wait ended.
fn checks(rest: &[Stmt], receiver: &str) -> bool {
    let _ = receiver;
    rest.iter().any(|s| {
        crate::rules::races::expr_search::any_in_body(std::slice::from_ref(s), |e: &Expr| {
            matches!(e, Expr::Attribute(a) if matches!(a.attr.as_str(), "is_set" | "isSet" | "is_alive" | "isAlive" | "ready" | "done"))
        })
    })
}
