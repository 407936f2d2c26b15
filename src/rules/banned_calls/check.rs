//! The one hook of the family: a call whose qualified name is in a row.

use ruff_text_size::Ranged;

use super::table::ROWS;
use crate::rules::{CallSite, Context, Diagnostic};

/// Reports a call whose qualified name is exactly a banned name, on the call
/// node (Bandit's line and column).
pub fn call(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if site.qualname.is_empty() {
        return;
    }
    for row in ROWS {
        let Some(entry) = row.exact(&site.qualname) else {
            continue;
        };
        let label = callee_label(cx, site);
        let mut diag = Diagnostic::new(&row.rule, site.call.range(), row.message(&label));
        if let Some(instead) = entry.instead {
            diag = diag.fix(format!("Use `{instead}` instead of `{}`.", site.qualname));
        }
        out.push(diag);
        return;
    }
}

/// The callee as this code writes it, with its qualified name when an alias
/// hides it: `` `pickle.loads` `` or `` `lp` (`pickle.loads`) ``.
pub(in crate::rules) fn callee_label(cx: &Context, site: &CallSite) -> String {
    let written = cx.snippet(&*site.call.func);
    if written == site.qualname {
        format!("`{written}`")
    } else {
        format!("`{written}` (`{}`)", site.qualname)
    }
}
