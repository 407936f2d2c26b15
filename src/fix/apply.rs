//! Applying a file's edits to its text.
//!
//! Edits are in the user's coordinates (1-based line, 1-based column in
//! characters), which for a plain Python file are the text's own. Edits
//! that overlap an earlier one are left for the next round (the caller
//! re-reviews and applies again). An edit must keep the number of lines, so
//! that every other finding, the lines a change review filters on and the
//! suppression comments all stay where they were. The result must parse
//! with no more syntax errors than the text had; otherwise nothing is
//! applied.

use ruff_source_file::{LineIndex, OneIndexed, PositionEncoding, SourceLocation};
use ruff_text_size::TextSize;

use crate::finding::{Finding, FindingEdit};
use crate::python;
use crate::rules::Rule;

/// One edit applied: which rule's, and where.
#[derive(Debug, Clone)]
pub struct Applied {
    pub rule: &'static Rule,
    pub line: u32,
    pub column: u32,
}

/// A file's text after its edits.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub text: String,
    pub applied: Vec<Applied>,
}

/// The edit a finding offers: its own, or that of a rule fused into it.
pub fn edit_of(f: &Finding) -> Option<(&'static Rule, &FindingEdit)> {
    if let Some(edit) = &f.edit {
        return Some((f.rule, edit));
    }
    f.also.iter().find_map(|a| a.edit.as_ref().map(|e| (a.rule, e)))
}

/// Applies the non-overlapping edits of `findings` (all of the plain file
/// whose text is `text`). `Err` says why the result was refused.
pub fn apply(text: &str, findings: &[Finding]) -> Result<Fixed, String> {
    let index = LineIndex::from_source_text(text);
    let mut edits: Vec<(usize, usize, &str, Applied)> = Vec::new();
    for f in findings {
        let Some((rule, edit)) = edit_of(f) else { continue };
        let (Some(start), Some(end)) = (
            offset(&index, text, edit.line, edit.column),
            offset(&index, text, edit.end_line, edit.end_column),
        ) else {
            continue;
        };
        if end < start || text[start..end].matches('\n').count() != edit.replacement.matches('\n').count() {
            continue;
        }
        let applied = Applied {
            rule,
            line: f.line,
            column: f.column,
        };
        edits.push((start, end, edit.replacement.as_str(), applied));
    }
    edits.sort_by_key(|e| (e.0, e.1));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    let mut applied = Vec::new();
    for (start, end, replacement, what) in edits {
        // Touching or overlapping an earlier edit: left for the next round.
        if start < at || (start == at && !applied.is_empty()) {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(replacement);
        at = end;
        applied.push(what);
    }
    out.push_str(&text[at..]);
    if !applied.is_empty() {
        let before = python::parse(text).syntax_errors.len();
        let after = python::parse(&out).syntax_errors.len();
        if after > before {
            return Err(format!(
                "the fixed text would not parse ({after} syntax error{} where there {} {before}); these edits were left out",
                if after == 1 { "" } else { "s" },
                if before == 1 { "was" } else { "were" },
            ));
        }
    }
    Ok(Fixed { text: out, applied })
}

/// The byte offset of a 1-based (line, character column), when it is in
/// the text.
fn offset(index: &LineIndex, text: &str, line: u32, column: u32) -> Option<usize> {
    let line = OneIndexed::new(line as usize)?;
    let column = OneIndexed::new(column as usize)?;
    if line.get() > index.line_count() {
        return None;
    }
    let location = SourceLocation {
        line,
        character_offset: column,
    };
    let at: TextSize = index.offset(location, text, PositionEncoding::Utf32);
    let at = at.to_usize();
    (at <= text.len() && text.is_char_boundary(at)).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SourceFile;
    use crate::review::{Settings, review};
    use crate::rules::registry::Selection;

    fn findings(text: &str, select: &str) -> Vec<Finding> {
        let selection = Selection::new(&[select.to_string()], &[]).unwrap();
        review(&SourceFile::plain("a.py", text.to_string()), &Settings::new(selection)).findings
    }

    #[test]
    fn edits_apply_in_characters_and_keep_the_rest() {
        let text = "import yaml\n\u{e9} = 1; d = yaml.load(s)\n";
        let found = findings(text, "S506");
        let fixed = apply(text, &found).unwrap();
        assert_eq!(fixed.text, "import yaml\n\u{e9} = 1; d = yaml.safe_load(s)\n");
        assert_eq!(fixed.applied.len(), 1);
        assert_eq!(fixed.applied[0].rule.id, "S506");
    }

    #[test]
    fn overlapping_edits_wait_for_the_next_round() {
        let text = "import yaml\nd = yaml.load(s)\n";
        let mut found = findings(text, "S506");
        found.push(found[0].clone());
        let fixed = apply(text, &found).unwrap();
        assert_eq!(fixed.applied.len(), 1);
        assert_eq!(fixed.text, "import yaml\nd = yaml.safe_load(s)\n");
    }

    #[test]
    fn a_result_that_does_not_parse_is_refused() {
        let text = "import yaml\nd = yaml.load(s)\n";
        let mut found = findings(text, "S506");
        if let Some(edit) = &mut found[0].edit {
            edit.replacement = "(".to_string();
        }
        let err = apply(text, &found).unwrap_err();
        assert!(err.starts_with("the fixed text would not parse"), "{err}");
    }

    #[test]
    fn edits_outside_the_text_are_left_alone() {
        let text = "import yaml\nd = yaml.load(s)\n";
        let mut found = findings(text, "S506");
        if let Some(edit) = &mut found[0].edit {
            edit.line = 99;
            edit.end_line = 99;
        }
        let fixed = apply(text, &found).unwrap();
        assert!(fixed.applied.is_empty());
        assert_eq!(fixed.text, text);
    }
}
