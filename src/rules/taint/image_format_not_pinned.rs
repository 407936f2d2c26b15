//! T843 image-format-not-pinned.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T843",
    name: "image-format-not-pinned",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 843,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Finds `qemu-img` runs on an image without an explicit input format (`-f`). Off by default: on neutron 29, cinder 29 and glance 33 (non-test code) 2 of 5 findings were true (glance runs `qemu-img info` on uploaded images without `-f`); the false ones were cinder's own snapshot files.",
        why: "Without `-f`, qemu-img guesses the format from the file's content: a raw image the user uploaded can claim to be qcow2 with a backing file or data file pointing at a host file, which qemu-img then reads or writes (OSSA-2024-001).",
        example: "processutils.execute('qemu-img', 'info', path)",
        use_instead: "processutils.execute('qemu-img', 'info', '-f', fmt, '--output=json', path)",
        fix: "Pass the format the image is known to have with `-f` (and check it with `format_inspector` first).",
        references: &["https://security.openstack.org/ossa/OSSA-2024-001.html"],
    },
};
