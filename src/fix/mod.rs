//! `fix`: applying the mechanical edits that findings carry
//! (`Finding::edit`), for `vigil review --fix` and `--show-diff`.
//!
//! A rule attaches an edit only where the replacement is certain and keeps
//! the behaviour for legitimate input (`yaml.load` → `yaml.safe_load`); this
//! module never invents one. It applies the edits of one file that do not
//! overlap ([`apply`]), refuses a result that no longer parses as well as
//! the original did, renders what changed as a unified diff ([`diff`]) and
//! writes files atomically, keeping their permissions ([`write`]).
//!
//! Neighbours: the checks produce the edits (`rules`, carried by
//! `finding`); `cli` decides which files to fix, re-reviews them and
//! reports what is left. Nothing here reads flags.

pub mod apply;
pub mod diff;
pub mod write;

pub use apply::{Applied, Fixed, apply};
