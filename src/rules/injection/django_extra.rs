//! S610 django-extra (Bandit B610).

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S610",
    name: "django-extra",
    bandit: Some("B610"),
    bandit_name: Some("django_extra_used"),
    family: Family::Injection,
    cwe: 89,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags calls to `.extra(...)` whose `where`, `tables` or `select` SQL is not made only of string \
               literals (Django's `QuerySet.extra`; positional arguments are read in Django's order `select, \
               where, params, tables, order_by, select_params`).",
        why: "`extra()` pastes its `select`, `where` and `tables` fragments into the generated SQL as they are. \
              A fragment built from request data (a sort column, a filter, a table name) lets the caller \
              rewrite the query; only `params` and `select_params` are quoted by the database driver. Horizon \
              and other Django front ends of OpenStack are the usual place to meet it.",
        example: "Instance.objects.extra(where=[\"host = '%s'\" % host])",
        use_instead: "Instance.objects.extra(where=['host = %s'], params=[host])\n\
                      # or, better, no raw SQL at all:\nInstance.objects.filter(host=host)",
        fix: "Use the ORM (`filter()`, `annotate()` with `F()`/`Func()`) instead of `extra()`, or keep the SQL literal and pass values in `params=`/`select_params=`.",
        references: &[
            "https://docs.djangoproject.com/en/stable/ref/models/querysets/#extra",
            "https://docs.djangoproject.com/en/stable/topics/security/#sql-injection-protection",
        ],
    },
};

/// The parameters of `QuerySet.extra`, in order.
const PARAMETERS: &[&str] = &["select", "where", "params", "tables", "order_by", "select_params"];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if site.short_name() != "extra" {
        return;
    }
    // A positional argument wins over a keyword of the same name, as in
    // Bandit's reading.
    let argument = |name: &str| {
        let position = PARAMETERS.iter().position(|p| *p == name)?;
        site.arg(position).or_else(|| site.keyword(name))
    };
    let Some((name, value)) = insecure_argument(&argument) else {
        return;
    };
    out.push(
        Diagnostic::new(
            &RULE,
            site.call.range(),
            format!("`{}` passes SQL that is not a literal in `{name}`: `{}`", cx.snippet(&*site.call.func), cx.snippet(value)),
        )
        .fix(format!("Keep the `{name}` SQL literal and pass the values through `params=`/`select_params=`, or use `filter()`/`annotate()`.")),
    );
}

/// The first of `where`, `tables` and `select` that Bandit finds unsafe: a
/// `where`/`tables` that is not a list of string literals, or a `select`
/// that is not a dict of string literals.
fn insecure_argument<'a>(argument: &impl Fn(&str) -> Option<&'a Expr>) -> Option<(&'static str, &'a Expr)> {
    for name in ["where", "tables"] {
        let Some(value) = argument(name) else {
            continue;
        };
        let safe = match value {
            Expr::List(list) => list.elts.iter().all(is_str),
            _ => false,
        };
        if !safe {
            return Some((name, value));
        }
    }
    let select = argument("select")?;
    let safe = match select {
        Expr::Dict(dict) => dict
            .items
            .iter()
            .all(|item| item.key.as_ref().is_some_and(is_str) && is_str(&item.value)),
        _ => false,
    };
    (!safe).then_some(("select", select))
}

fn is_str(expr: &Expr) -> bool {
    matches!(expr, Expr::StringLiteral(_))
}
