//! Expressions: names, attributes, subscripts, literals, string building,
//! operators, comprehensions; and assignment to targets.

use std::rc::Rc;

use ruff_python_ast::{self as ast, BoolOp, CmpOp, Expr, InterpolatedStringElement, Number, Operator, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

use super::super::models::Kind;
use super::super::summary::SumConst;
use super::super::value::{Const, Flow, Items, Key, MAX_PATH, Name, Origin, Taint, Value, Words};
use super::{Interp, Text};
use crate::python::names;

impl<'a> Interp<'a, '_> {
    pub fn eval_quiet(&mut self, expr: &'a Expr) -> Value {
        let was = self.quiet;
        self.quiet = true;
        let v = self.eval(expr);
        self.quiet = was;
        v
    }

    pub fn eval(&mut self, expr: &'a Expr) -> Value {
        if !self.enter() {
            self.leave();
            return Value::unknown();
        }
        let v = self.eval_inner(expr);
        self.leave();
        v
    }

    fn eval_inner(&mut self, expr: &'a Expr) -> Value {
        match expr {
            Expr::Name(n) => {
                let mut v = self.lookup(n.id.as_str());
                // An imported model object that is a source (`request`).
                if v.ty.is_some()
                    && v.taint.is_empty()
                    && let Some(r) = v.refers.clone()
                {
                    self.apply_read_rows(&r, &mut v, expr.range(), Text::At(expr.range()));
                }
                v
            }
            Expr::Attribute(a) => {
                let base = self.eval(&a.value);
                self.read_attr(&base, a.attr.as_str(), expr.range(), Text::At(expr.range()))
            }
            Expr::Subscript(s) => {
                let base = self.eval(&s.value);
                self.subscript(&base, &s.slice, expr.range())
            }
            Expr::Call(c) => self.eval_call(c),
            Expr::StringLiteral(s) => Value::konst(Const::str(s.value.to_str())),
            Expr::BytesLiteral(b) => {
                let bytes: Vec<u8> = b.value.bytes().collect();
                let mut v = Value::typed("bytes");
                if let Ok(text) = String::from_utf8(bytes) {
                    v.konst = Const::Str(text.into());
                }
                v
            }
            Expr::NumberLiteral(n) => Value::konst(match &n.value {
                Number::Int(i) => i.as_i64().map_or(Const::Unknown, Const::Int),
                Number::Float(f) => Const::Float(*f),
                Number::Complex { .. } => Const::Unknown,
            }),
            Expr::BooleanLiteral(b) => Value::konst(Const::Bool(b.value)),
            Expr::NoneLiteral(_) => Value::konst(Const::None),
            Expr::EllipsisLiteral(_) => Value::unknown(),
            Expr::FString(f) => self.fstring(f),
            Expr::TString(_) => Value::unknown(),
            Expr::BinOp(b) => {
                let l = self.eval(&b.left);
                let r = self.eval(&b.right);
                self.binop(&l, b.op, &r)
            }
            Expr::UnaryOp(u) => {
                let v = self.eval(&u.operand);
                match u.op {
                    UnaryOp::Not => Value::konst(v.konst.truthy().map_or(Const::Unknown, |b| Const::Bool(!b))),
                    UnaryOp::USub => match v.konst {
                        Const::Int(i) => Value::konst(Const::Int(i.wrapping_neg())),
                        Const::Float(f) => Value::konst(Const::Float(-f)),
                        _ => Value::tainted(v.all_taint()),
                    },
                    UnaryOp::UAdd => v,
                    UnaryOp::Invert => Value::tainted(v.all_taint()),
                }
            }
            Expr::BoolOp(b) => self.boolop(b),
            Expr::Compare(c) => self.compare(c),
            Expr::If(i) => {
                let test = self.eval(&i.test);
                match test.konst.truthy() {
                    Some(true) => self.eval(&i.body),
                    Some(false) => self.eval(&i.orelse),
                    None => {
                        let saved = self.env.clone();
                        self.narrow_in_place(&i.test, true);
                        let a = self.eval(&i.body);
                        self.env = saved.clone();
                        self.narrow_in_place(&i.test, false);
                        let b = self.eval(&i.orelse);
                        self.env = saved;
                        a.join(&b)
                    }
                }
            }
            Expr::Dict(d) => self.dict_literal(d),
            Expr::List(l) => self.seq_literal(&l.elts, "list"),
            Expr::Tuple(t) => self.seq_literal(&t.elts, "tuple"),
            Expr::Set(s) => {
                let v = self.seq_literal(&s.elts, "set");
                Value::tainted(v.all_taint()).with_ty("set")
            }
            Expr::ListComp(c) => {
                let v = self.comprehension(&c.generators, &c.elt, None);
                Value::tainted(v.all_taint()).with_ty("list")
            }
            Expr::SetComp(c) => {
                let v = self.comprehension(&c.generators, &c.elt, None);
                Value::tainted(v.all_taint()).with_ty("set")
            }
            Expr::Generator(c) => {
                let v = self.comprehension(&c.generators, &c.elt, None);
                Value::tainted(v.all_taint()).with_ty("generator")
            }
            Expr::DictComp(c) => {
                let v = self.comprehension(&c.generators, &c.value, c.key.as_deref());
                Value::tainted(v.all_taint()).with_ty("dict")
            }
            Expr::Lambda(_) => Value::unknown(),
            Expr::Named(n) => {
                let v = self.eval(&n.value);
                self.assign(&n.target, v.clone());
                v
            }
            Expr::Await(a) => self.eval(&a.value),
            Expr::Yield(y) => {
                if let Some(v) = &y.value {
                    let v = self.eval(v);
                    self.add_return(Value::tainted(v.all_taint()));
                }
                Value::unknown()
            }
            Expr::YieldFrom(y) => {
                let v = self.eval(&y.value);
                let elem = self.element_of(&v);
                self.add_return(elem);
                Value::unknown()
            }
            Expr::Starred(s) => self.eval(&s.value),
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.eval(part);
                }
                Value::unknown()
            }
            Expr::IpyEscapeCommand(_) => Value::unknown(),
        }
    }

    /// Reads `base.attr`.
    pub fn read_attr(&self, base: &Value, attr: &str, range: TextRange, what: Text) -> Value {
        if let Some(v) = base.field(attr) {
            return v.clone();
        }
        let mut out = Value::unknown();
        // A qualified name: a module, a class, a model object.
        if let Some(refers) = &base.refers {
            let name = names::join(refers, attr);
            if let Some(v) = self.resolve_global(&name) {
                out = v;
            }
            out.refers = Some(name.as_str().into());
            self.apply_read_rows(&name, &mut out, range, what);
        }
        // An object of a known type.
        if let Some(ty) = base.ty.clone() {
            for class in self.type_chain(&ty) {
                let name = names::join(class, attr);
                if self.apply_read_rows(&name, &mut out, range, what) {
                    break;
                }
            }
        }
        // Attributes of attacker-controlled objects are attacker-controlled;
        // a parameter's path grows.
        // An object with known attributes: another attribute is not made of
        // them. Labels that do not pass through calls (a secret) do not
        // pass to attributes either (`CONF.keystone_authtoken.auth_url`).
        let whole = if matches!(base.items, Some(Items::Fields(_))) {
            base.taint.clone()
        } else {
            base.all_taint()
        };
        let opaque = self.cx.models.opaque;
        let inherited = whole.map(|f| match &f.origin {
            Origin::Source(l) | Origin::Entry(l) if opaque & (1 << l) != 0 => None,
            Origin::Param(i, path) if path.len() < MAX_PATH && base.items.is_none() => {
                let mut p: Vec<Name> = path.to_vec();
                p.push(attr.into());
                Some(Flow {
                    origin: Origin::Param(*i, p.into()),
                    ..f.clone()
                })
            }
            _ => Some(f.clone()),
        });
        out.taint = out.taint.union(&inherited);
        self.name_sources(attr, &mut out, range, what);
        if base.entry {
            // Read from an entry point's input object: a source here, not
            // something the function hands back to its callers.
            out.entry = true;
            out.taint = out.taint.map(|f| match f.origin {
                Origin::Source(label) => Some(Flow {
                    origin: Origin::Entry(label),
                    ..f.clone()
                }),
                _ => Some(f.clone()),
            });
        }
        out
    }

    /// Applies `read` rows for a qualified name; true if any matched.
    fn apply_read_rows(&self, name: &str, out: &mut Value, range: TextRange, what: Text) -> bool {
        let models = self.cx.models;
        let mut any = false;
        for row in models.reads(name) {
            any = true;
            match row.kind {
                Kind::Source => {
                    let t = self.source_flow(row.label, &row.note, range, &self.cx.text_of(what));
                    out.taint = out.taint.union(&t);
                    if let Some(ty) = &row.ty {
                        out.ty = Some(ty.as_str().into());
                    }
                    out.tags |= row.tags;
                }
                Kind::Type => {
                    out.ty = row.ty.as_deref().map(Into::into);
                    out.tags |= row.tags;
                }
                Kind::Sanitizer => {
                    *out = Value::unknown();
                    if let Some(ty) = &row.ty {
                        out.ty = Some(ty.as_str().into());
                    }
                }
                _ => {}
            }
        }
        any
    }

    /// Sources matched by the shape of a name (`*password*`): attribute
    /// names and constant keys.
    pub fn name_sources(&self, name: &str, out: &mut Value, range: TextRange, what: Text) {
        self.name_rows(name, out, range, what, true);
    }

    /// A value stored under a constant key that names a secret
    /// (`props['auth_password'] = chap`, `{'password': pw}`) is that secret
    /// from then on, whatever it was made of: the key says what it is, and
    /// the container carries it wherever it goes (a log line, a response).
    /// A constant (a placeholder, `None`) is left alone.
    pub fn keyed_item(&self, key: &str, value: &mut Value, range: TextRange, what: Text) {
        if value.konst == Const::Unknown {
            self.name_rows(key, value, range, what, false);
        }
    }

    /// Applies the name-shaped rows matching `name`: sources, and, when
    /// reading (`sanitize`), sanitizers.
    fn name_rows(&self, name: &str, out: &mut Value, range: TextRange, what: Text, sanitize: bool) {
        for row in self.cx.models.name_rows(name) {
            match row.kind {
                Kind::Sanitizer if !sanitize => return,
                Kind::Sanitizer => {
                    if row.labels != 0 && row.clears_all {
                        out.taint = out.taint.drop_labels(row.labels);
                        return;
                    }
                    let applies = |f: &Flow| match f.origin {
                        Origin::Source(l) | Origin::Entry(l) => row.labels == 0 || row.labels & (1 << l) != 0,
                        Origin::Param(..) => row.labels == 0,
                    };
                    out.taint = out.taint.map(|f| {
                        if !applies(f) {
                            Some(f.clone())
                        } else if row.clears_all {
                            None
                        } else {
                            Some(Flow {
                                cleared: f.cleared | row.clears,
                                ..f.clone()
                            })
                        }
                    });
                    return;
                }
                Kind::Source if !matches!(out.konst, Const::Bool(_) | Const::Int(_) | Const::None) => {
                    // A value stored under a secret's key that already is
                    // one keeps the path from where it came.
                    let already = out
                        .all_taint()
                        .flows()
                        .iter()
                        .any(|f| matches!(f.origin, Origin::Source(l) | Origin::Entry(l) if l == row.label));
                    if !sanitize && already {
                        return;
                    }
                    let t = self.source_flow(row.label, &row.note, range, &self.cx.text_of(what));
                    out.taint = out.taint.union(&t);
                    return;
                }
                _ => {}
            }
        }
    }

    /// Types to look a method or attribute up on: the type, then its bases
    /// when it is a project class.
    pub fn type_chain<'s>(&'s self, ty: &'s str) -> impl Iterator<Item = &'s str> + 's {
        let known = self.cx.mro(ty);
        let single = if known.is_none() { Some(ty) } else { None };
        known.into_iter().flatten().map(String::as_str).chain(single)
    }

    /// A project module-level value by qualified name, following re-exports.
    pub fn resolve_global(&self, name: &str) -> Option<Value> {
        let mut name = name.to_string();
        for _ in 0..4 {
            let (module, attr) = names::split_last(&name)?;
            if module == self.cx.module {
                return self.cx.global(attr);
            }
            if !self.cx.sees(module) {
                return None;
            }
            let facts = self.cx.facts.modules.get(module)?;
            self.cx.note_read(&name);
            let global = facts.globals.get(attr)?;
            self.cx.depend(&name, None);
            if let Some(r) = &global.value.refers
                && *r != name
                && global.value.ty.is_none()
                && global.value.konst.is_none()
                && global.items.is_none()
            {
                name = r.clone();
                continue;
            }
            let mut v = Value::unknown();
            v.konst = global.value.konst.as_ref().map_or(Const::Unknown, SumConst::to_const);
            v.ty = global.value.ty.as_deref().map(Into::into);
            v.refers = Some(global.value.refers.as_deref().unwrap_or(&name).into());
            v.tags = global.value.tags;
            if let Some(items) = &global.items {
                let vals: Vec<(Key, Value)> = items
                    .iter()
                    .map(|(k, c)| (k.as_str().into(), Value::konst(c.to_const())))
                    .collect();
                if global.is_seq {
                    v.items = Some(Items::Seq(Rc::new(vals.into_iter().map(|(_, v)| v).collect())));
                } else {
                    v.items = Some(Items::Map(Rc::new(vals)));
                }
            }
            return Some(v);
        }
        None
    }

    fn subscript(&mut self, base: &Value, slice: &'a Expr, range: TextRange) -> Value {
        if let Expr::Slice(s) = slice {
            let bound = |me: &mut Self, e: &'a Option<Box<Expr>>| -> Option<Option<i64>> {
                match e {
                    None => Some(None),
                    Some(e) => match me.eval(e).konst {
                        Const::Int(i) => Some(Some(i)),
                        _ => None,
                    },
                }
            };
            let lower = bound(self, &s.lower);
            let upper = bound(self, &s.upper);
            let step = bound(self, &s.step);
            let mut out = Value::tainted(base.all_taint());
            out.ty = base.ty.clone();
            if let (Some(lo), Some(hi), Some(None)) = (lower, upper, step) {
                if let Const::Str(text) = &base.konst {
                    let chars: Vec<char> = text.chars().collect();
                    let (a, b) = slice_bounds(chars.len(), lo, hi);
                    out.konst = Const::Str(chars[a..b].iter().collect::<String>().into());
                }
                if let Some(Items::Seq(items)) = &base.items {
                    let (a, b) = slice_bounds(items.len(), lo, hi);
                    out = Value::seq(items[a..b].to_vec(), base.ty.as_deref().unwrap_or("list"));
                    out.taint = base.taint.clone();
                }
            }
            // A slice of a command line whose items are not known keeps its
            // words: slices cut a prefix (`cmd[2:]` drops `env LC_ALL=C`),
            // not the options of the program.
            if out.items.is_none() && base.items.is_none() {
                out.words = base.words.clone();
            }
            return out;
        }
        let key = self.eval(slice);
        match (&base.items, &key.konst) {
            (Some(Items::Seq(_)), Const::Int(i)) => {
                if let Some(v) = base.seq_item(*i) {
                    let mut v = v.clone();
                    v.taint = v.taint.union(&base.taint);
                    return v;
                }
            }
            (Some(Items::Map(_)), Const::Str(k)) => {
                if let Some(v) = base.map_item(k) {
                    let mut v = v.clone();
                    v.taint = v.taint.union(&base.taint);
                    return v;
                }
                // Another key: the part of the dict nobody set here (its
                // own taint), not the items that are known.
                let mut out = Value::tainted(base.taint.clone());
                let k = k.clone();
                self.name_sources(&k, &mut out, range, Text::At(slice.range()));
                return out;
            }
            _ => {}
        }
        // A key the analysis does not know, in a dict whose items are all
        // known (a table of commands): one of the items, or the unknown
        // part; not all of them at once (`method, url, params =
        // self.commands[cmd]` gets a method, not the password of another
        // command's parameters).
        if let (Some(Items::Map(items)), Const::Unknown | Const::Strs(_)) = (&base.items, &key.konst)
            && !items.is_empty()
        {
            // One of a few keys (`cmd` checked `in` the table): those items.
            let chosen: Vec<&Value> = match key.konst.strings() {
                Some(keys) => keys.iter().filter_map(|k| base.map_item(k)).collect(),
                None => items.iter().map(|(_, v)| v).collect(),
            };
            if let Some((first, rest)) = chosen.split_first() {
                let mut v = rest.iter().fold((*first).clone(), |acc, v| acc.join(v));
                v.taint = v.taint.union(&base.taint);
                return v;
            }
        }
        if let (Const::Str(text), Const::Int(i)) = (&base.konst, &key.konst) {
            let chars: Vec<char> = text.chars().collect();
            let idx = if *i < 0 { chars.len() as i64 + i } else { *i };
            if let Some(c) = usize::try_from(idx).ok().and_then(|i| chars.get(i)) {
                return Value::konst(Const::Str(c.to_string().into())).with_taint(base.taint.clone());
            }
        }
        let mut out = Value::tainted(base.all_taint().map(|f| match (&f.origin, &key.konst) {
            (Origin::Param(i, path), Const::Str(k)) if path.len() < MAX_PATH && base.items.is_none() => {
                let mut p: Vec<Name> = path.to_vec();
                p.push(format!("[{k}]").into());
                Some(Flow {
                    origin: Origin::Param(*i, p.into()),
                    ..f.clone()
                })
            }
            _ => Some(f.clone()),
        }));
        if let Const::Str(k) = &key.konst {
            let k = k.clone();
            self.name_sources(&k, &mut out, range, Text::At(slice.range()));
        }
        out
    }

    fn fstring(&mut self, f: &'a ast::ExprFString) -> Value {
        let mut text = Some(String::new());
        let mut taint = Taint::default();
        for part in f.value.as_slice() {
            match part {
                ast::FStringPart::Literal(l) => {
                    if let Some(t) = &mut text {
                        t.push_str(&l.value);
                    }
                }
                ast::FStringPart::FString(fs) => {
                    for element in fs.elements.iter() {
                        self.fstring_element(element, &mut text, &mut taint);
                    }
                }
            }
        }
        let mut v = Value::tainted(taint).with_ty("str");
        if let Some(t) = text {
            v.konst = Const::Str(t.into());
        }
        v
    }

    fn fstring_element(
        &mut self,
        element: &'a InterpolatedStringElement,
        text: &mut Option<String>,
        taint: &mut Taint,
    ) {
        match element {
            InterpolatedStringElement::Literal(l) => {
                if let Some(t) = text {
                    t.push_str(&l.value);
                }
            }
            InterpolatedStringElement::Interpolation(i) => {
                let v = self.eval(&i.expression);
                *taint = taint.union(&v.all_taint());
                let piece = if i.format_spec.is_none() && i.debug_text.is_none() {
                    v.konst.to_text()
                } else {
                    None
                };
                match (text.as_mut(), piece) {
                    (Some(t), Some(p)) => t.push_str(&p),
                    _ => *text = None,
                }
                if let Some(spec) = &i.format_spec {
                    for e in spec.elements.iter() {
                        let mut ignored = None;
                        self.fstring_element(e, &mut ignored, taint);
                    }
                }
            }
        }
    }

    pub fn binop(&mut self, l: &Value, op: Operator, r: &Value) -> Value {
        // `'%(id)s' % {'id': i, 'password': p}` shows only the id.
        let shown = match op {
            Operator::Mod => shown_through_format(&l.konst, r, 0),
            _ => None,
        };
        let taint = l.all_taint().union(&shown.unwrap_or_else(|| r.all_taint()));
        let konst = match (op, &l.konst, &r.konst) {
            (Operator::Add, Const::Str(a), Const::Str(b)) => Const::Str(format!("{a}{b}").into()),
            (Operator::Add, Const::Int(a), Const::Int(b)) => a.checked_add(*b).map_or(Const::Unknown, Const::Int),
            (Operator::Sub, Const::Int(a), Const::Int(b)) => a.checked_sub(*b).map_or(Const::Unknown, Const::Int),
            (Operator::Mult, Const::Int(a), Const::Int(b)) => a.checked_mul(*b).map_or(Const::Unknown, Const::Int),
            (Operator::Mult, Const::Str(a), Const::Int(b)) if (0..64).contains(b) => {
                Const::Str(a.repeat(*b as usize).into())
            }
            (Operator::FloorDiv, Const::Int(a), Const::Int(b)) if *b != 0 => Const::Int(a.div_euclid(*b)),
            (Operator::Mod, Const::Int(a), Const::Int(b)) if *b != 0 => Const::Int(a.rem_euclid(*b)),
            (Operator::Pow, Const::Int(a), Const::Int(b)) if (0..64).contains(b) => {
                a.checked_pow(*b as u32).map_or(Const::Unknown, Const::Int)
            }
            (Operator::Mod, Const::Str(fmt), _) => {
                percent_format(fmt, r).map_or(Const::Unknown, |s| Const::Str(s.into()))
            }
            // One of a few strings joined to another: every combination.
            (Operator::Add, a, b) => concat_choices(a, b),
            _ => Const::Unknown,
        };
        // `list + list` keeps known items.
        if op == Operator::Add
            && let (Some(Items::Seq(a)), Some(Items::Seq(b))) = (&l.items, &r.items)
        {
            let mut items = a.as_ref().clone();
            items.extend(b.iter().cloned());
            let mut v = Value::seq(items, l.ty.as_deref().unwrap_or("list"));
            v.taint = l.taint.union(&r.taint);
            return v;
        }
        // `prefix + ('qemu-img', 'convert', ...)` with a prefix of unknown
        // items, or a list whose items were forgotten: what is known of the
        // constant words survives. An unknown part before the known words is
        // a prefix (`cgexec -g ...`, `env LC_ALL=C`); one after them may hold
        // any word.
        if op == Operator::Add && (l.is_seq() || r.is_seq()) {
            let words = match (l.words_of(), r.words_of()) {
                (Some(a), Some(b)) => Some(a.concat(&b)),
                (Some(a), None) => Some(a.opened()),
                (None, Some(b)) => Some(b),
                (None, None) => None,
            };
            if let Some(words) = words {
                let mut v = Value::tainted(taint);
                v.ty = l.ty.clone().or_else(|| r.ty.clone()).or_else(|| Some("list".into()));
                v.words = Some(Rc::new(words));
                return v;
            }
        }
        let mut v = Value::tainted(taint);
        v.konst = konst;
        v.ty = match op {
            Operator::Mod | Operator::Add if matches!(l.konst, Const::Str(_)) || l.ty.as_deref() == Some("str") => {
                Some("str".into())
            }
            // `Path / "name"` is a path.
            Operator::Div => l.ty.clone(),
            _ => l.ty.clone().filter(|t| !matches!(&**t, "int" | "float" | "bool")),
        };
        v.tags = l.tags;
        v
    }

    fn boolop(&mut self, b: &'a ast::ExprBoolOp) -> Value {
        let saved = self.env.clone();
        let mut out: Option<Value> = None;
        for value in &b.values {
            let v = self.eval(value);
            let truth = v.konst.truthy();
            // `a or b` is `a` when `a` is true; `a and b` is `a` when false.
            let stops = match b.op {
                BoolOp::Or => truth == Some(true),
                BoolOp::And => truth == Some(false),
            };
            let skip = match b.op {
                BoolOp::Or => truth == Some(false),
                BoolOp::And => truth == Some(true),
            };
            if !skip || stops {
                out = Some(match out {
                    None => v.clone(),
                    Some(o) => o.join(&v),
                });
            }
            if stops {
                break;
            }
            self.narrow_in_place(value, b.op == BoolOp::And);
        }
        self.env = saved;
        out.unwrap_or_default()
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) -> Value {
        let mut left = self.eval(&c.left);
        let mut left_expr: &'a Expr = &c.left;
        let mut result: Option<bool> = Some(true);
        for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
            let r = self.eval(right);
            if !self.cx.models.compares.is_empty() {
                self.check_compare(*op, (&left, left_expr), (&r, right), c.range());
            }
            left_expr = right;
            let this = compare_consts(*op, &left, &r);
            result = match (result, this) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            left = r;
        }
        Value::konst(result.map_or(Const::Unknown, Const::Bool)).with_ty("bool")
    }

    /// Comparison sinks: `a == b`, `a != b`, `a in b`, `a not in b` where
    /// neither side is a constant and one carries data of the sink's labels
    /// (a signature: `==` stops at the first differing character, so the
    /// time it takes tells an attacker how much of a guess was right).
    fn check_compare(&mut self, op: CmpOp, (l, le): (&Value, &Expr), (r, re): (&Value, &Expr), range: TextRange) {
        if !matches!(op, CmpOp::Eq | CmpOp::NotEq | CmpOp::In | CmpOp::NotIn) {
            return;
        }
        if l.konst != Const::Unknown || r.konst != Const::Unknown {
            return;
        }
        // `x in ('a', 'b')`: a membership test among constants.
        if let Some(Items::Seq(items)) = &r.items
            && matches!(op, CmpOp::In | CmpOp::NotIn)
            && items.iter().all(|v| v.konst != Const::Unknown)
        {
            return;
        }
        let models = self.cx.models;
        let op_text = op.as_str();
        for &i in &models.compares {
            let row = &models.rows[i];
            if self.cx.rules_on & (1u64 << row.rule_bit) == 0 {
                continue;
            }
            // The side holding the signature names it in the message; a
            // parameter's side matters to the callers (a helper comparing
            // its arguments).
            let sourced = |v: &Value| {
                v.all_taint().flows().iter().any(|f| match f.origin {
                    Origin::Source(label) | Origin::Entry(label) => row.labels & (1 << label) != 0,
                    Origin::Param(..) => false,
                })
            };
            let (lt, rt) = (l.all_taint(), r.all_taint());
            if lt.is_empty() && rt.is_empty() {
                continue;
            }
            let named = if sourced(r) && !sourced(l) { re } else { le };
            let arg = format!("`{}`", self.cx.snippet(named));
            self.hit_row_sink(&lt.union(&rt), row, range, (op_text, &arg), || {
                format!("compared with `{op_text}`")
            });
        }
    }

    fn dict_literal(&mut self, d: &'a ast::ExprDict) -> Value {
        let mut items: Vec<(Key, Value)> = Vec::new();
        let mut extra = Taint::default();
        let mut known = true;
        for item in &d.items {
            let mut value = self.eval(&item.value);
            match &item.key {
                Some(k) => {
                    let key = self.eval(k);
                    extra = extra.union(&key.all_taint());
                    if let Some(text) = key.konst.as_str() {
                        self.keyed_item(text, &mut value, k.range(), Text::At(k.range()));
                    }
                    match key.konst.to_text() {
                        Some(text) if known => {
                            items.retain(|(k, _)| **k != *text);
                            items.push((text.into(), value));
                        }
                        _ => {
                            known = false;
                            extra = extra.union(&value.all_taint());
                        }
                    }
                }
                None => match &value.items {
                    Some(Items::Map(other)) if known => {
                        for (k, v) in other.iter() {
                            items.retain(|(x, _)| x != k);
                            items.push((k.clone(), v.clone()));
                        }
                        extra = extra.union(&value.taint);
                    }
                    _ => extra = extra.union(&value.all_taint()),
                },
            }
        }
        if !known {
            for (_, v) in &items {
                extra = extra.union(&v.all_taint());
            }
            return Value::tainted(extra).with_ty("dict");
        }
        let mut v = Value::map(items, "dict");
        v.taint = extra;
        v
    }

    fn seq_literal(&mut self, elts: &'a [Expr], ty: &str) -> Value {
        let mut items = Vec::new();
        let mut extra = Taint::default();
        // `(*prefix, 'qemu-img', 'info', path)`: once a starred part's items
        // are unknown, the words of the parts still say what the command is
        // (computed only from then on: most literals never need them).
        let mut words: Option<Words> = None;
        for e in elts {
            match e {
                Expr::Starred(s) => {
                    let v = self.eval(&s.value);
                    match (&v.items, words.take()) {
                        (Some(Items::Seq(inner)), None) => items.extend(inner.iter().cloned()),
                        (_, before) => {
                            let before = before.unwrap_or_else(|| Words::of_items(&items));
                            words = Some(match v.words_of() {
                                Some(w) => before.concat(&w),
                                None if before.may.is_empty() => before,
                                None => before.opened(),
                            });
                        }
                    }
                    extra = extra.union(&v.taint);
                    if v.items.is_none() {
                        extra = extra.union(&v.all_taint());
                    }
                }
                _ => {
                    let v = self.eval(e);
                    if let Some(w) = words.take() {
                        words = Some(w.concat(&Words::of_items(std::slice::from_ref(&v))));
                    }
                    items.push(v);
                }
            }
        }
        if let Some(words) = words {
            let t = items.iter().fold(extra, |t, v| t.union(&v.all_taint()));
            let mut v = Value::tainted(t).with_ty(ty);
            v.words = Some(Rc::new(words));
            return v;
        }
        let mut v = Value::seq(items, ty);
        v.taint = v.taint.union(&extra);
        v
    }

    /// Runs a comprehension's loops in a scratch scope; returns the element.
    fn comprehension(&mut self, generators: &'a [ast::Comprehension], elt: &'a Expr, key: Option<&'a Expr>) -> Value {
        let saved = self.env.clone();
        for g in generators {
            let iter = self.eval(&g.iter);
            let element = self.element_of(&iter);
            self.assign(&g.target, element);
            for cond in &g.ifs {
                self.eval(cond);
                self.narrow_in_place(cond, true);
            }
        }
        let mut v = self.eval(elt);
        if let Some(k) = key {
            let kv = self.eval(k);
            v = Value::tainted(v.all_taint().union(&kv.all_taint()));
        }
        self.env = saved;
        v
    }

    /// Binds a value to an assignment target.
    pub fn assign(&mut self, target: &'a Expr, value: Value) {
        match target {
            Expr::Name(n) => self.bind(n.id.as_str(), value),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let star = elts.iter().position(|e| e.is_starred_expr());
                match (&value.items, star) {
                    (Some(Items::Seq(items)), None) if items.len() == elts.len() => {
                        let items = items.clone();
                        for (e, v) in elts.iter().zip(items.iter()) {
                            let mut v = v.clone();
                            v.taint = v.taint.union(&value.taint);
                            self.assign(e, v);
                        }
                    }
                    _ => {
                        let elem = self.element_of(&value);
                        for e in elts {
                            match e {
                                Expr::Starred(s) => {
                                    let v = Value::tainted(value.all_taint()).with_ty("list");
                                    self.assign(&s.value, v);
                                }
                                _ => self.assign(e, elem.clone()),
                            }
                        }
                    }
                }
            }
            Expr::Starred(s) => self.assign(&s.value, value),
            Expr::Attribute(a) => {
                let base = self.eval(&a.value);
                self.check_store(&base, &value, None, target.range());
                if let Some(name) = Self::name_of(&a.value) {
                    if name == "self" && self.func.class.is_some() {
                        self.self_fields.retain(|(k, _)| &**k != a.attr.as_str());
                        self.self_fields.push((a.attr.as_str().into(), value.clone()));
                    }
                    let mut base = self.lookup(name);
                    base.set_field(a.attr.as_str(), value);
                    self.bind(name, base);
                }
            }
            Expr::Subscript(s) => {
                let base = self.eval(&s.value);
                let key = self.eval(&s.slice);
                let mut value = value;
                if let Some(text) = key.konst.as_str() {
                    self.keyed_item(text, &mut value, target.range(), Text::At(target.range()));
                }
                self.check_store(&base, &value, Some(&key), target.range());
                let Some(name) = Self::name_of(&s.value) else { return };
                let mut base = self.lookup(name);
                store_item(&mut base, &key, value);
                self.bind(name, base);
            }
            _ => {}
        }
    }

    /// Sinks that are stores: `session[key] = value`.
    fn check_store(&mut self, base: &Value, value: &Value, key: Option<&Value>, range: TextRange) {
        let mut names: Vec<String> = Vec::new();
        if let Some(r) = &base.refers {
            names.push(r.to_string());
        }
        if let Some(ty) = &base.ty {
            names.push(ty.to_string());
        }
        let models = self.cx.models;
        for name in names {
            for row in models.stores(&name) {
                if row.kind != Kind::Sink {
                    continue;
                }
                let mut taint = value.all_taint();
                if let Some(k) = key {
                    taint = taint.union(&k.all_taint());
                }
                self.hit_row_sink(&taint, row, range, (&name, "the stored value"), || {
                    format!("stored into `{name}`")
                });
            }
        }
    }
}

/// Stores `value` at `key` in a container value.
pub fn store_item(base: &mut Value, key: &Value, value: Value) {
    match (&base.items, &key.konst) {
        (Some(Items::Map(items)), c) if c.to_text().is_some() => {
            let k: Key = c.to_text().unwrap_or_default().into();
            let mut items = items.as_ref().clone();
            items.retain(|(x, _)| *x != k);
            items.push((k, value));
            base.items = Some(Items::Map(Rc::new(items)));
        }
        (Some(Items::Seq(items)), Const::Int(i)) => {
            let mut items = items.as_ref().clone();
            let idx = if *i < 0 { items.len() as i64 + i } else { *i };
            match usize::try_from(idx).ok().filter(|&i| i < items.len()) {
                Some(i) => items[i] = value,
                None => base.taint = base.taint.union(&value.all_taint()),
            }
            base.items = Some(Items::Seq(Rc::new(items)));
        }
        // A dict of unknown contents (`dict(dev.items())`) given a constant
        // key: that item is known from now on, the rest stays its taint.
        (None, Const::Str(k)) if base.konst == Const::Unknown => {
            base.items = Some(Items::Map(Rc::new(vec![(k.clone(), value)])));
        }
        _ => {
            base.taint = base.taint.union(&value.all_taint()).union(&key.all_taint());
        }
    }
}

fn slice_bounds(len: usize, lo: Option<i64>, hi: Option<i64>) -> (usize, usize) {
    let norm = |v: i64| -> usize {
        let v = if v < 0 { len as i64 + v } else { v };
        v.clamp(0, len as i64) as usize
    };
    let a = lo.map_or(0, norm);
    let b = hi.map_or(len, norm);
    (a, b.max(a))
}

/// `a + b` when either side is one of a few strings (`Const::Strs`): each
/// combination, while they stay few.
fn concat_choices(a: &Const, b: &Const) -> Const {
    let (Some(left), Some(right)) = (a.strings(), b.strings()) else {
        return Const::Unknown;
    };
    if left.len() * right.len() > 4 {
        return Const::Unknown;
    }
    let mut all: Vec<std::rc::Rc<str>> = Vec::new();
    for l in &left {
        for r in &right {
            let joined: std::rc::Rc<str> = format!("{l}{r}").into();
            if !all.contains(&joined) {
                all.push(joined);
            }
        }
    }
    match all.len() {
        1 => Const::Str(all.remove(0)),
        _ => Const::Strs(all.into()),
    }
}

/// The keys a `%`-format names (`'%(id)s: %(err)s'`), when it names only
/// keys; `None` when it has a positional conversion (`%s`), which shows the
/// whole argument.
pub fn format_keys(fmt: &str) -> Option<Vec<&str>> {
    let mut keys = Vec::new();
    let mut rest = fmt;
    while let Some(at) = rest.find('%') {
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('%') {
            rest = tail;
            continue;
        }
        let name = after.strip_prefix('(')?;
        let end = name.find(')')?;
        keys.push(&name[..end]);
        rest = &name[end + 1..];
    }
    Some(keys)
}

/// What `fmt % mapping` shows of a dict with known items: the items the
/// format names (the dict's own taint for a key it does not know), not the
/// others. `None` when the format or the mapping is not of that kind.
pub fn shown_through_format(fmt: &Const, mapping: &Value, opaque: u64) -> Option<Taint> {
    let keys = format_keys(fmt.as_str()?)?;
    if !matches!(mapping.items, Some(Items::Map(_))) {
        return None;
    }
    let mut t = Taint::default();
    for key in keys {
        match mapping.map_item(key) {
            Some(v) => t = t.union(&v.shown_taint(opaque)).union(&mapping.taint),
            None => t = t.union(&mapping.taint),
        }
    }
    Some(t)
}

/// `'%s and %d' % args` with constant arguments.
fn percent_format(fmt: &str, args: &Value) -> Option<String> {
    let values: Vec<String> = match &args.items {
        Some(Items::Seq(items)) => items.iter().map(|v| v.konst.to_text()).collect::<Option<_>>()?,
        _ => vec![args.konst.to_text()?],
    };
    let mut out = String::new();
    let mut it = values.into_iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'r' => out.push_str(&it.next()?),
            _ => return None,
        }
    }
    Some(out)
}

/// The constant of a literal expression (for `case` patterns).
pub fn literal_const(expr: &Expr) -> Option<Const> {
    Some(match expr {
        Expr::StringLiteral(s) => Const::str(s.value.to_str()),
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => Const::Int(i.as_i64()?),
            _ => return None,
        },
        Expr::BooleanLiteral(b) => Const::Bool(b.value),
        Expr::NoneLiteral(_) => Const::None,
        Expr::UnaryOp(u) if u.op == UnaryOp::USub => match literal_const(&u.operand)? {
            Const::Int(i) => Const::Int(-i),
            _ => return None,
        },
        _ => return None,
    })
}

/// Folds one comparison when both sides are known.
fn compare_consts(op: CmpOp, l: &Value, r: &Value) -> Option<bool> {
    let lc = &l.konst;
    let rc = &r.konst;
    match op {
        CmpOp::Eq | CmpOp::NotEq => {
            let eq = match (lc, rc) {
                (Const::Unknown, _) | (_, Const::Unknown) => return None,
                (Const::Strs(a), Const::Str(b)) | (Const::Str(b), Const::Strs(a)) => {
                    if a.contains(b) {
                        return None;
                    }
                    false
                }
                (Const::Strs(_), _) | (_, Const::Strs(_)) => return None,
                (Const::Int(a), Const::Float(b)) | (Const::Float(b), Const::Int(a)) => (*a as f64) == *b,
                (a, b) => a == b,
            };
            Some(if op == CmpOp::Eq { eq } else { !eq })
        }
        CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
            let ord = match (lc, rc) {
                (Const::Int(a), Const::Int(b)) => a.cmp(b),
                (Const::Str(a), Const::Str(b)) => a.cmp(b),
                _ => return None,
            };
            Some(match op {
                CmpOp::Lt => ord.is_lt(),
                CmpOp::LtE => ord.is_le(),
                CmpOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
        CmpOp::In | CmpOp::NotIn => {
            let found = contains(r, l)?;
            Some(if op == CmpOp::In { found } else { !found })
        }
        CmpOp::Is | CmpOp::IsNot => {
            let same = match (lc, rc) {
                (Const::None, Const::None) => true,
                (Const::None, Const::Unknown) | (Const::Unknown, Const::None) => {
                    let other = if lc == &Const::None { r } else { l };
                    // A container or a string is never None (a container
                    // joined with None has lost its type).
                    if (other.items.is_some() && other.ty.is_some()) || other.ty.as_deref().is_some_and(|t| t == "str")
                    {
                        false
                    } else {
                        return None;
                    }
                }
                (Const::None, _) | (_, Const::None) => false,
                (Const::Bool(a), Const::Bool(b)) => a == b,
                _ => return None,
            };
            Some(if op == CmpOp::Is { same } else { !same })
        }
    }
}

/// `needle in haystack`, when known.
fn contains(haystack: &Value, needle: &Value) -> Option<bool> {
    if let (Const::Str(h), Some(ns)) = (&haystack.konst, needle.konst.strings()) {
        let all: Vec<bool> = ns.iter().map(|n| h.contains(&**n)).collect();
        return if all.iter().all(|b| *b) {
            Some(true)
        } else if all.iter().all(|b| !*b) {
            Some(false)
        } else {
            None
        };
    }
    if let Some(Items::Seq(items)) = &haystack.items {
        if needle.konst == Const::Unknown {
            return None;
        }
        let mut unknown = false;
        for item in items.iter() {
            match (&item.konst, &needle.konst) {
                (Const::Unknown, _) | (Const::Strs(_), _) | (_, Const::Strs(_)) => unknown = true,
                (a, b) if a == b => return Some(true),
                _ => {}
            }
        }
        return if unknown || !haystack.taint.is_empty() {
            None
        } else {
            Some(false)
        };
    }
    if let (Some(Items::Map(items)), Some(text)) = (&haystack.items, needle.konst.to_text()) {
        if items.iter().any(|(k, _)| **k == *text) {
            return Some(true);
        }
        return None;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::format_keys;

    #[test]
    fn format_keys_are_the_named_conversions() {
        assert_eq!(format_keys("%(id)s failed: %(err)r, 100%%"), Some(vec!["id", "err"]));
        assert_eq!(format_keys("no conversion"), Some(vec![]));
        // A positional conversion shows the whole argument.
        assert_eq!(format_keys("%(id)s and %s"), None);
        assert_eq!(format_keys("%(unclosed"), None);
    }
}
