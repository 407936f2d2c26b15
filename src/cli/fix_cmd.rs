//! `vigil review --fix` and `--show-diff`: the review's findings that carry
//! a mechanical edit are applied, file by file, then the files are reviewed
//! again (an edit that overlapped another is applied in the next round, at
//! most [`MAX_ROUNDS`]), and the last review is the report: what is left.
//! `--fix` writes the files (atomically, keeping their mode); `--show-diff`
//! prints what it would change as a unified diff and writes nothing.
//!
//! The fixed texts live in an overlay that the review's loader reads before
//! the disk, so a preview and a fix review exactly the same text. Standard
//! input and review-request listings are refused: a listing's line numbers
//! are the listing's, not a file's, and standard input has no file to
//! write.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::finding::Finding;
use crate::fix::{self, Applied};
use crate::input::{self, InputError, SourceFile};
use crate::report::paint::Paint;
use crate::report::terminal_safe::escape;

/// How many times a review is followed by a round of fixes.
pub const MAX_ROUNDS: usize = 4;

/// What `--fix` / `--show-diff` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Preview,
}

/// One file being fixed.
struct Fixing {
    path: PathBuf,
    /// The file began with a byte order mark, which the review does not see.
    bom: bool,
    original: String,
    current: String,
    applied: Vec<Applied>,
}

/// The fixed texts, by path as shown.
#[derive(Default)]
pub struct Overlay {
    files: HashMap<String, Fixing>,
    /// Files that will not be fixed, and why (said once each).
    refused: HashMap<String, String>,
    /// Files whose fixed text could not be written.
    unwritten: HashSet<String>,
}

impl Overlay {
    /// The file as the review should read it: its fixed text when it has
    /// one.
    pub fn load(&self, shown: &str) -> Option<SourceFile> {
        self.files
            .get(shown)
            .map(|f| SourceFile::plain(shown, f.current.clone()))
    }

    /// Applies the edits of `findings` (sorted by path) to their files;
    /// `files` maps a shown path to the file on disk. Whether any text
    /// changed, so that another review is worth it.
    pub fn apply(&mut self, findings: &[Finding], files: &HashMap<String, PathBuf>) -> bool {
        let mut changed = false;
        let mut start = 0;
        while start < findings.len() {
            let path = &findings[start].path;
            let end = start + findings[start..].iter().take_while(|f| &f.path == path).count();
            let group = &findings[start..end];
            start = end;
            if !group.iter().any(|f| fix::apply::edit_of(f).is_some()) || self.refused.contains_key(path) {
                continue;
            }
            match self.apply_to(path, group, files) {
                Ok(did) => changed |= did,
                Err(why) => {
                    self.refused.insert(path.clone(), why);
                }
            }
        }
        changed
    }

    fn apply_to(
        &mut self,
        shown: &str,
        findings: &[Finding],
        files: &HashMap<String, PathBuf>,
    ) -> Result<bool, String> {
        if !self.files.contains_key(shown) {
            let path = files
                .get(shown)
                .ok_or_else(|| "standard input has no file to write: name the file instead".to_string())?;
            let fixing = read(path, shown)?;
            self.files.insert(shown.to_string(), fixing);
        }
        let Some(fixing) = self.files.get_mut(shown) else {
            return Ok(false);
        };
        let fixed = fix::apply(&fixing.current, findings)?;
        if fixed.applied.is_empty() || fixed.text == fixing.current {
            return Ok(false);
        }
        fixing.current = fixed.text;
        fixing.applied.extend(fixed.applied);
        Ok(true)
    }

    /// The files that will not be fixed, as warnings for standard error.
    pub fn refusals(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .refused
            .iter()
            .map(|(path, why)| format!("{}: not fixed: {}", escape(path), escape(why)))
            .collect();
        out.sort();
        out
    }

    /// Every fix applied, `path:line:col: ID name`, in file order.
    pub fn applied(&self) -> Vec<String> {
        let mut out: Vec<(&str, &Applied)> = self
            .files
            .iter()
            .filter(|(path, _)| !self.unwritten.contains(*path))
            .flat_map(|(path, f)| f.applied.iter().map(move |a| (path.as_str(), a)))
            .collect();
        out.sort_by_key(|(path, a)| (*path, a.line, a.column, a.rule.id));
        out.iter()
            .map(|(path, a)| {
                format!(
                    "{}:{}:{}: {} {}",
                    escape(path),
                    a.line,
                    a.column,
                    a.rule.id,
                    a.rule.name
                )
            })
            .collect()
    }

    /// How many fixes in how many files.
    pub fn counts(&self) -> (usize, usize) {
        let changed = self
            .files
            .iter()
            .filter(|(path, f)| f.current != f.original && !self.unwritten.contains(*path))
            .map(|(_, f)| f);
        let (mut fixes, mut files) = (0, 0);
        for f in changed {
            fixes += f.applied.len();
            files += 1;
        }
        (fixes, files)
    }

    /// `--show-diff`: the diff of every changed file, in path order.
    pub fn diff(&self, paint: Paint) -> String {
        let mut shown: Vec<&String> = self.files.keys().collect();
        shown.sort();
        let mut out = String::new();
        for path in shown {
            let f = &self.files[path];
            let (old, new) = if paint.color {
                // On a terminal, code is shown, not replayed: its control
                // characters are made visible as everywhere else.
                (escape(&f.original).into_owned(), escape(&f.current).into_owned())
            } else {
                (f.original.clone(), f.current.clone())
            };
            out.push_str(&fix::diff::unified(path, &old, &new, paint));
        }
        out
    }

    /// `--fix`: writes every changed file; the errors, one per file (those
    /// files no longer count as fixed).
    pub fn write(&mut self) -> Vec<String> {
        let mut errors = Vec::new();
        let mut failed = Vec::new();
        let mut shown: Vec<&String> = self.files.keys().collect();
        shown.sort();
        for path in shown {
            let f = &self.files[path];
            if f.current == f.original {
                continue;
            }
            let text = if f.bom {
                format!("\u{feff}{}", f.current)
            } else {
                f.current.clone()
            };
            if let Err(e) = fix::write::replace(&f.path, &text) {
                errors.push(format!("{}: cannot write the fixed file: {e}", escape(path)));
                failed.push(path.clone());
            }
        }
        self.unwritten.extend(failed);
        errors
    }
}

/// Reads a file to fix, as the review read it: a plain Python file only.
fn read(path: &Path, shown: &str) -> Result<Fixing, String> {
    let file = input::load(path, shown).map_err(|e: InputError| e.reason)?;
    if !file.line_numbers.is_empty() || file.indent > 0 || file.request.is_some() {
        return Err(
            "it is a review-request listing, whose line numbers are the listing's: fix the code in its own file"
                .to_string(),
        );
    }
    let bom = std::fs::read(path).is_ok_and(|bytes| bytes.starts_with("\u{feff}".as_bytes()));
    Ok(Fixing {
        path: path.to_path_buf(),
        bom,
        original: file.text.clone(),
        current: file.text,
        applied: Vec::new(),
    })
}
