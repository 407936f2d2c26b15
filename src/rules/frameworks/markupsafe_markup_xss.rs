//! S704 unsafe-markup-use (Bandit B704).

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
    out.push(
        Diagnostic::new(&RULE, site.call.range(), format!("`{name}` marks `{}` as safe HTML without escaping it", cx.snippet(arg)))
            .fix(format!("Keep the template literal and interpolate through it: `{name}(\"...{{}}...\").format(value)` escapes `value`.")),
    );
}
