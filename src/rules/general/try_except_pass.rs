//! S110 try-except-pass (Bandit B110).

use ruff_python_ast::Stmt;

use super::swallowed_exceptions::{Swallow, swallowing_handlers};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S110",
    name: "try-except-pass",
    bandit: Some("B110"),
    bandit_name: Some("try_except_pass"),
    family: Family::General,
    cwe: 703,
    severity: Level::Low,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `except:`, `except Exception:` and `except BaseException:` handlers whose only statement \
               is `pass`. Handlers for a specific error (`except exception.InstanceNotFound: pass`) are left \
               alone, as in Bandit's default configuration.",
        why: "Swallowing every exception hides failures an operator or an attacker-detection system needs to \
              see: a failed policy check, a half-applied firewall rule or a volume left attached ends up \
              looking like success. A burst of errors from an attacker probing a service leaves no log line.",
        example: "try:\n    self.driver.detach_volume(context, connection_info, instance, mountpoint)\nexcept Exception:\n    pass",
        use_instead: "try:\n    self.driver.detach_volume(context, connection_info, instance, mountpoint)\nexcept exception.DiskNotFound:\n    LOG.warning('Ignoring DiskNotFound while detaching %s', mountpoint, instance=instance)",
        fix: "Catch only the exception you expect, and log it (`LOG.warning` / `LOG.exception`) instead of `pass`.",
        references: &["https://docs.python.org/3/tutorial/errors.html#handling-exceptions"],
    },
};

pub fn check(_cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    for found in swallowing_handlers(stmt, Swallow::Pass) {
        out.push(Diagnostic::new(
            &RULE,
            found.handler.range,
            format!(
                "`{} pass` silently discards every error raised in the `try` block",
                found.header
            ),
        ));
    }
}
