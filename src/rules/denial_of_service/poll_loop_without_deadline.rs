//! R309 poll-loop-without-deadline: a `while` loop that sleeps and tests
//! again until some outside state changes, with nothing that ends the wait
//! when it never does.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R309",
    name: "poll-loop-without-deadline",
    bandit: None,
    bandit_name: None,
    family: Family::DenialOfService,
    cwe: 835,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a `while` loop that sleeps (`time.sleep`, `eventlet.sleep`, `greenthread.sleep`) and \
               leaves only when a state it polls changes (`while not os.path.exists(dev)`, `if status == \
               'available': break`, a call that stops raising) when nothing in the loop bounds the wait: no \
               attempt counter, no comparison with the clock or a `timeout`/`deadline`/`retries` value, no \
               `eventlet.Timeout` around it. Loops that run until a stop flag (`while not self._stopped`) are \
               services, not waits, and are left alone.",
        why: "The state comes from outside: a backend array, a device node, another service, a row another \
              worker updates. When it never comes (the array lost the volume, the device never appears, the \
              peer died) the loop sleeps and tests forever. The greenthread or worker running it never \
              returns, the request or RPC it serves never answers, and any lock it holds (a volume's, a \
              host's) blocks every later operation on that resource until the service is restarted.",
        example: "while True:\n    status = self.client.get_volume(name)['status']\n    if status == 'available':\n        break\n    time.sleep(2)",
        use_instead: "deadline = time.monotonic() + self.configuration.volume_create_timeout\nwhile True:\n    status = self.client.get_volume(name)['status']\n    if status == 'available':\n        break\n    if time.monotonic() > deadline:\n        raise exception.VolumeBackendAPIException(data=_('Timed out waiting for %s') % name)\n    time.sleep(2)",
        fix: "Bound the wait: count the attempts or compare with a deadline, and raise when it passes (or use oslo.service's `FixedIntervalWithTimeoutLoopingCall`).",
        references: &[
            "https://cwe.mitre.org/data/definitions/835.html",
            "https://docs.openstack.org/oslo.service/latest/reference/loopingcall.html",
        ],
    },
};

/// Calls that sleep a pass of a polling loop.
const SLEEPS: &[&str] = &[
    "asyncio.sleep",
    "eventlet.greenthread.sleep",
    "eventlet.sleep",
    "gevent.sleep",
    "greenthread.sleep",
    "time.sleep",
];

/// Words (in lower case) in a loop's exit conditions that say the loop is
/// bounded: it counts attempts or compares with a time. Sorted.
const BOUND_WORDS: &[&str] = &[
    "attempt",
    "count",
    "deadline",
    "elapsed",
    "end_time",
    "expir",
    "limit",
    "max",
    "remaining",
    "retr",
    "start_time",
    "time",
    "tries",
    "watch",
];

/// Words (in lower case) in a loop's exit conditions that say it runs until
/// told to stop: a service loop, not a wait. Sorted.
const STOP_WORDS: &[&str] = &[
    "_run", "active", "alive", "daemon", "exit", "kill", "monitor", "quit", "run_", "running", "shutdown", "stop",
    "terminat",
];

pub fn check(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::While(w) = stmt else { return };
    let Some(sleep) = first_sleep(cx, &w.body) else {
        return;
    };
    // What ends the wait: the loop's test, and the tests guarding a `break`
    // or `return` of this loop.
    let mut exits: Vec<&Expr> = Vec::new();
    let forever = is_true(&w.test);
    if !forever {
        exits.push(&w.test);
    }
    let mut guards: Vec<&Expr> = Vec::new();
    let mut leaves = false;
    collect_exits(&w.body, &mut Vec::new(), &mut exits, &mut guards, &mut leaves);
    if exits.is_empty() && !leaves {
        // Runs until the process ends: a service loop.
        return;
    }
    let all: Vec<&Expr> = exits.iter().chain(guards.iter()).copied().collect();
    if all.iter().any(|e| mentions(e, STOP_WORDS)) {
        return;
    }
    if all.iter().any(|e| mentions(e, BOUND_WORDS) || calls_clock(cx, e)) {
        return;
    }
    let counted = augmented_names(&w.body);
    if all.iter().any(|e| names_in(e).iter().any(|n| counted.contains(n))) {
        return;
    }
    if inside_timeout(cx) {
        return;
    }
    let polled = exits.first().copied();
    let header = TextRange::new(w.range().start(), w.test.range().end());
    let message = match (forever, polled) {
        (false, _) => format!("`while {}` polls with no deadline", cx.snippet(&*w.test)),
        (true, Some(cond)) => format!(
            "this loop sleeps and tests `{}` again, with no deadline",
            cx.snippet(cond)
        ),
        (true, None) => "this loop retries until a call stops failing, with no deadline".to_string(),
    };
    let what = polled.map_or_else(
        || "the call keeps failing".to_string(),
        |c| format!("the state it tests (`{}`) never changes", cx.snippet(c)),
    );
    let mut diag = Diagnostic::new(&RULE, header, message)
        .detail(format!(
            "Each pass sleeps (`{}`, line {}) and tests again; nothing counts the passes or looks at the \
             clock, so if {what} the thread waits here forever.",
            cx.snippet(sleep),
            cx.line_of(sleep)
        ))
        .fix(
            "Count the attempts or compare with a deadline (`time.monotonic()`, `timeutils.StopWatch`), and \
             raise an error when it passes; for work that may rightly run long (a block copy, a volume \
             migration), bound the time without progress rather than the total.",
        );
    if let Some(cond) = polled {
        diag = diag.step(cond.range(), "the loop leaves only on this test");
    }
    out.push(diag.step(sleep.range(), "sleeps and tests again, with no limit"));
}

/// The first sleep call of a loop body (nested functions aside; a nested
/// loop's sleep is that loop's).
fn first_sleep<'a>(cx: &Context, body: &'a [Stmt]) -> Option<&'a Expr> {
    let mut found = None;
    for stmt in body {
        walk_exprs(stmt, false, &mut |e| {
            // `sleep()` or `sleep(0)` yields to other greenthreads: it
            // does not wait for anything.
            if found.is_none()
                && let Expr::Call(call) = e
                && cx
                    .qualified_name(&call.func)
                    .is_some_and(|n| SLEEPS.contains(&n.as_str()))
                && call.arguments.args.first().is_some_and(|a| !is_zero(a))
            {
                found = Some(e);
            }
        });
        if found.is_some() {
            break;
        }
    }
    found
}

/// Visits the expressions of a statement and the statements inside it,
/// not entering nested functions, classes or lambdas, nor, unless
/// `into_loops`, nested loops.
fn walk_exprs<'a>(stmt: &'a Stmt, into_loops: bool, f: &mut dyn FnMut(&'a Expr)) {
    use ruff_python_ast::visitor::{self, Visitor};
    struct V<'f, 'a> {
        into_loops: bool,
        f: &'f mut dyn FnMut(&'a Expr),
    }
    impl<'a> Visitor<'a> for V<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let skip = match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => true,
                Stmt::While(_) | Stmt::For(_) => !self.into_loops,
                _ => false,
            };
            if !skip {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if matches!(expr, Expr::Lambda(_)) {
                return;
            }
            (self.f)(expr);
            visitor::walk_expr(self, expr);
        }
    }
    V { into_loops, f }.visit_stmt(stmt);
}

/// The tests guarding each `break` or `return` of this loop (`exits`), and
/// those guarding a `raise` (`guards`: they may bound the wait). `leaves` is
/// set when the loop can be left at all (a `break` or `return`, guarded or
/// not: `try: call(); break` leaves when the call stops raising).
fn collect_exits<'a>(
    body: &'a [Stmt],
    tests: &mut Vec<&'a Expr>,
    exits: &mut Vec<&'a Expr>,
    guards: &mut Vec<&'a Expr>,
    leaves: &mut bool,
) {
    for stmt in body {
        match stmt {
            Stmt::Break(_) | Stmt::Return(_) => {
                *leaves = true;
                exits.extend(tests.iter().copied());
            }
            Stmt::Raise(_) => guards.extend(tests.iter().copied()),
            Stmt::If(s) => {
                tests.push(&s.test);
                collect_exits(&s.body, tests, exits, guards, leaves);
                tests.pop();
                for clause in &s.elif_else_clauses {
                    if let Some(t) = &clause.test {
                        tests.push(t);
                    }
                    // An `else` leaves when the tests before it fail: the
                    // `if` test is still what decides.
                    let pushed = clause.test.is_none();
                    if pushed {
                        tests.push(&s.test);
                    }
                    collect_exits(&clause.body, tests, exits, guards, leaves);
                    tests.pop();
                }
            }
            Stmt::Try(s) => {
                collect_exits(&s.body, tests, exits, guards, leaves);
                for h in &s.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    collect_exits(&h.body, tests, exits, guards, leaves);
                }
                collect_exits(&s.orelse, tests, exits, guards, leaves);
                collect_exits(&s.finalbody, tests, exits, guards, leaves);
            }
            Stmt::With(s) => collect_exits(&s.body, tests, exits, guards, leaves),
            // A `return` inside a nested loop still leaves this one; its
            // `break` does not.
            Stmt::For(s) => collect_returns(&s.body, tests, exits, leaves),
            Stmt::While(s) => collect_returns(&s.body, tests, exits, leaves),
            _ => {}
        }
    }
}

fn collect_returns<'a>(body: &'a [Stmt], tests: &mut Vec<&'a Expr>, exits: &mut Vec<&'a Expr>, leaves: &mut bool) {
    for stmt in body {
        match stmt {
            Stmt::Return(_) => {
                *leaves = true;
                exits.extend(tests.iter().copied());
            }
            Stmt::If(s) => {
                tests.push(&s.test);
                collect_returns(&s.body, tests, exits, leaves);
                tests.pop();
                for clause in &s.elif_else_clauses {
                    collect_returns(&clause.body, tests, exits, leaves);
                }
            }
            Stmt::Try(s) => {
                collect_returns(&s.body, tests, exits, leaves);
                for h in &s.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    collect_returns(&h.body, tests, exits, leaves);
                }
            }
            Stmt::With(s) => collect_returns(&s.body, tests, exits, leaves),
            Stmt::For(s) => collect_returns(&s.body, tests, exits, leaves),
            Stmt::While(s) => collect_returns(&s.body, tests, exits, leaves),
            _ => {}
        }
    }
}

fn is_zero(expr: &Expr) -> bool {
    matches!(expr, Expr::NumberLiteral(n) if matches!(&n.value, ast::Number::Int(i) if i.as_u8() == Some(0)))
}

fn is_true(test: &Expr) -> bool {
    match test {
        Expr::BooleanLiteral(b) => b.value,
        Expr::NumberLiteral(n) => !matches!(&n.value, ast::Number::Int(i) if i.as_u8() == Some(0)),
        _ => false,
    }
}

/// Whether a name, attribute or string key in `expr` contains one of `words`.
fn mentions(expr: &Expr, words: &[&str]) -> bool {
    let mut hit = false;
    let mut check = |text: &str| {
        let lower = text.to_ascii_lowercase();
        if words.iter().any(|w| lower.contains(w)) {
            hit = true;
        }
    };
    visit_expr(expr, &mut |e| match e {
        Expr::Name(n) => check(n.id.as_str()),
        Expr::Attribute(a) => check(a.attr.as_str()),
        // A key read from the polled state (`result['timeout']`).
        Expr::StringLiteral(s) => check(s.value.to_str()),
        _ => {}
    });
    hit
}

/// Whether `expr` reads a clock (`time.time()`, `timeutils.utcnow()`...).
fn calls_clock(cx: &Context, expr: &Expr) -> bool {
    let mut hit = false;
    visit_expr(expr, &mut |e| {
        if let Expr::Call(call) = e
            && let Some(name) = cx.qualified_name(&call.func)
            && (name.starts_with("time.") || name.starts_with("datetime.") || name.contains("timeutils."))
        {
            hit = true;
        }
    });
    hit
}

fn visit_expr<'a>(expr: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    use ruff_python_ast::visitor::{self, Visitor};
    struct V<'f, 'a>(&'f mut dyn FnMut(&'a Expr));
    impl<'a> Visitor<'a> for V<'_, 'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            (self.0)(expr);
            visitor::walk_expr(self, expr);
        }
    }
    V(f).visit_expr(expr);
}

/// The plain names and `self.x` attributes `expr` mentions.
fn names_in(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    visit_expr(expr, &mut |e| match e {
        Expr::Name(n) => out.push(n.id.to_string()),
        Expr::Attribute(a) => out.push(a.attr.to_string()),
        _ => {}
    });
    out
}

/// Names (or attributes) a loop body counts with `+=`/`-=`.
fn augmented_names(body: &[Stmt]) -> Vec<String> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct V(Vec<String>);
    impl<'a> Visitor<'a> for V {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::AugAssign(a) = stmt {
                match &*a.target {
                    Expr::Name(n) => self.0.push(n.id.to_string()),
                    Expr::Attribute(at) => self.0.push(at.attr.to_string()),
                    _ => {}
                }
            }
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, stmt);
            }
        }
    }
    let mut v = V(Vec::new());
    for s in body {
        v.visit_stmt(s);
    }
    v.0
}

/// Whether a timeout bounds the loop: an enclosing `with eventlet.Timeout(60):`,
/// or a timeout started earlier in the function (`eventlet.timeout.Timeout(5)`
/// raises in the greenthread when it expires).
fn inside_timeout(cx: &Context) -> bool {
    let is_timeout = |call: &ast::ExprCall| cx.snippet(&*call.func).to_ascii_lowercase().contains("timeout");
    let enclosing = cx.stmts.iter().rev().skip(1).any(|s| match s {
        Stmt::With(w) => w
            .items
            .iter()
            .any(|item| matches!(&item.context_expr, Expr::Call(call) if is_timeout(call))),
        _ => false,
    });
    if enclosing {
        return true;
    }
    let (Some(func), Some(current)) = (cx.enclosing_function(), cx.current_stmt()) else {
        return false;
    };
    let mut started = false;
    for stmt in &func.body {
        if stmt.start() >= current.start() {
            break;
        }
        walk_exprs(stmt, true, &mut |e| {
            if let Expr::Call(call) = e
                && is_timeout(call)
            {
                started = true;
            }
        });
    }
    started
}
