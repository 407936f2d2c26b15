//! S608 hardcoded-sql-expression (Bandit B608).
//!
//! Bandit checks every string constant whose parent is a `BinOp` (`%`, `+`
//! ...), a `.format`/`.replace` attribute or an f-string, and reports the
//! string itself (for an f-string, the whole f-string: Python before 3.12
//! gives its pieces the f-string's position). The statement it matches is:
//! - in a `BinOp` chain: the string, then every other string constant of the
//!   chain outside the string's own `BinOp`, joined with spaces;
//! - before `.format(...)`/`.replace(...)`: the string alone;
//! - in an f-string: all its literal pieces, joined.
//!
//! The confidence is MEDIUM when the built string is passed directly as a
//! positional argument of a call named `execute` or `executemany`, except for
//! `.replace(...)`, always LOW.
//!
//! Two deliberate differences: an f-string with no replacement field
//! (`f"SELECT * FROM t"`) is a constant and is not reported, and the text of
//! a format spec (`f"{x:>10}"`) is not SQL and is not checked.

use ruff_python_ast::{Expr, ExprFString, ExprStringLiteral, InterpolatedStringElement, Operator};
use ruff_text_size::TextRange;

use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S608",
    name: "hardcoded-sql-expression",
    bandit: Some("B608"),
    bandit_name: Some("hardcoded_sql_expressions"),
    family: Family::Injection,
    cwe: 89,
    severity: Level::Medium,
    confidence: Level::Low,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags strings that look like SQL statements (`SELECT ... FROM`, `INSERT INTO ... VALUES`, \
               `UPDATE ... SET`, `DELETE FROM`) built with `%`, `+`, `.format()`, `.replace()` or an f-string. \
               The confidence is MEDIUM when the result goes straight into `execute()` or `executemany()`.",
        why: "A value formatted into SQL text becomes SQL: a quote in an instance name, a filter or a marker from \
              the API can close the literal and add `OR 1=1`, a `UNION SELECT` of another project's rows, or a \
              second statement. Bound parameters are sent apart from the statement and cannot change it.",
        example: "session.execute(\"SELECT uuid FROM instances WHERE host = '%s'\" % host)",
        use_instead: "session.execute(\n    sa.text('SELECT uuid FROM instances WHERE host = :host'), {'host': host})\n\
                      # or, better, the query API of the models:\n\
                      model_query(context, models.Instance).filter_by(host=host)",
        fix: "Pass the values as bound parameters (`sa.text('... WHERE host = :host')` with `{'host': host}`, or `cursor.execute(sql, params)`) instead of formatting them into the SQL.",
        references: &[
            "https://security.openstack.org/guidelines/dg_parameterize-database-queries.html",
            "https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text",
            "https://owasp.org/www-community/attacks/SQL_Injection",
        ],
    },
};

pub fn check(cx: &Context, expr: &Expr, out: &mut Vec<Diagnostic>) {
    let found = match expr {
        Expr::StringLiteral(string) => string_in_expression(cx, string),
        Expr::FString(fstring) => fstring_statement(cx, fstring),
        _ => None,
    };
    let Some(found) = found else { return };
    if !looks_like_sql(&found.statement) {
        return;
    }
    let mut diag = Diagnostic::new(
        &RULE,
        found.report,
        format!("SQL query built with {}: `{}`", found.how, snippet(cx, found.built)),
    );
    if let Some(call) = found.execute {
        if found.how == How::Replace {
            diag = diag.detail(format!(
                "`str.replace()` puts the value unquoted into the query that `{}` runs.",
                cx.snippet(&*call.func)
            ));
        } else {
            diag = diag.confidence(Level::Medium).detail(format!(
                "The query goes straight into `{}`, hence MEDIUM confidence.",
                cx.snippet(&*call.func)
            ));
        }
    }
    out.push(diag);
}

/// How the SQL text is put together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Operator(Operator),
    Format,
    Replace,
    FString,
}

impl std::fmt::Display for How {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            How::Operator(Operator::Mod) => f.write_str("`%` formatting"),
            How::Operator(Operator::Add) => f.write_str("string concatenation"),
            How::Operator(op) => write!(f, "the `{}` operator", op.as_str()),
            How::Format => f.write_str("`str.format()`"),
            How::Replace => f.write_str("`str.replace()`"),
            How::FString => f.write_str("an f-string"),
        }
    }
}

/// A string Bandit would test, and what it tests.
struct Found<'a> {
    /// The text matched against the SQL pattern.
    statement: String,
    /// The node Bandit reports.
    report: TextRange,
    /// The expression that builds the query, for the message.
    built: &'a Expr,
    how: How,
    /// The `execute`/`executemany` call the query is passed to, if any.
    execute: Option<&'a ruff_python_ast::ExprCall>,
}

/// A plain string literal under a `BinOp` or before `.format`/`.replace`.
fn string_in_expression<'a>(cx: &Context<'a>, string: &'a ExprStringLiteral) -> Option<Found<'a>> {
    let stack = &cx.exprs;
    let here = stack.len().checked_sub(1)?;
    let parent = here.checked_sub(1)?;
    match stack[parent] {
        Expr::BinOp(binop) => {
            let mut root = parent;
            while let Parent::Expr(up) = python_parent(stack, root) {
                if !matches!(stack[up], Expr::BinOp(_)) {
                    break;
                }
                root = up;
            }
            let mut pieces = vec![string.value.to_str().to_string()];
            collect_strings(stack[root], stack[parent], &mut pieces);
            Some(Found {
                statement: pieces.join(" "),
                report: string.range,
                built: stack[root],
                how: How::Operator(binop.op),
                execute: execute_call(stack, python_parent(stack, root)),
            })
        }
        Expr::Attribute(attr) if matches!(attr.attr.as_str(), "format" | "replace") => {
            // Bandit's wrapper is the parent of the attribute's parent:
            // `execute("...".format(x))`, Call -> Call -> Attribute -> Str.
            let (wrapper, built) = match python_parent(stack, parent) {
                Parent::Expr(call) => (python_parent(stack, call), stack[call]),
                Parent::Keyword(call) => (Parent::Expr(call), stack[parent]),
                Parent::Other => (Parent::Other, stack[parent]),
            };
            let how = if attr.attr.as_str() == "replace" {
                How::Replace
            } else {
                How::Format
            };
            Some(Found {
                statement: string.value.to_str().to_string(),
                report: string.range,
                built,
                how,
                execute: execute_call(stack, wrapper),
            })
        }
        _ => None,
    }
}

/// An f-string: its literal pieces, as one statement. Unlike Bandit, an
/// f-string without a replacement field is left alone: it is a constant.
fn fstring_statement<'a>(cx: &Context<'a>, fstring: &'a ExprFString) -> Option<Found<'a>> {
    let mut statement = String::new();
    let mut has_literal = false;
    let mut has_field = false;
    for part in fstring.value.iter() {
        match part {
            ruff_python_ast::FStringPart::Literal(literal) => {
                has_literal |= !literal.value.is_empty();
                statement.push_str(&literal.value);
            }
            ruff_python_ast::FStringPart::FString(f) => {
                for element in f.elements.iter() {
                    match element {
                        InterpolatedStringElement::Literal(literal) => {
                            has_literal |= !literal.value.is_empty();
                            statement.push_str(&literal.value);
                        }
                        // `f"{x=}"` holds the text `x=` as a literal piece.
                        InterpolatedStringElement::Interpolation(interpolation) => {
                            has_field = true;
                            if let Some(debug) = &interpolation.debug_text {
                                has_literal = true;
                                statement.push_str(debug.as_str());
                            }
                        }
                    }
                }
            }
        }
    }
    if !has_literal || !has_field {
        return None;
    }
    let stack = &cx.exprs;
    let here = stack.len().checked_sub(1)?;
    Some(Found {
        statement,
        report: fstring.range,
        built: stack[here],
        how: How::FString,
        execute: execute_call(stack, python_parent(stack, here)),
    })
}

/// The source of `expr` for a one-line message. An implicitly concatenated
/// string is shown part by part, without the comments between its lines.
fn snippet(cx: &Context, expr: &Expr) -> String {
    let parts: Vec<&str> = match expr {
        Expr::StringLiteral(s) if s.value.is_implicit_concatenated() => s.value.iter().map(|p| cx.source(p)).collect(),
        Expr::FString(f) if f.value.is_implicit_concatenated() => f.value.iter().map(|p| cx.source(p)).collect(),
        _ => return cx.snippet(expr),
    };
    let text = parts.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 60 {
        format!("{}...", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}

/// Bandit's `concat_string`: the string constants of the `BinOp` tree under
/// `node`, in order, skipping the subtree `stop`.
fn collect_strings(node: &Expr, stop: &Expr, pieces: &mut Vec<String>) {
    if std::ptr::eq(node, stop) {
        return;
    }
    let Expr::BinOp(binop) = node else { return };
    for side in [&*binop.left, &*binop.right] {
        match side {
            Expr::BinOp(_) => collect_strings(side, stop, pieces),
            Expr::StringLiteral(s) => pieces.push(s.value.to_str().to_string()),
            _ => {}
        }
    }
}

/// Where an expression sits in Python's own AST, which has nodes that ruff's
/// expression stack does not (keywords, comprehensions, f-string
/// replacement fields, lambda parameters).
#[derive(Debug, Clone, Copy)]
enum Parent {
    /// The expression at this index of the stack.
    Expr(usize),
    /// A keyword argument of the call at this index of the stack.
    Keyword(usize),
    /// A statement, or a node that is not an expression.
    Other,
}

fn python_parent(stack: &[&Expr], index: usize) -> Parent {
    let Some(up) = index.checked_sub(1) else {
        return Parent::Other;
    };
    let child: &Expr = stack[index];
    let is = |e: &Expr| std::ptr::eq(e, child);
    match stack[up] {
        Expr::Call(call) => {
            if is(&call.func) || call.arguments.args.iter().any(is) {
                Parent::Expr(up)
            } else {
                Parent::Keyword(up)
            }
        }
        Expr::ListComp(c) if !is(&c.elt) => Parent::Other,
        Expr::SetComp(c) if !is(&c.elt) => Parent::Other,
        Expr::Generator(c) if !is(&c.elt) => Parent::Other,
        Expr::DictComp(c) if !c.key.as_deref().is_some_and(is) && !is(&c.value) => Parent::Other,
        Expr::Lambda(l) if !is(&l.body) => Parent::Other,
        Expr::FString(_) | Expr::TString(_) => Parent::Other,
        _ => Parent::Expr(up),
    }
}

/// The call `parent` is, if Bandit's `get_called_name` gives it the name
/// `execute` or `executemany` (unresolved: `cur.execute`, `execute`).
fn execute_call<'a>(stack: &[&'a Expr], parent: Parent) -> Option<&'a ruff_python_ast::ExprCall> {
    let Parent::Expr(index) = parent else {
        return None;
    };
    let Expr::Call(call) = stack[index] else {
        return None;
    };
    let name = match &*call.func {
        Expr::Attribute(attr) => attr.attr.as_str(),
        Expr::Name(name) => name.id.as_str(),
        _ => "",
    };
    matches!(name, "execute" | "executemany").then_some(call)
}

/// Bandit's `SIMPLE_SQL_RE`, searched anywhere, ignoring case, `.` matching
/// newlines:
/// `select\s.*from\s | delete\s+from\s | insert\s+into\s.*values[\s(] | update\s.*set\s`.
pub fn looks_like_sql(text: &str) -> bool {
    let positions = || 0..text.len();
    // The end of the first `word\s` (or `word1\s+word2\s`): a later match
    // can only leave less room for what follows.
    let first = |word: &str| positions().find_map(|at| word_then(text, at, word, is_py_space));
    let first_pair = |one: &str, two: &str| {
        positions().find_map(|at| {
            let end = skip_spaces(text, word_then(text, at, one, is_py_space)?);
            word_then(text, end, two, is_py_space)
        })
    };
    let any_after = |from: usize, word: &str, after: fn(char) -> bool| {
        (from..text.len()).any(|at| word_then(text, at, word, after).is_some())
    };
    let values_end = |c: char| is_py_space(c) || c == '(';
    first("select").is_some_and(|end| any_after(end, "from", is_py_space))
        || first_pair("delete", "from").is_some()
        || first_pair("insert", "into").is_some_and(|end| any_after(end, "values", values_end))
        || first("update").is_some_and(|end| any_after(end, "set", is_py_space))
}

/// The end of `word` (lowercase ASCII, matched in any case) at byte `at`
/// and of the character after it, which must pass `after`.
fn word_then(text: &str, at: usize, word: &str, after: fn(char) -> bool) -> Option<usize> {
    let mut chars = text.get(at..)?.char_indices();
    for letter in word.chars() {
        let (_, c) = chars.next()?;
        if !same_letter(c, letter) {
            return None;
        }
    }
    let (offset, next) = chars.next()?;
    after(next).then_some(at + offset + next.len_utf8())
}

/// Python's case-insensitive match of `c` against an ASCII letter: the
/// other case, plus the long s (`ſ`) for `s` and the dotted and dotless i
/// (`İ`, `ı`) for `i`.
fn same_letter(c: char, letter: char) -> bool {
    c.to_ascii_lowercase() == letter
        || (letter == 's' && c == '\u{17f}')
        || (letter == 'i' && matches!(c, '\u{130}' | '\u{131}'))
}

/// The offset after any whitespace from `at`, for the `\s+` of `delete\s+from`
/// and `insert\s+into` (the first `\s` is already consumed).
fn skip_spaces(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    at + rest.len() - rest.trim_start_matches(is_py_space).len()
}

/// Python's `\s` in a `str` pattern: Unicode whitespace, plus the ASCII
/// information separators U+001C–U+001F.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::looks_like_sql;

    #[test]
    fn sql_pattern() {
        for sql in [
            "SELECT * FROM foo",
            "select x\nfrom y ",
            "WITH a AS (SELECT x FROM foo)",
            "DELETE  FROM foo",
            "delete\tfrom\nx",
            "INSERT INTO foo VALUES(1)",
            "insert into foo (a) values (1)",
            "UPDATE foo SET a = 1",
            "x select from y",
            "SELECT  SELECT   FROM t",
        ] {
            assert!(looks_like_sql(sql), "{sql:?}");
        }
        for text in [
            "SELECT * FROM",
            "selected from here",
            "from x select y",
            "DELETE FROM",
            "deleted from x",
            "INSERT INTO foo",
            "insert into foo valuesx",
            "UPDATE foo",
            "updated settings",
            "sélect a from b ",
            "",
            "é",
        ] {
            assert!(!looks_like_sql(text), "{text:?}");
        }
        // Bandit's pattern is that loose; it only tests strings being formatted.
        assert!(looks_like_sql("delete from the cache as the first argument"));
        assert!(looks_like_sql("Select from active instances"));
        // Python's IGNORECASE folds these onto ASCII letters.
        assert!(looks_like_sql("\u{17f}elect a from b "));
        assert!(looks_like_sql("\u{130}NSERT \u{131}nto t values(1)"));
    }
}
