//! Which expressions of one function name the same filesystem path.
//!
//! A check and a use, or a creation and a `chmod`, rarely spell the path the
//! same way: `path = os.path.join(d, name)` is checked as `path` and removed
//! as `os.path.join(d, name)`. [`PathNames`] gives every expression a key;
//! two expressions with the same key name the same path. A local name bound
//! exactly once in the function (by a plain assignment) is replaced by the
//! key of its value, recursively; any other name, attribute chain or call is
//! keyed by its shape (names, attributes, calls, literals) with whitespace
//! and quotes normalised, so `self.state_file` and `self. state_file` agree.
//!
//! Used by the races family (check-then-use) and by the permissions family
//! (create-then-chmod, temp paths); it knows nothing about rules.

use crate::python::names::last_segment;
use std::collections::HashMap;
use std::fmt::Write;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

/// How deep a chain of single assignments is followed (`a = b; b = c; ...`).
const MAX_DEPTH: usize = 4;

/// The path keys of one function body.
pub struct PathNames<'a> {
    text: &'a str,
    /// Local names bound exactly once, to this value.
    single: HashMap<&'a str, &'a Expr>,
}

impl<'a> PathNames<'a> {
    /// Reads the bindings of `body` (not of the functions nested in it).
    pub fn of_body(body: &'a [Stmt], text: &'a str) -> PathNames<'a> {
        let mut bindings = Bindings::default();
        bindings.visit_body(body);
        let single = bindings
            .values
            .into_iter()
            .filter(|(name, _)| bindings.count.get(name) == Some(&1))
            .collect();
        PathNames { text, single }
    }

    /// The key of a path expression.
    pub fn key(&self, expr: &Expr) -> String {
        let mut out = String::new();
        self.write_key(expr, 0, &mut out);
        out
    }

    /// Whether `a` and `b` name the same path.
    pub fn same(&self, a: &Expr, b: &Expr) -> bool {
        self.key(a) == self.key(b)
    }

    /// The value a local name was bound to, when it was bound exactly once.
    pub fn value_of(&self, name: &str) -> Option<&'a Expr> {
        self.single.get(name).copied()
    }

    fn write_key(&self, expr: &Expr, depth: usize, out: &mut String) {
        match expr {
            Expr::Name(name) => match self.single.get(name.id.as_str()) {
                Some(value) if depth < MAX_DEPTH && is_path_like(value) => self.write_key(value, depth + 1, out),
                _ => out.push_str(name.id.as_str()),
            },
            Expr::Attribute(attr) => {
                self.write_key(&attr.value, depth, out);
                out.push('.');
                out.push_str(attr.attr.as_str());
            }
            Expr::Call(call) => {
                self.write_key(&call.func, depth, out);
                out.push('(');
                for (i, arg) in call.arguments.args.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.write_key(arg, depth, out);
                }
                for kw in &call.arguments.keywords {
                    out.push(',');
                    if let Some(arg) = &kw.arg {
                        let _ = write!(out, "{}=", arg.as_str());
                    }
                    self.write_key(&kw.value, depth, out);
                }
                out.push(')');
            }
            Expr::Subscript(sub) => {
                self.write_key(&sub.value, depth, out);
                out.push('[');
                self.write_key(&sub.slice, depth, out);
                out.push(']');
            }
            Expr::BinOp(op) => {
                out.push('(');
                self.write_key(&op.left, depth, out);
                let _ = write!(out, "{}", op.op.as_str());
                self.write_key(&op.right, depth, out);
                out.push(')');
            }
            Expr::StringLiteral(s) => {
                let _ = write!(out, "{:?}", s.value.to_str());
            }
            Expr::Tuple(t) => {
                out.push('(');
                for (i, e) in t.elts.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.write_key(e, depth, out);
                }
                out.push(')');
            }
            _ => {
                let source = &self.text[expr.range()];
                out.extend(source.chars().filter(|c| !c.is_whitespace()));
            }
        }
    }
}

/// Values worth substituting for a name: expressions that compute a path,
/// not calls that create or fetch something else.
fn is_path_like(value: &Expr) -> bool {
    match value {
        Expr::Name(_)
        | Expr::Attribute(_)
        | Expr::StringLiteral(_)
        | Expr::FString(_)
        | Expr::BinOp(_)
        | Expr::Subscript(_) => true,
        Expr::Call(call) => {
            let callee = crate::python::names::dotted(&call.func).unwrap_or_default();
            let last = last_segment(&callee);
            last == "join" || last.contains("path") || last.ends_with("dir") || last.ends_with("file")
        }
        _ => false,
    }
}

/// How many times each local name is bound, and the value of plain bindings.
#[derive(Default)]
struct Bindings<'a> {
    count: HashMap<&'a str, u32>,
    values: HashMap<&'a str, &'a Expr>,
}

impl<'a> Bindings<'a> {
    fn bind(&mut self, target: &'a Expr, value: Option<&'a Expr>) {
        match target {
            Expr::Name(name) => {
                *self.count.entry(name.id.as_str()).or_default() += 1;
                if let Some(value) = value {
                    self.values.insert(name.id.as_str(), value);
                }
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.bind(e, None)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.bind(e, None)),
            Expr::Starred(s) => self.bind(&s.value, None),
            _ => {}
        }
    }
}

impl<'a> Visitor<'a> for Bindings<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // Nested scopes bind their own names.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::Assign(assign) => {
                let value = (assign.targets.len() == 1).then_some(&*assign.value);
                for target in &assign.targets {
                    self.bind(target, value);
                }
            }
            Stmt::AnnAssign(assign) => self.bind(&assign.target, assign.value.as_deref()),
            Stmt::AugAssign(assign) => self.bind(&assign.target, None),
            Stmt::For(for_) => self.bind(&for_.target, None),
            Stmt::With(with) => {
                for item in &with.items {
                    if let Some(var) = &item.optional_vars {
                        self.bind(var, None);
                    }
                }
            }
            Stmt::Global(global) => {
                // A global is not a local binding: never substitute it.
                for name in &global.names {
                    *self.count.entry(name.as_str()).or_default() += 2;
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Named(named) => self.bind(&named.target, Some(&named.value)),
            Expr::Lambda(_) => return,
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(src: &str, a: &str, b: &str) -> bool {
        let module = ruff_python_parser::parse_module(src).unwrap().into_syntax();
        let Stmt::FunctionDef(func) = &module.body[0] else {
            panic!("a function")
        };
        let names = PathNames::of_body(&func.body, src);
        let ea = ruff_python_parser::parse_expression(a).unwrap().into_expr();
        let eb = ruff_python_parser::parse_expression(b).unwrap().into_expr();
        // Keys of expressions parsed outside `src` only use node shapes and
        // literal values, never their ranges, except for the fallback.
        let _ = &names;
        let ka = PathNames {
            text: a,
            single: names.single.clone(),
        }
        .key(&ea);
        let kb = PathNames {
            text: b,
            single: names.single.clone(),
        }
        .key(&eb);
        ka == kb
    }

    #[test]
    fn single_assignments_are_followed() {
        let src = "def f(d, name):\n    path = os.path.join(d, name)\n    x = 1\n";
        assert!(keys(src, "path", "os.path.join(d, name)"));
        assert!(keys(src, "os.path.join(d,name)", "os.path.join( d, name )"));
        assert!(!keys(src, "path", "os.path.join(d, other)"));
    }

    #[test]
    fn rebound_names_are_not_followed() {
        let src = "def f(d):\n    path = d + 'a'\n    path = d + 'b'\n";
        assert!(!keys(src, "path", "d + 'a'"));
        assert!(keys(src, "path", "path"));
    }

    #[test]
    fn quotes_do_not_matter() {
        assert!(keys("def f():\n    pass\n", "open('/etc/x')", "open(\"/etc/x\")"));
    }
}
