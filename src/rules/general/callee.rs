//! The called function's short name, as Bandit's `context.call_function_name`
//! computes it.
//!
//! Bandit takes the last segment of the qualified name, and for a method
//! called on something that is not a plain name chain (`self._get_path().chmod`,
//! `drivers[0].execute`) it still keeps the attribute (`chmod`, `execute`),
//! where vigil's qualified name is empty.

use ruff_python_ast::Expr;

use crate::rules::CallSite;

/// `chmod` for `os.chmod(...)`, for `from os import chmod as c; c(...)` and
/// for `make_path().chmod(...)`; empty when the callee has no name at all
/// (`handlers[0](...)`).
pub fn short_name<'a>(site: &'a CallSite) -> &'a str {
    if !site.qualname.is_empty() {
        return site.name();
    }
    match &*site.call.func {
        Expr::Attribute(attr) => attr.attr.as_str(),
        _ => "",
    }
}
