//! The check-then-use scan shared by R101 (check-then-modify-path), R102
//! (check-then-read-path), R109 (check-then-remove-path) and R110
//! (check-then-run-command): a path tested (`os.path.exists`, `os.access`,
//! `os.stat`...) and then used in the region where the test's answer is
//! trusted, with nothing handling the error raised when the file changed in
//! between.
//!
//! A positive test is trusted by the branch it guards, a negative one by
//! its branch and, when that branch returns, raises, breaks or continues, by
//! the rest of the block. The first operation on the same path (see
//! [`super::same_path`]) in that region is the use; a later test of the same
//! path ends the region. Which rule reports depends on the use: reading is
//! R102's, removing R109's, running a command R110's, anything else R101's.

use crate::python::names::last_segment;
use std::collections::HashSet;

use ruff_python_ast::{BoolOp, Decorator, ElifElseClause, Expr, ExprCall, Stmt, StmtIf, UnaryOp};
use ruff_text_size::{Ranged, TextSize};

use super::failure_handling::{Guard, Guards, suppressed};
use super::file_operations::{NO_DEST, Op, file_operation, is_command_runner, is_path_check};
use super::same_path::PathNames;
use super::{check_then_modify_path, check_then_read_path, check_then_remove_path, check_then_run_command};
use crate::python::arguments::{arg_or_keyword, keyword_in};
use crate::python::literal::{is_truthy_constant, str_value};
use crate::python::names::dotted;
use crate::rules::{Context, Diagnostic, Level};

/// Checks one function body (or the module's top-level statements). A
/// function that holds a lock for its whole body (`@utils.synchronized`,
/// `@lockutils.synchronized`, `@coordination.synchronized`) is skipped: the
/// writers of its paths are expected to take the same lock.
pub fn check_body(cx: &Context, decorators: &[Decorator], body: &[Stmt], out: &mut Vec<Diagnostic>) {
    if decorators.iter().any(|d| is_lock(&d.expression)) || !has_path_test(body) {
        return;
    }
    let mut scan = Scan {
        cx,
        names: PathNames::of_body(body, cx.text),
        temporaries: temporaries(cx, body),
        reported: HashSet::new(),
        out,
    };
    scan.block(body, &mut Guards::default());
}

/// Whether the body calls anything named like a path test (a cheap filter
/// before the path keys are built).
fn has_path_test(body: &[Stmt]) -> bool {
    crate::rules::races::expr_search::any_in_body(body, |e: &Expr| {
        let Expr::Call(call) = e else { return false };
        let name = match &*call.func {
            Expr::Attribute(a) => a.attr.as_str(),
            Expr::Name(n) => n.id.as_str(),
            _ => return false,
        };
        matches!(
            name,
            "exists" | "lexists" | "isfile" | "isdir" | "islink" | "access" | "stat" | "lstat" | "getsize" | "getmtime"
        )
    })
}

/// Whether an expression is a lock, or a call that takes or makes one:
/// `self._lock`, `lockutils.lock(name)`, `utils.synchronized(name)`,
/// `COORDINATOR.get_lock(name)`, `threading.Semaphore()`.
pub fn is_lock(expr: &Expr) -> bool {
    let target = match expr {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    let Some(name) = dotted(target) else { return false };
    let last = last_segment(&name).to_ascii_lowercase();
    last.contains("lock") || last.contains("synchronized") || last.contains("mutex") || last.contains("semaphore")
}

/// Local names bound to temporary files or directories this function made
/// (`tempfile.mkstemp()`, `tempfile.NamedTemporaryFile(...).name`): private
/// paths nobody else races on.
fn temporaries<'a>(cx: &Context, body: &'a [Stmt]) -> HashSet<&'a str> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Temps<'a, 'c, 'x> {
        cx: &'c Context<'x>,
        names: HashSet<&'a str>,
    }
    impl<'a> Temps<'a, '_, '_> {
        fn is_temp(&self, value: &Expr) -> bool {
            match value {
                Expr::Call(call) => self
                    .cx
                    .qualified_name(&call.func)
                    .is_some_and(|n| n.starts_with("tempfile.")),
                Expr::Attribute(attr) => {
                    attr.attr.as_str() == "name"
                        && matches!(&*attr.value, Expr::Name(n) if self.names.contains(n.id.as_str()))
                }
                _ => false,
            }
        }
        fn bind(&mut self, target: &'a Expr) {
            match target {
                Expr::Name(n) => {
                    self.names.insert(n.id.as_str());
                }
                Expr::Tuple(t) => t.elts.iter().for_each(|e| self.bind(e)),
                _ => {}
            }
        }
    }
    impl<'a> Visitor<'a> for Temps<'a, '_, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
                Stmt::Assign(a) if self.is_temp(&a.value) => a.targets.iter().for_each(|t| self.bind(t)),
                Stmt::With(w) => {
                    for item in &w.items {
                        if let Some(var) = &item.optional_vars
                            && self.is_temp(&item.context_expr)
                        {
                            self.bind(var);
                        }
                    }
                }
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }
    }
    let mut temps = Temps {
        cx,
        names: HashSet::new(),
    };
    temps.visit_body(body);
    temps.names
}

/// A path test whose outcome is known in a region of code.
#[derive(Clone, Copy)]
struct Fact<'a> {
    check: &'a ExprCall,
    path: &'a Expr,
    /// True: the path exists here. False: it does not.
    exists: bool,
    /// The test is also a guard: the branch for the other answer raises
    /// (`if os.path.exists(p): raise Exists(...)`). Its fix must keep the
    /// error, never make the operation tolerate the path.
    guard_raises: bool,
}

struct Scan<'a, 'c, 'o> {
    cx: &'c Context<'a>,
    names: PathNames<'a>,
    temporaries: HashSet<&'a str>,
    /// Operations already reported (a use trusted by two checks is one finding).
    reported: HashSet<TextSize>,
    out: &'o mut Vec<Diagnostic>,
}

impl<'a> Scan<'a, '_, '_> {
    /// Walks a block looking for `if` statements that test a path.
    fn block(&mut self, stmts: &'a [Stmt], guards: &mut Guards<'a>) {
        for (i, stmt) in stmts.iter().enumerate() {
            match stmt {
                Stmt::If(if_) => {
                    self.on_if(if_, &stmts[i + 1..], guards);
                    self.block(&if_.body, guards);
                    for clause in &if_.elif_else_clauses {
                        self.block(&clause.body, guards);
                    }
                }
                Stmt::For(for_) => {
                    self.block(&for_.body, guards);
                    self.block(&for_.orelse, guards);
                }
                Stmt::While(while_) => {
                    self.block(&while_.body, guards);
                    self.block(&while_.orelse, guards);
                }
                Stmt::With(with) => {
                    // Tests and uses under a lock race with no writer that
                    // takes the same lock.
                    if with.items.iter().any(|item| is_lock(&item.context_expr)) {
                        continue;
                    }
                    let pushed = self.push_suppress(with, guards);
                    self.block(&with.body, guards);
                    (0..pushed).for_each(|_| guards.pop());
                }
                Stmt::Try(try_) => {
                    guards.push(Guard::Handlers(&try_.handlers));
                    self.block(&try_.body, guards);
                    guards.pop();
                    for handler in &try_.handlers {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                        self.block(&h.body, guards);
                    }
                    self.block(&try_.orelse, guards);
                    self.block(&try_.finalbody, guards);
                }
                Stmt::Match(match_) => {
                    for case in &match_.cases {
                        self.block(&case.body, guards);
                    }
                }
                _ => {}
            }
        }
    }

    fn push_suppress(&self, with: &'a ruff_python_ast::StmtWith, guards: &mut Guards<'a>) -> usize {
        let mut pushed = 0;
        for item in &with.items {
            if let Some(types) = suppressed(self.cx, &item.context_expr) {
                guards.push(Guard::Suppress(types));
                pushed += 1;
            }
        }
        pushed
    }

    fn on_if(&mut self, if_: &'a StmtIf, following: &'a [Stmt], guards: &mut Guards<'a>) {
        let mut prior_false: Vec<Fact<'a>> = Vec::new();
        let clauses = std::iter::once((Some(&*if_.test), &if_.body[..])).chain(
            if_.elif_else_clauses
                .iter()
                .map(|c: &'a ElifElseClause| (c.test.as_ref(), &c.body[..])),
        );
        for (test, body) in clauses {
            let mut facts = prior_false.clone();
            if let Some(test) = test {
                facts.extend(self.facts_when(test, true));
            }
            for fact in facts {
                self.scan_region(fact, body, guards);
            }
            if let Some(test) = test {
                prior_false.extend(self.facts_when(test, false));
            }
        }
        // `if not os.path.exists(p): return` vouches for the rest of the block.
        if if_.elif_else_clauses.is_empty() && exits(&if_.body) {
            let raises = matches!(if_.body.last(), Some(Stmt::Raise(_)));
            for mut fact in self.facts_when(&if_.test, false) {
                fact.guard_raises = raises;
                self.scan_region(fact, following, guards);
            }
        }
    }

    /// The path facts that hold when `test` evaluates to `outcome`.
    fn facts_when(&self, test: &'a Expr, outcome: bool) -> Vec<Fact<'a>> {
        match test {
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => self.facts_when(&u.operand, !outcome),
            Expr::BoolOp(b) => {
                // `a and b` true: both true; `a or b` false: both false.
                let all_hold = (b.op == BoolOp::And) == outcome;
                if all_hold {
                    b.values.iter().flat_map(|v| self.facts_when(v, outcome)).collect()
                } else {
                    Vec::new()
                }
            }
            Expr::Call(call) => self.fact_of_call(call, outcome).into_iter().collect(),
            // `os.stat(p).st_size > 0`, `os.path.getsize(p) == 0`: either
            // way the path existed when tested.
            Expr::Compare(cmp) => self.stat_fact(&cmp.left).into_iter().collect(),
            Expr::Attribute(_) => self.stat_fact(test).into_iter().collect(),
            _ => Vec::new(),
        }
    }

    fn fact_of_call(&self, call: &'a ExprCall, outcome: bool) -> Option<Fact<'a>> {
        let name = self.cx.qualified_name(&call.func)?;
        if !is_path_check(&name) {
            return None;
        }
        let path = call.arguments.args.first()?;
        let existence = matches!(
            name.as_str(),
            "os.path.exists" | "os.path.lexists" | "os.path.isfile" | "os.path.isdir" | "os.path.islink"
        ) || (name == "os.access" && call.arguments.args.get(1).is_some_and(|m| self.is_f_ok(m)));
        if existence {
            Some(Fact {
                check: call,
                path,
                exists: outcome,
                guard_raises: false,
            })
        } else {
            // `os.access(p, os.W_OK)` failing says nothing about existence;
            // succeeding (like `os.stat` returning) says the path is there.
            (outcome || !name.starts_with("os.access")).then_some(Fact {
                check: call,
                path,
                exists: true,
                guard_raises: false,
            })
        }
    }

    fn is_f_ok(&self, mode: &Expr) -> bool {
        self.cx.qualified_name(mode).is_some_and(|n| n == "os.F_OK")
    }

    fn stat_fact(&self, expr: &'a Expr) -> Option<Fact<'a>> {
        let mut inner = expr;
        while let Expr::Attribute(attr) = inner {
            inner = &attr.value;
        }
        let Expr::Call(call) = inner else { return None };
        let name = self.cx.qualified_name(&call.func)?;
        let stat = matches!(
            name.as_str(),
            "os.stat" | "os.lstat" | "os.path.getsize" | "os.path.getmtime"
        );
        stat.then(|| {
            call.arguments.args.first().map(|path| Fact {
                check: call,
                path,
                exists: true,
                guard_raises: false,
            })
        })
        .flatten()
    }

    /// Looks for the first operation on the fact's path in `stmts` and
    /// reports it unless its failure is handled.
    fn scan_region(&mut self, fact: Fact<'a>, stmts: &'a [Stmt], guards: &mut Guards<'a>) {
        if root_name(fact.path).is_some_and(|root| self.temporaries.contains(root)) {
            return;
        }
        let mut region = Region {
            scan: self,
            fact,
            guards: guards.clone(),
            done: false,
            raise_line: None,
        };
        region.stmts(stmts);
    }

    fn report(&mut self, fact: Fact<'a>, call: &'a ExprCall, op: Op, reads: bool, raise_line: Option<u32>) {
        if !self.reported.insert(call.range().start()) {
            return;
        }
        let cx = self.cx;
        let path = cx.snippet(fact.path);
        let check = cx.snippet(fact.check);
        let use_ = cx.snippet(call);
        let (check_line, use_line) = (cx.line_of(fact.check), cx.line_of(call));
        let negated = if fact.exists { "" } else { "not " };
        let (does, why) = if reads {
            (
                "reads it",
                "If the file is removed in between, `open` raises `FileNotFoundError`, which nothing handles; if \
                 it is replaced (by another file or a symlink), this code reads the replacement.",
            )
        } else {
            describe(op, fact.exists)
        };
        let severity = match op {
            _ if reads => Level::Low,
            Op::Open | Op::Chmod | Op::Chown | Op::Command | Op::Copy => Level::Medium,
            _ => Level::Low,
        };
        let check_note = if fact.exists {
            format!("`{check}` finds that `{path}` exists")
        } else {
            format!("`{check}` finds that `{path}` does not exist")
        };
        out_push(
            self.out,
            Diagnostic::new(
                match op {
                    _ if reads => &check_then_read_path::RULE,
                    Op::Remove | Op::RemoveTree => &check_then_remove_path::RULE,
                    Op::Command => &check_then_run_command::RULE,
                    _ => &check_then_modify_path::RULE,
                },
                call.range(),
                format!(
                    "`{use_}` trusts the `{negated}{check}` test on line {check_line} (time of check to time of use)"
                ),
            )
            .severity(severity)
            .detail(format!(
                "Line {check_line} tests `{path}`; line {use_line} {does}. {why}"
            ))
            .fix(fix_for(op, &path, fact, &use_, raise_line))
            .step(fact.check.range(), check_note)
            .step(call.range(), format!("`{use_}` {does}, trusting that answer")),
        );
    }
}

fn out_push(out: &mut Vec<Diagnostic>, diag: Diagnostic) {
    out.push(diag);
}

/// What the operation does, and what goes wrong when the answer changed.
fn describe(op: Op, exists: bool) -> (&'static str, &'static str) {
    match (op, exists) {
        (Op::Open, true) => (
            "opens it",
            "If the file is removed in between, `open` raises `FileNotFoundError`, which nothing handles; if it \
             is replaced by a symlink, the open follows it.",
        ),
        (Op::Open, false) => (
            "creates it",
            "If another process creates the file (or a symlink) in between, this open truncates it or writes \
             through the link.",
        ),
        (Op::Remove, _) | (Op::RemoveTree, _) => (
            "removes it",
            "If another worker removes it in between, the `FileNotFoundError` raised here is not handled.",
        ),
        (Op::Rename, _) => (
            "renames it",
            "If the path changes in between, the rename fails with an unhandled `OSError` or replaces what \
             another process just created.",
        ),
        (Op::Copy, _) => (
            "copies it",
            "If the path changes in between, the copy fails with an unhandled `OSError` or copies a file \
             planted by someone else.",
        ),
        (Op::Chmod, _) => (
            "changes its mode",
            "`chmod` follows symlinks: if the path is replaced by a link in between, the mode of the link's \
             target changes; if it is removed, the `FileNotFoundError` is not handled.",
        ),
        (Op::Chown, _) => (
            "changes its owner",
            "`chown` follows symlinks: if the path is replaced by a link in between, the link's target changes \
             owner; if it is removed, the `FileNotFoundError` is not handled.",
        ),
        (Op::MakeDir, _) => (
            "creates it",
            "If another worker creates the directory in between, `FileExistsError` is raised and not handled.",
        ),
        (Op::Create, _) => (
            "creates it",
            "If another process creates the path in between, `FileExistsError` is raised and not handled.",
        ),
        (Op::Touch, _) => (
            "modifies it",
            "If the file is removed in between, the `FileNotFoundError` raised here is not handled.",
        ),
        (Op::Command, _) => (
            "passes it to an external command",
            "If the path changes in between, the command fails (an unhandled `ProcessExecutionError`) or acts \
             on whatever was put there, with the command's privileges.",
        ),
    }
}

/// The solution for this code. A test that is also a guard keeps its
/// error: when its other branch raises, the operation must fail atomically
/// and raise the same error (never `exist_ok=True`, which removes the
/// guard); when the trusted branch itself raises before the operation, the
/// test decides that error and stays, and only the operation learns to
/// tolerate a concurrent worker.
fn fix_for(op: Op, path: &str, fact: Fact, use_: &str, raise_line: Option<u32>) -> String {
    let exists = fact.exists;
    if fact.guard_raises {
        let error = if exists { "FileNotFoundError" } else { "FileExistsError" };
        return format!(
            "Keep the error the test raises, but let `{use_}` decide it: drop the test, call the operation \
             so that it fails when the path is {} (no `exist_ok=True`{}), and raise the same error from \
             `except {error}`.",
            if exists { "missing" } else { "already there" },
            if exists {
                ""
            } else {
                ", `os.open` with `O_CREAT | O_EXCL` for files"
            },
        );
    }
    if let (Op::MakeDir, false, Some(line)) = (op, exists, raise_line) {
        return format!(
            "Keep the test (it decides the error raised on line {line}), and add `exist_ok=True` to `{use_}` so \
             that a directory another worker creates in between is not an error."
        );
    }
    match (op, exists) {
        (Op::Remove, _) => format!(
            "Remove `{path}` without testing first and catch `FileNotFoundError` (or call \
             `fileutils.delete_if_exists({path})` from oslo.utils)."
        ),
        (Op::RemoveTree, _) => {
            format!("Call `shutil.rmtree({path})` without testing first and catch `FileNotFoundError`.")
        }
        (Op::MakeDir, _) => format!(
            "Use `os.makedirs({path}, exist_ok=True)` (or `fileutils.ensure_tree({path})`) instead of testing first."
        ),
        (Op::Open, true) => format!(
            "Open `{path}` without testing first and handle `FileNotFoundError` (add `O_NOFOLLOW` when others \
             can write to its directory)."
        ),
        (Op::Open, false) => format!(
            "Create `{path}` atomically with `os.open({path}, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)` and \
             handle `FileExistsError`."
        ),
        (Op::Chmod, _) | (Op::Chown, _) => format!(
            "Open `{path}` once with `os.O_NOFOLLOW` and change the descriptor (`os.fchmod`/`os.fchown`), handling \
             `FileNotFoundError`, instead of testing the name first."
        ),
        (Op::Command, _) => format!(
            "Run the command without testing `{path}` first and handle its failure \
             (`processutils.ProcessExecutionError`), or make the command tolerate the path's absence."
        ),
        _ => format!("Do the operation on `{path}` without testing first and handle the `OSError` it raises."),
    }
}

/// The statements of a region where a fact holds, scanned in order.
struct Region<'s, 'a, 'c, 'o> {
    scan: &'s mut Scan<'a, 'c, 'o>,
    fact: Fact<'a>,
    guards: Guards<'a>,
    done: bool,
    /// The line of a `raise` met in the region before the operation: the
    /// test also decides whether that error is raised, so it must stay.
    raise_line: Option<u32>,
}

impl<'a> Region<'_, 'a, '_, '_> {
    fn stmts(&mut self, stmts: &'a [Stmt]) {
        for stmt in stmts {
            if self.done {
                return;
            }
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::If(if_) => {
                self.expr(&if_.test);
                self.stmts(&if_.body);
                for clause in &if_.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        self.expr(test);
                    }
                    self.stmts(&clause.body);
                }
            }
            Stmt::For(for_) => {
                self.expr(&for_.iter);
                self.stmts(&for_.body);
                self.stmts(&for_.orelse);
            }
            Stmt::While(while_) => {
                self.expr(&while_.test);
                self.stmts(&while_.body);
                self.stmts(&while_.orelse);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.expr(&item.context_expr);
                }
                let pushed = self.scan.push_suppress(with, &mut self.guards);
                self.stmts(&with.body);
                (0..pushed).for_each(|_| self.guards.pop());
            }
            Stmt::Try(try_) => {
                self.guards.push(Guard::Handlers(&try_.handlers));
                self.stmts(&try_.body);
                self.guards.pop();
                for handler in &try_.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    self.stmts(&h.body);
                }
                self.stmts(&try_.orelse);
                self.stmts(&try_.finalbody);
            }
            Stmt::Match(match_) => {
                self.expr(&match_.subject);
                for case in &match_.cases {
                    self.stmts(&case.body);
                }
            }
            Stmt::Assign(assign) => {
                self.expr(&assign.value);
                // A new value for the path's variable ends the region.
                if assign.targets.iter().any(|t| self.rebinds(t)) {
                    self.done = true;
                }
            }
            Stmt::AugAssign(assign) => {
                self.expr(&assign.value);
                if self.rebinds(&assign.target) {
                    self.done = true;
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.expr(value);
                }
            }
            Stmt::Expr(e) => self.expr(&e.value),
            Stmt::Return(r) => {
                if let Some(value) = &r.value {
                    self.expr(value);
                }
            }
            Stmt::Raise(raise) if self.raise_line.is_none() => {
                self.raise_line = Some(self.scan.cx.line_of(raise));
            }
            Stmt::Assert(_) | Stmt::Delete(_) => {}
            _ => {}
        }
    }

    /// Whether assigning to `target` rebinds the variable the path is in.
    fn rebinds(&self, target: &Expr) -> bool {
        let Some(root) = root_name(self.fact.path) else {
            return false;
        };
        match target {
            Expr::Name(name) => name.id.as_str() == root,
            Expr::Tuple(t) => t.elts.iter().any(|e| self.rebinds(e)),
            Expr::List(l) => l.elts.iter().any(|e| self.rebinds(e)),
            _ => false,
        }
    }

    fn expr(&mut self, expr: &'a Expr) {
        let mut calls = Vec::new();
        collect_calls(expr, &mut calls);
        for call in calls {
            if self.done {
                return;
            }
            self.call(call);
        }
    }

    fn call(&mut self, call: &'a ExprCall) {
        let cx = self.scan.cx;
        let Some(name) = cx.qualified_name(&call.func) else {
            return;
        };
        // A new test of the same path starts its own region.
        if is_path_check(&name)
            && call.range() != self.fact.check.range()
            && call
                .arguments
                .args
                .first()
                .is_some_and(|p| self.scan.names.same(p, self.fact.path))
        {
            self.done = true;
            return;
        }
        let (op, index) = if let Some((op, src, dest)) = file_operation(&name) {
            let index = match (op, self.fact.exists) {
                (Op::Open, false) if !opens_for_creation(call, &name) => return,
                (Op::Open, _) => 0,
                (_, true) => src,
                (_, false) => dest,
            };
            if index == NO_DEST {
                return;
            }
            (op, Some(index))
        } else if is_command_runner(&name) {
            (Op::Command, None)
        } else {
            return;
        };
        let names = &self.scan.names;
        let on_path = match index {
            Some(i) => call
                .arguments
                .args
                .get(i)
                .or_else(|| path_keyword(call, i))
                .is_some_and(|arg| names.same(arg, self.fact.path)),
            None => command_arguments(call).any(|arg| names.same(arg, self.fact.path)),
        };
        if !on_path {
            return;
        }
        self.done = true;
        if is_safe_variant(call, op) || self.guards.handle_os_error(op == Op::Command) {
            return;
        }
        let fact = self.fact;
        // Reading after `os.access(p, os.R_OK)` is the textbook TOCTOU and
        // stays with R101; other reads are R102's.
        let reads = op == Op::Open && !opens_for_creation(call, &name) && !self.permission_check(fact);
        self.scan.report(fact, call, op, reads, self.raise_line);
    }
}

impl<'a> Region<'_, 'a, '_, '_> {
    /// Whether the fact comes from `os.access(path, os.R_OK | os.W_OK ...)`.
    fn permission_check(&self, fact: Fact<'a>) -> bool {
        self.scan
            .cx
            .qualified_name(&fact.check.func)
            .is_some_and(|n| n == "os.access")
            && fact.check.arguments.args.get(1).is_some_and(|m| !self.scan.is_f_ok(m))
    }
}

/// The path keyword an operation may be given its path by.
fn path_keyword(call: &ExprCall, index: usize) -> Option<&Expr> {
    let names: &[&str] = match index {
        0 => &["path", "src", "file", "name", "fd"],
        1 => &["dst", "dest"],
        _ => &[],
    };
    keyword_in(call, names)
}

/// The arguments of a command runner: positional ones, and the items of a
/// list or tuple passed as the command.
fn command_arguments(call: &ExprCall) -> impl Iterator<Item = &Expr> {
    call.arguments.args.iter().flat_map(|arg| match arg {
        Expr::List(l) => l.elts.iter().collect::<Vec<_>>(),
        Expr::Tuple(t) => t.elts.iter().collect(),
        Expr::Starred(_) => Vec::new(),
        other => vec![other],
    })
}

/// `os.makedirs(p, exist_ok=True)`, `shutil.rmtree(p, ignore_errors=True)`,
/// `open(p, 'x')`, `os.open(p, ... | os.O_EXCL)`, `rm -f p`: operations
/// that do not fail when the path changed.
fn is_safe_variant(call: &ExprCall, op: Op) -> bool {
    let keyword_true = |name: &str| {
        call.arguments
            .keywords
            .iter()
            .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name) && !is_falsy(&k.value))
    };
    match op {
        Op::MakeDir => keyword_true("exist_ok") || call.arguments.args.get(2).is_some_and(is_truthy_constant),
        Op::RemoveTree => keyword_true("ignore_errors") || call.arguments.args.get(1).is_some_and(is_truthy_constant),
        Op::Open => {
            let mode = arg_or_keyword(call, 1, &["mode", "flags"]);
            mode.is_some_and(|m| str_value(m).is_some_and(|s| s.contains('x')) || mentions_name(m, "O_EXCL"))
        }
        Op::Command => {
            let args: Vec<String> = command_arguments(call)
                .filter_map(|a| str_value(a).map(|s| s.into_owned()))
                .collect();
            args.first().is_some_and(|a| a == "rm" || a == "rmdir")
                && args.iter().any(|a| a.starts_with('-') && a.contains('f'))
        }
        _ => false,
    }
}

fn is_falsy(expr: &Expr) -> bool {
    crate::python::literal::is_falsy_constant(expr)
}

/// Whether an `open` call creates the file (a writing or appending mode).
fn opens_for_creation(call: &ExprCall, name: &str) -> bool {
    if name == "os.open" {
        return call.arguments.args.get(1).is_some_and(|f| mentions_name(f, "O_CREAT"));
    }
    let mode = arg_or_keyword(call, 1, &["mode"]);
    // Appending creates or reuses the file, whoever made it: no race.
    mode.and_then(str_value).is_some_and(|m| m.contains('w'))
}

fn mentions_name(expr: &Expr, name: &str) -> bool {
    crate::rules::races::expr_search::any_expr(expr, |e: &Expr| match e {
        Expr::Attribute(a) => a.attr.as_str() == name,
        Expr::Name(n) => n.id.as_str() == name,
        _ => false,
    })
}

/// The variable a path expression starts from (`path`, `self` in
/// `self.path`, `d` in `os.path.join(d, n)` is not one: only plain names and
/// attribute chains have a root).
fn root_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        _ => None,
    }
}

/// The calls in an expression, outermost first within an argument list's
/// evaluation order (callee and arguments before the call itself), not
/// looking into lambdas.
pub fn collect_calls<'a>(expr: &'a Expr, out: &mut Vec<&'a ExprCall>) {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Calls<'a, 'v> {
        out: &'v mut Vec<&'a ExprCall>,
    }
    impl<'a> Visitor<'a> for Calls<'a, '_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) => {}
                Expr::Call(call) => {
                    visitor::walk_expr(self, expr);
                    self.out.push(call);
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    Calls { out }.visit_expr(expr);
}

/// Whether a block always leaves it: its last statement returns, raises,
/// continues or breaks.
fn exits(body: &[Stmt]) -> bool {
    matches!(
        body.last(),
        Some(Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_))
    )
}
