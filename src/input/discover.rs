//! Walks the paths the user named and lists the files to review, in a stable
//! order. Directories are walked gitignore-aware (`.gitignore`, `.ignore`,
//! hidden folders such as `.tox` and `.venv` skipped); a file named explicitly
//! is always reviewed, whatever its name.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::source::{shown_path, InputError};

/// What the walk produced: the files to review (sorted, without duplicates) and
/// the paths it could not read.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    pub errors: Vec<InputError>,
}

pub fn discover(roots: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    for root in roots {
        match std::fs::metadata(root) {
            Err(_) if root.symlink_metadata().is_ok() => found
                .errors
                .push(InputError::new(shown_path(root), "broken symlink")),
            Err(e) => found.errors.push(InputError::new(
                shown_path(root),
                if e.kind() == std::io::ErrorKind::NotFound { "no such file or directory".into() } else { e.to_string() },
            )),
            Ok(meta) if meta.is_file() => found.files.push(root.clone()),
            Ok(_) => walk(root, &mut found),
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

fn walk(root: &Path, found: &mut Discovered) {
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        // Honour .gitignore even outside a git checkout (an unpacked sdist).
        .require_git(false)
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && is_python_file(entry.path()) {
                    found.files.push(entry.into_path());
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
    let Ok(file) = std::fs::File::open(path) else { return false };
    let mut first = String::new();
    // A shebang line is short; reading at most 256 bytes keeps a huge binary
    // without newlines from being read whole.
    let mut reader = BufReader::new(file.take(256));
    if reader.read_line(&mut first).is_err() {
        return false;
    }
    first.starts_with("#!") && first.contains("python")
}
