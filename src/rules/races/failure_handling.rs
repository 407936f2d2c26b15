//! Whether code around a file operation handles its failure: an enclosing
//! `try` whose handlers catch `OSError` (or a subclass, or everything), or a
//! `with contextlib.suppress(OSError)`.
//!
//! A check-then-use is only a defect when nothing handles the error the use
//! raises if the file changed after the check. [`Guards`] is the stack of
//! such handlers around the statement being scanned, from the function's
//! top down.

use crate::python::names::last_segment;
use ruff_python_ast::{ExceptHandler, Expr};

use crate::python::names::dotted;
use crate::rules::Context;

/// Exceptions that an `OSError` raised by a file operation is an instance of.
const CATCHES_OS_ERRORS: &[&str] = &[
    "BaseException",
    "EnvironmentError",
    "Exception",
    "FileExistsError",
    "FileNotFoundError",
    "IOError",
    "IsADirectoryError",
    "NotADirectoryError",
    "OSError",
    "PermissionError",
    "error",
];

/// One level of failure handling around a statement.
#[derive(Clone, Copy)]
pub enum Guard<'a> {
    /// The body of a `try` with these handlers.
    Handlers(&'a [ExceptHandler]),
    /// The body of `with contextlib.suppress(...)` with these arguments.
    Suppress(&'a [Expr]),
}

/// The failure handling around the statement being scanned.
#[derive(Default, Clone)]
pub struct Guards<'a> {
    stack: Vec<Guard<'a>>,
}

impl<'a> Guards<'a> {
    pub fn push(&mut self, guard: Guard<'a>) {
        self.stack.push(guard);
    }

    pub fn pop(&mut self) {
        self.stack.pop();
    }

    /// Whether an `OSError` raised here is caught (or, for a command, the
    /// runner's own error too).
    pub fn handle_os_error(&self, command: bool) -> bool {
        self.stack.iter().any(|guard| match guard {
            Guard::Handlers(handlers) => handlers.iter().any(|h| handler_catches(h, command)),
            Guard::Suppress(types) => types.iter().any(|t| catches(t, command)),
        })
    }
}

/// Whether `with` item `expr` is `contextlib.suppress(...)`, giving its
/// arguments.
pub fn suppressed<'a>(cx: &Context, expr: &'a Expr) -> Option<&'a [Expr]> {
    let Expr::Call(call) = expr else { return None };
    let name = cx.qualified_name(&call.func)?;
    (name == "contextlib.suppress" || name.ends_with(".suppress")).then_some(&call.arguments.args[..])
}

fn handler_catches(handler: &ExceptHandler, command: bool) -> bool {
    let ExceptHandler::ExceptHandler(handler) = handler;
    match &handler.type_ {
        None => true,
        Some(types) => match &**types {
            Expr::Tuple(t) => t.elts.iter().any(|e| catches(e, command)),
            other => catches(other, command),
        },
    }
}

fn catches(expr: &Expr, command: bool) -> bool {
    let Some(name) = dotted(expr) else { return false };
    let last = last_segment(&name);
    CATCHES_OS_ERRORS.contains(&last)
        || (command && (last.contains("ProcessExecution") || last == "CalledProcessError" || last.ends_with("Error")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted() {
        assert!(CATCHES_OS_ERRORS.windows(2).all(|w| w[0] < w[1]));
    }
}
