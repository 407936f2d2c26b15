//! Path globs anchored at a folder, with `.gitignore`'s two kinds of pattern:
//! one without a `/` (`venv`, `test_*.py`) matches a file or folder name at
//! any depth; one with a `/` (`nova/tests/**`, `/setup.py`) matches the path
//! relative to the anchor folder. `*` never crosses a `/`; `**` does.
//!
//! Neighbours: `discover` prunes excluded folders with [`PathGlobs::matches_entry`];
//! `config` builds these from the configuration file (anchored at its folder)
//! and matches per-file ignores with [`PathGlobs::matches_with_ancestors`].
//! Paths given here are absolute and canonical; nothing here touches the disk.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

#[derive(Debug, Clone)]
pub struct PathGlobs {
    /// The folder anchored patterns are relative to (canonical).
    base: PathBuf,
    names: GlobSet,
    anchored: GlobSet,
}

/// A pattern that is not a valid glob: which one, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadGlob {
    pub index: usize,
    pub message: String,
}

impl PathGlobs {
    pub fn new(base: &Path, patterns: &[String]) -> Result<PathGlobs, BadGlob> {
        let mut names = GlobSetBuilder::new();
        let mut anchored = GlobSetBuilder::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let trimmed = pattern.strip_suffix('/').unwrap_or(pattern);
            let bad = |message: String| BadGlob { index, message };
            if trimmed.is_empty() || trimmed == "/" {
                return Err(bad(format!("`{pattern}` is an empty pattern")));
            }
            let (set, text) = if let Some(rooted) = trimmed.strip_prefix('/') {
                (&mut anchored, rooted)
            } else if trimmed.contains('/') {
                (&mut anchored, trimmed)
            } else {
                (&mut names, trimmed)
            };
            let glob = GlobBuilder::new(text)
                .literal_separator(true)
                .build()
                .map_err(|e| bad(format!("`{pattern}` is not a valid glob: {}", e.kind())))?;
            set.add(glob);
        }
        let build = |b: GlobSetBuilder| {
            b.build().map_err(|e| BadGlob {
                index: 0,
                message: e.to_string(),
            })
        };
        Ok(PathGlobs {
            base: base.to_path_buf(),
            names: build(names)?,
            anchored: build(anchored)?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.anchored.is_empty()
    }

    /// Whether `path` itself (not its folders) matches: a name pattern on its
    /// last component, or an anchored pattern on its path below the base.
    pub fn matches_entry(&self, path: &Path) -> bool {
        if path.file_name().is_some_and(|name| self.matches_name(name)) {
            return true;
        }
        if !self.is_anchored() {
            return false;
        }
        match path.strip_prefix(&self.base) {
            Ok(relative) if !relative.as_os_str().is_empty() => self.anchored.is_match(relative),
            _ => false,
        }
    }

    /// Whether a name pattern matches `name` (a file or folder name).
    pub fn matches_name(&self, name: &OsStr) -> bool {
        self.names.is_match(name)
    }

    /// Whether some pattern is anchored (has a `/`): only those need the
    /// path below the base (the default excludes are names only).
    pub fn is_anchored(&self) -> bool {
        !self.anchored.is_empty()
    }

    /// Whether `path` or one of its folders below the base matches, so that
    /// `nova/tests` covers every file under it. A path outside the base is
    /// judged by its own name only.
    pub fn matches_with_ancestors(&self, path: &Path) -> bool {
        if !path.starts_with(&self.base) {
            return self.matches_entry(path);
        }
        path.ancestors()
            .take_while(|a| *a != self.base && a.starts_with(&self.base))
            .any(|a| self.matches_entry(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globs(patterns: &[&str]) -> PathGlobs {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        PathGlobs::new(Path::new("/repo"), &patterns).unwrap()
    }

    #[test]
    fn name_patterns_match_at_any_depth() {
        let g = globs(&["venv", "test_*.py"]);
        assert!(g.matches_entry(Path::new("/repo/venv")));
        assert!(g.matches_entry(Path::new("/repo/a/b/venv")));
        assert!(g.matches_entry(Path::new("/repo/a/test_x.py")));
        assert!(!g.matches_entry(Path::new("/repo/a/x_test.py")));
        assert!(
            g.matches_entry(Path::new("/elsewhere/venv")),
            "names match outside the base"
        );
    }

    #[test]
    fn name_patterns_alone_are_not_anchored() {
        let g = globs(&["venv", "*.egg"]);
        assert!(!g.is_anchored());
        assert!(g.matches_name(OsStr::new("x.egg")) && !g.matches_name(OsStr::new("eggs")));
        assert!(globs(&["venv", "nova/locale"]).is_anchored());
        assert!(globs(&["/setup.py"]).is_anchored());
    }

    #[test]
    fn anchored_patterns_are_relative_to_the_base() {
        let g = globs(&["nova/tests/*.py", "/setup.py"]);
        assert!(g.matches_entry(Path::new("/repo/nova/tests/a.py")));
        assert!(
            !g.matches_entry(Path::new("/repo/nova/tests/unit/a.py")),
            "`*` stops at `/`"
        );
        assert!(g.matches_entry(Path::new("/repo/setup.py")));
        assert!(!g.matches_entry(Path::new("/repo/sub/setup.py")));
        assert!(!g.matches_entry(Path::new("/other/nova/tests/a.py")));
    }

    #[test]
    fn double_star_crosses_folders() {
        let g = globs(&["nova/**/fixtures/*.py"]);
        assert!(g.matches_entry(Path::new("/repo/nova/tests/unit/fixtures/a.py")));
        assert!(g.matches_entry(Path::new("/repo/nova/fixtures/a.py")));
    }

    #[test]
    fn ancestors_below_the_base_count() {
        let g = globs(&["nova/tests", "repo"]);
        assert!(g.matches_with_ancestors(Path::new("/repo/nova/tests/unit/a.py")));
        assert!(!g.matches_with_ancestors(Path::new("/repo/nova/compute/a.py")));
        // The base's own name (`repo`) never excludes everything under it.
        assert!(!g.matches_with_ancestors(Path::new("/repo/nova/a.py")));
    }

    #[test]
    fn bad_globs_say_which() {
        let patterns = vec!["ok".to_string(), "a[".to_string()];
        let err = PathGlobs::new(Path::new("/repo"), &patterns).unwrap_err();
        assert_eq!(err.index, 1);
        assert!(err.message.starts_with("`a[` is not a valid glob: "), "{}", err.message);
    }
}
