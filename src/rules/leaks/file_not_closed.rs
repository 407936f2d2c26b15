//! R203 file-not-closed: a file object from `open`, `os.fdopen`,
//! `tarfile.open`, `zipfile.ZipFile`... bound to a local name and not closed
//! on every path.

use ruff_python_ast::Stmt;

use super::acquisitions::{diagnostic, unreleased};
use super::resources::Kind;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R203",
    name: "file-not-closed",
    bandit: None,
    bandit_name: None,
    family: Family::Leaks,
    cwe: 775,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a file object (from `open`, `io.open`, `codecs.open`, `os.fdopen`, `gzip.open`, \
               `tarfile.open`, `zipfile.ZipFile`, `tempfile.TemporaryFile`...) assigned to a local name \
               instead of opened in a `with` statement, when some path out of the function does not close \
               it: a `return` or the end of the body before `close()`, or an exception raised while it is \
               open with no `try`/`finally` around it. Returning it, storing it or handing it to a function \
               that keeps it counts as closing.",
        why: "An open file holds a descriptor, and for writes, unflushed data. CPython closes it when the last \
              reference goes, but an exception's traceback keeps the frame, and so the file, alive; other \
              interpreters close it whenever the collector runs. Services that leak a file per request or \
              per failed operation run out of descriptors (`EMFILE`), and a written file left unflushed is \
              read back truncated (CWE-775).",
        example: "f = open(path, 'w')\nf.write(render(conf))\nf.close()",
        use_instead: "with open(path, 'w') as f:\n    f.write(render(conf))",
        fix: "Open the file in a `with` statement so it is closed on every path.",
        references: &["https://docs.python.org/3/tutorial/inputoutput.html#reading-and-writing-files"],
    },
};

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    for u in unreleased(cx, body, Kind::FileObject) {
        let call = cx.snippet(u.call);
        let name = u.name.clone();
        out.push(diagnostic(&RULE, cx, &u, "closed").fix(format!(
            "Use `with {call} as {name}:` so the file is closed on every path."
        )));
    }
}
