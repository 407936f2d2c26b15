//! The `exposure` family (R4xx): information exposure that one statement
//! shows: exception text and tracebacks returned to API users (R401),
//! secrets in log calls (R402) and exception messages (R403), and secrets
//! written to world-readable files (R404), eventlet's WSGI server left
//! sending tracebacks to clients (R405), and HMAC digests compared in a time
//! that tells how much of a forged one is right (R406).
//!
//! What counts as a secret is decided by name: [`secret_names`] (the word
//! tables) and [`secret_values`] (finding a secret inside an expression,
//! through formatting, and not through masking). Secrets that reach a log
//! or a response through assignments and calls are the dataflow rules'
//! (T-ids) business.

mod secret_names;
mod secret_values;

mod digest_compared_with_equals;
mod exception_details_in_api_response;
mod secret_in_exception_message;
mod secret_in_log_message;
mod secret_written_to_readable_file;
mod wsgi_server_sends_tracebacks;

use super::On;
use super::checker::Hook;
use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &exception_details_in_api_response::RULE,
        &secret_in_log_message::RULE,
        &secret_in_exception_message::RULE,
        &secret_written_to_readable_file::RULE,
        &wsgi_server_sends_tracebacks::RULE,
        &digest_compared_with_equals::RULE,
    ],
    hooks: &[
        Hook {
            rules: &[&exception_details_in_api_response::RULE],
            on: On::Stmt(exception_details_in_api_response::check),
        },
        Hook {
            rules: &[&secret_in_log_message::RULE],
            on: On::Call(secret_in_log_message::check),
        },
        Hook {
            rules: &[&secret_in_exception_message::RULE],
            on: On::Stmt(secret_in_exception_message::check),
        },
        Hook {
            rules: &[&secret_written_to_readable_file::RULE],
            on: On::Stmt(secret_written_to_readable_file::check),
        },
        Hook {
            rules: &[&wsgi_server_sends_tracebacks::RULE],
            on: On::Call(wsgi_server_sends_tracebacks::check),
        },
        Hook {
            rules: &[&digest_compared_with_equals::RULE],
            on: On::Expr(digest_compared_with_equals::check),
        },
    ],
};
