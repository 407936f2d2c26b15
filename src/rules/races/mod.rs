//! The `races` family (R1xx): code whose correctness depends on nothing else
//! happening between two of its steps.
//!
//! - R101/R102: a path is tested (`os.path.exists`, `os.access`, `os.stat`)
//!   and then modified (R101) or read (R102, off by default) as if the
//!   answer still held; the scan both share is [`check_then_use`].
//!
//! These are intraprocedural checks over one function body at a time (and
//! the module's top-level statements). Shared pieces: [`same_path`] (which
//! expressions name the same path; also used by the permissions family),
//! [`failure_handling`] (is an `OSError` here caught?) and the data table
//! [`file_operations`].

mod check_then_modify_path;
mod check_then_read_path;
mod check_then_use;
mod failure_handling;
mod file_operations;
pub(crate) mod same_path;

use ruff_python_ast::Stmt;

use super::checker::Hook;
use super::rule::FamilyRules;
use super::{Context, Diagnostic, On};

pub static RULES: FamilyRules = FamilyRules {
    rules: &[&check_then_modify_path::RULE, &check_then_read_path::RULE],
    hooks: &[
        Hook {
            rules: &[&check_then_modify_path::RULE, &check_then_read_path::RULE],
            on: On::Stmt(check_function),
        },
        Hook {
            rules: &[&check_then_modify_path::RULE, &check_then_read_path::RULE],
            on: On::Module(check_module),
        },
    ],
};

fn check_function(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::FunctionDef(func) = stmt else { return };
    check_then_use::check_body(cx, &func.decorator_list, &func.body, out);
}

fn check_module(cx: &Context, out: &mut Vec<Diagnostic>) {
    check_then_use::check_body(cx, &[], &cx.module.parsed.syntax().body, out);
}
