//! R406 digest-compared-with-equals: an HMAC digest compared with `==` or
//! `!=`, whose time tells an attacker how much of a forged signature is
//! right.

use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{CmpOp, Expr, ExprCall, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R406",
    name: "digest-compared-with-equals",
    bandit: None,
    bandit_name: None,
    family: Family::Exposure,
    cwe: 208,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags an HMAC digest (`hmac.new(...).hexdigest()`, `hmac.digest(...)`, or a name or HMAC object \
               assigned one in the same function) compared with `==` or `!=`.",
        why: "`==` on strings and bytes stops at the first byte that differs, so the time a comparison takes \
              says how many leading bytes of the signature an attacker sent were right. Guessing a signed URL's \
              or a webhook's signature byte by byte then takes a number of tries that grows with its length, \
              not exponentially with it (CWE-208; Swift's FormPost middleware compared its signatures this way \
              until commit 1f0798f4, \"Use constant time string comparisons for auth\"). \
              `hmac.compare_digest` takes the same time whatever the bytes are.",
        example: "expected = hmac.new(key, body, hashlib.sha256).hexdigest()\nif expected != req.headers['X-Signature']:\n    raise webob.exc.HTTPForbidden()",
        use_instead: "expected = hmac.new(key, body, hashlib.sha256).hexdigest()\nif not hmac.compare_digest(expected, req.headers['X-Signature']):\n    raise webob.exc.HTTPForbidden()",
        fix: "Compare digests with `hmac.compare_digest(a, b)` (both `bytes`, or both ASCII `str` as hex digests \
              are).",
        references: &["https://docs.python.org/3/library/hmac.html#hmac.compare_digest"],
    },
};

pub fn check(cx: &Context, expr: &Expr, out: &mut Vec<Diagnostic>) {
    let Expr::Compare(compare) = expr else { return };
    let (&[op], [right]) = (&*compare.ops, &*compare.comparators) else {
        return;
    };
    if !matches!(op, CmpOp::Eq | CmpOp::NotEq) {
        return;
    }
    let left = &*compare.left;
    let (digest, module) = match (hmac_digest(cx, left), hmac_digest(cx, right)) {
        (Some(module), _) => (left, module),
        (None, Some(module)) => (right, module),
        (None, None) => return,
    };
    // A digest compared with a constant (`''`, `None`) is a test of
    // presence, not of a secret.
    let other = if std::ptr::eq(digest, left) { right } else { left };
    if other.is_literal_expr() || other.is_none_literal_expr() {
        return;
    }
    let message = format!(
        "the HMAC digest `{}` is compared with `{}`, which stops at the first byte that differs",
        cx.snippet(digest),
        op.as_str()
    );
    let mut diag = Diagnostic::new(&RULE, compare.range(), message);
    // The edit (`--fix`): for digests of the same type (the legitimate
    // case: two hex strings, or two byte strings) `compare_digest` answers
    // exactly what `==` did, in constant time. It needs the name this file
    // gives the `hmac` module, and nothing between the operands but the
    // operator, white space and parentheses (a comment could hold the
    // operator's text, a backslash would end up before the comma).
    if let Some(module) = module {
        let between = cx.source(&TextRange::new(left.end(), right.start()));
        if let Some(separator) = comma_for(between, op.as_str()) {
            let call = format!(
                "{module}.compare_digest({}{separator}{})",
                cx.source(left),
                cx.source(right)
            );
            let replacement = if op == CmpOp::NotEq {
                format!("not {call}")
            } else {
                call
            };
            diag = diag.edit(TextRange::new(left.start(), right.end()), replacement);
        }
    }
    out.push(diag.fix(format!(
        "Compare with `hmac.compare_digest({}, {})`.",
        cx.snippet(left),
        cx.snippet(right)
    )));
}

/// The text between the operands with the operator turned into a comma,
/// keeping every line break (so the line count stays) and parenthesis.
fn comma_for(between: &str, op: &str) -> Option<String> {
    if between.contains(['#', '\\']) {
        return None;
    }
    let at = between.find(op)?;
    let (pre, post) = (&between[..at], &between[at + op.len()..]);
    let core = pre.trim_end();
    let space = &pre[core.len()..];
    Some(if post.contains('\n') {
        format!("{core},{post}")
    } else if space.contains('\n') {
        format!("{core},{space}{}", post.trim_start())
    } else {
        format!("{core}, {}", post.trim_start())
    })
}

/// Whether `expr` is an HMAC digest; inside, the source text naming the
/// `hmac` module where the digest is made (`None` when it is imported by
/// member), for the edit.
fn hmac_digest(cx: &Context, expr: &Expr) -> Option<Option<String>> {
    match expr {
        Expr::Call(call) if call.arguments.is_empty() => {
            let Expr::Attribute(attr) = &*call.func else {
                return hmac_function(cx, call, &["hmac.digest"]);
            };
            if !matches!(attr.attr.as_str(), "hexdigest" | "digest") {
                return None;
            }
            hmac_object(cx, &attr.value)
        }
        Expr::Call(call) => hmac_function(cx, call, &["hmac.digest"]),
        Expr::Name(name) => assigned(cx, name.id.as_str()).and_then(|value| match value {
            Expr::Name(_) => None,
            value => hmac_digest(cx, value),
        }),
        _ => None,
    }
}

/// An HMAC object: `hmac.new(...)`, `hmac.HMAC(...)`, or a name assigned one.
fn hmac_object(cx: &Context, expr: &Expr) -> Option<Option<String>> {
    match expr {
        Expr::Call(call) => hmac_function(cx, call, &["hmac.new", "hmac.HMAC"]),
        Expr::Name(name) => match assigned(cx, name.id.as_str())? {
            Expr::Call(call) => hmac_function(cx, call, &["hmac.new", "hmac.HMAC"]),
            _ => None,
        },
        _ => None,
    }
}

/// A call to one of `functions`; inside, the text naming the module.
fn hmac_function(cx: &Context, call: &ExprCall, functions: &[&str]) -> Option<Option<String>> {
    let name = cx.qualified_name(&call.func)?;
    if !functions.contains(&name.as_str()) {
        return None;
    }
    Some(match &*call.func {
        Expr::Attribute(attr) => Some(cx.source(&*attr.value).to_string()),
        _ => None,
    })
}

/// The value of the one plain assignment to `name` in the enclosing
/// function (or, at the top level, the module); `None` when there is none
/// or more than one.
fn assigned<'a>(cx: &Context<'a>, name: &str) -> Option<&'a Expr> {
    let body: &'a [Stmt] = match cx.enclosing_function() {
        Some(function) => &function.body,
        None => &cx.module.parsed.syntax().body,
    };
    let mut finder = Assignments {
        name,
        values: Vec::new(),
    };
    finder.visit_body(body);
    match finder.values.as_slice() {
        [value] => Some(value),
        _ => None,
    }
}

struct Assignments<'a, 'n> {
    name: &'n str,
    values: Vec<&'a Expr>,
}

impl<'a> StatementVisitor<'a> for Assignments<'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // Another scope.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Assign(assign) => {
                if let [Expr::Name(target)] = assign.targets.as_slice()
                    && target.id.as_str() == self.name
                {
                    self.values.push(&assign.value);
                }
            }
            other => walk_stmt(self, other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::comma_for;

    #[test]
    fn the_operator_becomes_a_comma_and_line_breaks_stay() {
        assert_eq!(comma_for(" == ", "==").as_deref(), Some(", "));
        assert_eq!(comma_for("==", "==").as_deref(), Some(", "));
        assert_eq!(comma_for(") != ", "!=").as_deref(), Some("), "));
        assert_eq!(comma_for("\n      == ", "==").as_deref(), Some(",\n      "));
        assert_eq!(comma_for(" ==\n    ", "==").as_deref(), Some(",\n    "));
        assert_eq!(comma_for("  # == \n == ", "=="), None);
        assert_eq!(comma_for(" \\\n == ", "=="), None);
    }
}
