//! `flow`: interprocedural taint analysis, driven by model files.
//!
//! The engine knows Python, not libraries: everything about `subprocess`,
//! Flask or `processutils.execute` is a row in `models/*.toml` ([`models`]).
//! [`interp`] runs each function abstractly over [`value::Value`]s (taint,
//! constants, containers, types); [`analyze`] does it for a module and turns
//! the result into per-function [`summary::Summary`]s (which parameters
//! reach which sinks and the return value); [`project`] computes summaries
//! for the whole scanned tree in rounds until they stop changing, keeping
//! each function's findings from its last analysis. The taint rules
//! (`rules/taint`) report those findings for each file.
//!
//! Neighbours: reads parsed modules from `python`; `rules/taint` turns
//! [`TaintFinding`]s into diagnostics. No I/O happens here: the project pass
//! gets file texts from a loader its caller provides.

pub mod analyze;
mod fn_memo;
mod held_summary;
use crate::fxhash;
mod interp;
mod levels;
pub mod memo;
pub mod models;
pub(crate) mod modules;
mod pattern;
pub mod project;
mod rows;
pub mod scope;
pub mod summary;
pub mod value;

pub use analyze::{ModuleInput, TaintFinding, analyze};
pub use models::Models;
pub use project::FileEntry;
pub use summary::ProjectFacts;

/// What a review of one file needs to know about the project around it.
#[derive(Clone, Copy)]
pub struct ProjectView<'a> {
    pub facts: &'a ProjectFacts,
    /// The file's module name (`nova.virt.images`).
    pub module: &'a str,
    /// The file's path as shown, the same the project pass used.
    pub path: &'a str,
    pub is_package: bool,
}
