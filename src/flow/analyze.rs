//! One module: its structure (functions, classes, bases), and the analysis
//! of its top level and every function, giving summaries and findings.
//!
//! Neighbours: `project.rs` calls [`structure`] once per file, then
//! [`analyze`] in rounds to compute summaries; the taint rules call
//! [`analyze`] once more per file to report. `interp/` runs the functions.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use ruff_python_ast::{Decorator, Expr, Parameters, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::TextRange;

use super::interp::{Env, FuncInfo, Interp, ModuleCx, RawFinding};
use super::models::{Kind, Match, ModelRow, Models, Scope};
use super::summary::{
    ClassFacts, GlobalFact, ParamInfo, ParamKind, ParamPath, ParamSink, ProjectFacts, ReturnFlow, SourceFlow, SumConst,
    SumValue, Summary,
};
use super::value::{Const, Flow, Items, Loc, Name, Origin, Taint, Value};
use crate::python::ParsedModule;

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
#[derive(Debug, Default)]
pub struct Structure {
    pub classes: Vec<(String, ClassFacts)>,
    pub functions: Vec<(String, Summary)>,
}

/// A taint defect, in the file analysed.
#[derive(Debug, Clone)]
pub struct TaintFinding {
    pub rule: String,
    pub range: TextRange,
    pub message: String,
    pub severity: Option<String>,
    /// From the source to the sink; a step in another file is anchored at
    /// the last step here and names its file and line.
    pub steps: Vec<(TextRange, String)>,
}

/// What analysing a module gives.
#[derive(Debug, Default)]
pub struct ModuleOutput {
    pub summaries: Vec<(String, Summary)>,
    pub globals: HashMap<String, GlobalFact>,
    pub findings: Vec<TaintFinding>,
    pub deps: HashSet<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Compute summaries (iterating the module's own functions to a local
    /// fixpoint); no findings.
    Summarize,
    /// Report findings, with the project's summaries.
    Report,
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
                let qualname = format!("{prefix}.{}", f.name.as_str());
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
                let qualname = format!("{prefix}.{}", c.name.as_str());
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
                let qualname = format!("{prefix}.{}", c.name.as_str());
                out.push((qualname.clone(), c));
                collect_classes(&c.body, &qualname, out);
            }
            Stmt::FunctionDef(f) => collect_classes(&f.body, &format!("{prefix}.{}", f.name.as_str()), out),
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
        local: RefCell::new(HashMap::new()),
        module: input.module,
        is_package: input.is_package,
        file: Arc::from(input.path),
        text: input.text,
        lines: &input.parsed.lines,
        globals: RefCell::new(HashMap::new()),
        deps: RefCell::new(HashSet::new()),
    }
}

/// Runs the module's top level; its variables become the globals.
fn run_top_level<'a>(cx: &ModuleCx<'a>, body: &'a [Stmt]) -> Vec<RawFinding> {
    let info = FuncInfo {
        qualname: cx.module.to_string(),
        def: None,
        class: None,
        return_sinks: Vec::new(),
    };
    let mut interp = Interp::new(cx, info, Env::new());
    interp.run(body);
    let vars = std::mem::take(&mut interp.env.vars);
    let findings = std::mem::take(&mut interp.findings);
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
        Expr::Name(n) => {
            let globals = cx.globals.borrow();
            Some(match globals.get(n.id.as_str()).and_then(|v| v.refers.clone()) {
                Some(r) => r.to_string(),
                None => n.id.to_string(),
            })
        }
        Expr::Attribute(a) => Some(format!("{}.{}", resolve_static(cx, &a.value)?, a.attr.as_str())),
        Expr::Call(c) => resolve_static(cx, &c.func),
        _ => None,
    }
}

/// Analyses a module: its top level, then each function.
pub fn analyze(input: &ModuleInput, facts: &ProjectFacts, models: &Models, mode: Mode) -> ModuleOutput {
    let cx = module_cx(input, models, facts);
    let body = &input.parsed.parsed.syntax().body;
    let mut findings = run_top_level(&cx, body);
    let mut functions = Vec::new();
    collect_functions(body, input.module, None, &mut functions);

    let mut summaries: Vec<(String, Summary)> = Vec::new();
    let rounds = if mode == Mode::Summarize { 3 } else { 1 };
    for round in 0..rounds {
        let mut changed = false;
        summaries.clear();
        for site in &functions {
            let (summary, mut found) = analyze_function(&cx, site, mode);
            if mode == Mode::Report {
                findings.append(&mut found);
            }
            let old = cx.local.borrow().get(&site.qualname).cloned();
            let same = match &old {
                Some(o) => o.same_as(&summary),
                None => facts.summaries.get(&site.qualname).is_some_and(|o| o.same_as(&summary)),
            };
            if !same {
                changed = true;
            }
            if mode == Mode::Summarize {
                cx.local
                    .borrow_mut()
                    .insert(site.qualname.clone(), Arc::new(summary.clone()));
            }
            summaries.push((site.qualname.clone(), summary));
        }
        if !changed && round > 0 || mode == Mode::Report {
            break;
        }
    }

    let mut out = ModuleOutput {
        summaries,
        globals: export_globals(&cx.globals.borrow()),
        ..ModuleOutput::default()
    };
    out.deps = cx.deps.borrow().clone();
    if mode == Mode::Report {
        out.findings = findings.into_iter().map(|f| finding(f, models)).collect();
        out.findings
            .sort_by(|a, b| (a.range.start(), &a.rule).cmp(&(b.range.start(), &b.rule)));
    }
    out
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
        if !cx.facts.mro(class).iter().any(|c| p.matches(c)) {
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

fn analyze_function<'a>(cx: &ModuleCx<'a>, site: &FuncSite<'a>, mode: Mode) -> (Summary, Vec<RawFinding>) {
    let models = cx.models;
    let params = params_of(&site.def.parameters);
    let bound = site.class.is_some() && !site.is_static;
    let decorators: Vec<String> = site
        .def
        .decorator_list
        .iter()
        .filter_map(|d| {
            let expr = match &d.expression {
                Expr::Call(c) => &*c.func,
                other => other,
            };
            resolve_static(cx, expr)
        })
        .collect();

    let mut env = Env::new();
    for (i, p) in params.iter().enumerate() {
        let mut v = Value::tainted(Taint::one(Flow {
            origin: Origin::Param(i as u8, Rc::from(Vec::<Name>::new())),
            cleared: 0,
            source_note: Rc::from(""),
            steps: None,
        }));
        if i == 0 && bound {
            if site.is_classmethod {
                v.refers = site.class.as_deref().map(Into::into);
            } else {
                v.ty = site.class.as_deref().map(Into::into);
            }
        } else {
            let range = param_range(site.def, i);
            for &r in &models.params {
                let row = &models.rows[r];
                let Match::Param(pattern, scope) = &row.matcher else {
                    continue;
                };
                let name_ok = if pattern.as_str() == "*" {
                    true
                } else {
                    pattern.matches(&p.name)
                };
                if !name_ok || !in_scope(cx, scope, site, &decorators) {
                    continue;
                }
                match row.kind {
                    Kind::Source => {
                        let flow = Flow {
                            origin: Origin::Source(row.label),
                            cleared: 0,
                            source_note: row.note.as_str().into(),
                            steps: super::value::push_step(
                                &None,
                                Loc::Here(range),
                                format!("`{}` is {}", p.name, row.note),
                            ),
                        };
                        v.taint = v.taint.union(&Taint::one(flow));
                        if let Some(ty) = &row.ty {
                            v.ty = Some(ty.as_str().into());
                        }
                    }
                    Kind::Type => v.ty = row.ty.as_deref().map(Into::into),
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
    let info = FuncInfo {
        qualname: site.qualname.clone(),
        def: Some(site.def),
        class: site.class.clone(),
        return_sinks,
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
    let findings = if mode == Mode::Report {
        std::mem::take(&mut interp.findings)
    } else {
        Vec::new()
    };
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

/// A value as a summary keeps it.
fn export_value(cx: &ModuleCx, v: &Value) -> SumValue {
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
    for f in v.all_taint().flows() {
        match &f.origin {
            Origin::Param(i, path) => {
                if out.from_params.len() < 8 {
                    out.from_params.push(ReturnFlow {
                        from: ParamPath {
                            param: *i,
                            path: path.iter().map(|s| s.to_string()).collect(),
                        },
                        cleared: f.cleared,
                        steps: cx.export_steps(&f.steps),
                    });
                }
            }
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
    out
}

/// The module-level values other modules may import: constants, types,
/// names and constant containers.
fn export_globals(vars: &HashMap<Name, Value>) -> HashMap<String, GlobalFact> {
    let mut out = HashMap::new();
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
