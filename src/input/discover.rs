//! Walks the paths the user named and lists the files to review, in a stable
//! order. Directories are walked gitignore-aware (`.gitignore`, `.ignore`,
//! hidden folders such as `.tox` and `.venv` skipped); a file named explicitly
//! is always reviewed, whatever its name, unless `force_exclude` asks for the
//! configured excludes to apply to it too (pre-commit names every file).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::globs::PathGlobs;
use super::source::{InputError, shown_path};
use super::test_code::TestPaths;

/// What the walk produced: the files to review (sorted, without duplicates),
/// the paths it could not read, and the paths it chose to pass over.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    pub errors: Vec<InputError>,
    pub skipped: Vec<InputError>,
    /// Test files the walk left out (see [`Walk::tests`]).
    pub tests_left_out: usize,
}

/// How to walk: what to pass over.
#[derive(Debug, Default, Clone)]
pub struct Walk<'a> {
    /// Globs whose matches are not entered or listed.
    pub exclude: &'a [PathGlobs],
    /// Apply `exclude` to the paths named too (pre-commit names every file).
    pub force_exclude: bool,
    /// Leave test code found below a named folder out (and count it); a
    /// test file named explicitly is still reviewed.
    pub tests: Option<&'a TestPaths>,
}

pub fn discover(roots: &[PathBuf]) -> Discovered {
    discover_excluding(roots, &[], false)
}

/// [`discover`], passing over what `exclude` matches while walking (a folder
/// matched is not entered). A path named in `roots` is excluded only when
/// `force_exclude` is set.
pub fn discover_excluding(roots: &[PathBuf], exclude: &[PathGlobs], force_exclude: bool) -> Discovered {
    discover_with(
        roots,
        &Walk {
            exclude,
            force_exclude,
            tests: None,
        },
    )
}

/// Lists the files to review under `roots`, as `walk` says.
pub fn discover_with(roots: &[PathBuf], walk_options: &Walk) -> Discovered {
    let (exclude, force_exclude) = (walk_options.exclude, walk_options.force_exclude);
    let mut found = Discovered::default();
    for root in roots {
        if force_exclude && !exclude.is_empty() && is_excluded_root(root, exclude) {
            continue;
        }
        match std::fs::metadata(root) {
            Err(_) if root.symlink_metadata().is_ok() => {
                found.errors.push(InputError::new(shown_path(root), "broken symlink"))
            }
            Err(e) => found.errors.push(InputError::new(
                shown_path(root),
                if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".into()
                } else {
                    e.to_string()
                },
            )),
            Ok(meta) if meta.is_file() => found.files.push(root.clone()),
            Ok(_) => walk(root, exclude, walk_options.tests, &mut found),
        }
    }
    found.files.sort();
    found.files.dedup();
    found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

fn is_excluded_root(root: &Path, exclude: &[PathGlobs]) -> bool {
    match std::fs::canonicalize(root) {
        Ok(real) => exclude.iter().any(|g| g.matches_with_ancestors(&real)),
        Err(_) => false,
    }
}

fn walk(root: &Path, exclude: &[PathGlobs], tests: Option<&TestPaths>, found: &mut Discovered) {
    let real_root = std::fs::canonicalize(root).ok();
    // Naming a test folder asks for its tests.
    let tests = tests.filter(|t| !t.is_test_folder(root));
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .follow_links(false)
        // Honour .gitignore even outside a git checkout (an unpacked sdist).
        .require_git(false);
    // Globs are matched on canonical paths: the root is resolved once, and
    // the walk below it follows no symlink, so joining keeps paths canonical.
    if !exclude.is_empty()
        && let Ok(real_root) = std::fs::canonicalize(root)
    {
        let exclude = exclude.to_vec();
        let root = root.to_path_buf();
        // Name patterns alone (the defaults) need no path: the walk's
        // entries are named as their canonical paths are.
        let names_only = !exclude.iter().any(PathGlobs::is_anchored);
        builder.filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            if names_only {
                return !exclude.iter().any(|g| g.matches_name(entry.file_name()));
            }
            let below = entry.path().strip_prefix(&root).unwrap_or(entry.path());
            let real = real_root.join(below);
            !exclude.iter().any(|g| g.matches_entry(&real))
        });
    }
    let walker = builder.build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let Some(kind) = entry.file_type() else { continue };
                if kind.is_file() && is_python_file(entry.path()) {
                    if let Some(tests) = tests {
                        let below = entry.path().strip_prefix(root).unwrap_or(entry.path());
                        let real = real_root.as_ref().map(|r| r.join(below));
                        if tests.is_test(below, real.as_deref()) {
                            found.tests_left_out += 1;
                            continue;
                        }
                    }
                    found.files.push(entry.into_path());
                } else if kind.is_symlink() && has_python_name(entry.path()) {
                    symlink(root, entry.path(), found);
                }
            }
            Err(err) => {
                let path = match &err {
                    ignore::Error::WithPath { path, .. } => shown_path(path),
                    _ => shown_path(root),
                };
                found.errors.push(InputError::new(path, err.to_string()));
            }
        }
    }
}

/// Symlinks are not followed: a link inside the tree is reviewed at its real
/// path, and one leading out of the tree is not reviewed at all (a repository
/// must not make vigil read files outside it). Neither is dropped silently.
fn symlink(root: &Path, link: &Path, found: &mut Discovered) {
    let shown = shown_path(link);
    match (std::fs::canonicalize(link), std::fs::canonicalize(root)) {
        (Err(_), _) => found.errors.push(InputError::new(shown, "broken symlink")),
        (Ok(target), Ok(root)) if target.starts_with(&root) => {}
        (Ok(target), _) => found.skipped.push(InputError::new(
            shown,
            format!(
                "symlink to {} outside the reviewed tree; not followed",
                target.display()
            ),
        )),
    }
}

fn has_python_name(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyw"))
}

/// `.py`/`.pyw` files, and extension-less scripts whose first line is a python
/// shebang.
pub fn is_python_file(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("py" | "pyw") => true,
        Some(_) => false,
        None => has_python_shebang(path),
    }
}

fn has_python_shebang(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = String::new();
    // A shebang line is short; reading at most 256 bytes keeps a huge binary
    // without newlines from being read whole.
    let mut reader = BufReader::new(file.take(256));
    if reader.read_line(&mut first).is_err() {
        return false;
    }
    is_python_shebang(&first)
}

/// Whether a file's first line is a shebang that runs Python
/// (`#!/usr/bin/env python3`): the walk and [`super::source`] agree on it.
pub(crate) fn is_python_shebang(first_line: &str) -> bool {
    first_line.starts_with("#!") && first_line.contains("python")
}
