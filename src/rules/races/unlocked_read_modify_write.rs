//! R104 unlocked-read-modify-write: shared state read, changed and written
//! back with no lock around it, where another worker can write in between.

use crate::python::names::last_segment;
use ruff_python_ast::{CmpOp, Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::body_calls::calls_in;
use super::check_then_use::is_lock;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R104",
    name: "unlocked-read-modify-write",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 362,
    severity: Level::Medium,
    confidence: Level::Low,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags two read-modify-write shapes outside any lock (`@utils.synchronized`, \
               `@lockutils.synchronized`, `@coordination.synchronized`, `with lock:`): (1) a field of a \
               database object updated from its own value (`volume.attach_count += 1`, `obj.size = obj.size + \
               n`) and then written with a plain `obj.save()` (no `expected_*` compare-and-swap); (2) a shared \
               container (`self._cache`, a module global, a class attribute) tested for a key and then filled \
               for it after a call that can yield to another greenthread (`if key not in self._cache: \
               self._cache[key] = self._client.fetch(key)`). Off by default: 1 of 7 findings on Neutron, \
               Cinder and Glance was a race a reviewer would accept (14%) and 0 of 4 on Nova (held out); most \
               are caches whose duplicate fill is harmless, or per-request objects no other greenthread sees.",
        why: "Services run several workers, each with many greenthreads, on several hosts. Between the read and \
              the write another one can write the same field or key: the slower writer silently overwrites the \
              other's update (a lost quota or capacity update, a counter that drifts, two clients or locks \
              created for the same key, one of which is then used unsynchronised) (CWE-362).",
        example: "volume = objects.Volume.get_by_id(ctxt, volume_id)\nvolume.attach_count += 1\nvolume.save()",
        use_instead: "volume.conditional_update({'attach_count': volume.attach_count + 1},\n                          {'attach_count': volume.attach_count})",
        fix: "Do the update atomically in the database (a conditional update or `save(expected_...)`), or hold the \
              lock that every writer of this state takes.",
        references: &["https://docs.openstack.org/cinder/latest/contributor/api_conditional_updates.html"],
    },
};

pub fn check(cx: &Context, decorators: &[ruff_python_ast::Decorator], body: &[Stmt], out: &mut Vec<Diagnostic>) {
    if decorators.iter().any(|d| is_lock(&d.expression)) {
        return;
    }
    let mut scan = Scan {
        cx,
        out,
        body,
        calls: None,
    };
    scan.block(body);
}

struct Scan<'a, 'c, 'o> {
    cx: &'c Context<'a>,
    out: &'o mut Vec<Diagnostic>,
    body: &'a [Stmt],
    /// The body's calls, listed the first time a field update needs them.
    calls: Option<Vec<&'a ExprCall>>,
}

impl<'a> Scan<'a, '_, '_> {
    fn block(&mut self, stmts: &'a [Stmt]) {
        for stmt in stmts {
            // `lock.acquire()` earlier in the block: the rest is locked.
            if is_acquire(stmt) {
                return;
            }
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::With(w) if !w.items.iter().any(|i| is_lock(&i.context_expr)) => self.block(&w.body),
                Stmt::AugAssign(a) => self.field_update(stmt, &a.target, true),
                Stmt::Assign(a) if a.targets.len() == 1 => {
                    let target = &a.targets[0];
                    // `obj.f = obj.f + n`: arithmetic on the old value.
                    let reads_itself =
                        matches!(&*a.value, Expr::BinOp(b) if same(&b.left, target) || same(&b.right, target));
                    if reads_itself {
                        self.field_update(stmt, target, false);
                    }
                }
                Stmt::If(i) => {
                    self.check_then_insert(&i.test, &i.body);
                    self.block(&i.body);
                    for c in &i.elif_else_clauses {
                        self.block(&c.body);
                    }
                }
                Stmt::For(f) => self.block(&f.body),
                Stmt::While(w) => self.block(&w.body),
                Stmt::Try(t) => {
                    self.block(&t.body);
                    for h in &t.handlers {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                        self.block(&h.body);
                    }
                    self.block(&t.orelse);
                    self.block(&t.finalbody);
                }
                _ => {}
            }
        }
    }

    /// `obj.field += n` (or `obj.field = obj.field + n`) followed by a plain
    /// `obj.save()`.
    fn field_update(&mut self, stmt: &'a Stmt, target: &'a Expr, augmented: bool) {
        let Expr::Attribute(attr) = target else { return };
        let Expr::Name(obj) = &*attr.value else { return };
        let obj = obj.id.as_str();
        if obj == "self" || obj == "cls" {
            return;
        }
        let body = self.body;
        let save = self
            .calls
            .get_or_insert_with(|| calls_in(body))
            .iter()
            .copied()
            .find(|c| {
                c.start() > stmt.end()
                    && c.arguments.is_empty()
                    && matches!(&*c.func, Expr::Attribute(a) if a.attr.as_str() == "save"
                    && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == obj))
            });
        let Some(save) = save else { return };
        let cx = self.cx;
        let field = cx.snippet(target);
        let how = if augmented {
            "updated in place"
        } else {
            "recomputed from its own value"
        };
        self.out.push(
            Diagnostic::new(
                &RULE,
                stmt.range(),
                format!("`{field}` is {how} and saved without a lock or a conditional update"),
            )
            .detail(format!(
                "Line {} reads `{field}` and writes it back; line {} saves the whole object. A concurrent update \
                 of `{field}` between the load and the save is lost.",
                cx.line_of(stmt),
                cx.line_of(save)
            ))
            .step(stmt.range(), format!("`{field}` is read and changed in memory"))
            .step(
                save.range(),
                format!(
                    "`{}` writes it back, overwriting any concurrent change",
                    cx.snippet(save)
                ),
            ),
        );
    }

    /// `if key not in shared:` ... a yielding call ... `shared[key] = value`.
    fn check_then_insert(&mut self, test: &'a Expr, body: &'a [Stmt]) {
        let Expr::Compare(cmp) = test else { return };
        if cmp.ops.len() != 1 || cmp.ops[0] != CmpOp::NotIn {
            return;
        }
        let container = &cmp.comparators[0];
        if !self.is_shared(container) {
            return;
        }
        let cx = self.cx;
        let key = &*cmp.left;
        let mut yielded: Option<&ExprCall> = None;
        for stmt in body {
            if let Stmt::Assign(a) = stmt
                && let [Expr::Subscript(sub)] = &a.targets[..]
                && same(&sub.value, container)
                && same(&sub.slice, key)
            {
                let in_value = calls_in(std::slice::from_ref(stmt))
                    .into_iter()
                    .find(|c| self.may_yield(c));
                let Some(call) = yielded.or(in_value) else { return };
                let shared = cx.snippet(container);
                self.out.push(
                    Diagnostic::new(
                        &RULE,
                        stmt.range(),
                        format!(
                            "`{shared}[{}]` is filled after a test and a call that can yield, with no lock",
                            cx.snippet(key)
                        ),
                    )
                    .detail(format!(
                        "Line {} finds the key missing; line {} can switch to another greenthread, which may fill it \
                         first; line {} then overwrites it.",
                        cx.line_of(test),
                        cx.line_of(call),
                        cx.line_of(stmt)
                    ))
                    .step(test.range(), format!("`{}` tests the shared state", cx.snippet(test)))
                    .step(
                        call.range(),
                        format!("`{}` can yield to another greenthread", cx.snippet(call)),
                    )
                    .step(stmt.range(), "the key is written, trusting the test"),
                );
                return;
            }
            if yielded.is_none() {
                yielded = calls_in(std::slice::from_ref(stmt))
                    .into_iter()
                    .find(|c| self.may_yield(c));
            }
        }
    }

    /// State other workers see: `self.x`, `cls.x`, or a module-level name
    /// this function does not bind.
    fn is_shared(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Attribute(a) => matches!(&*a.value, Expr::Name(n) if matches!(n.id.as_str(), "self" | "cls")),
            Expr::Name(n) => {
                let name = n.id.as_str();
                !binds(self.body, name)
                    && (name.starts_with('_') || name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            }
            _ => false,
        }
    }

    /// A call that can switch greenthreads: anything but logging, builtins,
    /// and constructors of plain values.
    fn may_yield(&self, call: &ExprCall) -> bool {
        let name = self.cx.qualified_name(&call.func).unwrap_or_default();
        let first = name.split('.').next().unwrap_or("");
        let last = last_segment(&name);
        !(matches!(first, "LOG" | "LOGGER" | "log" | "logger" | "logging")
            || matches!(
                last,
                "dict" | "list" | "set" | "tuple" | "str" | "int" | "len" | "get" | "copy" | "deepcopy" | "format"
                    | "Lock" | "RLock" | "Semaphore" | "defaultdict" | "OrderedDict" | "_" | "isinstance"
                    // Container methods run without switching greenthreads.
                    | "pop" | "popleft" | "append" | "add" | "setdefault" | "update" | "keys" | "values" | "items"
                    | "remove" | "discard" | "extend" | "insert" | "split" | "join" | "strip" | "lower"
            )
            || last.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
    }
}

/// `x.acquire()` as a statement.
fn is_acquire(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Expr(e) if matches!(&*e.value, Expr::Call(c)
        if matches!(&*c.func, Expr::Attribute(a) if a.attr.as_str() == "acquire")))
}

fn same(a: &Expr, b: &Expr) -> bool {
    ruff_python_ast::comparable::ComparableExpr::from(a) == ruff_python_ast::comparable::ComparableExpr::from(b)
}

/// Whether the body binds `name` locally (so it is not the module's).
fn binds(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|s| {
        matches!(s, Stmt::Assign(a) if a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)))
    })
}
