//! An open buffer's text and the two ways of pointing into it: vigil's
//! (1-based lines, 1-based columns in characters) and the protocol's
//! (0-based lines, 0-based columns in UTF-16 code units, the encoding every
//! client supports). Lines end at `\n`, `\r\n` or `\r`, for the protocol as
//! for the parser.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// A buffer's text with where each line starts.
#[derive(Debug, Clone)]
pub struct Text {
    text: String,
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl Text {
    pub fn new(text: String) -> Text {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Text { text, starts }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Line `index` (0-based) without its line ending; empty past the end.
    fn line(&self, index: usize) -> &str {
        let Some(&start) = self.starts.get(index) else {
            return "";
        };
        let end = self.starts.get(index + 1).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The protocol position of vigil's `line` and `column` (both 1-based,
    /// the column in characters). A column past the end of the line (an
    /// exclusive end) counts one unit per missing character.
    pub fn position(&self, line: u32, column: u32) -> Position {
        let index = line.saturating_sub(1) as usize;
        let chars = column.saturating_sub(1) as usize;
        let mut units = 0;
        let mut seen = 0;
        for c in self.line(index).chars().take(chars) {
            units += c.len_utf16();
            seen += 1;
        }
        Position::new(index as u32, (units + chars - seen) as u32)
    }

    /// The protocol range from vigil's start to its (exclusive) end.
    pub fn range(&self, start: (u32, u32), end: (u32, u32)) -> Range {
        Range::new(self.position(start.0, start.1), self.position(end.0, end.1))
    }

    /// The protocol range from `(line, column)` to the end of that line's
    /// code, for a point that stands for what starts there (a path step).
    pub fn rest_of_line(&self, line: u32, column: u32) -> Range {
        let text = self.line(line.saturating_sub(1) as usize).trim_end();
        let end_column = text.chars().count() as u32 + 1;
        self.range((line, column), (line, end_column.max(column)))
    }

    /// The byte offset of a protocol position, clamped to its line (as the
    /// protocol asks of a character past the end) and to the text.
    pub fn offset(&self, at: Position) -> usize {
        let Some(&start) = self.starts.get(at.line as usize) else {
            return self.text.len();
        };
        let line = self.line(at.line as usize);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= at.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }

    /// The text after one change from the client: a whole new text, or a
    /// range replaced.
    pub fn apply(&mut self, change: TextDocumentContentChangeEvent) {
        let text = match change.range {
            None => change.text,
            Some(range) => {
                let (from, to) = (self.offset(range.start), self.offset(range.end));
                let (from, to) = (from.min(to), from.max(to));
                let mut text = String::with_capacity(self.text.len() + change.text.len());
                text.push_str(&self.text[..from]);
                text.push_str(&change.text);
                text.push_str(&self.text[to..]);
                text
            }
        };
        *self = Text::new(text);
    }
}

/// Whether protocol position `at` lies in `range`, its end included (a
/// cursor just after the last character still points at it).
pub fn contains(range: &Range, at: Position) -> bool {
    let key = |p: Position| (p.line, p.character);
    key(range.start) <= key(at) && key(at) <= key(range.end)
}

/// Whether two protocol ranges share a position.
pub fn overlaps(a: &Range, b: &Range) -> bool {
    let key = |p: Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_become_utf16_units() {
        // `😀` is one character and two UTF-16 code units.
        let t = Text::new("x = 1\ny = '😀'; exec(z)\n".to_string());
        assert_eq!(t.position(2, 1), Position::new(1, 0));
        assert_eq!(
            t.position(2, 10),
            Position::new(1, 10),
            "9 characters before `exec`, one wide"
        );
        assert_eq!(t.position(2, 17), Position::new(1, 17), "the exclusive end");
        assert_eq!(t.position(2, 20), Position::new(1, 20), "past the end: one unit each");
        assert_eq!(t.offset(Position::new(1, 10)), "x = 1\ny = '😀'; ".len());
        assert_eq!(t.offset(Position::new(1, 99)), "x = 1\ny = '😀'; exec(z)".len());
        assert_eq!(t.offset(Position::new(9, 0)), t.as_str().len());
    }

    #[test]
    fn every_line_ending_counts() {
        let t = Text::new("a\r\nb\rc\nd".to_string());
        assert_eq!(t.line(0), "a");
        assert_eq!(t.line(1), "b");
        assert_eq!(t.line(2), "c");
        assert_eq!(t.line(3), "d");
        assert_eq!(t.offset(Position::new(3, 0)), 7);
    }

    #[test]
    fn changes_apply_in_order() {
        let mut t = Text::new("import os\nos.system(cmd)\n".to_string());
        t.apply(TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(1, 3), Position::new(1, 9))),
            range_length: None,
            text: "popen".to_string(),
        });
        assert_eq!(t.as_str(), "import os\nos.popen(cmd)\n");
        t.apply(TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "x = 1\n".to_string(),
        });
        assert_eq!(t.as_str(), "x = 1\n");
        assert_eq!(t.position(2, 1), Position::new(1, 0));
    }

    #[test]
    fn ranges() {
        let r = Range::new(Position::new(1, 4), Position::new(1, 9));
        assert!(contains(&r, Position::new(1, 4)));
        assert!(contains(&r, Position::new(1, 9)));
        assert!(!contains(&r, Position::new(1, 10)));
        assert!(overlaps(&r, &Range::new(Position::new(0, 0), Position::new(1, 4))));
        assert!(!overlaps(&r, &Range::new(Position::new(2, 0), Position::new(2, 1))));
    }
}
