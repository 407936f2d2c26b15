//! S703 django-mark-safe (Bandit B703).
//!
//! A port of Bandit's `django_xss` plugin, including its small data-flow
//! analysis: an argument is safe when it is a string literal, a `.format()`
//! or `%` of a literal template whose arguments are all safe, or a name whose
//! assignments before the call (in the enclosing function, or the module) are
//! all safe. The analysis keeps Bandit's quirks, which its 29 findings on its
//! own examples depend on: the last assignment wins, a branch (`if`, `try`,
//! loops) counts only if every assignment in it is a literal or a safe name,
//! and a name bound by `with ... as` is never safe.

use ruff_python_ast::{Expr, ExprCall, Operator, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

use super::bandit_context::{call_name, is_ast_constant};
use super::tables::MARK_SAFE_FUNCTIONS;

pub static RULE: Rule = Rule {
    id: "S703",
    name: "django-mark-safe",
    bandit: Some("B703"),
    bandit_name: Some("django_mark_safe"),
    family: Family::Frameworks,
    cwe: 80,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags Django's `mark_safe`, `SafeString`, `SafeText`, `SafeUnicode` and `SafeBytes` \
               called on a value that is not provably built from string literals, in a module that \
               imports `django.utils.safestring`.",
        why: "`mark_safe(value)` tells Django's templates not to escape `value`. If any part of it \
              comes from a request, the database or another service (an instance name, a volume \
              description, an exception message), that part is inserted as HTML and can run script \
              in an administrator's Horizon session (cross-site scripting).",
        example: "from django.utils.safestring import mark_safe\n\ndef link(instance):\n    return mark_safe('<a href=\"{}\">{}</a>'.format(instance.url, instance.name))",
        use_instead: "from django.utils.html import format_html\n\ndef link(instance):\n    return format_html('<a href=\"{}\">{}</a>', instance.url, instance.name)",
        fix: "Build the HTML with `django.utils.html.format_html(...)`, which escapes its arguments, instead of marking a computed string safe.",
        references: &[
            "https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe",
            "https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html",
            "https://security.openstack.org/guidelines/dg_cross-site-scripting-xss.html",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let name = call_name(cx, site);
    if MARK_SAFE_FUNCTIONS.binary_search(&name.as_ref()).is_err() {
        return;
    }
    // Bandit reads the first positional argument only (and crashes without
    // one); `mark_safe(s=...)` is read too here.
    let Some(arg) = site.arg(0).or_else(|| site.keyword("s")) else {
        return;
    };
    if matches!(arg, Expr::StringLiteral(_)) || !cx.imported_like("django.utils.safestring") {
        return;
    }
    let flow = Flow::new(cx);
    let callee = cx.snippet(&*site.call.func);
    let shown = cx.snippet(arg);
    let detail = match arg {
        Expr::Name(var) => {
            let id = var.id.as_str();
            if flow.scope.is_param(id) {
                Some(format!(
                    "`{id}` is a parameter of `{}`: its value comes from the caller.",
                    flow.scope.name()
                ))
            } else if flow.var_is_safe(id, cx.line_of(site.call), 0) {
                return;
            } else if flow.is_assigned_before(id, cx.line_of(site.call)) {
                Some(format!(
                    "Not every assignment to `{id}` before this call is a string literal or a safe name."
                ))
            } else {
                Some(format!(
                    "`{id}` is not assigned in `{}` before this call (assignments in other scopes are not followed).",
                    flow.scope.name()
                ))
            }
        }
        Expr::Call(call) => {
            if flow.call_is_safe(call, 0) {
                return;
            }
            Some("Only `'literal'.format(...)` with literal or safe-name arguments (and no keywords) is known to be safe.".to_string())
        }
        Expr::BinOp(binop) if binop.op == Operator::Mod && matches!(*binop.left, Expr::StringLiteral(_)) => {
            let args: Vec<&Expr> = match &*binop.right {
                Expr::Tuple(t) => t.elts.iter().collect(),
                other => vec![other],
            };
            if flow.format_args_are_safe(args, cx.line_of(binop), 0) {
                return;
            }
            Some("An argument of the `%` formatting is not a literal or a safe name.".to_string())
        }
        _ => None,
    };
    let mut diag = Diagnostic::new(
        &RULE,
        site.call.range(),
        format!("`{callee}` skips HTML escaping for `{shown}`, not proven to be built from literals"),
    );
    if let Some(detail) = detail {
        diag = diag.detail(detail);
    }
    if let Some(fix) = format_html_fix(cx, arg) {
        diag = diag.fix(fix);
    }
    out.push(diag);
}

/// `mark_safe('<b>{}</b>'.format(x))` has a mechanical replacement.
fn format_html_fix(cx: &Context, arg: &Expr) -> Option<String> {
    let Expr::Call(call) = arg else { return None };
    let Expr::Attribute(attr) = &*call.func else {
        return None;
    };
    if attr.attr.as_str() != "format"
        || !matches!(*attr.value, Expr::StringLiteral(_))
        || !call.arguments.keywords.is_empty()
    {
        return None;
    }
    let mut parts = vec![cx.source(&*attr.value).to_string()];
    parts.extend(call.arguments.args.iter().map(|a| cx.source(a).to_string()));
    let replacement = format!("format_html({})", parts.join(", "));
    if replacement.contains('\n') || replacement.chars().count() > 100 {
        return Some("Use `django.utils.html.format_html(template, *args)` with the same template and arguments: it escapes the arguments.".into());
    }
    Some(format!(
        "Use `{replacement}` (from `django.utils.html`), which escapes the arguments."
    ))
}

/// Bandit's recursion has no bound (it would die of `RecursionError` on
/// `x = (\n x)`); past this depth a value is simply not proven safe.
const MAX_DEPTH: u32 = 64;

/// Where Bandit looks for assignments: the innermost enclosing `def` (not
/// `async def`, which Bandit's plugin does not recognise), else the module.
enum Scope<'a> {
    Module(&'a [Stmt]),
    Function(&'a StmtFunctionDef),
}

impl<'a> Scope<'a> {
    fn body(&self) -> &'a [Stmt] {
        match self {
            Scope::Module(body) => body,
            Scope::Function(f) => &f.body,
        }
    }

    /// Bandit only looks at plain positional parameters (`args.args`).
    fn is_param(&self, id: &str) -> bool {
        match self {
            Scope::Module(_) => false,
            Scope::Function(f) => f.parameters.args.iter().any(|p| p.parameter.name.as_str() == id),
        }
    }

    fn name(&self) -> &str {
        match self {
            Scope::Module(_) => "<module>",
            Scope::Function(f) => f.name.as_str(),
        }
    }
}

/// What Bandit's `DeepAssignation.is_assigned` finds for one statement.
enum Assigned<'a> {
    Nothing,
    /// The value of `name = value`, `name += value`, or its element in
    /// `a, name = x, value`.
    Value(&'a Expr),
    /// `with ... as name`: never safe.
    WithTarget,
    /// Everything assigned in a compound statement's bodies, flattened.
    Branches(Vec<Assigned<'a>>),
}

struct Flow<'a, 'c> {
    cx: &'c Context<'a>,
    scope: Scope<'a>,
}

impl<'a, 'c> Flow<'a, 'c> {
    fn new(cx: &'c Context<'a>) -> Self {
        let function = cx.stmts.iter().rev().find_map(|s| match s {
            Stmt::FunctionDef(f) if !f.is_async => Some(f),
            _ => None,
        });
        let scope = match function {
            Some(f) => Scope::Function(f),
            None => Scope::Module(&cx.module.parsed.syntax().body),
        };
        Flow { cx, scope }
    }

    /// Python's `lineno` of a statement: a decorated `def` or `class` is at
    /// its `def` line, not its first decorator.
    fn stmt_line(&self, stmt: &Stmt) -> u32 {
        match stmt {
            Stmt::FunctionDef(f) => self.cx.line_of(&f.name),
            Stmt::ClassDef(c) => self.cx.line_of(&c.name),
            _ => self.cx.line_of(stmt),
        }
    }

    /// Whether a statement of the scope starting before line `until`
    /// assigns `id` (for the explanation of a finding).
    fn is_assigned_before(&self, id: &str, until: u32) -> bool {
        self.scope
            .body()
            .iter()
            .take_while(|s| self.stmt_line(s) < until)
            .any(|s| match is_assigned(s, id) {
                Assigned::Nothing => false,
                Assigned::Branches(found) => !found.is_empty(),
                _ => true,
            })
    }

    /// `evaluate_var`: whether every assignment to `id` in the scope's
    /// statements starting before line `until` leaves it safe.
    fn var_is_safe(&self, id: &str, until: u32, depth: u32) -> bool {
        if depth > MAX_DEPTH || self.scope.is_param(id) {
            return false;
        }
        let mut secure = false;
        for stmt in self.scope.body() {
            let line = self.stmt_line(stmt);
            if line >= until {
                break;
            }
            match is_assigned(stmt, id) {
                Assigned::Nothing => {}
                Assigned::Branches(found) if found.is_empty() => {}
                Assigned::Value(Expr::StringLiteral(_)) => secure = true,
                Assigned::Value(Expr::Name(name)) => {
                    secure = self.var_is_safe(name.id.as_str(), self.cx.line_of(name), depth + 1);
                }
                Assigned::Value(Expr::Call(call)) => secure = self.call_is_safe(call, depth + 1),
                Assigned::Value(_) | Assigned::WithTarget => return false,
                Assigned::Branches(found) => {
                    let all_safe = found.iter().all(|a| match a {
                        Assigned::Value(Expr::StringLiteral(_)) => true,
                        Assigned::Value(Expr::Name(name)) => self.var_is_safe(name.id.as_str(), line, depth + 1),
                        _ => false,
                    });
                    if !all_safe {
                        return false;
                    }
                    secure = true;
                }
            }
        }
        secure
    }

    /// `evaluate_call`: `<constant>.format(args)` without keywords, whose
    /// arguments are all safe.
    fn call_is_safe(&self, call: &ExprCall, depth: u32) -> bool {
        let Expr::Attribute(attr) = &*call.func else {
            return false;
        };
        if attr.attr.as_str() != "format" || !is_ast_constant(&attr.value) || !call.arguments.keywords.is_empty() {
            return false;
        }
        self.format_args_are_safe(call.arguments.args.iter().collect(), self.cx.line_of(call), depth)
    }

    /// The argument loop of `evaluate_call`, shared with `template % args`
    /// (Bandit rewrites that into a `.format` call at the `%`'s line).
    fn format_args_are_safe(&self, mut args: Vec<&Expr>, line: u32, depth: u32) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let mut i = 0;
        while i < args.len() {
            let ok = match args[i] {
                Expr::StringLiteral(_) => true,
                Expr::Name(name) => self.var_is_safe(name.id.as_str(), line, depth + 1),
                Expr::Call(call) => self.call_is_safe(call, depth + 1),
                Expr::Starred(starred) => match &*starred.value {
                    // `*[a, 'b']`: its elements are checked after the others.
                    Expr::List(l) => {
                        args.extend(l.elts.iter());
                        true
                    }
                    Expr::Tuple(t) => {
                        args.extend(t.elts.iter());
                        true
                    }
                    _ => false,
                },
                _ => false,
            };
            if !ok {
                return false;
            }
            i += 1;
        }
        true
    }
}

/// `DeepAssignation.is_assigned`: what `stmt` assigns to `id`, looking into
/// compound statements (and nested `def` bodies) as Bandit does.
fn is_assigned<'a>(stmt: &'a Stmt, id: &str) -> Assigned<'a> {
    match stmt {
        Stmt::FunctionDef(f) if !f.is_async => Assigned::Branches(assigned_in(&f.body, id)),
        Stmt::With(with) if !with.is_async => {
            // Bandit lets the last `with` item decide.
            let Some(item) = with.items.last() else {
                return Assigned::Nothing;
            };
            match item.optional_vars.as_deref() {
                Some(Expr::Name(name)) if name.id.as_str() == id => Assigned::WithTarget,
                _ => Assigned::Branches(assigned_in(&with.body, id)),
            }
        }
        Stmt::Try(t) if !t.is_star => {
            let mut found = assigned_in(&t.body, id);
            for handler in &t.handlers {
                let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                found.extend(assigned_in(&h.body, id));
            }
            found.extend(assigned_in(&t.orelse, id));
            found.extend(assigned_in(&t.finalbody, id));
            Assigned::Branches(found)
        }
        Stmt::If(s) => {
            let mut found = assigned_in(&s.body, id);
            for clause in &s.elif_else_clauses {
                found.extend(assigned_in(&clause.body, id));
            }
            Assigned::Branches(found)
        }
        Stmt::For(s) if !s.is_async => {
            let mut found = assigned_in(&s.body, id);
            found.extend(assigned_in(&s.orelse, id));
            Assigned::Branches(found)
        }
        Stmt::While(s) => {
            let mut found = assigned_in(&s.body, id);
            found.extend(assigned_in(&s.orelse, id));
            Assigned::Branches(found)
        }
        Stmt::AugAssign(a) => match &*a.target {
            Expr::Name(name) if name.id.as_str() == id => Assigned::Value(&a.value),
            _ => Assigned::Nothing,
        },
        Stmt::Assign(a) => match (a.targets.first(), &*a.value) {
            (Some(Expr::Name(name)), value) if name.id.as_str() == id => Assigned::Value(value),
            (Some(Expr::Tuple(targets)), Expr::Tuple(values)) => {
                // Bandit crashes on a target that is not a name
                // (`self.x, y = ...`) and so reports nothing; here such a
                // target is skipped.
                let position = targets
                    .elts
                    .iter()
                    .position(|t| matches!(t, Expr::Name(n) if n.id.as_str() == id));
                match position.and_then(|i| values.elts.get(i)) {
                    Some(value) => Assigned::Value(value),
                    None => Assigned::Nothing,
                }
            }
            _ => Assigned::Nothing,
        },
        _ => Assigned::Nothing,
    }
}

/// `DeepAssignation.is_assigned_in`: the findings of each statement,
/// compound ones flattened.
fn assigned_in<'a>(body: &'a [Stmt], id: &str) -> Vec<Assigned<'a>> {
    let mut found = Vec::new();
    for stmt in body {
        match is_assigned(stmt, id) {
            Assigned::Nothing => {}
            Assigned::Branches(inner) => found.extend(inner),
            one => found.push(one),
        }
    }
    found
}
