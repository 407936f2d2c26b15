//! Which configuration file applies: the one `--config` names, or the first
//! found walking up from the first reviewed path to the filesystem root. In
//! each folder `.vigil.toml` wins over `pyproject.toml`, and a
//! `pyproject.toml` without a `[tool.vigil]` table does not count (the walk
//! goes on upwards), as Ruff does.
//!
//! Only these two names are ever opened. A discovered file that is a symlink
//! resolving outside its own folder is refused rather than read: it would let
//! a repository make vigil read (and quote, in an error) any file.

use std::path::{Path, PathBuf};

use super::file;
use super::{ConfigError, ConfigFile, Kind};

/// A file found or named, with its text already read.
pub struct Located {
    pub file: ConfigFile,
    pub text: String,
}

/// The file `--config` names. The user chose it, so it may live anywhere.
pub fn named(path: &Path, cwd: &Path) -> Result<Located, ConfigError> {
    let shown = path.to_string_lossy().into_owned();
    let real = std::fs::canonicalize(path).map_err(|e| {
        ConfigError::new(format!(
            "{shown}: cannot read the configuration: {}",
            if e.kind() == std::io::ErrorKind::NotFound {
                "no such file".to_string()
            } else {
                e.to_string()
            }
        ))
    })?;
    let kind = kind_of(&real);
    let text = file::read(&real, &shown)?;
    if kind == Kind::Pyproject && !file::has_vigil_table(&text, &shown)? {
        return Err(ConfigError::new(format!(
            "{shown}: has no [tool.vigil] table: add one, or name a `.vigil.toml`"
        )));
    }
    let folder = folder_of(&real);
    Ok(Located {
        file: ConfigFile {
            shown: shown_path(&real, cwd),
            path: real,
            folder,
            kind,
        },
        text,
    })
}

/// Walks up from `start` (a reviewed path, or the current folder).
pub fn discover(start: &Path, cwd: &Path) -> Result<Option<Located>, ConfigError> {
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| cwd.to_path_buf());
    let first_folder = if start.is_dir() {
        start.as_path()
    } else {
        start.parent().unwrap_or(&start)
    };
    for folder in first_folder.ancestors() {
        for (name, kind) in [(".vigil.toml", Kind::VigilToml), ("pyproject.toml", Kind::Pyproject)] {
            let candidate = folder.join(name);
            if !candidate.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
                continue;
            }
            let shown = shown_path(&candidate, cwd);
            let real = std::fs::canonicalize(&candidate)
                .map_err(|e| ConfigError::new(format!("{shown}: cannot read the configuration: {e}")))?;
            if !real.starts_with(folder) {
                return Err(ConfigError::new(format!(
                    "{shown}: is a symlink to {}, outside its folder; not read: a repository's configuration cannot make vigil read files outside the repository",
                    real.display()
                )));
            }
            let text = file::read(&real, &shown)?;
            if kind == Kind::Pyproject && !file::has_vigil_table(&text, &shown)? {
                continue;
            }
            return Ok(Some(Located {
                file: ConfigFile {
                    path: candidate,
                    shown,
                    folder: folder.to_path_buf(),
                    kind,
                },
                text,
            }));
        }
    }
    Ok(None)
}

fn kind_of(path: &Path) -> Kind {
    if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        Kind::Pyproject
    } else {
        Kind::VigilToml
    }
}

fn folder_of(real: &Path) -> PathBuf {
    real.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf)
}

/// `path` relative to the current folder when it is below it, else absolute:
/// what error messages and `vigil config` show.
pub fn shown_path(path: &Path, cwd: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
        _ => path.to_string_lossy().into_owned(),
    }
}
