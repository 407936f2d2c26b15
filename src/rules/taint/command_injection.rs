//! T078 command-injection.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T078",
    name: "command-injection",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 78,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds commands whose program, or whose shell command string, is built from untrusted data: `subprocess` with `shell=True`, `os.system`, `sh -c`, and the program position of `processutils.execute`/`utils.execute`.",
        why: "A shell interprets `;`, `|`, `$(...)` and backticks in the string, so data from a request or an image runs arbitrary commands with the service's privileges (root with `run_as_root=True`).",
        example: "name = body['server']['name']\nprocessutils.execute('sh', '-c', 'echo %s > /tmp/x' % name)",
        use_instead: "name = body['server']['name']\nwith open('/tmp/x', 'w') as f:\n    f.write(name)",
        fix: "Pass the command as a list of fixed program and arguments without a shell, or quote the value with `shlex.quote`.",
        references: &["https://owasp.org/www-community/attacks/Command_Injection"],
    },
};
