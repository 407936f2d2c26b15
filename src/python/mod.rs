//! `python`: parsing and the facts about a module that rules query.
//!
//! Neighbours: `input` hands over the text; `rules` asks this layer for
//! qualified names ([`names`]), arguments by position or keyword ([`arguments`]),
//! a class's methods ([`classes`]),
//! literal values ([`literal`]) and suppression
//! comments ([`suppression`]). Nothing here knows about rules or findings, and
//! parsing never fails: it returns a tree plus errors.

pub mod arguments;
pub mod classes;
pub mod literal;
pub mod names;
pub mod parse;
pub mod suppression;

pub use parse::{ParsedModule, SyntaxProblem, parse};
