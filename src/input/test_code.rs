//! Which files are test code, left out of a review by default.
//!
//! OpenStack's gate runs Bandit as `bandit -r nova -x tests`, and Semgrep
//! and CodeQL leave tests out of their default scans: a hard-coded password
//! in a fixture or an `assert` in a unit test is not a defect of the
//! service. Test code is what these patterns name, below the folder the user
//! asked to review (naming `nova/tests` itself reviews it): a folder named
//! `tests` or `test`, a file `test_*.py`, `*_test.py` or `conftest.py`, and
//! whatever the configuration's `test-paths` globs add.

use std::path::{Component, Path};

use super::globs::PathGlobs;

/// The test-code patterns of a review.
#[derive(Debug, Clone, Default)]
pub struct TestPaths {
    /// The configuration's `test-paths`, anchored at its folder.
    extra: Option<PathGlobs>,
}

impl TestPaths {
    pub fn new(extra: Option<PathGlobs>) -> TestPaths {
        TestPaths { extra }
    }

    /// Whether a folder the user named is itself test code (`nova/tests`,
    /// or one the configuration's globs match): then everything below it was
    /// asked for.
    pub fn is_test_folder(&self, folder: &Path) -> bool {
        let named = folder
            .components()
            .rev()
            .find_map(|c| match c {
                Component::Normal(name) => name.to_str(),
                _ => None,
            })
            .is_some_and(|name| matches!(name, "tests" | "test"));
        named
            || self.extra.as_ref().is_some_and(|globs| {
                std::fs::canonicalize(folder).is_ok_and(|real| globs.matches_with_ancestors(&real))
            })
    }

    /// Whether `below` (a file's path relative to the folder the user named)
    /// is test code. `real` is the file's canonical path, for the
    /// configuration's globs; `None` when it cannot be resolved.
    pub fn is_test(&self, below: &Path, real: Option<&Path>) -> bool {
        is_test_by_name(below)
            || self
                .extra
                .as_ref()
                .zip(real)
                .is_some_and(|(globs, real)| globs.matches_with_ancestors(real))
    }
}

/// The built-in patterns, on a path relative to the reviewed folder.
pub fn is_test_by_name(below: &Path) -> bool {
    let mut components: Vec<&str> = below
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    let Some(file) = components.pop() else {
        return false;
    };
    components.iter().any(|dir| matches!(*dir, "tests" | "test"))
        || file == "conftest.py"
        || (file.starts_with("test_") && file.ends_with(".py"))
        || file.ends_with("_test.py")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_patterns() {
        for test in [
            "nova/tests/unit/virt/test_driver.py",
            "test/functional/helpers.py",
            "test_api.py",
            "cinder/volume/drivers/foo_test.py",
            "conftest.py",
            "pkg/conftest.py",
        ] {
            assert!(is_test_by_name(Path::new(test)), "{test}");
        }
        for code in [
            "nova/virt/libvirt/driver.py",
            "nova/testing.py",
            "nova/contest.py",
            "attest.py",
            "latest_test.txt",
            "tests",
        ] {
            assert!(!is_test_by_name(Path::new(code)), "{code}");
        }
    }
}
