//! T088 argument-injection.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T088",
    name: "argument-injection",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 88,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Finds untrusted data passed as an argument (not the program) of a command run without a shell: `processutils.execute('qemu-img', 'info', path)`, `subprocess.run(['tar', 'xf', name])`.",
        why: "No shell is involved, but the program reads the value as its own option or operand: a value starting with `-` becomes an option (`--output=/etc/...`), and a path chosen by the caller is read or written with the service's privileges (root under `run_as_root=True`).",
        example: "path = body['path']\nutils.execute('chown', 'nova', path, run_as_root=True)",
        use_instead: "path = os.path.realpath(os.path.join(INSTANCES, body['path']))\nif not path.startswith(INSTANCES + os.sep):\n    raise exc.HTTPBadRequest()\nutils.execute('chown', 'nova', '--', path, run_as_root=True)",
        fix: "Validate the value (a UUID, a name matching a pattern, a path under a base directory) and end options with `--` before it.",
        references: &["https://cwe.mitre.org/data/definitions/88.html"],
    },
};
