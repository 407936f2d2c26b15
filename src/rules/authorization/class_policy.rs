//! How each method of a class enforces policy: the checks in its body, its
//! decorators and the same-class helpers it calls, with the target each
//! check is given; whether it hands the work to an API layer that checks
//! (`self.volume_api.delete(...)`); whether it changes or deletes something.
//!
//! Two kinds of classes are read: API controllers (a class named, or based
//! on, `*Controller`, whose entry points take the request: `req`,
//! `request`) and API layers (cinder's `volume.api.API`, whose entry points
//! take the request context first: `def delete(self, context, volume)`). A
//! public method that other methods of the class call (`self.update_quota`)
//! is a helper, not an entry point.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use ruff_python_ast::{Expr, ExprCall, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::policy_apis::{
    CONTEXT_PARAMS, ENFORCEMENT_WORDS, ENFORCING_DECORATORS, TARGET_KEYWORDS, is_enforcing, is_mutating,
};
use crate::python::classes;
use crate::python::names::last_segment;
use crate::rules::Context;
use crate::rules::races::body_calls::calls_in;

/// Where a policy check gets its target from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A target object or dictionary is passed.
    Given,
    /// No target: the policy sees the caller's own project as the owner.
    Missing,
    /// `{}` or `None`: no owner to compare.
    Empty,
    /// A parameter of the helper the check is in; the caller decides.
    Param(String),
}

/// One policy check a method makes.
#[derive(Debug, Clone)]
pub struct Check {
    /// In the method: the check, its decorator, or the helper call.
    pub at: TextRange,
    /// How it reads (`context.authorize(...)`, `@wrap_check_policy`).
    pub text: String,
    /// The same-class helper that makes it (`_authorize`), if one does.
    pub via: Option<String>,
    pub target: Target,
    /// The variable passed as the target, when it is one (`volume`).
    pub target_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Controller,
    ApiLayer,
}

pub struct Method<'a> {
    pub def: &'a StmtFunctionDef,
    /// Reached from outside the class (routed, or an API call).
    pub entry: bool,
    pub checks: Vec<Check>,
    /// The call that hands the work to an API layer, for a controller.
    pub delegates: Option<&'a ExprCall>,
    /// The first call that changes or deletes something.
    pub mutates: Option<&'a ExprCall>,
}

impl Method<'_> {
    pub fn name(&self) -> &str {
        self.def.name.as_str()
    }

    pub fn enforces(&self) -> bool {
        !self.checks.is_empty()
    }
}

/// How far same-class helpers are followed.
const MAX_DEPTH: u32 = 2;

/// The methods of `class`, when it is a controller or an API layer. A class
/// that is not a controller, in a module that names no policy check, has
/// none to compare (most classes of a tree): it is not read.
pub fn methods<'a>(cx: &Context<'a>, class: &'a StmtClassDef) -> Option<(Kind, Vec<Method<'a>>)> {
    let kind = if is_controller(class) {
        Kind::Controller
    } else if cx.module_words().any(ENFORCEMENT_WORDS) {
        Kind::ApiLayer
    } else {
        return None;
    };
    let defs: Vec<&StmtFunctionDef> = classes::methods(class).collect();
    let called_by_self: HashSet<&str> = defs
        .iter()
        .flat_map(|d| calls_in(&d.body))
        .filter_map(|c| classes::self_method(c))
        .collect();
    let helpers = Helpers::new(class);
    let mut out = Vec::new();
    for def in defs {
        let routed = def
            .decorator_list
            .iter()
            .any(|d| matches!(&d.expression, Expr::Call(c) if callee_name(cx, &c.func).is_some_and(|n| n == "action")));
        let public = !def.name.as_str().starts_with('_') || routed;
        let takes = |names: &[&str]| {
            def.parameters
                .args
                .get(1)
                .is_some_and(|p| names.contains(&p.parameter.name.as_str()))
        };
        let entry = public
            && !called_by_self.contains(&def.name.as_str())
            && match kind {
                Kind::Controller => takes(&["req", "request"]),
                Kind::ApiLayer => takes(CONTEXT_PARAMS),
            };
        let calls = calls_in(&def.body);
        out.push(Method {
            def,
            entry,
            checks: checks_of(cx, &helpers, def, 0),
            delegates: if kind == Kind::Controller {
                calls.iter().copied().find(|c| delegates(c))
            } else {
                None
            },
            mutates: calls.iter().copied().find(|c| mutates(cx, c)),
        });
    }
    Some((kind, out))
}

fn is_controller(class: &StmtClassDef) -> bool {
    let named = |n: &str| n.ends_with("Controller");
    named(class.name.as_str())
        || class.bases().iter().any(|b| match b {
            Expr::Name(n) => named(n.id.as_str()),
            Expr::Attribute(a) => named(a.attr.as_str()),
            _ => false,
        })
}

/// The methods of one class by name, and the checks of each helper found
/// so far (a class of hundreds of methods, Nova's libvirt driver, had its
/// body searched for every `self.` call, and each helper's checks made
/// again at every call).
struct Helpers<'a> {
    class: &'a StmtClassDef,
    /// The first function of each name in the class body.
    by_name: HashMap<&'a str, &'a StmtFunctionDef>,
    /// The checks of a helper (by address) followed from a given depth.
    checks: RefCell<HashMap<(usize, u32), Vec<Check>>>,
}

impl<'a> Helpers<'a> {
    fn new(class: &'a StmtClassDef) -> Helpers<'a> {
        let mut by_name = HashMap::new();
        for s in &class.body {
            if let Stmt::FunctionDef(f) = s {
                by_name.entry(f.name.as_str()).or_insert(f);
            }
        }
        Helpers {
            class,
            by_name,
            checks: RefCell::default(),
        }
    }

    /// The method `name` of the class, or of a base class in the module.
    fn find(&self, cx: &Context<'a>, name: &str) -> Option<&'a StmtFunctionDef> {
        match self.by_name.get(name) {
            Some(&f) => Some(f),
            None => find_method(cx, self.class, name),
        }
    }

    /// [`checks_of`] the helper `def` at `depth`, made once.
    fn checks(&self, cx: &Context<'a>, def: &'a StmtFunctionDef, depth: u32) -> Vec<Check> {
        let key = (std::ptr::from_ref(def) as usize, depth);
        if let Some(known) = self.checks.borrow().get(&key) {
            return known.clone();
        }
        let made = checks_of(cx, self, def, depth);
        self.checks.borrow_mut().insert(key, made.clone());
        made
    }
}

/// The checks of a method: its decorators, the checks in its body, and
/// those of the same-class helpers it calls.
fn checks_of<'a>(cx: &Context<'a>, helpers: &Helpers<'a>, def: &'a StmtFunctionDef, depth: u32) -> Vec<Check> {
    let mut out = Vec::new();
    for d in &def.decorator_list {
        let callee = match &d.expression {
            Expr::Call(c) => &*c.func,
            other => other,
        };
        if callee_name(cx, callee).is_some_and(|n| ENFORCING_DECORATORS.contains(&n.as_str())) {
            // cinder's `@wrap_check_policy` checks against the method's
            // first argument after the context: the resource.
            out.push(Check {
                at: d.range(),
                text: format!("@{}", cx.snippet(&d.expression)),
                via: None,
                target: Target::Given,
                target_name: def.parameters.args.get(2).map(|p| p.parameter.name.to_string()),
            });
        }
    }
    for call in calls_in(&def.body) {
        // A method of the class is followed (glance's `self._enforce(req)`
        // is named like a check, its body says what it checks); any other
        // call is a check by its name.
        let helper = classes::self_method(call).and_then(|name| helpers.find(cx, name).map(|h| (name, h)));
        let Some((name, helper)) = helper else {
            if let Some(target) = enforcement_target(cx, call) {
                let target_name = match &target {
                    Target::Param(p) => Some(p.clone()),
                    _ => None,
                };
                let target = match target {
                    // A local variable (`obj = self._plugin.get(...)`) is a
                    // target; only a parameter leaves it to the caller.
                    Target::Param(p) if !has_param(def, &p) => Target::Given,
                    other => other,
                };
                out.push(Check {
                    at: call.range(),
                    text: cx.snippet(call),
                    via: None,
                    target,
                    target_name,
                });
            }
            continue;
        };
        if depth >= MAX_DEPTH {
            continue;
        }
        for inner in helpers.checks(cx, helper, depth + 1) {
            let target = match &inner.target {
                Target::Param(p) => passed(helper, call, p),
                other => other.clone(),
            };
            out.push(Check {
                at: call.range(),
                text: inner.text,
                via: Some(inner.via.unwrap_or_else(|| name.to_string())),
                target_name: match &inner.target {
                    Target::Param(p) => argument_name(helper, call, p),
                    _ => None,
                },
                target,
            });
        }
    }
    out
}

/// The variable a call passes for the helper's parameter `param`.
fn argument_name(helper: &StmtFunctionDef, call: &ExprCall, param: &str) -> Option<String> {
    let value = call
        .arguments
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a == param))
        .map(|k| &k.value)
        .or_else(|| {
            let index = helper
                .parameters
                .args
                .iter()
                .skip(1)
                .position(|p| p.parameter.name.as_str() == param)?;
            call.arguments.args.get(index)
        })?;
    value.as_name_expr().map(|n| n.id.to_string())
}

fn has_param(def: &StmtFunctionDef, name: &str) -> bool {
    def.parameters.iter().any(|p| p.name().as_str() == name)
}

/// Whether the call passes the helper's parameter `param` (a target): then
/// the check has one.
fn passed(helper: &StmtFunctionDef, call: &ExprCall, param: &str) -> Target {
    if call
        .arguments
        .keywords
        .iter()
        .any(|k| k.arg.as_ref().is_some_and(|a| a == param))
    {
        return Target::Given;
    }
    let index = helper
        .parameters
        .args
        .iter()
        .skip(1)
        .position(|p| p.parameter.name.as_str() == param);
    match index.and_then(|i| call.arguments.args.get(i)) {
        Some(e) if is_empty(e) => Target::Empty,
        Some(_) => Target::Given,
        None => Target::Missing,
    }
}

/// The target of a policy check, if the call is one.
fn enforcement_target(cx: &Context, call: &ExprCall) -> Option<Target> {
    // Swift: `req.environ['swift.authorize'](req)`: the request's path is
    // the target its ACLs are checked against.
    if let Expr::Subscript(s) = &*call.func
        && s.slice
            .as_string_literal_expr()
            .is_some_and(|k| k.value.to_str().ends_with("authorize"))
    {
        return Some(Target::Given);
    }
    let last = callee_name(cx, &call.func)?;
    if !is_enforcing(&last) {
        return None;
    }
    if last.ends_with("APIPolicy") {
        return Some(Target::Given);
    }
    for k in call.arguments.keywords.iter() {
        if k.arg.as_ref().is_some_and(|a| TARGET_KEYWORDS.contains(&a.as_str())) {
            return Some(target_value(&k.value));
        }
    }
    // `context.authorize(action, target)`; `policy.enforce(context, action,
    // target)`, `check_policy(context, action, target)`.
    let index = if call.arguments.args.first().is_some_and(is_context) {
        2
    } else {
        1
    };
    Some(match call.arguments.args.get(index) {
        Some(e) => target_value(e),
        None => Target::Missing,
    })
}

fn target_value(e: &Expr) -> Target {
    if is_empty(e) {
        Target::Empty
    } else if let Expr::Name(n) = e {
        Target::Param(n.id.to_string())
    } else {
        Target::Given
    }
}

fn is_empty(e: &Expr) -> bool {
    match e {
        Expr::Dict(d) => d.items.is_empty(),
        Expr::NoneLiteral(_) => true,
        _ => false,
    }
}

/// A request context: `context`, `ctxt`, `req.context`,
/// `req.environ['cinder.context']`.
fn is_context(e: &Expr) -> bool {
    match e {
        Expr::Name(n) => CONTEXT_PARAMS.contains(&n.id.as_str()),
        Expr::Attribute(a) => a.attr.as_str() == "context",
        Expr::Subscript(s) => s
            .slice
            .as_string_literal_expr()
            .is_some_and(|k| k.value.to_str().ends_with("context")),
        _ => false,
    }
}

/// `self.volume_api.delete(...)`, `self.gateway.get_repo(...)`: a layer
/// below that checks the policy itself.
fn delegates(call: &ExprCall) -> bool {
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    let Expr::Attribute(holder) = &*method.value else {
        return false;
    };
    matches!(&*holder.value, Expr::Name(n) if n.id.as_str() == "self")
        && (holder.attr.as_str().ends_with("_api") || holder.attr.as_str() == "gateway")
}

/// A call that changes or deletes something: `x.save()`, `x.destroy()`,
/// `x.create()`, or
/// a mutating method of the database API, an object class, a repository or
/// an RPC API (`db.volume_update`, `objects.Volume(...).create()`,
/// `image_repo.remove(image)`, `self.volume_rpcapi.delete_volume(...)`).
fn mutates(cx: &Context, call: &ExprCall) -> bool {
    let Expr::Attribute(a) = &*call.func else {
        return false;
    };
    let name = a.attr.as_str();
    let receiver = cx.source(&*a.value);
    // An object's own `save()`, `destroy()`, `create()` (cinder's
    // versioned objects, glance's domain objects).
    if matches!(name, "save" | "destroy" | "create") && !receiver.contains("view_builder") {
        return true;
    }
    if !is_mutating(name) && !name.starts_with("delete_") && !name.starts_with("update_") {
        return false;
    }
    ["db", "objects", "repo", "rpcapi"].iter().any(|w| receiver.contains(w))
}

/// A method of `class` or of a class of the same module it derives from.
fn find_method<'a>(cx: &Context<'a>, class: &'a StmtClassDef, name: &str) -> Option<&'a StmtFunctionDef> {
    let module = cx.module.parsed.syntax().body.as_slice();
    let mut pending = vec![class];
    let mut seen = 0;
    while let Some(c) = pending.pop() {
        seen += 1;
        if seen > 8 {
            return None;
        }
        if let Some(f) = c.body.iter().find_map(|s| match s {
            Stmt::FunctionDef(f) if f.name.as_str() == name => Some(f),
            _ => None,
        }) {
            return Some(f);
        }
        for base in c.bases() {
            if let Expr::Name(n) = base
                && let Some(b) = module.iter().find_map(|s| match s {
                    Stmt::ClassDef(b) if b.name.as_str() == n.id.as_str() && !std::ptr::eq(b, c) => Some(b),
                    _ => None,
                })
            {
                pending.push(b);
            }
        }
    }
    None
}

/// The last segment of what `callee` names (`action` of `wsgi.action`),
/// through the module's imports when it can be resolved.
fn callee_name(cx: &Context, callee: &Expr) -> Option<String> {
    let name = cx.qualified_name(callee).or_else(|| match callee {
        Expr::Attribute(a) => Some(a.attr.to_string()),
        Expr::Name(n) => Some(n.id.to_string()),
        _ => None,
    })?;
    Some(last_segment(&name).to_string())
}
