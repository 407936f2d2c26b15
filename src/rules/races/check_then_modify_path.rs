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
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a file operation that creates or changes a path (`os.makedirs`/`os.mkdir`, `open(path, 'w')`, \
               `os.rename`, `shutil.copy`/`move`, `os.chmod`/`os.chown`, `os.symlink`/`os.link`, `os.utime`, \
               or `open` after `os.access(path, os.R_OK)`) that trusts a test of the same path made just before \
               in the same function (`os.path.exists`, `os.path.isfile`, `os.path.isdir`, `os.path.islink`, \
               `os.access`, `os.stat`), when no `try`/`except OSError` or `contextlib.suppress` handles the \
               operation failing and no lock is held (`@synchronized`, `with lock:`). A positive test is \
               trusted by the branch it guards; a negative one by its branch and, when that branch returns or \
               raises, by the rest of the block. `exist_ok=True`, mode `'x'`, `O_EXCL` and paths the function \
               made with `tempfile` are not flagged. Removals (R109), commands (R110) and reads (R102) are \
               reported by their own rules, off by default.",
        why: "The answer of the test is stale by the time the operation runs. Another worker, greenthread or \
              agent can create, remove or replace the path in between: `os.makedirs` then raises \
              `FileExistsError` when two workers create the same directory, `open(path, 'w')` truncates what \
              the other one just wrote, and a service running as root that checks a path in a directory \
              others can write and then chmods, chowns or opens it follows a symlink planted in between \
              (CWE-367).",
        example: "if not os.path.exists(cfg_dir):\n    os.makedirs(cfg_dir)",
        use_instead: "os.makedirs(cfg_dir, exist_ok=True)  # or fileutils.ensure_tree(cfg_dir)",
        fix: "Drop the test and do the operation directly, handling the error it raises when the path is \
              missing or already exists.",
        references: &[
            "https://docs.python.org/3/library/os.html#os.access",
            "https://docs.openstack.org/oslo.utils/latest/reference/fileutils.html",
            "https://security.openstack.org/guidelines/dg_using-temporary-files-securely.html",
        ],
    },
};
