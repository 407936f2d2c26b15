//! What a process-starting call says about its shell and its command, as
//! Bandit's `injection_shell` plugin reads it (S602–S607, S609).

use ruff_python_ast::{Expr, ExprCall, Keyword, Number};
use ruff_text_size::{Ranged, TextRange};

use super::process_functions::Launcher;
use crate::rules::{CallSite, Context, Diagnostic, Level};

/// The `shell=` keyword of a call (the last one, as Bandit reads them).
pub fn shell_keyword(call: &ExprCall) -> Option<&Keyword> {
    call.arguments
        .keywords
        .iter()
        .rev()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "shell"))
}

/// Whether `shell=` asks for a shell, with Bandit's reading of its value:
/// a number, list, dict or constant counts by its truth value (so
/// `shell="False"` is a shell: a non-empty string is true), and any other
/// expression (a name, a call, a tuple) is assumed to be true.
pub fn has_shell(call: &ExprCall) -> bool {
    let Some(keyword) = shell_keyword(call) else {
        return false;
    };
    match &keyword.value {
        Expr::BooleanLiteral(b) => b.value,
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_u64() != Some(0),
            Number::Float(f) => *f != 0.0,
            Number::Complex { real, imag } => *real != 0.0 || *imag != 0.0,
        },
        Expr::List(l) => !l.elts.is_empty(),
        Expr::Dict(d) => !d.items.is_empty(),
        Expr::StringLiteral(s) => !s.value.to_str().is_empty(),
        Expr::BytesLiteral(b) => !b.value.is_empty(),
        Expr::NoneLiteral(_) => false,
        _ => true,
    }
}

/// Whether `shell=` is `True`, the way S609 asks: Bandit compares the
/// keyword's literal value with the string `"True"`, so the constant `True`
/// and the string `'True'` both count, `1` does not.
pub fn shell_is_literal_true(call: &ExprCall) -> bool {
    shell_keyword(call).is_some_and(|k| match &k.value {
        Expr::BooleanLiteral(b) => b.value,
        Expr::StringLiteral(s) => s.value.to_str() == "True",
        _ => false,
    })
}

/// The first positional argument: the command.
pub fn command(call: &ExprCall) -> Option<&Expr> {
    call.arguments.args.first()
}

/// The command of a call to `launcher`: the first positional argument, or
/// for the `subprocess` functions their `args=` keyword. Bandit reads only
/// the positional argument, so `subprocess.run(args=cmd, shell=True)` went
/// unreported; vigil reads both.
pub fn command_of<'a>(site: &'a CallSite, launcher: Launcher) -> Option<&'a Expr> {
    command(site.call).or_else(|| {
        if launcher == Launcher::Subprocess {
            site.keyword("args")
        } else {
            None
        }
    })
}

/// Where S602, S603, S604 and S609 report. Bandit gives the line of the
/// `shell=` value when the keyword is there, else the line of the call, and
/// the column of the call: the call when both are on one line, else the
/// `shell=` keyword (its value, if a line break follows `shell=`).
pub fn report_range(cx: &Context, call: &ExprCall) -> TextRange {
    match shell_keyword(call) {
        Some(keyword) if cx.line_of(&keyword.value) == cx.line_of(call) => call.range(),
        Some(keyword) if cx.line_of(keyword) == cx.line_of(&keyword.value) => keyword.range(),
        Some(keyword) => keyword.value.range(),
        None => call.range(),
    }
}

/// Bandit's grading of a command run through a shell (S602, S605): LOW
/// severity for a literal string, the rule's HIGH otherwise, with a
/// sentence on what this command is.
pub fn grade_shell_command(cx: &Context, diag: Diagnostic, command: &Expr) -> Diagnostic {
    match command {
        Expr::StringLiteral(_) => diag.severity(Level::Low).detail(
            "The command is a literal string, hence LOW severity: nothing is injected today, but the shell \
             is not needed and the first edit that formats a value into the string makes it an injection.",
        ),
        Expr::List(_) | Expr::Tuple(_) => diag.detail(
            "A shell given a list runs only its first element as the command line; the other elements \
             become arguments of the shell itself, not of the command.",
        ),
        _ => diag.detail(format!(
            "The command `{}` is not a literal string, hence HIGH severity.",
            cx.snippet(command)
        )),
    }
}

/// The command as an argument list a reviewer can paste, when it is a
/// literal string that needs no shell to be split: `'/bin/ls -l'` gives
/// `['/bin/ls', '-l']`. `None` when the string has shell syntax (quotes,
/// pipes, globs, variables...) that a plain split would get wrong.
pub fn literal_as_argv(command: &Expr) -> Option<String> {
    let Expr::StringLiteral(s) = command else {
        return None;
    };
    let text = s.value.to_str();
    const SHELL_SYNTAX: &[char] = &[
        '|', '&', ';', '<', '>', '(', ')', '$', '`', '\\', '"', '\'', '*', '?', '[', ']', '#', '~', '=', '%', '{', '}',
        '!',
    ];
    if text.contains(SHELL_SYNTAX) || text.contains('\n') {
        return None;
    }
    let words: Vec<String> = text.split_whitespace().map(|w| format!("'{w}'")).collect();
    if words.is_empty() {
        return None;
    }
    Some(format!("[{}]", words.join(", ")))
}

/// Programs a shell runs itself rather than from `PATH` (POSIX special and
/// regular built-ins, and dash's): as an argument list they would be a
/// different program (`echo`, `printf`, `test`) or none at all (`cd`).
const SHELL_BUILTINS: &[&str] = &[
    ".", ":", "[", "alias", "bg", "break", "cd", "command", "continue", "echo", "eval", "exec", "exit", "export",
    "false", "fc", "fg", "getopts", "hash", "jobs", "kill", "local", "printf", "pwd", "read", "readonly", "return",
    "set", "shift", "test", "times", "trap", "true", "type", "ulimit", "umask", "unalias", "unset", "wait",
];

/// The mechanical fix for a literal command run through a shell, for
/// `--fix`: the string becomes its argument list and `shell=True` becomes
/// `shell=False`, in one edit from the first to the last of the two (what
/// lies between is kept). Only where the shell does nothing but split the
/// words and find the program in `PATH`, which `subprocess` does the same
/// way without it: a plain literal on one line (`literal_as_argv`), a
/// program that is not a shell built-in, `shell=True` itself, and no
/// `executable=` (with a shell, that names the shell).
pub fn shell_free_edit(cx: &Context, call: &ExprCall, command: &Expr) -> Option<(TextRange, String)> {
    let argv = literal_as_argv(command)?;
    let keyword = shell_keyword(call)?;
    if !matches!(keyword.value, Expr::BooleanLiteral(ref b) if b.value) {
        return None;
    }
    if call
        .arguments
        .keywords
        .iter()
        .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "executable"))
    {
        return None;
    }
    let text = match command {
        Expr::StringLiteral(s) => s.value.to_str(),
        _ => return None,
    };
    // The shell splits on spaces and tabs only; other white space (a
    // no-break space) would be split here and not there.
    if !text.chars().all(|c| c == ' ' || c == '\t' || c.is_ascii_graphic()) {
        return None;
    }
    let program = text.split_whitespace().next()?;
    if SHELL_BUILTINS.contains(&program) || cx.source(command).contains('\n') {
        return None;
    }
    let (first, second) = if command.start() < keyword.start() {
        ((command.range(), argv), (keyword.value.range(), "False".to_string()))
    } else {
        ((keyword.value.range(), "False".to_string()), (command.range(), argv))
    };
    if first.0.end() > second.0.start() {
        return None;
    }
    let between = cx.source(&TextRange::new(first.0.end(), second.0.start()));
    let range = TextRange::new(first.0.start(), second.0.end());
    Some((range, format!("{}{between}{}", first.1, second.1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(src: &str) -> ExprCall {
        match ruff_python_parser::parse_expression(src).unwrap().into_expr() {
            Expr::Call(call) => call,
            _ => panic!("not a call: {src}"),
        }
    }

    #[test]
    fn shell_truth_follows_bandit() {
        for src in [
            "f(shell=True)",
            "f(shell=1)",
            "f(shell='False')",
            "f(shell=[0])",
            "f(shell={'a': 1})",
            "f(shell=x)",
            "f(shell=())",
            "f(shell=...)",
        ] {
            assert!(has_shell(&call(src)), "{src}");
        }
        for src in [
            "f()",
            "f(shell=False)",
            "f(shell=0)",
            "f(shell=None)",
            "f(shell=[])",
            "f(shell={})",
            "f(shell='')",
            "f(shell=0.0)",
        ] {
            assert!(!has_shell(&call(src)), "{src}");
        }
    }

    #[test]
    fn argv_only_for_plain_commands() {
        let argv = |src: &str| literal_as_argv(&call(src).arguments.args[0]);
        assert_eq!(argv("f('/bin/ls -l')").as_deref(), Some("['/bin/ls', '-l']"));
        assert_eq!(argv("f('ls *')"), None);
        assert_eq!(argv("f('a | b')"), None);
        assert_eq!(argv("f(cmd)"), None);
    }
}
