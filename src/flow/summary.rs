//! Per-function summaries and the facts about the whole scanned project.
//!
//! A [`Summary`] says, for one function, which parameters (or paths below
//! them, like `self.request.form`) reach which sinks, which reach the return
//! value, what the function returns on its own (sources, a constant, a type)
//! and which attributes of `self` it sets. [`ProjectFacts`] holds every
//! summary, the classes with their bases and the module-level values, keyed
//! by qualified name; the interpreter reads it and never writes it. Summaries
//! are owned and thread-safe: they outlive the parse of their file.

use super::fxhash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use ruff_text_size::TextRange;
use serde::{Deserialize, Serialize};

use super::value::Const;

/// One step of a path kept in a summary.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SumStep {
    #[serde(deserialize_with = "shared_file::deserialize")]
    pub file: Arc<str>,
    pub range: TextRange,
    pub line: u32,
    pub note: String,
}

/// A step's file decoded from the memo as the `Arc` of the earlier steps in
/// that file: the steps of a path are mostly in one or two files, and a
/// step decoded on its own was two allocations and a copy (a `Box<str>`,
/// then the `Arc`), 2% of a ten-file change review's instructions.
mod shared_file {
    use super::{Arc, HashSet};
    use serde::de::{Deserializer, Error, Visitor};
    use std::cell::RefCell;

    thread_local! {
        /// The files of the steps this thread decoded (a project's files at most).
        static FILES: RefCell<HashSet<Arc<str>>> = RefCell::new(HashSet::default());
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
        deserializer.deserialize_str(Shared)
    }

    struct Shared;

    impl Visitor<'_> for Shared {
        type Value = Arc<str>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a file name")
        }

        fn visit_str<E: Error>(self, name: &str) -> Result<Arc<str>, E> {
            Ok(FILES.with(|files| {
                let mut files = files.borrow_mut();
                match files.get(name) {
                    Some(file) => file.clone(),
                    None => {
                        let file: Arc<str> = Arc::from(name);
                        files.insert(file.clone());
                        file
                    }
                }
            }))
        }
    }
}

/// A path from a parameter: parameter index and attribute/key path below it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ParamPath {
    pub param: u8,
    pub path: Vec<String>,
}

/// A parameter that reaches a sink inside the function (or its callees).
#[derive(Debug, Clone, Hash, Serialize, Deserialize)]
pub struct ParamSink {
    pub from: ParamPath,
    pub rule_bit: u8,
    /// Labels the sink accepts.
    pub labels: u64,
    /// The finding's message with `{source}` still to fill.
    pub message: String,
    pub severity: Option<String>,
    /// From the parameter to the sink.
    pub steps: Vec<SumStep>,
}

/// A parameter that reaches the return value.
#[derive(Debug, Clone, Hash, Serialize, Deserialize)]
pub struct ReturnFlow {
    pub from: ParamPath,
    pub cleared: u64,
    /// Labels the data loses on the way (see `Flow::dropped`).
    pub dropped: u64,
    /// The parameter went through a call the models say nothing about.
    pub cut: bool,
    pub steps: Vec<SumStep>,
}

/// Taint the function produces itself (a source inside it, or below).
#[derive(Debug, Clone, Hash, Serialize, Deserialize)]
pub struct SourceFlow {
    pub label: u8,
    pub cleared: u64,
    pub source_note: String,
    pub steps: Vec<SumStep>,
}

/// A thread-safe constant for summaries.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub enum SumConst {
    Unknown,
    None,
    Bool(bool),
    Int(i64),
    Str(String),
}

impl SumConst {
    pub fn from_const(c: &Const) -> SumConst {
        match c {
            Const::None => SumConst::None,
            Const::Bool(b) => SumConst::Bool(*b),
            Const::Int(i) => SumConst::Int(*i),
            Const::Str(s) => SumConst::Str(s.to_string()),
            _ => SumConst::Unknown,
        }
    }

    pub fn to_const(&self) -> Const {
        match self {
            SumConst::Unknown => Const::Unknown,
            SumConst::None => Const::None,
            SumConst::Bool(b) => Const::Bool(*b),
            SumConst::Int(i) => Const::Int(*i),
            SumConst::Str(s) => Const::str(s),
        }
    }
}

/// What a value is made of, in a summary (a return value, an attribute).
#[derive(Debug, Clone, Default, Hash, Serialize, Deserialize)]
pub struct SumValue {
    /// Taint of the value itself, beyond what its known `items` hold.
    pub from_params: Vec<ReturnFlow>,
    pub sources: Vec<SourceFlow>,
    pub konst: Option<SumConst>,
    pub ty: Option<String>,
    pub refers: Option<String>,
    pub tags: u32,
    /// The items of a returned tuple, list or dict, two levels deep: a
    /// caller unpacking `address, user, password = params()` gets the
    /// password's taint in `password` only, not in `address`.
    pub items: Option<SumItems>,
}

/// Known items of a container in a summary.
#[derive(Debug, Clone, Hash, Serialize, Deserialize)]
pub enum SumItems {
    Seq(Vec<SumValue>),
    Map(Vec<(String, SumValue)>),
}

/// What the fixpoint compares of a [`SumValue`]: its facts, not its paths
/// (borrowed: the comparison runs for each function of each analysis the
/// pass takes, and cloning the parts was most of its cost).
#[derive(PartialEq, Hash)]
struct Shape<'a> {
    params: Vec<(&'a ParamPath, u64, bool, u64)>,
    sources: Vec<(u8, u64)>,
    konst: Option<&'a SumConst>,
    ty: Option<&'a str>,
    refers: Option<&'a str>,
    tags: u32,
    items: Option<(bool, Vec<(&'a str, Shape<'a>)>)>,
}

impl SumValue {
    fn shape(&self) -> Shape<'_> {
        let mut params: Vec<(&ParamPath, u64, bool, u64)> = self
            .from_params
            .iter()
            .map(|r| (&r.from, r.cleared, r.cut, r.dropped))
            .collect();
        params.sort_by(|a, b| (a.0.param, &a.0.path, a.1, a.2, a.3).cmp(&(b.0.param, &b.0.path, b.1, b.2, b.3)));
        let mut sources: Vec<(u8, u64)> = self.sources.iter().map(|s| (s.label, s.cleared)).collect();
        sources.sort();
        let items = self.items.as_ref().map(|items| match items {
            SumItems::Seq(v) => (true, v.iter().map(|x| ("", x.shape())).collect()),
            SumItems::Map(v) => (false, v.iter().map(|(k, x)| (k.as_str(), x.shape())).collect()),
        });
        Shape {
            params,
            sources,
            konst: self.konst.as_ref(),
            ty: self.ty.as_deref(),
            refers: self.refers.as_deref(),
            tags: self.tags,
            items,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.from_params.is_empty()
            && self.sources.is_empty()
            && self.konst.is_none()
            && self.ty.is_none()
            && self.items.is_none()
    }

    /// The labels of the source flows the value or one of its items
    /// carries, a bit per label.
    pub fn source_labels(&self) -> u64 {
        let own = self.sources.iter().fold(0, |labels, s| {
            labels | 1u64.checked_shl(u32::from(s.label)).unwrap_or(0)
        });
        own | match &self.items {
            None => 0,
            Some(SumItems::Seq(v)) => v.iter().fold(0, |l, x| l | x.source_labels()),
            Some(SumItems::Map(v)) => v.iter().fold(0, |l, (_, x)| l | x.source_labels()),
        }
    }
}

/// How a parameter is passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ParamKind {
    Positional,
    VarArgs,
    KeywordOnly,
    KwArgs,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ParamInfo {
    pub name: String,
    pub kind: ParamKind,
}

#[derive(Debug, Clone, Default, Hash, Serialize, Deserialize)]
pub struct Summary {
    pub params: Vec<ParamInfo>,
    /// A method called on an instance receives it as parameter 0.
    pub bound: bool,
    pub sinks: Vec<ParamSink>,
    /// `None` until a `return` is seen (the function may never return).
    pub returns: Option<SumValue>,
    /// Attributes of `self` the function sets.
    pub fields: Vec<(String, SumValue)>,
}

impl Summary {
    /// Equality for the fixpoint: the facts, not the paths that explain them.
    pub fn same_as(&self, other: &Summary) -> bool {
        self.shape() == other.shape()
    }

    /// A hash of what [`Summary::same_as`] compares: two summaries the
    /// fixpoint takes for the same have the same.
    pub fn shape_hash(&self) -> u64 {
        super::memo::hash_of(self.shape())
    }

    /// The labels of the sources the function hands back (in its return
    /// value or in the attributes of `self` it sets), a bit per label.
    pub fn given_labels(&self) -> u64 {
        let returned = self.returns.as_ref().map_or(0, SumValue::source_labels);
        self.fields.iter().fold(returned, |l, (_, v)| l | v.source_labels())
    }

    fn shape(&self) -> SummaryShape<'_> {
        let mut sinks: Vec<(&ParamPath, u8, u64)> =
            self.sinks.iter().map(|k| (&k.from, k.rule_bit, k.labels)).collect();
        sinks.sort_by(|a, b| (a.0.param, &a.0.path, a.1, a.2).cmp(&(b.0.param, &b.0.path, b.1, b.2)));
        let mut fields: Vec<(&str, Shape)> = self.fields.iter().map(|(k, v)| (k.as_str(), v.shape())).collect();
        fields.sort_by(|a, b| a.0.cmp(b.0));
        SummaryShape {
            params: &self.params,
            bound: self.bound,
            sinks,
            returns: self.returns.as_ref().map(SumValue::shape),
            fields,
        }
    }
}

/// What the fixpoint compares of a [`Summary`] (see [`Shape`]).
#[derive(PartialEq, Hash)]
struct SummaryShape<'a> {
    params: &'a [ParamInfo],
    bound: bool,
    sinks: Vec<(&'a ParamPath, u8, u64)>,
    returns: Option<Shape<'a>>,
    fields: Vec<(&'a str, Shape<'a>)>,
}

/// A class of the project: its bases (qualified) and its methods.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ClassFacts {
    pub bases: Vec<String>,
    pub methods: HashSet<String>,
    pub static_methods: HashSet<String>,
    pub class_methods: HashSet<String>,
}

/// A module-level name's value, as other modules import it.
#[derive(Debug, Clone, Default, Hash, Serialize, Deserialize)]
pub struct GlobalFact {
    pub value: SumValue,
    /// For a dict or list made of constants: `(key, constant)` items.
    pub items: Option<Vec<(String, SumConst)>>,
    pub is_seq: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ModuleFacts {
    pub is_package: bool,
    pub globals: HashMap<String, GlobalFact>,
}

/// Everything known about the scanned project.
#[derive(Debug, Default)]
pub struct ProjectFacts {
    pub summaries: HashMap<String, super::held_summary::HeldSummary>,
    pub classes: HashMap<String, ClassFacts>,
    pub modules: HashMap<String, ModuleFacts>,
    /// Module names by the path shown for each file.
    pub module_of_path: HashMap<String, String>,
    /// Findings by file path, then by function (or module, for its top
    /// level): those of each function's last analysis.
    pub findings: HashMap<String, std::collections::BTreeMap<String, Vec<super::analyze::TaintFinding>>>,
    /// Rules (bit per rule of the models) not selected: their sinks are not
    /// checked, so they cost nothing.
    pub rules_off: u64,
    /// Rules (bit per rule) whose sinks are worth analysing for a proof
    /// that only constants reach them, even in a function no source
    /// reaches: a pattern rule reports the same defect there.
    pub prove: u64,
    /// Files the project pass left out because no module imports them;
    /// their review analyses them on their own.
    pub alone: HashSet<String>,
    /// What makes a function of a module analysed on its own worth
    /// analysing (computed once the summaries are final).
    pub triggers: Option<super::analyze::Triggers>,
    /// What each module sees of the others (its import closure).
    pub scope: super::scope::Scope,
    /// The last names of functions that hand back attacker data, with the
    /// columns (in [`ProjectFacts::scope`]) of the modules defining them:
    /// a module analysed on its own is worth analysing where it mentions
    /// one it sees.
    pub giving: HashMap<String, Vec<u32>>,
    /// Each project class and its bases in lookup order.
    pub mros: HashMap<String, Vec<String>>,
    /// Whether analyses record every project name they look up (for the
    /// project pass's memo).
    pub recording: bool,
    /// How many rounds the project pass ran, and whether it converged.
    pub rounds: usize,
    pub converged: bool,
}

impl ProjectFacts {
    pub fn module_of(&self, path: &str) -> Option<&str> {
        self.module_of_path.get(path).map(String::as_str)
    }

    /// Fills [`ProjectFacts::mros`] once the classes are known: a class's
    /// bases as its own module sees them (see [`super::scope`]).
    pub fn compute_mros(&mut self) {
        let mros = self
            .classes
            .keys()
            .map(|c| {
                let sight = self.scope.of_name(c);
                let visible = |n: &str| self.classes.get(n).filter(|_| sight.is_none_or(|s| s.sees(n)));
                (c.clone(), super::analyze::class_order(c, visible))
            })
            .collect();
        self.mros = mros;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(file: &str, line: u32) -> SumStep {
        SumStep {
            file: Arc::from(file),
            range: TextRange::default(),
            line,
            note: format!("step {line}"),
        }
    }

    #[test]
    fn steps_decoded_in_one_file_share_its_name() {
        let steps = vec![step("nova/a.py", 1), step("nova/b.py", 2), step("nova/a.py", 3)];
        let bytes = postcard::to_allocvec(&steps).unwrap();
        let decoded: Vec<SumStep> = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(decoded, steps);
        assert!(Arc::ptr_eq(&decoded[0].file, &decoded[2].file));
        assert!(!Arc::ptr_eq(&decoded[0].file, &decoded[1].file));
        // Decoded again, the names are the ones the thread already holds.
        let again: Vec<SumStep> = postcard::from_bytes(&bytes).unwrap();
        assert!(Arc::ptr_eq(&again[1].file, &decoded[1].file));
    }
}
