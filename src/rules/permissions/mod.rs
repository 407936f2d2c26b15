//! The `permissions` family (R5xx): modes that open files to other local
//! users, and temporary files others can predict.
//!
//! - R501: the `chmod` command run with a world-writable mode.
//! - R502: a file named as a secret created or chmod-ed world-readable.
//! - R503: `os.umask` that lets new files be world-writable.
//! - R504: a path created with the default mode and narrowed afterwards.
//! - R505: a file created at a guessable name in `/tmp`.
//!
//! [`file_modes`] reads modes (integers, `stat` constants, `chmod` strings)
//! and mode changes; [`function_calls`] lists a function's calls and the
//! creations among them; paths are matched with the races family's
//! `same_path`. [`sensitive_names`] is a data table; the `stat` constants
//! are in `rules::file_modes`, shared with S103.

mod chmod_after_create;
mod file_modes;
mod function_calls;
mod permissive_umask;
mod predictable_temp_path;
mod sensitive_file_world_readable;
mod sensitive_names;
mod world_writable_chmod_command;

use ruff_python_ast::Stmt;

use super::checker::Hook;
use super::rule::FamilyRules;
use super::{Context, Diagnostic, On};

pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &world_writable_chmod_command::RULE,
        &sensitive_file_world_readable::RULE,
        &permissive_umask::RULE,
        &chmod_after_create::RULE,
        &predictable_temp_path::RULE,
    ],
    hooks: &[
        Hook {
            rules: &[&world_writable_chmod_command::RULE],
            on: On::Call(world_writable_chmod_command::check),
        },
        Hook {
            rules: &[&permissive_umask::RULE],
            on: On::Call(permissive_umask::check),
        },
        Hook {
            rules: &[
                &sensitive_file_world_readable::RULE,
                &chmod_after_create::RULE,
                &predictable_temp_path::RULE,
            ],
            on: On::Stmt(check_function),
        },
        Hook {
            rules: &[
                &sensitive_file_world_readable::RULE,
                &chmod_after_create::RULE,
                &predictable_temp_path::RULE,
            ],
            on: On::Module(check_module),
        },
    ],
};

/// The checks that relate several calls of one body; the review drops the
/// findings of rules that are not selected.
/// A check over what one function body (or a module's top level) does to
/// the filesystem.
type BodyCheck = fn(&Context, &function_calls::Body, &mut Vec<Diagnostic>);

const BODY_CHECKS: &[BodyCheck] = &[
    sensitive_file_world_readable::check,
    chmod_after_create::check,
    predictable_temp_path::check,
];

fn check_function(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::FunctionDef(func) = stmt else { return };
    check_body(cx, &func.body, out);
}

fn check_module(cx: &Context, out: &mut Vec<Diagnostic>) {
    check_body(cx, &cx.module.parsed.syntax().body, out);
}

fn check_body(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    let Some(facts) = function_calls::Body::of(cx, body) else {
        return;
    };
    for check in BODY_CHECKS {
        check(cx, &facts, out);
    }
}
