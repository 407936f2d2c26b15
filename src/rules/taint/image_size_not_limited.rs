//! T770 image-size-not-limited: an image is fetched and converted into a
//! volume with no size to check its virtual size against.
//!
//! Model rows (`src/flow/models/openstack.toml`): shape sinks on cinder's
//! `image_utils.fetch_to_raw()` and `fetch_to_volume_format()` called
//! without `size` (or with `size=None`): the helpers compare the image's
//! virtual size with `size` only when one is given.

use crate::rules::{Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "T770",
    name: "image-size-not-limited",
    bandit: None,
    bandit_name: None,
    family: Family::Taint,
    cwe: 770,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Finds cinder's `image_utils.fetch_to_raw()` and `image_utils.fetch_to_volume_format()` called with \
               no `size` (or `size=None`): the helpers download an image and convert it into the volume, and \
               compare the image's virtual size with the volume's only when they are given the volume's size.",
        why: "A user chooses the image, and an image's virtual size is whatever its header says: a 1 MB qcow2 \
              or compressed image can claim terabytes. Converted with no limit, it writes past the volume's size \
              into the share or the conversion directory (a file-backed volume on NFS, Quobyte, vzstorage grows \
              to the image's size), filling the backend for every tenant and bypassing the quota the volume's \
              size was charged against (CWE-770).",
        example: "image_utils.fetch_to_volume_format(\n    context, image_service, image_id, volume_path, 'qcow2',\n    self.configuration.volume_dd_blocksize)",
        use_instead: "image_utils.fetch_to_volume_format(\n    context, image_service, image_id, volume_path, 'qcow2',\n    self.configuration.volume_dd_blocksize, size=volume.size)",
        fix: "Pass the volume's size (`size=volume.size`): the helper then refuses an image whose virtual size \
              does not fit (`check_virtual_size`) before converting it.",
        references: &[
            "https://cwe.mitre.org/data/definitions/770.html",
            "https://docs.openstack.org/cinder/latest/configuration/block-storage/samples/cinder.conf.html",
        ],
    },
};
