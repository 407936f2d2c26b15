//! What a class body defines.

use ruff_python_ast::{Expr, ExprCall, Stmt, StmtClassDef, StmtFunctionDef};

/// The functions defined directly in the class body (its methods), in order.
pub fn methods(class: &StmtClassDef) -> impl Iterator<Item = &StmtFunctionDef> {
    class.body.iter().filter_map(|s| match s {
        Stmt::FunctionDef(f) => Some(f),
        _ => None,
    })
}

/// `self.name(...)`: the name of the method of the same object called.
pub fn self_method(call: &ExprCall) -> Option<&str> {
    match &*call.func {
        Expr::Attribute(a) if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self") => Some(a.attr.as_str()),
        _ => None,
    }
}
