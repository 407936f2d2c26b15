//! Permission modes as rules read them, shared by the families that judge
//! file modes (S103 in `general`, the R5xx rules in `permissions`): the
//! permission constants of Python's `stat` module, and the value of a
//! constant mode expression.
//!
//! To add a constant: put `("NAME", value)` on its own line of
//! [`STAT_MODES`], keeping the table sorted by name (a unit test checks the
//! order); values are those of CPython's `stat.py`.

use ruff_python_ast::{Expr, Number, Operator};

use crate::rules::Context;

/// The value of a constant mode: an integer literal, a `stat.S_*` constant,
/// or `|`/`+` of those. (Bandit only reads integer literals: it sees
/// `stat.S_IXOTH` as the string `"S_IXOTH"` and misses it.)
pub fn mode_value(cx: &Context, expr: &Expr) -> Option<u32> {
    match expr {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_u64().and_then(|v| u32::try_from(v).ok()),
            _ => None,
        },
        Expr::Name(_) | Expr::Attribute(_) => {
            let qualname = cx.qualified_name(expr)?;
            stat_mode(qualname.strip_prefix("stat.")?)
        }
        Expr::BinOp(op) => {
            let (left, right) = (mode_value(cx, &op.left)?, mode_value(cx, &op.right)?);
            match op.op {
                Operator::BitOr => Some(left | right),
                Operator::Add => left.checked_add(right),
                _ => None,
            }
        }
        _ => None,
    }
}

pub const STAT_MODES: &[(&str, u32)] = &[
    ("S_ENFMT", 0o2000),
    ("S_IEXEC", 0o100),
    ("S_IREAD", 0o400),
    ("S_IRGRP", 0o040),
    ("S_IROTH", 0o004),
    ("S_IRUSR", 0o400),
    ("S_IRWXG", 0o070),
    ("S_IRWXO", 0o007),
    ("S_IRWXU", 0o700),
    ("S_ISGID", 0o2000),
    ("S_ISUID", 0o4000),
    ("S_ISVTX", 0o1000),
    ("S_IWGRP", 0o020),
    ("S_IWOTH", 0o002),
    ("S_IWRITE", 0o200),
    ("S_IWUSR", 0o200),
    ("S_IXGRP", 0o010),
    ("S_IXOTH", 0o001),
    ("S_IXUSR", 0o100),
];

/// The value of `stat.<name>`.
pub fn stat_mode(name: &str) -> Option<u32> {
    STAT_MODES
        .binary_search_by_key(&name, |(n, _)| n)
        .ok()
        .map(|i| STAT_MODES[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_searchable() {
        assert!(STAT_MODES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(stat_mode("S_IWOTH"), Some(0o002));
        assert_eq!(stat_mode("S_IRWXU"), Some(0o700));
        assert_eq!(stat_mode("ST_MODE"), None);
    }
}
