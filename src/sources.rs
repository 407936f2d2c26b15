//! The files of one review, read once and parsed once.
//!
//! The dataflow project pass reads every file's imports, then parses the
//! files other modules import for their structure, analyses them in round
//! one and again in later rounds, and the review parses each file for the
//! pattern rules. [`Sources`] keeps each file's text and tree between those
//! stages so that no file is read or parsed twice, within a memory budget:
//! past [`TREE_BUDGET_BYTES`] of source text, further trees are parsed again
//! when asked for rather than kept. A tree is a pure function of its text,
//! so what is kept never changes a result, only the time it takes.
//!
//! Neighbours: `project::facts` hands a `Sources` to the engine
//! (`flow::project::ModuleSources`); `pipeline::review_files` takes each
//! file's tree from it when the text it reviews is the one parsed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::cache::Key;
use crate::cache::seen_files::{SeenFile, SeenFiles, Stat};
use crate::flow::project::ModuleSources;
use crate::input::{self, InputError, SourceFile};
use crate::python::{self, ParsedModule};

/// Trees are kept for at most this much source text in all. A tree takes
/// about ten times its text (ruff's nodes, tokens and line index); Nova's
/// non-test code, 7 MB of text, stays within it.
pub const TREE_BUDGET_BYTES: usize = 24 * 1024 * 1024;

/// One file: read on first use, parsed on first use.
struct Slot {
    path: PathBuf,
    file: OnceLock<Result<SourceFile, InputError>>,
    /// The key of its text (`cache::Key::of_text`), made once.
    text_key: OnceLock<Option<Key>>,
    tree: Mutex<Option<Arc<ParsedModule>>>,
    /// Its metadata, taken before it is read, and whether it had settled
    /// (`cache::seen_files`).
    stat: OnceLock<Option<(Stat, bool)>>,
    /// The last run's entry for it, if it still holds (then its text key,
    /// length and imports are that entry's, and it is read only if its
    /// text or tree is asked for).
    seen: OnceLock<Option<SeenFile>>,
    /// The modules it imports, when scanned from its text this run, with
    /// the module name and package flag they were scanned for.
    imports: OnceLock<(String, bool, Vec<String>)>,
}

/// The files of a project, by index in the order given.
pub struct Sources {
    slots: Vec<Slot>,
    index: HashMap<PathBuf, usize>,
    /// Source bytes whose trees may still be kept.
    budget: AtomicUsize,
    /// What the last run read of each file, when there is a cache.
    seen: Option<Arc<SeenFiles>>,
}

impl Sources {
    pub fn new(files: &[PathBuf]) -> Sources {
        Sources::with_budget(files, TREE_BUDGET_BYTES)
    }

    /// [`Sources::new`] keeping trees for at most `budget` bytes of text.
    pub fn with_budget(files: &[PathBuf], budget: usize) -> Sources {
        Sources {
            slots: files
                .iter()
                .map(|path| Slot {
                    path: path.clone(),
                    file: OnceLock::new(),
                    text_key: OnceLock::new(),
                    tree: Mutex::new(None),
                    stat: OnceLock::new(),
                    seen: OnceLock::new(),
                    imports: OnceLock::new(),
                })
                .collect(),
            index: files.iter().enumerate().map(|(i, p)| (p.clone(), i)).rev().collect(),
            budget: AtomicUsize::new(budget),
            seen: None,
        }
    }

    /// These sources answering from what the last run read of each file
    /// (`seen`), for files whose metadata did not change.
    pub fn remembering(mut self, seen: Arc<SeenFiles>) -> Sources {
        self.seen = Some(seen);
        self
    }

    fn stat(&self, i: usize) -> Option<&(Stat, bool)> {
        let slot = &self.slots[i];
        slot.stat.get_or_init(|| Stat::of(&slot.path)).as_ref()
    }

    /// The last run's entry for file `i`, if its metadata is the same
    /// (looked up once).
    /// File `i`'s length if it is known without reading or stating it (the
    /// project pass read it, or the last run's entry answered for it).
    pub fn known_size(&self, i: usize) -> Option<usize> {
        let slot = &self.slots[i];
        if let Some(Some(seen)) = slot.seen.get() {
            return Some(seen.len as usize);
        }
        slot.file.get()?.as_ref().ok().map(|f| f.text.len())
    }

    fn seen(&self, i: usize) -> Option<&SeenFile> {
        let store = self.seen.as_ref()?;
        let slot = &self.slots[i];
        slot.seen
            .get_or_init(|| {
                let (stat, _) = self.stat(i)?;
                store.find(&input::source::shown_path(&slot.path), stat).cloned()
            })
            .as_ref()
    }

    /// How many files were known by their metadata, and how many were read.
    pub fn seen_counts(&self) -> (usize, usize) {
        let known = self
            .slots
            .iter()
            .filter(|s| matches!(s.seen.get(), Some(Some(_))))
            .count();
        let read = self.slots.iter().filter(|s| s.file.get().is_some()).count();
        (known, read)
    }

    /// The entries of this run's files for the next run: the last run's
    /// where they held, else what this run read of files that had settled
    /// (with the module name their imports were scanned for, which the next
    /// run compares). A file this run did not read nor find has none.
    pub fn seen_entries(&self) -> std::collections::HashMap<String, SeenFile> {
        (0..self.len())
            .filter_map(|i| {
                if let Some(seen) = self.seen(i) {
                    return Some((input::source::shown_path(self.path(i)), seen.clone()));
                }
                let slot = &self.slots[i];
                let Some(Ok(file)) = slot.file.get() else { return None };
                let (stat, settled) = slot.stat.get()?.as_ref()?;
                let (module, is_package, imports) = slot.imports.get()?;
                if !settled {
                    return None;
                }
                let key = self.text_key(i)?;
                let entry = SeenFile::new(*stat, key, file.text.len(), module, *is_package, imports.clone());
                Some((input::source::shown_path(self.path(i)), entry))
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn path(&self, i: usize) -> &Path {
        &self.slots[i].path
    }

    /// File `i` as read (once).
    pub fn file(&self, i: usize) -> &Result<SourceFile, InputError> {
        let slot = &self.slots[i];
        slot.file.get_or_init(|| {
            // Whether the file is known by its metadata is settled before
            // it is read (the metadata is taken first: if the file changes
            // after, the next run finds other metadata).
            let seen = self.seen(i);
            let shown = input::source::shown_path(&slot.path);
            let loaded = input::load(&slot.path, &shown);
            // A file known by its metadata stands for the text its entry
            // names (in the project's key, the memo's identities): a text
            // that changed since, during this run, is not this run's.
            match (loaded, seen) {
                (Ok(file), Some(seen)) if seen.text_key() != Key::of_text(&file.text) => {
                    Err(InputError::new(shown, "changed while it was being reviewed"))
                }
                (loaded, _) => loaded,
            }
        })
    }

    /// The tree of file `i` if it is kept and was parsed from exactly
    /// `text` (the slot gives it up: a file is reviewed once), and the key
    /// of file `i`'s text if `text` is that text (the review read the file
    /// again, unchanged): the texts are compared once for both.
    pub fn take(&self, i: usize, text: &str) -> (Option<Arc<ParsedModule>>, Option<Key>) {
        let slot = &self.slots[i];
        let same = matches!(slot.file.get(), Some(Ok(f)) if f.text == text);
        let tree = slot.tree.lock().ok().and_then(|mut kept| kept.take());
        if tree.is_some() {
            self.refund(i);
        }
        let key = same.then(|| self.text_key(i)).flatten();
        (tree.filter(|_| same), key)
    }

    /// Drops every kept tree but those of `keep` (the files a change review
    /// reports on), once the project pass is done with them.
    pub fn keep_only(&self, keep: &dyn Fn(&Path) -> bool) {
        for (i, slot) in self.slots.iter().enumerate() {
            if keep(&slot.path) {
                continue;
            }
            let dropped = slot.tree.lock().ok().and_then(|mut t| t.take());
            if dropped.is_some() {
                self.refund(i);
            }
        }
    }

    /// The index of `path` among the files, if it is one.
    pub fn index_of(&self, path: &Path) -> Option<usize> {
        self.index.get(path).copied()
    }

    fn text_len(&self, i: usize) -> usize {
        match self.slots[i].file.get() {
            Some(Ok(f)) => f.text.len(),
            _ => 0,
        }
    }

    fn refund(&self, i: usize) {
        self.budget.fetch_add(self.text_len(i), Ordering::Relaxed);
    }

    /// Takes `n` bytes from the budget, if it holds them.
    fn spend(&self, n: usize) -> bool {
        self.budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(n))
            .is_ok()
    }
}

impl ModuleSources for Sources {
    fn text(&self, i: usize) -> Option<&str> {
        self.file(i).as_ref().ok().map(|f| f.text.as_str())
    }

    fn text_key(&self, i: usize) -> Option<Key> {
        *self.slots[i].text_key.get_or_init(|| match self.seen(i) {
            Some(seen) => Some(seen.text_key()),
            None => self.text(i).map(Key::of_text),
        })
    }

    fn size(&self, i: usize) -> usize {
        match self.seen(i) {
            Some(seen) => seen.len as usize,
            None => self.text(i).map_or(0, str::len),
        }
    }

    fn imports(&self, i: usize, module: &str, is_package: bool) -> Vec<String> {
        if let Some(seen) = self.seen(i)
            && seen.module == module
            && seen.is_package == is_package
        {
            return seen.imports.clone();
        }
        let Some(text) = self.text(i) else { return Vec::new() };
        let scanned = crate::flow::modules::scan_imports(text, module, is_package);
        if self.seen.is_some() {
            let _ = self.slots[i]
                .imports
                .set((module.to_string(), is_package, scanned.clone()));
        }
        scanned
    }

    fn parsed(&self, i: usize) -> Option<Arc<ParsedModule>> {
        let text = self.text(i)?;
        let slot = &self.slots[i];
        if let Some(tree) = slot.tree.lock().ok()?.as_ref() {
            return Some(tree.clone());
        }
        let tree = Arc::new(python::parse(text));
        if self.spend(text.len())
            && let Ok(mut kept) = slot.tree.lock()
        {
            *kept = Some(tree.clone());
        }
        Some(tree)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path, texts: &[&str]) -> Vec<PathBuf> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let p = dir.join(format!("m{i}.py"));
                std::fs::write(&p, t).unwrap();
                p
            })
            .collect()
    }

    #[test]
    fn trees_are_kept_within_the_budget_and_given_up_once() {
        let dir = tempfile::tempdir().unwrap();
        let paths = files(dir.path(), &["a = 1\n", "b = 2\n"]);
        // Room for one six-byte file.
        let sources = Sources::with_budget(&paths, 8);
        let first = sources.parsed(0).unwrap();
        assert!(Arc::ptr_eq(&first, &sources.parsed(0).unwrap()), "kept");
        let second = sources.parsed(1).unwrap();
        assert!(!Arc::ptr_eq(&second, &sources.parsed(1).unwrap()), "over the budget");
        assert!(sources.take(0, "a = 2\n").0.is_none(), "another text");
        assert!(sources.take(0, "a = 1\n").0.is_none(), "given up already");
        // The budget came back: file 1's tree is kept now.
        let again = sources.parsed(1).unwrap();
        assert!(Arc::ptr_eq(&again, &sources.parsed(1).unwrap()));
        assert!(sources.take(1, "b = 2\n").0.is_some());
    }

    /// A file known by its metadata stands for its entry's text; if what
    /// is read is another text (the file changed during the run), it is an
    /// error, never a text under another's key.
    #[cfg(unix)]
    #[test]
    fn a_known_file_read_as_another_text_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let paths = files(dir.path(), &["import os\n"]);
        let (stat, _) = Stat::of(&paths[0]).unwrap();
        let build = Key::of(&[b"build"]);
        let entry = SeenFile::new(stat, Key::of_text("import re\n"), 10, "m0", false, vec!["re".into()]);
        let store = SeenFiles::new(dir.path(), build);
        let shown = input::source::shown_path(&paths[0]);
        store.keep(HashMap::from([(shown, entry)]));
        store.save();

        let sources = Sources::new(&paths).remembering(Arc::new(SeenFiles::new(dir.path(), build)));
        assert_eq!(sources.text_key(0), Some(Key::of_text("import re\n")));
        assert_eq!(sources.imports(0, "m0", false), vec!["re".to_string()]);
        assert_eq!(sources.size(0), 10);
        assert!(sources.file(0).is_err());
        // Without the entry, the text is read.
        let sources = Sources::new(&paths);
        assert_eq!(sources.imports(0, "m0", false), vec!["os".to_string()]);
        assert_eq!(sources.text_key(0), Some(Key::of_text("import os\n")));
    }

    #[test]
    fn unreadable_files_have_no_text() {
        let dir = tempfile::tempdir().unwrap();
        let sources = Sources::new(&[dir.path().join("missing.py")]);
        assert!(sources.text(0).is_none());
        assert!(sources.parsed(0).is_none());
        assert!(sources.file(0).is_err());
    }
}
