//! R204 subprocess-not-waited: a `subprocess.Popen` bound to a local name
//! that is not waited for on every path.

use ruff_python_ast::Stmt;

use super::acquisitions::{diagnostic, unreleased};
use super::resources::Kind;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R204",
    name: "subprocess-not-waited",
    bandit: None,
    bandit_name: None,
    family: Family::Leaks,
    cwe: 404,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a child process started with `subprocess.Popen` (or eventlet's green `Popen`) and held in a \
               local name, when the function waits for it (`wait()`, `communicate()`) or kills it on some paths \
               but not on others: a `return` or the end of the body, or an exception raised while it runs with \
               no `try`/`finally` around it. Returning or storing the `Popen` counts as waiting; a process the \
               function never waits for at all is taken to be meant to outlive it (a daemon, a log pipe).",
        why: "A child that is never waited for stays a zombie in the process table, its pipes stay open in the \
              parent, and if it was started to do a privileged job (through rootwrap or privsep) nobody \
              notices that it failed. An agent that leaks one per operation exhausts PIDs or descriptors on \
              the host (CWE-404).",
        example: "proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)\nfor line in proc.stdout:\n    handle(line)",
        use_instead: "with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:\n    for line in proc.stdout:\n        handle(line)",
        fix: "Start the process in a `with subprocess.Popen(...) as proc:` block, or call `proc.communicate()` \
              (or `proc.kill(); proc.wait()`) in a `finally:` block.",
        references: &["https://docs.python.org/3/library/subprocess.html#subprocess.Popen.wait"],
    },
};

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    // A process the function never waits for on any path was started to
    // run on its own (a daemon, a log pipe): only a wait that some path
    // skips is a leak.
    for u in unreleased(cx, body, Kind::Process)
        .into_iter()
        .filter(|u| !u.leak.never_released)
    {
        out.push(diagnostic(&RULE, cx, &u, "waited for"));
    }
}
