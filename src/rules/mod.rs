//! `rules`: every check vigil runs, a folder per family and a file per rule.
//!
//! Neighbours: [`checker`] walks a parsed module (from `python`) and calls
//! the hooks of the enabled rules; [`registry`] lists the rules and resolves
//! the ids, Bandit ids and names a user selects them by. Rules never do I/O
//! and never decide how a finding is shown: they return [`Diagnostic`]s.

pub mod checker;
pub mod defects;
pub mod measured;
mod measured_data;
pub mod registry;
pub mod rule;
pub mod words;

mod authorization;
mod banned_calls;
mod banned_imports;
mod crypto;
mod denial_of_service;
mod exposure;
mod file_modes;
mod frameworks;
mod general;
mod images;
mod injection;
mod leaks;
mod permissions;
mod races;
mod secrets;
mod taint;
mod validation;

pub use checker::{
    CallSite, Context, Diagnostic, Edit, Hook, Hooks, ImportSite, On, check_module, check_module_in_project,
};
pub use rule::{Docs, Family, FamilyRules, Level, Rule, Status};
