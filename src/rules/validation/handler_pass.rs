//! One walk of each API handler for every rule about its request data.
//!
//! Six rules of two families (R305–R307 denial of service, R601–R603
//! validation) look at the same functions: they recognise a handler
//! ([`handlers::handler`]) and walk its body with the request-data scan
//! ([`request_data::scan`]). Run as six hooks, each recognised every
//! function and walked every handler again. Here one hook recognises the
//! handler once and walks it once, handing each expression (with the scan's
//! state there) to every rule's [`HandlerCheck`]; the review drops the
//! findings of rules that are not selected.

use ruff_python_ast::{Expr, Stmt};

use super::handlers::{Handler, handler};
use super::request_data::{Scan, scan};
use super::{handler_without_schema, path_parameter_without_check, request_body_without_schema};
use crate::rules::denial_of_service::{
    request_sized_work, unchecked_key_access_on_request_data, unhandled_conversion_of_request_data,
};
use crate::rules::{Context, Diagnostic};

/// A rule's look at one handler: every expression of its body in source
/// order, then the end of the walk.
pub trait HandlerCheck<'a> {
    fn expr(&mut self, s: &Scan<'a, '_>, expr: &'a Expr, out: &mut Vec<Diagnostic>);

    fn finish(&mut self, _out: &mut Vec<Diagnostic>) {}
}

/// A check that only looks at expressions, as a closure.
pub struct OnExpr<F>(pub F);

impl<'a, F> HandlerCheck<'a> for OnExpr<F>
where
    F: FnMut(&Scan<'a, '_>, &'a Expr, &mut Vec<Diagnostic>),
{
    fn expr(&mut self, s: &Scan<'a, '_>, expr: &'a Expr, out: &mut Vec<Diagnostic>) {
        (self.0)(s, expr, out);
    }
}

/// A rule's check of a handler, if it has one to make there.
pub type Start = for<'a, 'h> fn(&'h Context<'a>, &'h Handler<'a>) -> Option<Box<dyn HandlerCheck<'a> + 'h>>;

/// The rules that walk the handler, in the order their hooks used to run.
const SCANNING: &[Start] = &[
    request_body_without_schema::start,
    path_parameter_without_check::start,
    unhandled_conversion_of_request_data::start,
    unchecked_key_access_on_request_data::start,
    request_sized_work::start,
];

pub fn check(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::FunctionDef(def) = stmt else { return };
    let Some(handler) = handler(cx, def) else { return };
    handler_without_schema::check(cx, &handler, out);
    let mut checks: Vec<Box<dyn HandlerCheck + '_>> = SCANNING.iter().filter_map(|start| start(cx, &handler)).collect();
    if checks.is_empty() {
        return;
    }
    scan(cx, &handler, |s, expr| {
        for check in &mut checks {
            check.expr(s, expr, out);
        }
    });
    for check in &mut checks {
        check.finish(out);
    }
}
