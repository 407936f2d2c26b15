//! R405 wsgi-server-sends-tracebacks: `eventlet.wsgi.server(...)` left in
//! its default debug mode, which puts tracebacks in 500 responses.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::python::literal::is_falsy_constant;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R405",
    name: "wsgi-server-sends-tracebacks",
    bandit: None,
    bandit_name: None,
    family: Family::Exposure,
    cwe: 209,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags calls to `eventlet.wsgi.server(...)` that do not pass `debug=False`.",
        why: "`eventlet.wsgi.server` defaults to `debug=True`: when the application raises, the server \
              answers 500 with the full Python traceback in the body. Any API user who can trigger an \
              unexpected error (a malformed header, a backend outage) then reads source paths, library \
              versions, local variables in messages and internal host names (Glance fixed exactly this in \
              commit 33fc21a8, \"Do not send traceback to clients by default\").",
        example: "eventlet.wsgi.server(sock, application, custom_pool=self.pool, log=self.logger)",
        use_instead: "eventlet.wsgi.server(sock, application, custom_pool=self.pool, log=self.logger,\n                     debug=False)",
        fix: "Pass `debug=False` to `eventlet.wsgi.server` (or tie it to an explicit, off-by-default option).",
        references: &["https://eventlet.readthedocs.io/en/latest/modules/wsgi.html#eventlet.wsgi.server"],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if site.qualname != "eventlet.wsgi.server" {
        return;
    }
    // The edit (`--fix`): `debug` only decides what the body of a 500 says,
    // so turning it off changes nothing for a request that succeeds.
    let (message, edit) = match site.keyword("debug") {
        Some(value) if is_falsy_constant(value) => return,
        // A variable or option: the author chose; only `True` is certain.
        Some(Expr::BooleanLiteral(b)) => (
            "`eventlet.wsgi.server` is started with `debug=True`",
            Some((b.range(), "False")),
        ),
        Some(_) => return,
        None if site.call.arguments.keywords.iter().any(|k| k.arg.is_none()) => return,
        None => (
            "`eventlet.wsgi.server` is started in its default debug mode",
            after_last_argument(site).map(|at| (at, ", debug=False")),
        ),
    };
    let mut diag = Diagnostic::new(&RULE, site.call.range(), message)
        .detail(format!(
            "`{}` answers unexpected errors with a 500 whose body is the Python traceback.",
            cx.snippet(&*site.call.func)
        ))
        .fix("Add `debug=False` to the call.");
    if let Some((range, replacement)) = edit {
        diag = diag.edit(range, replacement);
    }
    out.push(diag);
}

/// `debug` is the sixteenth parameter of `eventlet.wsgi.server`: a call
/// with that many positional arguments already passes it.
const DEBUG_POSITION: usize = 16;

/// The empty range just after the call's last argument, where a keyword
/// argument can be added; `None` when there is no argument or `debug`
/// could be among the positional ones.
fn after_last_argument(site: &CallSite) -> Option<ruff_text_size::TextRange> {
    let arguments = &site.call.arguments;
    if arguments.args.len() >= DEBUG_POSITION {
        return None;
    }
    let end = arguments
        .args
        .iter()
        .map(Ranged::end)
        .chain(arguments.keywords.iter().map(Ranged::end))
        .max()?;
    Some(ruff_text_size::TextRange::empty(end))
}
