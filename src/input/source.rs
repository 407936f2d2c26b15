//! One unit of review: a path, its Python text and the map from the text's
//! lines to the line numbers the user sees.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::discover::is_python_shebang;
use super::encoding;
use super::listing::{self, Listing};
use crate::python;

/// Files larger than this are reported and skipped rather than read whole.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A file ready for review.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user should see it (relative when the user named it so).
    pub path: String,
    /// The Python code itself (for a listing, the code without its numbers).
    pub text: String,
    /// For a listing, the user-visible number of each line of `text` (index 0 is
    /// line 1). Empty for plain files, where line `n` is shown as `n`.
    pub line_numbers: Vec<u32>,
    /// The request text that preceded a listing, if any.
    pub request: Option<String>,
    /// Columns removed from every line of a dedented listing excerpt; added
    /// back to every reported column and quoted line.
    pub indent: u32,
}

impl SourceFile {
    pub fn plain(path: impl Into<String>, text: String) -> Self {
        SourceFile {
            path: path.into(),
            text,
            line_numbers: Vec::new(),
            request: None,
            indent: 0,
        }
    }

    fn from_listing(path: String, listing: Listing) -> Self {
        SourceFile {
            path,
            text: listing.code,
            line_numbers: listing.numbers,
            request: Some(listing.request),
            indent: listing.indent,
        }
    }

    /// The user-visible number of the 1-based line `line` of `text`.
    pub fn display_line(&self, line: u32) -> u32 {
        if self.line_numbers.is_empty() {
            line
        } else {
            let index = (line as usize).saturating_sub(1);
            // A position past the last numbered line (the end of the text) is
            // shown as the last number: there is nothing after it to point at.
            *self
                .line_numbers
                .get(index)
                .or(self.line_numbers.last())
                .unwrap_or(&line)
        }
    }
}

/// Why a file could not be reviewed (or was reviewed only in part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl InputError {
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// What a name (or standard input) says about the bytes behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A `.py`/`.pyw`/`.pyi` file, or a file a diff says is Python: Python,
    /// never a listing (a diff's line numbers are the file's own).
    PythonFile,
    /// Any other file the user named: Python when it has a python shebang, a
    /// listing when it looks like one, Python when it parses; otherwise it is
    /// not reviewed, rather than reviewed as prose.
    OtherFile,
    /// Standard input: a listing when it looks like one, Python otherwise.
    Stdin,
}

/// Reads one file. `.py`/`.pyw`/`.pyi` files are Python; anything else is
/// Python, a review-request listing or an error ([`Origin::OtherFile`]).
pub fn load(path: &Path, shown: &str) -> Result<SourceFile, InputError> {
    let origin = if is_python_name(path) {
        Origin::PythonFile
    } else {
        Origin::OtherFile
    };
    load_with(path, shown, origin)
}

/// Reads a file known to be Python, never as a listing: in a change review
/// the diff's line numbers are the file's own.
pub fn load_python(path: &Path, shown: &str) -> Result<SourceFile, InputError> {
    load_with(path, shown, Origin::PythonFile)
}

fn load_with(path: &Path, shown: &str, origin: Origin) -> Result<SourceFile, InputError> {
    let meta = std::fs::metadata(path).map_err(|e| InputError::new(shown, io_reason(&e)))?;
    if meta.is_dir() {
        return Err(InputError::new(shown, "is a directory"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(InputError::new(
            shown,
            format!(
                "file is {} bytes, over the {} byte limit; skipped",
                meta.len(),
                MAX_FILE_BYTES
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| InputError::new(shown, io_reason(&e)))?;
    decode(bytes, shown.to_string(), origin)
}

/// Reads standard input: a listing when it looks like one, Python otherwise.
pub fn load_stdin() -> Result<SourceFile, InputError> {
    read_stdin("-", Origin::Stdin)
}

/// Reads standard input as the file `name` (`--stdin-filename`: an editor's
/// buffer): shown as `name`, and Python without a second look when the name
/// says so, as that file would be.
pub fn load_stdin_as(name: &Path) -> Result<SourceFile, InputError> {
    let origin = if is_python_name(name) {
        Origin::PythonFile
    } else {
        Origin::Stdin
    };
    read_stdin(&shown_path(name), origin)
}

fn read_stdin(shown: &str, origin: Origin) -> Result<SourceFile, InputError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::new(shown, io_reason(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(InputError::new(shown, "standard input is over the 64 MiB limit"));
    }
    decode(bytes, shown.to_string(), origin)
}

/// Turns raw bytes into a reviewable file: the one path from bytes to text,
/// shared by files, standard input and the fuzz targets. The bytes are
/// decoded as CPython decodes source (PEP 263, [`encoding`]), then `origin`
/// decides between Python and a listing.
pub fn decode(bytes: Vec<u8>, shown: String, origin: Origin) -> Result<SourceFile, InputError> {
    let text = encoding::decode(bytes).map_err(|reason| InputError::new(&shown, reason))?;
    if origin == Origin::PythonFile {
        return Ok(SourceFile::plain(shown, text));
    }
    // A shebang says Python louder than any shape: a script is never read
    // as a listing.
    if origin == Origin::OtherFile && has_python_shebang(&text) {
        return Ok(SourceFile::plain(shown, text));
    }
    if let Some(listing) = listing::parse(&text).map_err(|e| InputError::new(&shown, e))? {
        return Ok(SourceFile::from_listing(shown, listing));
    }
    if origin == Origin::OtherFile
        && let Some(problem) = python::parse(&text).syntax_errors.into_iter().min_by_key(|p| p.line)
    {
        // README.txt or a configuration file named by mistake: reviewing it
        // as Python would print syntax warnings and then say that no defect
        // was found in code that is not code.
        let message = problem.message.lines().next().unwrap_or_default().to_string();
        return Err(InputError::new(
            &shown,
            format!(
                "neither Python (not a .py file, no python shebang, and line {} does not parse: {}) \
                 nor a review-request listing (numbered lines `N <code>`); skipped",
                problem.line, message
            ),
        ));
    }
    Ok(SourceFile::plain(shown, text))
}

/// Whether line 1 is a shebang that runs Python (`#!/usr/bin/env python3`).
fn has_python_shebang(text: &str) -> bool {
    let first = text.split(['\n', '\r']).next().unwrap_or_default();
    is_python_shebang(first)
}

fn is_python_name(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyw" | "pyi"))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file (or a broken symlink)".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// The path to show for `path` found while walking `root`.
pub fn shown_path(path: &Path) -> String {
    let p: PathBuf = path.strip_prefix("./").unwrap_or(path).to_path_buf();
    p.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file listed by the walk and gone (or replaced by a directory) by the
    /// time it is read is that file's error, never a panic.
    #[test]
    fn a_file_that_vanished_or_changed_kind_is_an_error() {
        let dir = std::env::temp_dir().join(format!("vigil-vanish-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("gone.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        std::fs::remove_file(&path).unwrap();
        let err = load(&path, "gone.py").unwrap_err();
        assert_eq!(err.to_string(), "gone.py: no such file (or a broken symlink)");
        std::fs::create_dir(&path).unwrap();
        assert_eq!(load(&path, "gone.py").unwrap_err().reason, "is a directory");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn decoded(text: &str, name: &str, origin: Origin) -> Result<SourceFile, InputError> {
        decode(text.as_bytes().to_vec(), name.to_string(), origin)
    }

    #[test]
    fn bom_is_dropped_and_nul_rejected() {
        let file = decoded("\u{feff}x = 1\n", "a.py", Origin::PythonFile).unwrap();
        assert_eq!(file.text, "x = 1\n");
        assert!(
            decoded("x\0", "a.py", Origin::PythonFile)
                .unwrap_err()
                .reason
                .contains("NUL")
        );
    }

    #[test]
    fn prose_named_explicitly_is_neither_python_nor_a_listing() {
        let err = decoded("This is vigil.\nRun it.\n", "README.txt", Origin::OtherFile).unwrap_err();
        assert!(
            err.reason
                .starts_with("neither Python (not a .py file, no python shebang, and line 1 does not parse: "),
            "{err}"
        );
        assert!(
            err.reason
                .ends_with(") nor a review-request listing (numbered lines `N <code>`); skipped"),
            "{err}"
        );
        // The same text is Python when the name or standard input says so:
        // syntax errors are then warnings of the review.
        assert!(decoded("This is vigil.\n", "a.py", Origin::PythonFile).is_ok());
        assert!(decoded("This is vigil.\n", "-", Origin::Stdin).is_ok());
    }

    #[test]
    fn other_files_that_parse_or_have_a_shebang_are_python() {
        let file = decoded("import os\nos.system(x)\n", "notes.txt", Origin::OtherFile).unwrap();
        assert_eq!((file.text.as_str(), file.request), ("import os\nos.system(x)\n", None));
        // A script is Python even when it does not parse (Python 2), and even
        // when two of its lines look like listing lines.
        let script = "#!/usr/bin/env python\nprint 'hi'\n1 2\n3 4\n";
        let file = decoded(script, "bin/tool", Origin::OtherFile).unwrap();
        assert_eq!((file.text.as_str(), file.request), (script, None));
        assert!(decoded("#!/bin/sh\necho hi\n", "run", Origin::OtherFile).is_err());
        assert!(decoded("", "empty.txt", Origin::OtherFile).is_ok());
    }

    #[test]
    fn listings_are_recognised_in_other_files_and_standard_input() {
        for origin in [Origin::OtherFile, Origin::Stdin] {
            let file = decoded("Review this.\n10 import os\n11 os.system(x)\n", "r.txt", origin).unwrap();
            assert_eq!(file.line_numbers, vec![10, 11]);
        }
        let file = decoded("10 import os\n11 os.system(x)\n", "a.py", Origin::PythonFile).unwrap();
        assert!(file.line_numbers.is_empty(), "a .py file is never a listing");
    }
}
