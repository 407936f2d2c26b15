//! T022 user-controlled-path.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T022",
    name: "user-controlled-path",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 22,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Finds file paths built from untrusted data (an API request, image metadata) that reach a file operation: `open`, `os.remove`, `shutil.copy`, `pathlib.Path` methods, archive extraction, or a privileged helper. Off by default: on neutron 29, cinder 29 and glance 33 (non-test code) 0 of 9 findings were true: glance image ids are checked by a repository lookup before they reach a path, which the engine does not yet see as a guard. On nova 34 (held out) 0 of 2: a swap file path derived from the disk mapping that image properties (`hw_disk_bus`) only pick among fixed names.",
        why: "A path the caller controls can climb out of the intended directory with `../` or be absolute, so the service reads, overwrites or deletes files it never meant to expose. When the operation runs as root (privsep, rootwrap) this is a host compromise.",
        example: "def show_console_log(self, req, server_id):\n    name = req.GET['file']\n    with open(os.path.join(CONSOLE_DIR, name)) as f:\n        return f.read()",
        use_instead: "def show_console_log(self, req, server_id):\n    name = os.path.basename(req.GET['file'])\n    path = os.path.realpath(os.path.join(CONSOLE_DIR, name))\n    if not path.startswith(CONSOLE_DIR + os.sep):\n        raise exc.HTTPBadRequest()\n    with open(path) as f:\n        return f.read()",
        fix: "Reduce the value to a file name (`os.path.basename`) or resolve the path (`os.path.realpath`) and check it stays under the base directory before using it.",
        references: &["https://owasp.org/www-community/attacks/Path_Traversal"],
    },
};
