//! Calls: model rows first, then the callee's summary, then the built-in
//! behaviour of Python's own containers and strings, then the default
//! (the result carries the taint of the receiver and every argument).

use std::rc::Rc;

use ruff_python_ast::helpers::any_over_expr;
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::super::models::{ArgAt, ArgRef, ArgvPart, Cond, Kind, Lit, ModelRow, Op, Target};
use super::super::summary::{SumItems, SumValue, Summary};
use super::super::value::{Const, Flow, Items, Key, Loc, Name, Origin, Taint, Value, Words, push_step};
use super::expr::{shown_through_format, store_item};
use super::{Interp, SinkHit, Text};
use crate::python::names;

/// Programs that run their `-c` argument as a shell command.
const SHELLS: &[&str] = &[
    "/bin/bash",
    "/bin/sh",
    "/bin/zsh",
    "/usr/bin/bash",
    "/usr/bin/sh",
    "bash",
    "cmd",
    "cmd.exe",
    "powershell",
    "powershell.exe",
    "pwsh",
    "sh",
    "zsh",
];

/// The evaluated arguments of a call.
pub struct Args<'e> {
    pub receiver: Option<Value>,
    pub receiver_expr: Option<&'e Expr>,
    pub pos: Vec<Value>,
    pub pos_exprs: Vec<Option<&'e Expr>>,
    /// A `*args` whose items are unknown: it may fill any position from
    /// `pos.len()` on.
    pub star: Option<Value>,
    pub kw: Vec<(Name, Value, &'e Expr)>,
    /// A `**kwargs` whose keys are unknown.
    pub star_kw: Option<Value>,
}

impl<'e> Args<'e> {
    /// The values an argument reference selects (with the expressions).
    fn get(&self, arg: &ArgRef) -> Vec<(Value, Option<&'e Expr>)> {
        let mut out: Vec<(Value, Option<&'e Expr>)> = Vec::new();
        let kw = |name: &str| {
            self.kw
                .iter()
                .find(|(k, _, _)| &**k == name)
                .map(|(_, v, e)| (v.clone(), Some(*e)))
        };
        let pos = |i: usize| -> Option<(Value, Option<&'e Expr>)> {
            match self.pos.get(i) {
                Some(v) => Some((v.clone(), self.pos_exprs.get(i).copied().flatten())),
                None => self.star.clone().map(|v| (v, None)),
            }
        };
        match &arg.at {
            ArgAt::Pos(i) => out.extend(pos(*i)),
            ArgAt::Kw(name) => {
                out.extend(kw(name));
                if out.is_empty() {
                    out.extend(self.star_kw.clone().map(|v| (v, None)));
                }
            }
            ArgAt::PosOrKw(i, name) => {
                out.extend(pos(*i));
                out.extend(kw(name));
                if out.is_empty() {
                    out.extend(self.star_kw.clone().map(|v| (v, None)));
                }
            }
            ArgAt::Receiver => out.extend(self.receiver.clone().map(|v| (v, self.receiver_expr))),
            ArgAt::From(n) => {
                for i in *n..self.pos.len() {
                    out.extend(pos(i));
                }
                if let Some(s) = &self.star {
                    out.push((s.clone(), None));
                }
            }
            ArgAt::AllKw => {
                out.extend(self.kw.iter().map(|(_, v, e)| (v.clone(), Some(*e))));
                out.extend(self.star_kw.clone().map(|v| (v, None)));
            }
        }
        if let Some(item) = arg.item {
            out = out
                .into_iter()
                .map(|(v, e)| match v.seq_item(item as i64) {
                    Some(i) => (i.clone(), e),
                    None if v.items.is_some() => (Value::unknown(), e),
                    None => (v, e),
                })
                .collect();
        }
        out
    }

    /// The value at a position or keyword, `None` when not passed.
    fn find(&self, at: &ArgAt) -> Option<Value> {
        self.get(&ArgRef {
            at: at.clone(),
            item: None,
        })
        .into_iter()
        .next()
        .map(|(v, _)| v)
    }

    fn all_taint(&self) -> Taint {
        let mut t = Taint::default();
        if let Some(r) = &self.receiver {
            t = t.union(&r.all_taint());
        }
        for v in self.pos.iter().chain(self.star.iter()).chain(self.star_kw.iter()) {
            t = t.union(&v.all_taint());
        }
        for (_, v, _) in &self.kw {
            t = t.union(&v.all_taint());
        }
        t
    }

    /// What an unknown call returns: the receiver's taint, and the
    /// arguments' except `opaque` labels.
    fn default_taint(&self, opaque: u64) -> Taint {
        let cut = |t: Taint| {
            if opaque == 0 {
                return t;
            }
            t.map(|f| match f.origin {
                Origin::Source(l) | Origin::Entry(l) if opaque & (1 << l) != 0 => None,
                Origin::Param(..) => Some(Flow { cut: true, ..f.clone() }),
                _ => Some(f.clone()),
            })
        };
        let args = cut(self.args_taint());
        match &self.receiver {
            // A method of an object with known attributes: what it holds
            // (a client's password) is not what it returns.
            Some(r) if matches!(r.items, Some(Items::Fields(_))) => r.taint.union(&cut(r.all_taint())).union(&args),
            // A method of a value (`secret.encode()`) returns the value.
            Some(r) => r.all_taint().union(&args),
            None => args,
        }
    }

    fn args_taint(&self) -> Taint {
        let mut t = Taint::default();
        for v in self.pos.iter().chain(self.star.iter()).chain(self.star_kw.iter()) {
            t = t.union(&v.all_taint());
        }
        for (_, v, _) in &self.kw {
            t = t.union(&v.all_taint());
        }
        t
    }
}

/// How a project callee was reached.
enum Callee {
    Function(String),
    /// A method through an instance (the receiver is bound unless static).
    Method {
        name: String,
        bind: bool,
    },
    /// A class being instantiated, with its `__init__` if the project has one.
    Class {
        class: String,
        init: Option<String>,
    },
}

impl<'a> Interp<'a, '_> {
    pub fn eval_call(&mut self, call: &'a ExprCall) -> Value {
        let (callee, receiver, receiver_expr, method) = match &*call.func {
            Expr::Attribute(a) => {
                let recv = self.eval(&a.value);
                let callee = self.method_value(&recv, a.attr.as_str());
                (callee, Some(recv), Some(&*a.value), Some(a.attr.as_str()))
            }
            other => (self.eval(other), None, None, None),
        };
        let args = self.eval_args(call, receiver, receiver_expr);

        // `super()` inside a method is `self` seen as its first base.
        if callee.refers.as_deref() == Some("super") && call.arguments.args.is_empty() {
            return self.super_value();
        }

        // Names the callee may have: what it refers to, then the method on
        // the receiver's type and its bases (reached through an instance).
        let mut candidates: Vec<(String, bool)> = Vec::new();
        if let Some(r) = &callee.refers {
            candidates.push((r.to_string(), false));
        }
        if let (Some(m), Some(recv)) = (method, &args.receiver)
            && let Some(ty) = &recv.ty
        {
            for class in self.type_chain(ty) {
                candidates.push((names::join(class, m), true));
            }
        }

        let models = self.cx.models;
        let mut rows: Vec<&'a ModelRow> = Vec::new();
        for (name, _) in &candidates {
            rows.extend(models.calls(name));
            if !rows.is_empty() {
                break;
            }
        }
        // Rows that say what a call returns replace the callee's summary;
        // sinks, and sources only for some command lines, do not.
        let project = if rows
            .iter()
            .any(|r| r.kind != Kind::Sink && (r.kind != Kind::Source || r.argv_has.is_empty()))
        {
            None
        } else {
            self.project_callee(&candidates)
        };
        // `?.method` rows speak of objects of unknown type (a `str` method
        // such as `?.find` returns an index): not of a known class's method.
        let known_type = args
            .receiver
            .as_ref()
            .and_then(|r| r.ty.as_deref())
            .is_some_and(|t| !matches!(t, "str" | "bytes"));
        if rows.is_empty()
            && project.is_none()
            && !known_type
            && let Some(m) = method
        {
            let any = format!("?.{m}");
            rows.extend(models.calls(&any));
        }

        let mut result: Option<Value> = None;
        for row in &rows {
            match row.kind {
                Kind::Sink => self.apply_sink(row, &args, call),
                Kind::Guard => {}
                _ => self.apply_row(row, &args, call, &mut result),
            }
        }
        if let Some(v) = result {
            return v;
        }
        if let Some(callee) = project {
            return self.apply_project(callee, &args, call);
        }
        if let Some(v) = self.builtin_call(&callee, method, &args) {
            return v;
        }
        // The default: whatever went in comes out (except labels the models
        // say do not pass through calls, unless on the receiver).
        Value::tainted(args.default_taint(self.cx.models.opaque))
    }

    /// The value of `recv.attr` when it is about to be called.
    fn method_value(&mut self, recv: &Value, attr: &str) -> Value {
        if let Some(v) = recv.field(attr) {
            return v.clone();
        }
        let mut out = Value::unknown();
        if let Some(r) = &recv.refers {
            let name = names::join(r, attr);
            if let Some(v) = self.resolve_global(&name) {
                out = v;
            }
            out.refers = Some(name.as_str().into());
        }
        out
    }

    fn super_value(&self) -> Value {
        let mut v = self.lookup("self");
        let base = self
            .func
            .class
            .as_ref()
            .and_then(|c| self.cx.class(c))
            .and_then(|f| f.bases.first().cloned());
        v.ty = base.map(|b| b.as_str().into());
        v
    }

    fn eval_args(&mut self, call: &'a ExprCall, receiver: Option<Value>, receiver_expr: Option<&'a Expr>) -> Args<'a> {
        let mut args = Args {
            receiver,
            receiver_expr,
            pos: Vec::new(),
            pos_exprs: Vec::new(),
            star: None,
            kw: Vec::new(),
            star_kw: None,
        };
        for a in call.arguments.args.iter() {
            match a {
                Expr::Starred(s) => {
                    let v = self.eval(&s.value);
                    match (&v.items, &args.star) {
                        (Some(Items::Seq(items)), None) => {
                            for item in items.iter() {
                                let mut item = item.clone();
                                item.taint = item.taint.union(&v.taint);
                                args.pos.push(item);
                                args.pos_exprs.push(Some(&s.value));
                            }
                        }
                        _ => {
                            let t = self.element_of(&v).all_taint().union(&v.all_taint());
                            let (merged, words) = match args.star.take() {
                                Some(old) => (old.all_taint().union(&t), None),
                                // `execute(*cmd)`: what is known of `cmd`'s
                                // words is the command line's.
                                None => (t, v.words_of().map(Rc::new)),
                            };
                            let mut star = Value::tainted(merged);
                            star.words = words;
                            args.star = Some(star);
                        }
                    }
                }
                _ => {
                    let v = self.eval(a);
                    if let Some(star) = args.star.take() {
                        let mut merged = Value::tainted(star.all_taint().union(&v.all_taint()));
                        merged.words = star
                            .words
                            .map(|w| Rc::new(w.concat(&Words::of_items(std::slice::from_ref(&v)))));
                        args.star = Some(merged);
                    } else {
                        args.pos.push(v);
                        args.pos_exprs.push(Some(a));
                    }
                }
            }
        }
        for k in call.arguments.keywords.iter() {
            let v = self.eval(&k.value);
            match &k.arg {
                Some(name) => args.kw.push((name.as_str().into(), v, &k.value)),
                None => match &v.items {
                    Some(Items::Map(items)) => {
                        for (key, item) in items.iter() {
                            args.kw.push((key.clone(), item.clone(), &k.value));
                        }
                    }
                    _ => {
                        let t = args.star_kw.take().map(|s| s.all_taint()).unwrap_or_default();
                        args.star_kw = Some(Value::tainted(t.union(&v.all_taint())));
                    }
                },
            }
        }
        args
    }

    /// Whether a row's `when` holds. `unknown` is the answer when an
    /// argument's value is not known.
    fn when_holds(&self, conds: &[Cond], args: &Args, unknown: bool) -> bool {
        conds.iter().all(|c| match cond_value(c, args.find(&c.arg).as_ref()) {
            Some(b) => b,
            None => unknown,
        })
    }

    fn apply_sink(&mut self, row: &'a ModelRow, args: &Args<'a>, call: &'a ExprCall) {
        if self.cx.rules_on & (1u64 << row.rule_bit) == 0 {
            return;
        }
        let shape = row.labels == 0;
        if !self.when_holds(&row.when, args, !shape) {
            return;
        }
        if let Some((arg, tag)) = &row.requires
            && !args.get(arg).iter().any(|(v, _)| v.tags & tag != 0)
        {
            return;
        }
        let argv = if row.argv.is_some() || !row.argv_has.is_empty() {
            argv_of(row, args)
        } else {
            None
        };
        let Some(matched) = argv_match(row, args, argv.as_deref()) else {
            return;
        };
        if shape {
            // A command line built before the call (`cmd = prefix +
            // ('qemu-img', 'convert', ...)`, then `execute(*cmd)`): the
            // finding spans from where it was built, where the option goes.
            let start = if row.argv_has.is_empty() {
                None
            } else {
                self.func
                    .def
                    .and_then(|def| command_built_at(&def.body, call, &row.argv_has))
            };
            let range = start.map_or(call.range(), |s| TextRange::new(s, call.range().end()));
            let call_text = self.cx.snippet(&*call.func);
            let message = row
                .message
                .replace("{call}", &call_text)
                .replace("{arg}", "")
                .replace("{word}", matched.with_word.as_deref().unwrap_or(""))
                .replace("{paths}", if matched.partly { " on one of its paths" } else { "" });
            self.shape_finding(row.rule_bit, range, message, row.severity.as_deref());
            return;
        }
        let mut taint = Taint::default();
        let mut arg_text: Option<String> = None;
        match (row.argv, &argv) {
            (Some(part), Some(items)) => {
                let all = |v: Option<&Value>, ok: &dyn Fn(&str) -> bool| {
                    v.and_then(|v| v.konst.strings())
                        .is_some_and(|s| s.iter().all(|x| ok(x)))
                };
                let shell =
                    all(items.first(), &|p| SHELLS.contains(&p)) && all(items.get(1), &|f| f == "-c" || f == "/c");
                for (i, item) in items.iter().enumerate() {
                    let program_part = i == 0 || (shell && i == 2);
                    if program_part == (part == ArgvPart::Program) {
                        taint = taint.union(&item.all_taint());
                    }
                }
            }
            // The command line's shape is unknown (built elsewhere): the
            // program is most often fixed, so taint counts as an argument.
            (Some(ArgvPart::Program), None) => {}
            _ => {
                let opaque = self.cx.models.opaque & row.labels;
                // `LOG.debug('%(id)s', mapping)`: the mapping is shown
                // through the keys the message names.
                let formatted = row.format.and_then(|i| {
                    let mapping = args
                        .pos
                        .get(i + 1)
                        .filter(|_| args.pos.len() == i + 2 && args.star.is_none())?;
                    let shown = shown_through_format(&args.pos.get(i)?.konst, mapping, opaque)?;
                    Some((args.pos_exprs.get(i + 1).copied().flatten()?, shown))
                });
                for a in &row.args {
                    for (v, e) in args.get(a) {
                        let t = match (&formatted, e) {
                            (Some((m, shown)), Some(e)) if std::ptr::eq(*m, e) => shown.clone(),
                            _ => v.shown_taint(opaque),
                        };
                        if !t.is_empty() && arg_text.is_none() {
                            arg_text = e.map(|e| self.cx.snippet(e));
                        }
                        taint = taint.union(&t);
                    }
                }
            }
        }
        let constant = taint.is_empty() && sink_args_constant(row, args, argv.as_deref());
        self.note_sink(row.rule_bit, call.range(), constant);
        if taint.is_empty() {
            return;
        }
        let call_text = self.cx.snippet(&*call.func);
        let arg_text = arg_text.map_or_else(|| "it".to_string(), |a| format!("`{a}`"));
        let message = row.message.replace("{call}", &call_text).replace("{arg}", &arg_text);
        let mut note = if row.note.is_empty() {
            format!("`{call_text}()` uses it")
        } else {
            format!("`{call_text}()` {}", row.note)
        };
        let escalated = !row.escalate.is_empty() && self.when_holds(&row.escalate, args, false);
        if escalated && !row.escalate_note.is_empty() {
            note = format!("{note} {}", row.escalate_note);
        }
        let severity = if escalated {
            Some("high")
        } else {
            row.severity.as_deref()
        };
        self.hit_sink(
            &taint,
            SinkHit {
                rule_bit: row.rule_bit,
                labels: row.labels,
                range: call.range(),
                message: &message,
                severity,
                note: Some(&note),
                from_params: row.from_params,
            },
        );
    }

    /// Applies a source, sanitizer, propagator or type row to the result.
    fn apply_row(&mut self, row: &'a ModelRow, args: &Args<'a>, call: &'a ExprCall, result: &mut Option<Value>) {
        if !self.when_holds(&row.when, args, false) {
            return;
        }
        // A source only for some command lines (`qemu-img info` without
        // `-f`: what it prints was probed from the file); not when the
        // option is passed on some paths (`-f` when the caller gives a
        // format): the value is then probed only on the others.
        if !row.argv_has.is_empty() && argv_match(row, args, argv_of(row, args).as_deref()).is_none_or(|m| m.partly) {
            return;
        }
        let inputs = |args: &Args| -> Taint {
            if row.args.is_empty() {
                args.all_taint()
            } else {
                row.args
                    .iter()
                    .flat_map(|a| args.get(a))
                    .fold(Taint::default(), |t, (v, _)| t.union(&v.all_taint()))
            }
        };
        match row.kind {
            Kind::Source => {
                let what = self.cx.snippet(call);
                let t = self.source_flow(row.label, &row.note, call.range(), &what);
                let mut v = result.take().unwrap_or_default();
                v.taint = v.taint.union(&t);
                if let Some(ty) = &row.ty {
                    v.ty = Some(ty.as_str().into());
                }
                v.tags |= row.tags;
                *result = Some(v);
            }
            Kind::Type => {
                let mut v = result.take().unwrap_or_default();
                v.ty = row.ty.as_deref().map(Into::into);
                v.tags |= row.tags;
                *result = Some(v);
            }
            Kind::Sanitizer => {
                let scoped = row.labels != 0;
                let mut v = if row.clears_all && !scoped {
                    Value::unknown()
                } else if row.clears_all {
                    // Clean for some labels only (`json.dumps` escapes a
                    // command's arguments, but a password it encodes is
                    // still in the text).
                    Value::tainted(inputs(args).drop_labels(row.labels))
                } else {
                    Value::tainted(inputs(args).clear(row.clears))
                };
                if let Some(ty) = &row.ty {
                    v.ty = Some(ty.as_str().into());
                }
                *result = Some(match result.take() {
                    Some(r) if !row.clears_all || scoped => {
                        let mut r = r;
                        r.taint = r.taint.union(&v.taint);
                        r
                    }
                    _ => v,
                });
            }
            Kind::Propagator => self.apply_propagator(row, args, call, result, inputs(args)),
            Kind::Sink | Kind::Guard | Kind::Label | Kind::Context => {}
        }
    }

    fn apply_propagator(
        &mut self,
        row: &'a ModelRow,
        args: &Args<'a>,
        call: &'a ExprCall,
        result: &mut Option<Value>,
        moved: Taint,
    ) {
        let moved = moved.clear(row.clears);
        // Keyed stores and loads (`config.set(section, key, value)`).
        if !row.store_key.is_empty() || !row.load_key.is_empty() {
            let key_of = |positions: &[usize]| -> Option<String> {
                positions
                    .iter()
                    .map(|p| args.pos.get(*p).and_then(|v| v.konst.to_text()))
                    .collect::<Option<Vec<_>>>()
                    .map(|parts| parts.join("/"))
            };
            if !row.store_key.is_empty() {
                let value = row
                    .args
                    .first()
                    .and_then(|a| args.get(a).into_iter().next())
                    .map(|(v, _)| v)
                    .unwrap_or_default();
                if let Some(name) = args.receiver_expr.and_then(Self::name_of) {
                    let mut base = self.lookup(name);
                    if base.items.is_none() && base.taint.is_empty() {
                        base.items = Some(Items::Map(Rc::new(Vec::new())));
                    }
                    match key_of(&row.store_key) {
                        Some(k) => store_item(&mut base, &Value::konst(Const::Str(k.into())), value),
                        None => base.taint = base.taint.union(&value.all_taint()),
                    }
                    self.bind(name, base);
                }
                *result = Some(Value::unknown());
            } else {
                let recv = args.receiver.clone().unwrap_or_default();
                let v = match key_of(&row.load_key) {
                    Some(k) => match recv.map_item(&k) {
                        Some(v) => v.clone().with_taint(
                            recv.taint
                                .union(&recv.map_item(&k).map(|v| v.taint.clone()).unwrap_or_default()),
                        ),
                        None if recv.items.is_some() => Value::tainted(recv.taint.clone()),
                        None => Value::tainted(recv.all_taint()),
                    },
                    None => Value::tainted(recv.all_taint()),
                };
                *result = Some(v);
            }
            return;
        }
        match &row.to {
            Target::Return => {
                let mut v = result.take().unwrap_or_default();
                v.taint = v.taint.union(&moved);
                if let Some(ty) = &row.ty {
                    v.ty = Some(ty.as_str().into());
                }
                v.tags |= row.tags;
                // Tags travel with the object the value is made from.
                for a in &row.args {
                    for (src, _) in args.get(a) {
                        v.tags |= src.tags;
                    }
                }
                if row.view
                    && let Some(first) = row.args.first()
                    && let Some((_, Some(e))) = args.get(first).into_iter().next()
                {
                    v.view_of = Self::name_of(e).map(Into::into).or_else(|| {
                        args.get(first)
                            .into_iter()
                            .next()
                            .and_then(|(src, _)| src.view_of.clone())
                    });
                    if let Some((src, _)) = args.get(first).into_iter().next() {
                        if v.konst == Const::Unknown {
                            v.konst = src.konst.clone();
                        }
                        v.tags |= src.tags;
                    }
                }
                *result = Some(v);
            }
            Target::Receiver => {
                if let Some(name) = args.receiver_expr.and_then(Self::name_of) {
                    let mut base = self.lookup(name);
                    base.taint = base.taint.union(&moved);
                    base.tags |= row.tags;
                    self.bind(name, base);
                }
                if result.is_none() {
                    *result = Some(Value::unknown());
                }
            }
            Target::Arg(n) => {
                if let Some(Some(e)) = call.arguments.args.get(*n).map(|e| Self::name_of(e)) {
                    let mut base = self.lookup(e);
                    base.taint = base.taint.union(&moved);
                    base.tags |= row.tags;
                    self.bind(e, base);
                }
                if result.is_none() {
                    *result = Some(Value::unknown());
                }
            }
        }
    }

    /// The project function, method or class a call reaches, if any.
    fn project_callee(&self, candidates: &[(String, bool)]) -> Option<Callee> {
        for (name, via_instance) in candidates {
            if self.cx.class(name).is_some() {
                let init = self.cx.find_method(name, "__init__");
                return Some(Callee::Class {
                    class: name.clone(),
                    init,
                });
            }
            if self.cx.summary(name).is_none() {
                continue;
            }
            let owner = names::split_last(name).and_then(|(class, method)| Some((self.cx.class(class)?, method)));
            if *via_instance {
                let is_static = owner.is_some_and(|(c, m)| c.static_methods.contains(m));
                return Some(Callee::Method {
                    name: name.clone(),
                    bind: !is_static,
                });
            }
            // `C.method(...)`: the class is bound only for class methods.
            if owner.is_some_and(|(c, m)| c.class_methods.contains(m)) {
                return Some(Callee::Method {
                    name: name.clone(),
                    bind: true,
                });
            }
            return Some(Callee::Function(name.clone()));
        }
        None
    }

    fn apply_project(&mut self, callee: Callee, args: &Args<'a>, call: &'a ExprCall) -> Value {
        let call_text = Text::At(call.func.range());
        match callee {
            Callee::Function(name) => match self.cx.summary(&name) {
                Some(s) => {
                    let actual = map_params(&s, args, None);
                    self.apply_summary(&s, &actual, call, call_text).0
                }
                None => Value::tainted(args.all_taint()),
            },
            Callee::Method { name, bind } => match self.cx.summary(&name) {
                Some(s) => {
                    let recv = if bind { args.receiver.clone() } else { None };
                    let actual = map_params(&s, args, recv.map(Some).unwrap_or(None));
                    let (v, fields) = self.apply_summary(&s, &actual, call, call_text);
                    if bind && !fields.is_empty() {
                        let name = match args.receiver_expr {
                            Some(Expr::Call(_)) => Some("self"),
                            Some(e) => Self::name_of(e),
                            None => None,
                        };
                        if let Some(name) = name {
                            let mut base = self.lookup(name);
                            for (f, fv) in fields {
                                base.set_field(&f, fv);
                            }
                            self.bind(name, base);
                        }
                    }
                    v
                }
                None => Value::tainted(args.all_taint()),
            },
            Callee::Class { class, init } => {
                let mut object = Value::typed(&class);
                match init.and_then(|i| self.cx.summary(&i)) {
                    Some(s) => {
                        let actual = map_params(&s, args, Some(object.clone()));
                        let (_, fields) = self.apply_summary(&s, &actual, call, call_text);
                        for (f, fv) in fields {
                            object.set_field(&f, fv);
                        }
                    }
                    None => object.taint = args.default_taint(self.cx.models.opaque),
                }
                object
            }
        }
    }

    /// Applies a summary: reports parameter sinks the arguments reach, and
    /// returns the result and the attributes set on the receiver.
    fn apply_summary(
        &mut self,
        s: &Summary,
        actual: &[Option<Value>],
        call: &ExprCall,
        call_text: Text,
    ) -> (Value, Vec<(String, Value)>) {
        let range = call.range();
        for sink in &s.sinks {
            let Some(Some(v)) = actual.get(sink.from.param as usize) else {
                continue;
            };
            let v = self.path_value(v, &sink.from.path, range);
            let taint = v.all_taint();
            if taint.is_empty() {
                continue;
            }
            let param = s.params.get(sink.from.param as usize).map_or("", |p| p.name.as_str());
            let note = format!("passed to `{}()` as `{param}`", self.cx.text_of(call_text));
            let t = taint.map(|f| {
                let steps = push_step(&f.steps, Loc::Here(range), note.as_str());
                Some(Flow {
                    steps: self.cx.import_steps(&sink.steps, steps),
                    ..f.clone()
                })
            });
            self.hit_sink(
                &t,
                SinkHit {
                    rule_bit: sink.rule_bit,
                    labels: sink.labels,
                    range,
                    message: &sink.message,
                    severity: sink.severity.as_deref(),
                    note: None,
                    from_params: true,
                },
            );
        }
        let result = match &s.returns {
            None => Value::unknown(),
            Some(ret) => self.materialize(ret, actual, range, call_text),
        };
        let fields = s
            .fields
            .iter()
            .map(|(f, sv)| (f.clone(), self.materialize(sv, actual, range, call_text)))
            .collect();
        (result, fields)
    }

    /// A summary value made concrete with the call's arguments.
    fn materialize(&self, sv: &SumValue, actual: &[Option<Value>], range: TextRange, call_text: Text) -> Value {
        let mut v = Value::unknown();
        if let Some(c) = &sv.konst {
            v.konst = c.to_const();
        }
        v.ty = sv.ty.as_deref().map(Into::into);
        v.refers = sv.refers.as_deref().map(Into::into);
        v.tags = sv.tags;
        let note = std::cell::OnceCell::new();
        let note = || {
            note.get_or_init(|| format!("returned by `{}()`", self.cx.text_of(call_text)))
                .as_str()
        };
        for rf in &sv.from_params {
            let Some(Some(a)) = actual.get(rf.from.param as usize) else {
                continue;
            };
            let a = self.path_value(a, &rf.from.path, range);
            if rf.from.path.is_empty()
                && sv.from_params.len() == 1
                && sv.sources.is_empty()
                && sv.konst.is_none()
                && sv.items.is_none()
            {
                // The function returns its argument (or stores it) as is:
                // keep all that is known of it, its type and contents too.
                if rf.cleared == 0 && rf.dropped == 0 && !rf.cut {
                    let mut whole = a.clone();
                    whole.ty = v.ty.clone().or(whole.ty);
                    if !whole.taint.is_empty() {
                        whole.taint = whole.taint.step(Loc::Here(range), note());
                    }
                    return whole;
                }
                v.tags |= a.tags;
            }
            let mut t = a.all_taint().clear(rf.cleared).drop_labels(rf.dropped);
            if rf.cut {
                let opaque = self.cx.models.opaque;
                t = t.map(|f| match f.origin {
                    Origin::Source(l) | Origin::Entry(l) if opaque & (1 << l) != 0 => None,
                    _ => Some(Flow { cut: true, ..f.clone() }),
                });
            }
            let t = if t.is_empty() {
                t
            } else {
                t.step(Loc::Here(range), note())
            };
            v.taint = v.taint.union(&t);
        }
        for src in &sv.sources {
            let steps = self.cx.import_steps(&src.steps, None);
            let steps = push_step(&steps, Loc::Here(range), note());
            v.taint = v.taint.union(&Taint::one(Flow {
                origin: Origin::Source(src.label),
                cleared: src.cleared,
                source_note: src.source_note.as_str().into(),
                steps,
                cut: false,
                dropped: 0,
            }));
        }
        // A tuple, list or dict returned with known items: each item keeps
        // its own taint.
        match &sv.items {
            None => {}
            Some(SumItems::Seq(items)) => {
                let items = items
                    .iter()
                    .map(|x| self.materialize(x, actual, range, call_text))
                    .collect();
                v.items = Some(Items::Seq(Rc::new(items)));
            }
            Some(SumItems::Map(items)) => {
                let items = items
                    .iter()
                    .map(|(k, x)| (k.as_str().into(), self.materialize(x, actual, range, call_text)))
                    .collect();
                v.items = Some(Items::Map(Rc::new(items)));
            }
        }
        v
    }

    /// The value at a path below an argument (`request.form` below the
    /// `self` a method summary speaks of): attributes and constant keys,
    /// read as the interpreter reads them (model sources included).
    fn path_value(&self, v: &Value, path: &[String], range: TextRange) -> Value {
        let mut cur = v.clone();
        for seg in path {
            cur = if let Some(key) = seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                let mut item = match cur.map_item(key) {
                    Some(item) => item.clone(),
                    // A parameter of the caller: the path grows (so that the
                    // caller's own callers can still tell which key).
                    None => Value::tainted(cur.all_taint().map(|f| match &f.origin {
                        Origin::Param(i, path) if path.len() < super::super::value::MAX_PATH => {
                            let mut p: Vec<Name> = path.to_vec();
                            p.push(seg.as_str().into());
                            Some(Flow {
                                origin: Origin::Param(*i, p.into()),
                                ..f.clone()
                            })
                        }
                        _ => Some(f.clone()),
                    })),
                };
                self.name_sources(key, &mut item, range, Text::Is(key));
                item
            } else {
                self.read_attr(&cur, seg, range, Text::Is(seg))
            };
        }
        cur
    }

    /// Python's own list, dict, set and str methods, and a few builtins.
    fn builtin_call(&mut self, callee: &Value, method: Option<&str>, args: &Args<'a>) -> Option<Value> {
        if let Some(name) = callee.refers.as_deref()
            && method.is_none()
        {
            return self.builtin_function(name, args);
        }
        let m = method?;
        let recv = args.receiver.clone()?;
        // A module or class attribute (`os.path.join`) is not a str method.
        if recv.refers.is_some() {
            return None;
        }
        let recv_name = args.receiver_expr.and_then(Self::name_of);
        let arg = |i: usize| args.pos.get(i).cloned();
        let ty = recv.ty.as_deref().unwrap_or("");
        let is_list = matches!(recv.items, Some(Items::Seq(_))) || recv.words.is_some() || ty == "list";
        let is_dict = matches!(recv.items, Some(Items::Map(_))) || ty == "dict";
        let is_set = ty == "set";
        let mut updated: Option<Value> = None;
        let result: Value = match m {
            "append" | "add" if is_list || is_set => {
                let x = arg(0).unwrap_or_default();
                let mut r = recv.clone();
                match &r.items {
                    Some(Items::Seq(items)) if is_list => {
                        let mut items = items.as_ref().clone();
                        items.push(x);
                        let taint = r.taint.clone();
                        r = Value::seq(items, "list");
                        r.taint = r.taint.union(&taint);
                    }
                    _ => {
                        r.taint = r.all_taint().union(&x.all_taint());
                        add_words(&mut r, &x, false);
                    }
                }
                updated = Some(r);
                Value::konst(Const::None)
            }
            "insert" if is_list => {
                let x = arg(1).unwrap_or_default();
                let mut r = recv.clone();
                match (&r.items, arg(0).map(|v| v.konst)) {
                    (Some(Items::Seq(items)), Some(Const::Int(i))) => {
                        let mut items = items.as_ref().clone();
                        let idx = if i < 0 { (items.len() as i64 + i).max(0) } else { i };
                        items.insert((idx as usize).min(items.len()), x);
                        let taint = r.taint.clone();
                        r = Value::seq(items, "list");
                        r.taint = taint;
                    }
                    _ => {
                        r.taint = r.all_taint().union(&x.all_taint());
                        add_words(&mut r, &x, false);
                    }
                }
                updated = Some(r);
                Value::konst(Const::None)
            }
            "extend" | "update" if is_list || is_dict || is_set => {
                let x = arg(0).unwrap_or_default();
                let mut r = recv.clone();
                match (&r.items, &x.items) {
                    (Some(Items::Seq(a)), Some(Items::Seq(b))) if is_list => {
                        let mut items = a.as_ref().clone();
                        items.extend(b.iter().cloned());
                        let taint = r.taint.union(&x.taint);
                        r = Value::seq(items, "list");
                        r.taint = taint;
                    }
                    (Some(Items::Map(_)), Some(Items::Map(b))) if is_dict => {
                        for (k, v) in b.iter() {
                            store_item(&mut r, &Value::konst(Const::Str(k.clone())), v.clone());
                        }
                        r.taint = r.taint.union(&x.taint);
                    }
                    _ => {
                        r.taint = r.all_taint().union(&x.all_taint());
                        if is_list {
                            add_words(&mut r, &x, true);
                        }
                        r.items = None;
                    }
                }
                for (k, v, e) in &args.kw {
                    let mut v = v.clone();
                    let what = format!("{k}={}", self.cx.snippet(*e));
                    self.keyed_item(k, &mut v, e.range(), Text::Is(&what));
                    store_item(&mut r, &Value::konst(Const::Str(k.clone())), v);
                }
                updated = Some(r);
                Value::konst(Const::None)
            }
            "pop" if is_list => {
                let mut r = recv.clone();
                let index = match arg(0) {
                    None => Some(-1),
                    Some(v) => match v.konst {
                        Const::Int(i) => Some(i),
                        _ => None,
                    },
                };
                let out = match (&r.items, index) {
                    (Some(Items::Seq(items)), Some(i)) if !items.is_empty() => {
                        let mut items = items.as_ref().clone();
                        let idx = if i < 0 { items.len() as i64 + i } else { i };
                        match usize::try_from(idx).ok().filter(|&i| i < items.len()) {
                            Some(i) => {
                                let out = items.remove(i);
                                let taint = r.taint.clone();
                                r = Value::seq(items, "list");
                                r.taint = taint;
                                out
                            }
                            None => Value::tainted(r.all_taint()),
                        }
                    }
                    _ => Value::tainted(r.all_taint()),
                };
                updated = Some(r);
                out
            }
            "pop" | "get" | "setdefault" if is_dict => {
                let key = arg(0).map(|v| v.konst).unwrap_or(Const::Unknown);
                let default = arg(1).unwrap_or_else(|| Value::konst(Const::None));
                match (key.to_text(), &recv.items) {
                    (Some(k), Some(Items::Map(_))) => match recv.map_item(&k) {
                        Some(v) => v.clone().with_taint(v.taint.union(&recv.taint)),
                        None => {
                            let mut d = default.clone();
                            d.taint = d.taint.union(&recv.taint);
                            if m == "setdefault" {
                                let mut r = recv.clone();
                                store_item(&mut r, &Value::konst(Const::Str(k.as_str().into())), default);
                                updated = Some(r);
                            }
                            d
                        }
                    },
                    _ => Value::tainted(recv.all_taint().union(&default.all_taint())),
                }
            }
            "keys" if is_dict => match &recv.items {
                Some(Items::Map(items)) => {
                    let keys = items.iter().map(|(k, _)| Value::konst(Const::Str(k.clone()))).collect();
                    let mut v = Value::seq(keys, "list");
                    v.taint = recv.taint.clone();
                    v
                }
                _ => Value::tainted(recv.taint.clone()).with_ty("list"),
            },
            "values" | "items" | "copy" if is_dict || is_list => match (m, &recv.items) {
                ("copy", _) => recv.clone(),
                // A dict of known items: `items()` pairs each constant key
                // with its value, so `for name, value in d.items()` gives
                // `name` the keys, not what the values hold.
                ("values" | "items", Some(Items::Map(items))) => {
                    let elements = items
                        .iter()
                        .map(|(k, v)| match m {
                            "items" => Value::seq(vec![Value::konst(Const::Str(k.clone())), v.clone()], "tuple"),
                            _ => v.clone(),
                        })
                        .collect();
                    let mut v = Value::seq(elements, "list");
                    v.taint = v.taint.union(&recv.taint);
                    v
                }
                _ => Value::tainted(recv.all_taint()).with_ty("list"),
            },
            "join" => {
                let items = arg(0).unwrap_or_default();
                let mut v = Value::tainted(items.all_taint().union(&recv.all_taint())).with_ty("str");
                if let (Some(sep), Some(Items::Seq(parts))) = (recv.konst.as_str(), &items.items) {
                    let texts: Option<Vec<String>> =
                        parts.iter().map(|p| p.konst.as_str().map(str::to_string)).collect();
                    if let Some(texts) = texts {
                        v.konst = Const::Str(texts.join(sep).into());
                    }
                }
                v
            }
            _ => {
                let text = recv.konst.as_str()?;
                let v = Value::tainted(args.all_taint()).with_ty("str");
                let s = |x: &str| {
                    Value::konst(Const::Str(x.into()))
                        .with_taint(v.taint.clone())
                        .with_ty("str")
                };
                let a0 = arg(0).and_then(|a| a.konst.as_str().map(str::to_string));
                match m {
                    "upper" => s(&text.to_uppercase()),
                    "lower" => s(&text.to_lowercase()),
                    "strip" if a0.is_none() => s(text.trim()),
                    "lstrip" if a0.is_none() => s(text.trim_start()),
                    "rstrip" if a0.is_none() => s(text.trim_end()),
                    "replace" => match (a0, arg(1).and_then(|a| a.konst.as_str().map(str::to_string))) {
                        (Some(from), Some(to)) if !from.is_empty() => s(&text.replace(&from, &to)),
                        _ => v,
                    },
                    "startswith" | "endswith" => match a0 {
                        Some(p) => Value::konst(Const::Bool(if m == "startswith" {
                            text.starts_with(&p)
                        } else {
                            text.ends_with(&p)
                        })),
                        None => Value::unknown(),
                    },
                    "split" => {
                        let parts: Vec<Value> = match &a0 {
                            Some(sep) if !sep.is_empty() && args.pos.len() == 1 => {
                                text.split(sep.as_str()).map(&s).collect()
                            }
                            None if args.pos.is_empty() => text.split_whitespace().map(&s).collect(),
                            _ => return Some(Value::tainted(v.taint.clone()).with_ty("list")),
                        };
                        Value::seq(parts, "list")
                    }
                    "encode" | "decode" => s(text),
                    _ => v,
                }
            }
        };
        if let (Some(name), Some(r)) = (recv_name, updated) {
            self.bind(name, r);
        }
        Some(result)
    }

    /// Constant folding for a few builtins; their taint rules are in the
    /// models (`builtins.toml`).
    fn builtin_function(&mut self, name: &str, args: &Args) -> Option<Value> {
        if name == "dict" && args.pos.is_empty() {
            return self.dict_of_keywords(args);
        }
        // `'%(user)s %(key)s' % locals()`: the local variables by name.
        if matches!(name, "locals" | "vars") && args.pos.is_empty() && args.kw.is_empty() {
            let mut items: Vec<(Key, Value)> = self
                .env
                .vars
                .iter()
                .map(|(k, v)| (Key::from(&**k), v.clone()))
                .collect();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            return Some(Value::map(items, "dict"));
        }
        let a0 = args.pos.first()?;
        match name {
            // `getattr(os, "system")` is `os.system`.
            "getattr" if args.pos.len() >= 2 => {
                let attr = args.pos[1].konst.as_str()?.to_string();
                let mut v = self.method_value(a0, &attr);
                if v.refers.is_none() {
                    v = self.read_attr(a0, &attr, TextRange::default(), Text::Is(&attr));
                }
                Some(v)
            }
            "str" if args.pos.len() == 1 => {
                let mut v = Value::tainted(a0.all_taint()).with_ty("str");
                v.konst = a0.konst.to_text().map_or(Const::Unknown, |t| Const::Str(t.into()));
                Some(v)
            }
            "list" | "tuple" if args.pos.len() == 1 => match &a0.items {
                Some(Items::Seq(items)) => {
                    let mut v = Value::seq(items.as_ref().clone(), name);
                    v.taint = a0.taint.clone();
                    Some(v)
                }
                _ => {
                    let mut v = Value::tainted(a0.all_taint()).with_ty(name);
                    v.words = a0.words.clone();
                    Some(v)
                }
            },
            "dict" if args.pos.len() == 1 && a0.items.is_some() && args.kw.is_empty() => Some(a0.clone()),
            _ => None,
        }
    }

    /// `dict(a=1, password=pw)`: a dictionary of its keyword arguments,
    /// each stored under its name.
    fn dict_of_keywords(&self, args: &Args) -> Option<Value> {
        if !args.pos.is_empty() || args.star.is_some() || args.star_kw.is_some() || args.kw.is_empty() {
            return None;
        }
        let mut items: Vec<(Key, Value)> = Vec::new();
        for (k, v, e) in &args.kw {
            let mut v = v.clone();
            let what = format!("{k}={}", self.cx.snippet(*e));
            self.keyed_item(k, &mut v, e.range(), Text::Is(&what));
            items.push((k.clone(), v));
        }
        Some(Value::map(items, "dict"))
    }
}

/// What a list whose items are not known (`r`) holds once `x` is added to
/// it: one item (`append`, `insert`), or the items of a sequence (`extend`).
/// A list with known items that lost them here keeps their words.
fn add_words(r: &mut Value, x: &Value, sequence: bool) {
    let Some(before) = r.words_of() else { return };
    let added = if sequence {
        x.words_of()
            .map(|w| before.concat(&w))
            .unwrap_or_else(|| before.opened())
    } else {
        before.concat(&Words::of_items(std::slice::from_ref(x)))
    };
    r.words = Some(Rc::new(added));
}

/// Matches a call's arguments to the callee's parameters.
fn map_params(s: &Summary, args: &Args, receiver: Option<Value>) -> Vec<Option<Value>> {
    use super::super::summary::ParamKind;
    let mut actual: Vec<Option<Value>> = vec![None; s.params.len()];
    let mut next = 0;
    if let Some(r) = receiver {
        if !actual.is_empty() {
            actual[0] = Some(r);
        }
        next = 1;
    }
    let vararg = s.params.iter().position(|p| p.kind == ParamKind::VarArgs);
    let kwarg = s.params.iter().position(|p| p.kind == ParamKind::KwArgs);
    let mut extra: Vec<Value> = Vec::new();
    for v in &args.pos {
        if next < s.params.len() && s.params[next].kind == ParamKind::Positional {
            actual[next] = Some(v.clone());
            next += 1;
        } else {
            extra.push(v.clone());
        }
    }
    if let Some(i) = vararg {
        let mut v = Value::seq(extra, "tuple");
        if let Some(star) = &args.star {
            v = Value::tainted(v.all_taint().union(&star.all_taint())).with_ty("tuple");
        }
        actual[i] = Some(v);
    }
    if let Some(star) = &args.star {
        for (p, slot) in s.params.iter().zip(actual.iter_mut()).skip(next) {
            if p.kind == ParamKind::Positional && slot.is_none() {
                *slot = Some(star.clone());
            }
        }
    }
    let mut extra_kw: Vec<(Key, Value)> = Vec::new();
    for (k, v, _) in &args.kw {
        match s
            .params
            .iter()
            .position(|p| p.name == **k && matches!(p.kind, ParamKind::Positional | ParamKind::KeywordOnly))
        {
            Some(i) => actual[i] = Some(v.clone()),
            None => extra_kw.push((k.clone(), v.clone())),
        }
    }
    if let Some(i) = kwarg {
        let mut v = Value::map(extra_kw, "dict");
        if let Some(star) = &args.star_kw {
            v.taint = star.all_taint();
        }
        actual[i] = Some(v);
    }
    if let Some(star) = &args.star_kw {
        for (i, p) in s.params.iter().enumerate() {
            if actual[i].is_none() && matches!(p.kind, ParamKind::Positional | ParamKind::KeywordOnly) {
                actual[i] = Some(star.clone());
            }
        }
    }
    actual
}

/// Whether every value the sink looks at is a constant the analysis knows
/// (a string, a number, a list of them): then nothing from outside the code,
/// attacker or operator, can reach the sink through these arguments. At
/// least one value must be there: a call the analysis cannot read proves
/// nothing.
fn sink_args_constant(row: &ModelRow, args: &Args, argv: Option<&[Value]>) -> bool {
    let values: Vec<Value> = match argv {
        Some(items) => items.to_vec(),
        None => row.args.iter().flat_map(|a| args.get(a)).map(|(v, _)| v).collect(),
    };
    !values.is_empty() && values.iter().all(is_constant)
}

fn is_constant(v: &Value) -> bool {
    if !v.taint.is_empty() {
        return false;
    }
    match (&v.konst, &v.items) {
        (Const::Unknown, Some(Items::Seq(items))) => !items.is_empty() && items.iter().all(is_constant),
        (Const::Unknown, _) => false,
        _ => true,
    }
}

/// The command line a sink's arguments form, when its shape is known.
fn argv_of(row: &ModelRow, args: &Args) -> Option<Vec<Value>> {
    let first = row.args.first()?;
    match &first.at {
        ArgAt::From(n) => {
            if args.star.is_some() {
                return None;
            }
            let items: Vec<Value> = args.pos.iter().skip(*n).cloned().collect();
            // `execute(['ls', path])` as well as `execute('ls', path)`.
            match items.as_slice() {
                [only] => match &only.items {
                    Some(Items::Seq(inner)) if only.taint.is_empty() => Some(inner.as_ref().clone()),
                    None if only.ty.as_deref() == Some("list") => None,
                    _ => Some(items),
                },
                _ => Some(items),
            }
        }
        _ => {
            let (v, _) = args.get(first).into_iter().next()?;
            match (&v.items, &v.konst) {
                (Some(Items::Seq(items)), _) if v.taint.is_empty() => Some(items.as_ref().clone()),
                (None, Const::Str(s)) => Some(
                    s.split_whitespace()
                        .map(|w| Value::konst(Const::Str(w.into())))
                        .collect(),
                ),
                // A string without a shell is the program's name.
                (None, _) if v.ty.as_deref() == Some("str") => Some(vec![v]),
                _ => None,
            }
        }
    }
}

/// Where the command line a call runs was built, when the call runs a
/// variable (`execute(*cmd)`, `execute(cmd)`) that an earlier assignment of
/// the function built from a literal holding the program's name
/// (`cmd = ['env', 'LC_ALL=C', 'qemu-img', 'info']`).
fn command_built_at(body: &[Stmt], call: &ExprCall, programs: &[String]) -> Option<TextSize> {
    let names: Vec<&str> = call
        .arguments
        .args
        .iter()
        .filter_map(|a| match a {
            Expr::Starred(s) => s.value.as_name_expr(),
            other => other.as_name_expr(),
        })
        .map(|n| n.id.as_str())
        .collect();
    if names.is_empty() {
        return None;
    }
    // The last such assignment before the call: an earlier one may have
    // built another command in the same variable.
    let mut last: Option<TextSize> = None;
    let mut visit = |stmt: &Stmt| {
        let (targets, value): (Vec<&Expr>, &Expr) = match stmt {
            Stmt::Assign(a) => (a.targets.iter().collect(), &a.value),
            Stmt::AnnAssign(a) => match &a.value {
                Some(v) => (vec![&*a.target], v),
                None => return,
            },
            _ => return,
        };
        let assigns = targets
            .iter()
            .any(|t| t.as_name_expr().is_some_and(|n| names.contains(&n.id.as_str())));
        let holds_program = any_over_expr(value, &|e: &Expr| {
            e.as_string_literal_expr()
                .is_some_and(|s| programs.iter().any(|p| s.value.to_str() == p))
        });
        if assigns && holds_program && stmt.range().end() <= call.range().start() {
            last = Some(last.map_or(stmt.range().start(), |f| f.max(stmt.range().start())));
        }
    };
    walk_stmts(body, &mut visit);
    last
}

/// Every statement of a body, nested ones included (not those of nested
/// functions and classes: they run elsewhere).
fn walk_stmts<'s>(body: &'s [Stmt], visit: &mut impl FnMut(&'s Stmt)) {
    for stmt in body {
        visit(stmt);
        match stmt {
            Stmt::If(s) => {
                walk_stmts(&s.body, visit);
                for clause in &s.elif_else_clauses {
                    walk_stmts(&clause.body, visit);
                }
            }
            Stmt::For(s) => {
                walk_stmts(&s.body, visit);
                walk_stmts(&s.orelse, visit);
            }
            Stmt::While(s) => {
                walk_stmts(&s.body, visit);
                walk_stmts(&s.orelse, visit);
            }
            Stmt::With(s) => walk_stmts(&s.body, visit),
            Stmt::Try(s) => {
                walk_stmts(&s.body, visit);
                for handler in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    walk_stmts(&h.body, visit);
                }
                walk_stmts(&s.orelse, visit);
                walk_stmts(&s.finalbody, visit);
            }
            _ => {}
        }
    }
}

/// Whether a row's `argv_has`, `argv_with` and `argv_lacks` hold for the
/// call's command line: `None` when they do not (or the command line is not
/// known), else the `argv_with` word found (the subcommand), if any. The
/// program and the subcommand must be there on some path; the options in
/// `argv_lacks` missing on some path (a command line that passes `-f` on one
/// branch only runs without it on the other).
fn argv_match(row: &ModelRow, args: &Args, items: Option<&[Value]>) -> Option<ArgvMatch> {
    if row.argv_has.is_empty() {
        return Some(ArgvMatch {
            with_word: None,
            partly: false,
        });
    }
    let words = argv_words(row, args, items)?;
    let has = words.may.iter().any(|w| {
        row.argv_has
            .iter()
            .any(|h| **w == **h || w.strip_suffix(&**h).is_some_and(|head| head.ends_with('/')))
    });
    let with_word = row
        .argv_with
        .iter()
        .find_map(|x| words.may.iter().find(|w| option_matches(x, w)).cloned());
    let with = row.argv_with.is_empty() || with_word.is_some();
    let lacks = !words.open
        && !words
            .sure
            .iter()
            .any(|w| row.argv_lacks.iter().any(|l| option_matches(l, w)));
    let partly = words
        .may
        .iter()
        .any(|w| row.argv_lacks.iter().any(|l| option_matches(l, w)));
    (has && with && lacks).then_some(ArgvMatch { with_word, partly })
}

/// What [`argv_match`] found: the `argv_with` word (the subcommand), and
/// whether an option of `argv_lacks` is passed on some paths only.
struct ArgvMatch {
    with_word: Option<Rc<str>>,
    partly: bool,
}

/// What is known of the words of a sink's command line: from its items when
/// they are known, else from the words of a list built elsewhere
/// (`execute(*cmd)`, `execute(cmd)`, `execute('sudo', *cmd)`).
fn argv_words(row: &ModelRow, args: &Args, items: Option<&[Value]>) -> Option<Words> {
    if let Some(items) = items {
        return Some(Words::of_items(items));
    }
    let first = row.args.first()?;
    match &first.at {
        ArgAt::From(n) => {
            let before = Words::of_items(args.pos.get(*n..).unwrap_or_default());
            match args.star.as_ref().and_then(Value::words_of) {
                Some(w) => Some(before.concat(&w)),
                None if args.pos.len() == n + 1 => args.pos[*n].words_of(),
                None => None,
            }
        }
        _ => args.get(first).into_iter().next().and_then(|(v, _)| v.words_of()),
    }
}

/// Whether a command-line word is the option `pattern`: the same word,
/// `--opt=value`, `-fqcow2` for a two-letter option that takes a value, or
/// a match of a pattern with `*` (`*backing_fmt=*`).
fn option_matches(pattern: &str, word: &str) -> bool {
    if pattern.contains('*') {
        return glob(pattern, word);
    }
    word == pattern
        || word.strip_prefix(pattern).is_some_and(|rest| rest.starts_with('='))
        || (pattern.len() == 2 && pattern.starts_with('-') && pattern != "--" && word.starts_with(pattern))
}

/// `*` matches any text; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return pattern == text;
    }
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// Evaluates one `when` clause; `None` when the value is not known.
fn cond_value(c: &Cond, value: Option<&Value>) -> Option<bool> {
    match c.op {
        Op::Missing => return Some(value.is_none()),
        Op::Present => return Some(value.is_some()),
        _ => {}
    }
    let equal = |lit: &Lit| -> Option<bool> {
        let Some(v) = value else {
            return Some(*lit == Lit::None);
        };
        match lit {
            Lit::Name(n) => v.refers.as_ref().map(|r| names::ends_with_segments(r, n)),
            Lit::None => match v.konst {
                Const::Unknown => None,
                Const::None => Some(true),
                _ => Some(false),
            },
            Lit::Bool(b) => match v.konst {
                Const::Bool(x) => Some(x == *b),
                Const::Int(i) => Some((i != 0) == *b),
                Const::Unknown => None,
                _ => Some(false),
            },
            Lit::Int(i) => match v.konst {
                Const::Int(x) => Some(x == *i),
                Const::Unknown => None,
                _ => Some(false),
            },
            Lit::Str(s) => match &v.konst {
                Const::Str(x) => Some(**x == **s),
                Const::Strs(all) => {
                    if all.iter().all(|x| **x == **s) {
                        Some(true)
                    } else if all.iter().all(|x| **x != **s) {
                        Some(false)
                    } else {
                        None
                    }
                }
                Const::Unknown => None,
                _ => Some(false),
            },
            Lit::Tuple(_) => None,
        }
    };
    let any_of = |lit: &Lit| -> Option<bool> {
        match lit {
            Lit::Tuple(items) => {
                let mut unknown = false;
                for i in items {
                    match equal(i) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                if unknown { None } else { Some(false) }
            }
            other => equal(other),
        }
    };
    match c.op {
        Op::Eq => equal(&c.lit),
        Op::Ne => equal(&c.lit).map(|b| !b),
        Op::In => any_of(&c.lit),
        Op::NotIn => any_of(&c.lit).map(|b| !b),
        Op::Missing | Op::Present => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{glob, option_matches};

    #[test]
    fn options_match_as_getopt_reads_them() {
        assert!(option_matches("-f", "-f"));
        assert!(option_matches("-f", "-fqcow2"));
        assert!(!option_matches("-f", "-F"));
        assert!(option_matches("--image-opts", "--image-opts"));
        assert!(option_matches("--size", "--size=10G"));
        assert!(!option_matches("--size", "--sizes"));
        assert!(option_matches("*backing_fmt=*", "backing_file=/a,backing_fmt=raw"));
        assert!(!option_matches("*backing_fmt=*", "backing_file=/a"));
    }

    #[test]
    fn globs() {
        assert!(glob("a*c", "abc"));
        assert!(glob("a*", "a"));
        assert!(!glob("a*c", "ab"));
        assert!(glob("*x*y*", "0x1y2"));
        assert!(!glob("*x*y*", "0y1x2"));
    }
}
