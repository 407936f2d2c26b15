//! Reading the model's answers: strict JSON in the schema asked for, and
//! for discovery, every line number and quoted fragment checked against the
//! code that was sent.
//!
//! Nothing here trusts the model. An answer that is prose, broken JSON, or
//! JSON of another shape is an [`AnswerError`]; a discovered defect whose
//! line is not in the part of the file the model saw, or whose quoted code
//! is not on that line, is a [`Rejection`], counted and never shown.

use std::fmt;

use serde_json::{Map, Value};

use super::prompt::{Chunk, Numbered};
use crate::rules::Level;

/// Longer explanations are cut here: a reviewer reads a paragraph, not an essay.
const MAX_TEXT_CHARS: usize = 1200;

/// A quoted fragment must hold at least this many non-blank characters: `(`
/// is on many lines and proves nothing.
const MIN_QUOTE_CHARS: usize = 4;

/// Why an answer as a whole cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// No JSON object at all: the model wrote prose.
    Prose(String),
    /// Something like JSON that does not parse (often cut short).
    InvalidJson(String),
    /// Valid JSON that is not the schema asked for.
    Schema(String),
    /// The server says the model refused.
    Refused(String),
    /// Cut at the token limit (`finish_reason: length`).
    Truncated,
}

impl AnswerError {
    /// A short name for counting in the summary.
    pub fn kind(&self) -> &'static str {
        match self {
            AnswerError::Prose(_) => "prose instead of JSON",
            AnswerError::InvalidJson(_) => "malformed JSON",
            AnswerError::Schema(_) => "JSON outside the schema",
            AnswerError::Refused(_) => "refused",
            AnswerError::Truncated => "truncated",
        }
    }
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerError::Prose(start) => write!(f, "the model answered in prose, not JSON: {start}"),
            AnswerError::InvalidJson(e) => write!(f, "the model's JSON does not parse: {e}"),
            AnswerError::Schema(e) => write!(f, "the model ignored the schema: {e}"),
            AnswerError::Refused(why) => write!(f, "the model refused: {why}"),
            AnswerError::Truncated => {
                f.write_str("the model's answer was cut at the token limit (--llm-max-tokens raises it)")
            }
        }
    }
}

/// A model's triage of one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub keep: bool,
    pub confidence: Level,
    pub explanation: String,
    pub fix: String,
}

/// One defect the model reported, as it reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub line: i64,
    pub code: String,
    pub cwe: i64,
    pub description: String,
    pub solution: String,
}

/// A claim that passed the checks: its line is in the code sent, its quote
/// is on that line (and those after it, for a quote of several lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The line as the user numbers it, and the last line the quote covers.
    pub line: u32,
    pub end_line: u32,
    /// Index in `Numbered::lines` of `line`.
    pub index: usize,
    /// 1-based character column where the quote starts on `line`.
    pub column: u32,
    pub cwe: u32,
    pub code: String,
    pub description: String,
    pub solution: String,
}

/// Why a claim was not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rejection {
    /// The line is not one the model was shown.
    LineNotInCode,
    /// The quoted code is not on that line.
    QuoteMismatch,
    /// The quote is too short to prove anything.
    QuoteTooShort,
    /// No CWE in range, or empty description.
    Incomplete,
}

impl Rejection {
    pub fn as_str(self) -> &'static str {
        match self {
            Rejection::LineNotInCode => "line not in the code sent",
            Rejection::QuoteMismatch => "quoted code not on that line",
            Rejection::QuoteTooShort => "quoted code too short to check",
            Rejection::Incomplete => "no CWE or no description",
        }
    }
}

/// The JSON object in a model's reply: the whole text, or the whole text
/// inside one Markdown code fence. Anything else around it is prose.
pub fn json_object(content: &str) -> Result<Map<String, Value>, AnswerError> {
    let trimmed = content.trim();
    let inner = strip_fence(trimmed).unwrap_or(trimmed);
    if !inner.starts_with('{') && !inner.starts_with('[') {
        let start: String = inner.chars().take(80).collect();
        return Err(AnswerError::Prose(
            start.split_whitespace().collect::<Vec<_>>().join(" "),
        ));
    }
    match serde_json::from_str::<Value>(inner) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(AnswerError::Schema("the answer is not a JSON object".into())),
        Err(e) if e.is_eof() => Err(AnswerError::InvalidJson(format!("it ends early ({e})"))),
        Err(e) => Err(AnswerError::InvalidJson(e.to_string())),
    }
}

fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("```")?;
    let rest = rest.strip_prefix("json").unwrap_or(rest);
    let rest = rest.strip_suffix("```")?;
    Some(rest.trim())
}

fn text_field(map: &Map<String, Value>, key: &str) -> Result<String, AnswerError> {
    match map.get(key) {
        Some(Value::String(s)) => Ok(cut(s.trim())),
        Some(_) => Err(AnswerError::Schema(format!("`{key}` is not a string"))),
        None => Err(AnswerError::Schema(format!("`{key}` is missing"))),
    }
}

fn only_keys(map: &Map<String, Value>, keys: &[&str]) -> Result<(), AnswerError> {
    match map.keys().find(|k| !keys.contains(&k.as_str())) {
        Some(extra) => Err(AnswerError::Schema(format!("unexpected key `{extra}`"))),
        None => Ok(()),
    }
}

/// A text cut at [`MAX_TEXT_CHARS`], at a word, marked.
fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_TEXT_CHARS {
        return text.to_string();
    }
    let head: String = text.chars().take(MAX_TEXT_CHARS).collect();
    let at = head.rfind(char::is_whitespace).unwrap_or(head.len());
    format!("{}…", head[..at].trim_end())
}

/// A triage answer: `{"verdict", "confidence", "explanation", "fix"}`.
pub fn verdict(content: &str) -> Result<Verdict, AnswerError> {
    let map = json_object(content)?;
    only_keys(&map, &["verdict", "confidence", "explanation", "fix"])?;
    let keep = match text_field(&map, "verdict")?.to_ascii_lowercase().as_str() {
        "keep" => true,
        "drop" => false,
        other => {
            return Err(AnswerError::Schema(format!(
                "`verdict` is `{}`, not `keep` or `drop`",
                other.chars().take(40).collect::<String>()
            )));
        }
    };
    let confidence_text = text_field(&map, "confidence")?;
    let confidence = Level::parse(&confidence_text).ok_or_else(|| {
        AnswerError::Schema(format!(
            "`confidence` is `{}`, not low, medium or high",
            confidence_text.chars().take(40).collect::<String>()
        ))
    })?;
    let explanation = text_field(&map, "explanation")?;
    if explanation.is_empty() {
        return Err(AnswerError::Schema("`explanation` is empty".into()));
    }
    Ok(Verdict {
        keep,
        confidence,
        explanation,
        fix: text_field(&map, "fix")?,
    })
}

/// A discovery answer: `{"findings": [claim...]}`. An item of the wrong
/// shape makes the whole answer unusable (the model ignored the schema);
/// checking claims against the code is [`check`]'s.
pub fn claims(content: &str) -> Result<Vec<Claim>, AnswerError> {
    let map = json_object(content)?;
    only_keys(&map, &["findings"])?;
    let items = match map.get("findings") {
        Some(Value::Array(items)) => items,
        Some(_) => return Err(AnswerError::Schema("`findings` is not a list".into())),
        None => return Err(AnswerError::Schema("`findings` is missing".into())),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(map) = item else {
                return Err(AnswerError::Schema(format!("finding {} is not an object", i + 1)));
            };
            only_keys(map, &["line", "code", "cwe", "description", "solution"])?;
            let line = map
                .get("line")
                .and_then(Value::as_i64)
                .ok_or_else(|| AnswerError::Schema(format!("finding {}: `line` is not a whole number", i + 1)))?;
            let cwe = match map.get("cwe") {
                Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
                // "CWE-78" is what a model writes when it forgets the schema
                // a little; the number is unambiguous.
                Some(Value::String(s)) => s
                    .trim()
                    .trim_start_matches("CWE-")
                    .trim_start_matches("cwe-")
                    .parse()
                    .unwrap_or(0),
                _ => return Err(AnswerError::Schema(format!("finding {}: `cwe` is missing", i + 1))),
            };
            Ok(Claim {
                line,
                code: text_field(map, "code")?,
                cwe,
                description: text_field(map, "description")?,
                solution: text_field(map, "solution")?,
            })
        })
        .collect()
}

fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks a claim against the part of the file the model was shown.
pub fn check(claim: &Claim, file: &Numbered, chunk: &Chunk) -> Result<Checked, Rejection> {
    let cwe = u32::try_from(claim.cwe)
        .ok()
        .filter(|c| (1..=super::model_rule::MAX_CWE).contains(c))
        .ok_or(Rejection::Incomplete)?;
    if claim.description.trim().is_empty() {
        return Err(Rejection::Incomplete);
    }
    let line = u32::try_from(claim.line).map_err(|_| Rejection::LineNotInCode)?;
    let index = file
        .index_of(line)
        .filter(|i| (chunk.first..=chunk.last).contains(i))
        .ok_or(Rejection::LineNotInCode)?;
    // A model quoting the listing often copies the number too.
    let quote = claim.code.trim();
    let quote = quote
        .strip_prefix(&line.to_string())
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .unwrap_or(quote);
    let quote_lines: Vec<String> = quote.lines().map(folded).filter(|l| !l.is_empty()).collect();
    let significant: usize = quote_lines
        .iter()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    if significant < MIN_QUOTE_CHARS {
        return Err(Rejection::QuoteTooShort);
    }
    // The first quoted line is on the claimed line; each next quoted line on
    // the next lines of the part sent.
    let first = folded(&file.lines[index].1);
    let Some(at) = first.find(quote_lines[0].as_str()) else {
        return Err(Rejection::QuoteMismatch);
    };
    for (k, quoted) in quote_lines.iter().enumerate().skip(1) {
        let i = index + k;
        if i > chunk.last || !folded(&file.lines[i].1).contains(quoted.as_str()) {
            return Err(Rejection::QuoteMismatch);
        }
    }
    let end_index = index + quote_lines.len() - 1;
    Ok(Checked {
        line,
        end_line: file.lines[end_index].0,
        index,
        column: column_of(&file.lines[index].1, &first[..at]),
        cwe,
        code: quote.to_string(),
        description: claim.description.clone(),
        solution: claim.solution.clone(),
    })
}

/// The 1-based character column on `line` where the folded prefix
/// `before` ends: the quote's start, counted in the line's own characters.
fn column_of(line: &str, before: &str) -> u32 {
    let wanted = before.chars().filter(|c| !c.is_whitespace()).count();
    let mut seen = 0;
    for (i, c) in line.chars().enumerate() {
        if seen == wanted && !c.is_whitespace() {
            return i as u32 + 1;
        }
        if !c.is_whitespace() {
            seen += 1;
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Numbered {
        Numbered {
            path: "a.py".into(),
            lines: vec![
                (10, "import subprocess".into()),
                (11, "def run(cmd):".into()),
                (12, "    subprocess.call(cmd,  shell=True)".into()),
                (13, "    return open(cmd).read()".into()),
                (20, "x = 1".into()),
            ],
        }
    }

    fn whole() -> Chunk {
        Chunk {
            first: 0,
            last: 4,
            context: None,
        }
    }

    fn claim(line: i64, code: &str) -> Claim {
        Claim {
            line,
            code: code.into(),
            cwe: 78,
            description: "shell".into(),
            solution: "no shell".into(),
        }
    }

    #[test]
    fn a_strict_triage_answer_is_read() {
        let v = verdict(r#"{"verdict":"drop","confidence":"high","explanation":"constant","fix":""}"#).unwrap();
        assert!(!v.keep);
        assert_eq!(v.confidence, Level::High);
        assert_eq!(v.explanation, "constant");
    }

    #[test]
    fn a_fenced_json_answer_is_still_json() {
        let v =
            verdict("```json\n{\"verdict\":\"keep\",\"confidence\":\"low\",\"explanation\":\"e\",\"fix\":\"f\"}\n```");
        assert!(v.unwrap().keep);
    }

    #[test]
    fn prose_is_not_an_answer() {
        let e = verdict("Sure! This finding looks like a real defect because...").unwrap_err();
        assert!(
            matches!(e, AnswerError::Prose(ref s) if s.starts_with("Sure!")),
            "{e:?}"
        );
        let e = verdict("Here is my answer: {\"verdict\": \"keep\"}").unwrap_err();
        assert_eq!(e.kind(), "prose instead of JSON");
    }

    #[test]
    fn malformed_json_is_named() {
        let e = verdict(r#"{"verdict": "keep", "confidence": "high", "expl"#).unwrap_err();
        assert_eq!(e.kind(), "malformed JSON", "{e}");
        let e = verdict(r#"{"verdict": keep}"#).unwrap_err();
        assert_eq!(e.kind(), "malformed JSON", "{e}");
    }

    #[test]
    fn answers_outside_the_schema_are_refused() {
        for (answer, why) in [
            (
                r#"{"verdict":"maybe","confidence":"high","explanation":"e","fix":""}"#,
                "not `keep` or `drop`",
            ),
            (
                r#"{"verdict":"keep","confidence":"sure","explanation":"e","fix":""}"#,
                "not low, medium or high",
            ),
            (
                r#"{"verdict":"keep","confidence":"low","fix":""}"#,
                "`explanation` is missing",
            ),
            (
                r#"{"verdict":"keep","confidence":"low","explanation":"","fix":""}"#,
                "empty",
            ),
            (
                r#"{"verdict":"keep","confidence":"low","explanation":"e","fix":"","note":1}"#,
                "unexpected key",
            ),
            (
                r#"{"verdict":true,"confidence":"low","explanation":"e","fix":""}"#,
                "not a string",
            ),
            ("[1, 2]", "not a JSON object"),
        ] {
            match verdict(answer) {
                Err(AnswerError::Schema(m)) => assert!(m.contains(why), "{answer}: {m}"),
                other => panic!("{answer}: {other:?}"),
            }
        }
        assert!(matches!(claims(r#"{"findings": {}}"#), Err(AnswerError::Schema(_))));
        assert!(matches!(
            claims(r#"{"findings": [{"line": "12", "code": "x", "cwe": 78, "description": "d", "solution": "s"}]}"#),
            Err(AnswerError::Schema(m)) if m.contains("`line`")
        ));
    }

    #[test]
    fn rambling_is_cut() {
        let long = "word ".repeat(1000);
        let answer = format!(r#"{{"verdict":"keep","confidence":"low","explanation":"{long}","fix":""}}"#);
        let v = verdict(&answer).unwrap();
        assert!(v.explanation.chars().count() <= MAX_TEXT_CHARS + 1);
        assert!(v.explanation.ends_with('…'));
    }

    #[test]
    fn a_claim_on_its_line_with_its_code_passes() {
        let c = check(&claim(12, "subprocess.call(cmd, shell=True)"), &file(), &whole()).unwrap();
        assert_eq!((c.line, c.end_line, c.column, c.cwe), (12, 12, 5, 78));
    }

    #[test]
    fn the_line_number_copied_with_the_code_is_ignored() {
        assert!(check(&claim(12, "12     subprocess.call(cmd, shell=True)"), &file(), &whole()).is_ok());
    }

    #[test]
    fn a_wrong_line_is_rejected() {
        // The quote is real, but on the next line: the model's number is off.
        assert_eq!(
            check(&claim(11, "subprocess.call(cmd, shell=True)"), &file(), &whole()),
            Err(Rejection::QuoteMismatch)
        );
        // Lines the file does not have, or the model was not shown.
        assert_eq!(
            check(&claim(15, "x = 1"), &file(), &whole()),
            Err(Rejection::LineNotInCode)
        );
        assert_eq!(
            check(&claim(-3, "x = 1"), &file(), &whole()),
            Err(Rejection::LineNotInCode)
        );
        let part = Chunk {
            first: 0,
            last: 2,
            context: None,
        };
        assert_eq!(
            check(&claim(20, "x = 1"), &file(), &part),
            Err(Rejection::LineNotInCode)
        );
    }

    #[test]
    fn a_mismatched_quote_is_rejected() {
        assert_eq!(
            check(&claim(12, "os.system(cmd)"), &file(), &whole()),
            Err(Rejection::QuoteMismatch)
        );
        assert_eq!(check(&claim(12, "("), &file(), &whole()), Err(Rejection::QuoteTooShort));
        assert_eq!(
            check(&claim(12, "   "), &file(), &whole()),
            Err(Rejection::QuoteTooShort)
        );
    }

    #[test]
    fn a_quote_of_several_lines_must_match_each() {
        let ok = check(
            &claim(12, "subprocess.call(cmd, shell=True)\n    return open(cmd).read()"),
            &file(),
            &whole(),
        )
        .unwrap();
        assert_eq!(ok.end_line, 13);
        assert_eq!(
            check(
                &claim(12, "subprocess.call(cmd, shell=True)\nreturn eval(cmd)"),
                &file(),
                &whole()
            ),
            Err(Rejection::QuoteMismatch)
        );
    }

    #[test]
    fn a_claim_without_a_cwe_is_incomplete() {
        let mut c = claim(12, "subprocess.call(cmd");
        c.cwe = 0;
        assert_eq!(check(&c, &file(), &whole()), Err(Rejection::Incomplete));
        let parsed = claims(
            r#"{"findings": [{"line": 12, "code": "subprocess.call(cmd", "cwe": "CWE-78", "description": "d", "solution": "s"}]}"#,
        )
        .unwrap();
        assert_eq!(parsed[0].cwe, 78);
    }
}
