//! S506 unsafe-yaml-load (Bandit B506).

use crate::python::names::last_segment;
use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

use super::bandit_context::{has_segment, qualname, text_value};

pub static RULE: Rule = Rule {
    id: "S506",
    name: "unsafe-yaml-load",
    bandit: Some("B506"),
    bandit_name: Some("yaml_load"),
    family: Family::Frameworks,
    cwe: 20,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags PyYAML's `yaml.load(...)` unless its loader is `SafeLoader` or `CSafeLoader`.",
        why: "PyYAML's full and unsafe loaders build arbitrary Python objects from tags such as \
              `!!python/object/apply:os.system`, so loading a document an attacker controls (a \
              request body, an image property, a file from a user-writable path) runs their code in \
              the service.",
        example: "import yaml\n\nspec = yaml.load(req.body, Loader=yaml.Loader)",
        use_instead: "import yaml\n\nspec = yaml.safe_load(req.body)",
        fix: "Use `yaml.safe_load(...)` or pass `Loader=yaml.SafeLoader`.",
        references: &["https://pyyaml.org/wiki/PyYAMLDocumentation#loading-yaml"],
    },
};

const SAFE_LOADERS: [&str; 2] = ["SafeLoader", "CSafeLoader"];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let qualname = qualname(cx, site);
    if last_segment(&qualname) != "load" || !has_segment(&qualname, "yaml") {
        return;
    }
    // Bandit compares the loader by its last name: `yaml.SafeLoader`,
    // `SafeLoader` and `CSafeLoader` are safe, whatever module they came from.
    let safe = |e| text_value(e).is_some_and(|v| SAFE_LOADERS.contains(&v.as_ref()));
    if site.keyword("Loader").is_some_and(safe) || site.arg(1).is_some_and(safe) {
        return;
    }
    // Bandit needs `import yaml`; `from yaml import load` is caught too here.
    if !cx.imported_module_or_member("yaml") {
        return;
    }
    let stream = site
        .arg(0)
        .or_else(|| site.keyword("stream"))
        .map(|a| cx.snippet(a))
        .unwrap_or_else(|| "...".into());
    let message = match site.keyword("Loader").or_else(|| site.arg(1)) {
        Some(loader) => format!(
            "`{}` builds arbitrary Python objects with `{}`",
            cx.snippet(&*site.call.func),
            cx.snippet(loader)
        ),
        None => format!(
            "`{}` without a safe loader can build arbitrary Python objects",
            cx.snippet(&*site.call.func)
        ),
    };
    let mut diag = Diagnostic::new(&RULE, site.call.range(), message).fix(format!("Use `yaml.safe_load({stream})`."));
    // `yaml.load(stream)` with no loader argument becomes `yaml.safe_load(stream)`:
    // the same result for every document of plain data, and no object
    // construction for the others. With a loader argument, or a callee that
    // is not `<module>.load`, the change is not mechanical.
    if let Expr::Attribute(attr) = &*site.call.func
        && site.call.arguments.len() == 1
        && site.arg(0).is_some()
    {
        diag = diag.edit(attr.attr.range, "safe_load");
    }
    out.push(diag);
}
