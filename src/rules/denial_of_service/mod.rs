//! The `denial_of_service` family (R3xx): crashes and resource exhaustion
//! that input can cause.
//!
//! Unbounded reads of request streams (R301), `qemu-img` inspecting images
//! with no resource limits (R302), network calls with no timeout (R303),
//! regular expressions with catastrophic backtracking (R304), and, in API
//! handlers, request values that crash a conversion (R305) or a key lookup
//! (R306) into an HTTP 500 or size a loop, allocation or sleep (R307);
//! recursion into nested data with no depth bound (R308, opt-in); loops that
//! sleep and poll outside state with no deadline (R309).
//!
//! Shared logic: [`bindings`] (one assignment back, in one function),
//! [`conversions`] (the table of conversions that raise on bad text, also
//! used by R602), [`regex_ambiguity`] (the backtracking analysis behind
//! R304). The handler rules use `validation::handlers` and
//! `validation::request_data`.

mod bindings;
pub(super) mod conversions;
mod regex_ambiguity;

mod image_inspection_without_limits;
mod network_call_without_timeout;
mod poll_loop_without_deadline;
mod regex_with_catastrophic_backtracking;
pub(super) mod request_sized_work;
mod unbounded_read_of_request_stream;
mod unbounded_recursion_on_nested_data;
pub(super) mod unchecked_key_access_on_request_data;
pub(super) mod unhandled_conversion_of_request_data;

use super::On;
use super::checker::Hook;
use super::rule::FamilyRules;

// R305, R306 and R307 run in the validation family's walk of each API
// handler (`validation::handler_pass`), which they share with R601–R603.
pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &unbounded_read_of_request_stream::RULE,
        &image_inspection_without_limits::RULE,
        &network_call_without_timeout::RULE,
        &regex_with_catastrophic_backtracking::RULE,
        &unhandled_conversion_of_request_data::RULE,
        &unchecked_key_access_on_request_data::RULE,
        &request_sized_work::RULE,
        &unbounded_recursion_on_nested_data::RULE,
        &poll_loop_without_deadline::RULE,
    ],
    hooks: &[
        Hook {
            rules: &[&unbounded_read_of_request_stream::RULE],
            on: On::Call(unbounded_read_of_request_stream::check),
        },
        Hook {
            rules: &[&image_inspection_without_limits::RULE],
            on: On::Call(image_inspection_without_limits::check),
        },
        Hook {
            rules: &[&network_call_without_timeout::RULE],
            on: On::Call(network_call_without_timeout::check),
        },
        Hook {
            rules: &[&regex_with_catastrophic_backtracking::RULE],
            on: On::Call(regex_with_catastrophic_backtracking::check),
        },
        Hook {
            rules: &[&unbounded_recursion_on_nested_data::RULE],
            on: On::Stmt(unbounded_recursion_on_nested_data::check),
        },
        Hook {
            rules: &[&poll_loop_without_deadline::RULE],
            on: On::Stmt(poll_loop_without_deadline::check),
        },
    ],
};
