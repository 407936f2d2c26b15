//! R304 regex-with-catastrophic-backtracking: a pattern passed to `re`
//! with a repetition that can match the same text in exponentially many
//! ways.

use ruff_python_ast::{Expr, Operator, Stmt};
use ruff_text_size::{Ranged, TextSize};

use super::regex_ambiguity::{Flags, find_ambiguity};
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R304",
    name: "regex-with-catastrophic-backtracking",
    bandit: None,
    bandit_name: None,
    family: Family::DenialOfService,
    cwe: 1333,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags patterns given to `re.compile`, `re.match`, `re.search`, `re.fullmatch`, `re.findall`, \
               `re.finditer`, `re.split`, `re.sub` and `re.subn` (string literals, or module and class \
               constants joined with `+`) that contain an unbounded repetition whose body can split the same \
               text into iterations in more than one way (`(a+)+`, `(\\w+\\s?)*`, `(?:[^\"]|\\\\.)*`), followed \
               by something that can fail. Not in a flake8 plugin (`hacking/checks.py`), whose patterns \
               read the project's own source.",
        why: "Python's `re` backtracks: when the end of the pattern fails, it retries every way the ambiguous \
              repetition could have split the text, and there are exponentially many. A header, name or \
              filter value of a few dozen characters that almost matches keeps a worker at 100% CPU for \
              minutes, and a client disconnecting does not stop it (Swift bug 2158771: an `Accept` header of \
              backslashes).",
        example: "qdtext = r'[^\"]'\nquoted_pair = r'(?:\\\\.)'\nquoted_string = re.compile(r'\"(?:' + qdtext + '|' + quoted_pair + r')*\"')",
        use_instead: "qdtext = r'[^\"\\\\]'  # a backslash can only start a quoted pair\nquoted_pair = r'(?:\\\\.)'\nquoted_string = re.compile(r'\"(?:' + qdtext + '|' + quoted_pair + r')*\"')",
        fix: "Make each character match in only one way: make the alternatives of the repetition disjoint or drop the inner quantifier (e.g. `(\\w+\\s)*\\w*` for `(\\w+\\s?)*`), or use an atomic group `(?>...)` or possessive quantifier (Python 3.11+).",
        references: &[
            "https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS",
            "https://bugs.launchpad.net/swift/+bug/2158771",
        ],
    },
};

/// `re` functions and the position of their `flags` argument.
const FUNCTIONS: &[(&str, usize)] = &[
    ("re.compile", 1),
    ("re.findall", 2),
    ("re.finditer", 2),
    ("re.fullmatch", 2),
    ("re.match", 2),
    ("re.search", 2),
    ("re.split", 3),
    ("re.sub", 4),
    ("re.subn", 4),
];

/// How deep name lookups go when assembling a pattern from constants.
const MAX_DEPTH: usize = 16;

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let Some((_, flags_at)) = FUNCTIONS.iter().find(|(n, _)| *n == site.qualname) else {
        return;
    };
    if is_lint_plugin(cx) {
        return;
    }
    let Some(pattern_arg) = site.arg_or_keyword(0, "pattern") else {
        return;
    };
    let mut defs = Vec::new();
    let Some(pattern) = fold(cx, pattern_arg, site.call.start(), 0, &mut defs) else {
        return;
    };
    let flags = site
        .arg_or_keyword(*flags_at, "flags")
        .map(|f| read_flags(cx, f))
        .unwrap_or_default();
    let anchored = site.qualname == "re.fullmatch";
    let Some(found) = find_ambiguity(&pattern, flags, anchored) else {
        return;
    };
    let part = pattern.get(found.start..found.end).unwrap_or("");
    let shown = shorten(part);
    let mut diag = Diagnostic::new(
        &RULE,
        pattern_arg.range(),
        format!("Regex repetition `{shown}` can match the same text in exponentially many ways"),
    )
    .detail(format!(
        "In the pattern given to `{}`, `{shown}` can split one string into iterations in several ways, so \
         an input that almost matches makes `re` try all of them before failing.",
        cx.snippet(&*site.call.func)
    ))
    .fix(format!(
        "Rewrite `{shown}` so that each character can match in only one way (disjoint alternatives, no \
         quantified item inside a repeated group), or make it atomic (`(?>...)`, Python 3.11+)."
    ));
    if !defs.is_empty() {
        defs.sort_by_key(|s: &&Stmt| s.start());
        defs.dedup_by_key(|s| s.start());
        for stmt in defs {
            let name = match stmt {
                Stmt::Assign(a) => a.targets.first().map(|t| cx.snippet(t)).unwrap_or_default(),
                _ => String::new(),
            };
            diag = diag.step(stmt.range(), format!("`{name}` holds part of the pattern"));
        }
        diag = diag.step(
            site.call.range(),
            format!("and compiled by `{}`", cx.snippet(&*site.call.func)),
        );
    }
    out.push(diag);
}

/// The part for a one-line message: whitespace runs (verbose patterns)
/// folded to one space, long parts cut.
/// A flake8 plugin (an OpenStack project's `hacking/checks.py`): its
/// patterns run over the project's own source lines, which no attacker
/// writes.
fn is_lint_plugin(cx: &Context) -> bool {
    (cx.imported_like("hacking") || cx.imported_like("flake8") || cx.imported_like("pycodestyle"))
        && cx.module_words().any(&["logical_line", "physical_line"])
}

fn shorten(part: &str) -> String {
    let part = part.split_whitespace().collect::<Vec<_>>().join(" ");
    if part.chars().count() > 50 {
        format!("{}...", part.chars().take(47).collect::<String>())
    } else {
        part
    }
}

/// The text of a pattern built from string literals, `+` and names bound
/// to such constants in an enclosing scope; records the defining
/// statements.
fn fold<'a>(cx: &Context<'a>, expr: &'a Expr, at: TextSize, depth: usize, defs: &mut Vec<&'a Stmt>) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        Expr::BinOp(b) if b.op == Operator::Add => {
            let left = fold(cx, &b.left, at, depth + 1, defs)?;
            let right = fold(cx, &b.right, at, depth + 1, defs)?;
            Some(left + &right)
        }
        Expr::Name(name) => {
            let (stmt, value) = lookup(cx, name.id.as_str(), at)?;
            defs.push(stmt);
            fold(cx, value, stmt.start(), depth + 1, defs)
        }
        _ => None,
    }
}

/// The last assignment of `name` visible from `at`: in the innermost
/// enclosing function (before `at`), the class body when `at` is directly
/// in it, then the module.
fn lookup<'a>(cx: &Context<'a>, name: &str, at: TextSize) -> Option<(&'a Stmt, &'a Expr)> {
    let mut in_function = false;
    for stmt in cx.stmts.iter().rev() {
        match stmt {
            Stmt::FunctionDef(f) if f.range.contains(at) => {
                if let Some(found) = last_assignment(&f.body, name, Some(at)) {
                    return Some(found);
                }
                in_function = true;
            }
            // Methods do not see class-level names.
            Stmt::ClassDef(c) if !in_function && c.range.contains(at) => {
                if let Some(found) = last_assignment(&c.body, name, Some(at)) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    last_assignment(
        &cx.module.parsed.syntax().body,
        name,
        if in_function { None } else { Some(at) },
    )
}

fn last_assignment<'a>(body: &'a [Stmt], name: &str, before: Option<TextSize>) -> Option<(&'a Stmt, &'a Expr)> {
    let mut found = None;
    for stmt in body {
        if before.is_some_and(|b| stmt.start() >= b) {
            break;
        }
        if let Stmt::Assign(assign) = stmt
            && assign.targets.len() == 1
            && matches!(&assign.targets[0], Expr::Name(n) if n.id.as_str() == name)
        {
            found = Some((stmt, &*assign.value));
        }
    }
    found
}

/// The flags an argument sets: `re.I | re.X`, `re.VERBOSE`...
fn read_flags(cx: &Context, expr: &Expr) -> Flags {
    let mut flags = Flags::default();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match e {
            Expr::BinOp(b) if b.op == Operator::BitOr || b.op == Operator::Add => {
                stack.push(&b.left);
                stack.push(&b.right);
            }
            other => match cx.qualified_name(other).as_deref() {
                Some("re.I" | "re.IGNORECASE") => flags.ignore_case = true,
                Some("re.S" | "re.DOTALL") => flags.dot_all = true,
                Some("re.X" | "re.VERBOSE") => flags.verbose = true,
                _ => {}
            },
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use crate::input::SourceFile;
    use crate::review::{self, Settings};
    use crate::rules::registry::Selection;

    fn lines(text: &str) -> Vec<u32> {
        let settings = Settings::new(Selection::new(&["R304".to_string()], &[]).unwrap());
        let file = SourceFile::plain("checks.py", text.to_string());
        review::review(&file, &settings)
            .findings
            .iter()
            .map(|f| f.line)
            .collect()
    }

    #[test]
    fn a_lint_plugin_reads_the_projects_own_code() {
        let plugin = "import re\n\nfrom hacking import core\n\nLOG_CONTEXT = re.compile(r\"LOG\\.(.*)\\((context=[a-z].*)+\\)\")\n\n\n\
                      @core.flake8ext\ndef check(logical_line):\n    if LOG_CONTEXT.match(logical_line):\n        yield (0, 'N1')\n";
        assert!(lines(plugin).is_empty());
        // The same pattern in a module that is no plugin.
        let service = plugin.replace("from hacking import core", "from oslo_log import log");
        assert_eq!(lines(&service), [5]);
    }
}
