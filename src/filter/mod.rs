//! `filter`: review filters that need more than one file's code to decide,
//! each in its own module. `review` applies them to a file's findings after
//! fingerprints are assigned, so occurrence indices always count every
//! finding of the file, whatever a filter later hides.
//!
//! - [`changed_lines`]: keep only findings on lines a change touched.
//! - [`baseline`]: hide findings a baseline file has accepted.
//!
//! Filters never read files; `cli` loads their data.

pub mod baseline;
pub mod changed_lines;

pub use baseline::Baseline;
pub use changed_lines::ChangedLines;
