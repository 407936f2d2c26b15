//! The `leaks` family (R2xx): resources a function acquires and does not
//! release on every path out of it, exceptions included.
//!
//! - R201 file descriptors, R202 temporary files and directories, R203 file
//!   objects, R204 child processes, R205 sockets and connections, R206 the
//!   responses of WSGI subrequests (their body iterators).
//!
//! Only function bodies are analysed: what a module's top level binds is a
//! global that lives as long as the process.
//!
//! All six share one analysis: [`acquisitions`] finds where a function
//! binds a resource to a local name and asks [`release`] whether every path
//! out of the function (returns, the end of the body, exceptions) releases
//! it or hands it over. The acquiring calls and what releases each kind are
//! data in [`resources`].

mod acquisitions;
mod connection_not_closed;
mod file_descriptor_leak;
mod file_not_closed;
mod release;
mod resources;
mod response_not_closed;
mod subprocess_not_waited;
mod temporary_path_not_removed;

use ruff_python_ast::Stmt;

use super::checker::Hook;
use super::rule::{FamilyRules, Rule};
use super::{Context, Diagnostic, On};

const ALL: &[&Rule] = &[
    &file_descriptor_leak::RULE,
    &temporary_path_not_removed::RULE,
    &file_not_closed::RULE,
    &subprocess_not_waited::RULE,
    &connection_not_closed::RULE,
    &response_not_closed::RULE,
];

pub static RULES: FamilyRules = FamilyRules {
    rules: ALL,
    hooks: &[Hook {
        rules: ALL,
        on: On::Stmt(check_function),
    }],
};

/// Each rule's check over one body; the review drops the findings of rules
/// that are not selected.
/// A check over one function body (or a module's top level).
type BodyCheck = fn(&Context, &[Stmt], &mut Vec<Diagnostic>);

const CHECKS: &[BodyCheck] = &[
    file_descriptor_leak::check,
    temporary_path_not_removed::check,
    file_not_closed::check,
    subprocess_not_waited::check,
    connection_not_closed::check,
    response_not_closed::check,
];

fn check_function(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::FunctionDef(func) = stmt else { return };
    // A cheap filter: a body that names no acquiring call acquires nothing
    // (a call's last name is written even when its module is aliased).
    if !cx.words_of(&func.body).any(ACQUIRING_WORDS) {
        return;
    }
    for check in CHECKS {
        check(cx, &func.body, out);
    }
}

/// Words every acquiring call in `resources::ACQUIRERS` contains.
const ACQUIRING_WORDS: &[&str] = &[
    "open(",
    "Popen(",
    "SSHClient(",
    "Transport(",
    "HTTP",
    "FTP(",
    "SMTP(",
    "Telnet(",
    "connect",
    "socket(",
    "dup(",
    "pipe(",
    "openpty(",
    "mkstemp(",
    "mkdtemp(",
    "TemporaryFile(",
    "ZipFile(",
    "fdopen(",
    "get_response(",
];
