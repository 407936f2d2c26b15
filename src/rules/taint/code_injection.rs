//! T094 code-injection.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T094",
    name: "code-injection",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 94,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds code or templates built from untrusted data and run: `eval`, `exec`, `compile`, `importlib.import_module`, `render_template_string`, `jinja2.Template`.",
        why: "The value is executed as Python (or a template that reaches Python objects): the caller runs arbitrary code in the service.",
        example: "value = eval(request.args['expr'])",
        use_instead: "value = ast.literal_eval(request.args['expr'])",
        fix: "Parse the data (`ast.literal_eval`, `json.loads`) or map it to a fixed set of choices instead of executing it.",
        references: &["https://owasp.org/www-community/attacks/Code_Injection"],
    },
};
