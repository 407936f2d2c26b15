//! The project pass: summaries and findings for every function of the
//! scanned tree, computed in rounds until the summaries stop changing.
//!
//! Round 0 reads the structure of every file (classes, bases, parameters).
//! Round 1 analyses every function; each later round analyses again only
//! the functions that used a summary or module-level value that changed in
//! the round before. Texts and trees come from the caller's
//! [`ModuleSources`], which keeps them between rounds as it sees fit. Files are
//! analysed in parallel against the previous round's facts, so the result
//! does not depend on the thread count.
//!
//! A chain of calls N functions deep needs about N rounds; the pass stops
//! after [`MAX_ROUNDS`] even if something still changes, and says so in
//! [`ProjectFacts::converged`]. Recursion converges: a summary only records
//! which parameters reach which sinks and the return value, a finite set.
//!
//! A function's findings are those of its last analysis, made with the
//! summaries it used, which by then are final: the review reports them
//! without analysing again. Modules that no other module imports are left
//! out of the pass ([`ProjectFacts::alone`]): nothing can call them, and the
//! review analyses each once with the final facts.
//!
//! This module does no I/O: the caller passes the texts and trees.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::analyze::{self, ModuleInput, Work};
use super::fn_memo::FnMemo;
use super::fxhash::FxHashSet;
use super::held_summary::HeldSummary;
use super::levels;
use super::memo::{self, Kept, Memo, MemoEntry, PassMemo};
use super::models::Models;
use super::modules;
use super::scope::{self, Scope};
use super::summary::{ModuleFacts, ProjectFacts};
use crate::python::{self, names};

/// Rounds of the imported modules, at most (the first in import order).
pub const MAX_ROUNDS: usize = 12;

/// A file of the project: its shown path and module name.
#[derive(Debug, Clone)]
pub struct FileEntry {
    pub path: String,
    pub module: String,
    pub is_package: bool,
}

/// What the pass remembers of a file between rounds: for each function
/// analysed, the project names it used and the batch it was analysed in.
#[derive(Default)]
struct FileState {
    functions: Vec<Analysed>,
    /// Where each name is in `functions` (a module of hundreds of
    /// functions was searched from the start for each).
    index: super::fxhash::FxHashMap<String, usize>,
}

impl FileState {
    /// Records that `name` was analysed in `batch`, having used `deps`.
    fn analysed(&mut self, name: String, deps: Vec<(String, u32)>, batch: u32) {
        match self.index.get(&name) {
            Some(&at) => {
                let entry = &mut self.functions[at];
                entry.1 = deps;
                entry.2 = batch;
            }
            None => {
                self.index.insert(name.clone(), self.functions.len());
                self.functions.push((name, deps, batch));
            }
        }
    }
}

/// A function (or a module's top level), the names it used with the batch
/// of the version it saw, and the batch it was analysed in.
type Analysed = (String, Vec<(String, u32)>, u32);

/// When facts last changed. Batches of files are analysed against the facts
/// as they were when the batch began, and numbered from 1; a function must
/// be analysed again when something it used changed after the version it
/// saw (a version of its own module's functions seen in its own pass is the
/// one merged with it).
#[derive(Default)]
struct Epochs {
    /// Summaries and module-level values, by qualified name.
    keys: super::fxhash::FxHashMap<String, u32>,
    /// Modules whose own top-level values changed (they are read without
    /// being recorded as used).
    modules: super::fxhash::FxHashMap<String, u32>,
}

impl Epochs {
    fn stale(&self, module: &str, deps: &[(String, u32)], analysed: u32) -> bool {
        self.modules.get(module).is_some_and(|&e| e > analysed)
            || deps
                .iter()
                .any(|(d, seen)| self.keys.get(d).is_some_and(|&e| e > *seen))
    }
}

/// Where the pass gets each file's text and tree. The caller reads and
/// parses, and decides what to keep between rounds: the pass does no I/O.
pub trait ModuleSources: Sync {
    /// The text of file `i`, or `None` if it cannot be read (the file is
    /// then skipped).
    fn text(&self, i: usize) -> Option<&str>;
    /// The key of file `i`'s text (`cache::Key::of_text`).
    fn text_key(&self, i: usize) -> Option<crate::cache::Key> {
        self.text(i).map(crate::cache::Key::of_text)
    }
    /// The tree of file `i`'s text.
    fn parsed(&self, i: usize) -> Option<Arc<python::ParsedModule>>;
    /// The length of file `i`'s text (0 if it cannot be read).
    fn size(&self, i: usize) -> usize {
        self.text(i).map_or(0, str::len)
    }
    /// The dotted names file `i` imports, as module `module`
    /// ([`modules::scan_imports`]).
    fn imports(&self, i: usize, module: &str, is_package: bool) -> Vec<String> {
        self.text(i)
            .map_or_else(Vec::new, |text| modules::scan_imports(text, module, is_package))
    }
}

/// Texts held in memory, parsed whenever asked (tests, fuzzing).
pub struct Texts<'t>(pub &'t [String]);

impl ModuleSources for Texts<'_> {
    fn text(&self, i: usize) -> Option<&str> {
        self.0.get(i).map(String::as_str)
    }

    fn parsed(&self, i: usize) -> Option<Arc<python::ParsedModule>> {
        self.text(i).map(|t| Arc::new(python::parse(t)))
    }
}

/// Computes the facts of a project whose files `sources` holds, in the
/// order of `files`; `selected` says which rules (by id) the review reports.
/// With `reported`, the review reports on those files only (a change
/// review): the pass analyses them and what they import, directly or not,
/// and leaves the rest out. Since a module sees nothing but its imports
/// ([`super::scope`]), their facts are those of the whole pass.
pub fn build(
    files: &[FileEntry],
    sources: &dyn ModuleSources,
    models: &Models,
    selected: &dyn Fn(&str) -> bool,
    prove: &dyn Fn(&str) -> bool,
    reported: Option<&[bool]>,
    memo: Option<&dyn Memo>,
) -> ProjectFacts {
    let debug = std::env::var_os("VIGIL_FLOW_DEBUG").is_some();
    let started = std::time::Instant::now();
    let mut facts = ProjectFacts::default();
    for (bit, rule) in models.rules.iter().enumerate() {
        if !selected(rule) {
            facts.rules_off |= 1 << bit;
        } else if prove(rule) {
            facts.prove |= 1 << bit;
        }
    }
    for f in files {
        facts.module_of_path.insert(f.path.clone(), f.module.clone());
        facts.modules.entry(f.module.clone()).or_insert_with(|| ModuleFacts {
            is_package: f.is_package,
            ..ModuleFacts::default()
        });
    }

    // Which modules import which, from each file's import lines. Modules no
    // other module imports (tests, entry points, scripts) cannot be called
    // from elsewhere: the project pass leaves them out, and the review
    // analyses each on its own with the final facts. The others are
    // analysed first in import order, dependencies first.
    let imported: Vec<Vec<String>> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| sources.imports(i, &f.module, f.is_package))
        .collect();
    let imports = import_graph(files, &imported);
    drop(imported);
    let mut leaf = vec![true; files.len()];
    for (i, deps) in imports.iter().enumerate() {
        for &d in deps {
            if d != i {
                leaf[d] = false;
            }
        }
    }
    for (f, &alone) in files.iter().zip(&leaf) {
        if alone {
            facts.alone.insert(f.path.clone());
        }
    }
    let sccs = strongly_connected(&imports);
    // What the pass leaves out: modules nothing imports (the review
    // analyses them), and modules the reported files do not import.
    let needed = reported.map(|r| closure(&imports, r));
    let skip: Vec<bool> = (0..files.len())
        .map(|i| leaf[i] || needed.as_ref().is_some_and(|n| !n[i]))
        .collect();
    let sizes: Vec<usize> = (0..files.len()).map(|i| sources.size(i)).collect();
    let levels = levels::import_levels(&imports, &sccs, &skip, &sizes);
    let names: Vec<&str> = files.iter().map(|f| f.module.as_str()).collect();
    let imported_by_others: Vec<bool> = leaf.iter().map(|l| !l).collect();
    facts.scope = Scope::new(&names, &imports, &sccs, &imported_by_others);
    if debug {
        eprintln!("vigil: flow: imports scanned, {:?}", started.elapsed());
        let mut sizes: Vec<usize> = sccs.iter().map(Vec::len).filter(|n| *n > 1).collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        eprintln!("vigil: flow: import cycles of sizes {sizes:?}");
    }

    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let covered: Vec<bool> = skip.iter().map(|s| !s).collect();
    let identity = |i: usize| {
        let f = &files[i];
        Some(memo::hash_of((&f.path, &f.module, f.is_package, sources.text_key(i)?)))
    };
    let mut memo = memo.map(|store| PassMemo::open(store, &paths, &covered, &identity));
    facts.recording = memo.is_some();
    let structure_of = |i: usize| {
        if skip[i] {
            return None;
        }
        if let Some(kept) = memo.as_ref().and_then(|m| m.structure(i)) {
            return Some(kept);
        }
        let (text, parsed) = (sources.text(i)?, sources.parsed(i)?);
        Some(analyze::structure(&input(&files[i], &parsed, text), models))
    };
    let structures: Vec<Option<analyze::Structure>> = in_index_order(
        largest_first(0..files.len(), &sizes)
            .par_iter()
            .with_max_len(1)
            .map(|&i| (i, structure_of(i)))
            .collect(),
    );
    if let Some(m) = &mut memo {
        m.set_structures(&structures, &names, &facts.scope);
    }
    for s in structures.into_iter().flatten() {
        for (name, class) in s.classes {
            facts.classes.insert(name, class);
        }
        for (name, summary) in s.functions {
            facts.summaries.insert(name, HeldSummary::new(summary));
        }
    }
    facts.compute_mros();
    if debug {
        eprintln!("vigil: flow: structure read, {:?}", started.elapsed());
    }

    let mut states: Vec<FileState> = files.iter().map(|_| FileState::default()).collect();
    let mut epochs = Epochs::default();
    let mut batch: u32 = 0;
    facts.converged = false;
    for level in &levels {
        batch += 1;
        let level_started = std::time::Instant::now();
        // With VIGIL_FLOW_DEBUG, the level's slowest module (a level waits
        // for it while the other cores have nothing left to do) and the
        // time of all its analyses.
        let slowest = std::sync::Mutex::new((std::time::Duration::ZERO, 0, std::time::Duration::ZERO));
        let mut outputs: Vec<_> = largest_first(level.iter().copied(), &sizes)
            .par_iter()
            .with_max_len(1)
            .filter_map(|&i| {
                let analyse = |parsed: &python::ParsedModule, text: &str, memo: Option<&FnMemo>| {
                    analyze::analyze(
                        &input(&files[i], parsed, text),
                        &facts,
                        models,
                        &Work::all(),
                        LOCAL_ROUNDS,
                        memo,
                    )
                };
                let started = debug.then(std::time::Instant::now);
                let output = remembered(memo.as_ref(), i, 0, &facts, sources, &analyse);
                if let Some(took) = started.map(|s| s.elapsed())
                    && let Ok(mut slowest) = slowest.lock()
                {
                    slowest.2 += took;
                    if took > slowest.0 {
                        (slowest.0, slowest.1) = (took, i);
                    }
                }
                Some((i, output?))
            })
            .collect();
        outputs.sort_unstable_by_key(|&(i, _)| i);
        let analysed = level_started.elapsed();
        let pass = Pass {
            facts: &mut facts,
            states: &mut states,
            epochs: &mut epochs,
            memo: &mut memo,
        };
        pass.take(batch, files, outputs);
        if debug && let Ok((took, i, busy)) = slowest.into_inner() {
            eprintln!(
                "vigil: flow: level {batch}: {} modules in {analysed:?} (analyses {busy:?}), merged in {:?}; slowest {} in {took:?}",
                level.len(),
                level_started.elapsed() - analysed,
                files[i].path
            );
        }
    }
    if debug {
        eprintln!(
            "vigil: flow: round 1: {} modules in {} import levels, {} left for the end, {:?}",
            levels.iter().map(Vec::len).sum::<usize>(),
            levels.len(),
            leaf.iter().filter(|l| **l).count(),
            started.elapsed()
        );
    }

    for round in 2..=MAX_ROUNDS + 1 {
        facts.rounds = round - 1;
        // Which functions each file must analyse again.
        let work: Vec<Option<FxHashSet<String>>> = states
            .par_iter()
            .zip(files)
            .enumerate()
            .map(|(i, (state, f))| {
                if leaf[i] {
                    return None;
                }
                let again: FxHashSet<String> = state
                    .functions
                    .iter()
                    .filter(|(_, deps, at)| epochs.stale(&f.module, deps, *at))
                    .map(|(q, _, _)| q.clone())
                    .collect();
                (!again.is_empty()).then_some(again)
            })
            .collect();
        if work.iter().all(Option::is_none) {
            facts.converged = true;
            break;
        }
        if round > MAX_ROUNDS {
            break;
        }
        batch += 1;
        let mut outputs: Vec<_> = largest_first((0..files.len()).filter(|&i| work[i].is_some()), &sizes)
            .par_iter()
            .with_max_len(1)
            .filter_map(|&i| {
                let (f, only) = (&files[i], work[i].as_ref()?);
                let first = |q: &str| only.contains(q);
                let state = &states[i];
                let uses = |q: &str, changed: &FxHashSet<String>| {
                    state.index.get(q).is_some_and(|&at| {
                        let (_, deps, _) = &state.functions[at];
                        deps.iter().any(|(d, _)| changed.contains(d))
                    })
                };
                let work = Work {
                    first: &first,
                    uses: &uses,
                };
                let analyse = |parsed: &python::ParsedModule, text: &str, memo: Option<&FnMemo>| {
                    analyze::analyze(&input(f, parsed, text), &facts, models, &work, LOCAL_ROUNDS, memo)
                };
                // What the pass asks of the analysis: the functions to
                // analyse, and the names each function used last time.
                let asked = memo.as_ref().map_or(0, |_| {
                    let mut only: Vec<&String> = only.iter().collect();
                    only.sort_unstable();
                    let used: Vec<(&String, Vec<&String>)> = state
                        .functions
                        .iter()
                        .map(|(name, deps, _)| (name, deps.iter().map(|(d, _)| d).collect()))
                        .collect();
                    memo::hash_of((only, used)) | 1
                });
                Some((i, remembered(memo.as_ref(), i, asked, &facts, sources, &analyse)?))
            })
            .collect();
        outputs.sort_unstable_by_key(|&(i, _)| i);
        let analysed = outputs.len();
        let pass = Pass {
            facts: &mut facts,
            states: &mut states,
            epochs: &mut epochs,
            memo: &mut memo,
        };
        let changed = pass.take(batch, files, outputs);
        if debug {
            eprintln!(
                "vigil: flow: round {round}: {analysed} files analysed, {changed} facts changed, {:?}",
                started.elapsed()
            );
        }
    }

    // Only the pass's analyses are remembered.
    facts.recording = false;
    if let Some(m) = memo {
        let (answered, made) = m.counts();
        let functions = m.functions_answered.load(std::sync::atomic::Ordering::Relaxed);
        m.save(&paths);
        if debug {
            eprintln!(
                "vigil: flow: {answered} analyses from the memo, {made} made ({functions} functions of them \
                 from earlier analyses); memo kept, {:?}",
                started.elapsed()
            );
        }
    }
    facts.findings.retain(|_, f| !f.is_empty());
    facts.triggers = Some(analyze::Triggers::new(models, &facts));
    facts.giving = analyze::Triggers::giving(models, &facts);
    // What the rounds used is freed beside the review, not before it.
    drop_later((states, epochs, levels));
    facts
}

/// `items` largest first by `sizes` (their texts' lengths), ties in index
/// order. A parallel batch waits for its slowest item: started first, the
/// largest module is no longer left to run alone at the end of a batch
/// while the other workers idle. The batches iterate it one item per task
/// (`with_max_len(1)`): rayon would otherwise split it into as many runs as
/// there are workers, and the first run would hold the largest items of
/// all. Only the order of the work changes: results are put back in index
/// order ([`in_index_order`]).
pub fn largest_first(items: impl IntoIterator<Item = usize>, sizes: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = items.into_iter().collect();
    order.sort_unstable_by_key(|&i| (std::cmp::Reverse(sizes[i]), i));
    order
}

/// The results of work done in another order, by their indices.
pub fn in_index_order<T>(mut done: Vec<(usize, T)>) -> Vec<T> {
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, result)| result).collect()
}

/// Frees `value` on a worker thread, beside what runs next: the pass's
/// bookkeeping is many small strings and maps, freed one by one.
pub fn drop_later<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

/// An analysis's output, with the memo's entry for it (and whether this run
/// computed it) when there is a memo.
type Remembered = (analyze::ModuleOutput, Option<Kept>);

/// An analysis of file `i` (`analyse` on its tree and text), or the memo's
/// answer for it when it has one; with a memo, the entry this run keeps.
/// `asked` describes what the pass asks of the analysis. An analysis made
/// with a memo keeps its functions' analyses, and takes those of the
/// module's earlier analyses that still hold (`super::fn_memo`).
fn remembered(
    memo: Option<&PassMemo>,
    i: usize,
    asked: u64,
    facts: &ProjectFacts,
    sources: &dyn ModuleSources,
    analyse: &dyn Fn(&python::ParsedModule, &str, Option<&FnMemo>) -> analyze::ModuleOutput,
) -> Option<Remembered> {
    let key = memo.map(|m| m.key(i, asked, facts));
    if let (Some(m), Some(key)) = (memo, key)
        && let Some((at, output)) = m.find(i, key, facts)
    {
        return Some((output, Some(Kept::Old(at))));
    }
    let (text, parsed) = (sources.text(i)?, sources.parsed(i)?);
    let facts_hash = |name: &str| memo.map_or(0, |m| m.value_hash(facts, name));
    // Every module keeps its functions' records, the first edit of a module
    // included: filling an empty cache of nova costs about 3% more instructions
    // for them, and a change of 80 modules reviewed from it 20% fewer (when
    // only modules the last run had a memo of, or of 64 KB and more, kept
    // them, a function added to each of 80 modules had 915 functions of
    // those modules analysed again).
    let functions = memo.map(|m| FnMemo {
        old: m.old_functions(i),
        seen: m.seen(i),
        facts_hash: &facts_hash,
        answered: &m.functions_answered,
    });
    let mut out = analyse(&parsed, text, functions.as_ref());
    let entry = memo
        .zip(key)
        .and_then(|(m, key)| MemoEntry::new(key, m.reads_of(&out, facts), &mut out))
        .map(Kept::New);
    Some((out, entry))
}

/// What a batch's outputs go into.
struct Pass<'p, 'm> {
    facts: &'p mut ProjectFacts,
    states: &'p mut [FileState],
    epochs: &'p mut Epochs,
    memo: &'p mut Option<PassMemo<'m>>,
}

impl Pass<'_, '_> {
    /// Takes a batch's outputs (in file order): the memo keeps its entries,
    /// the facts take the outputs, and the memo forgets the hashes of what
    /// changed. Returns how many facts changed.
    fn take(self, batch: u32, files: &[FileEntry], outputs: Vec<(usize, Remembered)>) -> usize {
        let outputs = outputs
            .into_iter()
            .map(|(i, (out, entry))| {
                if let (Some(m), Some(kept)) = (self.memo.as_mut(), entry) {
                    m.record(i, kept);
                }
                (i, out)
            })
            .collect();
        let changed = merge(self.facts, self.states, self.epochs, batch, files, outputs);
        if let Some(m) = self.memo.as_mut() {
            m.changed(&changed);
        }
        changed.len()
    }
}

/// A module analysed on its own runs its functions this many times at most,
/// for calls between them.
pub const ALONE_ROUNDS: usize = 4;

/// In the project pass, a module's functions are analysed again this many
/// times at most when calls between them change their summaries.
const LOCAL_ROUNDS: usize = 4;

/// Takes a batch's outputs into the facts; returns the project names
/// (summaries and module-level values) whose facts changed.
fn merge(
    facts: &mut ProjectFacts,
    states: &mut [FileState],
    epochs: &mut Epochs,
    batch: u32,
    files: &[FileEntry],
    outputs: Vec<(usize, analyze::ModuleOutput)>,
) -> Vec<String> {
    let mut changed = Vec::new();
    // What each function saw: the project's version as of the batch start,
    // or, for its own module's functions analysed just before it, this one.
    let seen = |deps: Vec<(String, bool)>, epochs: &Epochs| -> Vec<(String, u32)> {
        deps.into_iter()
            .map(|(k, local)| {
                let at = if local {
                    batch
                } else {
                    epochs.keys.get(&k).copied().unwrap_or(0).min(batch - 1)
                };
                (k, at)
            })
            .collect()
    };
    for (i, out) in outputs {
        let f = &files[i];
        let state = &mut states[i];
        let findings = facts.findings.entry(f.path.clone()).or_default();
        for func in out.functions {
            let same = facts
                .summaries
                .get(&func.qualname)
                .is_some_and(|old| old.same_as(&func.summary));
            if !same {
                changed.push(func.qualname.clone());
                epochs.keys.insert(func.qualname.clone(), batch);
                facts.summaries.insert(func.qualname.clone(), func.summary);
            }
            set_findings(findings, &func.qualname, func.findings);
            let deps = seen(func.deps, epochs);
            state.analysed(func.qualname, deps, batch);
        }
        set_findings(findings, &f.module, out.top_findings);
        // The top level runs whenever the file is analysed; it is recorded
        // like a function named after the module.
        let deps = seen(out.top_deps, epochs);
        state.analysed(f.module.clone(), deps, batch);
        let entry = facts.modules.entry(f.module.clone()).or_default();
        for (name, fact) in out.globals {
            let same = entry
                .globals
                .get(&name)
                .is_some_and(|old| analyze::same_global(old, &fact));
            if !same {
                let key = names::join(&f.module, &name);
                changed.push(key.clone());
                epochs.keys.insert(key, batch);
                epochs.modules.insert(f.module.clone(), batch);
                entry.globals.insert(name, fact);
            }
        }
    }
    changed
}

/// For each file, the files of the project it imports.
fn import_graph(files: &[FileEntry], imported: &[Vec<String>]) -> Vec<Vec<usize>> {
    let mut by_module: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, f) in files.iter().enumerate() {
        by_module.entry(f.module.as_str()).or_insert(i);
    }
    imported
        .iter()
        .enumerate()
        .map(|(i, names)| {
            let mut out: Vec<usize> = Vec::new();
            for name in names {
                // The longest prefix of the name that is a module of the
                // project (`a.b.func` is in module `a.b`).
                if let Some(j) = scope::enclosing(name).find_map(|m| by_module.get(m).copied())
                    && j != i
                    && !out.contains(&j)
                {
                    out.push(j);
                }
            }
            out.sort_unstable();
            out
        })
        .collect()
}

/// The files marked in `from` and every file they import, directly or not.
fn closure(imports: &[Vec<usize>], from: &[bool]) -> Vec<bool> {
    let mut seen = from.to_vec();
    let mut todo: Vec<usize> = (0..imports.len()).filter(|&i| seen[i]).collect();
    while let Some(i) = todo.pop() {
        for &d in &imports[i] {
            if !seen[d] {
                seen[d] = true;
                todo.push(d);
            }
        }
    }
    seen
}

/// Tarjan's strongly connected components, iteratively; components come
/// out in reverse topological order of the graph (dependencies first).
fn strongly_connected(graph: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = graph[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(component);
            }
        }
    }
    out
}

fn set_findings(
    store: &mut BTreeMap<String, Vec<analyze::TaintFinding>>,
    key: &str,
    found: Vec<analyze::TaintFinding>,
) {
    if found.is_empty() {
        store.remove(key);
    } else {
        store.insert(key.to_string(), found);
    }
}

fn input<'a>(f: &'a FileEntry, parsed: &'a python::ParsedModule, text: &'a str) -> ModuleInput<'a> {
    ModuleInput {
        parsed,
        text,
        module: &f.module,
        path: &f.path,
        is_package: f.is_package,
    }
}

/// The findings of one file, in order.
pub fn findings_of<'f>(facts: &'f ProjectFacts, path: &str) -> Vec<&'f analyze::TaintFinding> {
    let mut out: Vec<&analyze::TaintFinding> = facts
        .findings
        .get(path)
        .into_iter()
        .flat_map(|m| m.values().flatten())
        .collect();
    out.sort_by(|a, b| (a.range.start(), &a.rule, &a.message).cmp(&(b.range.start(), &b.rule, &b.message)));
    out.dedup_by(|a, b| a.range == b.range && a.rule == b.rule);
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_goes_largest_first_and_comes_back_in_order() {
        let sizes = [10, 300, 10, 50];
        let order = largest_first([0, 1, 2, 3], &sizes);
        assert_eq!(order, [1, 3, 0, 2]);
        let done: Vec<(usize, char)> = order.iter().map(|&i| (i, (b'a' + i as u8) as char)).collect();
        assert_eq!(in_index_order(done), ['a', 'b', 'c', 'd']);
    }

    #[test]
    fn components_come_dependencies_first() {
        // 0 -> 1 -> 2 -> 1, 3 -> 0
        let graph = vec![vec![1], vec![2], vec![1], vec![0]];
        let sccs = strongly_connected(&graph);
        let mut sorted: Vec<Vec<usize>> = sccs
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.sort();
                c
            })
            .collect();
        assert_eq!(sorted.remove(0), vec![1, 2]);
        assert_eq!(sorted, vec![vec![0], vec![3]]);
    }
}
