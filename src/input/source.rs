//! One unit of review: a path, its Python text and the map from the text's
//! lines to the line numbers the user sees.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::listing::{self, Listing};

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

/// Reads one file. `.py`/`.pyw`/`.pyi` files (and files with a python shebang)
/// are Python; anything else is tried as a review-request listing first.
pub fn load(path: &Path, shown: &str) -> Result<SourceFile, InputError> {
    load_with(path, shown, is_python_name(path))
}

/// Reads a file known to be Python, never as a listing: in a change review
/// the diff's line numbers are the file's own.
pub fn load_python(path: &Path, shown: &str) -> Result<SourceFile, InputError> {
    load_with(path, shown, true)
}

fn load_with(path: &Path, shown: &str, python_by_name: bool) -> Result<SourceFile, InputError> {
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
    decode(bytes, shown.to_string(), python_by_name)
}

/// Reads standard input: a listing when it looks like one, Python otherwise.
pub fn load_stdin() -> Result<SourceFile, InputError> {
    read_stdin("-", false)
}

/// Reads standard input as the file `name` (`--stdin-filename`: an editor's
/// buffer): shown as `name`, and Python without a second look when the name
/// says so, as that file would be.
pub fn load_stdin_as(name: &Path) -> Result<SourceFile, InputError> {
    read_stdin(&shown_path(name), is_python_name(name))
}

fn read_stdin(shown: &str, python_by_name: bool) -> Result<SourceFile, InputError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::new(shown, io_reason(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(InputError::new(shown, "standard input is over the 64 MiB limit"));
    }
    decode(bytes, shown.to_string(), python_by_name)
}

/// Turns raw bytes into a reviewable file: the one path from bytes to text,
/// shared by files, standard input and the fuzz target.
pub fn decode(bytes: Vec<u8>, shown: String, python_by_name: bool) -> Result<SourceFile, InputError> {
    if bytes.contains(&0) {
        return Err(InputError::new(
            &shown,
            "contains NUL bytes: not a Python source file; skipped",
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        InputError::new(
            &shown,
            format!(
                "is not valid UTF-8 (first bad byte at offset {}); skipped",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    if text.starts_with('\u{feff}') {
        // The BOM is one character of three bytes; replacing it with spaces
        // would shift columns, so drop it (Python ignores it too).
        text.drain(..'\u{feff}'.len_utf8());
    }
    if !python_by_name && let Some(listing) = listing::parse(&text).map_err(|e| InputError::new(&shown, e))? {
        return Ok(SourceFile::from_listing(shown, listing));
    }
    Ok(SourceFile::plain(shown, text))
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

    #[test]
    fn bom_is_dropped_and_nul_rejected() {
        let file = decode("\u{feff}x = 1\n".as_bytes().to_vec(), "a.py".into(), true).unwrap();
        assert_eq!(file.text, "x = 1\n");
        assert!(
            decode(b"x\0".to_vec(), "a.py".into(), true)
                .unwrap_err()
                .reason
                .contains("NUL")
        );
    }
}
