//! S702 mako-templates (Bandit B702).

use crate::python::names::last_segment;
use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

use super::bandit_context::{has_segment, qualname};

pub static RULE: Rule = Rule {
    id: "S702",
    name: "mako-templates",
    bandit: Some("B702"),
    bandit_name: Some("use_of_mako_templates"),
    family: Family::Frameworks,
    cwe: 80,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `mako.template.Template(...)` (any callee named `Template` whose qualified name \
               contains `mako`) unless `default_filters` escapes every expression (`'h'` or `'x'`).",
        why: "Mako has no environment-wide autoescaping: each `${value}` is inserted as raw HTML unless \
              the template filters it, so one forgotten `| h` lets a user-controlled field inject \
              script into the rendered page (cross-site scripting).",
        example: "from mako.template import Template\n\npage = Template(text).render(name=server.name)",
        use_instead: "from mako.template import Template\n\npage = Template(text, default_filters=['h']).render(name=server.name)",
        fix: "Pass `default_filters=['h']` (HTML-escape every expression) and review each `| n` that turns it off.",
        references: &[
            "https://docs.makotemplates.org/en/latest/filtering.html",
            "https://security.openstack.org/guidelines/dg_cross-site-scripting-xss.html",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let qualname = qualname(cx, site);
    if last_segment(&qualname) != "Template" || !has_segment(&qualname, "mako") {
        return;
    }
    // Bandit flags every Template; one whose default filters HTML- or
    // XML-escape every expression is what this rule asks for, so it passes.
    if site.keyword("default_filters").is_some_and(escapes_by_default) {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    out.push(
        Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` renders expressions unescaped unless each template filters them"),
        )
        .fix(format!(
            "Pass `default_filters=['h']` to `{callee}` so every `${{...}}` is HTML-escaped."
        )),
    );
}

/// A literal list or tuple of filter names including `h` or `x`.
fn escapes_by_default(filters: &Expr) -> bool {
    let elts = match filters {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        _ => return false,
    };
    elts.iter()
        .any(|e| matches!(e, Expr::StringLiteral(s) if matches!(s.value.to_str(), "h" | "x")))
}
