//! The abstract interpreter: runs one Python function (or a module's top
//! level) over [`Value`]s instead of real values.
//!
//! It is flow-sensitive: `if`/`else` branches run on their own copies of the
//! variables and join after; loops run to a fixpoint (widening constants
//! after a few rounds); `try` handlers start from what the body may have
//! left; `return` and `raise` end a path. Conditions that fold to constants
//! prune dead branches, and guards from the models narrow the variables they
//! check (`stmt.rs`, `cond.rs`). Expressions (`expr.rs`) build values;
//! calls (`call.rs`) apply model rows, the callee's summary or the default
//! (taint flows from arguments to the result).
//!
//! Neighbours: `analyze.rs` runs this for each function of a module and
//! turns what it gathers (findings, parameter sinks, the return value) into
//! summaries; `models.rs` is all it knows about libraries.

mod call;
mod cond;
mod expr;
mod stmt;

use super::fxhash::{FxHashMap, FxHashSet};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange};

use super::held_summary::HeldSummary;
use super::models::{ModelRow, Models};
use super::summary::{ClassFacts, ParamPath, ProjectFacts, SumStep, Summary};
use super::value::{Flow, Loc, Name, Origin, Steps, Taint, Value, steps_in_order};
use crate::python::names;

/// What one module's analysis shares between its functions.
pub struct ModuleCx<'a> {
    pub models: &'a Models,
    pub facts: &'a ProjectFacts,
    /// Summaries of this module's functions computed in this pass; they
    /// override the project's (older) ones.
    pub local: RefCell<FxHashMap<String, HeldSummary>>,
    pub module: &'a str,
    pub is_package: bool,
    pub file: Arc<str>,
    pub text: &'a str,
    pub lines: &'a LineIndex,
    /// The module's top-level variables after its top level ran.
    pub globals: RefCell<FxHashMap<Name, Value>>,
    /// Project names the current function's analysis looked up (to know
    /// what to analyse again when those change), each with the version of
    /// this pass's own summary it saw (`None`: the project's).
    pub deps: RefCell<FxHashMap<String, Option<u32>>>,
    /// How many times each summary in `local` changed in this pass.
    pub local_versions: RefCell<FxHashMap<String, u32>>,
    /// The module's own classes and their lookup orders, when the project's
    /// facts do not hold them (a module analysed on its own).
    pub own_classes: FxHashMap<String, ClassFacts>,
    pub own_mros: FxHashMap<String, Vec<String>>,
    /// Every project name looked up in the facts (not this pass's own
    /// versions) in the whole analysis, found or not, when the facts say
    /// to record them (a memo of the analysis depends on them).
    pub reads: RefCell<FxHashSet<String>>,
    /// What the current function's analysis read, when its analysis is
    /// kept for a later run (`super::fn_memo`).
    pub fn_reads: RefCell<Option<super::fn_memo::FnReads>>,
    /// What the module sees of the project (`None`: all there is).
    pub sight: Option<super::scope::Sight<'a>>,
    /// The rules (bit per rule of the models) whose sinks are checked.
    pub rules_on: u64,
    /// Statements executed so far: a measure of the analysis's work that
    /// does not depend on the machine (tests bound it).
    pub steps: Cell<u64>,
}

impl ModuleCx<'_> {
    /// Whether a project name is in a module this one sees (itself or
    /// its imports, directly or not): the analysis looks nothing else up.
    pub fn sees(&self, name: &str) -> bool {
        self.sight.is_none_or(|s| s.sees(name))
    }

    /// Notes that the analysis looked the project name `name` up in the
    /// facts, found or not (a memo of the analysis depends on it).
    pub(super) fn note_read(&self, name: &str) {
        if self.facts.recording && self.sight.is_some_and(|s| s.column_of(name).is_some()) {
            if !self.reads.borrow().contains(name) {
                self.reads.borrow_mut().insert(name.to_string());
            }
            if let Some(reads) = self.fn_reads.borrow_mut().as_mut()
                && !reads.facts.contains(name)
            {
                reads.facts.insert(name.to_string());
            }
        }
    }

    /// The module-level value `name` (after the top level ran).
    pub fn global(&self, name: &str) -> Option<Value> {
        if let Some(reads) = self.fn_reads.borrow_mut().as_mut()
            && !reads.globals.contains(name)
        {
            reads.globals.insert(name.into());
        }
        self.globals.borrow().get(name).cloned()
    }

    pub fn class(&self, name: &str) -> Option<&ClassFacts> {
        self.own_classes.get(name).or_else(|| {
            self.note_read(name);
            self.facts.classes.get(name).filter(|_| self.sees(name))
        })
    }

    /// The class and its bases in lookup order, for a project class.
    pub fn mro(&self, name: &str) -> Option<&[String]> {
        self.own_mros
            .get(name)
            .or_else(|| {
                self.note_read(name);
                self.facts.mros.get(name).filter(|_| self.sees(name))
            })
            .map(Vec::as_slice)
    }

    /// The qualified name of `method` as defined on `class` or its bases.
    pub fn find_method(&self, class: &str, method: &str) -> Option<String> {
        for c in self.mro(class)? {
            if self.class(c).is_some_and(|f| f.methods.contains(method)) {
                return Some(names::join(c, method));
            }
        }
        None
    }

    pub fn line(&self, range: TextRange) -> u32 {
        self.lines.line_index(range.start()).get() as u32
    }

    pub fn snippet(&self, node: &impl Ranged) -> String {
        let text = self
            .text
            .get(node.range().start().to_usize()..node.range().end().to_usize())
            .unwrap_or("");
        let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > 48 {
            format!("{}...", one_line.chars().take(45).collect::<String>())
        } else {
            one_line
        }
    }

    /// Source text for a message, made only when a message needs it.
    pub fn text_of(&self, what: Text) -> String {
        match what {
            Text::At(range) => self.snippet(&range),
            Text::Is(s) => s.to_string(),
        }
    }

    pub fn summary(&self, name: &str) -> Option<Arc<Summary>> {
        if let Some(reads) = self.fn_reads.borrow_mut().as_mut()
            && !reads.local.contains(name)
        {
            reads.local.insert(name.to_string());
        }
        let (found, version) = match self.local.borrow().get(name) {
            Some(s) => (
                Some(s.summary().clone()),
                self.local_versions.borrow().get(name).copied().or(Some(0)),
            ),
            None => {
                self.note_read(name);
                (
                    self.facts
                        .summaries
                        .get(name)
                        .filter(|_| self.sees(name))
                        .map(|held| held.summary().clone()),
                    None,
                )
            }
        };
        if found.is_some() {
            self.depend(name, version);
        }
        found
    }

    /// Records that the current analysis used `name` (in the version given).
    pub fn depend(&self, name: &str, version: Option<u32>) {
        let mut deps = self.deps.borrow_mut();
        if !deps.contains_key(name) {
            deps.insert(name.to_string(), version);
        }
    }

    /// Steps of a summary, placed in this file when they come from it.
    pub fn import_steps(&self, steps: &[SumStep], mut into: Steps) -> Steps {
        for s in steps {
            let at = if *s.file == *self.file {
                Loc::Here(s.range)
            } else {
                Loc::There {
                    file: s.file.clone(),
                    line: s.line,
                    range: s.range,
                }
            };
            into = super::value::push_step(&into, at, s.note.as_str());
        }
        into
    }

    pub fn export_steps(&self, steps: &Steps) -> Vec<SumStep> {
        steps_in_order(steps)
            .into_iter()
            .map(|(at, note)| match at {
                Loc::Here(range) => SumStep {
                    file: self.file.clone(),
                    range,
                    line: self.line(range),
                    note: note.to_string(),
                },
                Loc::There { file, line, range } => SumStep {
                    file,
                    range,
                    line,
                    note: note.to_string(),
                },
            })
            .collect()
    }
}

/// A sink being reached, as `Interp::hit_sink` needs it.
pub struct SinkHit<'s> {
    pub rule_bit: u8,
    /// The labels the sink accepts.
    pub labels: u64,
    pub range: TextRange,
    /// The finding's message; `{source}` is filled in per flow.
    pub message: &'s str,
    pub severity: Option<&'s str>,
    /// The sink's own step, or `None` when the flows' steps already end at
    /// the sink (a callee's sink, from its summary).
    pub note: Option<&'s str>,
    /// Whether a parameter reaching the sink goes into the summary.
    pub from_params: bool,
}

/// Where a message's text comes from: a node's source, or given text.
#[derive(Clone, Copy)]
pub enum Text<'x> {
    At(TextRange),
    Is(&'x str),
}

/// A defect found in the function being analysed.
#[derive(Debug, Clone)]
pub struct RawFinding {
    pub rule_bit: u8,
    pub range: TextRange,
    pub message: String,
    pub severity: Option<String>,
    pub steps: Vec<(Loc, Rc<str>)>,
    /// Not a defect but a proof: every time the analysis reached this sink,
    /// only constants reached it (see [`Interp::take_findings`]).
    pub only_constants: bool,
}

/// A parameter path reaching a sink, with the steps in this module.
#[derive(Debug, Clone)]
pub struct LocalParamSink {
    pub from: ParamPath,
    pub rule_bit: u8,
    pub labels: u64,
    pub message: String,
    pub severity: Option<String>,
    pub steps: Steps,
}

/// The variables on one path through the function.
#[derive(Debug, Clone)]
pub struct Env {
    pub vars: FxHashMap<Name, Value>,
    /// False once the path has returned or raised.
    pub live: bool,
}

impl Env {
    pub fn new() -> Env {
        Env {
            vars: FxHashMap::default(),
            live: true,
        }
    }

    fn dead() -> Env {
        Env {
            vars: FxHashMap::default(),
            live: false,
        }
    }

    /// Join of two paths; a dead path contributes nothing.
    pub fn join(&self, other: &Env) -> Env {
        self.clone().joined(other)
    }

    /// [`Env::join`], reusing this path's variables.
    pub fn joined(mut self, other: &Env) -> Env {
        if !self.live {
            return other.clone();
        }
        if !other.live {
            return self;
        }
        for (k, v) in &other.vars {
            match self.vars.get_mut(k) {
                Some(mine) => {
                    if !mine.same_as(v) {
                        *mine = mine.join(v);
                    }
                }
                None => {
                    self.vars.insert(k.clone(), v.clone());
                }
            }
        }
        self
    }

    pub fn same_as(&self, other: &Env) -> bool {
        self.live == other.live
            && self.vars.len() == other.vars.len()
            && self
                .vars
                .iter()
                .all(|(k, v)| other.vars.get(k).is_some_and(|w| v.same_as(w)))
    }
}

/// The function being analysed.
pub struct FuncInfo<'a> {
    pub qualname: String,
    pub def: Option<&'a StmtFunctionDef>,
    /// The enclosing class, for methods.
    pub class: Option<String>,
    /// Return sinks that apply to this function (e.g. a web view's body).
    pub return_sinks: Vec<&'a ModelRow>,
    /// A context row covering the function (it runs as root): its sinks
    /// take the row's severity and say so in their step.
    pub context: Option<&'a ModelRow>,
}

#[derive(Default)]
struct LoopFrame {
    breaks: Vec<Env>,
    continues: Vec<Env>,
}

pub struct Interp<'a, 'b> {
    pub cx: &'b ModuleCx<'a>,
    pub func: FuncInfo<'a>,
    pub env: Env,
    /// Join of every returned value, `None` while no `return` was seen.
    pub ret: Option<Value>,
    pub findings: Vec<RawFinding>,
    /// Every sink of a selected rule the analysis reached, by rule and
    /// place, with whether only constants reached it each time.
    sink_verdicts: Vec<(u8, TextRange, bool)>,
    pub sinks: Vec<LocalParamSink>,
    /// Attributes of `self` set by the function.
    pub self_fields: Vec<(Name, Value)>,
    loops: Vec<LoopFrame>,
    /// Set while evaluating a condition a second time for narrowing: no
    /// finding is reported twice.
    quiet: bool,
    /// Guards against runaway recursion in deeply nested expressions.
    depth: u32,
}

impl<'a, 'b> Interp<'a, 'b> {
    pub fn new(cx: &'b ModuleCx<'a>, func: FuncInfo<'a>, env: Env) -> Self {
        Interp {
            cx,
            func,
            env,
            ret: None,
            findings: Vec::new(),
            sink_verdicts: Vec::new(),
            sinks: Vec::new(),
            self_fields: Vec::new(),
            loops: Vec::new(),
            quiet: false,
            depth: 0,
        }
    }

    /// Records that a sink was reached, and whether only constants reached
    /// it this time: a sink is proven constant only if it was every time
    /// (loops run their body more than once, widening what they know).
    pub fn note_sink(&mut self, rule_bit: u8, range: TextRange, constant: bool) {
        if self.quiet {
            return;
        }
        match self
            .sink_verdicts
            .iter_mut()
            .find(|(bit, r, _)| *bit == rule_bit && *r == range)
        {
            Some(verdict) => verdict.2 &= constant,
            None => self.sink_verdicts.push((rule_bit, range, constant)),
        }
    }

    /// The findings of the run, followed by a proof for every sink that only
    /// constants reached: pattern rules on the same call (Bandit's B602 on a
    /// `shell=True` whose command is a constant) use it to stand down.
    pub fn take_findings(&mut self) -> Vec<RawFinding> {
        let mut findings = std::mem::take(&mut self.findings);
        for (rule_bit, range, constant) in std::mem::take(&mut self.sink_verdicts) {
            if constant && !findings.iter().any(|f| f.rule_bit == rule_bit && f.range == range) {
                findings.push(RawFinding {
                    rule_bit,
                    range,
                    message: String::new(),
                    severity: None,
                    steps: Vec::new(),
                    only_constants: true,
                });
            }
        }
        findings
    }

    pub fn run(&mut self, body: &'a [Stmt]) {
        self.exec_block(body);
        if self.env.live && self.func.def.is_some() {
            // Falling off the end returns None.
            let none = Value::konst(super::value::Const::None);
            self.add_return(none);
        }
    }

    fn add_return(&mut self, value: Value) {
        self.ret = Some(match &self.ret {
            None => value,
            Some(r) => r.join(&value),
        });
    }

    /// A variable's value: local, then module-level, then a builtin or
    /// unknown global name (which refers to itself).
    pub fn lookup(&self, name: &str) -> Value {
        if let Some(v) = self.env.vars.get(name) {
            return v.clone();
        }
        self.cx.global(name).unwrap_or_else(|| Value::refers(name))
    }

    pub fn bind(&mut self, name: &str, value: Value) {
        self.env.vars.insert(name.into(), value);
    }

    /// A new flow from a source.
    pub fn source_flow(&self, label: u8, note: &str, range: TextRange, what: &str) -> Taint {
        let steps = super::value::push_step(&None, Loc::Here(range), format!("`{what}` is {note}"));
        Taint::one(Flow {
            origin: Origin::Source(label),
            cleared: 0,
            source_note: note.into(),
            steps,
            cut: false,
            dropped: 0,
        })
    }

    /// Reports `taint` reaching the sink `row` that is not a call (a store,
    /// a return): its message with `{call}` and `{arg}` filled in, and its
    /// note, or `default_note` when it has none.
    pub fn hit_row_sink(
        &mut self,
        taint: &Taint,
        row: &ModelRow,
        range: TextRange,
        (call, arg): (&str, &str),
        default_note: impl FnOnce() -> String,
    ) {
        let message = row.message.replace("{call}", call).replace("{arg}", arg);
        let note = if row.note.is_empty() {
            default_note()
        } else {
            row.note.clone()
        };
        self.hit_sink(
            taint,
            SinkHit {
                rule_bit: row.rule_bit,
                labels: row.labels,
                range,
                message: &message,
                severity: row.severity.as_deref(),
                note: Some(&note),
                from_params: row.from_params,
            },
        );
    }

    /// Reports `taint` reaching a sink: a finding for each source flow the
    /// sink accepts, a parameter sink for each flow from a parameter.
    pub fn hit_sink(&mut self, taint: &Taint, sink: SinkHit) {
        if self.quiet || self.cx.rules_on & (1u64 << sink.rule_bit) == 0 {
            return;
        }
        let bit = 1u64 << sink.rule_bit;
        let in_context;
        let mut sink = sink;
        if let Some(row) = self.func.context {
            if row.severity.is_some() {
                sink.severity = row.severity.as_deref();
            }
            if let Some(note) = sink.note {
                in_context = format!("{note} ({})", row.note);
                sink.note = Some(&in_context);
            }
        }
        for flow in taint.flows() {
            if flow.cleared & bit != 0 {
                continue;
            }
            let steps = match sink.note {
                Some(note) => super::value::push_step(&flow.steps, Loc::Here(sink.range), note),
                None => flow.steps.clone(),
            };
            match &flow.origin {
                Origin::Source(label) | Origin::Entry(label) => {
                    if sink.labels & (1 << label) == 0 {
                        continue;
                    }
                    let len = steps.as_ref().map_or(0, |s| s.len);
                    let found = RawFinding {
                        rule_bit: sink.rule_bit,
                        range: sink.range,
                        message: sink.message.replace("{source}", &flow.source_note),
                        severity: sink.severity.map(str::to_string),
                        steps: steps_in_order(&steps),
                        only_constants: false,
                    };
                    // One finding per rule and place, with the shortest path;
                    // a path is stronger evidence than a shape sink's finding
                    // (which has none) of the same rule at the same call.
                    match self
                        .findings
                        .iter()
                        .position(|f| f.rule_bit == sink.rule_bit && f.range.end() == sink.range.end())
                    {
                        Some(i) if self.findings[i].steps.is_empty() || self.findings[i].steps.len() > len as usize => {
                            self.findings[i] = found
                        }
                        Some(_) => {}
                        None => self.findings.push(found),
                    }
                }
                Origin::Param(index, path) => {
                    let labels = sink.labels & !flow.dropped;
                    if !sink.from_params || (sink.labels != 0 && labels == 0) {
                        continue;
                    }
                    let from = ParamPath {
                        param: *index,
                        path: path.iter().map(|s| s.to_string()).collect(),
                    };
                    if !self.keep_param_sink(&from, sink.rule_bit, &steps) {
                        continue;
                    }
                    self.sinks.push(LocalParamSink {
                        from,
                        rule_bit: sink.rule_bit,
                        labels,
                        message: sink.message.to_string(),
                        severity: sink.severity.map(str::to_string),
                        steps,
                    });
                }
            }
        }
    }

    /// A finding from a shape sink: no taint, the call itself is the defect.
    pub fn shape_finding(&mut self, rule_bit: u8, range: TextRange, message: String, severity: Option<&str>) {
        // One finding per rule and call: a shape finding's range may start
        // before the call (where its command line was built), it ends with it.
        if self.quiet
            || self
                .findings
                .iter()
                .any(|f| f.rule_bit == rule_bit && f.range.end() == range.end())
        {
            return;
        }
        self.findings.push(RawFinding {
            rule_bit,
            range,
            message,
            severity: severity.map(str::to_string),
            steps: Vec::new(),
            only_constants: false,
        });
    }

    /// Whether a new path from a parameter to a sink is worth keeping: the
    /// first one, or a shorter one than the path already kept (which it
    /// then replaces).
    pub fn keep_param_sink(&mut self, from: &ParamPath, rule_bit: u8, steps: &Steps) -> bool {
        let len = steps.as_ref().map_or(0, |s| s.len);
        match self
            .sinks
            .iter()
            .position(|s| s.from == *from && s.rule_bit == rule_bit)
        {
            Some(i) => {
                if self.sinks[i].steps.as_ref().map_or(0, |s| s.len) > len + 1 {
                    self.sinks.remove(i);
                    true
                } else {
                    false
                }
            }
            None => self.sinks.len() < 24,
        }
    }

    fn enter(&mut self) -> bool {
        self.depth += 1;
        self.depth < 200
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// The local name an expression is, if it is a plain name.
    pub fn name_of(expr: &Expr) -> Option<&str> {
        match expr {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        }
    }
}
