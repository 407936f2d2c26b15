//! S611 django-raw-sql (Bandit B611).

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S611",
    name: "django-raw-sql",
    bandit: Some("B611"),
    bandit_name: Some("django_rawsql_used"),
    family: Family::Injection,
    cwe: 89,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `RawSQL(sql, ...)` calls, in a module that imports from `django.db.models`, whose SQL is not \
               a string literal.",
        why: "`RawSQL` puts its SQL text into the generated query as it is. Text built from request data (a \
              column to sort by, a filter value) lets the caller rewrite the query; only the `params` list is \
              quoted by the database driver.",
        example: "Instance.objects.annotate(val=RawSQL(\"SELECT col FROM t WHERE id = %s\" % pk, []))",
        use_instead: "Instance.objects.annotate(val=RawSQL('SELECT col FROM t WHERE id = %s', [pk]))",
        fix: "Keep the SQL a string literal and pass every value in the `params` list.",
        references: &[
            "https://docs.djangoproject.com/en/stable/ref/models/expressions/#raw-sql-expressions",
            "https://docs.djangoproject.com/en/stable/topics/security/#sql-injection-protection",
        ],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if site.short_name() != "RawSQL" || !cx.imported_like("django.db.models") {
        return;
    }
    // Bandit reads the first positional argument if there is one, else `sql=`.
    let sql = if site.call.arguments.args.is_empty() {
        site.keyword("sql")
    } else {
        site.arg(0)
    };
    let Some(sql) = sql else { return };
    if matches!(sql, Expr::StringLiteral(_)) {
        return;
    }
    out.push(Diagnostic::new(
        &RULE,
        site.call.range(),
        format!(
            "`RawSQL` is given SQL that is not a string literal: `{}`",
            cx.snippet(sql)
        ),
    ));
}
