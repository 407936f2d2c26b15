//! Parsing with `ruff_python_parser`, which recovers from syntax errors: a file
//! with a Python 2 `print` statement still yields a tree for the rest.

use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::Parsed;
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};

use super::suppression::Suppressions;

/// A syntax error the parser recovered from, with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyntaxProblem {
    pub line: u32,
    pub message: String,
}

/// A parsed module and the per-file facts every rule needs.
pub struct ParsedModule {
    pub parsed: Parsed<ModModule>,
    pub lines: LineIndex,
    pub suppressions: Suppressions,
    pub syntax_errors: Vec<SyntaxProblem>,
}

impl ParsedModule {
    /// The 1-based line of `offset`.
    pub fn line_of(&self, offset: TextSize) -> u32 {
        self.lines.line_index(offset).get() as u32
    }
}

pub fn parse(text: &str) -> ParsedModule {
    let parsed = ruff_python_parser::parse_unchecked_source(text, PySourceType::Python);
    let lines = LineIndex::from_source_text(text);
    let suppressions = Suppressions::from_tokens(parsed.tokens(), text, &lines);
    let syntax_errors = parsed
        .errors()
        .iter()
        .map(|e| SyntaxProblem {
            line: lines.line_index(e.range().start()).get() as u32,
            message: e.error.to_string(),
        })
        .collect();
    ParsedModule {
        parsed,
        lines,
        suppressions,
        syntax_errors,
    }
}
