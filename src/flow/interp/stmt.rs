//! Statements: assignments, control flow and imports.

use ruff_python_ast::{ExceptHandler, Expr, Pattern, Stmt};
use ruff_text_size::Ranged;

use super::super::models::Kind;
use super::super::value::{Const, Items, Value};
use super::{Env, Interp, LoopFrame};
use crate::python::names;

/// Loops run their body at most this many times before constants are
/// widened away, and twice more after that.
const LOOP_ROUNDS: usize = 3;
/// Loops nested deeper than this run their body once (then widen): each
/// pass of an outer loop reruns the inner ones, so passes multiply with
/// depth (a fuzzed file of 14 nested loops took seconds).
const PRECISE_LOOP_DEPTH: usize = 4;

impl<'a> Interp<'a, '_> {
    pub fn exec_block(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            if !self.env.live {
                break;
            }
            self.exec_stmt(stmt);
        }
    }

    fn exec_stmt(&mut self, stmt: &'a Stmt) {
        self.cx.steps.set(self.cx.steps.get() + 1);
        match stmt {
            Stmt::Expr(s) => {
                self.eval(&s.value);
            }
            Stmt::Assign(s) => {
                let value = self.eval(&s.value);
                for target in &s.targets {
                    self.assign(target, value.clone());
                }
            }
            Stmt::AnnAssign(s) => {
                if let Some(v) = &s.value {
                    let value = self.eval(v);
                    self.assign(&s.target, value);
                }
            }
            Stmt::AugAssign(s) => {
                let current = self.eval_quiet_target(&s.target);
                let rhs = self.eval(&s.value);
                let value = self.binop(&current, s.op, &rhs);
                self.assign(&s.target, value);
            }
            Stmt::Return(s) => {
                let value = match &s.value {
                    Some(v) => self.eval(v),
                    None => Value::konst(Const::None),
                };
                self.check_return(&value, s.range());
                self.add_return(value);
                self.env.live = false;
            }
            Stmt::Raise(s) => {
                if let Some(e) = &s.exc {
                    self.eval(e);
                }
                if let Some(c) = &s.cause {
                    self.eval(c);
                }
                self.env.live = false;
            }
            Stmt::If(s) => {
                let test = self.eval(&s.test);
                let mut clauses: Vec<(Option<&'a Expr>, &'a [Stmt])> = vec![(Some(&s.test), &s.body)];
                for clause in &s.elif_else_clauses {
                    clauses.push((clause.test.as_ref(), &clause.body));
                }
                self.exec_if_chain(&clauses, Some(test));
            }
            Stmt::While(s) => self.exec_while(s),
            Stmt::For(s) => self.exec_for(s),
            Stmt::With(s) => {
                for item in &s.items {
                    let value = self.eval(&item.context_expr);
                    if let Some(target) = &item.optional_vars {
                        self.assign(target, value);
                    }
                }
                self.exec_block(&s.body);
            }
            Stmt::Try(s) => self.exec_try(s),
            Stmt::Match(s) => self.exec_match(s),
            Stmt::Assert(s) => {
                self.eval(&s.test);
                self.narrow_in_place(&s.test, true);
            }
            Stmt::FunctionDef(f) => {
                let qual = names::join(&self.func.qualname, f.name.as_str());
                let qual = if self.func.def.is_none() {
                    names::join(self.cx.module, f.name.as_str())
                } else {
                    qual
                };
                self.bind(f.name.as_str(), Value::refers(&qual));
            }
            Stmt::ClassDef(c) => {
                let qual = if self.func.def.is_none() {
                    names::join(self.cx.module, c.name.as_str())
                } else {
                    names::join(&self.func.qualname, c.name.as_str())
                };
                self.bind(c.name.as_str(), Value::refers(&qual));
            }
            Stmt::Import(s) => {
                for alias in &s.names {
                    let full = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => {
                            let v = self.import_value(full);
                            self.bind(asname.as_str(), v);
                        }
                        None => {
                            let top = full.split('.').next().unwrap_or(full);
                            let v = self.import_value(top);
                            self.bind(top, v);
                        }
                    }
                }
            }
            Stmt::ImportFrom(s) => {
                let base = super::super::modules::resolve_from(
                    self.cx.module,
                    self.cx.is_package,
                    s.level,
                    s.module.as_ref().map(|m| m.as_str()),
                );
                let Some(base) = base else { return };
                for alias in &s.names {
                    if alias.name.as_str() == "*" {
                        continue;
                    }
                    let full = if base.is_empty() {
                        alias.name.to_string()
                    } else {
                        names::join(&base, alias.name.as_str())
                    };
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    let v = self.import_value(&full);
                    self.bind(bound.as_str(), v);
                }
            }
            Stmt::Delete(s) => {
                for t in &s.targets {
                    if let Some(name) = Self::name_of(t) {
                        self.env.vars.remove(name);
                    }
                }
            }
            Stmt::Break(_) => {
                let env = std::mem::replace(&mut self.env, Env::dead());
                if let Some(frame) = self.loops.last_mut() {
                    frame.breaks.push(env);
                }
            }
            Stmt::Continue(_) => {
                let env = std::mem::replace(&mut self.env, Env::dead());
                if let Some(frame) = self.loops.last_mut() {
                    frame.continues.push(env);
                }
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) | Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => {}
        }
    }

    /// The value an import binds: a project module-level value, or a name
    /// that refers to what was imported.
    fn import_value(&self, full: &str) -> Value {
        let mut v = self.resolve_global(full).unwrap_or_else(|| Value::refers(full));
        if v.refers.is_none() {
            v.refers = Some(full.into());
        }
        // `from flask import request`: the object has a model type. If it is
        // a source, its taint is added where the name is used (`eval`).
        for row in self.cx.models.reads(full) {
            if matches!(row.kind, Kind::Type | Kind::Source) && row.ty.is_some() {
                v.ty = row.ty.as_deref().map(Into::into);
                v.tags |= row.tags;
            }
        }
        v
    }

    /// `if`/`elif`/`else`: each clause runs on the variables narrowed by the
    /// tests before it; a test that folds to a constant prunes.
    fn exec_if_chain(&mut self, clauses: &[(Option<&'a Expr>, &'a [Stmt])], first_test: Option<Value>) {
        let mut outcome: Option<Env> = None;
        let mut first_test = first_test;
        for (test, body) in clauses {
            if !self.env.live {
                break;
            }
            match test {
                None => {
                    self.exec_block(body);
                    let end = std::mem::replace(&mut self.env, Env::dead());
                    outcome = Some(match outcome {
                        None => end,
                        Some(o) => o.joined(&end),
                    });
                    break;
                }
                Some(test) => {
                    let value = match first_test.take() {
                        Some(v) => v,
                        None => self.eval(test),
                    };
                    let truth = value.konst.truthy();
                    if truth != Some(false) {
                        let saved = self.env.clone();
                        self.narrow_in_place(test, true);
                        self.exec_block(body);
                        let end = std::mem::replace(&mut self.env, saved);
                        outcome = Some(match outcome {
                            None => end,
                            Some(o) => o.joined(&end),
                        });
                    }
                    if truth == Some(true) {
                        self.env = Env::dead();
                        break;
                    }
                    self.narrow_in_place(test, false);
                }
            }
        }
        // Whatever is left is the path where no clause ran.
        if let Some(o) = outcome {
            let rest = std::mem::replace(&mut self.env, Env::dead());
            self.env = o.joined(&rest);
        }
    }

    fn exec_while(&mut self, s: &'a ruff_python_ast::StmtWhile) {
        let test = self.eval(&s.test);
        let always = test.konst.truthy() == Some(true);
        if test.konst.truthy() == Some(false) {
            self.exec_block(&s.orelse);
            return;
        }
        let frame = self.loop_fixpoint(
            &mut |this| {
                this.narrow_in_place(&s.test, true);
                this.exec_block(&s.body);
            },
            &mut |this| {
                this.eval_quiet(&s.test);
            },
        );
        self.env = if always {
            Env::dead()
        } else {
            self.narrow(&s.test, false)
        };
        if self.env.live {
            self.exec_block(&s.orelse);
        }
        for b in frame.breaks {
            self.env = self.env.join(&b);
        }
    }

    fn exec_for(&mut self, s: &'a ruff_python_ast::StmtFor) {
        let iter = self.eval(&s.iter);
        let element = self.element_of(&iter);
        let frame = self.loop_fixpoint(
            &mut |this| {
                this.assign(&s.target, element.clone());
                this.exec_block(&s.body);
            },
            &mut |_| {},
        );
        self.exec_block(&s.orelse);
        for b in frame.breaks {
            self.env = self.env.join(&b);
        }
    }

    /// Runs a loop's body until the state at its head stops changing (joined
    /// with what `continue` carries; widened after `LOOP_ROUNDS`). `round`
    /// runs one pass from the head; `again` runs before the next pass (the
    /// `while` test). Leaves the head's state in `self.env` and returns the
    /// loop's frame (its `break` states).
    fn loop_fixpoint(&mut self, round: &mut dyn FnMut(&mut Self), again: &mut dyn FnMut(&mut Self)) -> LoopFrame {
        self.loops.push(LoopFrame::default());
        let deep = self.loops.len() > PRECISE_LOOP_DEPTH;
        let passes = if deep { 1 } else { LOOP_ROUNDS + 2 };
        let mut head = self.env.clone();
        for pass in 0..passes {
            round(self);
            let mut end = self.env.clone();
            if let Some(frame) = self.loops.last_mut() {
                for c in frame.continues.drain(..) {
                    end = end.join(&c);
                }
            }
            let next = head.join(&end);
            if next.same_as(&head) {
                break;
            }
            head = if deep || pass + 1 >= LOOP_ROUNDS {
                widen(&head, &next)
            } else {
                next
            };
            self.env = head.clone();
            again(self);
        }
        self.env = head;
        self.loops.pop().unwrap_or_default()
    }

    /// The value of one element when iterating over `iter`.
    pub fn element_of(&self, iter: &Value) -> Value {
        match &iter.items {
            Some(Items::Seq(items)) if !items.is_empty() => {
                let mut v = items[0].clone();
                for i in items.iter().skip(1) {
                    v = v.join(i);
                }
                v.taint = v.taint.union(&iter.taint);
                v
            }
            Some(Items::Map(items)) => {
                // Iterating a dict gives its (constant) keys.
                let mut v = Value::tainted(iter.taint.clone());
                if let Some((k, _)) = items.first() {
                    v.konst = Const::Str(k.clone());
                    for (k2, _) in items.iter().skip(1) {
                        v.konst = v.konst.join(&Const::Str(k2.clone()));
                    }
                }
                v
            }
            _ => match &iter.konst {
                Const::Str(_) => Value::tainted(iter.all_taint()),
                _ => Value::tainted(iter.all_taint()),
            },
        }
    }

    fn exec_try(&mut self, s: &'a ruff_python_ast::StmtTry) {
        let before = self.env.clone();
        self.exec_block(&s.body);
        let after_body = self.env.clone();
        // An exception may come from anywhere in the body: handlers start from
        // what held before it or after it.
        let handler_start = before.join(&after_body);
        let mut outcome = Env::dead();
        if !s.orelse.is_empty() {
            self.env = after_body.clone();
            self.exec_block(&s.orelse);
            outcome = self.env.clone();
        } else {
            outcome = outcome.join(&after_body);
        }
        for handler in &s.handlers {
            let ExceptHandler::ExceptHandler(h) = handler;
            self.env = if handler_start.live {
                handler_start.clone()
            } else {
                before.clone()
            };
            if let Some(t) = &h.type_ {
                self.eval(t);
            }
            if let Some(name) = &h.name {
                self.bind(name.as_str(), Value::unknown());
            }
            self.exec_block(&h.body);
            outcome = outcome.join(&self.env);
        }
        if !s.finalbody.is_empty() {
            let live = outcome.live;
            self.env = if live { outcome } else { handler_start.join(&before) };
            self.exec_block(&s.finalbody);
            if !live {
                self.env.live = false;
            }
        } else {
            self.env = outcome;
        }
    }

    fn exec_match(&mut self, s: &'a ruff_python_ast::StmtMatch) {
        let subject = self.eval(&s.subject);
        let mut outcome: Option<Env> = None;
        for case in &s.cases {
            if !self.env.live {
                break;
            }
            let certain = match_certainty(&case.pattern, &subject);
            if certain == Some(false) {
                continue;
            }
            let saved = self.env.clone();
            self.bind_pattern(&case.pattern, &subject);
            if let Some(g) = &case.guard {
                self.eval(g);
            }
            self.exec_block(&case.body);
            outcome = Some(match outcome {
                None => self.env.clone(),
                Some(o) => o.join(&self.env),
            });
            self.env = saved;
            if certain == Some(true) && case.guard.is_none() {
                self.env = Env::dead();
                break;
            }
        }
        self.env = match outcome {
            None => self.env.clone(),
            Some(o) => o.join(&self.env),
        };
    }

    fn bind_pattern(&mut self, pattern: &Pattern, subject: &Value) {
        match pattern {
            Pattern::MatchAs(p) => {
                if let Some(name) = &p.name {
                    self.bind(name.as_str(), subject.clone());
                }
                if let Some(inner) = &p.pattern {
                    self.bind_pattern(inner, subject);
                }
            }
            Pattern::MatchStar(p) => {
                if let Some(name) = &p.name {
                    self.bind(name.as_str(), Value::tainted(subject.all_taint()));
                }
            }
            Pattern::MatchSequence(p) => {
                let elem = self.element_of(subject);
                for sub in &p.patterns {
                    self.bind_pattern(sub, &elem);
                }
            }
            Pattern::MatchMapping(p) => {
                let elem = Value::tainted(subject.all_taint());
                for sub in &p.patterns {
                    self.bind_pattern(sub, &elem);
                }
                if let Some(rest) = &p.rest {
                    self.bind(rest.as_str(), elem);
                }
            }
            Pattern::MatchClass(p) => {
                let elem = Value::tainted(subject.all_taint());
                for sub in &p.arguments.patterns {
                    self.bind_pattern(sub, &elem);
                }
                for kw in &p.arguments.keywords {
                    self.bind_pattern(&kw.pattern, &elem);
                }
            }
            Pattern::MatchOr(p) => {
                for sub in &p.patterns {
                    self.bind_pattern(sub, subject);
                }
            }
            Pattern::MatchValue(_) | Pattern::MatchSingleton(_) => {}
        }
    }

    /// Checks a returned value against the return sinks of this function.
    fn check_return(&mut self, value: &Value, range: ruff_text_size::TextRange) {
        if self.func.return_sinks.is_empty() {
            return;
        }
        let sinks = self.func.return_sinks.clone();
        let taint = value.all_taint();
        let qualname = self.func.qualname.clone();
        for row in sinks {
            self.hit_row_sink(&taint, row, range, (&qualname, "the response"), || {
                "returned to the client".to_string()
            });
        }
    }

    /// Evaluates an assignment target as an expression (for `x += ...`).
    fn eval_quiet_target(&mut self, target: &'a Expr) -> Value {
        self.eval(target)
    }
}

/// Whether a `case` pattern certainly matches (Some(true)), certainly does
/// not (Some(false)), or may (None), given the subject's constant.
fn match_certainty(pattern: &Pattern, subject: &Value) -> Option<bool> {
    match pattern {
        Pattern::MatchAs(p) if p.pattern.is_none() => Some(true),
        Pattern::MatchValue(p) => {
            let lit = super::expr::literal_const(&p.value)?;
            match (&subject.konst, &lit) {
                (Const::Unknown, _) | (Const::Strs(_), _) => None,
                (a, b) => Some(a == b),
            }
        }
        Pattern::MatchOr(p) => {
            let mut any_unknown = false;
            for sub in &p.patterns {
                match match_certainty(sub, subject) {
                    Some(true) => return Some(true),
                    None => any_unknown = true,
                    Some(false) => {}
                }
            }
            if any_unknown { None } else { Some(false) }
        }
        _ => None,
    }
}

/// After a few loop rounds: variables that still change lose their constants.
fn widen(old: &Env, new: &Env) -> Env {
    let mut out = new.clone();
    for (k, v) in out.vars.iter_mut() {
        match old.vars.get(k) {
            Some(o) if o.same_as(v) => {}
            _ => *v = v.widen(),
        }
    }
    out
}
