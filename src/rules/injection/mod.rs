//! Injection: commands and queries built from data (Bandit's B601–B612).
//!
//! Three groups of checks. Process launching (S602–S607, S609) looks calls up
//! in the tables of [`process_functions`] and reads their `shell=` keyword
//! and command through [`spawn`]. SQL building (S608, S610, S611) finds SQL
//! text assembled by formatting or passed to Django's raw-SQL hooks. S601
//! (Paramiko's remote shell) and S612 (`logging.config.listen`, which applies
//! configuration received over a socket) complete Bandit's B6xx series.

mod call_with_shell_equals_true;
mod django_extra;
mod django_raw_sql;
mod hardcoded_sql_expression;
mod logging_config_insecure_listen;
mod paramiko_exec_command;
mod process_functions;
mod spawn;
mod start_process_with_a_shell;
mod start_process_with_no_shell;
mod start_process_with_partial_path;
mod subprocess_popen_with_shell_equals_true;
mod subprocess_without_shell_equals_true;
mod unix_command_wildcard_injection;

use super::checker::{Hook, On};
use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &paramiko_exec_command::RULE,
        &subprocess_popen_with_shell_equals_true::RULE,
        &subprocess_without_shell_equals_true::RULE,
        &call_with_shell_equals_true::RULE,
        &start_process_with_a_shell::RULE,
        &start_process_with_no_shell::RULE,
        &start_process_with_partial_path::RULE,
        &hardcoded_sql_expression::RULE,
        &unix_command_wildcard_injection::RULE,
        &django_extra::RULE,
        &django_raw_sql::RULE,
        &logging_config_insecure_listen::RULE,
    ],
    hooks: &[
        Hook {
            rules: &[&paramiko_exec_command::RULE],
            on: On::Call(paramiko_exec_command::check),
        },
        Hook {
            rules: &[&subprocess_popen_with_shell_equals_true::RULE],
            on: On::Call(subprocess_popen_with_shell_equals_true::check),
        },
        Hook {
            rules: &[&subprocess_without_shell_equals_true::RULE],
            on: On::Call(subprocess_without_shell_equals_true::check),
        },
        Hook {
            rules: &[&call_with_shell_equals_true::RULE],
            on: On::Call(call_with_shell_equals_true::check),
        },
        Hook {
            rules: &[&start_process_with_a_shell::RULE],
            on: On::Call(start_process_with_a_shell::check),
        },
        Hook {
            rules: &[&start_process_with_no_shell::RULE],
            on: On::Call(start_process_with_no_shell::check),
        },
        Hook {
            rules: &[&start_process_with_partial_path::RULE],
            on: On::Call(start_process_with_partial_path::check),
        },
        Hook {
            rules: &[&hardcoded_sql_expression::RULE],
            on: On::Expr(hardcoded_sql_expression::check),
        },
        Hook {
            rules: &[&unix_command_wildcard_injection::RULE],
            on: On::Call(unix_command_wildcard_injection::check),
        },
        Hook {
            rules: &[&django_extra::RULE],
            on: On::Call(django_extra::check),
        },
        Hook {
            rules: &[&django_raw_sql::RULE],
            on: On::Call(django_raw_sql::check),
        },
        Hook {
            rules: &[&logging_config_insecure_listen::RULE],
            on: On::Call(logging_config_insecure_listen::check),
        },
    ],
};
