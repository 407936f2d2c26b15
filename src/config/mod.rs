//! `config`: the settings a review runs with, from built-in defaults, one
//! configuration file (`.vigil.toml`, or `[tool.vigil]` in `pyproject.toml`)
//! and the command line, in that order of strength. Every value remembers
//! where it came from, for `vigil config`.
//!
//! Neighbours: `cli` turns flags into [`Overrides`] and calls [`load`]; the
//! result feeds `input::discover_excluding` (excludes), `rules::registry`
//! (selection) and `review` (per-file ignores, thresholds).
//!
//! Trust: the file comes with the repository under review. This module opens
//! only configuration files (the one the user names, or `.vigil.toml` /
//! `pyproject.toml` found walking up from the reviewed path), and a
//! configuration can never make vigil read anything outside the folder that
//! holds it (see [`models`]).

mod file;
mod locate;
mod models;
mod show;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::input::PathGlobs;
use crate::rules::registry::{self, Selection};
use crate::rules::{Level, Rule};

pub use file::KEYS;
pub use show::render;

/// Folders no review wants, passed over while walking unless `exclude`
/// replaces this list. Hidden folders (`.tox`, `.venv`, `.git`, `.eggs`) and
/// gitignored paths are skipped by the walk itself.
pub const DEFAULT_EXCLUDE: &[&str] = &[
    "*.egg",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

/// What the command line says about settings; `None` leaves a key alone.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--config FILE`: use this file and look for no other.
    pub config_file: Option<PathBuf>,
    /// `--isolated`: use no configuration file at all.
    pub isolated: bool,
    pub select: Option<Vec<String>>,
    pub extend_select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub severity: Option<Level>,
    pub confidence: Option<Level>,
    /// `--include-tests`.
    pub include_tests: bool,
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    /// The configuration file, at this line.
    File {
        line: u32,
    },
    /// This command-line flag.
    Flag(&'static str),
}

/// `per-file-ignores`: each glob with its selectors, as written.
pub type PerFileTable = Vec<(String, Vec<String>)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Sourced<T> {
    fn default(value: T) -> Self {
        Sourced {
            value,
            origin: Origin::Default,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `.vigil.toml` (or any file `--config` names): top-level keys.
    VigilToml,
    /// `pyproject.toml`: the `[tool.vigil]` table.
    Pyproject,
}

/// The configuration file in use.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    pub path: PathBuf,
    /// As messages show it: relative to the current folder when below it.
    pub shown: String,
    /// The canonical folder holding it: globs and model paths are relative
    /// to it, and model paths may not leave it.
    pub folder: PathBuf,
    pub kind: Kind,
}

/// A configuration that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    fn new(message: String) -> Self {
        ConfigError { message }
    }

    /// An error at byte `offset` of the file `shown`, whose text is `text`.
    fn at(shown: &str, text: &str, offset: usize, message: String) -> Self {
        let (line, column) = file::line_col(text, offset);
        ConfigError::new(format!("{shown}:{line}:{column}: {message}"))
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The settings in force, each with its origin.
#[derive(Debug)]
pub struct Config {
    pub file: Option<ConfigFile>,
    /// Whether `--isolated` kept every file out.
    pub isolated: bool,
    pub select: Sourced<Vec<String>>,
    /// Rules added to `select` (or to the default set).
    pub extend_select: Sourced<Vec<String>>,
    pub ignore: Sourced<Vec<String>>,
    pub per_file_ignores: Sourced<PerFileTable>,
    pub severity: Sourced<Level>,
    pub confidence: Sourced<Level>,
    pub exclude: Sourced<Vec<String>>,
    pub extend_exclude: Sourced<Vec<String>>,
    /// Review test code too (left out by default, as OpenStack's gate runs
    /// Bandit with `-x tests`).
    pub include_tests: Sourced<bool>,
    /// Globs naming more test code than the built-in patterns
    /// ([`crate::input::test_code`]).
    pub test_paths: Sourced<Vec<String>>,
    /// The user's own dataflow model files, read by [`Config::model_files`].
    pub models: Sourced<Vec<String>>,
    /// The folder globs are relative to: the file's, or the current folder.
    pub anchor: PathBuf,
}

/// The configuration for a review of `target` (the first path reviewed).
pub fn load(target: &Path, overrides: &Overrides) -> Result<Config, ConfigError> {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .map_err(|e| ConfigError::new(format!("cannot tell the current folder: {e}")))?;
    let located = if overrides.isolated {
        None
    } else if let Some(path) = &overrides.config_file {
        Some(locate::named(path, &cwd)?)
    } else {
        locate::discover(target, &cwd)?
    };
    let values = match &located {
        Some(l) => file::parse(&l.file, &l.text)?,
        None => file::FileValues::default(),
    };
    let flag = |value: Option<Vec<String>>, name| {
        value.map(|value| Sourced {
            value,
            origin: Origin::Flag(name),
        })
    };
    let level = |value: Option<Level>, name| {
        value.map(|value| Sourced {
            value,
            origin: Origin::Flag(name),
        })
    };
    let anchor = located.as_ref().map_or_else(|| cwd.clone(), |l| l.file.folder.clone());
    Ok(Config {
        isolated: overrides.isolated,
        select: flag(overrides.select.clone(), "--select")
            .or(values.select)
            .unwrap_or_else(|| Sourced::default(Vec::new())),
        extend_select: flag(overrides.extend_select.clone(), "--extend-select")
            .or(values.extend_select)
            .unwrap_or_else(|| Sourced::default(Vec::new())),
        ignore: flag(overrides.ignore.clone(), "--ignore")
            .or(values.ignore)
            .unwrap_or_else(|| Sourced::default(Vec::new())),
        per_file_ignores: values.per_file_ignores.unwrap_or_else(|| Sourced::default(Vec::new())),
        severity: level(overrides.severity, "--severity")
            .or(values.severity)
            .unwrap_or_else(|| Sourced::default(Level::Low)),
        confidence: level(overrides.confidence, "--confidence")
            .or(values.confidence)
            .unwrap_or_else(|| Sourced::default(Level::Low)),
        exclude: values
            .exclude
            .unwrap_or_else(|| Sourced::default(DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect())),
        extend_exclude: values.extend_exclude.unwrap_or_else(|| Sourced::default(Vec::new())),
        include_tests: overrides
            .include_tests
            .then_some(Sourced {
                value: true,
                origin: Origin::Flag("--include-tests"),
            })
            .or(values.include_tests)
            .unwrap_or_else(|| Sourced::default(false)),
        test_paths: values.test_paths.unwrap_or_else(|| Sourced::default(Vec::new())),
        models: values.models.unwrap_or_else(|| Sourced::default(Vec::new())),
        file: located.map(|l| l.file),
        anchor,
    })
}

impl Config {
    /// The user's model files (`models`) with their texts, for the dataflow
    /// engine. Each path is checked again, at the moment it is read, to lie
    /// inside the folder holding the configuration.
    pub fn model_files(&self) -> Result<Vec<(String, String)>, String> {
        if self.models.value.is_empty() {
            return Ok(Vec::new());
        }
        let folder = std::fs::canonicalize(&self.anchor).map_err(|e| format!("{}: {e}", self.anchor.display()))?;
        self.models
            .value
            .iter()
            .map(|entry| {
                let path = models::check_inside(&folder, entry).map_err(|e| format!("`models`: {e}"))?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("model file `{entry}`: {e}"))?;
                Ok((entry.clone(), text))
            })
            .collect()
    }

    /// The rules to run. Selectors from the file were checked when it was
    /// read; ones from flags are checked here.
    pub fn selection(&self) -> Result<Selection, String> {
        Selection::extended(&self.select.value, &self.extend_select.value, &self.ignore.value)
    }

    /// `exclude` and `extend-exclude`, for the walk.
    pub fn excludes(&self) -> Vec<PathGlobs> {
        [&self.exclude.value, &self.extend_exclude.value]
            .into_iter()
            .filter(|patterns| !patterns.is_empty())
            // Checked when the file was read (and the defaults are valid), so
            // a pattern that does not compile here is dropped, not fatal.
            .filter_map(|patterns| PathGlobs::new(&self.anchor, patterns).ok())
            .collect()
    }

    /// What the walk leaves out as test code: `None` with `include-tests`.
    pub fn tests(&self) -> Option<crate::input::TestPaths> {
        if self.include_tests.value {
            return None;
        }
        // Checked when the file was read, as excludes are.
        let extra = (!self.test_paths.value.is_empty())
            .then(|| PathGlobs::new(&self.anchor, &self.test_paths.value).ok())
            .flatten();
        Some(crate::input::TestPaths::new(extra))
    }

    pub fn per_file_ignores(&self) -> PerFileIgnores {
        let entries = self
            .per_file_ignores
            .value
            .iter()
            .filter_map(|(glob, selectors)| {
                let globs = PathGlobs::new(&self.anchor, std::slice::from_ref(glob)).ok()?;
                let mut rules: Vec<&'static Rule> = selectors.iter().flat_map(|s| registry::matching(s)).collect();
                rules.sort_by_key(|r| r.id);
                rules.dedup_by_key(|r| r.id);
                Some((globs, rules))
            })
            .collect();
        PerFileIgnores { entries }
    }
}

/// Rules switched off for the files a glob matches.
#[derive(Debug, Default)]
pub struct PerFileIgnores {
    entries: Vec<(PathGlobs, Vec<&'static Rule>)>,
}

impl PerFileIgnores {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The rules ignored for the file at `path` (absolute and canonical).
    pub fn rules_for(&self, path: &Path) -> Vec<&'static Rule> {
        let mut rules: Vec<&'static Rule> = self
            .entries
            .iter()
            .filter(|(globs, _)| globs.matches_with_ancestors(path))
            .flat_map(|(_, rules)| rules.iter().copied())
            .collect();
        rules.sort_by_key(|r| r.id);
        rules.dedup_by_key(|r| r.id);
        rules
    }
}
