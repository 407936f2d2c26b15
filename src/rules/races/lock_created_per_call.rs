//! R105 lock-created-per-call: a lock made inside the function it guards,
//! so every call gets its own lock and nothing is excluded.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::concurrency_apis::is_lock_factory;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R105",
    name: "lock-created-per-call",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 667,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a lock (`threading.Lock`, `RLock`, `Semaphore`, `Condition`, eventlet's `Semaphore`...) \
               created inside a function and used there (`with lock:`, `lock.acquire()`) without ever leaving \
               it: not returned, stored, passed on or captured by a nested function. `with \
               threading.Lock():` is the shortest form.",
        why: "Each call creates a fresh lock that no other call can see, so two greenthreads or threads running \
              the function at once both acquire their own lock and run the \"protected\" section together: the \
              race the lock was added for is still there, now hidden behind code that looks safe (CWE-667).",
        example: "def update_cache(self, key, value):\n    lock = threading.Lock()\n    with lock:\n        self._cache[key] = value",
        use_instead: "def __init__(self):\n    self._cache_lock = threading.Lock()\n\ndef update_cache(self, key, value):\n    with self._cache_lock:\n        self._cache[key] = value",
        fix: "Create the lock once, where every caller shares it (a module global, a class or instance \
              attribute), or use a named lock (`lockutils.lock(name)`).",
        references: &["https://docs.python.org/3/library/threading.html#lock-objects"],
    },
};

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    let mut finder = Locks {
        cx,
        made: Vec::new(),
        direct: Vec::new(),
    };
    finder.visit_body(body);
    for call in finder.direct {
        out.push(
            Diagnostic::new(
                &RULE,
                call.range(),
                format!("`with {}:` takes a lock nobody else can hold", cx.snippet(call)),
            )
            .detail("The lock is created by the `with` statement itself, so every entry gets a new one.")
            .fix("Create the lock once (module, class or instance attribute) and use that shared lock here."),
        );
    }
    for (name, assign, call) in finder.made {
        let uses = Uses::of(body, name);
        if uses.escapes || uses.taken.is_none() {
            continue;
        }
        let Some(taken) = uses.taken else { continue };
        out.push(
            Diagnostic::new(
                &RULE,
                call.range(),
                format!(
                    "`{name}` is a new `{}` on every call, so it excludes nothing",
                    cx.snippet(&*call.func)
                ),
            )
            .detail(format!(
                "Line {} creates `{name}` and line {} takes it; a concurrent call creates and takes its own.",
                cx.line_of(assign),
                cx.line_of(&taken)
            ))
            .fix(format!(
                "Create `{name}` once where every caller shares it (for example `self._{name} = {}` in \
                 `__init__`), or use `lockutils.lock(name)`.",
                cx.snippet(call)
            ))
            .step(call.range(), format!("`{name}` is created here, once per call"))
            .step(taken, format!("`{name}` is taken here; no other call can hold it")),
        );
    }
}

struct Locks<'a, 'c, 'x> {
    cx: &'c Context<'x>,
    /// `name = threading.Lock()`.
    made: Vec<(&'a str, &'a Stmt, &'a ExprCall)>,
    /// `with threading.Lock():`.
    direct: Vec<&'a ExprCall>,
}

impl<'a> Locks<'a, '_, '_> {
    fn is_factory(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Call(c) if self.cx.qualified_name(&c.func).is_some_and(|n| is_lock_factory(&n)))
    }
}

impl<'a> Visitor<'a> for Locks<'a, '_, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::Assign(a) => {
                if let ([Expr::Name(n)], Expr::Call(c)) = (&a.targets[..], &*a.value)
                    && self.is_factory(&a.value)
                {
                    self.made.push((n.id.as_str(), stmt, c));
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if let Expr::Call(c) = &item.context_expr
                        && self.is_factory(&item.context_expr)
                    {
                        self.direct.push(c);
                    }
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// How a function uses a local lock: where it is first taken, and whether
/// it leaves the function.
#[derive(Default)]
struct Uses {
    taken: Option<ruff_text_size::TextRange>,
    escapes: bool,
}

impl Uses {
    fn of(body: &[Stmt], name: &str) -> Uses {
        struct Walk<'n> {
            name: &'n str,
            uses: Uses,
        }
        impl Walk<'_> {
            fn is_name(&self, e: &Expr) -> bool {
                matches!(e, Expr::Name(n) if n.id.as_str() == self.name)
            }
            fn take(&mut self, range: ruff_text_size::TextRange) {
                self.uses.taken.get_or_insert(range);
            }
        }
        impl<'a> Visitor<'a> for Walk<'_> {
            fn visit_stmt(&mut self, stmt: &'a Stmt) {
                match stmt {
                    Stmt::FunctionDef(f) => {
                        let name = self.name;
                        if crate::rules::races::expr_search::any_in_body(
                            &f.body,
                            |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name),
                        ) {
                            self.uses.escapes = true;
                        }
                        return;
                    }
                    Stmt::ClassDef(_) => return,
                    Stmt::With(w) => {
                        for item in &w.items {
                            if self.is_name(&item.context_expr) {
                                self.take(item.context_expr.range());
                            }
                        }
                    }
                    Stmt::Return(r) if r.value.as_deref().is_some_and(|v| self.mentions(v)) => self.uses.escapes = true,
                    Stmt::Assign(a) if self.mentions(&a.value) && !matches!(&*a.value, Expr::Call(_)) => {
                        self.uses.escapes = true;
                    }
                    _ => {}
                }
                visitor::walk_stmt(self, stmt);
            }
            fn visit_expr(&mut self, expr: &'a Expr) {
                match expr {
                    Expr::Call(call) => {
                        if let Expr::Attribute(a) = &*call.func
                            && self.is_name(&a.value)
                        {
                            if a.attr.as_str() == "acquire" {
                                self.take(call.range());
                            }
                        } else if call
                            .arguments
                            .args
                            .iter()
                            .chain(call.arguments.keywords.iter().map(|k| &k.value))
                            .any(|a| self.mentions(a))
                        {
                            // Handed to another function or thread.
                            self.uses.escapes = true;
                        }
                    }
                    Expr::Lambda(l) if self.mentions(&l.body) => self.uses.escapes = true,
                    Expr::Yield(y) if y.value.as_deref().is_some_and(|v| self.mentions(v)) => self.uses.escapes = true,
                    _ => {}
                }
                visitor::walk_expr(self, expr);
            }
        }
        impl Walk<'_> {
            fn mentions(&self, e: &Expr) -> bool {
                let name = self.name;
                crate::rules::races::expr_search::any_expr(
                    e,
                    |x: &Expr| matches!(x, Expr::Name(n) if n.id.as_str() == name),
                )
            }
        }
        let mut walk = Walk {
            name,
            uses: Uses::default(),
        };
        walk.visit_body(body);
        walk.uses
    }
}
