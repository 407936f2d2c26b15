//! General checks that need no context beyond one statement or expression
//! (Bandit's B1xx): dangerous builtins (`exec`, `assert`), permissive file
//! modes, hard-coded bind-all and temporary paths, swallowed exceptions,
//! HTTP calls without a timeout and rootwrap's `run_as_root=True`.
//!
//! Each rule has its own file. Logic shared by several of them lives in
//! [`string_constants`] (the string constants Bandit's `Str` checks see) and
//! [`swallowed_exceptions`] (`except` handlers whose only statement is
//! `pass` or `continue`). [`execute_functions`] is a data table; `stat`
//! modes are read with `rules::file_modes`, shared with `permissions`.

mod assert_used;
mod exec_used;
mod execute_functions;
mod execute_with_run_as_root_equals_true;
mod hardcoded_bind_all_interfaces;
mod hardcoded_tmp_directory;
mod request_without_timeout;
mod set_bad_file_permissions;
mod string_constants;
mod swallowed_exceptions;
mod try_except_continue;
mod try_except_pass;

use super::On;
use super::checker::Hook;
use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &assert_used::RULE,
        &exec_used::RULE,
        &set_bad_file_permissions::RULE,
        &hardcoded_bind_all_interfaces::RULE,
        &hardcoded_tmp_directory::RULE,
        &try_except_pass::RULE,
        &execute_with_run_as_root_equals_true::RULE,
        &try_except_continue::RULE,
        &request_without_timeout::RULE,
    ],
    hooks: &[
        Hook {
            rules: &[&assert_used::RULE],
            on: On::Stmt(assert_used::check),
        },
        Hook {
            rules: &[&exec_used::RULE],
            on: On::Call(exec_used::check),
        },
        Hook {
            rules: &[&set_bad_file_permissions::RULE],
            on: On::Call(set_bad_file_permissions::check),
        },
        Hook {
            rules: &[&hardcoded_bind_all_interfaces::RULE],
            on: On::Expr(hardcoded_bind_all_interfaces::check),
        },
        Hook {
            rules: &[&hardcoded_tmp_directory::RULE],
            on: On::Expr(hardcoded_tmp_directory::check),
        },
        Hook {
            rules: &[&try_except_pass::RULE],
            on: On::Stmt(try_except_pass::check),
        },
        Hook {
            rules: &[&execute_with_run_as_root_equals_true::RULE],
            on: On::Call(execute_with_run_as_root_equals_true::check),
        },
        Hook {
            rules: &[&try_except_continue::RULE],
            on: On::Stmt(try_except_continue::check),
        },
        Hook {
            rules: &[&request_without_timeout::RULE],
            on: On::Call(request_without_timeout::check),
        },
    ],
};
