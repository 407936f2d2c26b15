//! The `races` family (R1xx): code whose correctness depends on nothing else
//! happening between two of its steps.
//!
//! - R101/R102/R109/R110: a path is tested (`os.path.exists`, `os.access`,
//!   `os.stat`) and then modified (R101), read (R102), removed (R109) or
//!   handed to a command (R110) as if the answer still held; the last three
//!   are off by default. The scan they share is [`check_then_use`].
//! - R103: a temporary name chosen without creating the file, created later.
//! - R104: shared state read, changed and written back without a lock (off
//!   by default).
//! - R105/R106: lock misuse: a lock made per call, a lock name unique per
//!   call.
//! - R111: an operation taken under a lock whose reverse on the same
//!   resource takes none (`initialize_connection`/`terminate_connection`),
//!   a check over a whole class (off by default).
//! - R107/R108: lost events: an event waiter whose body triggers nothing, a
//!   timed wait whose timeout is ignored.
//!
//! These are intraprocedural checks over one function body at a time (and
//! the module's top-level statements). Shared pieces: [`same_path`] (which
//! expressions name the same path; also used by the permissions family),
//! [`failure_handling`] (is an `OSError` here caught?), [`body_calls`] (a
//! body's calls in order; also used by permissions) and the data tables
//! [`file_operations`] and [`concurrency_apis`].

pub(crate) mod body_calls;
mod check_then_modify_path;
mod check_then_read_path;
mod check_then_remove_path;
mod check_then_run_command;
mod check_then_use;
mod concurrency_apis;
mod event_wait_timeout_ignored;
mod event_wait_triggers_nothing;
pub(crate) mod expr_search;
mod failure_handling;
mod file_operations;
mod lock_created_per_call;
mod lock_name_varies_per_call;
mod reverse_operation_unlocked;
pub(crate) mod same_path;
mod temp_name_then_create;
mod unlocked_read_modify_write;

use ruff_python_ast::{Decorator, Stmt};

use super::checker::Hook;
use super::rule::{FamilyRules, Rule};
use super::words::Words;
use super::{Context, Diagnostic, On};

/// The rules whose check looks at a whole function body (or the module's
/// top level).
const BODY_RULES: &[&Rule] = &[
    &check_then_modify_path::RULE,
    &check_then_read_path::RULE,
    &check_then_remove_path::RULE,
    &check_then_run_command::RULE,
    &temp_name_then_create::RULE,
    &unlocked_read_modify_write::RULE,
    &lock_created_per_call::RULE,
    &event_wait_triggers_nothing::RULE,
    &event_wait_timeout_ignored::RULE,
];

pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &check_then_modify_path::RULE,
        &check_then_read_path::RULE,
        &check_then_remove_path::RULE,
        &check_then_run_command::RULE,
        &temp_name_then_create::RULE,
        &unlocked_read_modify_write::RULE,
        &lock_created_per_call::RULE,
        &lock_name_varies_per_call::RULE,
        &event_wait_triggers_nothing::RULE,
        &event_wait_timeout_ignored::RULE,
        &reverse_operation_unlocked::RULE,
    ],
    hooks: &[
        Hook {
            rules: BODY_RULES,
            on: On::Stmt(check_function),
        },
        Hook {
            rules: BODY_RULES,
            on: On::Module(check_module),
        },
        Hook {
            rules: &[&reverse_operation_unlocked::RULE],
            on: On::Stmt(reverse_operation_unlocked::check),
        },
        Hook {
            rules: &[&lock_name_varies_per_call::RULE],
            on: On::Call(lock_name_varies_per_call::check),
        },
    ],
};

/// Runs every body check; the review drops the findings of rules that are
/// not selected.
///
/// Each check first looks for the names of the APIs it is about in the
/// body's text, a cheap filter before walking the tree again. A name is
/// written in the body even when its module is imported under an alias
/// (`tempfile.mktemp`, `sp.Popen`); only a function imported under another
/// name (`from tempfile import mktemp as mk`) escapes it.
fn check_body(cx: &Context, decorators: &[Decorator], body: &[Stmt], out: &mut Vec<Diagnostic>) {
    let words = cx.words_of(body);
    check_words(cx, decorators, body, words, out);
}

/// The body checks whose words `words` (of the body's text) holds.
fn check_words(cx: &Context, decorators: &[Decorator], body: &[Stmt], words: Words<'_>, out: &mut Vec<Diagnostic>) {
    if words.any(PATH_CHECK_WORDS) {
        check_then_use::check_body(cx, decorators, body, out);
    }
    if words.any(&["mktemp", "NamedTemporaryFile"]) {
        temp_name_then_create::check(cx, body, out);
    }
    if words.any(&["save(", " not in "]) {
        unlocked_read_modify_write::check(cx, decorators, body, out);
    }
    if words.any(&["Lock(", "Semaphore(", "Condition("]) {
        lock_created_per_call::check(cx, body, out);
    }
    if words.any(&["wait_for_instance_event"]) {
        event_wait_triggers_nothing::check(cx, body, out);
    }
    if words.any(&["wait(", "join("]) {
        event_wait_timeout_ignored::check(cx, body, out);
    }
}

/// The last names of the path checks (`exists`, `isfile`, `access`...):
/// a text that writes none has no check to trust, and the check-then-use
/// analysis need not run. A test keeps it in step with
/// [`file_operations::PATH_CHECKS`].
const PATH_CHECK_WORDS: &[&str] = &[
    "access", "exists", "getmtime", "getsize", "isdir", "isfile", "islink", "lexists", "lstat", "stat",
];

fn check_function(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::FunctionDef(func) = stmt else { return };
    check_body(cx, &func.decorator_list, &func.body, out);
}

/// The module's top level runs once per process: a lock created there is
/// a module global, shared by every function, so R105 does not look at it.
fn check_module(cx: &Context, out: &mut Vec<Diagnostic>) {
    let body = &cx.module.parsed.syntax().body;
    let words = cx.module_words();
    if words.any(PATH_CHECK_WORDS) {
        check_then_use::check_body(cx, &[], body, out);
    }
    if words.any(&["mktemp", "NamedTemporaryFile"]) {
        temp_name_then_create::check(cx, body, out);
    }
    unlocked_read_modify_write::check(cx, &[], body, out);
    if words.has("wait_for_instance_event") {
        event_wait_triggers_nothing::check(cx, body, out);
    }
    event_wait_timeout_ignored::check(cx, body, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_check_words_are_the_last_names_of_the_path_checks() {
        let mut last: Vec<&str> = file_operations::PATH_CHECKS
            .iter()
            .map(|c| crate::python::names::last_segment(c))
            .collect();
        last.sort_unstable();
        let mut words = PATH_CHECK_WORDS.to_vec();
        words.sort_unstable();
        assert_eq!(words, last);
    }
}
