//! S112 try-except-continue (Bandit B112).

use ruff_python_ast::Stmt;

use super::swallowed_exceptions::{Swallow, swallowing_handlers};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S112",
    name: "try-except-continue",
    bandit: Some("B112"),
    bandit_name: Some("try_except_continue"),
    family: Family::General,
    cwe: 703,
    severity: Level::Low,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `except:`, `except Exception:` and `except BaseException:` handlers inside a loop whose \
               only statement is `continue`. Handlers for a specific error are left alone, as in Bandit's \
               default configuration.",
        why: "Skipping to the next item on any error hides failures: an instance whose cleanup failed, a \
              port that was never unbound or a host that failed a security update is silently left behind, \
              and errors caused by an attacker probing the service leave no trace in the logs.",
        example: "for instance in instances:\n    try:\n        self._cleanup_instance(context, instance)\n    except Exception:\n        continue",
        use_instead: "for instance in instances:\n    try:\n        self._cleanup_instance(context, instance)\n    except exception.InstanceNotFound:\n        LOG.debug('Instance vanished during cleanup', instance=instance)\n        continue",
        fix: "Catch only the exception you expect, and log it before `continue`.",
        references: &["https://docs.python.org/3/tutorial/errors.html#handling-exceptions"],
    },
};

pub fn check(_cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    for found in swallowing_handlers(stmt, Swallow::Continue) {
        out.push(Diagnostic::new(
            &RULE,
            found.handler.range,
            format!(
                "`{} continue` silently skips every error raised in the `try` block",
                found.header
            ),
        ));
    }
}
