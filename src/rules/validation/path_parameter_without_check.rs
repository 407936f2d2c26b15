//! R602 path-parameter-without-check: an id from the URL parsed or used as
//! a file name with no check on its form.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::handler_pass::{HandlerCheck, OnExpr};
use super::handlers::Handler;
use super::request_data::{Origin, Scan};
use crate::rules::denial_of_service::conversions::conversion;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R602",
    name: "path-parameter-without-check",
    bandit: None,
    bandit_name: None,
    family: Family::Validation,
    cwe: 20,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags, in API handlers, a path parameter (`id`, `server_id`, `image_id`...) passed to a \
               conversion that raises on malformed text (`int()`, `uuid.UUID()`, `netaddr.IPAddress()`...) \
               with nothing catching the error, or used to build a file path (`os.path.join`, `open`, \
               `os.remove`...), when the handler never checks its form (`uuidutils.is_uuid_like`, a \
               validating call).",
        why: "The router accepts any text between two slashes. An id the handler parses without a check \
              turns a typo (`/servers/abc`) into an HTTP 500 with a traceback; an id joined into a file path \
              lets `..%2F..%2Fetc%2Fpasswd` climb out of the directory the handler meant (path traversal).",
        example: "def show(self, req, id):\n    path = os.path.join(CONF.image_cache_dir, id)\n    return {'size': os.path.getsize(path)}",
        use_instead: "def show(self, req, id):\n    if not uuidutils.is_uuid_like(id):\n        raise webob.exc.HTTPNotFound()\n    path = os.path.join(CONF.image_cache_dir, id)\n    return {'size': os.path.getsize(path)}",
        fix: "Check the parameter's form first (`uuidutils.is_uuid_like(id)`, a parameter schema) and answer 400 or 404 when it does not match.",
        references: &["https://cwe.mitre.org/data/definitions/22.html"],
    },
};

/// Calls whose arguments name a file.
const FILE_SINKS: &[&str] = &[
    "open",
    "os.listdir",
    "os.makedirs",
    "os.path.exists",
    "os.path.getsize",
    "os.path.isdir",
    "os.path.isfile",
    "os.path.join",
    "os.remove",
    "os.rmdir",
    "os.stat",
    "os.unlink",
    "shutil.copy",
    "shutil.copyfile",
    "shutil.move",
    "shutil.rmtree",
];

/// The rule's part of the walk of an API handler (`handler_pass`).
pub fn start<'a, 'h>(cx: &'h Context<'a>, handler: &'h Handler<'a>) -> Option<Box<dyn HandlerCheck<'a> + 'h>> {
    let def = handler.def;
    Some(Box::new(OnExpr(
        move |s: &Scan<'a, '_>, expr: &'a Expr, out: &mut Vec<Diagnostic>| {
            let Expr::Call(call) = expr else { return };
            let Some(qualname) = cx.qualified_name(&call.func) else {
                return;
            };
            let conv = conversion(&qualname);
            let is_file = FILE_SINKS.contains(&qualname.as_str());
            if conv.is_none() && !is_file {
                return;
            }
            let args: Vec<&Expr> = if conv.is_some() {
                call.arguments.args.first().into_iter().collect()
            } else {
                call.arguments.args.iter().collect()
            };
            let Some(param) = args.into_iter().find(|a| s.origin(a) == Some(Origin::Path)) else {
                return;
            };
            if s.is_validated(param) {
                return;
            }
            if let Some(conv) = conv
                && s.catches(conv.raises)
            {
                return;
            }
            let name = cx.snippet(param);
            let callee = cx.snippet(&*call.func);
            let (message, detail) = match conv {
                Some(conv) => (
                    format!("Path parameter `{name}` is parsed by `{callee}` without a check on its form"),
                    format!(
                        "Any text in the URL reaches `{callee}`, which raises `{}` on a malformed id: an HTTP 500 \
                     instead of a 400 or 404.",
                        conv.raises.iter().find(|e| **e != "TypeError").unwrap_or(&"ValueError")
                    ),
                ),
                None => (
                    format!("Path parameter `{name}` names a file in `{callee}` without a check on its form"),
                    format!(
                        "`{name}` comes from the URL: a value holding `../` (URL-encoded as `..%2F`) reaches \
                     `{callee}` and escapes the intended directory."
                    ),
                ),
            };
            out.push(
                Diagnostic::new(&RULE, call.range(), message)
                    .detail(detail)
                    .fix(format!(
                        "Check `{name}` first (e.g. `if not uuidutils.is_uuid_like({name}): raise \
                     webob.exc.HTTPNotFound()`)."
                    ))
                    .step(
                        parameter_range(def, param).unwrap_or(def.name.range()),
                        format!("`{}` receives `{name}` from the URL", def.name.as_str()),
                    )
                    .step(call.range(), format!("`{name}` reaches `{callee}` unchecked")),
            );
        },
    )))
}

/// Where the handler declares the parameter `param` (a name).
fn parameter_range(def: &ruff_python_ast::StmtFunctionDef, param: &Expr) -> Option<ruff_text_size::TextRange> {
    let Expr::Name(name) = param else { return None };
    def.parameters
        .posonlyargs
        .iter()
        .chain(def.parameters.args.iter())
        .find(|p| p.parameter.name.as_str() == name.id.as_str())
        .map(|p| p.parameter.range())
}
