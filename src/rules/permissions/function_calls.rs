//! What a function's calls do to the filesystem: create a path, or change
//! its mode. Shared by the rules that relate two steps on one path (R502,
//! R504, R505); the calls come from the races family's `calls_in`.

use ruff_python_ast::{Expr, ExprCall, Stmt};

pub use crate::rules::races::body_calls::calls_in;

use super::file_modes::{Chmod, ChmodMode, WORLD_READ, callee_last, chmod_of, mode_value, runs_commands};
use crate::python::arguments::keyword;
use crate::python::literal::str_value;
use crate::rules::Context;
use crate::rules::races::same_path::PathNames;

/// What one body does to the filesystem, computed once for the rules that
/// relate its steps. Path keys are built only when there is something to
/// relate.
pub struct Body<'a> {
    pub creations: Vec<Creation<'a>>,
    pub chmods: Vec<Chmod<'a>>,
    pub names: PathNames<'a>,
}

impl<'a> Body<'a> {
    /// `None` when the body creates nothing and changes no mode.
    pub fn of(cx: &Context<'a>, body: &'a [Stmt]) -> Option<Body<'a>> {
        let calls = calls_in(body);
        let creations: Vec<Creation<'a>> = calls.iter().filter_map(|c| creation_of(cx, c)).collect();
        let chmods = chmods(cx, &calls);
        if creations.is_empty() && chmods.is_empty() {
            return None;
        }
        Some(Body {
            creations,
            chmods,
            names: PathNames::of_body(body, cx.text),
        })
    }
}

/// A call that creates a file or directory at a path.
pub struct Creation<'a> {
    pub call: &'a ExprCall,
    pub path: &'a Expr,
    /// The mode the call creates it with, when it gives one.
    pub mode: Option<u32>,
    /// It fails rather than follow a planted file or link (`O_EXCL`, `'x'`).
    pub exclusive: bool,
    pub directory: bool,
}

/// Recognises `open(p, 'w')` (and `io.open`, `codecs.open`), `os.open(p,
/// O_CREAT...)`, `os.makedirs`, `os.mkdir`, `fileutils.ensure_tree`,
/// `shutil.copy*(src, p)`, `os.mknod`, `os.mkfifo`, and the commands
/// `touch`, `truncate`, `mkdir`, `cp` run through an executor.
pub fn creation_of<'a>(cx: &Context, call: &'a ExprCall) -> Option<Creation<'a>> {
    let last = callee_last(call);
    let candidate = matches!(
        last,
        "open" | "makedirs" | "mkdir" | "ensure_tree" | "mknod" | "mkfifo" | "copy" | "copy2" | "copyfile"
    ) || last.ends_with("execute")
        || matches!(
            last,
            "trycmd" | "Popen" | "call" | "check_call" | "check_output" | "run"
        );
    if !candidate {
        return None;
    }
    let qualname = cx.qualified_name(&call.func).unwrap_or_default();
    let args = &call.arguments.args;
    let creation = |path: &'a Expr, mode: Option<u32>, exclusive: bool, directory: bool| Creation {
        call,
        path,
        mode,
        exclusive,
        directory,
    };
    match qualname.as_str() {
        "open" | "io.open" | "codecs.open" => {
            let path = args.first().or_else(|| keyword(call, "file"))?;
            let mode = args.get(1).or_else(|| keyword(call, "mode"))?;
            let mode = str_value(mode)?;
            if !mode.contains(['w', 'a', 'x']) {
                return None;
            }
            Some(creation(path, None, mode.contains('x'), false))
        }
        "os.open" => {
            let path = args.first()?;
            let flags = args.get(1)?;
            if !mentions(flags, "O_CREAT") {
                return None;
            }
            let mode = args
                .get(2)
                .or_else(|| keyword(call, "mode"))
                .and_then(|m| mode_value(cx, m));
            Some(creation(path, mode.or(Some(0o777)), mentions(flags, "O_EXCL"), false))
        }
        "os.makedirs" | "os.mkdir" | "oslo_utils.fileutils.ensure_tree" | "fileutils.ensure_tree" => {
            let path = args
                .first()
                .or_else(|| keyword(call, "name").or_else(|| keyword(call, "path")))?;
            let mode = args
                .get(1)
                .or_else(|| keyword(call, "mode"))
                .and_then(|m| mode_value(cx, m));
            Some(creation(path, mode, false, true))
        }
        "os.mknod" | "os.mkfifo" => {
            let path = args.first()?;
            let mode = args
                .get(1)
                .or_else(|| keyword(call, "mode"))
                .and_then(|m| mode_value(cx, m));
            Some(creation(path, mode, true, false))
        }
        "shutil.copy" | "shutil.copy2" | "shutil.copyfile" => Some(creation(args.get(1)?, None, false, false)),
        _ if runs_commands(&qualname) => {
            let words: Vec<&Expr> = match args.first() {
                Some(Expr::List(l)) => l.elts.iter().collect(),
                Some(Expr::Tuple(t)) => t.elts.iter().collect(),
                _ => args.iter().collect(),
            };
            let command = str_value(words.first()?)?;
            if !matches!(&*command, "touch" | "truncate" | "mkdir" | "cp") {
                return None;
            }
            let path = *words
                .iter()
                .rev()
                .find(|w| !str_value(w).is_some_and(|s| s.starts_with('-')))?;
            Some(creation(path, None, false, command == "mkdir"))
        }
        _ => None,
    }
}

/// The mode a creation leaves the path with under the usual umask (022)
/// when the call gives none: 0o644 for files, 0o755 for directories.
pub fn default_mode(creation: &Creation) -> u32 {
    creation
        .mode
        .map(|m| m & !0o022)
        .unwrap_or(if creation.directory { 0o755 } else { 0o644 })
}

/// Whether a creation leaves the path readable by others.
pub fn world_readable(creation: &Creation) -> bool {
    default_mode(creation) & WORLD_READ != 0
}

/// The mode a `chmod` sets, reading a local name bound once to a constant
/// mode (`permissions = stat.S_IRUSR | stat.S_IWUSR`).
pub fn resolved_mode(cx: &Context, names: &PathNames, chmod: &Chmod) -> Option<ChmodMode> {
    chmod.mode.or_else(|| match chmod.mode_expr {
        Expr::Name(n) => names
            .value_of(n.id.as_str())
            .and_then(|v| mode_value(cx, v))
            .map(ChmodMode::absolute),
        _ => None,
    })
}

/// The mode changes among `calls`.
pub fn chmods<'a>(cx: &Context, calls: &[&'a ExprCall]) -> Vec<Chmod<'a>> {
    calls.iter().filter_map(|c| chmod_of(cx, c)).collect()
}

fn mentions(expr: &Expr, name: &str) -> bool {
    crate::rules::races::expr_search::any_expr(expr, |e: &Expr| match e {
        Expr::Attribute(a) => a.attr.as_str() == name,
        Expr::Name(n) => n.id.as_str() == name,
        _ => false,
    })
}
