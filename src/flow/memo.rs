//! A memo of the project pass, kept between runs: each module's structure
//! and each analysis of it, with everything the analysis depended on.
//!
//! An analysis of a module is a function of its text, of which modules it
//! sees (its import closure, see [`super::scope`]), of what the pass asked
//! of it (all functions, or those whose inputs changed, with the names they
//! used before), of its own functions' summaries as the pass held them, and
//! of what it looked up in the facts: summaries, module-level values and
//! classes of the modules it sees, found or not (`ModuleCx::note_read`).
//! The first four are known before it runs and make the entry's key; the
//! names it looked up are recorded with a hash of what the facts held under
//! each. An entry answers when the key is the same and every name hashes
//! the same now: then the analysis would compute exactly what the entry
//! holds, so the pass, its rounds and its results are those of a run
//! without the memo. An edit that changes nothing another module looks up
//! costs the analysis of the edited module only.
//!
//! The caller stores the entries (the review cache, `crate::cache`): this
//! module does no I/O.

use std::hash::{Hash, Hasher};
use std::sync::RwLock;

use serde::{Deserialize, Serialize};

use super::analyze::{ModuleOutput, Structure};
use super::fn_memo::OldFunctions;
use super::fxhash::FxHashMap;
use super::held_summary::HeldSummary;
use super::summary::ProjectFacts;
use crate::stable_hash::StableHasher;

/// Where the memo of each file is kept between runs.
pub trait Memo: Sync {
    /// What the last run kept for the file shown as `path`.
    fn load(&self, path: &str) -> Option<OldMemo>;
    /// What this run keeps for it.
    fn keep(&self, path: &str, file: &MemoFile);
    /// The files of the tree (the memo of others can go).
    fn tree(&self, paths: &[&str]);
}

/// The memo of one file.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct MemoFile {
    /// The structure, under the key of the file's path, module and text.
    pub structure: Option<(u64, Structure)>,
    pub analyses: Vec<MemoEntry>,
}

/// One analysis of a module.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemoEntry {
    /// What the analysis depended on that was known before it ran.
    pub key: u64,
    /// The project values it read, each with its hash then (0: absent).
    pub reads: Vec<(String, u64)>,
    /// The analysis's output without its functions' records, encoded
    /// (decoded only when the entry answers).
    #[serde(with = "bytes")]
    pub output: Vec<u8>,
    /// Its functions' records (`super::fn_memo`), encoded apart (decoded
    /// only when the module is analysed again); empty when it kept none.
    #[serde(with = "bytes")]
    pub records: Vec<u8>,
}

impl MemoFile {
    /// The record kept for the file ([`OldMemo::decode`] reads it back).
    pub fn encode(&self) -> Option<Vec<u8>> {
        encode(self)
    }
}

/// `value` encoded with postcard into a buffer of its size: grown by
/// doubling, a memo of megabytes (a large module's, with its functions'
/// records) was copied and its pages touched again at each step.
pub fn encode(value: &impl Serialize) -> Option<Vec<u8>> {
    let size = postcard::experimental::serialized_size(value).ok()?;
    postcard::to_extend(value, Vec::with_capacity(size)).ok()
}

/// A file's memo as the last run kept it: the record's bytes, the structure
/// decoded, and each analysis as the places of its parts in the bytes. An
/// analysis's reads, output and records are decoded when the pass asks for
/// them: decoded whole, a change review of ten files made and freed a
/// string for each name every memo entry read (80,000 of them) to answer
/// with a few hundred entries, and copied each output and record.
pub struct OldMemo {
    bytes: Vec<u8>,
    /// The key the structure was kept under.
    structure_key: Option<u64>,
    /// The structure, until the pass takes it (see [`OldMemo::structure`]).
    structure: std::sync::Mutex<Option<Structure>>,
    pub analyses: Vec<OldEntry>,
}

/// An analysis in an [`OldMemo`]: its key, and where its parts are.
pub struct OldEntry {
    pub key: u64,
    /// Each name it read (UTF-8 when the record is one this build wrote),
    /// with its hash then.
    reads: Vec<(Span, u64)>,
    output: Span,
    records: Span,
}

/// A range of an [`OldMemo`]'s bytes.
type Span = std::ops::Range<usize>;

/// A [`MemoFile`] as its record's bytes encode it, borrowing them: the same
/// encoding (a string and a byte string are both a length and the bytes).
#[derive(Deserialize)]
struct FileView<'a> {
    structure: Option<(u64, Structure)>,
    #[serde(borrow)]
    analyses: Vec<EntryView<'a>>,
}

#[derive(Deserialize)]
struct EntryView<'a> {
    key: u64,
    #[serde(borrow)]
    reads: Vec<(&'a [u8], u64)>,
    output: &'a [u8],
    records: &'a [u8],
}

impl OldMemo {
    /// The memo a record's bytes hold, if they decode.
    pub fn decode(bytes: Vec<u8>) -> Option<OldMemo> {
        let view: FileView = postcard::from_bytes(&bytes).ok()?;
        // Where a part borrowed from `bytes` sits in them.
        let span = |part: &[u8]| -> Option<Span> {
            let start = (part.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize)?;
            let end = start.checked_add(part.len())?;
            (end <= bytes.len()).then_some(start..end)
        };
        let analyses = view
            .analyses
            .iter()
            .map(|e| {
                Some(OldEntry {
                    key: e.key,
                    reads: e
                        .reads
                        .iter()
                        .map(|(name, hash)| Some((span(name)?, *hash)))
                        .collect::<Option<_>>()?,
                    output: span(e.output)?,
                    records: span(e.records)?,
                })
            })
            .collect::<Option<_>>()?;
        let (structure_key, structure) = view.structure.unzip();
        Some(OldMemo {
            structure_key,
            structure: std::sync::Mutex::new(structure),
            analyses,
            bytes,
        })
    }

    /// The structure, taken (it goes into the project's facts; a clone of
    /// each was 2% of a ten-file change review's instructions); decoded
    /// again from the bytes when asked once more.
    fn structure(&self) -> Option<Structure> {
        let taken = self.structure.lock().ok().and_then(|mut s| s.take());
        taken.or_else(|| {
            postcard::from_bytes::<FileView>(&self.bytes)
                .ok()?
                .structure
                .map(|(_, s)| s)
        })
    }

    /// The names analysis `entry` read, with their hashes then; `None` for a
    /// name that is not UTF-8 (never written by this build).
    fn reads<'a>(&'a self, entry: &'a OldEntry) -> impl Iterator<Item = (Option<&'a str>, u64)> + 'a {
        entry
            .reads
            .iter()
            .map(|(name, hash)| (std::str::from_utf8(&self.bytes[name.clone()]).ok(), *hash))
    }

    /// Analysis `entry`'s output (without its functions' records).
    fn output(&self, entry: &OldEntry) -> Option<ModuleOutput> {
        postcard::from_bytes(&self.bytes[entry.output.clone()]).ok()
    }

    /// Analysis `entry` as this run keeps it again.
    fn entry(&self, entry: &OldEntry) -> Option<MemoEntry> {
        Some(MemoEntry {
            key: entry.key,
            reads: self
                .reads(entry)
                .map(|(name, hash)| Some((name?.to_string(), hash)))
                .collect::<Option<_>>()?,
            output: self.bytes[entry.output.clone()].to_vec(),
            records: self.bytes[entry.records.clone()].to_vec(),
        })
    }

    /// Analysis `entry`'s output with its functions' records, if it decodes.
    fn with_records(&self, entry: &OldEntry) -> Option<ModuleOutput> {
        let mut output = self.output(entry)?;
        if !entry.records.is_empty() {
            let records: Records = postcard::from_bytes(&self.bytes[entry.records.clone()]).ok()?;
            for (f, record) in output.functions.iter_mut().zip(records.functions) {
                f.record = record;
            }
            output.names = records.names;
            output.earlier = records.earlier;
        }
        Some(output)
    }
}

/// The functions' records of a module analysis, kept apart from its output
/// (see [`MemoEntry::records`]).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Records {
    /// Each function's record, in the order of `ModuleOutput::functions`.
    functions: Vec<Option<super::fn_memo::FnRecord>>,
    names: Vec<String>,
    earlier: Vec<super::analyze::FunctionOutput>,
}

impl MemoEntry {
    /// An entry for `output`, which read `reads`. The functions' records
    /// are taken out of `output` (they are the next run's, not this one's).
    pub fn new(key: u64, reads: Vec<(String, u64)>, output: &mut ModuleOutput) -> Option<MemoEntry> {
        let records = Records {
            functions: output.functions.iter_mut().map(|f| f.record.take()).collect(),
            names: std::mem::take(&mut output.names),
            earlier: std::mem::take(&mut output.earlier),
        };
        let kept_none = records.functions.iter().all(Option::is_none) && records.earlier.is_empty();
        // The names the analysis read are the entry's `reads` (with their
        // hashes): an output the entry answers with needs them no more.
        let read = std::mem::take(&mut output.reads);
        let encoded = encode(output);
        output.reads = read;
        Some(MemoEntry {
            key,
            reads,
            output: encoded?,
            records: if kept_none { Vec::new() } else { encode(&records)? },
        })
    }
}

/// A byte string encoded as one: serde's own `Vec<u8>` and `&[u8]` are
/// sequences of `u8`, which postcard writes and reads a call per byte (the
/// same bytes; the memo file is megabytes of them).
/// `#[serde(with = "bytes")]` on a `Vec<u8>`.
pub mod bytes {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_byte_buf(Visitor)
    }

    struct Visitor;

    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a byte string")
        }

        fn visit_bytes<E>(self, value: &[u8]) -> Result<Vec<u8>, E> {
            Ok(value.to_vec())
        }

        fn visit_byte_buf<E>(self, value: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(value)
        }
    }
}

/// A hash of anything hashable ([`StableHasher`]: the same in every run and
/// on every machine of one build).
pub fn hash_of(value: impl Hash) -> u64 {
    let mut h = StableHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// The hash of what the facts hold under the project name `name` (a
/// function's summary, a module-level value, a class and its lookup
/// order), 0 when they hold nothing.
pub fn value_hash(facts: &ProjectFacts, name: &str) -> u64 {
    let summary = facts.summaries.get(name);
    let global =
        crate::python::names::split_last(name).and_then(|(module, attr)| facts.modules.get(module)?.globals.get(attr));
    let class = facts.classes.get(name);
    if summary.is_none() && global.is_none() && class.is_none() {
        return 0;
    }
    let mut h = StableHasher::default();
    (summary.map(HeldSummary::hash), global).hash(&mut h);
    if let Some(class) = class {
        class_hash(class, &mut h);
        facts.mros.get(name).hash(&mut h);
    }
    h.finish() | 1
}

fn class_hash(class: &super::summary::ClassFacts, h: &mut StableHasher) {
    class.bases.hash(h);
    for set in [&class.methods, &class.static_methods, &class.class_methods] {
        let mut names: Vec<&String> = set.iter().collect();
        names.sort_unstable();
        names.hash(h);
    }
}

/// The memo during one project pass: what the last run kept for each file
/// the pass covers, the keys of this run, and what this run keeps.
pub struct PassMemo<'m> {
    store: &'m dyn Memo,
    old: Vec<Option<OldMemo>>,
    /// Each file's path, module and text.
    text_keys: Vec<u64>,
    /// Each file's text and the modules it sees.
    module_keys: Vec<u64>,
    /// The modules each file sees.
    seen: Vec<u64>,
    /// Functions whose earlier analysis answered (`super::fn_memo`).
    pub functions_answered: std::sync::atomic::AtomicUsize,
    /// The functions of each file's earlier analyses, decoded when an
    /// analysis of the file is made (`super::fn_memo`).
    old_functions: Vec<std::sync::OnceLock<OldFunctions>>,
    /// Each file's own functions (their summaries are the analysis's
    /// starting point).
    own: Vec<Vec<String>>,
    /// Each file's structure, when this run computed it.
    structures: Vec<Option<Structure>>,
    /// Each file's analyses in this run.
    analyses: Vec<Vec<Kept>>,
    /// Whether this run computed anything for the file (else it has
    /// nothing new to keep).
    computed: Vec<bool>,
    /// The hashes of project values asked for since they last changed.
    hashes: RwLock<FxHashMap<String, u64>>,
}

impl<'m> PassMemo<'m> {
    /// Loads the memo of the files the pass covers (`covered`), whose
    /// path, module and text `identity` gives.
    pub fn open(
        store: &'m dyn Memo,
        paths: &[&str],
        covered: &[bool],
        identity: &(dyn Fn(usize) -> Option<u64> + Sync),
    ) -> PassMemo<'m> {
        use rayon::prelude::*;
        let loaded: Vec<(Option<OldMemo>, u64)> = paths
            .par_iter()
            .enumerate()
            .map(|(i, path)| match (covered[i], identity(i)) {
                (true, Some(key)) => (store.load(path), key),
                _ => (None, 0),
            })
            .collect();
        let n = paths.len();
        let (old, text_keys) = loaded.into_iter().unzip();
        PassMemo {
            store,
            old,
            text_keys,
            module_keys: vec![0; n],
            seen: vec![0; n],
            functions_answered: Default::default(),
            old_functions: (0..n).map(|_| std::sync::OnceLock::new()).collect(),
            own: vec![Vec::new(); n],
            structures: vec![None; n],
            analyses: (0..n).map(|_| Vec::new()).collect(),
            computed: vec![false; n],
            hashes: RwLock::default(),
        }
    }

    /// File `i`'s structure, if the last run kept it for the same text.
    pub fn structure(&self, i: usize) -> Option<Structure> {
        self.old[i].as_ref().filter(|_| self.kept_structure(i))?.structure()
    }

    /// Whether the last run kept file `i`'s structure for the same text.
    fn kept_structure(&self, i: usize) -> bool {
        self.old[i]
            .as_ref()
            .is_some_and(|old| old.structure_key == Some(self.text_keys[i]))
    }

    /// Takes each covered file's structure (as the pass will use it) and
    /// keys each file on its text and the modules it sees (what it reads
    /// of them is each analysis's own record).
    pub fn set_structures(&mut self, structures: &[Option<Structure>], modules: &[&str], scope: &super::scope::Scope) {
        let mut columns: Vec<u64> = Vec::new();
        for (i, s) in structures.iter().enumerate() {
            let Some(s) = s else { continue };
            // A module the pass covers is imported: it has its own column.
            if let Some(c) = scope.column(modules[i]) {
                let c = c as usize;
                if columns.len() <= c {
                    columns.resize(c + 1, 0);
                }
                columns[c] = hash_of(modules[i]);
            }
            if !self.kept_structure(i) {
                self.computed[i] = true;
                self.structures[i] = Some(s.clone());
            }
            self.own[i] = s.functions.iter().map(|(name, _)| name.clone()).collect();
        }
        for (i, s) in structures.iter().enumerate() {
            if s.is_none() {
                continue;
            }
            let seen = scope.of(modules[i]).map_or(0u64, |sight| {
                sight.columns().fold(0u64, |sum, c| {
                    sum.wrapping_add(columns.get(c as usize).copied().unwrap_or(0))
                })
            });
            self.module_keys[i] = hash_of((self.text_keys[i], seen));
            self.seen[i] = seen;
        }
    }

    /// The key of an analysis of file `i` that the pass describes by
    /// `work` (0: every function), against `facts`.
    pub fn key(&self, i: usize, work: u64, facts: &ProjectFacts) -> u64 {
        let own: Vec<u64> = self.own[i].iter().map(|name| self.value_hash(facts, name)).collect();
        hash_of((self.module_keys[i], work, own))
    }

    /// The last run's analysis of file `i` with `key`, if every value it
    /// read is the same in `facts`: its place in that run's list, and its
    /// output (none if it cannot be decoded: the analysis is made again).
    pub fn find(&self, i: usize, key: u64, facts: &ProjectFacts) -> Option<(usize, ModuleOutput)> {
        let old = self.old[i].as_ref()?;
        let (at, entry) = old.analyses.iter().enumerate().find(|(_, e)| {
            e.key == key
                && old
                    .reads(e)
                    .all(|(name, hash)| name.is_some_and(|name| self.value_hash(facts, name) == hash))
        })?;
        Some((at, old.output(entry)?))
    }

    /// Which modules file `i` sees (a hash).
    pub fn seen(&self, i: usize) -> u64 {
        self.seen[i]
    }

    /// The functions of the last run's analyses of file `i`.
    pub fn old_functions(&self, i: usize) -> &OldFunctions {
        self.old_functions[i].get_or_init(|| {
            let old = self.old[i].as_ref();
            let entries = old.map_or(&[][..], |f| &f.analyses[..]);
            OldFunctions::new(entries.iter().filter_map(|e| old?.with_records(e)))
        })
    }

    /// The reads an analysis recorded, with their hashes in `facts` (the
    /// facts it ran against).
    pub fn reads_of(&self, output: &ModuleOutput, facts: &ProjectFacts) -> Vec<(String, u64)> {
        output
            .reads
            .iter()
            .map(|name| (name.clone(), self.value_hash(facts, name)))
            .collect()
    }

    /// [`value_hash`], remembered until [`PassMemo::changed`] says the
    /// value changed.
    pub fn value_hash(&self, facts: &ProjectFacts, name: &str) -> u64 {
        if let Some(&h) = self.hashes.read().ok().and_then(|m| m.get(name).copied()).as_ref() {
            return h;
        }
        let h = value_hash(facts, name);
        if let Ok(mut m) = self.hashes.write() {
            m.insert(name.to_string(), h);
        }
        h
    }

    /// The project values named in `changed` have new values.
    pub fn changed(&mut self, changed: &[String]) {
        if let Ok(m) = self.hashes.get_mut() {
            for name in changed {
                m.remove(name);
            }
        }
    }

    /// An analysis of file `i` this run made or found.
    pub fn record(&mut self, i: usize, kept: Kept) {
        self.computed[i] |= matches!(kept, Kept::New(_));
        self.analyses[i].push(kept);
    }

    /// How many analyses the memo answered, and how many the pass made.
    pub fn counts(&self) -> (usize, usize) {
        let all = self.analyses.iter().flatten();
        let made = all.clone().filter(|k| matches!(k, Kept::New(_))).count();
        (all.count() - made, made)
    }

    /// Keeps what this run computed, for the next: the memo of each file
    /// with something new, made of this run's structure and analyses.
    pub fn save(mut self, paths: &[&str]) {
        use rayon::prelude::*;
        let store = self.store;
        store.tree(paths);
        let analyses = std::mem::take(&mut self.analyses);
        let structures = std::mem::take(&mut self.structures);
        let this = &self;
        analyses
            .into_par_iter()
            .zip(structures)
            .enumerate()
            .filter(|(i, _)| this.computed[*i])
            .for_each(|(i, (kept, structure))| {
                let Some(structure) = structure.or_else(|| this.structure(i)) else {
                    return;
                };
                let old = this.old[i].as_ref();
                let file = MemoFile {
                    structure: Some((this.text_keys[i], structure)),
                    analyses: kept
                        .into_iter()
                        .filter_map(|k| match k {
                            Kept::Old(at) => old.and_then(|f| f.entry(f.analyses.get(at)?)),
                            Kept::New(entry) => Some(entry),
                        })
                        .collect(),
                };
                store.keep(paths[i], &file);
            });
        super::project::drop_later(std::mem::take(&mut self.old));
    }
}

/// An analysis the pass made: one the last run kept (its place in that
/// run's list), or a new one.
pub enum Kept {
    Old(usize),
    New(MemoEntry),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A memo whose entries do not decode is a cold memo, and nothing else
    /// would show it: an entry's output, encoded as one byte string, must
    /// come back whole, in the bytes serde's own sequence of `u8` gave.
    #[test]
    fn byte_strings_round_trip_in_the_bytes_a_sequence_gave() {
        let output: Vec<u8> = (0..=255u8).chain([0, 7, 255]).collect();
        let file = MemoFile {
            structure: None,
            analyses: vec![MemoEntry {
                key: 42,
                reads: vec![("pkg.images.convert".to_string(), 7)],
                output: output.clone(),
                records: Vec::new(),
            }],
        };
        let encoded = postcard::to_allocvec(&file).unwrap();
        let decoded: MemoFile = postcard::from_bytes(&encoded).unwrap();
        assert_eq!(decoded.analyses[0].output, output);
        let old = OldMemo::decode(encoded.clone()).unwrap();
        assert_eq!(old.bytes[old.analyses[0].output.clone()], output[..]);

        let entry = &file.analyses[0];
        let as_sequence = postcard::to_allocvec(&(entry.key, &entry.reads, &output, Vec::<u8>::new())).unwrap();
        assert_eq!(postcard::to_allocvec(entry).unwrap(), as_sequence);
    }

    /// The last run's memo, read in place, is what was kept: each entry's
    /// key, reads, output and records, and the same bytes once kept again.
    #[test]
    fn an_old_memo_reads_in_place_what_was_kept() {
        let entry = |key: u64, reads: &[(&str, u64)], output: &[u8], records: &[u8]| MemoEntry {
            key,
            reads: reads.iter().map(|(n, h)| (n.to_string(), *h)).collect(),
            output: output.to_vec(),
            records: records.to_vec(),
        };
        let file = MemoFile {
            structure: Some((9, Structure::default())),
            analyses: vec![
                entry(1, &[("pkg.a", 3), ("pkg.b.Class", 0)], b"out", b""),
                entry(2, &[], b"", b"records"),
            ],
        };
        let encoded = postcard::to_allocvec(&file).unwrap();
        let old = OldMemo::decode(encoded.clone()).unwrap();
        assert_eq!(old.structure_key, Some(9));
        assert!(old.structure().is_some(), "taken");
        assert!(old.structure().is_some(), "decoded again");
        let reads: Vec<(Option<&str>, u64)> = old.reads(&old.analyses[0]).collect();
        assert_eq!(reads, [(Some("pkg.a"), 3), (Some("pkg.b.Class"), 0)]);
        let again = MemoFile {
            structure: file.structure.clone(),
            analyses: old.analyses.iter().map(|e| old.entry(e).unwrap()).collect(),
        };
        assert_eq!(postcard::to_allocvec(&again).unwrap(), encoded);
        // Bytes cut short are no memo.
        assert!(OldMemo::decode(encoded[..encoded.len() - 1].to_vec()).is_none());
    }
}
