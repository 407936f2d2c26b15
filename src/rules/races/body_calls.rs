//! The calls of one function body in source order (not those in nested
//! functions, classes or lambdas, which run at another time). Used by the
//! races rules that relate two calls and by the permissions family.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt};

/// Every call in `body`, in source order (an outer call before the calls in
/// its arguments).
pub fn calls_in(body: &[Stmt]) -> Vec<&ExprCall> {
    struct Calls<'a> {
        out: Vec<&'a ExprCall>,
    }
    impl<'a> Visitor<'a> for Calls<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) => {}
                Expr::Call(call) => {
                    self.out.push(call);
                    visitor::walk_expr(self, expr);
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut calls = Calls { out: Vec::new() };
    calls.visit_body(body);
    calls.out
}
