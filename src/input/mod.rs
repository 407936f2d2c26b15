//! `input`: everything that turns what the user named into [`SourceFile`]s.
//!
//! Neighbours: the CLI calls [`discover`] to walk paths and [`load`] to read one
//! file (or standard input); `python` parses the resulting text. Nothing here
//! knows about rules. Bytes become text as CPython decodes source
//! ([`encoding`]: PEP 263 cookies, byte-order marks). A review-request listing
//! (a request, then `N <code>` lines) is unwrapped by [`listing`] so that every
//! finding keeps the listing's own line numbers. [`diff`] reads unified diffs into the lines a change
//! touched.

pub mod diff;
pub mod discover;
pub mod encoding;
pub mod globs;
pub mod listing;
mod python_codecs;
pub mod source;
pub mod test_code;

pub use discover::{Discovered, Walk, discover, discover_excluding, discover_with};
pub use globs::PathGlobs;
pub use source::{InputError, Origin, SourceFile, load, load_python, load_stdin, load_stdin_as};
pub use test_code::TestPaths;
