//! T843 image-format-not-pinned: `qemu-img` (or a service's helper that
//! wraps it) reads an image whose format it takes from the file itself.
//!
//! The rule is made of model rows (`src/flow/models/openstack.toml` and
//! `stdlib.toml`): shape sinks on the command runners for `qemu-img`
//! subcommands that read an image with no `-f` (and `-b` with no `-F`),
//! a sink on cinder's `image_utils.resize_image` called with no
//! `file_format`, and a taint sink for what `qemu-img info` printed about an
//! image whose format it probed (`probed`) reaching `qemu-img` again or
//! cinder's `convert_image(src_format=...)`.

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
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds `qemu-img` runs that read an image (`info`, `convert`, `resize`, `rebase`, `commit`, `check`, \
               `measure`, `snapshot`, ...) without an input format (`-f`), or with a backing file and no backing \
               format (`-b` without `-F`, `backing_file=` without `backing_fmt=`), wherever the command line is \
               built: in the call, in a list built before it, on one branch only (`-f` passed only when a \
               variable is set), after a prefix the caller passes (`prefix + ('qemu-img', 'convert', ...)`). It \
               also finds cinder's `image_utils.resize_image()` called with no `file_format`, and a format or \
               backing file that `qemu-img info` read from an image it probed handed back to `qemu-img` (`-f`, \
               `-F`, a backing path) or to cinder's `convert_image(src_format=...)`: a probed format is no pin.",
        why: "Without `-f`, qemu-img takes the format from the file's first bytes. A disk image a user uploaded, \
              or a volume a guest has written to, is attacker-controlled: a raw image whose content is a qcow2 \
              header naming a backing file or an external data file (`/etc/shadow`, another tenant's volume, \
              `json:{...}`) makes qemu-img, often run as root, read or write that file; a VMDK descriptor names \
              its extents. The service then copies the host file into a volume or image the attacker downloads \
              (OSSA-2023-002, OSSA-2024-001). Taking the format from a previous `qemu-img info` \
              run without `-f` trusts the same bytes. The format to pin is the one the service recorded (the \
              volume's format, a format it created the file with) or the one the user claimed, checked with a \
              format inspector first.",
        example: "cmd = ('qemu-img', 'resize', path, '%sG' % size)\nutils.execute(*cmd, run_as_root=True)",
        use_instead: "cmd = ('qemu-img', 'resize', '-f', volume_format, path, '%sG' % size)\nutils.execute(*cmd, run_as_root=True)",
        fix: "Pass the format the image is known to have with `-f` (the volume's recorded format, or the \
              claimed format after `format_inspector.detect_file_format(path)` agreed with it and its \
              `safety_check()` passed); with `-b`, pass the backing file's format with `-F`.",
        references: &[
            "https://security.openstack.org/ossa/OSSA-2024-001.html",
            "https://security.openstack.org/ossa/OSSA-2023-002.html",
            "https://docs.openstack.org/oslo.utils/latest/reference/imageutils.html",
            "https://cwe.mitre.org/data/definitions/843.html",
        ],
    },
};
