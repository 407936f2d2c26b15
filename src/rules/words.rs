//! Words the checks look for in source text before walking a tree again.
//!
//! Several families filter a function body (or a module) by the names of
//! the APIs they are about (`exists`, `mktemp`, `Popen(`...): a body that
//! does not write the name cannot hold the call. Asked one word at a time,
//! that is a pass over the text per word, per body and per family (and a
//! body nested in another is read again). [`Places`] finds each word in a
//! module once, when first asked; `Context` keeps it, and a body's answer
//! is then a binary search. The words are the families' own tables.

use crate::fxhash::FxHashMap as HashMap;
use std::cell::RefCell;

use memchr::memmem;
use ruff_text_size::TextRange;

/// Which words a text contains, as asked: each answer is looked up in the
/// module's [`Places`] when first wanted.
#[derive(Clone, Copy)]
pub struct Words<'p> {
    places: &'p Places,
    text: &'p str,
    /// The part of the text asked about (`None`: all of it).
    range: Option<TextRange>,
}

impl Words<'_> {
    /// Whether the text contains `word`.
    pub fn has(&self, word: &'static str) -> bool {
        self.places.with_starts(self.text, word, |starts| match self.range {
            None => !starts.is_empty(),
            Some(range) => {
                let first = starts.partition_point(|&at| at < range.start().to_u32());
                starts
                    .get(first)
                    .is_some_and(|&at| at + word.len() as u32 <= range.end().to_u32())
            }
        })
    }

    /// Whether the text contains any of `words`.
    pub fn any(&self, words: &[&'static str]) -> bool {
        words.iter().any(|w| self.has(w))
    }
}

/// Where each word asked about occurs in a module's text, found the first
/// time a check asks about it (one fast substring search over the module);
/// each body's answer is then a binary search. One module's, on one thread.
#[derive(Default)]
pub struct Places {
    /// For each word, the offsets where it starts, in order.
    starts: RefCell<HashMap<&'static str, Vec<u32>>>,
}

impl Places {
    /// No word searched for yet; `text` is given with each question (it
    /// must be the same text every time).
    pub fn new() -> Places {
        Places::default()
    }

    /// The words of the whole of `text`.
    pub fn whole<'p>(&'p self, text: &'p str) -> Words<'p> {
        Words {
            places: self,
            text,
            range: None,
        }
    }

    /// The words that lie wholly inside `range` of `text`.
    pub fn within<'p>(&'p self, text: &'p str, range: TextRange) -> Words<'p> {
        Words {
            places: self,
            text,
            range: Some(range),
        }
    }

    fn with_starts<T>(&self, text: &str, word: &'static str, answer: impl FnOnce(&[u32]) -> T) -> T {
        let mut places = self.starts.borrow_mut();
        let starts = places.entry(word).or_insert_with(|| {
            let bytes = text.as_bytes();
            let finder = memmem::Finder::new(word.as_bytes());
            // Overlapping occurrences too (` not in not in `): a body may
            // start inside the first.
            let mut starts = Vec::new();
            let mut from = 0;
            while let Some(at) = bytes.get(from..).and_then(|rest| finder.find(rest)) {
                starts.push((from + at) as u32);
                from += at + 1;
            }
            starts
        });
        answer(starts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASKED: &[&str] = &[
        "exists", "lexists", "wait(", "ession(", "mktemp", "Popen(", "stat", " not in ",
    ];

    #[test]
    fn finds_the_words_a_substring_search_finds() {
        let text = "if os.path.lexists(p) and not x.wait(1):\n    s = requests.Session()\n";
        let places = Places::new();
        let words = places.whole(text);
        for w in ASKED {
            assert_eq!(words.has(w), text.contains(w), "{w}");
        }
        assert!(words.any(&["exists", "mktemp"]));
        assert!(!words.any(&["mktemp", "Popen("]));
    }

    #[test]
    fn a_range_holds_the_words_wholly_inside_it() {
        let text = "a = os.stat(p)\nb = mktemp() # not in not in\n";
        let places = Places::new();
        for (from, to) in [
            (0, 99),
            (0, 14),
            (4, 15),
            (5, 30),
            (9, 11),
            (15, 28),
            (31, 99),
            (32, 99),
        ] {
            let to = to.min(text.len());
            let range = TextRange::new((from as u32).into(), (to as u32).into());
            let words = places.within(text, range);
            for w in ASKED {
                assert_eq!(words.has(w), text[from..to].contains(w), "{w} in {from}..{to}");
            }
        }
    }
}
