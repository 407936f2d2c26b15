//! "Does any expression in here match?" in time linear in the tree.
//!
//! `ruff_python_ast::helpers::any_over_expr` re-wraps its callback at each
//! level of nesting, so a call at depth d goes through d indirections and a
//! deeply nested expression (`f(f(f(...)))` a hundred thousand times) takes
//! quadratic time. These searches use the visitor instead. Shared by the
//! races, leaks and permissions families.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};

struct Search<F> {
    predicate: F,
    found: bool,
}

impl<'a, F: FnMut(&Expr) -> bool> Visitor<'a> for Search<F> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.found {
            visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found {
            return;
        }
        if (self.predicate)(expr) {
            self.found = true;
            return;
        }
        visitor::walk_expr(self, expr);
    }
}

/// Whether `predicate` holds for `expr` or any expression inside it.
pub fn any_expr(expr: &Expr, predicate: impl FnMut(&Expr) -> bool) -> bool {
    let mut search = Search {
        predicate,
        found: false,
    };
    search.visit_expr(expr);
    search.found
}

/// Whether `predicate` holds for any expression in `body` (nested functions
/// and classes included).
pub fn any_in_body(body: &[Stmt], predicate: impl FnMut(&Expr) -> bool) -> bool {
    let mut search = Search {
        predicate,
        found: false,
    };
    search.visit_body(body);
    search.found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_at_any_depth_and_stops() {
        let n = 500;
        let src = format!("x = {}0{}\n", "f(".repeat(n), ")".repeat(n));
        let module = ruff_python_parser::parse_module(&src).unwrap().into_syntax();
        assert!(!any_in_body(&module.body, |e| matches!(e, Expr::StringLiteral(_))));
        assert!(any_in_body(&module.body, |e| matches!(e, Expr::NumberLiteral(_))));
        let mut seen = 0;
        assert!(any_in_body(&module.body, |e| {
            seen += 1;
            matches!(e, Expr::Call(_))
        }));
        assert_eq!(seen, 1, "stops at the first match: the outer call");
    }
}
