//! S102 exec-used (Bandit B102).

use crate::python::literal::str_value;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};
use ruff_text_size::Ranged;

pub static RULE: Rule = Rule {
    id: "S102",
    name: "exec-used",
    bandit: Some("B102"),
    bandit_name: Some("exec_used"),
    family: Family::General,
    cwe: 78,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags calls to the `exec` builtin (also reached as `builtins.exec` or `six.exec_`).",
        why: "`exec` runs any string as Python code with the full privileges of the service. If any part of \
              the string comes from a request, a config file or the database, whoever controls it runs \
              arbitrary code inside nova-api or nova-compute, with access to the message bus and database \
              credentials.",
        example: "def apply_filter(instance, expression):\n    exec('result = ' + expression, {'instance': instance})",
        use_instead: "OPERATORS = {'eq': operator.eq, 'lt': operator.lt}\n\n\
                      def apply_filter(instance, attr, op, value):\n    return OPERATORS[op](getattr(instance, attr), value)",
        fix: "Replace `exec` with explicit code: a dispatch table, `getattr` on a vetted name, or \
              `ast.literal_eval` for data.",
        references: &[
            "https://docs.python.org/3/library/functions.html#exec",
            "https://peps.python.org/pep-0578/#suggested-audit-hook-locations",
        ],
    },
};

/// The names `exec` is reached by. Bandit 1.9.4 only matches the bare
/// builtin; the module-qualified spellings run the very same function.
const EXEC_NAMES: &[&str] = &["builtins.exec", "exec", "six.exec_"];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if !EXEC_NAMES.contains(&site.qualname.as_str()) {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    let diag = match site.arg(0) {
        Some(code) if str_value(code).is_some() => Diagnostic::new(
            &RULE,
            site.call.range(),
            format!(
                "`{callee}` runs the constant string {} as Python code",
                cx.snippet(code)
            ),
        )
        .detail(
            "The code is a constant today; the finding marks an `exec` that a later change can feed untrusted text.",
        ),
        Some(code) => Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` runs `{}` as Python code", cx.snippet(code)),
        )
        .detail(format!(
            "Whoever can influence `{}` can run arbitrary Python in this process.",
            cx.snippet(code)
        )),
        None => Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{callee}` runs a string as Python code"),
        ),
    };
    out.push(diag);
}
