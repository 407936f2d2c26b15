//! Reading model files: a small, strict subset of TOML with one row per line.
//!
//! A model file is valid TOML, so editors highlight it and a user's own
//! configuration can later use the same syntax, but it is read here line by
//! line so that every error names the file and line of the bad row:
//!
//! ```toml
//! # comments anywhere
//! rows = [
//! { kind = "sink", call = "os.system", args = [0], rule = "T078", labels = ["user"] },
//! ]
//! ```
//!
//! Values are strings (basic `"..."` with the usual escapes, or literal
//! `'...'`), integers, booleans and arrays of those. [`crate::flow::models`]
//! gives the keys their meaning; this module only knows the syntax.

use std::fmt;

/// A value in a row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowValue {
    Str(String),
    Int(i64),
    Bool(bool),
    Array(Vec<RowValue>),
}

impl fmt::Display for RowValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowValue::Str(s) => write!(f, "{s:?}"),
            RowValue::Int(i) => write!(f, "{i}"),
            RowValue::Bool(b) => write!(f, "{b}"),
            RowValue::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// One row: its 1-based line and its keys in the order written.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u32,
    pub keys: Vec<(String, RowValue)>,
}

impl Row {
    pub fn get(&self, key: &str) -> Option<&RowValue> {
        self.keys.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// A problem in a model file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    pub line: u32,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Reads every row of `text`. The file must hold exactly one array named
/// `rows`, each element an inline table on a line of its own.
pub fn read(file: &str, text: &str) -> Result<Vec<Row>, RowError> {
    let err = |line: usize, message: String| RowError {
        file: file.to_string(),
        line: line as u32 + 1,
        message,
    };
    let mut rows = Vec::new();
    let mut inside = false;
    let mut seen_array = false;
    for (n, raw) in text.lines().enumerate() {
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        if !inside {
            if line.replace(' ', "") == "rows=[" && !seen_array {
                inside = true;
                seen_array = true;
                continue;
            }
            return Err(err(
                n,
                format!("expected `rows = [` to open the list of rows, found `{line}`"),
            ));
        }
        if line == "]" {
            inside = false;
            continue;
        }
        let mut cursor = Cursor { text: line, pos: 0 };
        let keys = cursor
            .inline_table()
            .map_err(|m| err(n, format!("{m} (a row is `{{ key = value, ... }},` on one line)")))?;
        cursor.skip_ws();
        if cursor.eat(',') {
            cursor.skip_ws();
        }
        if !cursor.done() {
            return Err(err(n, format!("unexpected `{}` after the row", cursor.rest())));
        }
        rows.push(Row {
            line: n as u32 + 1,
            keys,
        });
    }
    if inside {
        return Err(err(
            text.lines().count().saturating_sub(1),
            "the `rows` list is not closed with `]`".into(),
        ));
    }
    Ok(rows)
}

/// The line without a trailing `# comment` (a `#` inside a string stays).
fn strip_comment(line: &str) -> &str {
    // Every delimiter is ASCII, and no byte of a multi-byte character is:
    // the bytes are read as they come.
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for (i, c) in line.bytes().enumerate() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == b'\\' && q == b'"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'#' => return &line[..i],
                _ => {}
            },
        }
    }
    line
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn done(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        self.skip_ws();
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected `{c}` at `{}`", self.rest()))
        }
    }

    fn inline_table(&mut self) -> Result<Vec<(String, RowValue)>, String> {
        self.expect('{')?;
        let mut keys: Vec<(String, RowValue)> = Vec::new();
        self.skip_ws();
        if self.eat('}') {
            return Ok(keys);
        }
        loop {
            self.skip_ws();
            let key = self.bare_key()?;
            if keys.iter().any(|(k, _)| *k == key) {
                return Err(format!("key `{key}` appears twice"));
            }
            self.expect('=')?;
            self.skip_ws();
            let value = self.value()?;
            keys.push((key, value));
            self.skip_ws();
            if self.eat(',') {
                continue;
            }
            self.expect('}')?;
            return Ok(keys);
        }
    }

    fn bare_key(&mut self) -> Result<String, String> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                self.pos += 1;
            } else {
                break;
            }
        }
        if start == self.pos {
            return Err(format!("expected a key at `{}`", self.rest()));
        }
        Ok(self.text[start..self.pos].to_string())
    }

    fn value(&mut self) -> Result<RowValue, String> {
        match self.peek() {
            Some('"') => self.basic_string().map(RowValue::Str),
            Some('\'') => self.literal_string().map(RowValue::Str),
            Some('[') => self.array(),
            Some(c) if c == '-' || c == '+' || c.is_ascii_digit() => self.integer(),
            Some(_) if self.rest().starts_with("true") => {
                self.pos += 4;
                Ok(RowValue::Bool(true))
            }
            Some(_) if self.rest().starts_with("false") => {
                self.pos += 5;
                Ok(RowValue::Bool(false))
            }
            _ => Err(format!(
                "expected a value (string, integer, boolean or array) at `{}`",
                self.rest()
            )),
        }
    }

    fn array(&mut self) -> Result<RowValue, String> {
        self.expect('[')?;
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.eat(']') {
                return Ok(RowValue::Array(items));
            }
            items.push(self.value()?);
            self.skip_ws();
            if !self.eat(',') {
                self.expect(']')?;
                return Ok(RowValue::Array(items));
            }
        }
    }

    fn integer(&mut self) -> Result<RowValue, String> {
        let start = self.pos;
        if matches!(self.peek(), Some('-' | '+')) {
            self.pos += 1;
        }
        while matches!(self.peek(), Some(c) if c.is_ascii_digit() || c == '_') {
            self.pos += 1;
        }
        let digits: String = self.text[start..self.pos].chars().filter(|c| *c != '_').collect();
        digits
            .parse()
            .map(RowValue::Int)
            .map_err(|_| format!("`{digits}` is not an integer"))
    }

    fn literal_string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let rest = self.rest();
        match rest.find('\'') {
            Some(end) => {
                let s = rest[..end].to_string();
                self.pos += end + 1;
                Ok(s)
            }
            None => Err("unterminated string".into()),
        }
    }

    fn basic_string(&mut self) -> Result<String, String> {
        self.pos += 1;
        // Most strings have no escape: taken whole up to the closing quote.
        let text = self.text;
        let rest = &text[self.pos..];
        if let Some(end) = memchr::memchr2(b'"', b'\\', rest.as_bytes())
            && rest.as_bytes()[end] == b'"'
        {
            self.pos += end + 1;
            return Ok(rest[..end].to_string());
        }
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => {
                    let (_, e) = chars.next().ok_or("unterminated escape")?;
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        'u' => {
                            let hex: String = (0..4).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                            let code = u32::from_str_radix(&hex, 16).map_err(|_| format!("bad escape `\\u{hex}`"))?;
                            out.push(char::from_u32(code).ok_or(format!("bad escape `\\u{hex}`"))?);
                        }
                        other => return Err(format!("unknown escape `\\{other}`")),
                    }
                }
                _ => out.push(c),
            }
        }
        Err("unterminated string".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_with_comments() {
        let text =
            "# header\nrows = [\n{ kind = \"sink\", args = [0, \"cmd\"], ok = true }, # note\n\n{ a = 'x#y' },\n]\n";
        let rows = read("m.toml", text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 3);
        assert_eq!(
            rows[0].get("args"),
            Some(&RowValue::Array(vec![RowValue::Int(0), RowValue::Str("cmd".into())]))
        );
        assert_eq!(rows[1].get("a"), Some(&RowValue::Str("x#y".into())));
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = read("m.toml", "rows = [\n{ kind = \"sink\" },\n{ kind = sink },\n]").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().starts_with("m.toml:3: expected a value"), "{e}");
        let e = read("m.toml", "rows = [\n{ a = 1, a = 2 },\n]").unwrap_err();
        assert!(e.message.contains("appears twice"));
        let e = read("m.toml", "rows = [\n{ a = 1 }\n").unwrap_err();
        assert!(e.message.contains("not closed"));
        let e = read("m.toml", "x = 1\n").unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn escapes() {
        let rows = read("m.toml", "rows = [\n{ a = \"q\\\"\\u0041\" },\n]").unwrap();
        assert_eq!(rows[0].get("a"), Some(&RowValue::Str("q\"A".into())));
    }
}
