//! R603 handler-without-schema: a Nova-style API handler that reads its
//! request body with no `@validation.schema` decorator at all.

use ruff_python_ast::helpers::any_over_body;
use ruff_python_ast::{Expr, Stmt, StmtClassDef};
use ruff_text_size::Ranged;

use super::handlers::Handler;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R603",
    name: "handler-without-schema",
    bandit: None,
    bandit_name: None,
    family: Family::Validation,
    cwe: 20,
    severity: Level::Low,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags handlers of Nova-style API controllers (subclasses of `<project>.api.openstack.wsgi.Controller`, \
               as in Nova, Cinder and Manila) that take a `body` and read it, but carry no `@validation.schema(...)` \
               decorator (nor call a helper that does), even when they check parts of the body by hand \
               (`assert_valid_body`, `in` tests). R601 reports the reads that can crash; this rule reports the \
               missing schema.",
        why: "In these projects the JSON schema is the contract of the API: it fixes required keys, types, \
              formats, lengths and ranges, rejects unknown keys, and is what the API reference and microversion \
              reviews are checked against. A handler validated by hand checks what its author thought of: a \
              string where an integer belongs, a 10 MB name, an extra key that a later microversion gives a \
              meaning to, or a nested structure, reaches the database and the services below.",
        example: "def update(self, req, id, body):\n    self.assert_valid_body(body, 'qos_specs')\n    specs = body['qos_specs']",
        use_instead: "@validation.schema(qos_specs_schema.set)\ndef update(self, req, id, body):\n    specs = body['qos_specs']",
        fix: "Write a JSON schema for the request body and decorate the handler with `@validation.schema(...)`.",
        references: &["https://docs.openstack.org/nova/latest/contributor/api.html#validation"],
    },
};

/// Checks an API handler (from `handler_pass`).
pub fn check(cx: &Context, handler: &Handler, out: &mut Vec<Diagnostic>) {
    let def = handler.def;
    let Some(body) = handler.body else { return };
    if handler.body_schema || handler.deserialized || !in_nova_style_controller(cx, def) {
        return;
    }
    let reads_body = any_over_body(&def.body, |e| match e {
        Expr::Subscript(sub) => matches!(&*sub.value, Expr::Name(n) if n.id.as_str() == body),
        Expr::Call(call) => matches!(&*call.func, Expr::Attribute(a)
            if matches!(a.attr.as_str(), "get" | "pop" | "items" | "keys")
                && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == body)),
        _ => false,
    });
    if !reads_body {
        return;
    }
    let name = def.name.as_str();
    out.push(
        Diagnostic::new(
            &RULE,
            def.name.range(),
            format!("API handler `{name}` reads `{body}` with no `@validation.schema` decorator"),
        )
        .detail(format!(
            "Whatever `{name}` does not check by hand (types, lengths, unknown keys, nesting) reaches the layers \
             below unvalidated."
        ))
        .fix(format!(
            "Describe `{body}` in a JSON schema and add `@validation.schema(...)` to `{name}`."
        )),
    );
}

/// True when the class of `def` derives from `<project>.api.openstack.wsgi.Controller`.
fn in_nova_style_controller(cx: &Context, def: &ruff_python_ast::StmtFunctionDef) -> bool {
    let at = cx
        .stmts
        .iter()
        .position(|s| matches!(s, Stmt::FunctionDef(f) if std::ptr::eq(f, def)));
    let Some(Stmt::ClassDef(class)) = at.and_then(|i| i.checked_sub(1)).map(|i| cx.stmts[i]) else {
        return false;
    };
    is_nova_style(cx, class)
}

/// True when `class` derives, directly or through classes of the same
/// module (`VolumeAdminController(AdminController)`), from
/// `<project>.api.openstack.wsgi.Controller`.
fn is_nova_style(cx: &Context, class: &StmtClassDef) -> bool {
    let mut pending = vec![class];
    let mut seen = 0;
    while let Some(class) = pending.pop() {
        seen += 1;
        if seen > 16 {
            return false;
        }
        for base in class.bases() {
            if cx
                .qualified_name(base)
                .is_some_and(|q| q.ends_with("api.openstack.wsgi.Controller"))
            {
                return true;
            }
            if let Expr::Name(name) = base
                && let Some(local) = cx.module.parsed.syntax().body.iter().find_map(|s| match s {
                    Stmt::ClassDef(c) if c.name.as_str() == name.id.as_str() && !std::ptr::eq(c, class) => Some(c),
                    _ => None,
                })
            {
                pending.push(local);
            }
        }
    }
    false
}
