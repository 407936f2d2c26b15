//! S101 assert-used (Bandit B101).

use ruff_python_ast::Stmt;

use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S101",
    name: "assert-used",
    bandit: Some("B101"),
    bandit_name: Some("assert_used"),
    family: Family::General,
    cwe: 703,
    severity: Level::Low,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `assert` statements.",
        why: "`assert` statements are removed when Python runs with `-O` or `PYTHONOPTIMIZE`, so a check \
              written as an assertion (a permission, a size limit, a state precondition) silently stops \
              protecting anything in an optimised deployment.",
        example: "def delete(context, instance):\n    assert context.is_admin\n    instance.destroy()",
        use_instead: "def delete(context, instance):\n    if not context.is_admin:\n        raise exception.Forbidden()\n    instance.destroy()",
        fix: "Replace the assertion with an explicit `if not ...: raise SomeError(...)` when it guards behaviour.",
        references: &["https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement"],
    },
};

pub fn check(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::Assert(assert) = stmt else { return };
    out.push(
        Diagnostic::new(
            &RULE,
            assert.range,
            format!("`assert {}` is removed under `python -O`", cx.snippet(&*assert.test)),
        )
        .fix(format!(
            "Use `if not ({}): raise ...` if this check must hold in production.",
            cx.snippet(&*assert.test)
        )),
    );
}
