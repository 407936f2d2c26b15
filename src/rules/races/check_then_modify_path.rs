//! R101 check-then-modify-path: a path tested and then removed, renamed,
//! copied, chmod-ed, chown-ed, created or handed to a command, trusting the
//! test. The scan is [`super::check_then_use`].

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R101",
    name: "check-then-modify-path",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 367,
    severity: Level::Low,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a file operation (open, remove, rename, copy, chmod, chown, makedirs, link, or an external \
               command) on a path that the same function tested just before with `os.path.exists`, \
               `os.path.isfile`, `os.path.isdir`, `os.path.islink`, `os.access` or `os.stat`, when no \
               `try`/`except OSError` (or `contextlib.suppress`) handles the operation failing. A positive \
               test is trusted by the branch it guards; a negative one by its branch, and by the rest of the \
               block when that branch returns or raises. `os.makedirs(..., exist_ok=True)`, \
               `shutil.rmtree(..., ignore_errors=True)`, `open(..., 'x')` and `O_EXCL` are not flagged.",
        why: "The answer of the test is stale by the time the operation runs. Another worker, greenthread, \
              agent or user can remove, create or replace the path in between: `os.remove` then raises \
              `FileNotFoundError`, `os.makedirs` raises `FileExistsError` when two workers create the same \
              directory, and a service running as root that checks a path in a directory others can write \
              and then opens, chmods or chowns it follows a symlink planted in between to any file on the \
              host (CWE-367). Neutron, Cinder, Glance and Swift have each fixed this bug class: image cache \
              files deleted between the check and the unlink, state directories created by two workers.",
        example: "def delete_cached_file(path):\n    if os.path.exists(path):\n        os.unlink(path)",
        use_instead: "def delete_cached_file(path):\n    try:\n        os.unlink(path)\n    except FileNotFoundError:\n        pass\n    # or: fileutils.delete_if_exists(path)",
        fix: "Drop the test and do the operation directly, handling the error it raises when the path is \
              missing or already exists.",
        references: &[
            "https://docs.python.org/3/library/os.html#os.access",
            "https://docs.openstack.org/oslo.utils/latest/reference/fileutils.html",
            "https://security.openstack.org/guidelines/dg_using-temporary-files-securely.html",
        ],
    },
};
