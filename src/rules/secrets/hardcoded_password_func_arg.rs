//! S106 hardcoded-password-func-arg (Bandit B106).
//!
//! Every call, whatever the callee: the first keyword argument whose name
//! looks like a password and whose value is a string literal. Bandit reports
//! the line of that value (not of the call), so a multi-line call is
//! reported where the literal is.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::password_names::looks_like_password;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S106",
    name: "hardcoded-password-func-arg",
    bandit: Some("B106"),
    bandit_name: Some("hardcoded_password_funcarg"),
    family: Family::Secrets,
    cwe: 259,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags calls that pass a string literal as a keyword argument whose name looks like a password \
               (a `_`-separated part of it is `password`, `passwd`, `pass`, `passphrase`, `pwd`, `token`, \
               `secret` or `secrete`, in any case).",
        why: "A credential passed as a literal is in every copy of the code and in its git history: anyone who \
              can read the repository can authenticate to the BMC, database or service it opens, and the only \
              way to rotate it is a new release.",
        example: "from pyghmi.ipmi import command\n\nipmicmd = command.Command(bmc=address, userid=\"admin\", password=\"admin\")",
        use_instead: "from pyghmi.ipmi import command\n\nipmicmd = command.Command(\n    bmc=address, userid=driver_info[\"ipmi_username\"], password=driver_info[\"ipmi_password\"])",
        fix: "Pass a credential read from configuration or a secret store instead of a literal.",
        references: &[
            "https://security.openstack.org/guidelines/dg_protect-sensitive-data-in-files.html",
            "https://owasp.org/www-community/vulnerabilities/Use_of_hard-coded_password",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    // Bandit reports once per call, for the first matching keyword.
    let found = site.call.arguments.keywords.iter().find(|kw| {
        matches!(kw.value, Expr::StringLiteral(_))
            && kw.arg.as_ref().is_some_and(|arg| looks_like_password(arg.as_str()))
    });
    let Some(kw) = found else { return };
    let Some(arg) = &kw.arg else { return };
    let callee = cx.snippet(&*site.call.func);
    out.push(
        Diagnostic::new(
            &RULE,
            kw.value.range(),
            format!(
                "`{callee}` is passed the hard-coded string `{}` as `{arg}`",
                cx.snippet(&kw.value)
            ),
        )
        .fix(format!(
            "Pass `{arg}` a value read from configuration or a secret store."
        )),
    );
}
