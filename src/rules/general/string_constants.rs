//! The string constants Bandit's `Str` checks (B104, B108) look at.
//!
//! Bandit visits every `ast.Constant` holding a `str`, except one that is a
//! whole expression statement (a docstring or a bare string). Python's AST
//! differs from ruff's in two ways this module papers over:
//!
//! - an f-string's literal text is made of `Constant`s in Python, one per run
//!   of text between two `{...}` fields, merged across implicit concatenation
//!   (`"/tmp/" f"{name}"` holds the constant `/tmp/`); its format specs
//!   (`{x:...}`) hold constants of their own;
//! - ruff keeps those as f-string elements, not expressions.
//!
//! Bytes (`b"0.0.0.0"`) are not strings for these checks, as in Bandit.

use std::borrow::Cow;

use ruff_python_ast::{Expr, FStringPart, InterpolatedStringElement, InterpolatedStringElements, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::rules::Context;

/// One Python string constant.
pub struct StringConstant<'a> {
    /// Its text, escapes decoded.
    pub value: Cow<'a, str>,
    /// Where it is: the literal itself, or the run of f-string text.
    pub range: TextRange,
    /// True when the constant starts the whole string: a plain literal, or
    /// the text before an f-string's first `{...}` field. In
    /// `f"{CONF.state_path}/tmp/x"` the constant `/tmp/x` is not leading.
    pub leading: bool,
}

/// The string constants `expr` is made of, without descending into its
/// sub-expressions (the walk visits those on its own).
pub fn string_constants<'a>(cx: &Context, expr: &'a Expr) -> Vec<StringConstant<'a>> {
    let mut out = Vec::new();
    match expr {
        Expr::StringLiteral(literal) if !is_expression_statement(cx, expr) => {
            out.push(StringConstant {
                // A plain literal is borrowed: most strings are this kind,
                // and most are not what the rules look for.
                value: Cow::Borrowed(literal.value.to_str()),
                range: literal.range,
                leading: true,
            });
        }
        Expr::FString(fstring) => {
            let mut run = Run::default();
            for part in &fstring.value {
                match part {
                    FStringPart::Literal(literal) => run.push(&literal.value, literal.range),
                    FStringPart::FString(f) => collect_elements(&f.elements, &mut run, &mut out),
                }
            }
            run.flush(&mut out);
        }
        Expr::TString(tstring) => {
            let mut run = Run::default();
            for part in &tstring.value {
                collect_elements(&part.elements, &mut run, &mut out);
            }
            run.flush(&mut out);
        }
        _ => {}
    }
    out
}

/// How a message shows the string holding `constant`: its source when it is
/// one literal, else the constant's value (an implicit concatenation spread
/// over lines would drag its comments along).
pub fn shown(cx: &Context, expr: &Expr, constant: &StringConstant) -> String {
    let single = match expr {
        Expr::StringLiteral(s) => !s.value.is_implicit_concatenated(),
        Expr::FString(f) => !f.value.is_implicit_concatenated(),
        Expr::TString(t) => !t.value.is_implicit_concatenated(),
        _ => false,
    };
    if single {
        return cx.snippet(expr);
    }
    let value: String = constant.value.chars().flat_map(char::escape_debug).collect();
    if value.chars().count() > 58 {
        format!("\"{}...\"", value.chars().take(55).collect::<String>())
    } else {
        format!("\"{value}\"")
    }
}

/// True when `expr` is the whole of an expression statement, which Bandit
/// skips as a docstring.
fn is_expression_statement(cx: &Context, expr: &Expr) -> bool {
    cx.parent_expr().is_none()
        && matches!(cx.current_stmt(), Some(Stmt::Expr(stmt)) if std::ptr::eq(&*stmt.value, expr))
}

/// Literal text, split at each `{...}` field; a field's format spec is a
/// separate f-string in Python, with constants of its own.
fn collect_elements(elements: &InterpolatedStringElements, run: &mut Run, out: &mut Vec<StringConstant>) {
    for element in elements {
        match element {
            InterpolatedStringElement::Literal(literal) => run.push(&literal.value, literal.range),
            InterpolatedStringElement::Interpolation(field) => {
                run.flush(out);
                run.after_field = true;
                if let Some(spec) = &field.format_spec {
                    let mut inner = Run {
                        after_field: true,
                        ..Run::default()
                    };
                    collect_elements(&spec.elements, &mut inner, out);
                    inner.flush(out);
                }
            }
        }
    }
}

/// Text accumulated since the last `{...}` field.
#[derive(Default)]
struct Run {
    value: String,
    range: Option<TextRange>,
    /// Whether a `{...}` field came before this run.
    after_field: bool,
}

impl Run {
    fn push(&mut self, text: &str, range: TextRange) {
        self.value.push_str(text);
        self.range = Some(self.range.map_or(range, |r| r.cover(range)));
    }

    fn flush(&mut self, out: &mut Vec<StringConstant<'_>>) {
        if let Some(range) = self.range.take() {
            // Python drops empty runs (`f"{a}{b}"` has no constant between).
            if !self.value.is_empty() {
                out.push(StringConstant {
                    value: Cow::Owned(std::mem::take(&mut self.value)),
                    range,
                    leading: !self.after_field,
                });
            }
        }
        self.value.clear();
    }
}

impl Ranged for StringConstant<'_> {
    fn range(&self) -> TextRange {
        self.range
    }
}
