//! The two hooks of the family: import statements, and calls that import or
//! name a banned module.

use std::borrow::Cow;

use ruff_python_ast::Stmt;
use ruff_text_size::Ranged;

use super::table::ROWS;
use crate::python::literal::str_value;
use crate::rules::banned_calls::blacklist::{Banned, Entry};
use crate::rules::banned_calls::check::callee_label;
use crate::rules::{CallSite, Context, Diagnostic};

/// Reports an `import` or `from ... import` statement that brings in a banned
/// module, on the statement (Bandit's line and column).
///
/// The name compared is what the statement imports: `a.b` for `import a.b`,
/// `a.b` for `from a import b`, `m.b` for `from ..m import b` and `b` for
/// `from . import b` (Bandit ignores the dots). Bandit reports at most one
/// finding per statement: the first row, in id order, matching any name, so
/// `import subprocess, pickle` only gives B403. vigil reports each rule the
/// statement breaks, once, named after its first matching name: the same
/// findings for a statement importing one module, and no rule hidden behind
/// another when it imports several.
pub fn import(_cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let (prefix, dots, aliases) = match stmt {
        Stmt::Import(import) => (String::new(), 0, &import.names),
        Stmt::ImportFrom(import) => {
            let prefix = import.module.as_ref().map(|m| format!("{m}.")).unwrap_or_default();
            (prefix, import.level as usize, &import.names)
        }
        _ => return,
    };
    let mut reported: Vec<&'static str> = Vec::new();
    for alias in aliases {
        let imported = format!("{prefix}{}", alias.name);
        let Some((row, entry)) = find(&imported) else { continue };
        if reported.contains(&row.rule.id) {
            continue;
        }
        reported.push(row.rule.id);
        // A relative import names a module of the project itself; the dots
        // keep the message from passing it off as the standard library's.
        let label = format!("`{}{}`", ".".repeat(dots), banned_module(entry, &imported));
        out.push(Diagnostic::new(&row.rule, stmt.range(), row.message(&label)));
    }
}

/// Reports a call that loads a banned module by name (`__import__("pickle")`,
/// `importlib.import_module("pickle")`, matched like an import statement) or
/// whose qualified name is exactly a banned name (`CGIHandler()` after `from
/// wsgiref.handlers import CGIHandler`), on the call node.
///
/// Bandit matches the loaded module exactly, so it misses
/// `importlib.import_module("xmlrpc.client")`, which `import xmlrpc.client`
/// would not get away with; vigil treats both alike. A module named by a
/// variable is not known and not reported (Bandit compares the variable's
/// name with the module names, which only matches by accident).
pub fn call(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if site.qualname.is_empty() {
        return;
    }
    if let Some(module) = loaded_module(site) {
        if let Some((row, entry)) = find(&module) {
            let label = format!("`{}`", banned_module(entry, &module));
            out.push(Diagnostic::new(&row.rule, site.call.range(), row.message(&label)));
        }
        return;
    }
    if let Some(row) = row_naming(&site.qualname) {
        out.push(Diagnostic::new(
            &row.rule,
            site.call.range(),
            row.message(&callee_label(cx, site)),
        ));
    }
}

/// The first row (in table order) with an entry exactly `qualname`. Every
/// call asks, so the entries are indexed once.
fn row_naming(qualname: &str) -> Option<&'static Banned> {
    static INDEX: std::sync::OnceLock<crate::fxhash::FxHashMap<&'static str, &'static Banned>> =
        std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index = crate::fxhash::FxHashMap::default();
        for row in ROWS.iter() {
            for entry in row.names {
                index.entry(entry.name).or_insert(*row);
            }
        }
        index
    });
    index.get(qualname).copied()
}

/// The row and entry banning the imported name `imported`.
fn find(imported: &str) -> Option<(&'static Banned, &'static Entry)> {
    ROWS.iter().find_map(|row| Some((*row, row.prefix_of(imported)?)))
}

/// The banned module an import reaches, for the message: the entry when the
/// import is inside it (`from xml.sax.saxutils import escape` is about
/// `xml.sax`, not about `escape`), else the imported name itself, which is
/// the entry or extends its name (`pickle5`, `xmlrpclib`).
fn banned_module<'a>(entry: &'a Entry, imported: &'a str) -> &'a str {
    match imported.strip_prefix(entry.name) {
        Some(rest) if rest.starts_with('.') => entry.name,
        _ => imported,
    }
}

/// The module a dynamic import call loads, when it is a string literal.
fn loaded_module<'a>(site: &'a CallSite) -> Option<Cow<'a, str>> {
    match site.qualname.as_str() {
        "__import__" | "builtins.__import__" | "importlib.import_module" | "importlib.__import__" => {
            str_value(site.arg_or_keyword(0, "name")?)
        }
        _ => None,
    }
}
