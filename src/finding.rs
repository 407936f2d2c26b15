//! [`Finding`]: the contract between the checks and every output format.
//!
//! A finding carries everything a report prints, already in the user's line
//! numbers (a listing's own numbers, not the rebuilt text's), so `report`
//! never goes back to the source.

use serde::Serialize;

use ruff_source_file::LineIndex;

use crate::input::SourceFile;
use crate::rules::{Diagnostic, Level, Rule};

/// At most this many source lines are quoted with a finding.
const MAX_SNIPPET_LINES: usize = 6;

/// Lines of source shown before and after a defect in [`Finding::context`].
const CONTEXT_LINES: u32 = 3;

/// At most this many lines of a long defect (a multi-line statement) are
/// part of its context, and at most `MAX_CONTEXT_LINES` in all.
const MAX_CONTEXT_DEFECT_LINES: u32 = 12;
const MAX_CONTEXT_LINES: usize = 60;

#[derive(Debug, Clone, Serialize)]
pub struct SnippetLine {
    pub line: u32,
    pub text: String,
}

/// One step of a finding's path, in the user's line numbers.
#[derive(Debug, Clone, Serialize)]
pub struct FlowStep {
    pub line: u32,
    pub column: u32,
    pub note: String,
}

/// A mechanical fix in the user's coordinates: replace the text from
/// (`line`, `column`) up to (`end_line`, `end_column`) with `replacement`.
#[derive(Debug, Clone, Serialize)]
pub struct FindingEdit {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub replacement: String,
}

/// What a language model said of a finding of the analysis (`--llm`
/// triage, see `llm`). The analysis's own text stays beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelTriage {
    /// The model's name, as the server was asked for it.
    pub model: String,
    /// Whether the model judged it a real defect in this code.
    pub keep: bool,
    pub confidence: Level,
    /// The model's explanation for this code (its reason, when it drops it).
    pub explanation: String,
    /// The model's fix for this code (may be empty when it drops it).
    pub fix: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub path: String,
    /// First and last line of the defect, as the user numbers them.
    pub line: u32,
    pub end_line: u32,
    /// 1-based column in characters.
    pub column: u32,
    pub end_column: u32,
    #[serde(skip)]
    pub rule: &'static Rule,
    pub severity: Level,
    pub confidence: Level,
    /// The severity Bandit's report gives it (Bandit's grade, which the
    /// review may refine).
    #[serde(skip)]
    pub bandit_severity: Level,
    /// One fact about this code.
    pub message: String,
    /// Why it is exploitable: what the check said of this code (`detail`)
    /// followed by the rule's general explanation.
    pub description: String,
    /// What the check said of this code alone, when it said more than the
    /// message; the text review prints the rule's explanation once.
    #[serde(skip)]
    pub detail: Option<String>,
    /// What to change.
    pub solution: String,
    pub snippet: Vec<SnippetLine>,
    /// The source around the defect and around each step of its path in
    /// this file, in order, for reports that show code in context (`html`);
    /// not every line between them.
    #[serde(skip)]
    pub context: Vec<SnippetLine>,
    /// The path to the defect (source to sink, check to use); may be empty.
    pub steps: Vec<FlowStep>,
    /// A mechanical fix, where the rule has one.
    pub edit: Option<FindingEdit>,
    /// Stable identity across line moves (see `fingerprint`); set by the review.
    pub fingerprint: String,
    /// Other rules that reported this same defect here (see `fusion`),
    /// each as it would have been reported alone.
    #[serde(skip)]
    pub also: Vec<Finding>,
    /// The dataflow analysis proved that only constants reach this
    /// finding's sink: nothing outside the code decides what it does.
    #[serde(skip)]
    pub only_constants: bool,
    /// 0-based byte columns, as Bandit reports them.
    #[serde(skip)]
    pub col_offset: u32,
    #[serde(skip)]
    pub end_col_offset: u32,
    /// The lines of the text (not the display numbers) a suppression comment
    /// may sit on: the defect's own lines and its enclosing simple statement.
    #[serde(skip)]
    pub suppression_lines: (u32, u32),
    /// The language model's triage (`--llm`), when it gave one.
    #[serde(skip)]
    pub triage: Option<Box<ModelTriage>>,
    /// For a defect a language model reported (`--llm` discovery, its line
    /// and quoted code checked against the file): the model's name. `None`
    /// for every finding of the analysis.
    #[serde(skip)]
    pub found_by_model: Option<String>,
}

impl Finding {
    /// A finding from `diag`, in `file` whose line index is `lines`.
    pub fn new(diag: Diagnostic, file: &SourceFile, lines: &LineIndex, statement: (u32, u32)) -> Finding {
        let text = file.text.as_str();
        let start = lines.line_column(diag.range.start(), text);
        let end = lines.line_column(diag.range.end(), text);
        let (start_line, end_line) = (start.line.get() as u32, end.line.get() as u32);
        let line_start_offset = lines.line_start(start.line, text);
        let end_line_start = lines.line_start(end.line, text);
        let snippet = (start_line..=end_line)
            .take(MAX_SNIPPET_LINES)
            .map(|l| SnippetLine {
                line: file.display_line(l),
                text: restore_indent(line_text(lines, text, l), file.indent),
            })
            .collect();
        let step_lines: Vec<u32> = diag
            .steps
            .iter()
            .map(|step| lines.line_index(step.range.start()).get() as u32)
            .collect();
        let steps = diag
            .steps
            .iter()
            .map(|step| {
                let at = lines.line_column(step.range.start(), text);
                FlowStep {
                    line: file.display_line(at.line.get() as u32),
                    column: at.column.get() as u32 + file.indent,
                    note: step.note.clone(),
                }
            })
            .collect();
        let context = context_lines(lines, text, (start_line, end_line), &step_lines)
            .into_iter()
            .map(|l| SnippetLine {
                line: file.display_line(l),
                text: restore_indent(line_text(lines, text, l), file.indent),
            })
            .collect();
        let edit = diag.edit.as_ref().map(|edit| {
            let from = lines.line_column(edit.range.start(), text);
            let to = lines.line_column(edit.range.end(), text);
            FindingEdit {
                line: file.display_line(from.line.get() as u32),
                column: from.column.get() as u32 + file.indent,
                end_line: file.display_line(to.line.get() as u32),
                end_column: to.column.get() as u32 + file.indent,
                replacement: edit.replacement.clone(),
            }
        });
        let description = match &diag.detail {
            Some(detail) => format!("{} {}", detail, diag.rule.docs.why),
            None => diag.rule.docs.why.to_string(),
        };
        Finding {
            path: file.path.clone(),
            line: file.display_line(start_line),
            end_line: file.display_line(end_line),
            column: start.column.get() as u32 + file.indent,
            end_column: end.column.get() as u32 + file.indent,
            rule: diag.rule,
            severity: diag.severity,
            bandit_severity: diag.bandit_severity.unwrap_or(diag.severity),
            confidence: diag.confidence,
            message: diag.message,
            description,
            detail: diag.detail,
            solution: diag.fix.unwrap_or_else(|| diag.rule.docs.fix.to_string()),
            snippet,
            context,
            steps,
            edit,
            fingerprint: String::new(),
            also: Vec::new(),
            only_constants: false,
            col_offset: u32::from(diag.range.start() - line_start_offset) + file.indent,
            end_col_offset: u32::from(diag.range.end() - end_line_start) + file.indent,
            suppression_lines: (statement.0.min(start_line), statement.1.max(end_line)),
            triage: None,
            found_by_model: None,
        }
    }

    /// The order of findings in every machine report: by path, line,
    /// column, rule.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (&self.path, self.line, self.column, self.rule.id, &self.message)
    }

    /// The rule that reported the finding, then every rule fused into it.
    pub fn rules(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        std::iter::once(self.rule).chain(self.also.iter().map(|f| f.rule))
    }

    /// Every name a suppression comment may use for this finding: the ids,
    /// Bandit ids and names of each rule that reported it.
    pub fn names(&self) -> Vec<&'static str> {
        self.rules().flat_map(|r| r.names()).collect()
    }
}

/// The lines of the text (1-based) to show around a defect on `defect`
/// (first and last line) whose path steps are on `steps`: a few lines on
/// either side of the defect and one on either side of each step, sorted,
/// each once, and bounded so that a long statement cannot quote a file.
fn context_lines(lines_index: &LineIndex, text: &str, defect: (u32, u32), steps: &[u32]) -> Vec<u32> {
    let last_line = lines_index.line_count() as u32;
    let (first, last) = (defect.0, defect.1.min(defect.0 + MAX_CONTEXT_DEFECT_LINES - 1));
    let mut wanted: Vec<(u32, u32)> = vec![(first.saturating_sub(CONTEXT_LINES), last + CONTEXT_LINES)];
    wanted.extend(steps.iter().map(|&s| (s.saturating_sub(1), s + 1)));
    let mut lines: Vec<u32> = wanted
        .into_iter()
        .flat_map(|(from, to)| from.max(1)..=to.min(last_line))
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines.truncate(MAX_CONTEXT_LINES);
    // A text ending in a newline has an empty last "line" after it: not
    // worth showing after the last line of code.
    if lines
        .last()
        .is_some_and(|&l| l == last_line && line_text(lines_index, text, l).is_empty() && l > last)
    {
        lines.pop();
    }
    lines
}

/// A quoted line as the user wrote it, with a listing's indentation back.
fn restore_indent(line: &str, indent: u32) -> String {
    if indent == 0 || line.is_empty() {
        line.to_string()
    } else {
        format!("{}{}", " ".repeat(indent as usize), line)
    }
}

fn line_text<'t>(lines: &LineIndex, text: &'t str, line: u32) -> &'t str {
    let index = ruff_source_file::OneIndexed::new(line as usize).unwrap_or(ruff_source_file::OneIndexed::MIN);
    let range = lines.line_range(index, text);
    text[range].trim_end_matches(['\n', '\r'])
}
