//! The `models` key: paths to the user's own source, sink and sanitizer model
//! files for the dataflow engine (`flow::models`, same format as the built-in
//! `src/flow/models/*.toml`). They are checked when the configuration is
//! read, and read only after a second check (`Config::model_files`).
//!
//! A configuration comes with the repository under review, and a repository
//! is not trusted: it must not be able to point vigil at `/etc/shadow` or at
//! `../../other-project/secrets.yaml` and have their contents echoed in an
//! error or a finding. So every path must resolve, symlinks included, inside
//! the folder that holds the configuration file.

use std::path::{Component, Path, PathBuf};

use crate::report::terminal_safe::escape;

const OUTSIDE: &str = "a repository's configuration cannot make vigil read files outside the repository";

/// Checks that `entry` (as written in the file) names an existing path inside
/// `folder` (canonical), and returns its canonical form.
pub fn check_inside(folder: &Path, entry: &str) -> Result<PathBuf, String> {
    let shown = escape(entry);
    if entry.is_empty() {
        return Err("an empty path names no model file".to_string());
    }
    let written = Path::new(entry);
    // First without touching the disk, so that a path that leaves the folder
    // is refused as such whether or not it exists.
    if !lexically_inside(folder, written) {
        return Err(format!(
            "`{shown}` is outside {}: {OUTSIDE}",
            escape(&folder.to_string_lossy())
        ));
    }
    let real = std::fs::canonicalize(folder.join(written)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "`{shown}` does not exist (paths are relative to {})",
                escape(&folder.to_string_lossy())
            )
        } else {
            format!("`{shown}` cannot be resolved: {e}")
        }
    })?;
    if !real.starts_with(folder) {
        return Err(format!(
            "`{shown}` resolves to {}, outside {}: {OUTSIDE}",
            escape(&real.to_string_lossy()),
            escape(&folder.to_string_lossy())
        ));
    }
    Ok(real)
}

/// Whether `written` stays inside `folder` by its text alone: absolute paths
/// must start with the folder, and `..` must never climb above it.
fn lexically_inside(folder: &Path, written: &Path) -> bool {
    let relative = if written.is_absolute() {
        match written.strip_prefix(folder) {
            Ok(rest) => rest,
            Err(_) => return false,
        }
    } else {
        written
    };
    let mut depth: usize = 0;
    for component in relative.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_may_not_climb_out() {
        let repo = Path::new("/repo");
        assert!(lexically_inside(repo, Path::new("models/a.yaml")));
        assert!(lexically_inside(repo, Path::new("models/../b.yaml")));
        assert!(!lexically_inside(repo, Path::new("../x")));
        assert!(!lexically_inside(repo, Path::new("models/../../x")));
        assert!(!lexically_inside(repo, Path::new("/etc/shadow")));
        assert!(lexically_inside(repo, Path::new("/repo/models/a.yaml")));
    }
}
