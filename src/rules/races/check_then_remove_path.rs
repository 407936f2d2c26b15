//! R109 check-then-remove-path: a path tested and then removed (`os.remove`,
//! `os.unlink`, `os.rmdir`, `shutil.rmtree`), with nothing handling it being
//! gone already. The scan is [`super::check_then_use`]. Off by default: see
//! the measured precision in the docs.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R109",
    name: "check-then-remove-path",
    bandit: None,
    bandit_name: None,
    family: Family::Races,
    cwe: 367,
    severity: Level::Low,
    confidence: Level::Low,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags `os.remove`, `os.unlink`, `os.rmdir`, `os.removedirs` or `shutil.rmtree` on a path the same \
               function tested just before (`os.path.exists`, `isfile`, `isdir`...), when no `try`/`except \
               OSError` handles the removal failing and no lock is held. Off by default: on Neutron, Cinder and \
               Glance 4 of 7 findings were races a reviewer would ask to fix (57%; the others remove files \
               private to one task), 2 of 2 on Swift, and 1 of 5 on Nova, which was held out (per-instance \
               directories under the instance lock). Select it with `--select R109` for code that cleans up \
               shared directories (caches, state and lock directories, volume targets).",
        why: "Another worker can remove the file between the test and the removal; `FileNotFoundError` then \
              escapes and aborts the operation (a failed volume detach, a cache clean-up that stops half \
              way). Glance fixed exactly this in its image cache (bug 1229823) and Cinder in its tgt target \
              driver (CWE-367).",
        example: "if os.path.exists(path):\n    os.unlink(path)",
        use_instead: "fileutils.delete_if_exists(path)  # oslo.utils: ignores ENOENT",
        fix: "Remove the path without testing first and ignore `FileNotFoundError` (`fileutils.delete_if_exists`, \
              `shutil.rmtree(path, ignore_errors=True)`).",
        references: &["https://docs.openstack.org/oslo.utils/latest/reference/fileutils.html"],
    },
};
