//! R802 policy-check-without-target: a policy check that gives the policy
//! engine no target (or `{}`), so an owner rule compares the caller's
//! project with itself, while the entry point holds the resource that the
//! class's other checks pass as their target.

use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};

use super::class_policy::{Check, Method, Target};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R802",
    name: "policy-check-without-target",
    bandit: None,
    bandit_name: None,
    family: Family::Authorization,
    cwe: 863,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a policy check in an API entry point (or in a helper of its class it calls) that passes \
               no target, or an empty one (`{}`, `None`), while the entry point holds a resource (a parameter \
               or a variable) that another check of the same class passes as its target (`target_obj=volume`, \
               `check_policy(context, 'attach', volume)`). cinder's `context.authorize` with no target checks \
               against `{'project_id': context.project_id, 'user_id': context.user_id}`: the caller's own \
               project.",
        why: "Policy rules such as `rule:admin_or_owner` or `project_id:%(project_id)s` compare the caller with \
              the target's owner. Without the resource as target the comparison is the caller with itself and \
              always passes: a project member, or a project-scoped admin, acts on another project's resource \
              (CWE-863).",
        example: "def _force_delete(self, req, id, body):\n    context = req.environ['cinder.context']\n    context.authorize(policy.FORCE_DELETE_POLICY)\n    resource = self._get(context, id)",
        use_instead: "def _force_delete(self, req, id, body):\n    context = req.environ['cinder.context']\n    resource = self._get(context, id)\n    context.authorize(policy.FORCE_DELETE_POLICY, target_obj=resource)",
        fix: "Load the resource first and pass it as the check's target (`target_obj=resource`).",
        references: &[
            "https://cwe.mitre.org/data/definitions/863.html",
            "https://docs.openstack.org/oslo.policy/latest/user/usage.html",
        ],
    },
};

/// Entry points that create a resource: their target is the caller's
/// project, which is what a check without one uses.
const CREATING_PREFIXES: &[&str] = &["create", "import"];

pub fn check(cx: &Context, methods: &[Method], out: &mut Vec<Diagnostic>) {
    // The variables the class's checks pass as targets (`volume`), with
    // the method and check that pass each.
    let targets: Vec<(&str, &Check, &str)> = methods
        .iter()
        .flat_map(|m| m.checks.iter().map(move |c| (m.name(), c)))
        .filter(|(_, c)| matches!(c.target, Target::Given | Target::Param(_)))
        .filter_map(|(m, c)| c.target_name.as_deref().map(|t| (m, c, t)))
        .collect();
    // A method whose path passes a target somewhere checks the resource;
    // one that creates a resource has only the caller's project to check
    // (`create`, `import_record`).
    for m in methods.iter().filter(|m| {
        m.entry
            && !m
                .checks
                .iter()
                .any(|c| matches!(c.target, Target::Given | Target::Param(_)))
            && !CREATING_PREFIXES.iter().any(|p| m.name().starts_with(p))
    }) {
        let holds = holds_names(m.def);
        for c in &m.checks {
            let what = match &c.target {
                Target::Missing => "no target",
                Target::Empty => "an empty target",
                Target::Given | Target::Param(_) => continue,
            };
            // The evidence: this method holds a variable that another check
            // of the class passes as its target.
            let Some((other, model, var)) = targets
                .iter()
                .find(|(other, _, t)| *other != m.name() && holds.contains(t))
            else {
                continue;
            };
            let name = m.name();
            out.push(
                Diagnostic::new(
                    &RULE,
                    c.at,
                    format!("`{name}` checks its policy with {what} though it holds `{var}`, which `{other}` passes as its target"),
                )
                .detail(format!(
                    "`{}` on line {} gives the policy engine no owner to compare: a rule such as `admin_or_owner` \
                     passes for a caller of any project. Line {} (`{}`) passes `{var}`.",
                    c.text,
                    cx.line_of(&c.at),
                    cx.line_of(&model.at),
                    model.text
                ))
                .fix(format!(
                    "Pass `{var}` as the check's target (`target_obj={var}`; load it first if the check comes before), \
                     as `{other}` does on line {}.",
                    cx.line_of(&model.at)
                ))
                .step(c.at, format!("checks the policy with {what}"))
                .step(model.at, format!("`{other}` passes `{var}`")),
            );
        }
    }
}

/// The parameters of a method and the names it assigns.
fn holds_names(def: &StmtFunctionDef) -> Vec<&str> {
    let mut names: Vec<&str> = def.parameters.iter().map(|p| p.name().as_str()).collect();
    for stmt in &def.body {
        collect_assigned(stmt, &mut names);
    }
    names
}

fn collect_assigned<'a>(stmt: &'a Stmt, names: &mut Vec<&'a str>) {
    match stmt {
        Stmt::Assign(a) => {
            for t in &a.targets {
                if let Expr::Name(n) = t {
                    names.push(n.id.as_str());
                }
            }
        }
        Stmt::If(s) => {
            s.body.iter().for_each(|s| collect_assigned(s, names));
            for c in &s.elif_else_clauses {
                c.body.iter().for_each(|s| collect_assigned(s, names));
            }
        }
        Stmt::Try(t) => {
            t.body.iter().for_each(|s| collect_assigned(s, names));
            t.orelse.iter().for_each(|s| collect_assigned(s, names));
        }
        Stmt::With(w) => w.body.iter().for_each(|s| collect_assigned(s, names)),
        _ => {}
    }
}
