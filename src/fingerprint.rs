//! Stable fingerprints of findings, for baselines and SARIF
//! `partialFingerprints`.
//!
//! A fingerprint hashes the rule, the path, and the finding's own source
//! line with its white space folded, never the line number: moving code or
//! editing other lines keeps it. Identical defects in one file (same rule,
//! same line text) are told apart by their occurrence index, so a second copy
//! of an accepted defect is still new. The hash is FNV-1a (64 bits): stable
//! across Rust versions and platforms, unlike `std`'s `DefaultHasher`.

use std::collections::HashMap;

use crate::finding::Finding;

fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn folded_code(finding: &Finding) -> String {
    finding
        .snippet
        .first()
        .map(|l| l.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Gives every finding its fingerprint. `findings` must be sorted (the
/// occurrence index follows source order) and may span several files.
pub fn assign(findings: &mut [Finding]) {
    let fingerprints = with_paths(findings, |path| path.to_string());
    for (finding, fingerprint) in findings.iter_mut().zip(fingerprints) {
        finding.fingerprint = fingerprint;
    }
}

/// The fingerprints `findings` would have if each path were `path_of` its
/// shown path (a baseline's paths start at the baseline's folder, not at
/// the folder the review runs in). `path_of` must not map two paths to one.
pub fn with_paths(findings: &[Finding], path_of: impl Fn(&str) -> String) -> Vec<String> {
    let mut seen: HashMap<(String, &'static str, String), u32> = HashMap::new();
    let mut paths: HashMap<&str, String> = HashMap::new();
    findings
        .iter()
        .map(|finding| {
            let path = paths
                .entry(finding.path.as_str())
                .or_insert_with(|| path_of(&finding.path))
                .clone();
            let code = folded_code(finding);
            let occurrence = seen.entry((path.clone(), finding.rule.id, code.clone())).or_insert(0);
            let index = occurrence.to_string();
            *occurrence += 1;
            format!("{:016x}", fnv1a(&[finding.rule.id, &path, &code, &index]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fnv1a;

    #[test]
    fn fnv1a_is_stable() {
        // Pinned: a change here invalidates every stored baseline. FNV-1a of
        // one NUL byte is the published 0xaf63bd4c8601b7df.
        assert_eq!(
            fnv1a(&["S101", "a.py", "assert x", "0"]),
            fnv1a(&["S101", "a.py", "assert x", "0"])
        );
        assert_eq!(format!("{:016x}", fnv1a(&[""])), "af63bd4c8601b7df");
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }
}
