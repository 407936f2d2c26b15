//! The image inspection, conversion and checking APIs the images rules know,
//! as data: qemu-img's subcommands, oslo.utils' format inspector, and the
//! helpers of cinder and glance that wrap them.
//!
//! To add an entry: put it on its own line, keeping each table sorted (a
//! unit test checks the order). Helpers are named by the last segment of the
//! called name (`image_utils.check_qcow2_image`, `self._inspect_path`):
//! services call them through many import paths and instances.

/// What an image check refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// A qcow2 (or QED, VMDK) backing file: a host path qemu-img opens.
    BackingFile,
    /// A qcow2 external data file (`format-specific.data.data-file`).
    DataFile,
    /// A VMDK whose descriptor names extents (`create-type` other than
    /// `monolithicSparse`/`streamOptimized`).
    VmdkExtents,
}

impl Feature {
    pub const ALL: [Feature; 3] = [Feature::BackingFile, Feature::DataFile, Feature::VmdkExtents];

    /// How a finding names the image feature.
    pub fn described(self) -> &'static str {
        match self {
            Feature::BackingFile => "a backing file",
            Feature::DataFile => "a qcow2 external data file (`data-file`)",
            Feature::VmdkExtents => "a VMDK whose descriptor names other files (its `create-type`)",
        }
    }

    /// The words that show a test is about this feature: attribute, key or
    /// variable names and option strings (`backing_file`,
    /// `'backing-filename'`, `data_file`, `'create-type'`).
    pub fn words(self) -> &'static [&'static str] {
        match self {
            Feature::BackingFile => &["backing-filename", "backing_file", "backing_filename"],
            Feature::DataFile => &["data-file", "data_file"],
            Feature::VmdkExtents => &["create-type", "createType", "create_type", "vmdk_allowed_types"],
        }
    }
}

/// cinder's helpers that run `qemu-img info` (a `qemu-img info` command line
/// and oslo.utils' `QemuImgInfo` parser are recognised by themselves). What
/// they check depends on their version; [`SAFE_INSPECTION_KEYWORDS`] tells.
pub const INSPECTION_HELPERS: &[&str] = &["QemuImgInfo", "_qemu_img_info", "_qemu_img_info_base", "qemu_img_info"];

/// Keywords that only the inspection helpers of the format-inspector era
/// take (cinder's `qemu_img_info(..., allow_qcow2_backing_file=...)`): such
/// a call ran oslo.utils' format inspector and its safety check first.
pub const SAFE_INSPECTION_KEYWORDS: &[&str] = &["allow_qcow2_backing_file"];

/// Calls that check an image and raise (or return nothing safe) when it has
/// the features listed: oslo.utils' format inspector (`safety_check()` on
/// what `detect_file_format()` returned), cinder's `get_format_if_safe` and
/// its `check_*_image` helpers, glance's `_inspect_path`.
pub const CHECK_HELPERS: &[(&str, &[Feature])] = &[
    ("_inspect_path", &Feature::ALL),
    ("check_image_format", &[Feature::VmdkExtents]),
    ("check_qcow2_image", &[Feature::DataFile]),
    ("check_vmdk_image", &[Feature::VmdkExtents]),
    ("get_format_if_safe", &Feature::ALL),
    ("get_image_format", &Feature::ALL),
    ("safety_check", &Feature::ALL),
    ("safety_check_allow_backing_file", &Feature::ALL),
];

/// qemu-img subcommands that write a new image from the one read, or change
/// it: what a service does with an image it inspected.
pub const CONVERTING_SUBCOMMANDS: &[&str] = &["amend", "commit", "convert", "dd", "rebase", "resize"];

/// The features a check helper refuses, if `name` (a called name's last
/// segment) is one.
pub fn check_helper(name: &str) -> Option<&'static [Feature]> {
    CHECK_HELPERS
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()
        .map(|i| CHECK_HELPERS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        let sorted = |t: &[&str]| t.windows(2).all(|w| w[0] < w[1]);
        assert!(sorted(INSPECTION_HELPERS));
        assert!(sorted(SAFE_INSPECTION_KEYWORDS));
        assert!(sorted(CONVERTING_SUBCOMMANDS));
        assert!(CHECK_HELPERS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
