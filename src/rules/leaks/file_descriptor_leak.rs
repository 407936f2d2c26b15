//! R201 file-descriptor-leak: a descriptor from `os.open`, `os.pipe`,
//! `os.dup`, `os.openpty` or `tempfile.mkstemp` not closed on every path.

use ruff_python_ast::Stmt;

use super::acquisitions::{diagnostic, unreleased};
use super::resources::Kind;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R201",
    name: "file-descriptor-leak",
    bandit: None,
    bandit_name: None,
    family: Family::Leaks,
    cwe: 775,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags an integer file descriptor (from `os.open`, `os.pipe`, `os.dup`, `os.openpty`, \
               `pty.openpty` or the first item of `tempfile.mkstemp()`) held in a local name that is not \
               closed on every path out of the function: a `return` or the end of the body before \
               `os.close`, or an exception raised while it is open with no `try`/`finally` (or handler) \
               around it. Handing it to `os.fdopen`, returning it or storing it counts as closing.",
        why: "Unlike a file object, a raw descriptor is never closed by the garbage collector. Each leaked one \
              stays open until the process exits; a long-running agent or API worker that leaks one per \
              request or per periodic task runs out of descriptors (`EMFILE`) and stops serving, and the \
              open descriptor is inherited by every child process it spawns (CWE-775).",
        example: "fd, path = tempfile.mkstemp()\nos.write(fd, data)\nos.close(fd)",
        use_instead: "fd, path = tempfile.mkstemp()\nwith os.fdopen(fd, 'wb') as f:\n    f.write(data)",
        fix: "Wrap the descriptor in `os.fdopen(fd)` inside a `with` statement, or close it in a `finally:` block.",
        references: &["https://docs.python.org/3/library/os.html#os.close"],
    },
};

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    for u in unreleased(cx, body, Kind::Descriptor) {
        let name = u.name.clone();
        out.push(diagnostic(&RULE, cx, &u, "closed").fix(format!(
            "Use `with os.fdopen({name}, ...) as f:` right after acquiring it, or close it in `finally: os.close({name})`."
        )));
    }
}
