//! What Bandit's plugin `Context` answers about a call, computed the way
//! Bandit computes it, for the checks of this family that gate on imports or
//! compare an argument's "value" with a name.
//!
//! Three things differ from vigil's own [`Context`] queries and matter for
//! parity:
//! - Bandit's `imports` is a flat set of what the module imported so far
//!   (`import a.b` and `from a import b` both give `a.b`); plugins ask whether
//!   a module is in it exactly or whether a string occurs in one of its entries.
//! - Bandit's qualified name keeps the attributes of a chain rooted in a call
//!   (`tarfile.open(p).extractall` is `.extractall`), where
//!   [`Context::qualified_name`] gives up.
//! - Bandit compares an argument with a string through `_get_literal_value`:
//!   an attribute stands for its last name, a name for its identifier, `True`
//!   for the string `"True"`.

use crate::python::names::last_segment;
use std::borrow::Cow;

use ruff_python_ast::Expr;

use crate::python::names;
use crate::rules::{CallSite, Context};

/// Bandit's `call_function_name_qual`: the resolved dotted name of the callee,
/// with the attributes of a chain rooted in a call or subscript kept after an
/// empty root (`.extractall`); empty for any other callee.
pub fn qualname<'s>(cx: &Context, site: &'s CallSite) -> Cow<'s, str> {
    if site.qualname.is_empty() {
        Cow::Owned(expr_qualname(cx, &site.call.func))
    } else {
        Cow::Borrowed(&site.qualname)
    }
}

fn expr_qualname(cx: &Context, expr: &Expr) -> String {
    if let Some(name) = cx.qualified_name(expr) {
        return name;
    }
    match expr {
        Expr::Attribute(attr) => names::join(&expr_qualname(cx, &attr.value), attr.attr.as_str()),
        _ => String::new(),
    }
}

/// Bandit's `call_function_name`: the last segment of [`qualname`].
pub fn call_name<'s>(cx: &Context, site: &'s CallSite) -> Cow<'s, str> {
    match qualname(cx, site) {
        Cow::Borrowed(q) => Cow::Borrowed(last_segment(q)),
        Cow::Owned(q) => Cow::Owned(last_segment(&q).to_string()),
    }
}

/// The segments of Bandit's qualified name, for the plugins that ask whether
/// `jinja2` or `yaml` is one of them.
pub fn has_segment(qualname: &str, segment: &str) -> bool {
    qualname.split('.').any(|s| s == segment)
}

/// Bandit's view of an argument when a plugin compares it with a string
/// (`_get_literal_value`, with attributes standing for their last name):
/// `yaml.SafeLoader` is `SafeLoader`, a name is its identifier, a string its
/// value, `True`/`False`/`None` their spelling. `None` for anything else.
pub fn text_value(expr: &Expr) -> Option<Cow<'_, str>> {
    match expr {
        Expr::Attribute(attr) => Some(Cow::Borrowed(attr.attr.as_str())),
        Expr::Name(name) => Some(Cow::Borrowed(name.id.as_str())),
        Expr::StringLiteral(s) => Some(Cow::Borrowed(s.value.to_str())),
        Expr::BooleanLiteral(b) => Some(Cow::Borrowed(if b.value { "True" } else { "False" })),
        Expr::NoneLiteral(_) => Some(Cow::Borrowed("None")),
        _ => None,
    }
}

/// Whether `expr` is what Python's `ast` calls a `Constant`.
pub fn is_ast_constant(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
    )
}

/// `check_call_arg_value(name, "True")`: the keyword is the constant `True`
/// (or the string `"True"`, which Bandit cannot tell apart).
pub fn keyword_is_true(site: &CallSite, name: &str) -> bool {
    site.keyword(name).and_then(text_value).is_some_and(|v| v == "True")
}
