//! Conditions: what a test tells about the variables on each branch.
//!
//! `narrow(test, true)` is the state where `test` held. Comparisons with
//! constants pin a variable to them (it is no longer attacker-controlled);
//! guards from the models clear the rules they name (`is_uuid_like(x)`,
//! `'..' not in x`, `real.startswith(base)` after `realpath`); `not`, `and`
//! and `or` combine.

use ruff_python_ast::{self as ast, BoolOp, CmpOp, Expr, UnaryOp};

use super::super::models::{ArgAt, Kind, Match, ModelRow};
use super::super::value::{Const, Value};
use super::{Env, Interp};
use crate::python::names;

impl<'a> Interp<'a, '_> {
    /// The variables on the branch where `test` is `branch` (the current
    /// ones are left as they are).
    pub fn narrow(&mut self, test: &'a Expr, branch: bool) -> Env {
        let saved = self.env.clone();
        self.narrow_in_place(test, branch);
        std::mem::replace(&mut self.env, saved)
    }

    /// Narrows the current variables to the branch where `test` is `branch`.
    /// Most tests narrow nothing, and then nothing is copied.
    pub fn narrow_in_place(&mut self, test: &'a Expr, branch: bool) {
        if !self.env.live {
            return;
        }
        match test {
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => self.narrow_in_place(&u.operand, !branch),
            Expr::BoolOp(b) if (b.op == BoolOp::And) == branch => {
                // `a and b` true: both hold (and `a or b` false: neither).
                for v in &b.values {
                    self.narrow_in_place(v, branch);
                }
            }
            Expr::BoolOp(b) => {
                // `a and b` false: a false, or a true and b false; `a or b`
                // true is the dual.
                let saved = self.env.clone();
                let mut out: Option<Env> = None;
                for v in &b.values {
                    let this = self.narrow(v, branch);
                    out = Some(match out {
                        None => this,
                        Some(o) => o.join(&this),
                    });
                    self.narrow_in_place(v, !branch);
                }
                self.env = out.unwrap_or(saved);
            }
            Expr::Compare(c) if c.ops.len() == 1 => {
                let delta = self.narrow_compare(c, branch);
                self.env.vars.extend(delta.vars);
            }
            Expr::Call(call) => {
                let delta = self.narrow_call(call, branch);
                self.env.vars.extend(delta.vars);
            }
            Expr::Named(n) => self.narrow_in_place(&n.value, branch),
            _ => {}
        }
    }

    fn narrow_compare(&mut self, c: &'a ast::ExprCompare, branch: bool) -> Env {
        let op = c.ops[0];
        let right = &c.comparators[0];
        let positive = match op {
            CmpOp::Eq | CmpOp::In | CmpOp::Is => branch,
            CmpOp::NotEq | CmpOp::NotIn | CmpOp::IsNot => !branch,
            _ => return Env::new(),
        };
        let mut env = Env::new();
        let lv = self.eval_quiet(&c.left);
        let rv = self.eval_quiet(right);
        match op {
            // `x == 'a'`, `x in ('a', 'b')`: on the branch where it holds, x is
            // one of the constants.
            CmpOp::Eq | CmpOp::NotEq | CmpOp::In | CmpOp::NotIn if positive => {
                let allowed = if matches!(op, CmpOp::In | CmpOp::NotIn) {
                    constants_of(&rv)
                } else {
                    rv.konst
                        .strings()
                        .filter(|_| rv.is_clean())
                        .or_else(|| constant_texts(&rv))
                };
                if let Some(allowed) = allowed {
                    self.pin(&mut env, &c.left, allowed);
                }
            }
            _ => {}
        }
        // `'..' in x` false: x does not contain the constant.
        let holds = match op {
            CmpOp::In => branch,
            CmpOp::NotIn => !branch,
            _ => false,
        };
        if matches!(op, CmpOp::In | CmpOp::NotIn)
            && let Some(needle) = lv.konst.as_str()
        {
            let models = self.cx.models;
            for &i in &models.contains {
                let row = &models.rows[i];
                if let Match::Contains(text) = &row.matcher
                    && text == needle
                    && row.branch == holds
                {
                    self.clear_subject(&mut env, right, row);
                }
            }
        }
        env
    }

    /// Pins the variable (or the variable a view is of) to constants.
    fn pin(&mut self, env: &mut Env, subject: &'a Expr, allowed: Vec<std::rc::Rc<str>>) {
        let konst = match allowed.len() {
            0 => return,
            1 => Const::Str(allowed[0].clone()),
            _ => Const::Strs(allowed.into()),
        };
        match subject {
            Expr::Name(n) => {
                let old = self.current(env, n.id.as_str()).unwrap_or_default();
                let v = Value {
                    konst,
                    ty: old.ty.clone(),
                    ..Value::unknown()
                };
                env.vars.insert(n.id.as_str().into(), v);
            }
            // `parsed.netloc == 'example.com'` where `parsed = urlparse(url)`:
            // the URL is no longer attacker-chosen where it counts.
            Expr::Attribute(a) => {
                if let Some(base) = Self::name_of(&a.value)
                    && let Some(view) = self.current(env, base).and_then(|v| v.view_of.clone())
                    && let Some(orig) = self.current(env, &view)
                {
                    env.vars.insert(view, orig.cleared(self.view_clears()));
                }
            }
            Expr::Call(call) => {
                // `str(x) == 'a'`
                if let Some(name) = self.view_subject(call) {
                    let old = self.current(env, name.as_str()).unwrap_or_default();
                    env.vars.insert(
                        name.as_str().into(),
                        Value {
                            konst,
                            ty: old.ty.clone(),
                            ..Value::unknown()
                        },
                    );
                }
            }
            _ => {}
        }
    }

    /// The rules a check on a parsed view clears: those of the view rows.
    fn view_clears(&self) -> u64 {
        let models = self.cx.models;
        models.rows.iter().filter(|r| r.view).fold(0, |m, r| m | r.view_clears)
    }

    fn narrow_call(&mut self, call: &'a ast::ExprCall, branch: bool) -> Env {
        let mut env = Env::new();
        let models = self.cx.models;
        let (names, method) = self.guard_names(call);
        for name in &names {
            let rows: Vec<&ModelRow> = models.calls(name).filter(|r| r.kind == Kind::Guard).collect();
            if rows.is_empty() {
                continue;
            }
            for row in rows {
                if row.branch != branch {
                    continue;
                }
                let subjects: Vec<&'a Expr> = if row.args.is_empty() {
                    call.arguments.args.first().into_iter().collect()
                } else {
                    row.args
                        .iter()
                        .filter_map(|a| match &a.at {
                            ArgAt::Pos(i) | ArgAt::PosOrKw(i, _) => call.arguments.args.get(*i),
                            ArgAt::Receiver => match &*call.func {
                                Expr::Attribute(attr) if method.is_some() => Some(&*attr.value),
                                _ => None,
                            },
                            ArgAt::Kw(k) => call
                                .arguments
                                .keywords
                                .iter()
                                .find(|kw| kw.arg.as_ref().is_some_and(|a| a.as_str() == k))
                                .map(|kw| &kw.value),
                            _ => None,
                        })
                        .collect()
                };
                for subject in subjects {
                    if let Some((_, tag)) = &row.requires {
                        let v = self.eval_quiet(subject);
                        let tagged = v.tags & tag != 0
                            || v.view_of
                                .as_ref()
                                .and_then(|n| self.current(&env, n))
                                .is_some_and(|o| o.tags & tag != 0);
                        if !tagged {
                            continue;
                        }
                    }
                    self.clear_subject(&mut env, subject, row);
                }
            }
            break;
        }
        env
    }

    /// Names a call used as a guard may have (as for calls, plus `?.m`).
    fn guard_names(&mut self, call: &'a ast::ExprCall) -> (Vec<String>, Option<&'a str>) {
        let mut names = Vec::new();
        let mut method = None;
        match &*call.func {
            Expr::Attribute(a) => {
                let recv = self.eval_quiet(&a.value);
                method = Some(a.attr.as_str());
                if let Some(r) = &recv.refers {
                    names.push(names::join(r, a.attr.as_str()));
                }
                if let Some(ty) = &recv.ty {
                    for class in self.type_chain(ty) {
                        names.push(names::join(class, a.attr.as_str()));
                    }
                }
                names.push(format!("?.{}", a.attr.as_str()));
            }
            other => {
                let v = self.eval_quiet(other);
                if let Some(r) = &v.refers {
                    names.push(r.to_string());
                }
            }
        }
        (names, method)
    }

    /// Clears the guard's rules on the variable a subject expression names
    /// (through `str(x)` and other views).
    fn clear_subject(&mut self, env: &mut Env, subject: &'a Expr, row: &ModelRow) {
        let name: Option<String> = match subject {
            Expr::Name(n) => Some(n.id.to_string()),
            Expr::Call(call) => self.view_subject(call),
            _ => None,
        };
        let Some(name) = name else { return };
        let Some(current) = self.current(env, name.as_str()) else {
            return;
        };
        let narrowed = if row.clears_all {
            Value {
                ty: current.ty.clone(),
                konst: current.konst.clone(),
                tags: current.tags,
                ..Value::unknown()
            }
        } else {
            current.cleared(row.clears)
        };
        if let Some(view) = &current.view_of
            && let Some(orig) = self.current(env, view)
        {
            let orig = if row.clears_all {
                Value::unknown()
            } else {
                orig.cleared(row.clears)
            };
            env.vars.insert(view.clone(), orig);
        }
        env.vars.insert(name.as_str().into(), narrowed);
    }

    /// A variable's value as narrowed so far (`delta`), or as it is.
    fn current(&self, delta: &Env, name: &str) -> Option<Value> {
        delta.vars.get(name).or_else(|| self.env.vars.get(name)).cloned()
    }

    /// For `str(p)`-like calls (view propagators), the variable viewed.
    fn view_subject(&mut self, call: &'a ast::ExprCall) -> Option<String> {
        let first = call.arguments.args.first()?;
        let name = Self::name_of(first)?;
        let callee = self.eval_quiet(&call.func);
        let r = callee.refers?;
        let models = self.cx.models;
        models
            .calls(&r)
            .any(|row| row.kind == Kind::Propagator && row.view)
            .then(|| name.to_string())
    }
}

/// The constant strings a container literal holds, if all are constants.
fn constants_of(v: &Value) -> Option<Vec<std::rc::Rc<str>>> {
    use super::super::value::Items;
    match &v.items {
        Some(Items::Seq(items)) if v.taint.is_empty() => {
            let mut out = Vec::new();
            for i in items.iter() {
                if !i.is_clean() {
                    return None;
                }
                out.extend(i.konst.strings()?);
            }
            Some(out)
        }
        Some(Items::Map(items)) if v.taint.is_empty() => Some(items.iter().map(|(k, _)| k.clone()).collect()),
        _ => None,
    }
}

fn constant_texts(v: &Value) -> Option<Vec<std::rc::Rc<str>>> {
    if !v.is_clean() {
        return None;
    }
    v.konst.to_text().map(|t| vec![t.into()])
}
