//! The models: what the engine knows about code it does not analyse.
//!
//! Every fact about a library or framework is a row in a model file under
//! `src/flow/models/` (embedded in the binary). The engine itself knows no
//! library names: it asks [`Models`] which rows match a call, an attribute
//! read, a store, a parameter or a return, and interprets the row's kind:
//!
//! - `source`: the value is untrusted; `label` says of what kind (`user`,
//!   `secret`, ...) and `note` how to describe it in a finding's path.
//! - `sink`: the arguments named by `args` must not carry a taint whose label
//!   is in `labels`; reports `rule` with `message`. A sink with no `labels`
//!   is a *shape* sink: its `when`/`argv_*` conditions alone report it.
//! - `sanitizer`: the result no longer carries taint for the rules in `clears`
//!   (`"all"` drops the taint entirely).
//! - `propagator`: taint moves from `args` to `to` (`return`, `self`, or an
//!   argument); can also give the result a `type`, add object `tags`, make a
//!   keyed store/load (`store_key`/`load_key`), or mark the result a `view` of
//!   its first argument (checking the view's attributes guards the original).
//! - `guard`: in a condition, the checked value is clean for `clears` on the
//!   branch where the check passed (`branch = false` for the other branch).
//! - `type`: the value is an object of `type` (its methods and attributes are
//!   then looked up as `type.name`).
//!
//! Rows are validated when loaded; an error names the file and line.

use super::fxhash::FxHashMap as HashMap;
use crate::python::names::last_segment;
use memchr::memmem;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use super::pattern::Pattern;
use super::rows::{self, Row, RowError, RowValue};

/// The model files compiled into vigil, in load order.
pub const BUILTIN: &[(&str, &str)] = &[
    ("src/flow/models/builtins.toml", include_str!("models/builtins.toml")),
    ("src/flow/models/stdlib.toml", include_str!("models/stdlib.toml")),
    ("src/flow/models/flask.toml", include_str!("models/flask.toml")),
    ("src/flow/models/django.toml", include_str!("models/django.toml")),
    ("src/flow/models/requests.toml", include_str!("models/requests.toml")),
    (
        "src/flow/models/sqlalchemy.toml",
        include_str!("models/sqlalchemy.toml"),
    ),
    (
        "src/flow/models/thirdparty.toml",
        include_str!("models/thirdparty.toml"),
    ),
    ("src/flow/models/webob.toml", include_str!("models/webob.toml")),
    ("src/flow/models/openstack.toml", include_str!("models/openstack.toml")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Source,
    Sink,
    Sanitizer,
    Propagator,
    Guard,
    Type,
    /// A property of a label, not of a name.
    Label,
    /// What holds inside the functions in scope (they run as root).
    Context,
}

impl Kind {
    fn parse(text: &str) -> Option<Kind> {
        Some(match text {
            "source" => Kind::Source,
            "sink" => Kind::Sink,
            "sanitizer" => Kind::Sanitizer,
            "propagator" => Kind::Propagator,
            "guard" => Kind::Guard,
            "type" => Kind::Type,
            "label" => Kind::Label,
            "context" => Kind::Context,
            _ => return None,
        })
    }
}

/// Which functions a `param` or `returns` row applies to. Every given
/// predicate must hold; `unless_decorator` excludes.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub decorator: Option<Pattern>,
    pub class_base: Option<Pattern>,
    pub module: Option<Pattern>,
    pub function: Option<Pattern>,
    pub unless_decorator: Option<Pattern>,
}

/// What a row matches.
#[derive(Debug, Clone)]
pub enum Match {
    /// A call whose callee's qualified name matches.
    Call(Pattern),
    /// Reading a name or attribute whose qualified name matches; for sources
    /// with a wildcard-only pattern (`*password*`), the attribute or constant
    /// key name.
    Read(Pattern),
    /// Assigning into `target[key]` or `target.attr` where target matches.
    Store(Pattern),
    /// A parameter (by name pattern) of a function in scope.
    Param(Pattern, Scope),
    /// The value returned by a function in scope.
    Return(Scope),
    /// `CONST in x` (guards): `x` contains the constant (when `branch` is true).
    Contains(String),
    /// An equality or membership test (`a == b`, `a != b`, `a in b`) between
    /// two values that are not constants (sinks: a comparison that stops at
    /// the first differing character).
    Compare,
    /// A `label` row matches no code.
    Label,
    /// The body of a function in scope (`context` rows).
    Body(Scope),
}

/// Where a row's input or output sits in a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgAt {
    Pos(usize),
    Kw(String),
    /// Positional or keyword: `"1|Loader"`.
    PosOrKw(usize, String),
    /// The receiver of a method call.
    Receiver,
    /// Every positional argument from this index on (`"*"` is `From(0)`).
    From(usize),
    /// Every keyword argument.
    AllKw,
}

/// An argument, optionally one item of it (`"0[0]"`: the first item of the
/// tuple passed first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgRef {
    pub at: ArgAt,
    pub item: Option<usize>,
}

/// The part of a command line a sink checks: the program (and the command
/// string a shell runs with `-c`), or the other arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgvPart {
    Program,
    Arguments,
}

/// Where a propagator sends taint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Return,
    Receiver,
    Arg(usize),
}

/// A literal in a `when` condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    None,
    Bool(bool),
    Int(i64),
    Str(String),
    /// A dotted name, compared with the qualified name a value refers to.
    Name(String),
    Tuple(Vec<Lit>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    In,
    NotIn,
    Missing,
    Present,
}

/// One clause of a `when` condition: `ARG OP LITERAL`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cond {
    pub arg: ArgAt,
    pub op: Op,
    pub lit: Lit,
}

/// A validated model row.
#[derive(Debug, Clone)]
pub struct ModelRow {
    pub file: &'static str,
    pub line: u32,
    pub kind: Kind,
    pub matcher: Match,
    /// Inputs: the sink's checked arguments, the sanitizer's or
    /// propagator's sources, the guard's subject.
    pub args: Vec<ArgRef>,
    pub to: Target,
    /// Source: its label's index.
    pub label: u8,
    /// Sink: accepted labels (bit per label); 0 for a shape sink.
    /// Sanitizer: the labels it applies to (0: all).
    pub labels: u64,
    /// Sink: the rule it reports, and that rule's bit in `clears` masks.
    pub rule: Option<String>,
    pub rule_bit: u8,
    pub message: String,
    pub note: String,
    /// Sanitizer and guard: the rules they clear (bit per rule).
    pub clears: u64,
    /// Sanitizer and guard: clear everything (the value is no longer
    /// attacker-controlled at all).
    pub clears_all: bool,
    pub when: Vec<Cond>,
    pub ty: Option<String>,
    /// Tags the row adds to its target (propagator, type, source).
    pub tags: u32,
    /// Sink: an argument that must carry a tag for the sink to apply.
    pub requires: Option<(ArgRef, u32)>,
    /// Sink: the checked arguments form a command line (program first);
    /// which part of it the sink is about.
    pub argv: Option<ArgvPart>,
    /// Sink: only when the command line has one of these words (the
    /// program)...
    pub argv_has: Vec<String>,
    /// ...and one of these, when given (a subcommand: `info`, `convert`)...
    pub argv_with: Vec<String>,
    /// ...and none of these (`-f`; `*` matches any text, and a two-letter
    /// option also matches its attached value, `-fqcow2`).
    pub argv_lacks: Vec<String>,
    pub severity: Option<String>,
    /// Sink: a condition under which the finding is more severe (`high`),
    /// and what the sink's step then adds (`as root`).
    pub escalate: Vec<Cond>,
    pub escalate_note: String,
    /// Sink: whether a parameter reaching it is recorded in the function's
    /// summary (so that callers passing tainted data are reported). `false`
    /// for sinks reached by almost every parameter (logging), where the
    /// summaries would cost more than they find.
    pub from_params: bool,
    pub view: bool,
    /// Propagator with `view`: the rules a check on the view's attributes
    /// clears on the viewed variable (`parsed.netloc == 'example.com'`).
    pub view_clears: u64,
    /// Propagator: constant arguments forming the key of a keyed store/load.
    pub store_key: Vec<usize>,
    pub load_key: Vec<usize>,
    /// Guard: narrows on the branch where the check is true (default).
    pub branch: bool,
    /// Label: whether taint of this label passes from an argument to the
    /// result of an unknown call (`f(secret)`); `false` for labels whose
    /// data is rarely returned as it is (a secret used to build a client).
    pub through_calls: bool,
    /// Sink: the position of a `%`-format message that the call applies to
    /// the positional arguments after it (logging's `LOG.debug(msg, args)`):
    /// a mapping passed alone is shown only through the keys the message
    /// names (`%(volume_id)s`).
    pub format: Option<usize>,
}

impl ModelRow {
    fn empty(file: &'static str, line: u32, kind: Kind, matcher: Match) -> ModelRow {
        ModelRow {
            file,
            line,
            kind,
            matcher,
            args: Vec::new(),
            to: Target::Return,
            label: 0,
            labels: 0,
            rule: None,
            rule_bit: 0,
            message: String::new(),
            note: String::new(),
            clears: 0,
            clears_all: false,
            when: Vec::new(),
            ty: None,
            tags: 0,
            requires: None,
            argv: None,
            argv_has: Vec::new(),
            argv_with: Vec::new(),
            argv_lacks: Vec::new(),
            severity: None,
            from_params: true,
            escalate: Vec::new(),
            escalate_note: String::new(),
            view: false,
            view_clears: 0,
            store_key: Vec::new(),
            load_key: Vec::new(),
            branch: true,
            through_calls: true,
            format: None,
        }
    }

    /// The name or pattern the row matches, for sorting and messages.
    pub fn key(&self) -> &str {
        match &self.matcher {
            Match::Call(p) | Match::Read(p) | Match::Store(p) | Match::Param(p, _) => p.as_str(),
            Match::Return(s) => s
                .decorator
                .as_ref()
                .or(s.class_base.as_ref())
                .map_or("", |p| p.as_str()),
            Match::Contains(c) => c,
            Match::Label | Match::Compare => "",
            Match::Body(s) => s
                .decorator
                .as_ref()
                .or(s.class_base.as_ref())
                .map_or("", |p| p.as_str()),
        }
    }
}

/// Every row, indexed for lookup, with the label, rule and tag names.
#[derive(Debug, Default)]
pub struct Models {
    pub rows: Vec<ModelRow>,
    pub labels: Vec<String>,
    pub rules: Vec<String>,
    pub tags: Vec<String>,
    calls: NameIndex,
    reads: NameIndex,
    stores: NameIndex,
    pub params: Vec<usize>,
    pub returns: Vec<usize>,
    pub contains: Vec<usize>,
    /// Sinks on comparisons.
    pub compares: Vec<usize>,
    /// Read rows whose pattern is only a name shape (`*password*`,
    /// `disk_format`): matched against attribute and constant key names.
    /// Sources make the value a source; sanitizers make it clean (a field
    /// the server sets or validates against a fixed set).
    pub name_reads: Vec<usize>,
    /// The name reads whose pattern is a plain name, by it: the name asked
    /// about is looked up rather than compared with each.
    name_reads_exact: HashMap<String, Vec<usize>>,
    /// The other name reads (with a wildcard or alternatives).
    name_reads_wild: Vec<usize>,
    /// Labels (bit per label) that do not pass from an argument to the
    /// result of a call the models say nothing about.
    pub opaque: u64,
    pub contexts: Vec<usize>,
    /// Tells this instance's answers apart in the per-thread memo.
    identity: Identity,
}

/// A process-unique number for each `Models`.
#[derive(Debug)]
struct Identity(u64);

impl Default for Identity {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Identity(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// Which rows a name matches, by question, for one `Models`: the same
/// names (a call's qualified name, an attribute, a parameter) come back
/// across the functions and modules of a project, and matching every
/// pattern each time was a fifth of the analysis. Kept per thread (no
/// locks); answers are the same as asking afresh.
#[derive(Default)]
struct Memo {
    models: u64,
    answers: [HashMap<Box<str>, Rc<[usize]>>; 5],
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// The questions the memo answers.
#[derive(Clone, Copy)]
enum Question {
    Calls = 0,
    Reads = 1,
    Stores = 2,
    NameReads = 3,
    Params = 4,
}

/// Rows by index, in the order a lookup found them.
pub struct Rows<'m> {
    rows: &'m [ModelRow],
    ids: Rc<[usize]>,
    next: usize,
}

impl<'m> Iterator for Rows<'m> {
    type Item = &'m ModelRow;

    fn next(&mut self) -> Option<&'m ModelRow> {
        let id = *self.ids.get(self.next)?;
        self.next += 1;
        self.rows.get(id)
    }
}

#[derive(Debug, Default)]
struct NameIndex {
    exact: HashMap<String, Vec<usize>>,
    by_last: HashMap<String, Vec<usize>>,
    /// Patterns whose last segment has a wildcard, with a searcher for
    /// their literal hint (made once: every name missing from the models'
    /// memo is searched for each hint).
    wild: Vec<(memmem::Finder<'static>, usize)>,
}

impl NameIndex {
    fn add(&mut self, pattern: &Pattern, row: usize) {
        if pattern.is_exact() {
            self.exact.entry(pattern.as_str().to_string()).or_default().push(row);
        } else if let Some(last) = pattern.literal_last_segment() {
            self.by_last.entry(last.to_string()).or_default().push(row);
        } else {
            self.wild.push((memmem::Finder::new(pattern.hint()).into_owned(), row));
        }
    }
}

/// The models with the user's files added, when the configuration names any.
static ACTIVE: OnceLock<Models> = OnceLock::new();

impl Models {
    /// The models compiled into the binary. They are validated by this
    /// module's tests, so a failure here is a build defect.
    pub fn builtin() -> &'static Models {
        static MODELS: OnceLock<Models> = OnceLock::new();
        MODELS.get_or_init(|| Models::load(BUILTIN).expect("embedded model files are validated by flow::models tests"))
    }

    /// The models a review uses: the built-in ones, plus the user's own
    /// files once [`Models::install_user_files`] has added them.
    pub fn active() -> &'static Models {
        ACTIVE.get().unwrap_or_else(|| Models::builtin())
    }

    /// Adds the user's model files (the configuration's `models`, already
    /// checked to lie inside the repository) to the built-in ones, for the
    /// rest of the process. Called once, by the CLI, before any review; a
    /// bad row is an error naming its file and line.
    pub fn install_user_files(files: Vec<(String, String)>) -> Result<(), RowError> {
        let mut all: Vec<(&'static str, &str)> = BUILTIN.to_vec();
        for (name, text) in &files {
            // Row positions name their file for the process's lifetime; a
            // configuration names a handful of files, read once.
            let name: &'static str = Box::leak(name.clone().into_boxed_str());
            all.push((name, text));
        }
        let models = Models::load(&all)?;
        // A second call would be a CLI defect; the first models stay.
        let _ = ACTIVE.set(models);
        Ok(())
    }

    pub fn load(files: &[(&'static str, &str)]) -> Result<Models, RowError> {
        let mut models = Models::default();
        for (file, text) in files {
            for row in rows::read(file, text)? {
                let parsed = models.parse_row(file, &row).map_err(|message| RowError {
                    file: file.to_string(),
                    line: row.line,
                    message,
                })?;
                models.add(parsed);
            }
        }
        Ok(models)
    }

    fn add(&mut self, row: ModelRow) {
        let id = self.rows.len();
        match &row.matcher {
            Match::Call(p) => self.calls.add(p, id),
            Match::Read(p) => {
                if !p.as_str().contains('.') && matches!(row.kind, Kind::Source | Kind::Sanitizer) {
                    self.name_reads.push(id);
                    if p.is_exact() && !p.as_str().contains('|') {
                        self.name_reads_exact
                            .entry(p.as_str().to_string())
                            .or_default()
                            .push(id);
                    } else {
                        self.name_reads_wild.push(id);
                    }
                } else {
                    self.reads.add(p, id);
                }
            }
            Match::Store(p) => self.stores.add(p, id),
            Match::Param(..) => self.params.push(id),
            Match::Return(_) => self.returns.push(id),
            Match::Contains(_) => self.contains.push(id),
            Match::Compare => self.compares.push(id),
            Match::Label => {
                if !row.through_calls {
                    self.opaque |= 1 << row.label;
                }
            }
            Match::Body(_) => self.contexts.push(id),
        }
        self.rows.push(row);
    }

    /// Rows matching a call to `name`, exact matches first.
    pub fn calls(&self, name: &str) -> Rows<'_> {
        self.rows_for(Question::Calls, name)
    }

    pub fn reads(&self, name: &str) -> Rows<'_> {
        self.rows_for(Question::Reads, name)
    }

    pub fn stores(&self, name: &str) -> Rows<'_> {
        self.rows_for(Question::Stores, name)
    }

    /// The name-shaped read rows ([`Models::name_reads`]) an attribute or
    /// key called `name` matches, in model order.
    pub fn name_rows(&self, name: &str) -> Rows<'_> {
        self.rows_for(Question::NameReads, name)
    }

    /// The `param` rows whose name pattern takes a parameter called `name`
    /// (their scope is still to check), in model order.
    pub fn param_rows(&self, name: &str) -> Rows<'_> {
        self.rows_for(Question::Params, name)
    }

    fn rows_for(&self, question: Question, name: &str) -> Rows<'_> {
        let ids = MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.models != self.identity.0 {
                *memo = Memo {
                    models: self.identity.0,
                    ..Memo::default()
                };
            }
            let answers = &mut memo.answers[question as usize];
            if let Some(ids) = answers.get(name) {
                return ids.clone();
            }
            let ids = self.match_rows(question, name);
            answers.insert(name.into(), ids.clone());
            ids
        });
        Rows {
            rows: &self.rows,
            ids,
            next: 0,
        }
    }

    fn match_rows(&self, question: Question, name: &str) -> Rc<[usize]> {
        let index = |rows: &[ModelRow], index: &NameIndex| -> Rc<[usize]> { lookup(rows, index, name).collect() };
        match question {
            Question::Calls => index(&self.rows, &self.calls),
            Question::Reads => index(&self.rows, &self.reads),
            Question::Stores => index(&self.rows, &self.stores),
            Question::NameReads => {
                // A plain pattern matches the lowercased name when equal to it.
                let lower = name.to_ascii_lowercase();
                let exact = self.name_reads_exact.get(&lower).into_iter().flatten().copied();
                let wild = self
                    .name_reads_wild
                    .iter()
                    .copied()
                    .filter(|&i| match &self.rows[i].matcher {
                        // The glob matches the lowercased name: a pattern
                        // with capitals matches nothing, so its hint can be
                        // looked for in the lowercased name too.
                        Match::Read(p) => {
                            memmem::find(lower.as_bytes(), p.hint().as_bytes()).is_some() && p.matches(&lower)
                        }
                        _ => false,
                    });
                // In model order, as the rows were listed.
                let mut ids: Vec<usize> = exact.chain(wild).collect();
                ids.sort_unstable();
                ids.into()
            }
            Question::Params => self
                .params
                .iter()
                .copied()
                .filter(|&i| match &self.rows[i].matcher {
                    Match::Param(p, _) => p.as_str() == "*" || p.matches(name),
                    _ => false,
                })
                .collect(),
        }
    }

    pub fn label(&self, name: &str) -> Option<u8> {
        self.labels.iter().position(|l| l == name).map(|i| i as u8)
    }

    pub fn rule_bit(&self, rule: &str) -> Option<u8> {
        self.rules.iter().position(|r| r == rule).map(|i| i as u8)
    }

    pub fn tag(&self, name: &str) -> Option<u32> {
        self.tags.iter().position(|t| t == name).map(|i| 1 << i)
    }

    fn intern(list: &mut Vec<String>, name: &str, max: usize, what: &str) -> Result<usize, String> {
        if let Some(i) = list.iter().position(|l| l == name) {
            return Ok(i);
        }
        if list.len() >= max {
            return Err(format!("too many distinct {what} (at most {max})"));
        }
        list.push(name.to_string());
        Ok(list.len() - 1)
    }

    fn parse_row(&mut self, file: &'static str, row: &Row) -> Result<ModelRow, String> {
        let kind_text = string(row, "kind")?.ok_or("missing `kind`")?;
        let kind = Kind::parse(&kind_text).ok_or_else(|| {
            format!("unknown kind `{kind_text}`: expected source, sink, sanitizer, propagator, guard or type")
        })?;
        let allowed = allowed_keys(kind);
        for (key, _) in &row.keys {
            if !allowed.contains(&key.as_str()) {
                return Err(format!(
                    "key `{key}` is not used by a {kind_text} row; allowed keys: {}",
                    allowed.join(", ")
                ));
            }
        }
        let matcher = self.parse_match(row, kind)?;
        let mut m = ModelRow::empty(file, row.line, kind, matcher);
        m.args = match row.get("args") {
            Some(v) => arg_list(v)?,
            None => Vec::new(),
        };
        if let Some(to) = string(row, "to")? {
            m.to = match to.as_str() {
                "return" => Target::Return,
                "self" => Target::Receiver,
                other => Target::Arg(
                    other
                        .parse()
                        .map_err(|_| format!("`to` must be return, self or a position, not `{other}`"))?,
                ),
            };
        }
        if let Some(label) = string(row, "label")? {
            m.label = Self::intern(&mut self.labels, &label, 64, "labels")? as u8;
        }
        for label in strings(row, "labels")? {
            m.labels |= 1 << Self::intern(&mut self.labels, &label, 64, "labels")?;
        }
        if let Some(rule) = string(row, "rule")? {
            if !is_rule_id(&rule) {
                return Err(format!(
                    "`rule` must be a vigil taint rule id like `T078`, not `{rule}`"
                ));
            }
            m.rule_bit = Self::intern(&mut self.rules, &rule, 64, "rules")? as u8;
            m.rule = Some(rule);
        }
        m.message = string(row, "message")?.unwrap_or_default();
        m.note = string(row, "note")?.unwrap_or_default();
        match row.get("clears") {
            Some(RowValue::Str(s)) if s == "all" => m.clears_all = true,
            Some(v @ RowValue::Array(_)) => {
                for rule in strings_of(v, "clears")? {
                    if !is_rule_id(&rule) {
                        return Err(format!("`clears` lists rule ids like `T078`, not `{rule}`"));
                    }
                    m.clears |= 1 << Self::intern(&mut self.rules, &rule, 64, "rules")?;
                }
            }
            Some(other) => return Err(format!("`clears` must be \"all\" or a list of rule ids, not {other}")),
            None => {}
        }
        if let Some(when) = string(row, "when")? {
            m.when = parse_when(&when)?;
        }
        m.ty = string(row, "type")?;
        for tag in strings(row, "tags")? {
            m.tags |= 1 << Self::intern(&mut self.tags, &tag, 32, "tags")?;
        }
        if let Some(req) = string(row, "requires")? {
            let (arg, tag) = req
                .split_once(':')
                .ok_or_else(|| format!("`requires` is `ARG:tag`, not `{req}`"))?;
            let arg = arg_ref(&RowValue::Str(arg.to_string()))?;
            let bit = 1 << Self::intern(&mut self.tags, tag, 32, "tags")?;
            m.requires = Some((arg, bit));
        }
        m.argv = match string(row, "argv")?.as_deref() {
            None => None,
            Some("program") => Some(ArgvPart::Program),
            Some("arguments") => Some(ArgvPart::Arguments),
            Some(other) => return Err(format!("`argv` is \"program\" or \"arguments\", not `{other}`")),
        };
        m.argv_has = strings(row, "argv_has")?;
        m.argv_with = strings(row, "argv_with")?;
        m.argv_lacks = strings(row, "argv_lacks")?;
        if m.argv_has.is_empty() && !(m.argv_with.is_empty() && m.argv_lacks.is_empty()) {
            return Err("`argv_with` and `argv_lacks` need `argv_has` (the program they are about)".into());
        }
        if let Some(sev) = string(row, "severity")? {
            if !matches!(sev.as_str(), "low" | "medium" | "high") {
                return Err(format!("`severity` must be low, medium or high, not `{sev}`"));
            }
            m.severity = Some(sev);
        }
        m.from_params = bool_key(row, "from_params")?.unwrap_or(true);
        if let Some(cond) = string(row, "escalate")? {
            m.escalate = parse_when(&cond)?;
        }
        m.escalate_note = string(row, "escalate_note")?.unwrap_or_default();
        m.view = bool_key(row, "view")?.unwrap_or(false);
        for rule in strings(row, "view_clears")? {
            if !is_rule_id(&rule) {
                return Err(format!("`view_clears` lists rule ids like `T601`, not `{rule}`"));
            }
            m.view_clears |= 1 << Self::intern(&mut self.rules, &rule, 64, "rules")?;
        }
        m.store_key = ints(row, "store_key")?;
        m.load_key = ints(row, "load_key")?;
        m.branch = bool_key(row, "branch")?.unwrap_or(true);
        m.through_calls = bool_key(row, "through_calls")?.unwrap_or(true);
        m.format = match row.get("format") {
            None => None,
            Some(RowValue::Int(n)) if *n >= 0 => Some(*n as usize),
            Some(other) => return Err(format!("`format` is the position of the message, not {other}")),
        };

        match kind {
            Kind::Source if string(row, "label")?.is_none() => return Err("a source needs a `label`".into()),
            Kind::Source if m.note.is_empty() => {
                return Err("a source needs a `note` describing it (e.g. \"an HTTP query parameter\")".into());
            }
            Kind::Sink => {
                if m.rule.is_none() {
                    return Err("a sink needs the `rule` it reports".into());
                }
                if m.message.is_empty() {
                    return Err("a sink needs a `message` (the text of the finding)".into());
                }
                if m.labels == 0 && m.when.is_empty() && m.argv_has.is_empty() && m.requires.is_none() {
                    return Err("a sink with no `labels` needs a `when`, `argv_has` or `requires` condition".into());
                }
                if m.args.is_empty()
                    && !matches!(m.matcher, Match::Return(_) | Match::Store(_) | Match::Compare)
                    && m.labels != 0
                {
                    return Err("a sink needs the `args` it checks".into());
                }
            }
            Kind::Sanitizer | Kind::Guard if m.clears == 0 && !m.clears_all => {
                return Err("a sanitizer or guard needs `clears` (\"all\" or rule ids)".into());
            }
            Kind::Type if m.ty.is_none() => return Err("a type row needs its `type`".into()),
            Kind::Label if string(row, "label")?.is_none() => return Err("a label row needs its `label`".into()),
            _ => {}
        }
        Ok(m)
    }

    fn parse_match(&self, row: &Row, kind: Kind) -> Result<Match, String> {
        if kind == Kind::Label {
            return Ok(Match::Label);
        }
        let scope = || -> Result<Scope, String> {
            Ok(Scope {
                decorator: string(row, "decorator")?.map(|s| Pattern::new(&s)),
                class_base: string(row, "class_base")?.map(|s| Pattern::new(&s)),
                module: string(row, "module")?.map(|s| Pattern::new(&s)),
                function: string(row, "function")?.map(|s| Pattern::new(&s)),
                unless_decorator: string(row, "unless_decorator")?.map(|s| Pattern::new(&s)),
            })
        };
        let mut found = Vec::new();
        for key in [
            "call", "read", "store", "param", "returns", "contains", "body", "compare",
        ] {
            if row.get(key).is_some() {
                found.push(key);
            }
        }
        if found.len() != 1 {
            return Err(format!(
                "a row matches exactly one of `call`, `read`, `store`, `param`, `returns`, `contains`, `body`, `compare` (found {})",
                if found.is_empty() {
                    "none".to_string()
                } else {
                    found.join(", ")
                }
            ));
        }
        let text = || string(row, found[0]).map(|s| s.unwrap_or_default());
        let matcher = match found[0] {
            "call" => Match::Call(Pattern::new(&text()?)),
            "read" => Match::Read(Pattern::new(&text()?)),
            "store" => Match::Store(Pattern::new(&text()?)),
            "param" => Match::Param(Pattern::new(&text()?), scope()?),
            "returns" => {
                if bool_key(row, "returns")? != Some(true) {
                    return Err("`returns` takes `true`".into());
                }
                Match::Return(scope()?)
            }
            "body" => {
                if bool_key(row, "body")? != Some(true) || kind != Kind::Context {
                    return Err("`body = true` is for context rows".into());
                }
                Match::Body(scope()?)
            }
            "compare" => {
                if bool_key(row, "compare")? != Some(true) || kind != Kind::Sink || has_no_labels(row) {
                    return Err("`compare = true` is for sink rows with `labels`".into());
                }
                Match::Compare
            }
            _ => {
                if kind != Kind::Guard {
                    return Err("only a guard matches `contains`".into());
                }
                Match::Contains(text()?)
            }
        };
        if let Match::Call(p) | Match::Read(p) | Match::Store(p) = &matcher
            && p.as_str().is_empty()
        {
            return Err("the name to match is empty".into());
        }
        Ok(matcher)
    }
}

/// The indices of the rows of `index` matching `name`, exact matches first.
fn lookup<'m, 'n>(rows: &'m [ModelRow], index: &'m NameIndex, name: &'n str) -> impl Iterator<Item = usize> + 'n
where
    'm: 'n,
{
    let last = last_segment(name);
    let exact = index.exact.get(name).into_iter().flatten().copied();
    let by_last = index.by_last.get(last).into_iter().flatten();
    let wild = index
        .wild
        .iter()
        .filter(move |(hint, _)| hint.find(name.as_bytes()).is_some())
        .map(|(_, i)| i);
    let patterned = by_last.chain(wild).copied().filter(move |&i| match &rows[i].matcher {
        Match::Call(p) | Match::Read(p) | Match::Store(p) => p.matches(name),
        _ => false,
    });
    exact.chain(patterned)
}

/// Whether a row names no `labels` (a comparison sink needs them).
fn has_no_labels(row: &Row) -> bool {
    row.get("labels").is_none()
}

fn is_rule_id(text: &str) -> bool {
    text.len() == 4 && text.starts_with('T') && text[1..].chars().all(|c| c.is_ascii_digit())
}

fn allowed_keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Source => &[
            "kind",
            "call",
            "read",
            "param",
            "decorator",
            "class_base",
            "module",
            "function",
            "unless_decorator",
            "label",
            "note",
            "args",
            "when",
            "type",
            "tags",
            "argv_has",
            "argv_with",
            "argv_lacks",
        ],
        Kind::Sink => &[
            "kind",
            "call",
            "store",
            "returns",
            "compare",
            "decorator",
            "class_base",
            "module",
            "function",
            "unless_decorator",
            "args",
            "labels",
            "rule",
            "message",
            "note",
            "when",
            "requires",
            "argv",
            "argv_has",
            "argv_with",
            "argv_lacks",
            "severity",
            "from_params",
            "escalate",
            "escalate_note",
            "format",
        ],
        Kind::Sanitizer => &[
            "kind", "call", "read", "args", "clears", "when", "note", "type", "labels",
        ],
        Kind::Propagator => &[
            "kind",
            "call",
            "args",
            "to",
            "type",
            "tags",
            "when",
            "view",
            "view_clears",
            "clears",
            "store_key",
            "load_key",
            "note",
        ],
        Kind::Guard => &[
            "kind", "call", "contains", "args", "clears", "branch", "requires", "note",
        ],
        Kind::Label => &["kind", "label", "through_calls", "note"],
        Kind::Context => &[
            "kind",
            "body",
            "decorator",
            "class_base",
            "module",
            "function",
            "unless_decorator",
            "severity",
            "note",
        ],
        Kind::Type => &[
            "kind",
            "call",
            "read",
            "param",
            "decorator",
            "class_base",
            "module",
            "function",
            "unless_decorator",
            "type",
            "tags",
        ],
    }
}

fn string(row: &Row, key: &str) -> Result<Option<String>, String> {
    match row.get(key) {
        None => Ok(None),
        Some(RowValue::Str(s)) => Ok(Some(s.clone())),
        Some(RowValue::Bool(_)) if key == "returns" || key == "body" || key == "compare" => Ok(Some(String::new())),
        Some(other) => Err(format!("`{key}` must be a string, not {other}")),
    }
}

fn bool_key(row: &Row, key: &str) -> Result<Option<bool>, String> {
    match row.get(key) {
        None => Ok(None),
        Some(RowValue::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(format!("`{key}` must be true or false, not {other}")),
    }
}

fn strings(row: &Row, key: &str) -> Result<Vec<String>, String> {
    match row.get(key) {
        None => Ok(Vec::new()),
        Some(v) => strings_of(v, key),
    }
}

fn strings_of(value: &RowValue, key: &str) -> Result<Vec<String>, String> {
    match value {
        RowValue::Array(items) => items
            .iter()
            .map(|i| match i {
                RowValue::Str(s) => Ok(s.clone()),
                other => Err(format!("`{key}` lists strings, not {other}")),
            })
            .collect(),
        other => Err(format!("`{key}` must be a list of strings, not {other}")),
    }
}

fn ints(row: &Row, key: &str) -> Result<Vec<usize>, String> {
    match row.get(key) {
        None => Ok(Vec::new()),
        Some(RowValue::Array(items)) => items
            .iter()
            .map(|i| match i {
                RowValue::Int(n) if *n >= 0 => Ok(*n as usize),
                other => Err(format!("`{key}` lists argument positions, not {other}")),
            })
            .collect(),
        Some(other) => Err(format!("`{key}` must be a list of positions, not {other}")),
    }
}

fn arg_list(value: &RowValue) -> Result<Vec<ArgRef>, String> {
    match value {
        RowValue::Array(items) => items.iter().map(arg_ref).collect(),
        other => Err(format!("`args` must be a list (e.g. [0, \"cmd\"]), not {other}")),
    }
}

/// `0`, `"cmd"`, `"1|Loader"`, `"self"`, `"*"`, `"1+"`, `"**"`, `"0[0]"`.
fn arg_ref(value: &RowValue) -> Result<ArgRef, String> {
    let text = match value {
        RowValue::Int(n) if *n >= 0 => {
            return Ok(ArgRef {
                at: ArgAt::Pos(*n as usize),
                item: None,
            });
        }
        RowValue::Str(s) => s.as_str(),
        other => return Err(format!("an argument is a position or a name, not {other}")),
    };
    let (base, item) = match text.strip_suffix(']').and_then(|t| t.split_once('[')) {
        Some((base, item)) => (
            base,
            Some(
                item.parse::<usize>()
                    .map_err(|_| format!("bad item index in `{text}`"))?,
            ),
        ),
        None => (text, None),
    };
    Ok(ArgRef {
        at: arg_at(base).ok_or_else(|| format!("bad argument `{text}`"))?,
        item,
    })
}

fn arg_at(text: &str) -> Option<ArgAt> {
    Some(match text {
        "self" => ArgAt::Receiver,
        "*" => ArgAt::From(0),
        "**" => ArgAt::AllKw,
        _ => {
            if let Some(n) = text.strip_suffix('+') {
                ArgAt::From(n.parse().ok()?)
            } else if let Some((pos, kw)) = text.split_once('|') {
                ArgAt::PosOrKw(pos.parse().ok()?, ident(kw)?.to_string())
            } else if let Ok(n) = text.parse() {
                ArgAt::Pos(n)
            } else {
                ArgAt::Kw(ident(text)?.to_string())
            }
        }
    })
}

fn ident(text: &str) -> Option<&str> {
    (!text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(text)
}

/// `shell == True and 1|Loader not in (yaml.SafeLoader, yaml.CSafeLoader)`.
fn parse_when(text: &str) -> Result<Vec<Cond>, String> {
    text.split(" and ").map(|clause| parse_cond(clause.trim())).collect()
}

fn parse_cond(clause: &str) -> Result<Cond, String> {
    let bad =
        || format!("cannot read the condition `{clause}` (expected `ARG == VALUE`, `ARG in (A, B)`, `ARG is missing`)");
    let (arg, rest) = clause.split_once(' ').ok_or_else(bad)?;
    let arg = arg_at(arg).ok_or_else(bad)?;
    let rest = rest.trim();
    let (op, lit) = if rest == "is missing" {
        (Op::Missing, Lit::None)
    } else if rest == "is present" {
        (Op::Present, Lit::None)
    } else if let Some(v) = rest.strip_prefix("== ") {
        (Op::Eq, parse_lit(v.trim()).ok_or_else(bad)?)
    } else if let Some(v) = rest.strip_prefix("!= ") {
        (Op::Ne, parse_lit(v.trim()).ok_or_else(bad)?)
    } else if let Some(v) = rest.strip_prefix("not in ") {
        (Op::NotIn, parse_lit(v.trim()).ok_or_else(bad)?)
    } else if let Some(v) = rest.strip_prefix("in ") {
        (Op::In, parse_lit(v.trim()).ok_or_else(bad)?)
    } else {
        return Err(bad());
    };
    Ok(Cond { arg, op, lit })
}

fn parse_lit(text: &str) -> Option<Lit> {
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        return inner
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(parse_lit)
            .collect::<Option<Vec<_>>>()
            .map(Lit::Tuple);
    }
    Some(match text {
        "None" => Lit::None,
        "True" => Lit::Bool(true),
        "False" => Lit::Bool(false),
        _ => {
            if let Ok(n) = text.parse() {
                Lit::Int(n)
            } else if text.len() >= 2
                && ((text.starts_with('\'') && text.ends_with('\'')) || (text.starts_with('"') && text.ends_with('"')))
            {
                Lit::Str(text[1..text.len() - 1].to_string())
            } else if text.split('.').all(|s| ident(s).is_some()) {
                Lit::Name(text.to_string())
            } else {
                return None;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_models_load() {
        let models = Models::load(BUILTIN).unwrap_or_else(|e| panic!("{e}"));
        assert!(models.rows.len() > 50);
    }

    /// Each file's rows are sorted by the name they match, then kind, so a
    /// reader finds a name's rows together and a diff shows one line per row.
    #[test]
    fn builtin_rows_are_sorted() {
        for (file, text) in BUILTIN {
            let rows = rows::read(file, text).unwrap();
            let keys: Vec<((usize, String), u32)> = rows
                .iter()
                .map(|r| {
                    let key = [
                        "call", "read", "store", "param", "returns", "contains", "body", "compare",
                    ]
                    .iter()
                    .enumerate()
                    .find_map(|(i, k)| match r.get(k) {
                        Some(RowValue::Str(s)) => Some((i, s.clone())),
                        Some(RowValue::Bool(_)) => Some((i, String::new())),
                        _ => None,
                    })
                    .unwrap_or_default();
                    (key, r.line)
                })
                .collect();
            for pair in keys.windows(2) {
                assert!(
                    pair[0].0 <= pair[1].0,
                    "{file}:{}: `{}` should come before `{}` (line {}): rows are sorted by call, read, store, param, returns, contains, body, compare, then name",
                    pair[1].1,
                    pair[1].0.1,
                    pair[0].0.1,
                    pair[0].1
                );
            }
        }
    }

    fn load_one(row: &str) -> Result<Models, RowError> {
        let text = format!("rows = [\n{row}\n]\n");
        let leaked: &'static str = Box::leak(text.into_boxed_str());
        Models::load(&[("test.toml", leaked)])
    }

    #[test]
    fn name_reads_match_plain_and_wildcard_names_in_model_order() {
        let text = r#"rows = [
{ kind = "source", read = "*token", label = "secret", note = "a token" },
{ kind = "source", read = "auth_token", label = "secret", note = "the auth token" },
{ kind = "source", read = "Upper", label = "secret", note = "never" },
]
"#;
        let models = Models::load(&[("test.toml", text)]).unwrap();
        let lines = |name: &str| models.name_rows(name).map(|r| r.line).collect::<Vec<_>>();
        assert_eq!(lines("Auth_Token"), [2, 3]);
        assert_eq!(lines("my_token"), [2]);
        assert_eq!(lines("auth_tokens"), Vec::<u32>::new());
        assert_eq!(
            lines("upper"),
            Vec::<u32>::new(),
            "a pattern with capitals matches no lowercased name"
        );
    }

    #[test]
    fn validation_names_the_line() {
        let e = load_one(r#"{ kind = "sink", call = "os.system", args = [0], labels = ["user"] },"#).unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (2, "a sink needs the `rule` it reports"));
        let e = load_one(r#"{ kind = "sinks", call = "x" },"#).unwrap_err();
        assert!(e.message.starts_with("unknown kind `sinks`"), "{e}");
        let e = load_one(r#"{ kind = "source", call = "x", label = "user", note = "n", rule = "T078" },"#).unwrap_err();
        assert!(e.message.starts_with("key `rule` is not used by a source row"), "{e}");
        let e = load_one(r#"{ kind = "sanitizer", call = "x" },"#).unwrap_err();
        assert!(e.message.contains("needs `clears`"), "{e}");
        let e = load_one(r#"{ kind = "sink", call = "x", args = [0], labels = ["u"], rule = "S602", message = "m" },"#)
            .unwrap_err();
        assert!(e.message.contains("taint rule id"), "{e}");
        let e = load_one(r#"{ kind = "guard", call = "x", contains = "..", clears = "all" },"#).unwrap_err();
        assert!(e.message.contains("exactly one of"), "{e}");
    }

    #[test]
    fn conditions_and_arguments() {
        let conds = parse_when("shell == True and 1|Loader not in (yaml.SafeLoader, 'x')").unwrap();
        assert_eq!(conds[0].arg, ArgAt::Kw("shell".into()));
        assert_eq!(conds[0].lit, Lit::Bool(true));
        assert_eq!(conds[1].arg, ArgAt::PosOrKw(1, "Loader".into()));
        assert_eq!(conds[1].op, Op::NotIn);
        assert_eq!(
            conds[1].lit,
            Lit::Tuple(vec![Lit::Name("yaml.SafeLoader".into()), Lit::Str("x".into())])
        );
        assert!(parse_when("shell = True").is_err());
        assert_eq!(
            arg_ref(&RowValue::Str("0[0]".into())).unwrap(),
            ArgRef {
                at: ArgAt::Pos(0),
                item: Some(0)
            }
        );
        assert_eq!(arg_ref(&RowValue::Str("1+".into())).unwrap().at, ArgAt::From(1));
    }

    #[test]
    fn lookup_by_exact_and_pattern() {
        let models = Models::builtin();
        assert!(models.calls("os.system").any(|r| r.kind == Kind::Sink));
    }
}
