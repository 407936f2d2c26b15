//! Two of Bandit's ways of naming things that S601, S610 and S611 rely on:
//! the unqualified name of a called function, and whether a module has been
//! imported "like" a given name.

use ruff_python_ast::Expr;

use crate::rules::CallSite;

/// The last segment of the called name, as Bandit's `call_function_name`:
/// `extra` for `User.objects.all().extra(...)` even though the receiver is
/// not a dotted name, the alias-resolved last segment for a bare name, and
/// nothing for `f()()` or `x[0]()`.
pub fn called_name<'a>(site: &'a CallSite) -> &'a str {
    match &*site.call.func {
        Expr::Attribute(attr) => attr.attr.as_str(),
        Expr::Name(_) => site.name(),
        _ => "",
    }
}
