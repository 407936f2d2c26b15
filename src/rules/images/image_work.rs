//! What one function body does with a disk image: where it inspects one
//! (`qemu-img info`, a `qemu_img_info` helper, oslo.utils' `QemuImgInfo`),
//! where it converts or changes one (`qemu-img convert`/`rebase`/..., a
//! `convert_image` helper), and which image features it refuses: a test
//! about the feature whose branch raises, or a call to a checking helper
//! (the format inspector's `safety_check()`, cinder's `check_*_image`, or a
//! function of the same module that does such checks).
//!
//! A helper of the same module is followed by name; one of another module
//! counts only when [`image_apis`](super::image_apis) says what it checks.

use crate::python::names::last_segment;
use ruff_python_ast::helpers::any_over_expr;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::image_apis::{CONVERTING_SUBCOMMANDS, Feature, INSPECTION_HELPERS, SAFE_INSPECTION_KEYWORDS, check_helper};
use crate::rules::Context;

/// A place that inspects an image.
pub struct Inspection<'a> {
    pub call: &'a ExprCall,
    /// `qemu-img info` run here (or its output parsed here), not a helper.
    pub direct: bool,
}

/// A refusal of an image feature.
#[derive(Debug, Clone)]
pub struct Check {
    pub feature: Feature,
    pub at: TextRange,
    /// The helper that does it, when a call does.
    pub by: Option<String>,
}

#[derive(Default)]
pub struct ImageWork<'a> {
    pub inspections: Vec<Inspection<'a>>,
    pub conversions: Vec<&'a ExprCall>,
    pub checks: Vec<Check>,
}

impl ImageWork<'_> {
    pub fn checks(&self, feature: Feature) -> bool {
        self.checks.iter().any(|c| c.feature == feature)
    }
}

/// How deep the same-module helpers are followed (`convert_image` calls
/// `check_image_format` calls `qemu_img_info`).
const MAX_DEPTH: u32 = 3;

/// What `body` does with images, itself or through functions of the same
/// module (looked up by name, [`MAX_DEPTH`] calls deep). A helper of another
/// module counts only when [`image_apis`](super::image_apis) says what it
/// checks: whether another module's `qemu_img_info` or `convert_image` runs
/// the format inspector depends on its version, which this module cannot see.
pub fn scan<'a>(cx: &Context<'a>, body: &'a [Stmt]) -> ImageWork<'a> {
    let mut work = ImageWork::default();
    for call in crate::rules::races::body_calls::calls_in(body) {
        let name = called_name(cx, call);
        let last = name.as_deref().map(last_segment);
        let words = command_words(body, call);
        let runs_qemu_img = words.iter().any(|w| w == "qemu-img" || w.ends_with("/qemu-img"));
        let helper = last.and_then(|l| local_def(cx, call, l));
        let inner = helper.map(|def| reach(cx, &def.body, 1));
        if (runs_qemu_img && words.iter().any(|w| w == "info")) || last == Some("QemuImgInfo") {
            work.inspections.push(Inspection { call, direct: true });
        } else if inner.as_ref().is_some_and(|r| r.inspects) {
            work.inspections.push(Inspection { call, direct: false });
        }
        if (runs_qemu_img && words.iter().any(|w| CONVERTING_SUBCOMMANDS.contains(&w.as_str())))
            || inner.as_ref().is_some_and(|r| r.converts)
        {
            work.conversions.push(call);
        }
        let mut features: Vec<Feature> = inner.map(|r| r.refuses).unwrap_or_default();
        if let Some(f) = last.and_then(check_helper) {
            features.extend_from_slice(f);
        }
        // The inspection helpers of the format-inspector era take these
        // keywords: such a call ran its safety check.
        if last.is_some_and(|l| INSPECTION_HELPERS.contains(&l))
            && call.arguments.keywords.iter().any(|k| {
                k.arg
                    .as_ref()
                    .is_some_and(|a| SAFE_INSPECTION_KEYWORDS.contains(&a.as_str()))
            })
        {
            features.extend_from_slice(&Feature::ALL);
        }
        features.sort_by_key(|f| *f as u8);
        features.dedup();
        for feature in features {
            work.checks.push(Check {
                feature,
                at: call.range(),
                by: last.map(str::to_string),
            });
        }
    }
    for (feature, at) in refusing_tests(body) {
        work.checks.push(Check { feature, at, by: None });
    }
    work.checks.sort_by_key(|c| c.at.start());
    work
}

/// What a same-module helper's body does, followed further down.
#[derive(Default)]
struct Reach {
    inspects: bool,
    converts: bool,
    refuses: Vec<Feature>,
}

fn reach(cx: &Context, body: &[Stmt], depth: u32) -> Reach {
    let mut out = Reach::default();
    out.refuses.extend(refusing_tests(body).into_iter().map(|(f, _)| f));
    for call in crate::rules::races::body_calls::calls_in(body) {
        let name = called_name(cx, call);
        let last = name.as_deref().map(last_segment);
        let words = command_words(body, call);
        let runs_qemu_img = words.iter().any(|w| w == "qemu-img" || w.ends_with("/qemu-img"));
        out.inspects |= (runs_qemu_img && words.iter().any(|w| w == "info")) || last == Some("QemuImgInfo");
        out.converts |= runs_qemu_img && words.iter().any(|w| CONVERTING_SUBCOMMANDS.contains(&w.as_str()));
        if let Some(f) = last.and_then(check_helper) {
            out.refuses.extend_from_slice(f);
        }
        if depth < MAX_DEPTH
            && let Some(def) = last.and_then(|l| local_def(cx, call, l))
        {
            let inner = reach(cx, &def.body, depth + 1);
            out.inspects |= inner.inspects;
            out.converts |= inner.converts;
            out.refuses.extend(inner.refuses);
        }
    }
    out
}

/// The same-module function a call runs: `helper(...)` or `self.helper(...)`.
fn local_def<'a>(cx: &Context<'a>, call: &ExprCall, name: &str) -> Option<&'a StmtFunctionDef> {
    let local = match &*call.func {
        Expr::Attribute(a) => matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self" || n.id.as_str() == "cls"),
        Expr::Name(_) => true,
        _ => false,
    };
    if !local {
        return None;
    }
    find_def(cx.module.parsed.syntax().body.as_slice(), name)
}

/// A function or method `name` defined at the module's top level or in one
/// of its classes.
fn find_def<'a>(module: &'a [Stmt], name: &str) -> Option<&'a StmtFunctionDef> {
    module.iter().find_map(|s| match s {
        Stmt::FunctionDef(f) if f.name.as_str() == name => Some(f),
        Stmt::ClassDef(c) => c.body.iter().find_map(|s| match s {
            Stmt::FunctionDef(f) if f.name.as_str() == name => Some(f),
            _ => None,
        }),
        _ => None,
    })
}

fn called_name(cx: &Context, call: &ExprCall) -> Option<String> {
    cx.qualified_name(&call.func).or_else(|| match &*call.func {
        Expr::Attribute(a) => Some(a.attr.to_string()),
        Expr::Name(n) => Some(n.id.to_string()),
        _ => None,
    })
}

/// The string constants of a command line: those written in the call, and
/// those of the literals assigned (or added) to a variable it runs
/// (`execute(*cmd)`) anywhere in the body.
fn command_words(body: &[Stmt], call: &ExprCall) -> Vec<String> {
    let mut words = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for arg in call.arguments.args.iter() {
        let arg = match arg {
            Expr::Starred(s) => &*s.value,
            other => other,
        };
        match arg {
            Expr::Name(n) => names.push(n.id.as_str()),
            other => literal_words(other, &mut words),
        }
    }
    if !names.is_empty() {
        struct Assigned<'n> {
            names: Vec<&'n str>,
            words: Vec<String>,
        }
        impl<'a> Visitor<'a> for Assigned<'_> {
            fn visit_stmt(&mut self, stmt: &'a Stmt) {
                let value = match stmt {
                    Stmt::Assign(a)
                        if a.targets
                            .iter()
                            .any(|t| t.as_name_expr().is_some_and(|n| self.names.contains(&n.id.as_str()))) =>
                    {
                        Some(&*a.value)
                    }
                    Stmt::AugAssign(a)
                        if a.target
                            .as_name_expr()
                            .is_some_and(|n| self.names.contains(&n.id.as_str())) =>
                    {
                        Some(&*a.value)
                    }
                    _ => None,
                };
                if let Some(v) = value {
                    literal_words(v, &mut self.words);
                }
                if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                    visitor::walk_stmt(self, stmt);
                }
            }
        }
        let mut finder = Assigned {
            names,
            words: Vec::new(),
        };
        finder.visit_body(body);
        words.extend(finder.words);
    }
    words
}

/// Every string literal in an expression.
fn literal_words(expr: &Expr, out: &mut Vec<String>) {
    struct Strings<'o> {
        out: &'o mut Vec<String>,
    }
    impl<'a> Visitor<'a> for Strings<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::StringLiteral(s) => self.out.push(s.value.to_str().to_string()),
                Expr::Lambda(_) => {}
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    Strings { out }.visit_expr(expr);
}

/// The tests of `body` that refuse an image feature: an `if` (or `elif`,
/// `while`, `assert`) whose test mentions the feature and whose branch
/// raises. Each with the test's range.
pub fn refusing_tests(body: &[Stmt]) -> Vec<(Feature, TextRange)> {
    struct Tests {
        out: Vec<(Feature, TextRange)>,
    }
    impl Tests {
        fn test(&mut self, test: &Expr, refuses: bool) {
            if !refuses {
                return;
            }
            for feature in Feature::ALL {
                if mentions(test, feature) {
                    self.out.push((feature, test.range()));
                }
            }
        }
    }
    impl<'a> Visitor<'a> for Tests {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
                Stmt::If(s) => {
                    self.test(&s.test, raises(&s.body));
                    for clause in &s.elif_else_clauses {
                        if let Some(test) = &clause.test {
                            self.test(test, raises(&clause.body));
                        }
                    }
                }
                Stmt::Assert(s) => self.test(&s.test, true),
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }
    }
    let mut tests = Tests { out: Vec::new() };
    tests.visit_body(body);
    tests.out
}

/// Whether a test's expression names the feature: a string (`'data-file'`),
/// an attribute or a variable (`info.backing_file`, `data_file`).
fn mentions(test: &Expr, feature: Feature) -> bool {
    let words = feature.words();
    any_over_expr(test, &|e: &Expr| {
        let text = match e {
            Expr::StringLiteral(s) => s.value.to_str(),
            Expr::Attribute(a) => a.attr.as_str(),
            Expr::Name(n) => n.id.as_str(),
            _ => return false,
        };
        words.iter().any(|w| text.contains(w))
    })
}

/// Whether a branch refuses: it raises (at its top level or in a nested
/// block).
fn raises(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Raise(_) => true,
        Stmt::If(i) => raises(&i.body) || i.elif_else_clauses.iter().any(|c| raises(&c.body)),
        Stmt::With(w) => raises(&w.body),
        Stmt::Try(t) => raises(&t.body) || raises(&t.finalbody),
        _ => false,
    })
}
