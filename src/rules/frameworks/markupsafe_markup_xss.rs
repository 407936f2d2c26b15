//! S704 unsafe-markup-use (Bandit B704).

use ruff_python_ast::{Expr, Operator};
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

use super::bandit_context::is_ast_constant;

pub static RULE: Rule = Rule {
    id: "S704",
    name: "unsafe-markup-use",
    bandit: Some("B704"),
    bandit_name: Some("markupsafe_markup_xss"),
    family: Family::Frameworks,
    cwe: 79,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `markupsafe.Markup(...)` and `flask.Markup(...)` called on anything but a literal.",
        why: "`Markup(text)` declares `text` to be safe HTML and skips escaping: if it was built from \
              a variable, an f-string, `%` or `.format()`, any user-controlled part of it (a server \
              name, a fault message) reaches the browser as markup and can run script (cross-site \
              scripting).",
        example: "from markupsafe import Markup\n\nhtml = Markup(f'<b>{server.name}</b>')",
        use_instead: "from markupsafe import Markup\n\nhtml = Markup('<b>{}</b>').format(server.name)  # format() escapes the argument",
        fix: "Wrap only a literal template in `Markup` and interpolate with `Markup(...).format(...)` or `%`, which escape, or call `markupsafe.escape(...)`.",
        references: &["https://markupsafe.palletsprojects.com/en/stable/escaping/"],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if !matches!(site.qualname.as_str(), "markupsafe.Markup" | "flask.Markup") {
        return;
    }
    // No argument and a literal are both fine (keyword arguments are not
    // looked at, as in Bandit).
    let Some(arg) = site.arg(0) else { return };
    if is_ast_constant(arg) {
        return;
    }
    let name = cx.snippet(&*site.call.func);
    let fix = mechanical_fix(cx, &name, arg).unwrap_or_else(|| {
        format!("Keep the template literal and interpolate through it: `{name}(\"...{{}}...\").format(value)` escapes `value`.")
    });
    out.push(
        Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{name}` marks `{}` as safe HTML without escaping it", cx.snippet(arg)),
        )
        .fix(fix),
    );
}

/// `Markup("<b>{}</b>".format(x))` becomes `Markup("<b>{}</b>").format(x)`
/// and `Markup("<b>%s</b>" % x)` becomes `Markup("<b>%s</b>") % x`: the same
/// text, with the interpolated values escaped.
fn mechanical_fix(cx: &Context, name: &str, arg: &Expr) -> Option<String> {
    let replacement = match arg {
        Expr::Call(call) => {
            let Expr::Attribute(attr) = &*call.func else {
                return None;
            };
            if attr.attr.as_str() != "format" || !matches!(*attr.value, Expr::StringLiteral(_)) {
                return None;
            }
            format!(
                "{name}({}).format{}",
                cx.source(&*attr.value),
                cx.source(&call.arguments)
            )
        }
        Expr::BinOp(binop) if binop.op == Operator::Mod && matches!(*binop.left, Expr::StringLiteral(_)) => {
            format!("{name}({}) % {}", cx.source(&*binop.left), cx.source(&*binop.right))
        }
        _ => return None,
    };
    if replacement.contains('\n') || replacement.chars().count() > 100 {
        return None;
    }
    Some(format!("Use `{replacement}`, which escapes the interpolated values."))
}
