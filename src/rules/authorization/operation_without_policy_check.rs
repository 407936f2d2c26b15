//! R801 operation-without-policy-check: an API entry point changes or
//! deletes a resource with no policy check on its path, while the other
//! entry points of its class check theirs.

use ruff_python_ast::StmtClassDef;
use ruff_text_size::{Ranged, TextRange};

use super::class_policy::{Kind, Method};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R801",
    name: "operation-without-policy-check",
    bandit: None,
    bandit_name: None,
    family: Family::Authorization,
    cwe: 862,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags an entry point of an API controller (a method that takes the request) or of an API layer (a \
               public method that takes the request context first, as cinder's `volume.api.API`) that changes or \
               deletes something (`.save()`, `.destroy()`, the database API, an object's `create()`, an RPC cast) \
               with no policy check on its path, when at least two other entry points of the same class check \
               theirs. A check is a policy call in the method or in a method of the class it calls \
               (`context.authorize`, `check_policy`, `policy.enforce`, `self.policy.enforce`, `context.can`, \
               glance's `*APIPolicy` objects, swift's `swift.authorize`), a decorator (`@wrap_check_policy`), or, \
               for a controller, the API layer it calls (`self.volume_api.delete(...)`), which checks its own.",
        why: "The policy file is how an operator decides who may do what; an operation that never asks it is \
              open to every authenticated user of every project, whatever the operator configured (CWE-862). \
              The siblings are the evidence: the class's authors check policy in its other entry points, so \
              this one was forgotten (cinder's attachment `complete` action, group `update`), not designed \
              to be open.",
        example: "@wsgi.action('os-complete')\ndef complete(self, req, id, body):\n    context = req.environ['cinder.context']\n    attachment = objects.VolumeAttachment.get_by_id(context, id)\n    attachment.update({'attach_status': 'attached'})\n    attachment.save()",
        use_instead: "@wsgi.action('os-complete')\ndef complete(self, req, id, body):\n    context = req.environ['cinder.context']\n    attachment = objects.VolumeAttachment.get_by_id(context, id)\n    context.authorize(attachment_policy.COMPLETE_POLICY, target_obj=attachment)\n    attachment.update({'attach_status': 'attached'})\n    attachment.save()",
        fix: "Check the operation's policy before it changes anything, against the resource it changes, as the \
              other entry points of the class do.",
        references: &[
            "https://cwe.mitre.org/data/definitions/862.html",
            "https://docs.openstack.org/oslo.policy/latest/user/usage.html",
        ],
    },
};

pub fn check(cx: &Context, class: &StmtClassDef, kind: Kind, methods: &[Method], out: &mut Vec<Diagnostic>) {
    let evidence: Vec<&Method> = methods
        .iter()
        .filter(|m| m.entry && (m.enforces() || (kind == Kind::Controller && m.delegates.is_some())))
        .collect();
    if evidence.len() < 2 {
        return;
    }
    let unchecked: Vec<&Method> = methods
        .iter()
        .filter(|m| m.entry && !m.enforces() && m.delegates.is_none() && m.mutates.is_some())
        .collect();
    // The comparison is the evidence, and it must be a comparison with the
    // rule of the class, not its exception: when most entry points that
    // change something check no policy here, this class is not where policy
    // is enforced (Nova's compute API and manager: the REST layer checks,
    // and two methods check a finer rule of their own).
    if unchecked.len() > evidence.len() {
        return;
    }
    for m in unchecked {
        let Some(change) = m.mutates else { continue };
        let name = m.name();
        let siblings: Vec<String> = evidence.iter().take(4).map(|s| format!("`{}`", s.name())).collect();
        let more = if evidence.len() > 4 {
            format!(" and {} more", evidence.len() - 4)
        } else {
            String::new()
        };
        let model = evidence.iter().find(|s| s.enforces()).unwrap_or(&evidence[0]);
        let fix = match (model.checks.first(), model.delegates) {
            (Some(c), _) if c.text.starts_with('@') => format!(
                "Decorate `{name}` with `{}`, as `{}` is (line {}).",
                c.text,
                model.name(),
                cx.line_of(&c.at)
            ),
            (Some(c), _) => format!(
                "Check `{name}`'s policy before line {}, against the resource it changes, as `{}` does on line {} \
                 (`{}`{}).",
                cx.line_of(change),
                model.name(),
                cx.line_of(&c.at),
                c.text,
                c.via.as_ref().map_or(String::new(), |v| format!(", in `{v}`"))
            ),
            (None, Some(d)) => format!(
                "Go through the API layer that checks the policy, as `{}` does on line {} (`{}()`), or check \
                 `{name}`'s own policy before line {}.",
                model.name(),
                cx.line_of(d),
                cx.snippet(&*d.func),
                cx.line_of(change)
            ),
            (None, None) => format!("Check `{name}`'s policy before line {}.", cx.line_of(change)),
        };
        out.push(
            // From the method's name to the change: the path with no check.
            Diagnostic::new(
                &RULE,
                TextRange::new(m.def.name.start(), change.end()),
                format!(
                    "`{name}` runs `{}()` with no policy check on its path, while {}{more} check theirs",
                    cx.snippet(&*change.func),
                    siblings.join(", ")
                ),
            )
            .detail(format!(
                "Line {} (`{}`) runs for any authenticated user: nothing on `{name}`'s path asks the policy \
                 engine, while the other entry points of `{}` do.",
                cx.line_of(change),
                cx.snippet(change),
                class.name
            ))
            .fix(fix)
            .step(change.range(), "changes it with no policy check")
            .step(
                model.checks.first().map_or(model.def.name.range(), |c| c.at),
                format!("`{}` checks its policy", model.name()),
            ),
        );
    }
}
