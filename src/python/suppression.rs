//! Suppression comments, read from the token stream so that `# nosec` inside a
//! string is never taken for a comment.
//!
//! Two forms are understood:
//! - Bandit's `# nosec` (everything on the line) and `# nosec B602, B607` or
//!   `# nosec: subprocess_popen_with_shell_equals_true` (those checks only);
//! - vigil's `# vigil: ignore[S602] reason`, whose reason is required: an
//!   exception a reviewer cannot read the reason for is not an exception;
//! - Ruff's `# noqa: S311, E501`: vigil's S ids are the codes Ruff gives the
//!   same checks, so a code that is exactly a vigil id hides that rule, as it
//!   hides Ruff's. A bare `# noqa` speaks to every linter and hides nothing
//!   here, and codes of other linters are left alone.
//!
//! A suppression on any line of a multi-line statement covers the statement,
//! as in Bandit; the filter asks [`Suppressions::lookup`] for each line.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use memchr::memmem;

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_source_file::LineIndex;
use ruff_text_size::Ranged;

/// What one comment suppresses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Suppression {
    /// `# nosec` with no ids: every finding on the line.
    All,
    /// `# nosec` followed by words. As in Bandit, words that name no rule are
    /// ignored, and when none names a rule the comment covers everything.
    Nosec(Vec<String>),
    /// `# vigil: ignore[..] reason`: exactly the rules listed.
    Only(Vec<String>),
    /// `# noqa: CODE, ...`: the rules whose vigil id is one of the codes.
    Noqa(Vec<String>),
}

impl Suppression {
    /// Whether this suppression covers a rule known by any of `names`;
    /// `is_rule` tells which words name some rule at all.
    pub fn covers(&self, names: &[&str], is_rule: impl Fn(&str) -> bool) -> bool {
        let listed = |ids: &[String]| ids.iter().any(|id| names.iter().any(|n| n.eq_ignore_ascii_case(id)));
        match self {
            Suppression::All => true,
            Suppression::Nosec(ids) => !ids.iter().any(|id| is_rule(id)) || listed(ids),
            Suppression::Only(ids) => listed(ids),
            // Ruff's codes are ids, written as they are: names and Bandit ids
            // (B602 is flake8-bugbear's namespace there) do not count.
            Suppression::Noqa(codes) => codes.iter().any(|c| names.iter().any(|n| is_vigil_id(n) && n == c)),
        }
    }

    /// The comment as vigil shows it back: `# nosec B602, B607`.
    pub fn comment(&self) -> String {
        match self {
            Suppression::All => "# nosec".to_string(),
            Suppression::Nosec(ids) => format!("# nosec {}", ids.join(", ")),
            Suppression::Only(ids) => format!("# vigil: ignore[{}]", ids.join(", ")),
            Suppression::Noqa(codes) => format!("# noqa: {}", codes.join(", ")),
        }
    }

    /// Whether the comment belongs to other tools as well (`# noqa`), so
    /// that hiding nothing in vigil does not make it unused.
    pub fn is_shared(&self) -> bool {
        matches!(self, Suppression::Noqa(_))
    }

    /// The ids a comment lists, for checking that they name rules.
    pub fn listed_ids(&self) -> &[String] {
        match self {
            Suppression::All => &[],
            Suppression::Nosec(ids) | Suppression::Only(ids) | Suppression::Noqa(ids) => ids,
        }
    }
}

/// A malformed suppression comment, reported as a warning.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SuppressionProblem {
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Suppressions {
    by_line: BTreeMap<u32, Suppression>,
    pub problems: Vec<SuppressionProblem>,
}

impl Suppressions {
    pub fn from_tokens(tokens: &Tokens, text: &str, lines: &LineIndex) -> Self {
        let mut result = Suppressions::default();
        for token in tokens.iter().filter(|t| t.kind() == TokenKind::Comment) {
            let comment = &text[token.range()];
            let line = lines.line_index(token.start()).get() as u32;
            match parse_comment(comment) {
                Some(Ok(s)) => {
                    result.by_line.insert(line, s);
                }
                Some(Err(message)) => result.problems.push(SuppressionProblem { line, message }),
                None => {}
            }
        }
        result
    }

    /// The first suppression found on any of `lines`.
    pub fn lookup(&self, lines: impl IntoIterator<Item = u32>) -> Option<&Suppression> {
        self.lookup_line(lines).map(|(_, s)| s)
    }

    /// [`Suppressions::lookup`], with the line the comment is on.
    pub fn lookup_line(&self, lines: impl IntoIterator<Item = u32>) -> Option<(u32, &Suppression)> {
        lines.into_iter().find_map(|l| self.by_line.get(&l).map(|s| (l, s)))
    }

    /// Every suppression, by line.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Suppression)> {
        self.by_line.iter().map(|(line, s)| (*line, s))
    }

    pub fn is_empty(&self) -> bool {
        self.by_line.is_empty()
    }
}

/// `None` when the comment is no suppression, `Err` when it is a malformed one.
fn parse_comment(comment: &str) -> Option<Result<Suppression, String>> {
    static VIGIL: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("vigil:"));
    if let Some(at) = VIGIL.find(comment.as_bytes()) {
        return Some(parse_vigil(comment[at + "vigil:".len()..].trim_start()));
    }
    parse_nosec(comment).or_else(|| parse_noqa(comment)).map(Ok)
}

/// Ruff's grammar: `# noqa: CODE[, CODE...]`, `noqa` in any case, codes of
/// capital letters and digits separated by commas or spaces. A bare `# noqa`
/// is none of vigil's business.
fn parse_noqa(comment: &str) -> Option<Suppression> {
    // Most comments are prose: no `q` in any case, no `noqa`.
    memchr::memchr2(b'q', b'Q', comment.as_bytes())?;
    let lower = comment.to_ascii_lowercase();
    let at = lower.find("noqa")?;
    if !comment[..at].trim_end().ends_with('#') {
        return None;
    }
    let rest = comment[at + "noqa".len()..].strip_prefix(':')?;
    let codes: Vec<String> = rest
        .trim_start()
        .split(|c: char| c == ',' || c.is_whitespace())
        .take_while(|w| {
            w.is_empty()
                || (w.starts_with(|c: char| c.is_ascii_uppercase())
                    && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        })
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    (!codes.is_empty()).then_some(Suppression::Noqa(codes))
}

/// vigil's ids: `S`, `R` or `T` and three digits (`S311`, `T078`); Bandit's
/// ids start with `B`.
fn is_vigil_id(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 4 && matches!(b[0], b'S' | b'R' | b'T') && b[1..].iter().all(u8::is_ascii_digit)
}

/// Bandit's grammar: `#\s*nosec:?\s*(tests)?`, where the tests are words
/// separated by commas or spaces, up to the next `#`.
fn parse_nosec(comment: &str) -> Option<Suppression> {
    let mut rest = comment;
    loop {
        let hash = rest.find('#')?;
        let after = rest[hash + 1..].trim_start();
        if let Some(tail) = after.strip_prefix("nosec") {
            let tail = tail.strip_prefix(':').unwrap_or(tail);
            let tests_text = tail.split('#').next().unwrap_or("");
            let ids: Vec<String> = tests_text
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .map(str::to_string)
                .collect();
            return Some(if ids.is_empty() {
                Suppression::All
            } else {
                Suppression::Nosec(ids)
            });
        }
        rest = &rest[hash + 1..];
    }
}

/// `ignore[ID, ID] reason`.
fn parse_vigil(rest: &str) -> Result<Suppression, String> {
    let Some(inner) = rest.strip_prefix("ignore[") else {
        return Err("`# vigil:` must be followed by `ignore[ID] reason`".to_string());
    };
    let Some(close) = inner.find(']') else {
        return Err("`# vigil: ignore[` is missing its closing `]`".to_string());
    };
    let ids: Vec<String> = inner[..close]
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if ids.is_empty() {
        return Err("`# vigil: ignore[]` names no rule; write the ids, e.g. `ignore[S602]`".to_string());
    }
    if inner[close + 1..].trim().is_empty() {
        return Err(format!(
            "`# vigil: ignore[{}]` has no reason; write why the finding is acceptable after the `]`",
            ids.join(", ")
        ));
    }
    Ok(Suppression::Only(ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_nosec_covers_all() {
        assert_eq!(parse_comment("# nosec"), Some(Ok(Suppression::All)));
        assert_eq!(parse_comment("#nosec"), Some(Ok(Suppression::All)));
    }

    #[test]
    fn nosec_with_ids() {
        assert_eq!(
            parse_comment("# nosec B602, B607"),
            Some(Ok(Suppression::Nosec(vec!["B602".into(), "B607".into()])))
        );
        assert_eq!(
            parse_comment("# nosec: B602 # why not"),
            Some(Ok(Suppression::Nosec(vec!["B602".into()])))
        );
    }

    #[test]
    fn vigil_needs_a_reason() {
        assert_eq!(
            parse_comment("# vigil: ignore[S602] the command is a constant"),
            Some(Ok(Suppression::Only(vec!["S602".into()])))
        );
        assert!(matches!(parse_comment("# vigil: ignore[S602]"), Some(Err(_))));
        assert!(matches!(parse_comment("# vigil: skip"), Some(Err(_))));
    }

    #[test]
    fn nosec_with_only_prose_covers_everything() {
        let s = parse_comment("# nosec this is fine").unwrap().unwrap();
        assert!(s.covers(&["B602", "S602"], |w| w == "B602"));
        let s = parse_comment("# nosec B607").unwrap().unwrap();
        assert!(!s.covers(&["B602", "S602"], |w| w == "B607"));
    }

    #[test]
    fn noqa_codes_are_vigil_ids_only() {
        let s = parse_comment("# noqa: S311, E501").unwrap().unwrap();
        assert_eq!(s, Suppression::Noqa(vec!["S311".into(), "E501".into()]));
        let s311 = ["S311", "non-cryptographic-random", "B311", "blacklist"];
        assert!(s.covers(&s311, |_| true));
        assert!(!s.covers(&["S105", "hardcoded-password-string", "B105"], |_| true));
        // Bandit's ids and names are not Ruff codes.
        let by_bandit = parse_comment("# noqa: B311").unwrap().unwrap();
        assert!(!by_bandit.covers(&s311, |_| true));
        assert_eq!(
            parse_comment("#NOQA:S311"),
            Some(Ok(Suppression::Noqa(vec!["S311".into()])))
        );
        // A bare noqa speaks to every linter: not to vigil.
        assert_eq!(parse_comment("# noqa"), None);
        assert_eq!(parse_comment("# noqa # because"), None);
        assert_eq!(parse_comment("# this is noqa: S311 in prose"), None);
    }

    #[test]
    fn ordinary_comments_are_not_suppressions() {
        assert_eq!(parse_comment("# nothing to see"), None);
    }
}
