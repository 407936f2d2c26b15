//! `except` handlers that swallow every error with a lone `pass` or
//! `continue` (B110, B112).
//!
//! Bandit's default configuration (`check_typed_exception: False`) only
//! reports handlers that catch everything: a bare `except:` or
//! `except Exception:` (as a plain name, with or without `as e`). A handler
//! for a specific error (`except KeyError: pass`) is a deliberate choice and
//! stays silent. vigil also counts `except BaseException:`, which is broader
//! than `Exception` (Bandit only compares the name with `Exception`).

use ruff_python_ast::{ExceptHandler, ExceptHandlerExceptHandler, Expr, Stmt};

/// The statement a handler's body is made of.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Swallow {
    Pass,
    Continue,
}

/// A catch-all handler whose body is only `pass` or `continue`.
pub struct Swallowed<'a> {
    pub handler: &'a ExceptHandlerExceptHandler,
    /// The handler's header as a message shows it: `except:`,
    /// `except Exception:`, `except* BaseException:`.
    pub header: String,
}

/// The catch-all handlers of `stmt` (a `try`) whose body is only `kind`.
pub fn swallowing_handlers(stmt: &Stmt, kind: Swallow) -> Vec<Swallowed<'_>> {
    let Stmt::Try(try_stmt) = stmt else {
        return Vec::new();
    };
    let star = if try_stmt.is_star { "*" } else { "" };
    try_stmt
        .handlers
        .iter()
        .filter_map(|handler| {
            let ExceptHandler::ExceptHandler(handler) = handler;
            let [only] = handler.body.as_slice() else {
                return None;
            };
            let swallows = match kind {
                Swallow::Pass => matches!(only, Stmt::Pass(_)),
                Swallow::Continue => matches!(only, Stmt::Continue(_)),
            };
            if !swallows {
                return None;
            }
            let class = catch_all_class(handler)?;
            Some(Swallowed {
                handler,
                header: format!("except{star}{class}:"),
            })
        })
        .collect()
}

/// What a catch-all handler catches, as written after `except`: nothing,
/// ` Exception` or ` BaseException`; `None` for a handler of specific errors
/// (including a tuple, even one holding `Exception`, as in Bandit).
fn catch_all_class(handler: &ExceptHandlerExceptHandler) -> Option<&'static str> {
    match handler.type_.as_deref() {
        None => Some(""),
        Some(Expr::Name(name)) if name.id.as_str() == "Exception" => Some(" Exception"),
        Some(Expr::Name(name)) if name.id.as_str() == "BaseException" => Some(" BaseException"),
        _ => None,
    }
}
