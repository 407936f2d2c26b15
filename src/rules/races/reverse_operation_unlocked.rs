//! R111 reverse-operation-unlocked: a class takes a lock around an operation
//! (`initialize_connection`, `map_lun`, `mount`) and no lock around its
//! reverse on the same resource (`terminate_connection`, `unmap_lun`,
//! `umount`).
//!
//! The evidence is the class's own code: the lock one side takes says the
//! resource is shared; the other side changes it without that lock.

use crate::python::names::last_segment;
use std::collections::{HashMap, HashSet};

use ruff_python_ast::helpers::any_over_body;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Decorator, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::concurrency_apis::{REVERSE_OPERATIONS, is_lock_by_name};
use crate::python::classes;
use crate::python::names::dotted;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R111",
    name: "reverse-operation-unlocked",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 362,
    severity: Level::Medium,
    confidence: Level::Low,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a method that reverses another method of its class on the same resource \
               (`terminate_connection` of `initialize_connection`, `unmap_lun` of `map_lun`, `umount` of \
               `mount`, `detach` of `attach`, ...) and takes no lock, while the other one runs under a lock: a \
               `@synchronized`/`@lockutils.synchronized`/`@coordination.synchronized`/`@locked_...` decorator, \
               a `with` lock around its body, a locked inner function it calls, or a locked method it hands its work \
               to. A private method counts as locked when every call to it in the class is made under a lock. \
               The finding names the locked method and its lock. Off by default: see the measured precision \
               below.",
        why: "The lock on one side says that the resource is shared: two calls of that side must not \
              interleave. The reverse changes the same resource (it removes the host, the mapping, the mount \
              the other side creates or reuses), and without the lock it can run in the middle of the locked \
              side: a volume is mapped to a host that is being deleted, an export is removed while another \
              attachment uses it, a mount is unmounted under a new user (CWE-362). Different processes and \
              greenthreads call the two sides for different volumes of the same host all the time.",
        example: "@coordination.synchronized('{self.driver_prefix}-host-{connector[host]}')\n\
                  def initialize_connection(self, volume, connector):\n    host = self._get_or_create_host(connector)\n    \
                  return self._map(volume, host)\n\n\
                  def terminate_connection(self, volume, connector, **kwargs):\n    host = self._find_host(connector)\n    \
                  self._unmap(volume, host)\n    if not self._mappings(host):\n        self._delete_host(host)",
        use_instead: "@coordination.synchronized('{self.driver_prefix}-host-{connector[host]}')\n\
                      def terminate_connection(self, volume, connector, **kwargs):\n    ...",
        fix: "Take the same lock on both sides: the lock the locked method takes, with its name built from the \
              same resource (the host, the target, the share), so that the operation and its reverse exclude \
              each other.",
        references: &[
            "https://docs.openstack.org/oslo.concurrency/latest/reference/lockutils.html",
            "https://docs.openstack.org/cinder/latest/contributor/high_availability.html",
        ],
    },
};

/// Where a method takes its lock.
#[derive(Clone)]
struct Held {
    /// The lock's decorator, `with` item or `acquire()` call.
    at: TextRange,
    /// How the code writes it: `@utils.synchronized('x')`, `with self._lock`.
    text: String,
    /// Whose lock it is.
    via: Via,
    /// The names the lock's name is built from (`connector` in
    /// `'{self.prefix}-{connector[host]}'`).
    reads: Vec<String>,
}

/// Whose lock a method holds.
#[derive(Clone)]
enum Via {
    /// Its own.
    Own,
    /// That of the method it hands its work to.
    Callee(String),
    /// That of its callers, all of which hold a lock (this one's is taken
    /// in the method named).
    Callers(String),
}

impl Via {
    /// The method that takes the lock, when it is not this one.
    fn method(&self) -> Option<&str> {
        match self {
            Via::Own => None,
            Via::Callee(m) | Via::Callers(m) => Some(m),
        }
    }
}

impl Held {
    fn new(lock: &Expr, text: String) -> Self {
        Held {
            at: lock.range(),
            text,
            via: Via::Own,
            reads: names_read(lock),
        }
    }
}

pub fn check(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::ClassDef(class) = stmt else { return };
    let methods: Vec<&StmtFunctionDef> = classes::methods(class).collect();
    let by_name: HashMap<&str, &StmtFunctionDef> = methods.iter().map(|f| (f.name.as_str(), *f)).collect();
    let has_pair = methods.iter().any(|m| {
        reverses(m.name.as_str())
            .iter()
            .any(|(r, _)| by_name.contains_key(r.as_str()))
    });
    if !has_pair {
        return;
    }
    // Each method's calls `self.name(...)`, walked once.
    let walks: Vec<SelfCalls> = methods.iter().map(|m| SelfCalls::of(cx, m)).collect();
    let held = locks(cx, &methods, &by_name, &walks);
    let called: HashSet<&str> = walks
        .iter()
        .flat_map(|w| w.calls.iter().map(|(callee, _)| *callee))
        .collect();
    let mut reported = HashSet::new();
    for method in &methods {
        let Some(lock) = &held[method.name.as_str()] else {
            continue;
        };
        for (reverse, what) in reverses(method.name.as_str()) {
            let Some(other) = by_name.get(reverse.as_str()) else {
                continue;
            };
            let Some(walk) = methods.iter().zip(&walks).find(|(m, _)| std::ptr::eq(**m, *other)) else {
                continue;
            };
            // Only a method the class does not call itself: its callers
            // are outside, and nothing here says they lock.
            if held[reverse.as_str()].is_some()
                || locks_somewhere(walk.1, &held)
                || called.contains(reverse.as_str())
                || is_stub(other)
                || hands_to_base(other)
                || one_sided(&lock.text, method.name.as_str(), &reverse)
            {
                continue;
            }
            if !reported.insert(reverse.clone()) {
                continue;
            }
            out.push(finding(cx, method, lock, other, what));
        }
    }
}

fn finding(cx: &Context, locked: &StmtFunctionDef, lock: &Held, other: &StmtFunctionDef, what: &str) -> Diagnostic {
    let (name, reverse) = (locked.name.as_str(), other.name.as_str());
    let line = cx.line_of(&lock.at);
    let taken = match &lock.via {
        Via::Own => format!("it runs under `{}` (line {line})", lock.text),
        Via::Callee(m) => format!(
            "it hands its work to `{m}`, which runs under `{}` (line {line})",
            lock.text
        ),
        Via::Callers(m) => format!(
            "every call to it in the class holds a lock (`{}` in `{m}`, line {line})",
            lock.text
        ),
    };
    let same_args = lock
        .reads
        .iter()
        .all(|n| n == "self" || other.parameters.iter().any(|p| p.name().as_str() == n));
    let fix = match (&lock.via, lock.text.strip_prefix("with ")) {
        (Via::Own, None) if lock.text.starts_with('@') && same_args => format!(
            "Decorate `{reverse}` with `{}` as `{name}` is, so that the two exclude each other on the same {what}.",
            lock.text
        ),
        (Via::Own, Some(object)) if lock.reads.is_empty() || object.starts_with("self.") && !object.contains('(') => {
            format!(
                "Hold `{object}` in `{reverse}` as `{name}` does (line {line}): `with {object}:` around its body, \
                 so that the two exclude each other on the same {what}."
            )
        }
        _ => format!(
            "Take in `{reverse}` the lock `{name}` takes (`{}`, line {line}){}, so that the two exclude each other \
             on the same {what}.",
            lock.text,
            if lock.reads.is_empty() {
                ""
            } else {
                ", its name built from the same resource"
            }
        ),
    };
    let where_taken = match &lock.via {
        Via::Own => format!("`{name}` takes its lock"),
        Via::Callee(m) => format!("`{m}` takes the lock; `{name}` hands its work to it"),
        Via::Callers(m) => format!("`{m}` takes the lock around its call to `{name}`"),
    };
    Diagnostic::new(
        &RULE,
        other.name.range(),
        format!(
            "`{reverse}` takes no lock, but it reverses `{name}` (line {}), and {taken}",
            cx.line_of(&locked.name)
        ),
    )
    .detail(format!(
        "`{name}` and `{reverse}` work on the same {what} in opposite directions. The lock keeps two `{name}` \
         calls apart, but nothing stops `{reverse}` from running while `{name}` holds it: one side can remove \
         what the other is creating or reusing, and the backend ends up in a state neither call expected \
         (CWE-362)."
    ))
    .fix(fix)
    .step(lock.at, where_taken)
    .step(
        other.name.range(),
        format!("`{reverse}` changes the same {what} with no lock"),
    )
}

/// Whether a method takes any lock at all on its way: a `with` lock, an
/// inner function with a lock decorator, or a call to a locked method of
/// the class (`self._invoke_driver(...)` after other work). Weaker evidence
/// than the locked side needs, enough to leave the reverse alone.
fn locks_somewhere(walk: &SelfCalls, held: &HashMap<&str, Option<Held>>) -> bool {
    walk.locked
        || walk
            .calls
            .iter()
            .any(|(callee, _)| held.get(callee).is_some_and(Option::is_some))
}

/// A lock whose name says it is for one side only: it names the locked
/// operation's verb and not the reverse's (`'netapp-terminate-{volume.id}'`,
/// `'{array}-map'` on `map_volume`), so it keeps calls of that side apart
/// (a free LUN chosen twice), not the two sides.
fn one_sided(lock: &str, locked: &str, reverse: &str) -> bool {
    let lock = lock.to_ascii_lowercase();
    let verb = |name: &str| {
        let core = name.trim_start_matches('_');
        REVERSE_OPERATIONS
            .iter()
            .flat_map(|&(a, b, _)| [a, b])
            .filter(|v| core.starts_with(v))
            .max_by_key(|v| v.len())
            .unwrap_or(core)
            .split('_')
            .next()
            .unwrap_or("")
            .to_string()
    };
    let (mine, theirs) = (verb(locked), verb(reverse));
    lock.contains(&mine) && !lock.contains(&theirs)
}

/// The names `reverse` of an operation `name` would have, with what the
/// pair works on: `_map_volume` gives `_unmap_volume`, `terminate_connection`
/// gives `initialize_connection`.
fn reverses(name: &str) -> Vec<(String, &'static str)> {
    let core = name.trim_start_matches('_');
    let prefix = &name[..name.len() - core.len()];
    let mut out = Vec::new();
    for &(a, b, what) in REVERSE_OPERATIONS {
        for (verb, other) in [(a, b), (b, a)] {
            if let Some(rest) = core.strip_prefix(verb)
                && (rest.is_empty() || rest.starts_with('_'))
            {
                out.push((format!("{prefix}{other}{rest}"), what));
            }
        }
    }
    out
}

/// Each method's lock, if it takes one itself or every call to it in the
/// class holds one.
fn locks<'a>(
    cx: &Context,
    methods: &[&'a StmtFunctionDef],
    by_name: &HashMap<&'a str, &'a StmtFunctionDef>,
    walks: &[SelfCalls<'a, '_, '_>],
) -> HashMap<&'a str, Option<Held>> {
    let mut held: HashMap<&str, Option<Held>> = methods
        .iter()
        .map(|m| (m.name.as_str(), own_lock(cx, m, by_name, 0)))
        .collect();
    // The calls `self.name(...)` in the class: (callee, caller, the lock held there).
    let calls: Vec<(&str, &str, &Option<Held>)> = methods
        .iter()
        .zip(walks)
        .flat_map(|(m, walk)| walk.calls.iter().map(|(callee, lock)| (*callee, m.name.as_str(), lock)))
        .collect();
    loop {
        let mut changed = false;
        for method in methods {
            let name = method.name.as_str();
            if held[name].is_some() || !name.starts_with('_') || name.ends_with("__") {
                continue;
            }
            // The lock each call holds: its own, or its caller's.
            let at_calls: Option<Vec<Held>> = calls
                .iter()
                .filter(|(callee, _, _)| *callee == name)
                .map(|(_, caller, lock)| match lock {
                    Some(lock) => Some(Held {
                        via: Via::Callers(caller.to_string()),
                        ..lock.clone()
                    }),
                    None => held[caller].as_ref().map(|l| Held {
                        via: Via::Callers(l.via.method().unwrap_or(caller).to_string()),
                        ..l.clone()
                    }),
                })
                .collect();
            if let Some(first) = at_calls.and_then(|locks| locks.into_iter().next()) {
                held.insert(name, Some(first));
                changed = true;
            }
        }
        if !changed {
            return held;
        }
    }
}

/// The lock a method takes itself: a lock decorator, a `with` lock around
/// its body, a locked inner function, `lock.acquire()`, or the one call its
/// body makes, to a locked method of the class.
fn own_lock(
    cx: &Context,
    method: &StmtFunctionDef,
    by_name: &HashMap<&str, &StmtFunctionDef>,
    depth: u8,
) -> Option<Held> {
    if let Some(d) = method.decorator_list.iter().find(|d| is_lock_decorator(&d.expression)) {
        return Some(decorator(cx, d));
    }
    for stmt in &method.body {
        let stmts: &[Stmt] = match stmt {
            Stmt::Try(t) => &t.body,
            other => std::slice::from_ref(other),
        };
        for stmt in stmts {
            if let Some(lock) = stmt_lock(cx, stmt) {
                return Some(lock);
            }
            if let Stmt::Expr(e) = stmt
                && let Expr::Call(call) = &*e.value
                && let Expr::Attribute(attr) = &*call.func
                && attr.attr.as_str() == "acquire"
                && is_lock_context(&attr.value)
            {
                return Some(Held::new(&attr.value, written(cx, call)));
            }
        }
    }
    // A body whose one call of substance hands the work to a locked method.
    if depth < 3
        && let [stmt] = work(&method.body)[..]
        && let Some(callee) = self_call(stmt)
        && let Some(target) = by_name.get(callee)
        && let Some(lock) = own_lock(cx, target, by_name, depth + 1)
    {
        let origin = lock.via.method().unwrap_or(callee).to_string();
        return Some(Held {
            via: Via::Callee(origin),
            ..lock
        });
    }
    None
}

/// The lock a statement holds around what it runs: a `with` lock, or the
/// lock decorator of an inner function.
fn stmt_lock(cx: &Context, stmt: &Stmt) -> Option<Held> {
    match stmt {
        Stmt::With(w) => w
            .items
            .iter()
            .find(|i| is_lock_context(&i.context_expr))
            .map(|i| Held::new(&i.context_expr, format!("with {}", written(cx, &i.context_expr)))),
        Stmt::FunctionDef(f) => f
            .decorator_list
            .iter()
            .find(|d| is_lock_decorator(&d.expression))
            .map(|d| decorator(cx, d)),
        _ => None,
    }
}

fn decorator(cx: &Context, d: &Decorator) -> Held {
    Held::new(&d.expression, format!("@{}", written(cx, &d.expression)))
}

/// How the code writes a lock, on one line: in full, since the fix repeats
/// it, unless it is very long.
fn written(cx: &Context, node: &impl Ranged) -> String {
    cx.snippet_within(node, 120)
}

/// A body's statements less its docstring and its log calls.
fn work(body: &[Stmt]) -> Vec<&Stmt> {
    body.iter()
        .filter(|s| match s {
            Stmt::Expr(e) => match &*e.value {
                Expr::StringLiteral(_) => false,
                Expr::Call(c) => !dotted(&c.func).is_some_and(|n| n.to_ascii_lowercase().starts_with("log")),
                _ => true,
            },
            _ => true,
        })
        .collect()
}

/// `self.name(...)` or `return self.name(...)`: the method called.
fn self_call(stmt: &Stmt) -> Option<&str> {
    let value = match stmt {
        Stmt::Expr(e) => &e.value,
        Stmt::Return(r) => r.value.as_ref()?,
        _ => return None,
    };
    let Expr::Call(call) = &**value else { return None };
    classes::self_method(call)
}

/// A method with nothing to lock: `pass`, `...`, a `raise`, a constant.
fn is_stub(method: &StmtFunctionDef) -> bool {
    match work(&method.body)[..] {
        [] => true,
        [stmt] => match stmt {
            Stmt::Pass(_) | Stmt::Raise(_) => true,
            Stmt::Return(r) => r
                .value
                .as_deref()
                .is_none_or(|v| v.is_literal_expr() || v.is_none_literal_expr()),
            Stmt::Expr(e) => e.value.is_ellipsis_literal_expr(),
            _ => false,
        },
        _ => false,
    }
}

/// `super().…(...)` anywhere in the body: the base class does the work, and
/// may take the lock there.
fn hands_to_base(method: &StmtFunctionDef) -> bool {
    any_over_body(
        &method.body,
        |e| matches!(e, Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "super")),
    )
}

/// A decorator that makes the function hold a lock while it runs:
/// `synchronized` of any library, `lockutils.lock`, a project's own
/// `locked_volume_operation`.
fn is_lock_decorator(expr: &Expr) -> bool {
    let callee = match expr {
        Expr::Call(c) => &*c.func,
        other => other,
    };
    dotted(callee).is_some_and(|n| {
        let last = last_segment(&n);
        last.ends_with("synchronized") || last.starts_with("locked_") || is_lock_by_name(&n)
    })
}

/// A `with` item or receiver that is a lock: `self._lock`, `_LOCK`,
/// `lockutils.lock(name)`, `self._host_lock(host)`. Not a semaphore: it
/// bounds how many run at once, it does not keep them apart.
fn is_lock_context(expr: &Expr) -> bool {
    let target = match expr {
        Expr::Call(c) => &*c.func,
        other => other,
    };
    dotted(target).is_some_and(|n| {
        let last = last_segment(&n).to_ascii_lowercase();
        last.ends_with("lock") || last.ends_with("synchronized") || last.ends_with("mutex")
    })
}

/// The names a lock's name is built from: the names in its arguments and
/// the `{name...}` fields of its strings (`coordination.synchronized`
/// formats them from the function's arguments).
fn names_read(lock: &Expr) -> Vec<String> {
    struct Names(Vec<String>);
    impl<'a> Visitor<'a> for Names {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Name(n) => self.0.push(n.id.to_string()),
                Expr::StringLiteral(s) => {
                    for field in s.value.to_str().split('{').skip(1) {
                        let name: String = field.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        if !name.is_empty() {
                            self.0.push(name);
                        }
                    }
                }
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut names = Names(Vec::new());
    if let Expr::Call(call) = lock {
        for arg in &*call.arguments.args {
            names.visit_expr(arg);
        }
        for keyword in &*call.arguments.keywords {
            names.visit_expr(&keyword.value);
        }
    } else {
        names.visit_expr(lock);
    }
    names.0
}

/// The calls `self.name(...)` a method makes, with the innermost lock held
/// there (a `with` lock, or an inner function's lock decorator).
struct SelfCalls<'a, 'c, 'x> {
    cx: &'c Context<'x>,
    held: Vec<Held>,
    calls: Vec<(&'a str, Option<Held>)>,
    /// Whether a lock is taken anywhere in the body.
    locked: bool,
}

impl<'a, 'c, 'x> SelfCalls<'a, 'c, 'x> {
    fn of(cx: &'c Context<'x>, method: &'a StmtFunctionDef) -> Self {
        let mut walk = SelfCalls {
            cx,
            held: Vec::new(),
            calls: Vec::new(),
            locked: false,
        };
        walk.visit_body(&method.body);
        walk
    }
}

impl<'a> Visitor<'a> for SelfCalls<'a, '_, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if matches!(stmt, Stmt::ClassDef(_)) {
            return;
        }
        let lock = stmt_lock(self.cx, stmt);
        let pushed = lock.is_some();
        self.locked |= pushed;
        self.held.extend(lock);
        visitor::walk_stmt(self, stmt);
        if pushed {
            self.held.pop();
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Some(name) = classes::self_method(call)
        {
            self.calls.push((name, self.held.last().cloned()));
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::reverses;

    #[test]
    fn reverse_names_keep_the_rest_of_the_name() {
        let names = |n: &str| reverses(n).into_iter().map(|(r, _)| r).collect::<Vec<_>>();
        assert_eq!(names("_map_volume"), ["_unmap_volume"]);
        assert_eq!(
            names("terminate_connection_snapshot"),
            ["initialize_connection_snapshot"]
        );
        assert_eq!(names("mount"), ["umount", "unmount"]);
        assert!(names("mapping").is_empty());
        assert!(names("connection_info").is_empty());
    }
}
