//! One module: its structure (functions, classes, bases), and the analysis
//! of its top level and every function, giving summaries and findings.
//!
//! Neighbours: `project.rs` calls [`structure`] once per file, then
//! [`analyze`] in rounds to compute summaries and findings, which the taint
//! rules then report per file. `interp/` runs the functions.

use super::fxhash::FxHashMap as HashMap;
use crate::python::names::last_segment;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use ruff_python_ast::{Decorator, Expr, Parameters, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::TextRange;
use serde::{Deserialize, Serialize};

use super::fn_memo::{self, FnMemo, FnReads, FnRecord, Hashes, Names};
use super::fxhash::{FxHashMap, FxHashSet};
use super::held_summary::HeldSummary;
use super::interp::{Env, FuncInfo, Interp, ModuleCx, RawFinding};
use super::models::{Kind, Match, ModelRow, Models, Scope};
use super::summary::{
    ClassFacts, GlobalFact, ParamInfo, ParamKind, ParamPath, ParamSink, ProjectFacts, ReturnFlow, SourceFlow, SumConst,
    SumItems, SumValue, Summary,
};
use super::value::{Const, Flow, Items, Loc, Name, Origin, Taint, Value};
use crate::python::ParsedModule;
use crate::python::names;

/// The file being analysed.
pub struct ModuleInput<'a> {
    pub parsed: &'a ParsedModule,
    pub text: &'a str,
    /// Its dotted module name (`nova.virt.images`).
    pub module: &'a str,
    /// The path shown to the user (used in paths that cross files).
    pub path: &'a str,
    /// True for a package's `__init__.py`.
    pub is_package: bool,
}

/// What the structure pass learns: classes and the functions' parameters.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Structure {
    pub classes: Vec<(String, ClassFacts)>,
    pub functions: Vec<(String, Summary)>,
}

/// A taint defect, in the file analysed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaintFinding {
    pub rule: String,
    pub range: TextRange,
    pub message: String,
    pub severity: Option<String>,
    /// From the source to the sink; a step in another file is anchored at
    /// the last step here and names its file and line.
    pub steps: Vec<(TextRange, String)>,
    /// Not a defect: a proof that only constants reach this sink (message
    /// and steps are empty). Pattern rules on the same call use it.
    pub only_constants: bool,
}

/// What analysing one function gives.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FunctionOutput {
    pub qualname: String,
    pub summary: HeldSummary,
    /// Defects found in the function with the summaries it saw.
    pub findings: Vec<TaintFinding>,
    /// Project names (functions, module-level values) its analysis used,
    /// each with whether the version used was this pass's own.
    pub deps: Vec<(String, bool)>,
    /// What the analysis depended on, when it is kept for a later run
    /// (`super::fn_memo`).
    pub record: Option<FnRecord>,
}

/// What analysing a module gives.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct ModuleOutput {
    /// The functions analysed (all, or those asked for).
    pub functions: Vec<FunctionOutput>,
    /// The module's top level: its findings, its values and what it used.
    pub top_findings: Vec<TaintFinding>,
    pub globals: HashMap<String, GlobalFact>,
    pub top_deps: Vec<(String, bool)>,
    /// The project names (summaries, module-level values, classes) the
    /// analysis looked up in the facts, found or not, when the facts say
    /// to record them: what a memo of it depends on (`memo`).
    pub reads: Vec<String>,
    /// The names the functions' records refer to (`super::fn_memo::Names`).
    pub names: Vec<String>,
    /// Earlier analyses of functions analysed more than once (their last
    /// is in `functions`), when kept for a later run (`super::fn_memo`).
    pub earlier: Vec<FunctionOutput>,
    /// Statements the interpreter executed (the top level's and every
    /// function's, every pass of every loop): the work done, in a unit
    /// that does not depend on the machine.
    pub steps: u64,
}

/// A function found in the module, with where it sits.
struct FuncSite<'a> {
    qualname: String,
    def: &'a StmtFunctionDef,
    class: Option<String>,
    is_static: bool,
    is_classmethod: bool,
}

fn collect_functions<'a>(body: &'a [Stmt], prefix: &str, class: Option<&str>, out: &mut Vec<FuncSite<'a>>) {
    for stmt in body {
        match stmt {
            Stmt::FunctionDef(f) => {
                let qualname = names::join(prefix, f.name.as_str());
                let names: Vec<String> = f.decorator_list.iter().filter_map(decorator_text).collect();
                out.push(FuncSite {
                    qualname: qualname.clone(),
                    def: f,
                    class: class.map(str::to_string),
                    is_static: names.iter().any(|n| n == "staticmethod"),
                    is_classmethod: names.iter().any(|n| n == "classmethod"),
                });
                collect_functions(&f.body, &qualname, None, out);
            }
            Stmt::ClassDef(c) => {
                let qualname = names::join(prefix, c.name.as_str());
                collect_functions(&c.body, &qualname, Some(&qualname), out);
            }
            Stmt::If(s) => {
                collect_functions(&s.body, prefix, class, out);
                for clause in &s.elif_else_clauses {
                    collect_functions(&clause.body, prefix, class, out);
                }
            }
            Stmt::Try(s) => {
                collect_functions(&s.body, prefix, class, out);
                collect_functions(&s.orelse, prefix, class, out);
                collect_functions(&s.finalbody, prefix, class, out);
            }
            _ => {}
        }
    }
}

fn collect_classes<'a>(body: &'a [Stmt], prefix: &str, out: &mut Vec<(String, &'a StmtClassDef)>) {
    for stmt in body {
        match stmt {
            Stmt::ClassDef(c) => {
                let qualname = names::join(prefix, c.name.as_str());
                out.push((qualname.clone(), c));
                collect_classes(&c.body, &qualname, out);
            }
            Stmt::FunctionDef(f) => collect_classes(&f.body, &names::join(prefix, f.name.as_str()), out),
            Stmt::If(s) => {
                collect_classes(&s.body, prefix, out);
                for clause in &s.elif_else_clauses {
                    collect_classes(&clause.body, prefix, out);
                }
            }
            Stmt::Try(s) => {
                collect_classes(&s.body, prefix, out);
                collect_classes(&s.orelse, prefix, out);
            }
            _ => {}
        }
    }
}

/// The dotted text of a decorator (without its call arguments).
fn decorator_text(d: &Decorator) -> Option<String> {
    let expr = match &d.expression {
        Expr::Call(c) => &*c.func,
        other => other,
    };
    crate::python::names::dotted(expr)
}

fn params_of(p: &Parameters) -> Vec<ParamInfo> {
    let mut out = Vec::new();
    for a in p.posonlyargs.iter().chain(p.args.iter()) {
        out.push(ParamInfo {
            name: a.name().to_string(),
            kind: ParamKind::Positional,
        });
    }
    if let Some(v) = &p.vararg {
        out.push(ParamInfo {
            name: v.name.to_string(),
            kind: ParamKind::VarArgs,
        });
    }
    for a in &p.kwonlyargs {
        out.push(ParamInfo {
            name: a.name().to_string(),
            kind: ParamKind::KeywordOnly,
        });
    }
    if let Some(k) = &p.kwarg {
        out.push(ParamInfo {
            name: k.name.to_string(),
            kind: ParamKind::KwArgs,
        });
    }
    out
}

fn module_cx<'a>(input: &ModuleInput<'a>, models: &'a Models, facts: &'a ProjectFacts) -> ModuleCx<'a> {
    ModuleCx {
        models,
        facts,
        local: RefCell::new(Default::default()),
        module: input.module,
        is_package: input.is_package,
        file: Arc::from(input.path),
        text: input.text,
        lines: &input.parsed.lines,
        globals: RefCell::new(Default::default()),
        deps: RefCell::new(Default::default()),
        local_versions: RefCell::new(Default::default()),
        own_classes: Default::default(),
        own_mros: Default::default(),
        sight: facts.scope.of(input.module),
        reads: RefCell::new(Default::default()),
        fn_reads: RefCell::new(None),
        rules_on: !facts.rules_off,
        steps: Cell::new(0),
    }
}

/// Runs the module's top level; its variables become the globals.
fn run_top_level<'a>(cx: &ModuleCx<'a>, body: &'a [Stmt]) -> Vec<RawFinding> {
    let info = FuncInfo {
        qualname: cx.module.to_string(),
        def: None,
        class: None,
        return_sinks: Vec::new(),
        context: None,
    };
    let mut interp = Interp::new(cx, info, Env::new());
    interp.run(body);
    let vars = std::mem::take(&mut interp.env.vars);
    let findings = interp.take_findings();
    drop(interp);
    *cx.globals.borrow_mut() = vars;
    findings
}

/// The structure pass: classes with their resolved bases, and every
/// function with its parameters (and an empty summary).
pub fn structure(input: &ModuleInput, models: &Models) -> Structure {
    let empty = ProjectFacts::default();
    let cx = module_cx(input, models, &empty);
    let body = &input.parsed.parsed.syntax().body;
    run_top_level(&cx, body);
    let mut out = Structure::default();
    let mut classes = Vec::new();
    collect_classes(body, input.module, &mut classes);
    for (qualname, c) in classes {
        let mut facts = ClassFacts::default();
        if let Some(args) = &c.arguments {
            for base in args.args.iter() {
                if let Some(name) = resolve_static(&cx, base) {
                    facts.bases.push(name);
                }
            }
        }
        for stmt in &c.body {
            if let Stmt::FunctionDef(f) = stmt {
                let name = f.name.to_string();
                let decorators: Vec<String> = f.decorator_list.iter().filter_map(decorator_text).collect();
                if decorators.iter().any(|d| d == "staticmethod") {
                    facts.static_methods.insert(name.clone());
                }
                if decorators.iter().any(|d| d == "classmethod") {
                    facts.class_methods.insert(name.clone());
                }
                facts.methods.insert(name);
            }
        }
        out.classes.push((qualname, facts));
    }
    let mut functions = Vec::new();
    collect_functions(body, input.module, None, &mut functions);
    for f in functions {
        out.functions.push((
            f.qualname,
            Summary {
                params: params_of(&f.def.parameters),
                bound: f.class.is_some() && !f.is_static,
                ..Summary::default()
            },
        ));
    }
    out
}

/// The qualified name an expression refers to, from the module's globals.
fn resolve_static(cx: &ModuleCx, expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(n) => Some(match cx.global(n.id.as_str()).and_then(|v| v.refers) {
            Some(r) => r.to_string(),
            None => n.id.to_string(),
        }),
        Expr::Attribute(a) => Some(names::join(&resolve_static(cx, &a.value)?, a.attr.as_str())),
        Expr::Call(c) => resolve_static(cx, &c.func),
        _ => None,
    }
}

/// A name a function's analysis used, with the version of this pass's own
/// summary it saw (`None`: the project's).
pub(super) type Seen = (String, Option<u32>);

/// Which functions of a module to analyse.
pub struct Work<'w> {
    /// Those analysed first, in source order.
    pub first: &'w dyn Fn(&str) -> bool,
    /// Whether a function not analysed in this pass used one of the
    /// module's functions whose summaries just changed (then it is analysed
    /// too, in the next local round).
    pub uses: &'w dyn Fn(&str, &FxHashSet<String>) -> bool,
}

impl Work<'_> {
    pub fn all() -> Work<'static> {
        Work {
            first: &|_| true,
            uses: &|_, _| false,
        }
    }
}

/// Analyses a module: its top level, then the functions `work` names, in
/// source order. A function's summary is visible to the functions analysed
/// after it. While summaries change, the functions that used an older
/// version are analysed again, up to `local_rounds` passes in all (calls
/// between a module's own functions settle here rather than in project
/// rounds); the output has each function's last analysis.
///
/// With `memo`, each function's analysis is kept with what it depended on,
/// and a function whose earlier analysis still holds takes it instead of
/// running (`super::fn_memo`).
pub fn analyze(
    input: &ModuleInput,
    facts: &ProjectFacts,
    models: &Models,
    work: &Work,
    local_rounds: usize,
    memo: Option<&FnMemo>,
) -> ModuleOutput {
    let cx = module_cx(input, models, facts);
    run_functions(cx, input, facts, models, work, local_rounds, memo)
}

/// What a function's analysis (or the memo's answer for it) gives.
pub(super) type Analysed = (HeldSummary, Vec<TaintFinding>, Vec<Seen>, Option<FnRecord>);

/// Analyses the function at `site`, or takes `memo`'s earlier analysis of
/// it when that still holds.
fn analyze_or_recall(cx: &ModuleCx, site: &FuncSite, models: &Models, memo: Option<Recording>) -> Analysed {
    let key = memo.map(|(m, _, _)| function_key(cx, site, m.seen));
    let found = memo.zip(key).and_then(|((m, hashes, _), key)| m.find(key, cx, hashes));
    if let (Some(old), Some((_, _, names))) = (found, memo) {
        // What the analysis would have noted, as it would now.
        {
            let mut reads = cx.reads.borrow_mut();
            for name in old.facts_read() {
                if !reads.contains(name) {
                    reads.insert(name.to_string());
                }
            }
        }
        let versions = cx.local_versions.borrow();
        let deps: Vec<Seen> = old
            .deps()
            .map(|(name, own)| (name.to_string(), own.then(|| versions.get(name).copied().unwrap_or(0))))
            .collect();
        drop(versions);
        let record = old.record_in(names);
        let steps = record.steps;
        let recalled = (
            old.output.summary.clone(),
            old.output.findings.clone(),
            deps,
            Some(record),
        );
        if fn_memo::checking() {
            // The analysis made anyway: it must be the one recalled.
            let before = cx.steps.get();
            let made = analyze_recording(cx, site, models, memo.zip(key));
            cx.steps.set(before + steps);
            fn_memo::compare(&site.qualname, &made, &recalled);
        } else {
            cx.steps.set(cx.steps.get() + steps);
        }
        return recalled;
    }
    analyze_recording(cx, site, models, memo.zip(key))
}

/// A module analysis's memo of functions, with the hashes and names of
/// its records.
type Recording<'r> = (&'r FnMemo<'r>, &'r Hashes, &'r Names);

/// Analyses the function at `site`; with a memo, with a record of what the
/// analysis depended on.
fn analyze_recording(cx: &ModuleCx, site: &FuncSite, models: &Models, memo: Option<(Recording, u64)>) -> Analysed {
    if memo.is_some() {
        *cx.fn_reads.borrow_mut() = Some(FnReads::default());
    }
    let steps = cx.steps.get();
    let (summary, raw) = analyze_function(cx, site);
    let mut findings: Vec<TaintFinding> = raw.into_iter().map(|f| finding(f, models)).collect();
    findings.sort_by(|a, b| (a.range.start(), &a.rule).cmp(&(b.range.start(), &b.rule)));
    let deps = take_deps(cx);
    let record = memo.map(|((m, hashes, names), key)| {
        let reads = cx.fn_reads.take().unwrap_or_default();
        FnRecord {
            key,
            reads: m.hashed(reads, cx, hashes, names),
            deps: deps.iter().map(|(name, v)| (names.id(name), v.is_some())).collect(),
            steps: cx.steps.get() - steps,
        }
    });
    (HeldSummary::new(summary), findings, deps, record)
}

/// The key of a function's analysis: its module, what the module sees, the
/// function's name and kind, and its text where it sits (offset and line).
fn function_key(cx: &ModuleCx, site: &FuncSite, seen: u64) -> u64 {
    use ruff_text_size::Ranged;
    let range = site
        .def
        .decorator_list
        .iter()
        .map(Ranged::range)
        .fold(site.def.range(), |all, r| all.cover(r));
    let text = cx.text.get(range.start().to_usize()..range.end().to_usize());
    super::memo::hash_of((
        (&*cx.file, cx.module, cx.is_package, cx.rules_on, seen),
        (&site.qualname, &site.class, site.is_static, site.is_classmethod),
        (u32::from(range.start()), cx.line(range), text),
    ))
}

#[allow(clippy::too_many_arguments)]
fn run_functions(
    cx: ModuleCx,
    input: &ModuleInput,
    facts: &ProjectFacts,
    models: &Models,
    work: &Work,
    local_rounds: usize,
    memo: Option<&FnMemo>,
) -> ModuleOutput {
    let body = &input.parsed.parsed.syntax().body;
    let top = run_top_level(&cx, body);
    let mut out = ModuleOutput {
        top_findings: top.into_iter().map(|f| finding(f, models)).collect(),
        globals: export_globals(&cx.globals.borrow()),
        top_deps: take_deps(&cx).into_iter().map(|(k, v)| (k, v.is_some())).collect(),
        ..ModuleOutput::default()
    };
    let mut functions = Vec::new();
    collect_functions(body, input.module, None, &mut functions);
    let hashes = Hashes::default();
    let names = Names::default();
    let recording = memo.map(|m| (m, &hashes, &names));
    // Index of each function's output, and the versions of this pass's
    // summaries it saw.
    let mut done: FxHashMap<usize, (usize, Vec<Seen>)> = FxHashMap::default();
    let mut todo: Vec<usize> = (0..functions.len())
        .filter(|&i| (work.first)(&functions[i].qualname))
        .collect();
    for _ in 0..local_rounds.max(1) {
        let mut changed: FxHashSet<String> = FxHashSet::default();
        for &i in &todo {
            let site = &functions[i];
            let (summary, findings, deps, record) = analyze_or_recall(&cx, site, models, recording);
            let before = cx.local.borrow().get(&site.qualname).cloned();
            let before = before.or_else(|| facts.summaries.get(&site.qualname).cloned());
            if before.is_none_or(|b| !b.same_as(&summary)) {
                *cx.local_versions.borrow_mut().entry(site.qualname.clone()).or_insert(0) += 1;
                changed.insert(site.qualname.clone());
            }
            cx.local.borrow_mut().insert(site.qualname.clone(), summary.clone());
            let output = FunctionOutput {
                qualname: site.qualname.clone(),
                summary,
                findings,
                deps: Vec::new(),
                record,
            };
            match done.get_mut(&i) {
                Some((slot, seen)) => {
                    let earlier = std::mem::replace(&mut out.functions[*slot], output);
                    if memo.is_some() {
                        out.earlier.push(earlier);
                    }
                    *seen = deps;
                }
                None => {
                    done.insert(i, (out.functions.len(), deps));
                    out.functions.push(output);
                }
            }
        }
        if changed.is_empty() {
            break;
        }
        // Those that saw an older version of a summary of this module.
        let versions = cx.local_versions.borrow();
        todo = (0..functions.len())
            .filter(|i| match done.get(i) {
                Some((_, seen)) => seen.iter().any(|(name, version)| match versions.get(name) {
                    Some(now) => version.is_none_or(|v| v != *now),
                    None => false,
                }),
                None => (work.uses)(&functions[*i].qualname, &changed),
            })
            .collect();
        if todo.is_empty() {
            break;
        }
    }
    // A function saw this pass's final version of a summary only if no
    // later change happened (the local rounds may end before all settle).
    let versions = cx.local_versions.borrow();
    for (slot, seen) in done.values() {
        out.functions[*slot].deps = seen
            .iter()
            .map(|(name, version)| (name.clone(), *version == Some(versions.get(name).copied().unwrap_or(0))))
            .collect();
    }
    drop(versions);
    out.steps = cx.steps.get();
    out.names = names.into_list();
    let mut reads: Vec<String> = cx.reads.take().into_iter().collect();
    reads.sort_unstable();
    out.reads = reads;
    out
}

/// Analyses a module the project pass left out (one that no other module
/// imports, or a file reviewed on its own): its own structure is computed
/// here, and its functions are analysed to a local fixpoint. With
/// `triggers`, only the functions that mention one (and the functions of
/// the module they may call) are analysed: the others cannot produce a
/// finding, and nothing outside the module uses their summaries.
pub fn analyze_alone(
    input: &ModuleInput,
    facts: &ProjectFacts,
    models: &Models,
    rounds: usize,
    triggers: Option<&Triggers>,
) -> ModuleOutput {
    let own = structure(input, models);
    let mut cx = module_cx(input, models, facts);
    for (name, class) in own.classes {
        cx.own_classes.insert(name, class);
    }
    let names: Vec<String> = cx.own_classes.keys().cloned().collect();
    for name in names {
        let order = class_order(&name, |c| cx.class(c));
        cx.own_mros.insert(name, order);
    }
    for (name, summary) in own.functions {
        cx.local.borrow_mut().insert(name, HeldSummary::new(summary));
    }
    let body = &input.parsed.parsed.syntax().body;
    let wanted = triggers.map(|t| functions_to_analyse(&cx, body, t));
    let first = |q: &str| wanted.as_ref().is_none_or(|w| w.contains(q));
    let work = Work {
        first: &first,
        uses: &|_, _| false,
    };
    run_functions(cx, input, facts, models, &work, rounds, None)
}

/// What may bring attacker data into a function, or reach a sink that
/// needs none, by name: the last segments of model sources and shape
/// sinks, of project functions that return a source, and the name shapes
/// of sources (`password`).
#[derive(Debug, Default)]
pub struct Triggers {
    /// Last segments of calls and names: match any name or attribute.
    words: FxHashSet<String>,
    /// Last segments of attribute reads (`args` of `request.args`): match
    /// attributes only, and only where one of the words that can give the
    /// object read from is mentioned too (`request`).
    attrs: FxHashMap<String, Vec<String>>,
    shapes: Vec<String>,
}

impl Triggers {
    pub fn new(models: &Models, facts: &ProjectFacts) -> Triggers {
        let mut t = Triggers::default();
        // The words that can give an object of each model type.
        let mut producers: FxHashMap<&str, Vec<String>> = FxHashMap::default();
        for row in &models.rows {
            let Some(ty) = &row.ty else { continue };
            let words = producers.entry(ty.as_str()).or_default();
            if let Match::Call(p) | Match::Read(p) = &row.matcher
                && let Some(last) = p.literal_last_segment()
            {
                words.push(last.to_string());
            }
        }
        for row in &models.rows {
            let interesting = match row.kind {
                Kind::Source => true,
                Kind::Sink => row.labels == 0 || facts.prove & (1u64 << row.rule_bit) != 0,
                _ => false,
            };
            if !interesting {
                continue;
            }
            let (pattern, read) = match &row.matcher {
                Match::Call(p) => (p, false),
                Match::Read(p) => (p, true),
                _ => continue,
            };
            if !pattern.as_str().contains('.') {
                t.shapes.push(pattern.hint().to_ascii_lowercase());
            } else if let Some(last) = pattern.literal_last_segment() {
                let owner = names::split_last(pattern.as_str()).map_or("", |(o, _)| o);
                match producers.get(owner) {
                    // An attribute of an object of a model type.
                    Some(needs) if read => {
                        t.attrs
                            .entry(last.to_string())
                            .or_default()
                            .extend(needs.iter().cloned());
                    }
                    // A call, or a module-level name (`flask.request`).
                    _ => {
                        t.words.insert(last.to_string());
                    }
                }
            } else {
                // A wildcard in the last segment: match its literal start.
                let last = last_segment(pattern.as_str());
                t.shapes.push(last.trim_matches('*').to_ascii_lowercase());
            }
        }
        t.shapes.retain(|s| !s.is_empty());
        t.shapes.sort();
        t.shapes.dedup();
        t
    }

    /// The last names of the project's functions that hand back attacker
    /// data (a secret, which only matters where it is logged, is not
    /// followed into callers here), each with the columns of the modules
    /// defining one: a module analysed on its own mentions one only if it
    /// sees it ([`ProjectFacts::giving`]).
    pub fn giving(models: &Models, facts: &ProjectFacts) -> FxHashMap<String, Vec<u32>> {
        let mut giving: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let mut add = |word: &str, column: u32| {
            let columns = giving.entry(word.to_string()).or_default();
            if !columns.contains(&column) {
                columns.push(column);
            }
        };
        for (name, summary) in &facts.summaries {
            let gives = summary.given_labels() & !models.opaque != 0;
            let Some(column) = facts.scope.column(name).filter(|_| gives) else {
                continue;
            };
            let mut parts = name.rsplit('.');
            let last = parts.next().unwrap_or("");
            add(last, column);
            if last == "__init__"
                && let Some(class) = parts.next()
            {
                add(class, column);
            }
        }
        for columns in giving.values_mut() {
            columns.sort_unstable();
        }
        giving
    }

    /// The word in `words` that makes the code worth analysing, if any;
    /// `giving` are the names of functions that hand back attacker data
    /// that the module sees.
    fn fired<'w, 'a>(&self, words: &'w FxHashSet<Word<'a>>, giving: &FxHashSet<&str>) -> Option<&'w Word<'a>> {
        let mentions = |w: &str| words.contains(&Word::Name(w)) || words.contains(&Word::Attr(w));
        words.iter().find(|word| match word {
            // Name shapes (a secret's) are sources when read as an
            // attribute or a key; a local variable got its value elsewhere.
            Word::Name(w) => self.words.contains(*w) || giving.contains(*w),
            Word::Attr(w) => {
                self.words.contains(*w)
                    || giving.contains(*w)
                    || self
                        .attrs
                        .get(*w)
                        .is_some_and(|needs| needs.iter().any(|n| mentions(n)))
                    || self.shapes.iter().any(|s| super::pattern::contains_ignoring_case(w, s))
            }
            Word::Key(w) => self.shapes.iter().any(|s| super::pattern::contains_ignoring_case(w, s)),
        })
    }
}

/// A name a piece of code mentions.
#[derive(PartialEq, Eq, Hash)]
enum Word<'a> {
    Name(&'a str),
    Attr(&'a str),
    /// A short string constant (a dictionary key).
    Key(&'a str),
}

impl<'a> Word<'a> {
    fn text(&self) -> &'a str {
        match self {
            Word::Name(w) | Word::Attr(w) | Word::Key(w) => w,
        }
    }
}

/// The names, attributes and short string constants a piece of code
/// mentions.
fn words_of<'a>(stmts: &'a [Stmt]) -> FxHashSet<Word<'a>> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Words<'a>(FxHashSet<Word<'a>>);
    impl<'a> Visitor<'a> for Words<'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Name(n) => {
                    self.0.insert(Word::Name(n.id.as_str()));
                }
                Expr::Attribute(a) => {
                    self.0.insert(Word::Attr(a.attr.as_str()));
                }
                Expr::StringLiteral(s) if s.value.len() < 40 => {
                    self.0.insert(Word::Key(s.value.to_str()));
                }
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut w = Words(FxHashSet::default());
    w.visit_body(stmts);
    w.0
}

/// The functions of a module analysed on its own that may produce a
/// finding: those that mention a trigger or take a source parameter, and
/// the module's functions they (or the top level) may call.
fn functions_to_analyse(cx: &ModuleCx, body: &[Stmt], triggers: &Triggers) -> FxHashSet<String> {
    let mut functions = Vec::new();
    collect_functions(body, cx.module, None, &mut functions);
    let words: Vec<FxHashSet<Word>> = functions.iter().map(|f| words_of(&f.def.body)).collect();
    let giving: FxHashSet<&str> = cx
        .facts
        .giving
        .iter()
        .filter(|(_, columns)| cx.sight.is_none_or(|s| columns.iter().any(|&c| s.has(c))))
        .map(|(word, _)| word.as_str())
        .collect();
    let mut wanted: Vec<bool> = functions
        .iter()
        .zip(&words)
        .map(|(f, w)| has_source_params(cx, f) || triggers.fired(w, &giving).is_some())
        .collect();
    // Who may be called: by the function's short name, or by its class's.
    let mut callees: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, f) in functions.iter().enumerate() {
        callees.entry(f.def.name.as_str()).or_default().push(i);
        if f.def.name.as_str() == "__init__"
            && let Some(class) = f.class.as_deref().and_then(|c| c.rsplit('.').next())
        {
            callees.entry(class).or_default().push(i);
        }
    }
    let top_words = words_of(body);
    let mut queue: Vec<usize> = (0..functions.len()).filter(|&i| wanted[i]).collect();
    // The top level runs anyway; what it calls is reached from it.
    if triggers.fired(&top_words, &giving).is_some() {
        for w in &top_words {
            for &j in callees.get(w.text()).into_iter().flatten() {
                if !wanted[j] {
                    wanted[j] = true;
                    queue.push(j);
                }
            }
        }
    }
    while let Some(i) = queue.pop() {
        for w in &words[i] {
            for &j in callees.get(w.text()).into_iter().flatten() {
                if !wanted[j] {
                    wanted[j] = true;
                    queue.push(j);
                }
            }
        }
    }
    functions
        .iter()
        .zip(wanted)
        .filter(|(_, w)| *w)
        .map(|(f, _)| f.qualname.clone())
        .collect()
}

/// Whether a model row makes one of the function's parameters a source.
fn has_source_params(cx: &ModuleCx, site: &FuncSite) -> bool {
    let models = cx.models;
    let params = params_of(&site.def.parameters);
    let decorators = decorator_names(cx, site.def);
    let skip = usize::from(site.class.is_some() && !site.is_static);
    params.iter().skip(skip).any(|p| {
        models.param_rows(&p.name).any(|row| {
            let Match::Param(_, scope) = &row.matcher else {
                return false;
            };
            matches!(row.kind, Kind::Source | Kind::Type) && in_scope(cx, scope, site, &decorators)
        })
    })
}

fn decorator_names(cx: &ModuleCx, def: &StmtFunctionDef) -> Vec<String> {
    def.decorator_list
        .iter()
        .filter_map(|d| {
            let expr = match &d.expression {
                Expr::Call(c) => &*c.func,
                other => other,
            };
            resolve_static(cx, expr)
        })
        .collect()
}

/// A class and its bases, breadth first, as far as `class_of` knows them.
pub fn class_order<'c>(class: &str, class_of: impl Fn(&str) -> Option<&'c ClassFacts>) -> Vec<String> {
    let mut out = vec![class.to_string()];
    let mut i = 0;
    while i < out.len() && out.len() < 32 {
        if let Some(facts) = class_of(&out[i]) {
            for b in &facts.bases {
                if !out.contains(b) {
                    out.push(b.clone());
                }
            }
        }
        i += 1;
    }
    out
}

fn take_deps(cx: &ModuleCx) -> Vec<Seen> {
    let mut deps: Vec<Seen> = cx.deps.borrow_mut().drain().collect();
    deps.sort();
    deps
}

fn finding(raw: RawFinding, models: &Models) -> TaintFinding {
    let mut steps: Vec<(TextRange, String)> = Vec::new();
    let mut anchor = raw.range;
    for (at, note) in raw.steps {
        match at {
            Loc::Here(range) => {
                anchor = range;
                steps.push((range, note.to_string()));
            }
            Loc::There { file, line, .. } => steps.push((anchor, format!("{note} ({file}, line {line})"))),
        }
    }
    TaintFinding {
        rule: models.rules.get(raw.rule_bit as usize).cloned().unwrap_or_default(),
        range: raw.range,
        message: raw.message,
        severity: raw.severity,
        steps,
        only_constants: raw.only_constants,
    }
}

/// Whether a `param`/`returns` row's scope covers this function.
fn in_scope(cx: &ModuleCx, scope: &Scope, site: &FuncSite, decorators: &[String]) -> bool {
    if let Some(p) = &scope.decorator
        && !decorators.iter().any(|d| p.matches(d))
    {
        return false;
    }
    if let Some(p) = &scope.unless_decorator
        && decorators.iter().any(|d| p.matches(d))
    {
        return false;
    }
    if let Some(p) = &scope.class_base {
        let Some(class) = &site.class else { return false };
        if !cx
            .mro(class)
            .unwrap_or(&[])
            .iter()
            .chain(std::iter::once(class))
            .any(|c| p.matches(c))
        {
            return false;
        }
    }
    if let Some(p) = &scope.module
        && !p.matches(cx.module)
    {
        return false;
    }
    if let Some(p) = &scope.function
        && !p.matches(site.def.name.as_str())
    {
        return false;
    }
    true
}

fn analyze_function<'a>(cx: &ModuleCx<'a>, site: &FuncSite<'a>) -> (Summary, Vec<RawFinding>) {
    let models = cx.models;
    let params = params_of(&site.def.parameters);
    let bound = site.class.is_some() && !site.is_static;
    let decorators = decorator_names(cx, site.def);

    let mut env = Env::new();
    for (i, p) in params.iter().enumerate() {
        let mut v = Value::tainted(Taint::one(Flow {
            origin: Origin::Param(i as u8, Rc::from(Vec::<Name>::new())),
            cleared: 0,
            source_note: Rc::from(""),
            steps: None,
            cut: false,
            dropped: 0,
        }));
        if i == 0 && bound {
            if site.is_classmethod {
                v.refers = site.class.as_deref().map(Into::into);
            } else {
                v.ty = site.class.as_deref().map(Into::into);
            }
        } else {
            let range = param_range(site.def, i);
            for row in models.param_rows(&p.name) {
                let Match::Param(_, scope) = &row.matcher else {
                    continue;
                };
                if !in_scope(cx, scope, site, &decorators) {
                    continue;
                }
                match row.kind {
                    Kind::Source => {
                        let flow = Flow {
                            origin: Origin::Entry(row.label),
                            cleared: 0,
                            source_note: row.note.as_str().into(),
                            steps: super::value::push_step(
                                &None,
                                Loc::Here(range),
                                format!("`{}` is {}", p.name, row.note),
                            ),
                            cut: false,
                            dropped: 0,
                        };
                        v.taint = v.taint.union(&Taint::one(flow));
                        if let Some(ty) = &row.ty {
                            v.ty = Some(ty.as_str().into());
                        }
                    }
                    Kind::Type => {
                        v.ty = row.ty.as_deref().map(Into::into);
                        v.entry = true;
                    }
                    _ => {}
                }
            }
        }
        env.vars.insert(p.name.as_str().into(), v);
    }
    let return_sinks: Vec<&'a ModelRow> = models
        .returns
        .iter()
        .map(|&i| &models.rows[i])
        .filter(|row| match &row.matcher {
            Match::Return(scope) => row.kind == Kind::Sink && in_scope(cx, scope, site, &decorators),
            _ => false,
        })
        .collect();
    let context = models
        .contexts
        .iter()
        .map(|&i| &models.rows[i])
        .find(|row| match &row.matcher {
            Match::Body(scope) => in_scope(cx, scope, site, &decorators),
            _ => false,
        });
    let info = FuncInfo {
        qualname: site.qualname.clone(),
        def: Some(site.def),
        class: site.class.clone(),
        return_sinks,
        context,
    };
    let mut interp = Interp::new(cx, info, env);
    interp.run(&site.def.body);

    let sinks = interp
        .sinks
        .iter()
        .map(|s| ParamSink {
            from: s.from.clone(),
            rule_bit: s.rule_bit,
            labels: s.labels,
            message: s.message.clone(),
            severity: s.severity.clone(),
            steps: cx.export_steps(&s.steps),
        })
        .collect();
    let returns = interp.ret.as_ref().map(|v| export_value(cx, v));
    let fields = if bound {
        interp
            .self_fields
            .iter()
            .map(|(k, v)| (k.to_string(), export_value(cx, v)))
            .collect()
    } else {
        Vec::new()
    };
    let findings = interp.take_findings();
    (
        Summary {
            params,
            bound,
            sinks,
            returns,
            fields,
        },
        findings,
    )
}

fn param_range(def: &StmtFunctionDef, index: usize) -> TextRange {
    use ruff_text_size::Ranged;
    let p = &def.parameters;
    let mut all: Vec<TextRange> = p.posonlyargs.iter().chain(p.args.iter()).map(|a| a.range()).collect();
    if let Some(v) = &p.vararg {
        all.push(v.range());
    }
    all.extend(p.kwonlyargs.iter().map(|a| a.range()));
    if let Some(k) = &p.kwarg {
        all.push(k.range());
    }
    all.get(index).copied().unwrap_or(def.range())
}

/// Containers with more known items than this are summarised by their taint.
const MAX_SUM_ITEMS: usize = 16;
/// Containers nested deeper than this are summarised by their taint.
const MAX_SUM_DEPTH: usize = 2;

/// A value as a summary keeps it: a tuple, list or dict with its items
/// (two levels deep), anything else by its whole taint.
fn export_value(cx: &ModuleCx, v: &Value) -> SumValue {
    export_value_at(cx, v, 0)
}

fn export_value_at(cx: &ModuleCx, v: &Value, depth: usize) -> SumValue {
    let mut out = SumValue {
        konst: match &v.konst {
            Const::Unknown | Const::Float(_) | Const::Strs(_) => None,
            c => Some(SumConst::from_const(c)),
        },
        ty: v.ty.as_deref().map(str::to_string),
        refers: v.refers.as_deref().map(str::to_string),
        tags: v.tags,
        ..SumValue::default()
    };
    // A container's items are kept apart, two levels deep (the connection
    // info `{'driver_volume_type': ..., 'data': {...}}` a driver returns).
    if depth < MAX_SUM_DEPTH {
        match &v.items {
            Some(Items::Seq(items)) if items.len() <= MAX_SUM_ITEMS => {
                out.items = Some(SumItems::Seq(
                    items.iter().map(|x| export_value_at(cx, x, depth + 1)).collect(),
                ));
                add_taint(cx, &mut out, &v.taint);
                return out;
            }
            Some(Items::Map(items)) if items.len() <= MAX_SUM_ITEMS => {
                out.items = Some(SumItems::Map(
                    items
                        .iter()
                        .map(|(k, x)| (k.to_string(), export_value_at(cx, x, depth + 1)))
                        .collect(),
                ));
                add_taint(cx, &mut out, &v.taint);
                return out;
            }
            _ => {}
        }
    }
    // An object returned holds a secret in an attribute (a client built with
    // a password): the object is not the secret. A parameter's data kept in
    // an attribute (`A(password=config.password)`) is cut as by an unknown
    // call, so the caller's secret does not come back either.
    let taint = match &v.items {
        Some(Items::Fields(_)) => {
            let opaque = cx.models.opaque;
            v.taint.union(&v.all_taint().map(|f| match f.origin {
                Origin::Source(l) | Origin::Entry(l) if opaque & (1 << l) != 0 => None,
                Origin::Param(..) if opaque != 0 => Some(Flow { cut: true, ..f.clone() }),
                _ => Some(f.clone()),
            }))
        }
        _ => v.all_taint(),
    };
    add_taint(cx, &mut out, &taint);
    out
}

/// Adds a taint's flows to a summary value (a few of each kind).
fn add_taint(cx: &ModuleCx, out: &mut SumValue, taint: &Taint) {
    for f in taint.flows() {
        match &f.origin {
            Origin::Param(i, path) => {
                if out.from_params.len() < 8 {
                    // The path inside the callee is not shown (only where
                    // the value came from and where it goes).
                    out.from_params.push(ReturnFlow {
                        from: ParamPath {
                            param: *i,
                            path: path.iter().map(|s| s.to_string()).collect(),
                        },
                        cleared: f.cleared,
                        cut: f.cut,
                        dropped: f.dropped,
                        steps: Vec::new(),
                    });
                }
            }
            Origin::Entry(_) => {}
            Origin::Source(label) => {
                if out.sources.len() < 4 {
                    out.sources.push(SourceFlow {
                        label: *label,
                        cleared: f.cleared,
                        source_note: f.source_note.to_string(),
                        steps: cx.export_steps(&f.steps),
                    });
                }
            }
        }
    }
}

/// The module-level values other modules may import: constants, types,
/// names and constant containers.
fn export_globals(vars: &super::fxhash::FxHashMap<Name, Value>) -> HashMap<String, GlobalFact> {
    let mut out = HashMap::default();
    for (name, v) in vars {
        let items = match &v.items {
            Some(Items::Map(items)) if items.len() <= 32 => items
                .iter()
                .map(|(k, v)| match &v.konst {
                    Const::Unknown | Const::Float(_) | Const::Strs(_) => None,
                    c => Some((k.to_string(), SumConst::from_const(c))),
                })
                .collect::<Option<Vec<_>>>(),
            Some(Items::Seq(items)) if items.len() <= 32 => items
                .iter()
                .enumerate()
                .map(|(i, v)| match &v.konst {
                    Const::Unknown | Const::Float(_) | Const::Strs(_) => None,
                    c => Some((i.to_string(), SumConst::from_const(c))),
                })
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        let fact = GlobalFact {
            value: SumValue {
                konst: match &v.konst {
                    Const::Unknown | Const::Float(_) | Const::Strs(_) => None,
                    c => Some(SumConst::from_const(c)),
                },
                ty: v.ty.as_deref().map(str::to_string),
                refers: v.refers.as_deref().map(str::to_string),
                tags: v.tags,
                ..SumValue::default()
            },
            is_seq: matches!(v.items, Some(Items::Seq(_))),
            items,
        };
        if fact.value.is_empty() && fact.value.refers.is_none() && fact.items.is_none() {
            continue;
        }
        out.insert(name.to_string(), fact);
    }
    out
}

/// Whether two module-level facts are the same for the fixpoint.
pub fn same_global(a: &GlobalFact, b: &GlobalFact) -> bool {
    a.value.konst == b.value.konst
        && a.value.ty == b.value.ty
        && a.value.refers == b.value.refers
        && a.value.tags == b.value.tags
        && a.items == b.items
        && a.is_seq == b.is_seq
}
