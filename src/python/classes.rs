//! What a class body defines.

use ruff_python_ast::{Stmt, StmtClassDef, StmtFunctionDef};

/// The functions defined directly in the class body (its methods), in order.
pub fn methods(class: &StmtClassDef) -> impl Iterator<Item = &StmtFunctionDef> {
    class.body.iter().filter_map(|s| match s {
        Stmt::FunctionDef(f) => Some(f),
        _ => None,
    })
}
