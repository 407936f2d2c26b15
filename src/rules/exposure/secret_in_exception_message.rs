//! R403 secret-in-exception-message: a password, token or secret put into
//! the message of a raised exception.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::secret_values::find_secret;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R403",
    name: "secret-in-exception-message",
    bandit: None,
    bandit_name: None,
    family: Family::Exposure,
    cwe: 209,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `raise SomeError(...)` whose arguments read a value through a secret name (`password`, \
               `auth_token`, `self.configuration.san_password`, `creds['password']`), directly or inside the \
               formatted message, unless it is masked (`strutils.mask_password`).",
        why: "An exception message travels further than the code that raised it: it is logged with its \
              traceback, stored in the database as the instance or volume fault, sent in notifications, and \
              (for `Invalid` and `HTTP*` errors) returned to the API user. A password in it reaches all of \
              them.",
        example: "raise exception.VolumeBackendAPIException(\n    data=_('Login failed for %(user)s/%(password)s') % {'user': user, 'password': password})",
        use_instead: "raise exception.VolumeBackendAPIException(\n    data=_('Login failed for %(user)s') % {'user': user})",
        fix: "Leave the secret out of the exception message (name the user or the resource instead), or mask it with `strutils.mask_password()`.",
        references: &["https://wiki.openstack.org/wiki/Security/Guidelines/logging_guidelines"],
    },
};

pub fn check(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::Raise(raise) = stmt else { return };
    let Some(Expr::Call(call)) = raise.exc.as_deref() else {
        return;
    };
    let Some(secret) = call
        .arguments
        .args
        .iter()
        .chain(call.arguments.keywords.iter().map(|k| &k.value))
        .find_map(find_secret)
    else {
        return;
    };
    let exception = cx.snippet(&*call.func);
    let value = cx.snippet(secret);
    out.push(
        Diagnostic::new(
            &RULE,
            raise.range(),
            format!("`{exception}` is raised with `{value}` in its message"),
        )
        .detail(format!(
            "`{value}` holds a credential; the exception's text is logged, stored as a fault and may be returned \
             to the API user."
        ))
        .fix(format!("Remove `{value}` from the arguments of `{exception}`.")),
    );
}
