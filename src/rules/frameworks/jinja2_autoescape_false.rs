//! S701 jinja2-autoescape-false (Bandit B701).

use crate::python::names::last_segment;
use ruff_python_ast::visitor::source_order::{self, SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, Expr, ExprCall, Keyword};
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

use super::bandit_context::{has_segment, qualname};

pub static RULE: Rule = Rule {
    id: "S701",
    name: "jinja2-autoescape-false",
    bandit: Some("B701"),
    bandit_name: Some("jinja2_autoescape_false"),
    family: Family::Frameworks,
    cwe: 94,
    severity: Level::High,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `jinja2.Environment(...)` unless it passes `autoescape=True` or \
               `autoescape=select_autoescape(...)`. An explicit `autoescape=False` and a missing \
               `autoescape` are HIGH confidence; any other value is MEDIUM.",
        why: "Jinja2 does not escape by default: every `{{ value }}` is inserted into the page as raw \
              HTML, so an instance name, a flavor description or any other user-supplied field \
              rendered by the template can carry `<script>` into an operator's browser session \
              (cross-site scripting in a dashboard with admin tokens).",
        example: "env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES))",
        use_instead: "env = jinja2.Environment(\n    loader=jinja2.FileSystemLoader(TEMPLATES),\n    autoescape=jinja2.select_autoescape(['html', 'xml']),\n)",
        fix: "Pass `autoescape=True` or `autoescape=select_autoescape([...])` to the Environment.",
        references: &[
            "https://jinja.palletsprojects.com/en/stable/api/#autoescaping",
            "https://security.openstack.org/guidelines/dg_cross-site-scripting-xss.html",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let qualname = qualname(cx, site);
    if last_segment(&qualname) != "Environment" || !has_segment(&qualname, "jinja2") {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    let fix = format!("Pass `autoescape=select_autoescape(['html', 'xml'])` (or `True`) to `{callee}`.");
    let diag = match first_autoescape(site.call).map(|k| &k.value) {
        None => Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` is created without `autoescape`, which defaults to off"),
        ),
        Some(Expr::BooleanLiteral(b)) if !b.value => Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` turns HTML escaping off (`autoescape=False`)"),
        )
        // Turning the literal on is the whole fix: templates render the
        // same for text without markup characters.
        .edit(b.range, "True"),
        Some(Expr::BooleanLiteral(b)) if b.value => return,
        Some(Expr::Call(c)) if is_select_autoescape(&c.func) => return,
        Some(value) => Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` sets `autoescape={}`, which may be off", cx.snippet(value)),
        )
        .confidence(Level::Medium),
    };
    out.push(diag.fix(fix));
}

/// `select_autoescape(...)` or `<anything>.select_autoescape(...)`.
fn is_select_autoescape(func: &Expr) -> bool {
    match func {
        Expr::Name(n) => n.id.as_str() == "select_autoescape",
        Expr::Attribute(a) => a.attr.as_str() == "select_autoescape",
        _ => false,
    }
}

/// The `autoescape=` keyword Bandit's breadth-first `ast.walk` meets first:
/// the call's own, else the shallowest one in a nested call.
fn first_autoescape(call: &ExprCall) -> Option<&Keyword> {
    if let Some(k) = call.arguments.keywords.iter().find(|k| is_autoescape(k)) {
        return Some(k);
    }
    let mut finder = ShallowestAutoescape { depth: 0, best: None };
    finder.visit_expr(&call.func);
    for arg in &call.arguments.args {
        finder.visit_expr(arg);
    }
    for k in &call.arguments.keywords {
        finder.visit_keyword(k);
    }
    finder.best.map(|(_, k)| k)
}

fn is_autoescape(k: &Keyword) -> bool {
    k.arg.as_ref().is_some_and(|a| a.as_str() == "autoescape")
}

struct ShallowestAutoescape<'a> {
    depth: usize,
    best: Option<(usize, &'a Keyword)>,
}

impl<'a> SourceOrderVisitor<'a> for ShallowestAutoescape<'a> {
    // Python's `Call` holds its arguments directly; ruff's `Arguments` node
    // adds a level that `ast.walk` does not have, so it does not count.
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        if !node.is_arguments() {
            self.depth += 1;
        }
        TraversalSignal::Traverse
    }

    fn leave_node(&mut self, node: AnyNodeRef<'a>) {
        if !node.is_arguments() {
            self.depth -= 1;
        }
    }

    fn visit_keyword(&mut self, keyword: &'a Keyword) {
        if is_autoescape(keyword) && self.best.is_none_or(|(d, _)| self.depth < d) {
            self.best = Some((self.depth, keyword));
        }
        source_order::walk_keyword(self, keyword);
    }
}
