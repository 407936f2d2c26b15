//! Two of Bandit's ways of naming things that S601, S610 and S611 rely on:
//! the unqualified name of a called function, and whether a module has been
//! imported "like" a given name.

use ruff_python_ast::statement_visitor::{self, StatementVisitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::rules::{CallSite, Context};

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

/// Whether a module whose dotted name contains `needle` was imported before
/// `offset`, anywhere in the module (Bandit's `is_module_imported_like`):
/// `import paramiko.client` and `from paramiko import SSHClient` both count
/// for `paramiko`. `from x import y` records `x.y`; `from . import y`
/// records `y`.
pub fn imported_like_before(cx: &Context, needle: &str, offset: TextSize) -> bool {
    let mut finder = ImportFinder {
        needle,
        offset,
        found: false,
    };
    finder.visit_body(&cx.module.parsed.syntax().body);
    finder.found
}

struct ImportFinder<'n> {
    needle: &'n str,
    offset: TextSize,
    found: bool,
}

impl<'a> StatementVisitor<'a> for ImportFinder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found || stmt.start() >= self.offset {
            return;
        }
        match stmt {
            Stmt::Import(import) => {
                self.found = import.names.iter().any(|a| a.name.as_str().contains(self.needle));
            }
            Stmt::ImportFrom(import) => {
                self.found = import.names.iter().any(|alias| match &import.module {
                    Some(module) => format!("{}.{}", module, alias.name).contains(self.needle),
                    None => alias.name.as_str().contains(self.needle),
                });
            }
            _ => statement_visitor::walk_stmt(self, stmt),
        }
    }
}
