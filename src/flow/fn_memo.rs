//! A memo of single functions' analyses, for a module the project memo
//! (`super::memo`) has no analysis of: an edited module. Its functions whose
//! text, place and inputs did not change take the output of their last
//! analysis instead of running again.
//!
//! A function's analysis is a function of its own text and where it sits
//! (byte offset and line: findings and summary steps carry both), of the
//! module's path, name and what it sees of the project, and of what it
//! looked up while it ran: project names in the facts (`ModuleCx::note_read`,
//! as the project memo records them), the module's own summaries of this
//! pass (`ModuleCx::summary`) and its module-level values
//! (`ModuleCx::global`), each found or not. The first make the key; the
//! lookups are recorded with a hash of what was found (0: nothing). An
//! earlier analysis answers when the key is the same and every lookup hashes
//! the same now: it would compute what it holds, so the module's output, its
//! local rounds and the pass are those of a run without it.
//!
//! The records travel inside the analyses the project memo keeps (in each
//! [`FunctionOutput`], and in [`super::analyze::ModuleOutput::earlier`] for
//! a function analysed more than once in one module analysis): nothing is
//! stored twice.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::analyze::{Analysed, FunctionOutput, ModuleOutput};
use super::fxhash::{FxHashMap, FxHashSet};
use super::interp::ModuleCx;
use super::value::{Items, Loc, Name, Value};
use crate::stable_hash::StableHasher;

/// What the running function's analysis looked up, found or not.
#[derive(Default)]
pub struct FnReads {
    /// Project names in the facts.
    pub facts: FxHashSet<String>,
    /// Summaries of the module's own functions (this pass's, else the
    /// project's).
    pub local: FxHashSet<String>,
    /// Module-level values of the module.
    pub globals: FxHashSet<Name>,
}

/// Where a lookup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Read {
    Facts,
    Local,
    Global,
}

/// What a function's analysis depended on, kept with its output. Names are
/// places in the module analysis's [`Names`] (`ModuleOutput::names`):
/// most lookups of a module's functions are of the same few names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FnRecord {
    pub key: u64,
    /// Each lookup, with the hash of what it found (0: nothing).
    pub reads: Vec<(Read, u32, u64)>,
    /// The names it used (the output's dependencies), each with whether it
    /// was this pass's own summary of the module's function.
    pub deps: Vec<(u32, bool)>,
    /// Statements the analysis executed.
    pub steps: u64,
}

/// The names the records of one module analysis refer to, each once.
#[derive(Default)]
pub struct Names {
    list: RefCell<Vec<String>>,
    at: RefCell<FxHashMap<String, u32>>,
}

impl Names {
    pub fn id(&self, name: &str) -> u32 {
        if let Some(&id) = self.at.borrow().get(name) {
            return id;
        }
        let mut list = self.list.borrow_mut();
        let id = list.len() as u32;
        list.push(name.to_string());
        self.at.borrow_mut().insert(name.to_string(), id);
        id
    }

    pub fn into_list(self) -> Vec<String> {
        self.list.into_inner()
    }
}

/// The functions of a module's earlier analyses, by key, with the names of
/// the analysis each comes from.
#[derive(Default)]
pub struct OldFunctions {
    by_key: FxHashMap<u64, Vec<(usize, FunctionOutput)>>,
    names: Vec<Vec<String>>,
}

impl OldFunctions {
    pub fn new(outputs: impl IntoIterator<Item = ModuleOutput>) -> OldFunctions {
        let mut old = OldFunctions::default();
        for out in outputs {
            let table = old.names.len();
            for f in out.functions.into_iter().chain(out.earlier) {
                if let Some(record) = &f.record {
                    old.by_key.entry(record.key).or_default().push((table, f));
                }
            }
            old.names.push(out.names);
        }
        old
    }
}

/// An earlier analysis that answers, with the names its record refers to.
pub struct Recalled<'o> {
    pub output: &'o FunctionOutput,
    pub record: &'o FnRecord,
    pub names: &'o [String],
}

impl Recalled<'_> {
    fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    /// The record with its names placed in this analysis's `names`.
    pub fn record_in(&self, names: &Names) -> FnRecord {
        let mut reads: Vec<(Read, u32, u64)> = self
            .record
            .reads
            .iter()
            .map(|&(read, id, hash)| (read, names.id(self.name(id)), hash))
            .collect();
        // In the order of this analysis's places, as a record made here is.
        reads.sort_unstable();
        FnRecord {
            key: self.record.key,
            reads,
            deps: self
                .record
                .deps
                .iter()
                .map(|&(id, own)| (names.id(self.name(id)), own))
                .collect(),
            steps: self.record.steps,
        }
    }

    /// The project names the analysis looked up in the facts.
    pub fn facts_read(&self) -> impl Iterator<Item = &str> {
        self.record
            .reads
            .iter()
            .filter(|(read, _, _)| *read == Read::Facts)
            .map(|&(_, id, _)| self.name(id))
    }

    /// The names it used, each with whether it was this pass's own summary.
    pub fn deps(&self) -> impl Iterator<Item = (&str, bool)> {
        self.record.deps.iter().map(|&(id, own)| (self.name(id), own))
    }
}

/// What a module's analysis needs to keep and take functions' analyses.
pub struct FnMemo<'m> {
    pub old: &'m OldFunctions,
    /// Which modules the module sees (part of every key).
    pub seen: u64,
    /// The hash of what the facts hold under a project name
    /// (`super::memo::value_hash`).
    pub facts_hash: &'m (dyn Fn(&str) -> u64 + Sync),
    /// How many functions the memo answered for.
    pub answered: &'m std::sync::atomic::AtomicUsize,
}

/// Hashes of what one module analysis's lookups find, made once: the
/// module's own values (they do not change once its top level has run).
/// This pass's summaries of its functions hash themselves once each
/// ([`HeldSummary::hash`]).
#[derive(Default)]
pub struct Hashes {
    globals: RefCell<FxHashMap<Name, u64>>,
}

impl Hashes {
    fn global(&self, cx: &ModuleCx, name: &str) -> u64 {
        if let Some(&h) = self.globals.borrow().get(name) {
            return h;
        }
        let h = cx.globals.borrow().get(name).map_or(0, |v| value_hash(cx, v));
        self.globals.borrow_mut().insert(name.into(), h);
        h
    }

    /// The hash of this pass's own summary of `name`, 0 if it has none.
    fn local(&self, cx: &ModuleCx, name: &str) -> u64 {
        cx.local.borrow().get(name).map_or(0, |summary| summary.hash() | 1)
    }
}

impl FnMemo<'_> {
    /// An earlier analysis with `key` whose every lookup finds the same now.
    pub fn find<'o>(&'o self, key: u64, cx: &ModuleCx, hashes: &Hashes) -> Option<Recalled<'o>> {
        let found = self.old.by_key.get(&key)?.iter().find_map(|(table, output)| {
            let recalled = Recalled {
                output,
                record: output.record.as_ref()?,
                names: self.old.names.get(*table)?,
            };
            recalled
                .record
                .reads
                .iter()
                .all(|&(read, id, hash)| {
                    let name = recalled.name(id);
                    match read {
                        Read::Facts => (self.facts_hash)(name) == hash,
                        Read::Local => hashes.local(cx, name) == hash,
                        Read::Global => hashes.global(cx, name) == hash,
                    }
                })
                .then_some(recalled)
        })?;
        self.answered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(found)
    }

    /// The lookups of an analysis that just ran, with what they found.
    pub fn hashed(&self, reads: FnReads, cx: &ModuleCx, hashes: &Hashes, names: &Names) -> Vec<(Read, u32, u64)> {
        let mut out: Vec<(Read, u32, u64)> = Vec::new();
        for name in reads.facts {
            out.push((Read::Facts, names.id(&name), (self.facts_hash)(&name)));
        }
        for name in reads.local {
            out.push((Read::Local, names.id(&name), hashes.local(cx, &name)));
        }
        for name in reads.globals {
            out.push((Read::Global, names.id(&name), hashes.global(cx, &name)));
        }
        out.sort_unstable();
        out
    }
}

/// A module-level value's hash: everything it holds (its debug form), and
/// the line of each step in this file, which a summary that takes the
/// value's flow will show.
fn value_hash(cx: &ModuleCx, value: &Value) -> u64 {
    let mut h = StableHasher::default();
    let _ = write!(HashWriter(&mut h), "{value:?}");
    here_lines(cx, value, &mut h);
    h.finish() | 1
}

fn here_lines(cx: &ModuleCx, value: &Value, h: &mut StableHasher) {
    for flow in value.taint.flows() {
        let mut step = &flow.steps;
        while let Some(node) = step {
            if let Loc::Here(range) = node.at {
                cx.line(range).hash(h);
            }
            step = &node.prev;
        }
    }
    match &value.items {
        Some(Items::Seq(items)) => items.iter().for_each(|v| here_lines(cx, v, h)),
        Some(Items::Map(items)) => items.iter().for_each(|(_, v)| here_lines(cx, v, h)),
        Some(Items::Fields(items)) => items.iter().for_each(|(_, v)| here_lines(cx, v, h)),
        None => {}
    }
}

struct HashWriter<'h>(&'h mut StableHasher);

impl std::fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// Whether each function the memo answers for is analysed anyway and
/// compared (`VIGIL_FN_MEMO_CHECK=1`, for `bench/memo_edits_same.py`): the
/// memo's soundness checked on every answer of a real run, not only on the
/// findings that show.
pub fn checking() -> bool {
    static CHECKING: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CHECKING.get_or_init(|| std::env::var_os("VIGIL_FN_MEMO_CHECK").is_some())
}

/// Says on standard error where an analysis made anyway differs from the
/// memo's answer for it.
pub fn compare(qualname: &str, made: &Analysed, recalled: &Analysed) {
    let what = [
        ("summary", made.0.hash() == recalled.0.hash()),
        ("findings", format!("{:?}", made.1) == format!("{:?}", recalled.1)),
        ("dependencies", made.2 == recalled.2),
        (
            "reads",
            made.3.as_ref().map(|r| &r.reads) == recalled.3.as_ref().map(|r| &r.reads),
        ),
    ];
    for (part, same) in what {
        if !same {
            eprintln!("vigil: function memo: {qualname}: the {part} recalled differ from the analysis");
        }
    }
}
