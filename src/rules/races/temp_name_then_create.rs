//! R103 temp-name-then-create: a temporary file name obtained without
//! creating the file (`tempfile.mktemp()`, the `.name` of a temporary file
//! that is deleted at once) and created later by name.

use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::body_calls::calls_in;
use super::concurrency_apis::TEMP_NAME_ONLY;
use super::file_operations::{Op, file_operation, is_command_runner};
use crate::python::arguments::arg_or_keyword;
use crate::python::literal::str_value;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R103",
    name: "temp-name-then-create",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 377,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a file created (opened for writing, `os.makedirs`, `os.symlink`, `shutil.copy` to it, \
               handed to a command, or handed to any other function as its first argument, such as \
               `stats.dump_stats(path)`) at a name that the same function got from `tempfile.mktemp()`, or from the \
               `.name` of a `tempfile.NamedTemporaryFile()` that was never bound (and so deleted at once). \
               Creating it with `O_EXCL` or mode `'x'` is not flagged. S306 flags every `mktemp` call; this \
               rule shows where the name is used.",
        why: "The name is free when it is chosen and taken when it is used: in between, any local user can \
              create a file or a symlink with that name in the shared temporary directory. The service then \
              writes through the link into a file of the attacker's choosing (as root, when it runs through \
              privsep or rootwrap), or reads data the attacker planted (CWE-377).",
        example: "path = tempfile.mktemp(suffix='.img')\nwith open(path, 'wb') as f:\n    f.write(data)",
        use_instead: "fd, path = tempfile.mkstemp(suffix='.img')\nwith os.fdopen(fd, 'wb') as f:\n    f.write(data)",
        fix: "Let `tempfile.mkstemp()` (or `NamedTemporaryFile(delete=False)`, `mkdtemp()`) create the file and \
              use the descriptor or object it returns.",
        references: &["https://docs.python.org/3/library/tempfile.html#tempfile.mktemp"],
    },
};

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    let chosen = chosen_names(cx, body);
    if chosen.is_empty() {
        return;
    }
    let calls = calls_in(body);
    for (name, chooser, how) in chosen {
        let later = calls.iter().filter(|c| c.start() > chooser.end());
        for call in later {
            let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
            let created = match creates(cx, call) {
                Some(path) => is_name(path),
                // A name made to be used: the first other function given
                // it (`stats.dump_stats(path)`, `plt.savefig(path)`) writes
                // the file.
                None => call.arguments.args.first().is_some_and(is_name) && hands_over(cx, call),
            };
            if !created {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    call.range(),
                    format!(
                        "`{}` writes to `{name}`, a name {how} chose on line {} without creating the file",
                        cx.snippet(*call),
                        cx.line_of(chooser)
                    ),
                )
                .detail(format!(
                    "Line {} picks a free name; line {} creates it. Anyone can create `{name}` (or a symlink there) \
                     in between.",
                    cx.line_of(chooser),
                    cx.line_of(*call)
                ))
                .step(
                    chooser.range(),
                    format!("`{}` chooses a name but leaves no file", cx.snippet(chooser)),
                )
                .step(
                    call.range(),
                    format!("`{}` creates a file at that name", cx.snippet(*call)),
                ),
            );
            break;
        }
    }
}

/// Local names bound to a temporary name with no file behind it:
/// `path = tempfile.mktemp()`, `path = tempfile.NamedTemporaryFile().name`
/// (the object is dropped, and the file deleted, at once). Gives the name,
/// the choosing call and how a message calls it.
fn chosen_names<'a>(cx: &Context, body: &'a [Stmt]) -> Vec<(&'a str, &'a ExprCall, &'static str)> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Find<'a, 'c, 'x> {
        cx: &'c Context<'x>,
        found: Vec<(&'a str, &'a ExprCall, &'static str)>,
    }
    impl<'a> Visitor<'a> for Find<'a, '_, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::Assign(a) = stmt
                && let [Expr::Name(n)] = &a.targets[..]
            {
                match &*a.value {
                    Expr::Call(c)
                        if self
                            .cx
                            .qualified_name(&c.func)
                            .is_some_and(|q| TEMP_NAME_ONLY.contains(&q.as_str())) =>
                    {
                        self.found.push((n.id.as_str(), c, "`tempfile.mktemp()`"));
                    }
                    Expr::Attribute(attr) if attr.attr.as_str() == "name" => {
                        if let Expr::Call(c) = &*attr.value
                            && self.cx.qualified_name(&c.func).as_deref() == Some("tempfile.NamedTemporaryFile")
                        {
                            self.found.push((n.id.as_str(), c, "an unbound `NamedTemporaryFile()`"));
                        }
                    }
                    _ => {}
                }
            }
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, stmt);
            }
        }
    }
    let mut find = Find { cx, found: Vec::new() };
    find.visit_body(body);
    find.found
}

/// Whether a call given the name is one that may create the file: not a
/// path computation, a log line, a read, a removal or a test.
fn hands_over(cx: &Context, call: &ExprCall) -> bool {
    let qualname = cx.qualified_name(&call.func).unwrap_or_default();
    let first = qualname.split('.').next().unwrap_or("");
    if qualname.starts_with("os.path.") || matches!(first, "LOG" | "LOGGER" | "log" | "logger" | "logging") {
        return false;
    }
    // Known file operations are judged by `creates`; reads, removals and
    // tests create nothing.
    file_operation(&qualname).is_none() && !matches!(qualname.as_str(), "str" | "repr" | "len" | "print")
}

/// The path a call creates, if it creates one without `O_EXCL`/`'x'`.
fn creates<'a>(cx: &Context, call: &'a ExprCall) -> Option<&'a Expr> {
    let qualname = cx.qualified_name(&call.func)?;
    let args = &call.arguments.args;
    if let Some((op, _src, dest)) = file_operation(&qualname) {
        return match op {
            Op::Open => {
                let mode = arg_or_keyword(call, 1, &["mode", "flags"]);
                let exclusive = mode.is_some_and(|m| {
                    str_value(m).is_some_and(|s| s.contains('x'))
                        || crate::rules::races::expr_search::any_expr(
                            m,
                            |e: &Expr| matches!(e, Expr::Attribute(a) if a.attr.as_str() == "O_EXCL"),
                        )
                });
                let writes =
                    qualname == "os.open" || mode.and_then(str_value).is_some_and(|s| s.contains(['w', 'a', '+']));
                (writes && !exclusive).then(|| args.first()).flatten()
            }
            Op::MakeDir | Op::Create | Op::Copy | Op::Rename => args.get(dest),
            _ => None,
        };
    }
    if is_command_runner(&qualname) {
        return args
            .iter()
            .rev()
            .find(|a| matches!(a, Expr::Name(_) | Expr::Attribute(_)));
    }
    None
}
