//! Name patterns in model rows: a dotted qualified name where `*` stands for
//! any run of characters. A leading `*.` also matches no prefix at all, so
//! `*.utils.execute` matches `utils.execute` and `nova.utils.execute`.
//! Alternatives are separated by `|` (`create|update`).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    hint: String,
    /// The alternatives of a pattern with `|`, each a pattern of its own
    /// (made once: patterns are matched against every call).
    alternatives: Vec<Pattern>,
}

impl Pattern {
    pub fn new(text: &str) -> Pattern {
        let hint = text.split('*').max_by_key(|s| s.len()).unwrap_or("").to_string();
        let alternatives = if text.contains('|') {
            text.split('|').map(Pattern::new).collect()
        } else {
            Vec::new()
        };
        Pattern {
            text: text.to_string(),
            hint,
            alternatives,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_exact(&self) -> bool {
        !self.text.contains('*')
    }

    /// The last dotted segment when it has no wildcard (used to index rows).
    pub fn literal_last_segment(&self) -> Option<&str> {
        let last = self.text.rsplit('.').next()?;
        (!last.contains('*')).then_some(last)
    }

    /// The longest run of literal text in the pattern: a name the pattern
    /// matches contains it (used to skip most patterns quickly).
    pub fn hint(&self) -> &str {
        &self.hint
    }

    pub fn matches(&self, name: &str) -> bool {
        if !self.alternatives.is_empty() {
            return self.alternatives.iter().any(|alt| alt.matches(name));
        }
        if let Some(rest) = self.text.strip_prefix("*.")
            && glob(rest.as_bytes(), name.as_bytes())
        {
            return true;
        }
        glob(self.text.as_bytes(), name.as_bytes())
    }
}

/// Whether `needle` occurs in `haystack`, ASCII letters compared without
/// case.
pub fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Glob matching with `*` only, iterative with backtracking to the last star.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while p < pattern.len() && pattern[p] == b'*' {
        p += 1;
    }
    p == pattern.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(Pattern::new("os.system").matches("os.system"));
        assert!(!Pattern::new("os.system").matches("os.systems"));
        assert!(Pattern::new("*.utils.execute").matches("utils.execute"));
        assert!(Pattern::new("*.utils.execute").matches("nova.utils.execute"));
        assert!(!Pattern::new("*.utils.execute").matches("nova.myutils.execute"));
        assert!(Pattern::new("*password*").matches("admin_password"));
        assert!(Pattern::new("hashlib.sha*").matches("hashlib.sha1"));
        assert!(Pattern::new("create|update").matches("update"));
        assert!(!Pattern::new("create|update").matches("_update"));
        assert_eq!(Pattern::new("*.execute").literal_last_segment(), Some("execute"));
        assert_eq!(Pattern::new("*password*").literal_last_segment(), None);
        assert_eq!(Pattern::new("*.exception.*").hint(), ".exception.");
    }
}
