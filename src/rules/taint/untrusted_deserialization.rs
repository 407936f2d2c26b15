//! T502 untrusted-deserialization.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T502",
    name: "untrusted-deserialization",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 502,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds untrusted data deserialized with a format that can build arbitrary objects: `pickle`, `marshal`, `shelve`, `yaml.load` with an unsafe loader.",
        why: "Unpickling or loading YAML with a full loader calls constructors the data names: the caller runs arbitrary code in the service.",
        example: "obj = pickle.loads(base64.b64decode(body['state']))",
        use_instead: "obj = jsonutils.loads(body['state'])",
        fix: "Use a data-only format (`json`, `yaml.safe_load`) for anything that crosses a trust boundary.",
        references: &["https://cwe.mitre.org/data/definitions/502.html"],
    },
};
