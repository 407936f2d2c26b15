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

/// A catch-all handler of `stmt` (a `try`) whose body is only `kind`.
pub fn swallowing_handlers(
    stmt: &Stmt,
    kind: Swallow,
) -> impl Iterator<Item = &ExceptHandlerExceptHandler> {
    let handlers = match stmt {
        Stmt::Try(try_stmt) => try_stmt.handlers.as_slice(),
        _ => &[],
    };
    handlers.iter().filter_map(move |handler| {
        let ExceptHandler::ExceptHandler(handler) = handler;
        let [only] = handler.body.as_slice() else {
            return None;
        };
        let matches = match kind {
            Swallow::Pass => matches!(only, Stmt::Pass(_)),
            Swallow::Continue => matches!(only, Stmt::Continue(_)),
        };
        (matches && caught(handler).is_some()).then_some(handler)
    })
}

/// What a catch-all handler catches, as written in a message: `except:` or
/// `except Exception:`; `None` for a handler of specific errors.
pub fn caught(handler: &ExceptHandlerExceptHandler) -> Option<&'static str> {
    match handler.type_.as_deref() {
        None => Some("except:"),
        Some(Expr::Name(name)) if name.id.as_str() == "Exception" => Some("except Exception:"),
        Some(Expr::Name(name)) if name.id.as_str() == "BaseException" => {
            Some("except BaseException:")
        }
        _ => None,
    }
}
