//! The abstract values the interpreter computes: what a Python expression
//! may hold, as far as security goes.
//!
//! A [`Value`] carries its [`Taint`] (a small set of [`Flow`]s, each from a
//! source or a parameter, with the rules it has been cleared for and the
//! steps it took), a cheap constant ([`Const`]), known items of containers
//! and known attributes of objects ([`Items`]), its type and the qualified
//! name it refers to (a module, function or class), and object tags set by
//! models (an XML parser with external entities enabled).

use std::rc::Rc;
use std::sync::Arc;

use ruff_text_size::TextRange;

pub type Name = Rc<str>;

/// At most this many flows are kept per value: past it, flows with an
/// origin already present are dropped first, then the newest.
const MAX_FLOWS: usize = 8;
/// A path keeps its first steps; later ones are dropped (the sink step is
/// always added when a finding is made).
pub const MAX_STEPS: u16 = 14;
/// Access paths below a parameter (`self.request.form`) are cut at this depth.
pub const MAX_PATH: usize = 1;
/// Joining more string constants than this gives up on the constant.
const MAX_STRS: usize = 4;
/// Containers with more known items than this are summarised by their taint.
pub const MAX_ITEMS: usize = 64;
/// A sequence's [`Words`] keep at most this many strings.
const MAX_WORDS: usize = 32;

/// Where a step happened: in the file being analysed, or in another one
/// (a callee's path, brought in by its summary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loc {
    Here(TextRange),
    There {
        file: Arc<str>,
        line: u32,
        range: TextRange,
    },
}

#[derive(Debug)]
pub struct StepNode {
    pub at: Loc,
    pub note: Rc<str>,
    pub prev: Steps,
    pub len: u16,
}

/// A persistent list of steps, newest first.
pub type Steps = Option<Rc<StepNode>>;

pub fn push_step(steps: &Steps, at: Loc, note: impl Into<Rc<str>>) -> Steps {
    let len = steps.as_ref().map_or(0, |s| s.len);
    if len >= MAX_STEPS {
        return steps.clone();
    }
    Some(Rc::new(StepNode {
        at,
        note: note.into(),
        prev: steps.clone(),
        len: len + 1,
    }))
}

/// The steps oldest first.
pub fn steps_in_order(steps: &Steps) -> Vec<(Loc, Rc<str>)> {
    let mut out = Vec::new();
    let mut cur = steps.clone();
    while let Some(node) = cur {
        out.push((node.at.clone(), node.note.clone()));
        cur = node.prev.clone();
    }
    out.reverse();
    out
}

/// Where a flow starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A model source with this label.
    Source(u8),
    /// A parameter of an entry point (a web view's, an API controller's)
    /// that a model says is a source with this label. It is a source inside
    /// the function, but not part of what the function returns to callers:
    /// those are the framework, or tests.
    Entry(u8),
    /// A parameter of the function being analysed, or a path below it.
    Param(u8, Rc<[Name]>),
}

#[derive(Debug, Clone)]
pub struct Flow {
    pub origin: Origin,
    /// Rules (bit per rule) this flow has been sanitized or guarded for.
    pub cleared: u64,
    /// How the source is described in messages (`an HTTP query parameter`).
    pub source_note: Rc<str>,
    pub steps: Steps,
    /// A parameter's flow that went through a call the models say nothing
    /// about: labels that do not pass through calls (`secret`) are dropped
    /// from what the caller passes.
    pub cut: bool,
    /// A parameter's flow that went through a sanitizer for some labels
    /// only (`disk_format` of image metadata): labels (bit per label) the
    /// caller's data loses here. Source flows of those labels are dropped
    /// instead.
    pub dropped: u64,
}

impl Flow {
    fn same(&self, other: &Flow) -> bool {
        self.origin == other.origin
            && self.cleared == other.cleared
            && self.cut == other.cut
            && self.dropped == other.dropped
    }
}

/// A set of flows. Empty means the value is not attacker-controlled.
#[derive(Debug, Clone, Default)]
pub struct Taint(Option<Rc<Vec<Flow>>>);

impl Taint {
    pub fn one(flow: Flow) -> Taint {
        Taint(Some(Rc::new(vec![flow])))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub fn flows(&self) -> &[Flow] {
        self.0.as_deref().map_or(&[], |v| v.as_slice())
    }

    pub fn union(&self, other: &Taint) -> Taint {
        match (&self.0, &other.0) {
            (None, _) => other.clone(),
            (_, None) => self.clone(),
            (Some(a), Some(b)) if Rc::ptr_eq(a, b) => self.clone(),
            (Some(a), Some(b)) => {
                if b.iter().all(|f| a.iter().any(|g| g.same(f))) {
                    return self.clone();
                }
                let mut out: Vec<Flow> = a.as_ref().clone();
                for f in b.iter() {
                    if !out.iter().any(|g| g.same(f)) {
                        out.push(f.clone());
                    }
                }
                Taint::from_vec(out)
            }
        }
    }

    fn from_vec(mut flows: Vec<Flow>) -> Taint {
        if flows.is_empty() {
            return Taint(None);
        }
        if flows.len() > MAX_FLOWS {
            // Keep one flow per origin first, then whatever fits.
            let mut kept: Vec<Flow> = Vec::new();
            for f in &flows {
                if !kept.iter().any(|k| k.origin == f.origin) {
                    kept.push(f.clone());
                }
            }
            for f in flows {
                if kept.len() >= MAX_FLOWS {
                    break;
                }
                if !kept.iter().any(|k| k.same(&f)) {
                    kept.push(f);
                }
            }
            kept.truncate(MAX_FLOWS);
            flows = kept;
        }
        Taint(Some(Rc::new(flows)))
    }

    /// The flows, each with `rules` added to what it is cleared for.
    pub fn clear(&self, rules: u64) -> Taint {
        if rules == 0 || self.is_empty() {
            return self.clone();
        }
        let mut out: Vec<Flow> = Vec::new();
        for f in self.flows() {
            let mut f = f.clone();
            f.cleared |= rules;
            if !out.iter().any(|g| g.same(&f)) {
                out.push(f);
            }
        }
        Taint::from_vec(out)
    }

    /// Every flow gains a step.
    pub fn step(&self, at: Loc, note: &str) -> Taint {
        if self.is_empty() {
            return Taint(None);
        }
        let note: Rc<str> = note.into();
        let flows = self
            .flows()
            .iter()
            .map(|f| Flow {
                steps: push_step(&f.steps, at.clone(), note.clone()),
                ..f.clone()
            })
            .collect();
        Taint::from_vec(flows)
    }

    pub fn map(&self, f: impl Fn(&Flow) -> Option<Flow>) -> Taint {
        Taint::from_vec(self.flows().iter().filter_map(f).collect())
    }

    /// The taint once data of `labels` (bit per label) is clean: their
    /// source flows go, and parameters' flows remember it for the callers.
    pub fn drop_labels(&self, labels: u64) -> Taint {
        if labels == 0 || self.is_empty() {
            return self.clone();
        }
        self.map(|f| match f.origin {
            Origin::Source(l) | Origin::Entry(l) if labels & (1 << l) != 0 => None,
            Origin::Source(_) | Origin::Entry(_) => Some(f.clone()),
            Origin::Param(..) => Some(Flow {
                dropped: f.dropped | labels,
                ..f.clone()
            }),
        })
    }

    /// Same flows (origins and clearances), steps aside.
    pub fn same_as(&self, other: &Taint) -> bool {
        // Values that were not changed share their flows.
        if let (Some(a), Some(b)) = (&self.0, &other.0)
            && Rc::ptr_eq(a, b)
        {
            return true;
        }
        let (a, b) = (self.flows(), other.flows());
        a.len() == b.len() && a.iter().all(|f| b.iter().any(|g| g.same(f)))
    }
}

/// A constant the interpreter can follow.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    Unknown,
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    /// One of a few strings (after an `if` joined two constants).
    Strs(Rc<[Rc<str>]>),
}

impl Const {
    pub fn str(s: &str) -> Const {
        Const::Str(s.into())
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Const::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Python truthiness, when known.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Const::Unknown => None,
            Const::None => Some(false),
            Const::Bool(b) => Some(*b),
            Const::Int(i) => Some(*i != 0),
            Const::Float(f) => Some(*f != 0.0),
            Const::Str(s) => Some(!s.is_empty()),
            Const::Strs(all) => {
                let first = !all[0].is_empty();
                all.iter().all(|s| s.is_empty() != first).then_some(first)
            }
        }
    }

    /// Every string this constant may be.
    pub fn strings(&self) -> Option<Vec<Rc<str>>> {
        match self {
            Const::Str(s) => Some(vec![s.clone()]),
            Const::Strs(all) => Some(all.to_vec()),
            _ => None,
        }
    }

    pub fn join(&self, other: &Const) -> Const {
        if self == other {
            return self.clone();
        }
        match (self.strings(), other.strings()) {
            (Some(mut a), Some(b)) => {
                for s in b {
                    if !a.contains(&s) {
                        a.push(s);
                    }
                }
                if a.len() > MAX_STRS {
                    Const::Unknown
                } else {
                    Const::Strs(a.into())
                }
            }
            _ => Const::Unknown,
        }
    }

    /// The text Python's `str()` gives, when known.
    pub fn to_text(&self) -> Option<String> {
        Some(match self {
            Const::None => "None".into(),
            Const::Bool(b) => (if *b { "True" } else { "False" }).into(),
            Const::Int(i) => i.to_string(),
            Const::Str(s) => s.to_string(),
            Const::Float(_) | Const::Unknown | Const::Strs(_) => return None,
        })
    }
}

/// The key of a constant-key dictionary item.
pub type Key = Rc<str>;

/// Known contents of a container or known attributes of an object.
#[derive(Debug, Clone)]
pub enum Items {
    /// A list or tuple whose items are all known, in order.
    Seq(Rc<Vec<Value>>),
    /// A dictionary (or a model's keyed store) with constant keys.
    Map(Rc<Vec<(Key, Value)>>),
    /// Attributes of an object.
    Fields(Rc<Vec<(Name, Value)>>),
}

/// What is known of the constant strings of a list or tuple whose items are
/// not all known: a command built as `prefix + ('qemu-img', 'convert', ...)`
/// from a prefix the caller passed, or two branches that built command lines
/// of different lengths. Shape sinks (`qemu-img` without `-f`) read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    /// Strings the sequence holds on every path.
    pub sure: Rc<[Rc<str>]>,
    /// Strings it may hold (on some path).
    pub may: Rc<[Rc<str>]>,
    /// A sequence of unknown content was added after the known words
    /// (`cmd + extra`): any word may be there.
    pub open: bool,
}

impl Words {
    /// The words of a sequence whose items are all known: constants are
    /// sure, one of a few constants may be any of them. An item of unknown
    /// value is one word that is not a constant (an image path), not `open`.
    pub fn of_items(items: &[Value]) -> Words {
        let mut sure: Vec<Rc<str>> = Vec::new();
        let mut may: Vec<Rc<str>> = Vec::new();
        for v in items {
            match &v.konst {
                Const::Str(s) => {
                    push_word(&mut sure, s);
                    push_word(&mut may, s);
                }
                Const::Strs(all) => all.iter().for_each(|s| push_word(&mut may, s)),
                _ => {}
            }
        }
        Words {
            sure: sure.into(),
            may: may.into(),
            open: false,
        }
    }

    /// Both sequences, one after the other.
    pub fn concat(&self, other: &Words) -> Words {
        let mut sure = self.sure.to_vec();
        other.sure.iter().for_each(|s| push_word(&mut sure, s));
        let mut may = self.may.to_vec();
        other.may.iter().for_each(|s| push_word(&mut may, s));
        Words {
            sure: sure.into(),
            may: may.into(),
            open: self.open || other.open,
        }
    }

    /// One sequence or the other (after an `if`).
    pub fn join(&self, other: &Words) -> Words {
        let sure: Vec<Rc<str>> = self.sure.iter().filter(|s| other.sure.contains(s)).cloned().collect();
        let mut may = self.may.to_vec();
        other.may.iter().for_each(|s| push_word(&mut may, s));
        Words {
            sure: sure.into(),
            may: may.into(),
            open: self.open || other.open,
        }
    }

    /// The same words with unknown content added after them.
    pub fn opened(&self) -> Words {
        Words {
            open: true,
            ..self.clone()
        }
    }
}

fn push_word(list: &mut Vec<Rc<str>>, word: &Rc<str>) {
    if list.len() < MAX_WORDS && !list.contains(word) {
        list.push(word.clone());
    }
}

#[derive(Debug, Clone)]
pub struct Value {
    /// Taint of the value itself, beyond what its known items hold.
    pub taint: Taint,
    pub konst: Const,
    pub items: Option<Items>,
    /// For a list or tuple whose items are not known (`items` is `None`):
    /// what is known of its constant strings.
    pub words: Option<Rc<Words>>,
    /// The type of the object (`flask.Request`, a project class), if known.
    pub ty: Option<Name>,
    /// The qualified name this value is (a module, function, class, or a
    /// model object such as `flask.request`).
    pub refers: Option<Name>,
    /// Object tags set by models (bit per tag).
    pub tags: u32,
    /// The local variable this value is a view of (`urlparse(url)`,
    /// `str(path)`): a guard on the view guards the variable.
    pub view_of: Option<Name>,
    /// The value is an entry point's input object (the `req` of a
    /// controller): sources read from it are [`Origin::Entry`] flows.
    pub entry: bool,
}

impl Default for Value {
    fn default() -> Self {
        Value::unknown()
    }
}

impl Value {
    pub fn unknown() -> Value {
        Value {
            taint: Taint::default(),
            konst: Const::Unknown,
            items: None,
            words: None,
            ty: None,
            refers: None,
            tags: 0,
            view_of: None,
            entry: false,
        }
    }

    pub fn konst(c: Const) -> Value {
        Value {
            konst: c,
            ..Value::unknown()
        }
    }

    pub fn tainted(taint: Taint) -> Value {
        Value {
            taint,
            ..Value::unknown()
        }
    }

    pub fn refers(name: &str) -> Value {
        Value {
            refers: Some(name.into()),
            ..Value::unknown()
        }
    }

    pub fn typed(ty: &str) -> Value {
        Value {
            ty: Some(ty.into()),
            ..Value::unknown()
        }
    }

    pub fn seq(items: Vec<Value>, ty: &str) -> Value {
        if items.len() > MAX_ITEMS {
            let taint = items.iter().fold(Taint::default(), |t, v| t.union(&v.all_taint()));
            return Value {
                taint,
                ty: Some(ty.into()),
                ..Value::unknown()
            };
        }
        Value {
            items: Some(Items::Seq(Rc::new(items))),
            ty: Some(ty.into()),
            ..Value::unknown()
        }
    }

    pub fn map(items: Vec<(Key, Value)>, ty: &str) -> Value {
        Value {
            items: Some(Items::Map(Rc::new(items))),
            ty: Some(ty.into()),
            ..Value::unknown()
        }
    }

    /// The taint of the value and everything it holds.
    pub fn all_taint(&self) -> Taint {
        let mut t = self.taint.clone();
        match &self.items {
            None => {}
            Some(Items::Seq(items)) => {
                for v in items.iter() {
                    t = t.union(&v.all_taint());
                }
            }
            Some(Items::Map(items)) => {
                for (_, v) in items.iter() {
                    t = t.union(&v.all_taint());
                }
            }
            Some(Items::Fields(fields)) => {
                for (_, v) in fields.iter() {
                    t = t.union(&v.all_taint());
                }
            }
        }
        t
    }

    /// The taint a sink that shows the value sees (a log line, an error
    /// message): everything it holds, except data of `opaque` labels kept
    /// in an object's attributes. Logging a client shows its `repr`, not
    /// the password it keeps; a tuple or dict shows its items.
    pub fn shown_taint(&self, opaque: u64) -> Taint {
        let mut t = self.taint.clone();
        match &self.items {
            None => {}
            Some(Items::Seq(items)) => {
                for v in items.iter() {
                    t = t.union(&v.shown_taint(opaque));
                }
            }
            Some(Items::Map(items)) => {
                for (_, v) in items.iter() {
                    t = t.union(&v.shown_taint(opaque));
                }
            }
            Some(Items::Fields(fields)) => {
                for (_, v) in fields.iter() {
                    let inner = v.shown_taint(opaque);
                    t = t.union(&inner.map(|f| match f.origin {
                        Origin::Source(l) | Origin::Entry(l) if opaque & (1 << l) != 0 => None,
                        _ => Some(f.clone()),
                    }));
                }
            }
        }
        t
    }

    pub fn is_clean(&self) -> bool {
        self.all_taint().is_empty()
    }

    /// What is known of the constant strings of this list or tuple: from its
    /// items when they are known, else from [`Value::words`].
    pub fn words_of(&self) -> Option<Words> {
        match &self.items {
            Some(Items::Seq(items)) => Some(Words::of_items(items)),
            Some(_) => None,
            None => self.words.as_deref().cloned(),
        }
    }

    /// Whether this value is known to be a list or tuple.
    pub fn is_seq(&self) -> bool {
        matches!(self.items, Some(Items::Seq(_)))
            || self.words.is_some()
            || matches!(self.ty.as_deref(), Some("list" | "tuple"))
    }

    /// The same value with its whole taint cleared for `rules`.
    pub fn cleared(&self, rules: u64) -> Value {
        let mut v = self.clone();
        v.taint = v.taint.clear(rules);
        v.items = v.items.map(|items| map_items(&items, |i| i.cleared(rules)));
        v
    }

    pub fn with_ty(mut self, ty: &str) -> Value {
        self.ty = Some(ty.into());
        self
    }

    pub fn with_taint(mut self, taint: Taint) -> Value {
        self.taint = taint;
        self
    }

    /// The item at a constant position of a known sequence.
    pub fn seq_item(&self, index: i64) -> Option<&Value> {
        match &self.items {
            Some(Items::Seq(items)) => {
                let i = if index < 0 { items.len() as i64 + index } else { index };
                usize::try_from(i).ok().and_then(|i| items.get(i))
            }
            _ => None,
        }
    }

    pub fn map_item(&self, key: &str) -> Option<&Value> {
        match &self.items {
            Some(Items::Map(items)) => items.iter().rev().find(|(k, _)| &**k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn field(&self, name: &str) -> Option<&Value> {
        match &self.items {
            Some(Items::Fields(fields)) => fields.iter().rev().find(|(k, _)| &**k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value with attribute `name` set.
    pub fn set_field(&mut self, name: &str, value: Value) {
        let mut fields: Vec<(Name, Value)> = match &self.items {
            Some(Items::Fields(f)) => f.as_ref().clone(),
            Some(_) => {
                // A container given an attribute: keep its contents as taint.
                self.taint = self.all_taint();
                Vec::new()
            }
            None => Vec::new(),
        };
        fields.retain(|(k, _)| &**k != name);
        if fields.len() < MAX_ITEMS {
            fields.push((name.into(), value));
        } else {
            self.taint = self.taint.union(&value.all_taint());
        }
        self.items = Some(Items::Fields(Rc::new(fields)));
    }

    /// Join of two possible values (after an `if`, a loop, an exception).
    pub fn join(&self, other: &Value) -> Value {
        // `kwargs = None`, then a dict on some path: an item read on None
        // fails, so the dict's items are what any item read sees. The type
        // is dropped (the value may still be None).
        let plain_none = |v: &Value| v.konst == Const::None && v.items.is_none() && v.taint.is_empty();
        if plain_none(self) && matches!(other.items, Some(Items::Map(_) | Items::Seq(_))) {
            return Value {
                konst: Const::Unknown,
                ty: None,
                ..other.clone()
            };
        }
        if plain_none(other) && matches!(self.items, Some(Items::Map(_) | Items::Seq(_))) {
            return Value {
                konst: Const::Unknown,
                ty: None,
                ..self.clone()
            };
        }
        let items = match (&self.items, &other.items) {
            (Some(Items::Seq(a)), Some(Items::Seq(b))) if a.len() == b.len() => Some(Items::Seq(Rc::new(
                a.iter().zip(b.iter()).map(|(x, y)| x.join(y)).collect(),
            ))),
            (Some(Items::Map(a)), Some(Items::Map(b))) => Some(Items::Map(Rc::new(join_keyed(a, b, None, None)))),
            (Some(Items::Fields(a)), Some(Items::Fields(b))) => {
                Some(Items::Fields(Rc::new(join_keyed(a, b, Some(self), Some(other)))))
            }
            // An object with known attributes, or one of unknown contents (a
            // client of another class): the attributes stay attributes, so
            // what they hold (a password) does not become the object's own;
            // an attribute set on one path only (`if info.file_format ==
            // 'luks': info.file_format = 'raw'`) is, on the other path, what
            // the object held.
            (Some(Items::Fields(a)), None) if other.konst == Const::Unknown && other.words.is_none() => {
                Some(Items::Fields(Rc::new(join_keyed(a, &[], Some(self), Some(other)))))
            }
            (None, Some(Items::Fields(b))) if self.konst == Const::Unknown && self.words.is_none() => {
                Some(Items::Fields(Rc::new(join_keyed(&[], b, Some(self), Some(other)))))
            }
            // A dict with known items, or a value of unknown contents (the
            // `else` of `remote = cluster_ref if a else self.pairs[0]`): an
            // item read sees the item or anything of the other value (the
            // subscript adds the dict's own taint), a key nobody set sees the
            // other value; the known items stay apart.
            (Some(Items::Map(a)), None) if other.konst == Const::Unknown => {
                Some(Items::Map(Rc::new(join_keyed(a, &[], None, None))))
            }
            (None, Some(Items::Map(b))) if self.konst == Const::Unknown => {
                Some(Items::Map(Rc::new(join_keyed(&[], b, None, None))))
            }
            (None, None) => None,
            _ => None,
        };
        let taint = match (&self.items, &other.items, &items) {
            (_, _, None) => self.all_taint().union(&other.all_taint()),
            (Some(_), None, Some(_)) => self.taint.union(&other.all_taint()),
            (None, Some(_), Some(_)) => self.all_taint().union(&other.taint),
            _ => self.taint.union(&other.taint),
        };
        // Sequences the join forgets (different lengths) keep their words.
        let words = match (&items, self.words_of(), other.words_of()) {
            (None, Some(a), Some(b)) => Some(Rc::new(a.join(&b))),
            _ => None,
        };
        Value {
            taint,
            konst: self.konst.join(&other.konst),
            items,
            words,
            ty: if self.ty == other.ty { self.ty.clone() } else { None },
            refers: if self.refers == other.refers {
                self.refers.clone()
            } else {
                None
            },
            tags: self.tags | other.tags,
            view_of: if self.view_of == other.view_of {
                self.view_of.clone()
            } else {
                None
            },
            entry: self.entry && other.entry,
        }
    }

    /// Whether two values are the same for the analysis (steps aside): the
    /// loop fixpoint stops when nothing changes.
    pub fn same_as(&self, other: &Value) -> bool {
        self.taint.same_as(&other.taint)
            && self.konst == other.konst
            && self.ty == other.ty
            && self.refers == other.refers
            && self.tags == other.tags
            && self.words == other.words
            && match (&self.items, &other.items) {
                (None, None) => true,
                (Some(Items::Seq(a)), Some(Items::Seq(b))) => {
                    a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same_as(y))
                }
                (Some(Items::Map(a)), Some(Items::Map(b))) | (Some(Items::Fields(a)), Some(Items::Fields(b))) => {
                    a.len() == b.len() && a.iter().zip(b.iter()).all(|((k, x), (l, y))| k == l && x.same_as(y))
                }
                _ => false,
            }
    }

    /// Forgets constants (used to make loops converge).
    pub fn widen(&self) -> Value {
        // Words only grow (`may`) or shrink (`sure`) within the literals of
        // the function, so a loop still converges with them.
        Value {
            konst: Const::Unknown,
            items: None,
            words: self.words_of().map(Rc::new),
            taint: self.all_taint(),
            ..self.clone()
        }
    }
}

/// The items of two joined containers or objects. An item known on one side
/// only may, on the other, be missing or hold whatever that side's own taint
/// says (an attribute of a tainted object read without being set).
/// The items of two joined containers. An item present on one side only
/// may be missing on the other: for a dict (`va`, `vb` `None`) it joins an
/// unknown value (a read adds the dict's own taint); for an object's
/// attributes it joins what the other object held (its own taint).
fn join_keyed(
    a: &[(Rc<str>, Value)],
    b: &[(Rc<str>, Value)],
    va: Option<&Value>,
    vb: Option<&Value>,
) -> Vec<(Rc<str>, Value)> {
    let held = |v: Option<&Value>| v.map_or_else(Value::unknown, |v| Value::tainted(v.taint.clone()));
    let mut out: Vec<(Rc<str>, Value)> = Vec::new();
    for (k, v) in a {
        match b.iter().find(|(l, _)| l == k) {
            Some((_, w)) => out.push((k.clone(), v.join(w))),
            None => out.push((k.clone(), v.join(&held(vb)))),
        }
    }
    for (k, w) in b {
        if !a.iter().any(|(l, _)| l == k) {
            out.push((k.clone(), w.join(&held(va))));
        }
    }
    out
}

fn map_items(items: &Items, f: impl Fn(&Value) -> Value) -> Items {
    match items {
        Items::Seq(v) => Items::Seq(Rc::new(v.iter().map(&f).collect())),
        Items::Map(v) => Items::Map(Rc::new(v.iter().map(|(k, x)| (k.clone(), f(x))).collect())),
        Items::Fields(v) => Items::Fields(Rc::new(v.iter().map(|(k, x)| (k.clone(), f(x))).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(label: u8) -> Flow {
        Flow {
            origin: Origin::Source(label),
            cleared: 0,
            source_note: "x".into(),
            steps: None,
            cut: false,
            dropped: 0,
        }
    }

    #[test]
    fn union_dedupes_and_clear_marks() {
        let a = Taint::one(flow(0));
        let b = Taint::one(flow(0)).union(&Taint::one(flow(1)));
        let u = a.union(&b);
        assert_eq!(u.flows().len(), 2);
        let c = u.clear(0b10);
        assert!(c.flows().iter().all(|f| f.cleared == 0b10));
        // A cleared and an uncleared flow of the same origin both stay.
        assert_eq!(c.union(&a).flows().len(), 3);
    }

    #[test]
    fn joins() {
        assert_eq!(Const::str("a").join(&Const::str("a")), Const::str("a"));
        assert_eq!(Const::str("a").join(&Const::str("b")).strings().unwrap().len(), 2);
        assert_eq!(Const::Int(1).join(&Const::str("b")), Const::Unknown);
        let l = Value::seq(
            vec![Value::konst(Const::str("sh")), Value::tainted(Taint::one(flow(0)))],
            "list",
        );
        let m = Value::seq(vec![Value::konst(Const::str("cmd")), Value::unknown()], "list");
        let j = l.join(&m);
        assert!(j.seq_item(0).unwrap().is_clean());
        assert!(!j.seq_item(1).unwrap().is_clean());
    }

    #[test]
    fn joins_keep_known_items_apart() {
        let secret = Value::tainted(Taint::one(flow(1)));
        let dict = Value::map(
            vec![("id".into(), Value::unknown()), ("password".into(), secret.clone())],
            "dict",
        );
        // `kwargs = None` on one path: the items stay, the type goes.
        let j = Value::konst(Const::None).join(&dict);
        assert!(j.map_item("id").unwrap().is_clean());
        assert!(j.ty.is_none());
        // A value of unknown contents on the other path: its taint is what
        // any key may hold, the known items stay apart.
        let other = Value::tainted(Taint::one(flow(0)));
        let j = dict.join(&other);
        assert!(j.map_item("id").unwrap().is_clean());
        assert_eq!(j.taint.flows().len(), 1);
        // An object with a password attribute, or an object of unknown
        // contents: the password stays an attribute, which a log line does
        // not show.
        let mut client = Value::typed("Client");
        client.set_field("password", secret);
        let j = client.join(&Value::typed("Other"));
        assert!(matches!(j.items, Some(Items::Fields(_))));
        assert!(j.shown_taint(1 << 1).is_empty());
        assert!(!j.shown_taint(0).is_empty());
    }

    #[test]
    fn words_survive_what_forgets_items() {
        let s = |x: &str| Value::konst(Const::str(x));
        let with_f = Value::seq(
            vec![s("qemu-img"), s("resize"), s("-f"), s("raw"), Value::unknown()],
            "tuple",
        );
        let without = Value::seq(vec![s("qemu-img"), s("resize"), Value::unknown()], "tuple");
        // Different lengths: the items go, the words stay.
        let j = with_f.join(&without);
        assert!(j.items.is_none());
        let w = j.words_of().unwrap();
        assert!(w.sure.iter().any(|x| &**x == "qemu-img"));
        assert!(!w.sure.iter().any(|x| &**x == "-f"));
        assert!(w.may.iter().any(|x| &**x == "-f"));
        // Unknown content after the known words may hold anything.
        assert!(w.concat(&Words::of_items(&[])).opened().open);
        // A loop widening keeps them.
        assert_eq!(j.widen().words_of(), Some(w));
    }

    #[test]
    fn an_attribute_set_on_one_path_keeps_the_object_taint_on_the_other() {
        let mut set = Value::tainted(Taint::one(flow(0)));
        set.set_field("file_format", Value::konst(Const::str("raw")));
        let j = set.join(&Value::tainted(Taint::one(flow(0))));
        assert!(!j.field("file_format").unwrap().taint.is_empty());
    }

    #[test]
    fn steps_are_capped() {
        let mut s: Steps = None;
        for i in 0..100 {
            s = push_step(&s, Loc::Here(TextRange::default()), format!("{i}"));
        }
        let v = steps_in_order(&s);
        assert_eq!(v.len(), MAX_STEPS as usize);
        assert_eq!(&*v[0].1, "0");
    }
}
