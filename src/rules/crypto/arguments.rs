//! How the crypto checks read call arguments, following Bandit.
//!
//! Bandit compares an argument with its lists of bad names by the argument's
//! *symbol*: the attribute of `ssl.PROTOCOL_SSLv2`, the id of
//! `PROTOCOL_SSLv2` (imported with `from ssl import ...`) or the text of the
//! string `"PROTOCOL_SSLv2"`, whatever module the name comes from.

use ruff_python_ast::{Expr, ExprCall};

/// The symbol Bandit compares: an attribute's last name, a name's id or a
/// string literal's text.
pub fn symbol(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Attribute(attr) => Some(attr.attr.as_str()),
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}

/// Like [`symbol`], also naming the class of an instance built in place:
/// `ec.SECP192R1()` gives `SECP192R1`.
pub fn symbol_or_class(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Call(call) if matches!(&*call.func, Expr::Attribute(_) | Expr::Name(_)) => symbol(&call.func),
        _ => symbol(expr),
    }
}

/// The positional argument at `index`, if every argument up to it is a
/// plain one (after `*args` positions are unknown).
pub fn positional(call: &ExprCall, index: usize) -> Option<&Expr> {
    call.arguments
        .args
        .iter()
        .take_while(|a| !a.is_starred_expr())
        .nth(index)
}

/// Whether the call passes `**kwargs`, which may carry any keyword.
pub fn has_double_star(call: &ExprCall) -> bool {
    call.arguments.keywords.iter().any(|k| k.arg.is_none())
}

/// Whether the call passes `*args`.
pub fn has_star(call: &ExprCall) -> bool {
    call.arguments.args.iter().any(Expr::is_starred_expr)
}
