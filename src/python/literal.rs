//! Literal values of expressions, for rules that ask "is this argument the
//! constant `True`?" or "what string is this?".

use std::borrow::Cow;

use ruff_python_ast::{Expr, Number};

/// The value of a string literal (implicit concatenations joined).
pub fn str_value(expr: &Expr) -> Option<Cow<'_, str>> {
    match expr {
        Expr::StringLiteral(s) => Some(Cow::Borrowed(s.value.to_str())),
        _ => None,
    }
}

/// True for the literal `True` (and a non-zero integer, which Python treats
/// the same in `shell=1`).
pub fn is_truthy_constant(expr: &Expr) -> bool {
    match expr {
        Expr::BooleanLiteral(b) => b.value,
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_u64() != Some(0),
            Number::Float(f) => *f != 0.0,
            Number::Complex { .. } => true,
        },
        Expr::StringLiteral(s) => !s.value.to_str().is_empty(),
        _ => false,
    }
}

/// True for `False`, `None`, `0` and `""`.
pub fn is_falsy_constant(expr: &Expr) -> bool {
    match expr {
        Expr::BooleanLiteral(b) => !b.value,
        Expr::NoneLiteral(_) => true,
        Expr::NumberLiteral(n) => matches!(&n.value, Number::Int(i) if i.as_u64() == Some(0)),
        Expr::StringLiteral(s) => s.value.to_str().is_empty(),
        _ => false,
    }
}

/// The integer value of a literal (or a negated one).
pub fn int_value(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64(),
            _ => None,
        },
        Expr::UnaryOp(u) if u.op == ruff_python_ast::UnaryOp::USub => int_value(&u.operand).map(|v| -v),
        _ => None,
    }
}

/// True when `expr` is a literal Python value (string, bytes, number, bool,
/// None, or a container made only of them).
pub fn is_constant(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::List(l) => l.elts.iter().all(is_constant),
        Expr::Tuple(t) => t.elts.iter().all(is_constant),
        Expr::Set(s) => s.elts.iter().all(is_constant),
        _ => false,
    }
}
