//! Where a local name was bound, for checks that follow a value one
//! assignment back (`resp = urlopen(url)` ... `resp.read()`, `s =
//! requests.Session()` ... `s.get(url)`). This is deliberately not dataflow:
//! only plain assignments and `with ... as name` in the same function count.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

/// Calls `bind` with every statement that binds `name` to a value before
/// `before`, in source order, without entering nested functions.
pub fn find_bindings<'a>(
    body: &'a [Stmt],
    name: &str,
    before: ruff_text_size::TextSize,
    bind: &mut dyn FnMut(&'a Stmt, &'a Expr),
) {
    for stmt in body {
        if stmt.start() >= before {
            return;
        }
        match stmt {
            Stmt::Assign(assign)
                if assign
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)) =>
            {
                bind(stmt, &assign.value);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    if matches!(item.optional_vars.as_deref(), Some(Expr::Name(n)) if n.id.as_str() == name) {
                        bind(stmt, &item.context_expr);
                    }
                }
                find_bindings(&with.body, name, before, bind);
            }
            Stmt::If(if_stmt) => {
                find_bindings(&if_stmt.body, name, before, bind);
                for clause in &if_stmt.elif_else_clauses {
                    find_bindings(&clause.body, name, before, bind);
                }
            }
            Stmt::Try(try_stmt) => {
                find_bindings(&try_stmt.body, name, before, bind);
                find_bindings(&try_stmt.orelse, name, before, bind);
                find_bindings(&try_stmt.finalbody, name, before, bind);
            }
            Stmt::For(for_stmt) => find_bindings(&for_stmt.body, name, before, bind),
            Stmt::While(while_stmt) => find_bindings(&while_stmt.body, name, before, bind),
            _ => {}
        }
    }
}
