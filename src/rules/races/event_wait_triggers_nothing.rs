//! R107 event-wait-triggers-nothing: an event-wait context manager whose
//! body does nothing that could trigger the events it waits for.

use crate::python::names::last_segment;
use ruff_python_ast::{ExceptHandler, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::body_calls::calls_in;
use super::concurrency_apis::is_event_wait_context;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R107",
    name: "event-wait-triggers-nothing",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 362,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `with virtapi.wait_for_instance_event(...)` (and other event-wait context managers in the \
               table) whose body calls nothing but logging: the waiter is registered only for the body, and \
               the body is where the action that fires the events must happen. When a statement just before \
               the `with` calls something, it is shown as the likely trigger.",
        why: "An event that arrives before its waiter is registered is lost. If the action (plugging a VIF, \
              attaching a volume) starts before the `with` and its event arrives early, the wait times out, \
              and the code either fails a good operation after the deadline or, with an error callback that \
              only logs, carries on as if the event had come: a guest boots with its network not wired, or \
              an instance is reported active with a port that is down (CWE-362).",
        example: "self._plug_vifs(instance, network_info)\nwith self.virtapi.wait_for_instance_event(instance, events, deadline=300):\n    pass",
        use_instead: "with self.virtapi.wait_for_instance_event(instance, events, deadline=300):\n    self._plug_vifs(instance, network_info)",
        fix: "Move the call that triggers the events into the body of the `with`.",
        references: &["https://docs.openstack.org/nova/latest/reference/vm-states.html"],
    },
};

/// Calls that start work running beside the caller: the action whose events
/// a waiter registered after them can miss. Matched on the last segment of
/// the callee's name.
const STARTS_CONCURRENT_WORK: &[&str] = &["apply_async", "spawn", "spawn_after", "spawn_n", "start", "submit"];

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    let calls = calls_in(body);
    scan(cx, body, &calls, &[], out);
}

/// `handlers` are those of the `try` statements around `stmts`, innermost
/// last: what happens when the wait times out.
fn scan<'a>(
    cx: &Context,
    stmts: &'a [Stmt],
    calls: &[&ruff_python_ast::ExprCall],
    handlers: &[&'a [ExceptHandler]],
    out: &mut Vec<Diagnostic>,
) {
    for (i, stmt) in stmts.iter().enumerate() {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::With(with) => {
                let waiter = with.items.iter().find_map(|item| match &item.context_expr {
                    Expr::Call(c) if cx.qualified_name(&c.func).is_some_and(|n| is_event_wait_context(&n)) => Some(c),
                    _ => None,
                });
                if let Some(waiter) = waiter
                    && !triggers_anything(cx, &with.body)
                {
                    let previous = i.checked_sub(1).map(|j| &stmts[j]);
                    out.push(report(cx, waiter, previous, calls, handlers));
                }
                scan(cx, &with.body, calls, handlers, out);
            }
            Stmt::If(s) => {
                scan(cx, &s.body, calls, handlers, out);
                for c in &s.elif_else_clauses {
                    scan(cx, &c.body, calls, handlers, out);
                }
            }
            Stmt::For(s) => scan(cx, &s.body, calls, handlers, out),
            Stmt::While(s) => scan(cx, &s.body, calls, handlers, out),
            Stmt::Try(s) => {
                let mut inner = handlers.to_vec();
                inner.push(&s.handlers);
                scan(cx, &s.body, calls, &inner, out);
                for h in &s.handlers {
                    let ExceptHandler::ExceptHandler(h) = h;
                    scan(cx, &h.body, calls, handlers, out);
                }
                scan(cx, &s.orelse, calls, handlers, out);
                scan(cx, &s.finalbody, calls, handlers, out);
            }
            _ => {}
        }
    }
}

fn report(
    cx: &Context,
    waiter: &ruff_python_ast::ExprCall,
    previous: Option<&Stmt>,
    calls: &[&ruff_python_ast::ExprCall],
    handlers: &[&[ExceptHandler]],
) -> Diagnostic {
    let wait = cx.snippet(&*waiter.func);
    let wait_line = cx.line_of(waiter);
    let mut diag = Diagnostic::new(
        &RULE,
        waiter.range(),
        format!("`{wait}` waits for events that nothing in its body triggers"),
    );
    // The likely trigger: the last call before the wait that starts work
    // running beside this code, else the statement just before the `with`.
    let started = calls.iter().rev().find(|c| {
        c.start() < waiter.start()
            && cx
                .qualified_name(&c.func)
                .or_else(|| match &*c.func {
                    Expr::Attribute(a) => Some(a.attr.to_string()),
                    _ => None,
                })
                .is_some_and(|n| STARTS_CONCURRENT_WORK.contains(&last_segment(&n)))
    });
    let trigger: Option<(TextRange, String)> = match (started, previous) {
        (Some(call), _) => Some((
            call.range(),
            format!(
                "`{}` on line {} starts work that runs beside this code",
                cx.snippet(&*call.func),
                cx.line_of(*call)
            ),
        )),
        (None, Some(stmt)) if !calls_in(std::slice::from_ref(stmt)).is_empty() => Some((
            stmt.range(),
            format!("line {} runs before the waiter exists", cx.line_of(stmt)),
        )),
        _ => None,
    };
    // What the code does when the wait times out: carrying on (logging) is
    // worse than failing the operation.
    let swallowed = handlers.iter().rev().flat_map(|hs| hs.iter()).find_map(|h| {
        let ExceptHandler::ExceptHandler(h) = h;
        let catches_timeout = h.type_.as_deref().is_some_and(|t| cx.snippet(t).contains("Timeout"));
        let reraises = h.body.iter().any(|s| matches!(s, Stmt::Raise(_) | Stmt::Return(_)));
        (catches_timeout && !reraises).then_some(h)
    });
    let mut detail = String::new();
    if let Some((range, what)) = &trigger {
        detail.push_str(&format!(
            "{what}; the waiter is registered only on line {wait_line}, so events it causes before then are lost \
             and the wait runs to its deadline."
        ));
        diag = diag
            .step(*range, "the action starts here, before anyone waits")
            .step(waiter.range(), "the waiter is registered only here");
    }
    if let Some(h) = swallowed {
        let line = cx.line_of(h);
        if !detail.is_empty() {
            detail.push(' ');
        }
        detail.push_str(&format!(
            "When it times out, the handler on line {line} only logs and the code carries on as if the events \
             had come: the guest can run with its network or volume not wired."
        ));
        diag = diag
            .severity(Level::High)
            .step(h.range(), "a timeout is caught here and the operation carries on");
    }
    if !detail.is_empty() {
        diag = diag.detail(detail);
    }
    let fix = match (&trigger, swallowed) {
        (Some((range, _)), swallowed) => {
            let line = cx.line_of(range);
            format!(
                "Enter `{wait}` before line {line} and start the action inside its body, so the waiter exists \
                 before any event can fire{}.",
                if swallowed.is_some() {
                    "; and fail (or roll back) the operation when the events do not come instead of carrying on"
                } else {
                    ""
                }
            )
        }
        (None, Some(_)) => "Move the call that triggers the events into the body of the `with`, and fail the \
                            operation when the events do not come instead of carrying on."
            .to_string(),
        (None, None) => RULE.docs.fix.to_string(),
    };
    diag.fix(fix)
}

/// Whether a body calls anything besides logging.
fn triggers_anything(cx: &Context, body: &[Stmt]) -> bool {
    calls_in(body).iter().any(|c| {
        let name = cx.qualified_name(&c.func).unwrap_or_default();
        let first = name.split('.').next().unwrap_or("");
        !matches!(first, "LOG" | "LOGGER" | "log" | "logger" | "logging")
    })
}
