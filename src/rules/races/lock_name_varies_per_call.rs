//! R106 lock-name-varies-per-call: a named lock whose name is made unique
//! on every call (a fresh UUID, the time, `id()` of a new object).

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::concurrency_apis::{is_lock_by_name, is_unique_per_call};
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R106",
    name: "lock-name-varies-per-call",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 667,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a named lock (`lockutils.lock`, `lockutils.synchronized`, `utils.synchronized`, \
               `coordination.synchronized`, `lockutils.external_lock`, `COORDINATOR.get_lock`) whose name \
               includes a value that differs on every call: `uuid.uuid4()`, `uuidutils.generate_uuid()`, \
               `time.time()`, `timeutils.utcnow()`, `random`, `id(...)`.",
        why: "Named locks exclude callers that use the same name. A name with a fresh UUID or timestamp is \
              never used twice, so every caller gets its own lock and the section it guards runs concurrently \
              (CWE-667). Per-resource names (`instance.uuid`, `volume.id`) are fine: they are the same for \
              every caller working on that resource.",
        example: "@utils.synchronized('attach-%s' % uuidutils.generate_uuid())\ndef _do_attach():\n    ...",
        use_instead: "@utils.synchronized('attach-%s' % volume.id)\ndef _do_attach():\n    ...",
        fix: "Build the lock name from the resource the section protects (its id), not from a value that is \
              new on every call.",
        references: &["https://docs.openstack.org/oslo.concurrency/latest/reference/lockutils.html"],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    if !is_lock_by_name(&site.qualname) {
        return;
    }
    let Some(name) = site.arg_or_keyword(0, "name") else {
        return;
    };
    let mut unique = None;
    crate::rules::races::expr_search::any_expr(name, |e: &Expr| {
        if let Expr::Call(c) = e
            && unique.is_none()
            && cx.qualified_name(&c.func).is_some_and(|n| is_unique_per_call(&n))
        {
            unique = Some(cx.snippet(c));
        }
        false
    });
    let Some(unique) = unique else { return };
    out.push(
        Diagnostic::new(
            &RULE,
            site.call.range(),
            format!(
                "the lock name `{}` includes `{unique}`, new on every call",
                cx.snippet(name)
            ),
        )
        .detail(format!(
            "No two calls build the same name, so `{}` never makes one wait for another.",
            cx.snippet(&*site.call.func)
        ))
        .fix("Name the lock after the resource it protects (for example its id)."),
    );
}
