//! R202 temporary-path-not-removed: a directory from `tempfile.mkdtemp`, a
//! file from `tempfile.mkstemp` or `NamedTemporaryFile(delete=False)` not
//! removed on every path.

use ruff_python_ast::Stmt;

use super::acquisitions::{diagnostic, unreleased};
use super::resources::Kind;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R202",
    name: "temporary-path-not-removed",
    bandit: None,
    bandit_name: None,
    family: Family::Leaks,
    cwe: 459,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a temporary directory (`tempfile.mkdtemp()`) or file (the path from `tempfile.mkstemp()`, \
               or `tempfile.NamedTemporaryFile(delete=False)`) that the function does not remove on every \
               path: a `return` or the end of the body before `shutil.rmtree`/`os.unlink`, or an exception \
               raised in between with no `try`/`finally` around it. Moving it into place (`os.rename`), \
               returning it or storing it counts as removing it.",
        why: "Temporary files outlive the process that forgot them. On a compute or storage node they hold \
              image data, volume fragments, keys or configuration, readable by whoever can read the temporary \
              directory, and they fill the disk: every failed conversion or upload leaves another one behind \
              until the service's state or temp partition is full (CWE-459).",
        example: "tmpdir = tempfile.mkdtemp()\nconvert(image, tmpdir)\nshutil.rmtree(tmpdir)",
        use_instead: "with tempfile.TemporaryDirectory() as tmpdir:\n    convert(image, tmpdir)",
        fix: "Use `tempfile.TemporaryDirectory()` (or oslo's `utils.tempdir()`) as a context manager, or remove \
              the path in a `finally:` block.",
        references: &["https://docs.python.org/3/library/tempfile.html#tempfile.TemporaryDirectory"],
    },
};

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    for u in unreleased(cx, body, Kind::TempPath) {
        let name = u.name.clone();
        let directory = cx.qualified_name(&u.call.func).is_some_and(|n| n == "tempfile.mkdtemp");
        let fix = if directory {
            format!(
                "Use `with tempfile.TemporaryDirectory() as {name}:`, or remove it in `finally: \
                 shutil.rmtree({name}, ignore_errors=True)`."
            )
        } else {
            format!("Remove it in a `finally:` block (`fileutils.delete_if_exists({name})`).")
        };
        out.push(diagnostic(&RULE, cx, &u, "removed").fix(fix));
    }
}
