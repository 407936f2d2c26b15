//! vigil: a security code reviewer for Python, built for OpenStack.
//!
//! The pipeline runs one way: [`input`] (files, listings) → [`python`]
//! (parse, names, suppressions) → [`flow`] (dataflow summaries, computed for
//! the whole project by [`project`]) and [`rules`] (checks) → [`finding`] →
//! [`review`] (filters, with [`filter`]) → [`report`] (formats), with [`cli`] and [`server`] (the
//! editor's) on top and [`config`] (settings from files and flags) beside it; [`fix`] applies the
//! findings' mechanical edits for `--fix`.
//! `ARCHITECTURE.md` at the repository root is the map.

pub mod cache;
pub mod cli;
pub mod config;
pub mod filter;
pub mod finding;
pub mod fingerprint;
pub mod fix;
pub mod flow;
pub mod fusion;
pub mod fxhash;
pub mod input;
pub mod llm;
pub mod pipeline;
pub mod project;
pub mod python;
pub mod report;
pub mod review;
pub mod rules;
pub mod server;
pub mod sources;
pub mod stable_hash;
