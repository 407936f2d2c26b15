//! Secrets (Bandit's B105–B107 and the retired B109): passwords, tokens and
//! other credentials written into the code, and oslo.config options that
//! would print them in the logs.
//!
//! S105–S107 share Bandit's idea of a password-like name, in
//! [`password_names`]; S109 reuses its word list for oslo.config option names.

mod hardcoded_password_default;
mod hardcoded_password_func_arg;
mod hardcoded_password_string;
mod password_config_option_not_marked_secret;
mod password_names;

use super::On;
use super::checker::Hook;
use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &hardcoded_password_string::RULE,
        &hardcoded_password_func_arg::RULE,
        &hardcoded_password_default::RULE,
        &password_config_option_not_marked_secret::RULE,
    ],
    hooks: HOOKS,
};

static HOOKS: &[Hook] = &[
    Hook {
        rules: &[&hardcoded_password_string::RULE],
        on: On::Expr(hardcoded_password_string::check),
    },
    Hook {
        rules: &[&hardcoded_password_func_arg::RULE],
        on: On::Call(hardcoded_password_func_arg::check),
    },
    Hook {
        rules: &[&hardcoded_password_default::RULE],
        on: On::Stmt(hardcoded_password_default::check),
    },
    Hook {
        rules: &[&password_config_option_not_marked_secret::RULE],
        on: On::Call(password_config_option_not_marked_secret::check),
    },
];
