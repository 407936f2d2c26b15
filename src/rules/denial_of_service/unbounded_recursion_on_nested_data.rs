//! R308 unbounded-recursion-on-nested-data: a function that calls itself
//! on the items of its argument, with no depth limit.

use std::collections::HashSet;

use ruff_python_ast::helpers::any_over_body;
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R308",
    name: "unbounded-recursion-on-nested-data",
    bandit: None,
    bandit_name: None,
    family: Family::DenialOfService,
    cwe: 674,
    severity: Level::Low,
    confidence: Level::Low,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags functions that call themselves on an item of one of their parameters (`walk(value)` for \
               `value` in `data.values()`, `walk(data[key])`) with no parameter bounding the depth (`depth`, \
               `level`, `max_depth`...). Off by default: most such functions walk trusted, shallow data (backend \
               responses, serializers, CLI output); on current and historic neutron, cinder, glance and Swift \
               2 of 15 distinct findings walked data a user controls (precision 13%).",
        why: "When the nested data comes from a request (JSON bodies, metadata, image properties, XML), the \
              client chooses the depth. A few kilobytes of `[[[[...]]]]` make the recursion exceed Python's \
              limit: `RecursionError` turns into an HTTP 500, and in C-accelerated or threaded code a deep \
              enough structure can overflow the native stack and kill the worker.",
        example: "def _strip(data):\n    for key, value in data.items():\n        if isinstance(value, dict):\n            _strip(value)",
        use_instead: "def _strip(data, depth=0):\n    if depth > MAX_DEPTH:\n        raise exception.Invalid(_('Nested too deeply'))\n    for key, value in data.items():\n        if isinstance(value, dict):\n            _strip(value, depth + 1)",
        fix: "Pass a depth counter and reject input nested deeper than a small limit, or validate the structure with a schema that bounds its depth.",
        references: &["https://docs.python.org/3/library/sys.html#sys.setrecursionlimit"],
    },
};

/// Parameter names that bound a recursion.
const DEPTH_WORDS: &[&str] = &["depth", "level", "limit", "max", "recurs", "remaining", "ttl"];

pub fn check(cx: &Context, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
    let Stmt::FunctionDef(def) = stmt else { return };
    let params: Vec<&str> = all_params(def);
    if params
        .iter()
        .any(|p| DEPTH_WORDS.iter().any(|w| p.to_ascii_lowercase().contains(w)))
    {
        return;
    }
    let is_method = cx.stmts.len() >= 2 && matches!(cx.stmts[cx.stmts.len() - 2], Stmt::ClassDef(_));
    let name = def.name.as_str();
    // Names bound by `for x in <param>...` loops: the items of a parameter.
    let mut items: HashSet<&str> = HashSet::new();
    collect_loop_items(&def.body, &params, &mut items);
    let mut found: Option<(ruff_text_size::TextRange, String)> = None;
    any_over_body(&def.body, |expr| {
        let Expr::Call(call) = expr else { return false };
        let is_self_call = match &*call.func {
            Expr::Name(n) => !is_method && n.id.as_str() == name,
            Expr::Attribute(a) => {
                is_method
                    && a.attr.as_str() == name
                    && matches!(&*a.value, Expr::Name(n) if matches!(n.id.as_str(), "self" | "cls"))
            }
            _ => false,
        };
        if !is_self_call {
            return false;
        }
        let on_item = call.arguments.args.iter().any(|a| is_item_of(a, &params, &items));
        if on_item {
            found = Some((expr.range(), cx.snippet(expr)));
        }
        on_item
    });
    let Some((call_range, call_text)) = found else { return };
    out.push(
        Diagnostic::new(
            &RULE,
            def.name.range(),
            format!("`{name}` recurses into nested data with no depth limit"),
        )
        .detail(format!(
            "`{}` calls `{name}` again on an item of its argument; input nested deeper than Python's recursion \
             limit raises `RecursionError`.",
            call_text
        ))
        .fix(format!(
            "Give `{name}` a depth parameter and reject data nested deeper than a small limit."
        ))
        .step(def.name.range(), format!("`{name}` takes nested data"))
        .step(call_range, "and calls itself on one of its items with no depth bound"),
    );
}

fn all_params(def: &StmtFunctionDef) -> Vec<&str> {
    let p = &def.parameters;
    p.posonlyargs
        .iter()
        .chain(p.args.iter())
        .chain(p.kwonlyargs.iter())
        .map(|a| a.parameter.name.as_str())
        .chain(p.vararg.iter().map(|a| a.name.as_str()))
        .chain(p.kwarg.iter().map(|a| a.name.as_str()))
        .filter(|n| *n != "self" && *n != "cls")
        .collect()
}

/// True for `param[...]`, `param.get(...)`, or a loop item of a parameter.
fn is_item_of(arg: &Expr, params: &[&str], items: &HashSet<&str>) -> bool {
    match arg {
        Expr::Name(n) => items.contains(n.id.as_str()),
        Expr::Subscript(sub) => is_param(&sub.value, params) || is_item_of(&sub.value, params, items),
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(a) if a.attr.as_str() == "get" => is_param(&a.value, params),
            _ => false,
        },
        _ => false,
    }
}

fn is_param(expr: &Expr, params: &[&str]) -> bool {
    matches!(expr, Expr::Name(n) if params.contains(&n.id.as_str()))
}

fn collect_loop_items<'a>(body: &'a [Stmt], params: &[&str], items: &mut HashSet<&'a str>) {
    for stmt in body {
        match stmt {
            Stmt::For(f) => {
                let iter_is_param = match &*f.iter {
                    Expr::Name(_) => is_param(&f.iter, params),
                    Expr::Call(call) => match &*call.func {
                        Expr::Attribute(a) => {
                            matches!(a.attr.as_str(), "items" | "values") && is_param(&a.value, params)
                        }
                        _ => false,
                    },
                    _ => false,
                };
                if iter_is_param {
                    bind_names(&f.target, items);
                }
                collect_loop_items(&f.body, params, items);
            }
            Stmt::If(s) => {
                collect_loop_items(&s.body, params, items);
                for c in &s.elif_else_clauses {
                    collect_loop_items(&c.body, params, items);
                }
            }
            Stmt::While(s) => collect_loop_items(&s.body, params, items),
            Stmt::With(s) => collect_loop_items(&s.body, params, items),
            Stmt::Try(s) => {
                collect_loop_items(&s.body, params, items);
                collect_loop_items(&s.orelse, params, items);
            }
            _ => {}
        }
    }
}

fn bind_names<'a>(target: &'a Expr, items: &mut HashSet<&'a str>) {
    match target {
        Expr::Name(n) => {
            items.insert(n.id.as_str());
        }
        Expr::Tuple(t) => t.elts.iter().for_each(|e| bind_names(e, items)),
        _ => {}
    }
}
