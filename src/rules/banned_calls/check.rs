//! The one hook of the family: a call whose qualified name is in a row.

use crate::fxhash::FxHashMap as HashMap;
use std::sync::OnceLock;

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::blacklist::{Banned, Entry};
use super::table::ROWS;
use crate::rules::{CallSite, Context, Diagnostic};

/// Every banned name with its row, built once: a call is looked up with one
/// hash probe instead of a search of every row's table.
fn index() -> &'static HashMap<&'static str, (&'static Banned, &'static Entry)> {
    static INDEX: OnceLock<HashMap<&'static str, (&'static Banned, &'static Entry)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = HashMap::default();
        for row in ROWS {
            for entry in row.names {
                // The table test guarantees no name is banned by two rows;
                // the first row wins, as the row-by-row scan did.
                index.entry(entry.name).or_insert((*row, entry));
            }
        }
        index
    })
}

/// Methods that use a banned call's value for something the ban is not
/// about, by rule: a certificate's `fingerprint(hashes.SHA1())` names the
/// certificate (an identifier EC2 and X.509 tools print), it checks
/// nothing. Sorted.
const NOT_THE_BANNED_USE: &[(&str, &str)] = &[("S303", "fingerprint")];

/// Reports a call whose qualified name is exactly a banned name, on the call
/// node (Bandit's line and column).
pub fn call(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if site.qualname.is_empty() {
        return;
    }
    let Some((row, entry)) = index().get(site.qualname.as_str()) else {
        return;
    };
    if let Some(Expr::Call(outer)) = cx.parent_expr()
        && let Expr::Attribute(method) = &*outer.func
        && NOT_THE_BANNED_USE.contains(&(row.rule.id, method.attr.as_str()))
    {
        return;
    }
    let label = callee_label(cx, site);
    let arg = site.arg(0).map(|a| cx.snippet(a));
    let mut diag = Diagnostic::new(&row.rule, site.call.range(), row.message_with(&label, arg.as_deref()));
    if let Some(instead) = entry.instead {
        diag = diag.fix(format!("Use `{instead}` instead of `{}`.", site.qualname));
    }
    out.push(diag);
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
