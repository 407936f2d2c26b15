//! The dataflow pass's memo on disk (see `flow::memo`): one file per run
//! key (`flow-<key>.bin`), a log of each source file's memo.
//!
//! The file is a run of records (each a source file's memo, encoded with
//! postcard) followed by an index (each source path with where its record
//! sits, its length and a hash of its bytes) and a footer (where the index
//! sits, its hash, and a magic tag). A run reads the footer and the index,
//! then only the records of the files its pass covers; it writes the
//! records of the files it analysed anew after the others, then a new
//! index and footer. The records and indexes it left behind are dead bytes;
//! when they outweigh the live ones, the file is written again whole, to a
//! temporary file renamed over it. (Reading and writing every memo whole
//! cost a change review of ten files more than its new analyses did; a
//! file per source file cost more again, in file creations.)
//!
//! Every record and index is checked against its hash: a file cut short,
//! damaged, or written by two runs at once is a missing memo, never a
//! wrong one. Runs that write take a lock on the file, so that two of them
//! do not write over each other's records.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use super::{Key, mark_folder, write_atomically};
use crate::flow::memo::{MemoFile, OldMemo, hash_of};

/// The footer's tag (and the format's version).
const MAGIC: &[u8; 8] = b"vigmemo1";
/// The footer: the index's place, length and hash, and [`MAGIC`].
const FOOTER: usize = 8 + 8 + 8 + 8;

/// The memo file of one run key.
pub(super) struct FlowMemoStore {
    /// The cache folder, and the memo file in it.
    cache: PathBuf,
    path: PathBuf,
    /// The file as the last run left it (opened when first read).
    old: OnceLock<Option<Log>>,
    /// The memos this run keeps, encoded.
    kept: Mutex<HashMap<String, Vec<u8>>>,
    /// The files of the tree, when the pass named them.
    tree: Mutex<Option<Vec<String>>>,
}

/// Where a source file's memo sits in the file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Place {
    at: u64,
    len: u64,
    check: u64,
}

/// An open memo file and its index.
struct Log {
    file: File,
    /// The file's length (where appended records go).
    len: u64,
    index: HashMap<String, Place>,
}

/// The name of run `run`'s memo file in the cache folder.
pub(super) fn file_name(run: Key) -> String {
    format!("flow-{}.bin", run.hex())
}

impl Log {
    /// The file and its index; `None` when there is no file, or when its
    /// footer or index do not check (the memo is cold).
    fn open(file: File) -> Option<Log> {
        let len = file.metadata().ok()?.len();
        let footer = read_at(&file, len.checked_sub(FOOTER as u64)?, FOOTER as u64)?;
        let word = |i: usize| u64::from_le_bytes(footer[i * 8..i * 8 + 8].try_into().unwrap_or_default());
        if &footer[24..] != MAGIC {
            return None;
        }
        let (at, index_len, check) = (word(0), word(1), word(2));
        if at.checked_add(index_len)? > len - FOOTER as u64 {
            return None;
        }
        let bytes = read_at(&file, at, index_len)?;
        if hash_of(&bytes[..]) != check {
            return None;
        }
        let index: Vec<(String, Place)> = postcard::from_bytes(&bytes).ok()?;
        Some(Log {
            file,
            len,
            index: index.into_iter().collect(),
        })
    }

    /// The record at `place`, if its bytes check.
    fn record(&self, place: Place) -> Option<Vec<u8>> {
        let bytes = read_at(&self.file, place.at, place.len)?;
        (hash_of(&bytes[..]) == place.check).then_some(bytes)
    }
}

fn read_at(file: &File, at: u64, len: u64) -> Option<Vec<u8>> {
    let mut bytes = vec![0; usize::try_from(len).ok()?];
    read_exact_at(file, &mut bytes, at).ok()?;
    Some(bytes)
}

#[cfg(unix)]
fn read_exact_at(file: &File, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(unix)]
fn write_all_at(file: &File, bytes: &[u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut bytes: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                bytes = &mut bytes[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(windows)]
fn write_all_at(file: &File, mut bytes: &[u8], mut at: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, bytes, at)? {
            0 => return Err(std::io::ErrorKind::WriteZero.into()),
            n => {
                bytes = &bytes[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// The records, index and footer of `records` (each path's memo, encoded),
/// to be written at offset `at` after the records of `earlier` (which stay
/// where they are).
fn tail(at: u64, earlier: &[(&str, Place)], records: &[(&str, &[u8])]) -> Vec<u8> {
    let mut index: Vec<(&str, Place)> = earlier.to_vec();
    let mut end = at;
    for (path, record) in records {
        index.push((
            path,
            Place {
                at: end,
                len: record.len() as u64,
                check: hash_of(*record),
            },
        ));
        end += record.len() as u64;
    }
    index.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let encoded = postcard::to_allocvec(&index).unwrap_or_default();
    // Sized once: the records of a change review are megabytes.
    let mut bytes = Vec::with_capacity((end - at) as usize + encoded.len() + FOOTER);
    for (_, record) in records {
        bytes.extend_from_slice(record);
    }
    bytes.extend_from_slice(&encoded);
    for word in [end, encoded.len() as u64, hash_of(&encoded[..])] {
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    bytes.extend_from_slice(MAGIC);
    bytes
}

impl FlowMemoStore {
    pub(super) fn new(cache: &Path, run: Key) -> FlowMemoStore {
        FlowMemoStore {
            cache: cache.to_path_buf(),
            path: cache.join(file_name(run)),
            old: OnceLock::new(),
            kept: Mutex::default(),
            tree: Mutex::new(None),
        }
    }

    /// The memo the last run kept for the file shown as `path`.
    pub(super) fn load(&self, path: &str) -> Option<OldMemo> {
        let old = self
            .old
            .get_or_init(|| Log::open(File::open(&self.path).ok()?))
            .as_ref()?;
        OldMemo::decode(old.record(*old.index.get(path)?)?)
    }

    /// Keeps `file` as the memo of `path`, written when the run saves.
    pub(super) fn keep(&self, path: &str, file: &MemoFile) {
        let Some(bytes) = file.encode() else { return };
        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(path.to_string(), bytes);
        }
    }

    /// The files of the tree: the memos of others go when this run saves.
    pub(super) fn tree(&self, paths: &[&str]) {
        if let Ok(mut tree) = self.tree.lock() {
            *tree = Some(paths.iter().map(|p| p.to_string()).collect());
        }
    }

    /// Writes the memos this run kept, if any: after the file's records
    /// when the file holds more live bytes than dead ones, else the file
    /// whole again. A memo that cannot be written is not kept: the next
    /// run analyses the file again, nothing worse.
    pub(super) fn save(self) {
        let kept = self.kept.into_inner().unwrap_or_default();
        if kept.is_empty() || std::fs::create_dir_all(&self.cache).is_err() {
            return;
        }
        mark_folder(&self.cache);
        let tree = self.tree.into_inner().ok().flatten();
        let tree: Option<HashSet<&str>> = tree.as_ref().map(|t| t.iter().map(String::as_str).collect());
        let Ok(file) = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&self.path)
        else {
            return;
        };
        // Held until the file is dropped. Without it, the hashes still
        // keep a run from reading another's half-written records.
        let _ = file.lock();
        // The file as it is now: another run may have written it since
        // this one read it.
        let current = Log::open(file);
        let earlier: Vec<(&str, Place)> = current.as_ref().map_or_else(Vec::new, |log| {
            log.index
                .iter()
                .filter(|(path, _)| !kept.contains_key(*path))
                .filter(|(path, _)| tree.as_ref().is_none_or(|tree| tree.contains(path.as_str())))
                .map(|(path, place)| (path.as_str(), *place))
                .collect()
        });
        let mut records: Vec<(&str, &[u8])> = kept.iter().map(|(path, bytes)| (path.as_str(), &bytes[..])).collect();
        records.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let live: u64 =
            earlier.iter().map(|(_, p)| p.len).sum::<u64>() + records.iter().map(|r| r.1.len() as u64).sum::<u64>();
        match &current {
            Some(log) if log.len <= 2 * live => {
                let bytes = tail(log.len, &earlier, &records);
                if write_all_at(&log.file, &bytes, log.len).is_err() {
                    // A tail cut short leaves no footer: the next run's
                    // memo is cold.
                    let _ = log.file.set_len(log.len);
                }
            }
            _ => {
                // The file whole: the earlier records that still check,
                // then this run's.
                let earlier: Vec<(&str, Vec<u8>)> = match &current {
                    Some(log) => earlier
                        .iter()
                        .filter_map(|(path, place)| Some((*path, log.record(*place)?)))
                        .collect(),
                    None => Vec::new(),
                };
                let all: Vec<(&str, &[u8])> = earlier
                    .iter()
                    .map(|(path, bytes)| (*path, &bytes[..]))
                    .chain(records)
                    .collect();
                write_atomically(&self.path, &tail(0, &[], &all));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::memo::MemoEntry;

    fn memo(key: u64) -> MemoFile {
        MemoFile {
            structure: None,
            analyses: vec![MemoEntry {
                key,
                reads: vec![("pkg.images.convert".to_string(), 7)],
                output: vec![1, 2, 3],
                records: Vec::new(),
            }],
        }
    }

    fn run(cache: &Path, kept: &[(&str, u64)], tree: Option<&[&str]>) -> FlowMemoStore {
        let store = FlowMemoStore::new(cache, Key::of(&[b"run"]));
        for (path, key) in kept {
            store.keep(path, &memo(*key));
        }
        if let Some(tree) = tree {
            store.tree(tree);
        }
        store.save();
        FlowMemoStore::new(cache, Key::of(&[b"run"]))
    }

    fn key_of(store: &FlowMemoStore, path: &str) -> Option<u64> {
        Some(store.load(path)?.analyses[0].key)
    }

    #[test]
    fn each_run_finds_the_last_memo_of_each_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = run(dir.path(), &[("pkg/a.py", 1), ("pkg/b.py", 2)], None);
        assert_eq!(
            (key_of(&store, "pkg/a.py"), key_of(&store, "pkg/b.py")),
            (Some(1), Some(2))
        );
        assert_eq!(key_of(&store, "pkg/c.py"), None);
        // Later runs keep new memos of b.py (after the file's records, or
        // in the file written whole).
        let store = run(dir.path(), &[("pkg/b.py", 3)], None);
        assert_eq!(
            (key_of(&store, "pkg/a.py"), key_of(&store, "pkg/b.py")),
            (Some(1), Some(3))
        );
        let store = run(dir.path(), &[("pkg/b.py", 4)], None);
        assert_eq!(
            (key_of(&store, "pkg/a.py"), key_of(&store, "pkg/b.py")),
            (Some(1), Some(4))
        );
        let other = FlowMemoStore::new(dir.path(), Key::of(&[b"other run"]));
        assert_eq!(key_of(&other, "pkg/a.py"), None);
    }

    #[test]
    fn the_file_grows_by_appends_until_dead_bytes_outweigh_live_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(file_name(Key::of(&[b"run"])));
        let many: Vec<(String, u64)> = (0..20).map(|i| (format!("pkg/m{i}.py"), i)).collect();
        let many: Vec<(&str, u64)> = many.iter().map(|(p, k)| (p.as_str(), *k)).collect();
        run(dir.path(), &many, None);
        let whole = std::fs::metadata(&path).unwrap().len();
        run(dir.path(), &[("pkg/m0.py", 100)], None);
        let appended = std::fs::metadata(&path).unwrap().len();
        assert!(appended > whole, "{appended} {whole}");
        for key in 0..40 {
            run(dir.path(), &[("pkg/m0.py", key)], None);
        }
        let after = std::fs::metadata(&path).unwrap().len();
        assert!(after <= 3 * whole, "{after} {whole}");
    }

    #[test]
    fn the_memos_of_files_gone_from_the_tree_go() {
        let dir = tempfile::tempdir().unwrap();
        run(dir.path(), &[("pkg/a.py", 1), ("pkg/b.py", 2)], None);
        let store = run(dir.path(), &[("pkg/c.py", 3)], Some(&["pkg/b.py", "pkg/c.py"]));
        assert_eq!(key_of(&store, "pkg/a.py"), None);
        assert_eq!(
            (key_of(&store, "pkg/b.py"), key_of(&store, "pkg/c.py")),
            (Some(2), Some(3))
        );
    }

    /// A record whose bytes changed (damaged, or written over by another
    /// run) is no memo, even where its bytes still decode; the others are
    /// still found.
    #[test]
    fn a_changed_record_is_no_memo() {
        let dir = tempfile::tempdir().unwrap();
        let store = run(dir.path(), &[("pkg/a.py", 1), ("pkg/b.py", 2)], None);
        let place = store
            .old
            .get_or_init(|| Log::open(File::open(&store.path).ok()?))
            .as_ref()
            .unwrap()
            .index["pkg/a.py"];
        let mut bytes = std::fs::read(&store.path).unwrap();
        // The record's last bytes are the analysis's output, then its
        // functions' records (none: one byte, the length 0).
        bytes[(place.at + place.len - 2) as usize] ^= 1;
        std::fs::write(&store.path, &bytes).unwrap();
        let store = FlowMemoStore::new(dir.path(), Key::of(&[b"run"]));
        assert_eq!(
            (key_of(&store, "pkg/a.py"), key_of(&store, "pkg/b.py")),
            (None, Some(2))
        );
    }

    /// A file cut short (a full disk, a run killed while it wrote) has no
    /// footer: the memo is cold, and the next run writes the file whole.
    #[test]
    fn a_file_cut_short_is_a_cold_memo_written_whole_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = run(dir.path(), &[("pkg/a.py", 1), ("pkg/b.py", 2)], None);
        let bytes = std::fs::read(&store.path).unwrap();
        std::fs::write(&store.path, &bytes[..bytes.len() - 3]).unwrap();
        let store = FlowMemoStore::new(dir.path(), Key::of(&[b"run"]));
        assert_eq!(key_of(&store, "pkg/a.py"), None);
        let store = run(dir.path(), &[("pkg/c.py", 3)], None);
        assert_eq!(
            (key_of(&store, "pkg/a.py"), key_of(&store, "pkg/c.py")),
            (None, Some(3))
        );
    }
}
