//! Words the checks look for in source text before walking a tree again.
//!
//! Several families filter a function body (or a module) by the names of
//! the APIs they are about (`exists`, `mktemp`, `Popen(`...): a body that
//! does not write the name cannot hold the call. Asked one word at a time,
//! that is a pass over the text per word, per body and per family (and a
//! body nested in another is read again). [`Places`] finds each word of
//! [`WORDS`] in a module once, when first asked; `Context` keeps it, and a
//! body's answer is then a binary search.

use std::cell::OnceCell;
use std::sync::OnceLock;

use memchr::memmem;
use ruff_text_size::TextRange;

/// Every word a filter may ask about. A check asking about another word is
/// a defect that `Words::has` reports in debug builds.
pub const WORDS: &[&str] = &[
    // races: the last names of the path checks (`file_operations::PATH_CHECKS`)
    "access",
    "exists",
    "getmtime",
    "getsize",
    "isdir",
    "isfile",
    "islink",
    "lexists",
    "lstat",
    "stat",
    // races: temporary names, read-modify-write, locks, events
    "mktemp",
    "NamedTemporaryFile",
    "save(",
    " not in ",
    "Lock(",
    "Semaphore(",
    "Condition(",
    "wait_for_instance_event",
    "wait(",
    "join(",
    // leaks: acquiring calls (`leaks::ACQUIRING_WORDS`)
    "open(",
    "Popen(",
    "SSHClient(",
    "Transport(",
    "HTTP",
    "FTP(",
    "SMTP(",
    "Telnet(",
    "connect",
    "socket(",
    "dup(",
    "pipe(",
    "openpty(",
    "mkstemp(",
    "mkdtemp(",
    "TemporaryFile(",
    "ZipFile(",
    "fdopen(",
    "get_response(",
    // denial of service: a session made anywhere in the module
    "ession(",
    // images: a body that works on a disk image (`images::IMAGE_WORDS`)
    "qemu-img",
    "qemu_img",
    "QemuImgInfo",
    "convert_image",
    "resize_image",
];

/// Which of [`WORDS`] a text contains, as asked: each answer is looked up
/// in the module's [`Places`] when first wanted.
#[derive(Clone, Copy)]
pub struct Words<'p> {
    places: &'p Places,
    text: &'p str,
    /// The part of the text asked about (`None`: all of it).
    range: Option<TextRange>,
}

impl Words<'_> {
    /// Whether the text contains `word` (one of [`WORDS`]).
    pub fn has(&self, word: &str) -> bool {
        let Some(i) = WORDS.iter().position(|w| *w == word) else {
            debug_assert!(false, "`{word}` is not in rules::words::WORDS");
            return false;
        };
        let starts = self.places.starts(self.text, i);
        match self.range {
            None => !starts.is_empty(),
            Some(range) => {
                let first = starts.partition_point(|&at| at < range.start().to_u32());
                starts
                    .get(first)
                    .is_some_and(|&at| at + word.len() as u32 <= range.end().to_u32())
            }
        }
    }

    /// Whether the text contains any of `words`.
    pub fn any(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.has(w))
    }
}

/// Where each of [`WORDS`] occurs in a module's text, found for each word
/// the first time a check asks about it (one fast substring search over
/// the module); each body's answer is then a binary search.
pub struct Places {
    /// For each word, the offsets where it starts, in order.
    starts: Vec<OnceCell<Vec<u32>>>,
}

impl Default for Places {
    fn default() -> Places {
        Places::new()
    }
}

fn finders() -> &'static [memmem::Finder<'static>] {
    static FINDERS: OnceLock<Vec<memmem::Finder<'static>>> = OnceLock::new();
    FINDERS.get_or_init(|| WORDS.iter().map(|w| memmem::Finder::new(w.as_bytes())).collect())
}

impl Places {
    /// No word searched for yet; `text` is given with each question (it
    /// must be the same text every time).
    pub fn new() -> Places {
        Places {
            starts: WORDS.iter().map(|_| OnceCell::new()).collect(),
        }
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

    fn starts(&self, text: &str, word: usize) -> &[u32] {
        self.starts[word].get_or_init(|| {
            let bytes = text.as_bytes();
            let finder = &finders()[word];
            // Overlapping occurrences too (` not in not in `): a body may
            // start inside the first.
            let mut starts = Vec::new();
            let mut from = 0;
            while let Some(at) = bytes.get(from..).and_then(|rest| finder.find(rest)) {
                starts.push((from + at) as u32);
                from += at + 1;
            }
            starts
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fit_one_bitset_and_are_unique() {
        assert!(WORDS.len() <= 64);
        for (i, w) in WORDS.iter().enumerate() {
            assert!(!WORDS[..i].contains(w), "{w} twice");
        }
    }

    #[test]
    fn the_families_ask_only_about_known_words() {
        for list in [
            crate::rules::leaks::ACQUIRING_WORDS,
            crate::rules::images::IMAGE_WORDS,
            crate::rules::races::PATH_CHECK_WORDS,
        ] {
            for w in list {
                assert!(WORDS.contains(w), "`{w}` is not in WORDS");
            }
        }
    }

    #[test]
    fn finds_the_words_a_substring_search_finds() {
        let text = "if os.path.lexists(p) and not x.wait(1):\n    s = requests.Session()\n";
        let places = Places::new();
        let words = places.whole(text);
        for w in WORDS {
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
            for w in WORDS {
                assert_eq!(words.has(w), text[from..to].contains(w), "{w} in {from}..{to}");
            }
        }
    }
}
