//! R102 check-then-read-path: a path tested for existence and then opened
//! for reading, trusting the test. The scan is [`super::check_then_use`].
//! Off by default: most such reads are of optional configuration or state
//! files that nobody removes, and reviewers do not ask for a change there.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R102",
    name: "check-then-read-path",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 367,
    severity: Level::Low,
    confidence: Level::Low,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `open(path)` for reading when the same function tested `path` just before \
               (`os.path.exists`, `os.path.isfile`, `os.stat`...) and no `try`/`except OSError` handles the \
               open failing. Reading after `os.access(path, os.R_OK)` is reported by R101 instead. Off by \
               default: on Neutron, Cinder and Glance 1 of 9 findings was a race a reviewer would ask to \
               fix (11% precision), 0 of 1 on Swift and 0 of 3 on Nova (held out); select it with \
               `--select R102` to audit code that reads files in directories other accounts or services write.",
        why: "Between the test and the open, another process can remove the file (`FileNotFoundError` instead \
              of the \"missing\" branch the code wrote) or replace it with a symlink; a service running as \
              root then reads whatever the link points to (CWE-367).",
        example: "if os.path.exists(lease_file):\n    with open(lease_file) as f:\n        leases = f.read()",
        use_instead: "try:\n    with open(lease_file) as f:\n        leases = f.read()\nexcept FileNotFoundError:\n    leases = ''",
        fix: "Open the file without testing first and handle `FileNotFoundError` (with `O_NOFOLLOW` when others \
              can write to its directory).",
        references: &["https://docs.python.org/3/glossary.html#term-EAFP"],
    },
};
