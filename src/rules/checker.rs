//! The one walk over a module that runs every enabled hook.
//!
//! Dispatch follows Bandit: each hook declares the node kind it wants
//! ([`Hook`]) and the rules it may report; the walk calls it on every node of
//! that kind. [`Context`] is what a hook may ask about the node's surroundings:
//! qualified names, enclosing statements and functions, the source text.

use crate::python::names::last_segment;
use std::cell::{OnceCell, RefCell};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::rule::{Level, Rule};
use super::words::{Places, Words};
use crate::python::ParsedModule;
use crate::python::names::Aliases;

/// A defect a hook found, before it becomes a [`crate::finding::Finding`].
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub range: TextRange,
    /// One fact about this code: what is wrong, naming the call or value.
    pub message: String,
    /// Why it is exploitable here, when the check can say more than the
    /// rule's documentation does.
    pub detail: Option<String>,
    /// A solution specific to this code (for example the exact replacement).
    pub fix: Option<String>,
    pub severity: Level,
    pub confidence: Level,
    /// The severity Bandit gives this finding, when the review grades it
    /// otherwise (Bandit's JSON report keeps Bandit's grades).
    pub bandit_severity: Option<Level>,
    /// The innermost simple statement around the defect, set by the walk: a
    /// suppression comment on any of its lines applies.
    pub statement: Option<TextRange>,
    /// The path to the defect, in order: for a dataflow defect each step from
    /// source to sink, for a race the check and then the use. Empty for
    /// defects that sit on one node.
    pub steps: Vec<Step>,
    /// A mechanical fix: replacing `range` with the text makes the code safe
    /// with the same behaviour for legitimate input. Only where that is
    /// certain (`yaml.load` → `yaml.safe_load`); otherwise the fix is prose.
    pub edit: Option<Edit>,
    /// Not a defect but a proof from the dataflow analysis: only constants
    /// reach this sink of `rule`. Never reported; the review uses it to
    /// stand down pattern findings of the same defect on the same call
    /// (see `rules::defects`).
    pub only_constants: bool,
}

/// An exact replacement of source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub replacement: String,
}

/// One step of the path to a defect: where, and what happens there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub range: TextRange,
    pub note: String,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, range: TextRange, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            range,
            message: message.into(),
            detail: None,
            fix: None,
            severity: rule.severity,
            confidence: rule.confidence,
            bandit_severity: None,
            statement: None,
            steps: Vec::new(),
            edit: None,
            only_constants: false,
        }
    }

    /// Attaches a mechanical fix (see [`Diagnostic::edit`]).
    pub fn edit(mut self, range: TextRange, replacement: impl Into<String>) -> Self {
        self.edit = Some(Edit {
            range,
            replacement: replacement.into(),
        });
        self
    }

    /// Adds a step to the path (see [`Diagnostic::steps`]).
    pub fn step(mut self, range: TextRange, note: impl Into<String>) -> Self {
        self.steps.push(Step {
            range,
            note: note.into(),
        });
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn severity(mut self, level: Level) -> Self {
        self.severity = level;
        self
    }

    /// Bandit's grade, where the review's differs (see [`Diagnostic::bandit_severity`]).
    pub fn bandit_severity(mut self, level: Level) -> Self {
        self.bandit_severity = Some(level);
        self
    }

    pub fn confidence(mut self, level: Level) -> Self {
        self.confidence = level;
        self
    }
}

/// A call, with its callee's qualified name resolved through the imports.
pub struct CallSite<'a> {
    pub call: &'a ExprCall,
    /// `subprocess.Popen` for `sp.Popen(...)` after `import subprocess as sp`;
    /// empty when the callee is not a name or attribute chain.
    pub qualname: String,
}

impl CallSite<'_> {
    /// The last segment of the qualified name (`Popen`).
    pub fn name(&self) -> &str {
        last_segment(&self.qualname)
    }

    /// Bandit's `call_function_name`: the last segment of the qualified
    /// name, and for a method on something that is not a name chain
    /// (`self._get_path().chmod`, `drivers[0].execute`) still the attribute;
    /// empty when the callee has no name at all (`handlers[0](...)`).
    pub fn short_name(&self) -> &str {
        if !self.qualname.is_empty() {
            return self.name();
        }
        match &*self.call.func {
            Expr::Attribute(attr) => attr.attr.as_str(),
            _ => "",
        }
    }

    /// The keyword argument `name`, if passed.
    pub fn keyword(&self, name: &str) -> Option<&Expr> {
        crate::python::arguments::keyword(self.call, name)
    }

    /// The positional argument at `index`, if passed.
    pub fn arg(&self, index: usize) -> Option<&Expr> {
        self.call.arguments.args.get(index)
    }

    /// The argument at `index` or, failing that, the keyword `name`.
    pub fn arg_or_keyword(&self, index: usize, name: &str) -> Option<&Expr> {
        crate::python::arguments::arg_or_keyword(self.call, index, &[name])
    }
}

/// An imported module name: `import a.b` gives `a.b`; `from a import b`
/// gives `a` with `name = Some("b")`.
pub struct ImportSite<'a> {
    pub stmt: &'a Stmt,
    pub module: &'a str,
    pub name: Option<&'a str>,
}

/// The node kinds a hook can ask for.
pub enum On {
    /// Every call, with its qualified name.
    Call(fn(&Context, &CallSite, &mut Vec<Diagnostic>)),
    /// Every statement.
    Stmt(fn(&Context, &Stmt, &mut Vec<Diagnostic>)),
    /// Every expression.
    Expr(fn(&Context, &Expr, &mut Vec<Diagnostic>)),
    /// Every module or name an import statement brings in.
    Import(fn(&Context, &ImportSite, &mut Vec<Diagnostic>)),
    /// Once per module, after the walk: whole-text checks.
    Module(fn(&Context, &mut Vec<Diagnostic>)),
}

/// A check and the rules it may report; it runs only if one of them is on.
pub struct Hook {
    pub rules: &'static [&'static Rule],
    pub on: On,
}

/// What a hook may ask about the code around the node it was given.
pub struct Context<'a> {
    pub text: &'a str,
    pub module: &'a ParsedModule,
    pub aliases: Aliases,
    /// Enclosing statements, outermost first; the last is the current one.
    pub stmts: Vec<&'a Stmt>,
    /// Enclosing expressions, outermost first; the last is the current one.
    pub exprs: Vec<&'a Expr>,
    /// The project around this file, when the review computed it (for the
    /// dataflow rules); `None` for a file reviewed on its own.
    pub project: Option<crate::flow::ProjectView<'a>>,
    /// Where the words the body filters look for occur in the module,
    /// found once for every family and body (see `rules::words`).
    word_places: OnceCell<Places>,
}

impl<'a> Context<'a> {
    pub fn qualified_name(&self, expr: &Expr) -> Option<String> {
        self.aliases.qualified_name(expr)
    }

    /// Bandit's `is_module_imported_exact`: `module` was imported (aliased
    /// or not) before the node being checked.
    pub fn imported_exact(&self, module: &str) -> bool {
        self.aliases.imported().iter().any(|m| m == module)
    }

    /// Bandit's `is_module_imported_like`: `needle` occurs in a module or
    /// member imported before the node (`flask` matches `flask_restful.Api`).
    pub fn imported_like(&self, needle: &str) -> bool {
        self.aliases.imported().iter().any(|m| m.contains(needle))
    }

    /// `module` itself, or one of its members or submodules, was imported
    /// before the node: unlike [`Context::imported_exact`], this also sees
    /// `from yaml import load`.
    pub fn imported_module_or_member(&self, module: &str) -> bool {
        self.aliases
            .imported()
            .iter()
            .any(|m| m == module || m.strip_prefix(module).is_some_and(|rest| rest.starts_with('.')))
    }

    /// The source text of a node.
    pub fn source(&self, node: &impl Ranged) -> &'a str {
        &self.text[node.range()]
    }

    /// The source text of a node, shortened for a one-line message.
    pub fn snippet(&self, node: &impl Ranged) -> String {
        self.snippet_within(node, 60)
    }

    /// The source text of a node on one line, cut to `max` characters (the
    /// last three `...`) when longer.
    pub fn snippet_within(&self, node: &impl Ranged, max: usize) -> String {
        let one_line: String = self.source(node).split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > max {
            format!("{}...", one_line.chars().take(max - 3).collect::<String>())
        } else {
            one_line
        }
    }

    /// The expression that contains the current one (or the one being asked
    /// about when called from an `Expr` hook: its parent).
    pub fn parent_expr(&self) -> Option<&'a Expr> {
        self.exprs.len().checked_sub(2).map(|i| self.exprs[i])
    }

    /// The innermost statement being visited.
    pub fn current_stmt(&self) -> Option<&'a Stmt> {
        self.stmts.last().copied()
    }

    /// The innermost enclosing function definition.
    pub fn enclosing_function(&self) -> Option<&'a StmtFunctionDef> {
        self.stmts.iter().rev().find_map(|s| match s {
            Stmt::FunctionDef(f) => Some(f),
            _ => None,
        })
    }

    /// Which words the text of `body` contains (see `rules::words`).
    pub fn words_of(&self, body: &[Stmt]) -> Words<'_> {
        let range = match (body.first(), body.last()) {
            (Some(first), Some(last)) => TextRange::new(first.start(), last.end()),
            _ => TextRange::default(),
        };
        self.word_places().within(self.text, range)
    }

    /// Which words the module's text contains (see `rules::words`).
    pub fn module_words(&self) -> Words<'_> {
        self.word_places().whole(self.text)
    }

    fn word_places(&self) -> &Places {
        self.word_places.get_or_init(Places::new)
    }

    pub fn line_of(&self, node: &impl Ranged) -> u32 {
        self.module.line_of(node.start())
    }
}

struct Walker<'a, 'h> {
    cx: Context<'a>,
    hooks: &'h Hooks,
    out: RefCell<Vec<Diagnostic>>,
}

/// The enabled hooks, grouped by the node kind they want.
#[derive(Default)]
pub struct Hooks {
    pub call: Vec<fn(&Context, &CallSite, &mut Vec<Diagnostic>)>,
    pub stmt: Vec<fn(&Context, &Stmt, &mut Vec<Diagnostic>)>,
    pub expr: Vec<fn(&Context, &Expr, &mut Vec<Diagnostic>)>,
    pub import: Vec<fn(&Context, &ImportSite, &mut Vec<Diagnostic>)>,
    pub module: Vec<fn(&Context, &mut Vec<Diagnostic>)>,
    /// The dataflow rules' module hook, kept apart: what it reports depends
    /// on the whole project, what the others report on the file alone (a
    /// cache keeps them apart). It runs after the first `dataflow_at`
    /// module hooks.
    pub dataflow: Option<fn(&Context, &mut Vec<Diagnostic>)>,
    pub dataflow_at: usize,
}

impl Hooks {
    pub fn add(&mut self, on: &On) {
        match on {
            On::Call(f) => self.call.push(*f),
            On::Stmt(f) => self.stmt.push(*f),
            On::Expr(f) => self.expr.push(*f),
            On::Import(f) => self.import.push(*f),
            On::Module(f) => self.module.push(*f),
        }
    }
}

/// Runs `hooks` over the module and returns what they found, in no
/// particular order (the caller sorts).
pub fn check_module(text: &str, module: &ParsedModule, hooks: &Hooks) -> Vec<Diagnostic> {
    check_module_in_project(text, module, hooks, None)
}

/// [`check_module`] for a file of a project whose facts were computed.
pub fn check_module_in_project<'a>(
    text: &'a str,
    module: &'a ParsedModule,
    hooks: &Hooks,
    project: Option<crate::flow::ProjectView<'a>>,
) -> Vec<Diagnostic> {
    let (mut out, at) = check_patterns(text, module, hooks);
    let dataflow = check_dataflow(text, module, hooks, project);
    out.splice(at..at, dataflow);
    out
}

/// Every hook but the dataflow rules': their diagnostics, and where in
/// them the dataflow rules' go (the order the hooks ran in).
pub fn check_patterns(text: &str, module: &ParsedModule, hooks: &Hooks) -> (Vec<Diagnostic>, usize) {
    let mut walker = walker(text, module, hooks, None);
    let body = &module.parsed.syntax().body;
    walker.visit_body(body);
    let mut out = walker.out.into_inner();
    let mut at = out.len();
    for (i, hook) in hooks.module.iter().enumerate() {
        if i == hooks.dataflow_at {
            at = out.len();
        }
        hook(&walker.cx, &mut out);
    }
    if hooks.dataflow_at >= hooks.module.len() {
        at = out.len();
    }
    (out, at)
}

/// The dataflow rules' hook alone (no walk of the tree).
pub fn check_dataflow<'a>(
    text: &'a str,
    module: &'a ParsedModule,
    hooks: &Hooks,
    project: Option<crate::flow::ProjectView<'a>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(hook) = hooks.dataflow {
        hook(&walker(text, module, hooks, project).cx, &mut out);
    }
    out
}

fn walker<'a, 'h>(
    text: &'a str,
    module: &'a ParsedModule,
    hooks: &'h Hooks,
    project: Option<crate::flow::ProjectView<'a>>,
) -> Walker<'a, 'h> {
    Walker {
        cx: Context {
            text,
            module,
            aliases: Aliases::default(),
            stmts: Vec::new(),
            exprs: Vec::new(),
            project,
            word_places: OnceCell::new(),
        },
        hooks,
        out: RefCell::new(Vec::new()),
    }
}

impl<'a> Visitor<'a> for Walker<'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.cx.stmts.push(stmt);
        {
            let mut out = self.out.borrow_mut();
            for hook in &self.hooks.stmt {
                hook(&self.cx, stmt, &mut out);
            }
            match stmt {
                Stmt::Import(import) => {
                    for alias in &import.names {
                        let site = ImportSite {
                            stmt,
                            module: alias.name.as_str(),
                            name: None,
                        };
                        for hook in &self.hooks.import {
                            hook(&self.cx, &site, &mut out);
                        }
                    }
                }
                Stmt::ImportFrom(import) => {
                    let module = import.module.as_ref().map(|m| m.as_str()).unwrap_or("");
                    for alias in &import.names {
                        let site = ImportSite {
                            stmt,
                            module,
                            name: Some(alias.name.as_str()),
                        };
                        for hook in &self.hooks.import {
                            hook(&self.cx, &site, &mut out);
                        }
                    }
                }
                _ => {}
            }
        }
        self.mark_statement();
        self.cx.aliases.record(stmt);
        visitor::walk_stmt(self, stmt);
        self.cx.stmts.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.cx.exprs.push(expr);
        {
            let mut out = self.out.borrow_mut();
            for hook in &self.hooks.expr {
                hook(&self.cx, expr, &mut out);
            }
            if let Expr::Call(call) = expr
                && !self.hooks.call.is_empty()
            {
                let site = CallSite {
                    call,
                    qualname: self.cx.aliases.qualified_name(&call.func).unwrap_or_default(),
                };
                for hook in &self.hooks.call {
                    hook(&self.cx, &site, &mut out);
                }
            }
        }
        self.mark_statement();
        visitor::walk_expr(self, expr);
        self.cx.exprs.pop();
    }
}

impl Walker<'_, '_> {
    /// Gives the diagnostics just reported the innermost simple statement
    /// around them. Compound statements (`def`, `if`, `with`...) span their
    /// whole body, far wider than a suppression comment is meant to reach.
    fn mark_statement(&self) {
        let innermost = self.cx.stmts.last().filter(|s| !is_compound(s));
        for diag in self.out.borrow_mut().iter_mut().rev() {
            if diag.statement.is_some() {
                break;
            }
            diag.statement = Some(innermost.map_or(diag.range, |s| s.range()));
        }
    }
}

fn is_compound(stmt: &Stmt) -> bool {
    matches!(
        stmt,
        Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::If(_)
            | Stmt::With(_)
            | Stmt::Match(_)
            | Stmt::Try(_)
    )
}
