//! Reading permission modes and the calls that set them.
//!
//! A mode is written as an integer (`0o640`), `stat` constants
//! (`stat.S_IRUSR | stat.S_IWUSR`), or, for the `chmod` command, a string
//! (`"640"`, `"ugo+rw"`, `"a+w"`). [`mode_value`] reads the first two;
//! [`ChmodMode::parse`] the third. [`chmod_of`] recognises a mode change,
//! whether by `os.chmod` or by running `chmod` (through `processutils`,
//! `utils.execute`, a driver's `_execute`, or `subprocess` with a list).

use crate::python::names::last_segment;
use ruff_python_ast::{Expr, ExprCall};

use crate::python::arguments::keyword;
use crate::python::literal::str_value;
use crate::rules::Context;
pub use crate::rules::file_modes::mode_value;

pub const WORLD_WRITE: u32 = 0o002;
pub const WORLD_READ: u32 = 0o004;

/// What a mode given to `chmod` does to the permissions of others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChmodMode {
    /// The absolute mode, when it is one (`640`, `0o640`).
    pub absolute: Option<u32>,
    /// Others (or everybody) may write afterwards.
    pub grants_world_write: bool,
    /// Others (or everybody) may read afterwards.
    pub grants_world_read: bool,
}

impl ChmodMode {
    pub fn absolute(mode: u32) -> ChmodMode {
        ChmodMode {
            absolute: Some(mode),
            grants_world_write: mode & WORLD_WRITE != 0,
            grants_world_read: mode & WORLD_READ != 0,
        }
    }

    /// Reads a `chmod` command's mode: octal digits or symbolic clauses
    /// (`u+rw,go-w`, `a+rwx`, `o=r`). `+w` with no "who" honours the umask
    /// and is not taken as granting anything to others.
    pub fn parse(text: &str) -> Option<ChmodMode> {
        if !text.is_empty() && text.len() <= 5 && text.chars().all(|c| c.is_digit(8)) {
            return u32::from_str_radix(text, 8).ok().map(ChmodMode::absolute);
        }
        let mut mode = ChmodMode {
            absolute: None,
            grants_world_write: false,
            grants_world_read: false,
        };
        for clause in text.split(',') {
            let op_at = clause.find(['+', '-', '='])?;
            let (who, rest) = clause.split_at(op_at);
            if !who.chars().all(|c| "ugoa".contains(c)) {
                return None;
            }
            let (op, perms) = rest.split_at(1);
            if !perms.chars().all(|c| "rwxXst".contains(c)) {
                return None;
            }
            let others = who.contains('o') || who.contains('a');
            if others && op != "-" {
                mode.grants_world_write |= perms.contains('w');
                mode.grants_world_read |= perms.contains('r');
            }
        }
        Some(mode)
    }
}

/// A change of mode: the call, the path, the mode argument and its reading.
pub struct Chmod<'a> {
    pub call: &'a ExprCall,
    pub path: &'a Expr,
    pub mode_expr: &'a Expr,
    pub mode: Option<ChmodMode>,
    /// Done by running the `chmod` command.
    pub command: bool,
}

/// Recognises `os.chmod(path, mode)`, `os.lchmod`, and the `chmod` command
/// run through an executor: `execute('chmod', [-R,] mode, path)` or
/// `subprocess.*(['chmod', mode, path])`.
pub fn chmod_of<'a>(cx: &Context, call: &'a ExprCall) -> Option<Chmod<'a>> {
    let last = callee_last(call);
    if !(last.contains("chmod") || last.ends_with("execute") || SUBPROCESS.contains(&last) || last == "trycmd") {
        return None;
    }
    let qualname = cx.qualified_name(&call.func).unwrap_or_default();
    if matches!(qualname.as_str(), "os.chmod" | "os.lchmod") {
        let path = call.arguments.args.first().or_else(|| keyword(call, "path"))?;
        let mode_expr = call.arguments.args.get(1).or_else(|| keyword(call, "mode"))?;
        return Some(Chmod {
            call,
            path,
            mode_expr,
            mode: mode_value(cx, mode_expr).map(ChmodMode::absolute),
            command: false,
        });
    }
    if !runs_commands(&qualname) {
        return None;
    }
    let args: Vec<&Expr> = match call.arguments.args.first() {
        Some(Expr::List(l)) => l.elts.iter().collect(),
        Some(Expr::Tuple(t)) => t.elts.iter().collect(),
        _ => call.arguments.args.iter().collect(),
    };
    let (first, rest) = args.split_first()?;
    if str_value(first)? != "chmod" {
        return None;
    }
    // Skip options (`-R`, `--reference=...` is not a mode).
    let mut operands = rest
        .iter()
        .filter(|a| !str_value(a).is_some_and(|s| s.starts_with('-')));
    let mode_expr = *operands.next()?;
    let path = *operands.next()?;
    let mode = str_value(mode_expr).and_then(|s| ChmodMode::parse(&s));
    Some(Chmod {
        call,
        path,
        mode_expr,
        mode,
        command: true,
    })
}

/// The `subprocess` functions that run a command.
const SUBPROCESS: &[&str] = &["Popen", "call", "check_call", "check_output", "run"];

/// The last segment of a call's callee as written (`chmod` in
/// `os.chmod(...)`), without resolving imports: a cheap filter.
pub fn callee_last(call: &ExprCall) -> &str {
    match &*call.func {
        Expr::Attribute(a) => a.attr.as_str(),
        Expr::Name(n) => n.id.as_str(),
        _ => "",
    }
}

/// Whether a callee runs an external command (`processutils.execute`,
/// `utils.execute`, `self._execute`, `self.gpfs_execute`, `subprocess.*`).
pub fn runs_commands(qualname: &str) -> bool {
    let last = last_segment(qualname);
    last.ends_with("execute")
        || last == "trycmd"
        || (qualname.starts_with("subprocess.")
            && matches!(last, "call" | "check_call" | "check_output" | "run" | "Popen"))
}

/// A mode as `chmod` users write it.
pub fn octal(mode: u32) -> String {
    format!("0o{mode:03o}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_chmod_modes() {
        assert_eq!(ChmodMode::parse("666"), Some(ChmodMode::absolute(0o666)));
        assert!(ChmodMode::parse("ugo+rw").is_some_and(|m| m.grants_world_write && m.grants_world_read));
        assert!(ChmodMode::parse("a+w").is_some_and(|m| m.grants_world_write));
        assert!(ChmodMode::parse("u+rw").is_some_and(|m| !m.grants_world_write && !m.grants_world_read));
        assert!(ChmodMode::parse("g+w").is_some_and(|m| !m.grants_world_write));
        assert!(ChmodMode::parse("+w").is_some_and(|m| !m.grants_world_write));
        assert!(ChmodMode::parse("o-rwx").is_some_and(|m| !m.grants_world_read));
        assert_eq!(ChmodMode::parse("--reference"), None);
        assert_eq!(ChmodMode::parse("$mode"), None);
    }
}
