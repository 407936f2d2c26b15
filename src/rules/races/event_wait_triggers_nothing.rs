//! R107 event-wait-triggers-nothing: an event-wait context manager whose
//! body does nothing that could trigger the events it waits for.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

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

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    scan(cx, body, out);
}

fn scan(cx: &Context, stmts: &[Stmt], out: &mut Vec<Diagnostic>) {
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
                    let mut diag = Diagnostic::new(
                        &RULE,
                        waiter.range(),
                        format!(
                            "`{}` waits for events that nothing in its body triggers",
                            cx.snippet(&*waiter.func)
                        ),
                    );
                    let before = i
                        .checked_sub(1)
                        .map(|j| &stmts[j])
                        .filter(|s| !calls_in(std::slice::from_ref(*s)).is_empty());
                    if let Some(before) = before {
                        diag = diag
                            .detail(format!(
                                "Line {} runs before the waiter exists; events it causes can arrive and be lost \
                                 before line {} starts waiting.",
                                cx.line_of(before),
                                cx.line_of(waiter)
                            ))
                            .step(before.range(), "the action starts here, before anyone waits")
                            .step(waiter.range(), "the waiter is registered only here")
                            .fix(format!(
                                "Move line {} into the body of the `with` so the waiter exists before the action \
                                 starts.",
                                cx.line_of(before)
                            ));
                    }
                    out.push(diag);
                }
                scan(cx, &with.body, out);
            }
            Stmt::If(s) => {
                scan(cx, &s.body, out);
                for c in &s.elif_else_clauses {
                    scan(cx, &c.body, out);
                }
            }
            Stmt::For(s) => scan(cx, &s.body, out),
            Stmt::While(s) => scan(cx, &s.body, out),
            Stmt::Try(s) => {
                scan(cx, &s.body, out);
                for h in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                    scan(cx, &h.body, out);
                }
                scan(cx, &s.orelse, out);
                scan(cx, &s.finalbody, out);
            }
            _ => {}
        }
    }
}

/// Whether a body calls anything besides logging.
fn triggers_anything(cx: &Context, body: &[Stmt]) -> bool {
    calls_in(body).iter().any(|c| {
        let name = cx.qualified_name(&c.func).unwrap_or_default();
        let first = name.split('.').next().unwrap_or("");
        !matches!(first, "LOG" | "LOGGER" | "log" | "logger" | "logging")
    })
}
