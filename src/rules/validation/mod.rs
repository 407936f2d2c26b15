//! The `validation` family (R6xx): API handlers that use request data with
//! no validation in front of it: body reads that can crash (R601), path
//! parameters parsed or used as file names unchecked (R602), and Nova-style
//! handlers with no JSON schema at all (R603).
//!
//! [`handlers`] recognises request handlers (controller methods taking `req`
//! and `body`, Glance deserializers, `@wsgify` functions) and their schema
//! decorators; [`request_data`] walks a handler and says where each value
//! comes from (query string, headers, body, URL path) and what guards it.
//! Both are shared with the denial-of-service (R3xx) and exposure (R4xx)
//! families.

mod handler_pass;
pub(super) mod handlers;
pub(super) mod request_data;

mod handler_without_schema;
mod path_parameter_without_check;
mod request_body_without_schema;

pub(super) use handler_pass::{HandlerCheck, OnExpr};

use super::On;
use super::checker::Hook;
use super::rule::FamilyRules;

pub static RULES: FamilyRules = FamilyRules {
    rules: &[
        &request_body_without_schema::RULE,
        &path_parameter_without_check::RULE,
        &handler_without_schema::RULE,
    ],
    // One walk of each handler serves this family's rules and three of the
    // denial-of-service family's (see `handler_pass`).
    hooks: &[Hook {
        rules: &[
            &request_body_without_schema::RULE,
            &path_parameter_without_check::RULE,
            &handler_without_schema::RULE,
            &super::denial_of_service::unhandled_conversion_of_request_data::RULE,
            &super::denial_of_service::unchecked_key_access_on_request_data::RULE,
            &super::denial_of_service::request_sized_work::RULE,
        ],
        on: On::Stmt(handler_pass::check),
    }],
};
