//! Reading a call's arguments the way Python binds them: a keyword by name,
//! or a parameter that may come by position or by keyword (`open(p, 'w')`
//! and `open(p, mode='w')`).

use ruff_python_ast::{Expr, ExprCall};

/// The value of the first keyword argument named one of `names`.
pub fn keyword_in<'a>(call: &'a ExprCall, names: &[&str]) -> Option<&'a Expr> {
    call.arguments
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| names.contains(&a.as_str())))
        .map(|k| &k.value)
}

/// The value of the keyword argument `name`.
pub fn keyword<'a>(call: &'a ExprCall, name: &str) -> Option<&'a Expr> {
    keyword_in(call, &[name])
}

/// The positional argument at `index` or, failing that, the first keyword
/// named one of `names`.
pub fn arg_or_keyword<'a>(call: &'a ExprCall, index: usize, names: &[&str]) -> Option<&'a Expr> {
    call.arguments.args.get(index).or_else(|| keyword_in(call, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(src: &str) -> ExprCall {
        match ruff_python_parser::parse_expression(src).unwrap().into_expr() {
            Expr::Call(c) => c,
            other => panic!("not a call: {other:?}"),
        }
    }

    fn text(src: &str, e: Option<&Expr>) -> Option<String> {
        e.map(|e| src[ruff_text_size::Ranged::range(e)].to_string())
    }

    #[test]
    fn position_first_then_keywords() {
        let src = "open(p, 'w')";
        assert_eq!(
            text(src, arg_or_keyword(&call(src), 1, &["mode"])).as_deref(),
            Some("'w'")
        );
        let src = "os.open(p, flags=os.O_EXCL)";
        assert_eq!(
            text(src, arg_or_keyword(&call(src), 1, &["mode", "flags"])).as_deref(),
            Some("os.O_EXCL")
        );
        let src = "open(p)";
        assert_eq!(arg_or_keyword(&call(src), 1, &["mode"]), None);
        let src = "f(x=1, y=2)";
        assert_eq!(text(src, keyword_in(&call(src), &["y", "x"])).as_deref(), Some("1"));
        assert_eq!(text(src, keyword(&call(src), "y")).as_deref(), Some("2"));
        assert_eq!(keyword(&call(src), "z"), None);
    }
}
