//! R110 check-then-run-command: a path tested and then handed to an external
//! command (`processutils.execute`, a driver's `_execute`, `subprocess`).
//! The scan is [`super::check_then_use`]. Off by default: see the measured
//! precision in the docs.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R110",
    name: "check-then-run-command",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 367,
    severity: Level::Medium,
    confidence: Level::Low,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags an external command (run through `processutils.execute`, `utils.execute`, a driver's \
               `_execute` or `subprocess`) given a path the same function tested just before, when nothing \
               handles the command failing. `rm -f` is not flagged. Off by default: none of the 3 findings on \
               Neutron, Cinder, Glance and the held-out Nova was accepted (0%): the paths were fixed, \
               root-owned configuration or per-volume files under the volume's lock.",
        why: "Commands run through rootwrap or privsep act as root on whatever the path names when they run. A \
              path replaced by a symlink between the test and the command redirects the command (a `chmod`, \
              `truncate` or `fallocate`) to another file; a path removed makes it fail with an unhandled \
              `ProcessExecutionError` (CWE-367).",
        example: "if os.path.exists(conf_path):\n    utils.execute('chmod', '640', conf_path, run_as_root=True)",
        use_instead: "try:\n    utils.execute('chmod', '640', conf_path, run_as_root=True)\nexcept processutils.ProcessExecutionError:\n    LOG.warning('%s is gone', conf_path)",
        fix: "Run the command without testing first and handle its failure, and keep the path in a directory only \
              the service can write.",
        references: &["https://docs.openstack.org/oslo.concurrency/latest/reference/processutils.html"],
    },
};
