//! Qualified names: what a dotted reference means given the module's imports.
//!
//! `import subprocess as sp; sp.Popen` resolves to `subprocess.Popen`, and
//! `from os import system as run; run` to `os.system`. Like Bandit, the alias
//! table is flat per module and grows in source order as imports are met, so a
//! name is resolved with the imports seen before it.

use crate::fxhash::FxHashMap as HashMap;

use ruff_python_ast::{Expr, Stmt};

#[derive(Debug, Default, Clone)]
pub struct Aliases {
    map: HashMap<String, String>,
    /// Bandit's `imports`: every module or member imported so far, in order
    /// (`import a.b` gives `a.b`, `from a import b` gives `a.b`, and
    /// `from . import x` gives `x`).
    imported: Vec<String>,
}

impl Aliases {
    /// Records the names an import statement binds.
    pub fn record(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    if let Some(asname) = &alias.asname {
                        self.map.insert(asname.to_string(), alias.name.to_string());
                    }
                    self.imported.push(alias.name.to_string());
                }
            }
            Stmt::ImportFrom(import) => {
                let Some(module) = &import.module else {
                    self.imported.extend(import.names.iter().map(|a| a.name.to_string()));
                    return;
                };
                self.imported.extend(import.names.iter().map(|a| join(module, &a.name)));
                // A relative import (`from . import x`) binds names of the
                // project itself; they are kept relative, as Bandit does.
                for alias in &import.names {
                    let full = join(module, &alias.name);
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.map.insert(bound.to_string(), full);
                }
            }
            _ => {}
        }
    }

    /// The modules and members imported so far (see the field's doc).
    pub fn imported(&self) -> &[String] {
        &self.imported
    }

    /// The qualified name of a `Name` or a chain of attributes on one, with
    /// aliases resolved; `None` for anything else (`f().x`, `a[0].y`).
    pub fn qualified_name(&self, expr: &Expr) -> Option<String> {
        let mut name = String::new();
        self.write_qualified_name(expr, &mut name).then_some(name)
    }

    /// Writes [`Aliases::qualified_name`] into `out` (one buffer for the
    /// whole chain); false when there is none.
    fn write_qualified_name(&self, expr: &Expr, out: &mut String) -> bool {
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                out.push_str(self.map.get(id).map_or(id, String::as_str));
                true
            }
            Expr::Attribute(attr) => {
                if !self.write_qualified_name(&attr.value, out) {
                    return false;
                }
                out.push('.');
                out.push_str(attr.attr.as_str());
                // The chain so far may itself be a name the imports bound.
                if let Some(full) = self.map.get(out.as_str()) {
                    out.clear();
                    out.push_str(full);
                }
                true
            }
            _ => false,
        }
    }
}

/// The dotted text of a name or attribute chain, without alias resolution.
pub fn dotted(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.id.to_string()),
        Expr::Attribute(attr) => Some(join(&dotted(&attr.value)?, attr.attr.as_str())),
        _ => None,
    }
}

/// `head.tail`: a qualified name one segment longer. The interpreter makes
/// one at every attribute read and call (`format!` costs several times the
/// copy in its formatting machinery).
pub fn join(head: &str, tail: &str) -> String {
    let mut name = String::with_capacity(head.len() + 1 + tail.len());
    name.push_str(head);
    name.push('.');
    name.push_str(tail);
    name
}

/// The last segment of a qualified name (`Popen` of `subprocess.Popen`):
/// the checks ask it of every call, and `rsplit('.')` sets up a searcher
/// each time.
pub fn last_segment(name: &str) -> &str {
    split_last(name).map_or(name, |(_, last)| last)
}

/// A qualified name split before its last segment (`a.b` and `c` of
/// `a.b.c`), `None` without a dot: `rsplit_once('.')` without its searcher
/// (the memo asks it of every project value it hashes).
pub fn split_last(name: &str) -> Option<(&str, &str)> {
    let dot = name.as_bytes().iter().rposition(|&b| b == b'.')?;
    Some((&name[..dot], &name[dot + 1..]))
}

/// Whether the qualified name `name` is `tail` or ends with the segments of
/// `tail` (`a.b.c` ends with `b.c`, not with `.c` of `a.bc`).
pub fn ends_with_segments(name: &str, tail: &str) -> bool {
    match name.strip_suffix(tail) {
        Some("") => true,
        Some(head) => head.ends_with('.'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_ast::Stmt;

    fn resolve(src: &str, expr: &str) -> Option<String> {
        let module = ruff_python_parser::parse_module(src).unwrap().into_syntax();
        let mut aliases = Aliases::default();
        for stmt in &module.body {
            aliases.record(stmt);
        }
        let parsed = ruff_python_parser::parse_expression(expr).unwrap().into_expr();
        aliases.qualified_name(&parsed)
    }

    #[test]
    fn a_name_splits_before_its_last_segment() {
        assert_eq!(split_last("a.b.c"), Some(("a.b", "c")));
        assert_eq!(split_last("a."), Some(("a", "")));
        assert_eq!(split_last("abc"), None);
        for name in ["nova.virt.driver.ComputeDriver", "x", ".y", "a..b"] {
            assert_eq!(split_last(name), name.rsplit_once('.'), "{name}");
        }
    }

    #[test]
    fn joins_and_matches_whole_segments() {
        assert_eq!(join("a.b", "c"), "a.b.c");
        assert_eq!(last_segment("a.b.c"), "c");
        assert_eq!(last_segment("c"), "c");
        assert_eq!(last_segment("a."), "");
        assert!(ends_with_segments("a.b.c", "b.c"));
        assert!(ends_with_segments("b.c", "b.c"));
        assert!(!ends_with_segments("a.xb.c", "b.c"));
        assert!(!ends_with_segments("c", "b.c"));
    }

    #[test]
    fn import_as() {
        assert_eq!(
            resolve("import subprocess as sp", "sp.Popen").as_deref(),
            Some("subprocess.Popen")
        );
    }

    #[test]
    fn from_import_as() {
        assert_eq!(
            resolve("from os import system as run", "run").as_deref(),
            Some("os.system")
        );
        assert_eq!(
            resolve("from os import path", "path.join").as_deref(),
            Some("os.path.join")
        );
    }

    #[test]
    fn unimported_names_stay_as_written() {
        assert_eq!(resolve("", "a.b.c").as_deref(), Some("a.b.c"));
        assert_eq!(resolve("", "f().x"), None);
        let _unused: Option<&Stmt> = None;
    }
}
