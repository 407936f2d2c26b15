//! R404 secret-written-to-readable-file: a secret written to a file that
//! `open()` creates with the default, world-readable mode.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::secret_values::find_secret;
use crate::python::arguments::arg_or_keyword;
use crate::python::literal::str_value;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R404",
    name: "secret-written-to-readable-file",
    bandit: None,
    bandit_name: None,
    family: Family::Exposure,
    cwe: 732,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `with open(path, 'w') as f:` blocks that write a value read through a secret name \
               (`f.write(password)`, `json.dump({'token': token}, f)`, `print(secret, file=f)`) when the \
               enclosing function never restricts the file's mode (no `os.chmod`, `os.fchmod`, `os.umask`, \
               `os.open(..., 0o600)`) and the file is not a `tempfile` (which `mkstemp` and \
               `NamedTemporaryFile` create as 0600).",
        why: "`open()` creates a file with mode 0666 minus the umask, usually 0644: every local user and every \
              process on the host (including a compromised guest-facing service running as another user) can \
              read it. A keyring, a CHAP secret or a LUKS passphrase written that way leaks to all of them, \
              and it stays on disk after the operation.",
        example: "with open(keyring_path, 'w') as f:\n    f.write(secret)",
        use_instead: "fd = os.open(keyring_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)\nwith os.fdopen(fd, 'w') as f:\n    f.write(secret)",
        fix: "Create the file with mode 0600 (`os.open(path, flags, 0o600)` then `os.fdopen`), or use `tempfile.mkstemp()` / `NamedTemporaryFile`, before writing the secret.",
        references: &["https://security.openstack.org/guidelines/dg_apply-restrictive-file-permissions.html"],
    },
};

/// Text in the enclosing function that shows the file's mode is handled.
const MODE_HANDLED: &[&str] = &[
    "0o600",
    "0o400",
    "0600",
    "NamedTemporaryFile",
    "S_IRUSR",
    "chmod",
    "mkstemp",
    "os.open(",
    "umask",
    "write_to_tempfile",
];

/// Functions that write their first argument to the file given second.
const DUMPERS: &[&str] = &[
    "json.dump",
    "jsonutils.dump",
    "pickle.dump",
    "yaml.dump",
    "yaml.safe_dump",
];

pub fn check(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::With(with) = stmt else { return };
    for item in &with.items {
        let Expr::Call(open) = &item.context_expr else { continue };
        let Some(Expr::Name(file)) = item.optional_vars.as_deref() else {
            continue;
        };
        if !is_open_for_writing(cx, open) || path_is_temporary(open) {
            continue;
        }
        let Some((write, secret)) = find_write(cx, &with.body, file.id.as_str()) else {
            continue;
        };
        if let Some(function) = cx.enclosing_function() {
            let text = cx.source(function);
            if MODE_HANDLED.iter().any(|m| text.contains(m)) {
                continue;
            }
        }
        let value = cx.snippet(secret);
        out.push(
            Diagnostic::new(
                &RULE,
                write.range(),
                format!("`{value}` is written to a file that `open()` creates readable by every local user"),
            )
            .detail(format!(
                "`{}` uses the default mode and nothing in this function restricts it.",
                cx.snippet(open)
            ))
            .fix("Open the file with `os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)` and `os.fdopen`, or write it with `tempfile.mkstemp()`.")
            .step(open.range(), format!("`{}` creates the file world-readable", cx.snippet(open)))
            .step(write.range(), format!("and `{value}` is written to it")),
        );
    }
}

fn is_open_for_writing(cx: &Context, call: &ruff_python_ast::ExprCall) -> bool {
    let Some(name) = cx.qualified_name(&call.func) else {
        return false;
    };
    if !matches!(name.as_str(), "open" | "io.open" | "codecs.open") {
        return false;
    }
    let mode = arg_or_keyword(call, 1, &["mode"]);
    mode.and_then(str_value).is_some_and(|m| m.contains(['w', 'a', 'x']))
}

/// `open(tmp.name, 'w')`: the path of a `NamedTemporaryFile`, created 0600.
fn path_is_temporary(call: &ruff_python_ast::ExprCall) -> bool {
    matches!(call.arguments.args.first(), Some(Expr::Attribute(a)) if a.attr.as_str() == "name")
}

/// The first statement in `body` writing a secret to `file`, and the secret.
fn find_write<'a>(cx: &Context, body: &'a [Stmt], file: &str) -> Option<(&'a Stmt, &'a Expr)> {
    for stmt in body {
        let found = match stmt {
            Stmt::Expr(e) => written_secret(cx, &e.value, file).map(|secret| (stmt, secret)),
            Stmt::If(s) => find_write(cx, &s.body, file)
                .or_else(|| s.elif_else_clauses.iter().find_map(|c| find_write(cx, &c.body, file))),
            Stmt::For(s) => find_write(cx, &s.body, file),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn written_secret<'a>(cx: &Context, expr: &'a Expr, file: &str) -> Option<&'a Expr> {
    let Expr::Call(call) = expr else { return None };
    let is_file = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == file);
    if let Expr::Attribute(attr) = &*call.func
        && is_file(&attr.value)
        && matches!(attr.attr.as_str(), "write" | "writelines")
    {
        return call.arguments.args.first().and_then(find_secret);
    }
    let name = cx.qualified_name(&call.func).unwrap_or_default();
    if DUMPERS
        .iter()
        .any(|d| crate::python::names::ends_with_segments(&name, d))
        && call.arguments.args.get(1).is_some_and(is_file)
    {
        return call.arguments.args.first().and_then(find_secret);
    }
    if name == "print"
        && call
            .arguments
            .keywords
            .iter()
            .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "file") && is_file(&k.value))
    {
        return call.arguments.args.iter().find_map(find_secret);
    }
    None
}
