//! What the last run read of each file, by the file's metadata: the key of
//! its text, its length and the modules it imports. A change review must
//! know every file's imports (which files the change's files import, to
//! analyse those) and every text's key (the project's key, the memo's
//! identities); with this, the files whose metadata did not change are
//! not read at all, as git's index spares it the files it stats.
//!
//! A file's entry answers only when its device, inode, size, modification
//! and change times are all the same. An editor, `git checkout`, `cp` and
//! `tar` all set the change time to the time of the change, and nothing
//! but the kernel sets it. A file whose times were less than
//! [`RACY_SECONDS`] before the run read it is not kept: within a
//! timestamp's granularity, an edit made right after the read could leave
//! the times as they were (git's "racily clean" files).
//!
//! One file per build of vigil (`files-<key>.bin`): the import scan is
//! vigil's code, and nothing here depends on the rules or the models. It is
//! written whole (to a temporary file renamed over the old one) when
//! something changed, and checked against a hash when read: a damaged file
//! is a cold one.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use super::Key;
use crate::flow::memo::hash_of;

/// The file's tag (and the format's version).
const MAGIC: &[u8; 8] = b"vigseen1";

/// A file changed less than this long before it was read is read again
/// next time.
pub const RACY_SECONDS: u64 = 2;

/// The metadata that says a file is the one read before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    dev: u64,
    ino: u64,
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Stat {
    /// The metadata of `path` now, and whether it is old enough to be kept
    /// (its times at least [`RACY_SECONDS`] before now).
    #[cfg(unix)]
    pub fn of(path: &Path) -> Option<(Stat, bool)> {
        use std::os::unix::fs::MetadataExt;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs();
        let meta = std::fs::metadata(path).ok()?;
        let stat = Stat {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        };
        let latest = stat.modified.0.max(stat.changed.0);
        let settled = u64::try_from(latest).is_ok_and(|at| at.saturating_add(RACY_SECONDS) < now);
        Some((stat, settled))
    }

    /// Without Unix metadata (change time, inode) files are always read.
    #[cfg(not(unix))]
    pub fn of(_path: &Path) -> Option<(Stat, bool)> {
        None
    }
}

/// What a run read of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeenFile {
    pub stat: Stat,
    /// The text's [`Key::of_text`].
    text: (u64, u64),
    /// The text's length in bytes.
    pub len: u64,
    /// The module name and package flag the imports were scanned for.
    pub module: String,
    pub is_package: bool,
    pub imports: Vec<String>,
}

impl SeenFile {
    pub fn new(stat: Stat, text: Key, len: usize, module: &str, is_package: bool, imports: Vec<String>) -> SeenFile {
        SeenFile {
            stat,
            text: (text.0, text.1),
            len: len as u64,
            module: module.to_string(),
            is_package,
            imports,
        }
    }

    pub fn text_key(&self) -> Key {
        Key(self.text.0, self.text.1)
    }
}

/// The entries of one build, by shown path: those the last run left (read
/// when first asked), and those this run keeps.
pub struct SeenFiles {
    path: std::path::PathBuf,
    old: OnceLock<HashMap<String, SeenFile>>,
    new: Mutex<Option<HashMap<String, SeenFile>>>,
}

impl SeenFiles {
    pub(crate) fn new(folder: &Path, build: Key) -> SeenFiles {
        SeenFiles {
            path: folder.join(format!("files-{}.bin", build.hex())),
            old: OnceLock::new(),
            new: Mutex::new(None),
        }
    }

    pub(super) fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    fn old(&self) -> &HashMap<String, SeenFile> {
        self.old.get_or_init(|| read(&self.path).unwrap_or_default())
    }

    /// The last run's entry for the file shown as `path`, if its metadata
    /// is still `stat`.
    pub fn find(&self, path: &str, stat: &Stat) -> Option<&SeenFile> {
        self.old().get(path).filter(|seen| seen.stat == *stat)
    }

    /// The entries of this run's files, for the next run; written by
    /// [`SeenFiles::save`] if they differ from the last run's.
    pub fn keep(&self, entries: HashMap<String, SeenFile>) {
        if let Ok(mut new) = self.new.lock() {
            *new = Some(entries);
        }
    }

    pub(crate) fn save(&self) {
        let Ok(Some(new)) = self.new.lock().map(|mut n| n.take()) else {
            return;
        };
        if self.old.get().is_some_and(|old| *old == new) {
            return;
        }
        let Ok(payload) = postcard::to_allocvec(&new) else {
            return;
        };
        let mut bytes = Vec::with_capacity(payload.len() + 16);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&hash_of(&payload[..]).to_le_bytes());
        bytes.extend_from_slice(&payload);
        super::write_atomically(&self.path, &bytes);
    }
}

fn read(path: &Path) -> Option<HashMap<String, SeenFile>> {
    let bytes = std::fs::read(path).ok()?;
    let (head, payload) = bytes.split_at_checked(16)?;
    if &head[..8] != MAGIC || head[8..] != hash_of(payload).to_le_bytes() {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn entry(stat: Stat) -> SeenFile {
        SeenFile::new(stat, Key::of_text("import os\n"), 10, "pkg.m", false, vec!["os".into()])
    }

    /// A folder holding `m.py` and a saved entry for it; the file's
    /// metadata then, and whether it had settled.
    fn saved() -> (tempfile::TempDir, Stat, bool) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("m.py"), "import os\n").unwrap();
        let (stat, settled) = Stat::of(&dir.path().join("m.py")).unwrap();
        let seen = SeenFiles::new(dir.path(), build());
        seen.keep(HashMap::from([("m.py".to_string(), entry(stat))]));
        seen.save();
        (dir, stat, settled)
    }

    fn build() -> Key {
        Key::of(&[b"build"])
    }

    #[test]
    fn an_entry_answers_for_the_same_metadata_only() {
        let (dir, stat, settled) = saved();
        let file = dir.path().join("m.py");
        assert!(!settled, "written just now: racily clean");

        let seen = SeenFiles::new(dir.path(), build());
        assert_eq!(seen.find("m.py", &stat), Some(&entry(stat)));
        assert!(seen.find("other.py", &stat).is_none());
        // The same size, written again: another change time.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&file, "import re\n").unwrap();
        let (again, _) = Stat::of(&file).unwrap();
        assert_ne!(again, stat);
        assert!(seen.find("m.py", &again).is_none());
    }

    #[test]
    fn a_damaged_file_is_a_cold_one() {
        let (dir, stat, _) = saved();
        assert!(SeenFiles::new(dir.path(), build()).find("m.py", &stat).is_some());
        let stored = dir.path().join(format!("files-{}.bin", build().hex()));
        let mut bytes = std::fs::read(&stored).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&stored, &bytes).unwrap();
        assert!(SeenFiles::new(dir.path(), build()).find("m.py", &stat).is_none());
    }
}
