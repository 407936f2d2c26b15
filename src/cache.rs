//! The review cache (`.vigil_cache/`): what the checks found in files that
//! did not change since the last run, so that they are neither parsed nor
//! checked again.
//!
//! Three things are kept, each under a key that holds everything it depends
//! on, so that a cached answer is always the one the review would compute:
//!
//! - for each file, what the rules that look at the file alone found
//!   (`review::FileChecks`: diagnostics, syntax errors, suppression
//!   comments), keyed on the run (see below), the file's path and its text;
//! - the dataflow rules' diagnostics of each reviewed file, keyed on the
//!   run and on the path and text of every file of the project: a summary
//!   computed in one file changes the findings of another, so any change
//!   anywhere in the tree computes them all again;
//! - the memo of the dataflow project pass (`flow::memo`): each module's
//!   structure and analyses, with what each analysis read, so that when
//!   the pass does run again it analyses only the modules whose text, or
//!   whose inputs, changed (a file per run key, `flow-<key>.bin`, from
//!   which a run reads the memos of the files its pass covers, and to
//!   which it adds those of the files it analysed anew: see
//!   [`flow_memo`]).
//!
//! The run's key holds vigil's version and the binary itself (its size and
//! modification time: a rebuild is a new vigil), the user's model files and
//! the rules selected. Thresholds, suppression flags, changed lines and
//! baselines are filters applied after the cache, so they are not in it.
//!
//! The first two are one file per run key (`review-<key>.bin`: postcard,
//! after a hash of it that must check), read at
//! the start and written whole at the end (to a temporary file renamed
//! over the old one: concurrent runs never see half a cache; the last one
//! wins). The folder
//! holds a `.gitignore` of `*` and a `CACHEDIR.TAG`, as Ruff's does.
//! Anything unreadable is a cold cache, never an error.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ruff_text_size::{TextRange, TextSize};
use serde::{Deserialize, Serialize};

use crate::python::SyntaxProblem;
use crate::python::suppression::Suppressions;
use crate::review::FileChecks;
use crate::rules::checker::{Edit, Step};
use crate::rules::registry;
use crate::rules::{Diagnostic, Level};

mod flow_memo;
pub mod seen_files;

/// The folder name, in the project's root.
pub const FOLDER: &str = ".vigil_cache";

/// How many run keys' files are kept (other selections, other builds).
const KEEP: usize = 4;

/// A 128-bit hash (two passes of `stable_hash::StableHasher` with different
/// seeds): wide enough that two texts never share one by accident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(u64, u64);

impl Key {
    pub fn of(parts: &[&[u8]]) -> Key {
        let hash = |seed: u64| {
            let mut h = crate::stable_hash::StableHasher::with_seed(seed);
            for p in parts {
                p.len().hash(&mut h);
                h.write(p);
            }
            h.finish()
        };
        Key(hash(1), hash(2))
    }

    pub fn hex(&self) -> String {
        format!("{:016x}{:016x}", self.0, self.1)
    }

    pub fn bytes(&self) -> [u8; 16] {
        let mut out = [0; 16];
        out[..8].copy_from_slice(&self.0.to_le_bytes());
        out[8..].copy_from_slice(&self.1.to_le_bytes());
        out
    }

    /// The key of a text: a file's is made once and stands for its text in
    /// the other keys.
    pub fn of_text(text: &str) -> Key {
        Key::of(&[text.as_bytes()])
    }
}

/// What the run's key is made of, besides vigil itself.
pub struct RunParts<'a> {
    /// The ids of the selected rules, in any order.
    pub rules: Vec<&'a str>,
    /// The user's model files (name and text), if any.
    pub models: &'a [(String, String)],
}

/// The cache of one run: the entries read from the last run with the same
/// key, and those this run writes.
pub struct Cache {
    folder: PathBuf,
    run: Key,
    old: Stored,
    new: Mutex<Stored>,
    /// The dataflow pass's memo, a file per source file.
    memo: flow_memo::FlowMemoStore,
    /// What this build last read of each file, by its metadata.
    seen: std::sync::Arc<seen_files::SeenFiles>,
}

#[derive(Default, Serialize, Deserialize)]
struct Stored {
    files: HashMap<String, CachedChecks>,
    project: Option<CachedProject>,
}

#[derive(Serialize, Deserialize)]
struct CachedProject {
    key: String,
    dataflow: HashMap<String, Vec<CachedDiagnostic>>,
}

#[derive(Clone, Serialize, Deserialize)]
struct CachedChecks {
    diagnostics: Vec<CachedDiagnostic>,
    dataflow_at: usize,
    syntax_errors: Vec<SyntaxProblem>,
    suppressions: Suppressions,
}

type Span = (u32, u32);

#[derive(Clone, Serialize, Deserialize)]
struct CachedDiagnostic {
    rule: String,
    range: Span,
    message: String,
    detail: Option<String>,
    fix: Option<String>,
    severity: u8,
    confidence: u8,
    bandit_severity: Option<u8>,
    statement: Option<Span>,
    steps: Vec<(Span, String)>,
    edit: Option<(Span, String)>,
    only_constants: bool,
}

fn span(r: TextRange) -> Span {
    (r.start().to_u32(), r.end().to_u32())
}

fn range((start, end): Span) -> Option<TextRange> {
    (start <= end).then(|| TextRange::new(TextSize::new(start), TextSize::new(end)))
}

fn level_code(l: Level) -> u8 {
    match l {
        Level::Low => 0,
        Level::Medium => 1,
        Level::High => 2,
    }
}

fn level(code: u8) -> Option<Level> {
    match code {
        0 => Some(Level::Low),
        1 => Some(Level::Medium),
        2 => Some(Level::High),
        _ => None,
    }
}

impl CachedDiagnostic {
    fn from(d: &Diagnostic) -> CachedDiagnostic {
        CachedDiagnostic {
            rule: d.rule.id.to_string(),
            range: span(d.range),
            message: d.message.clone(),
            detail: d.detail.clone(),
            fix: d.fix.clone(),
            severity: level_code(d.severity),
            confidence: level_code(d.confidence),
            bandit_severity: d.bandit_severity.map(level_code),
            statement: d.statement.map(span),
            steps: d.steps.iter().map(|s| (span(s.range), s.note.clone())).collect(),
            edit: d.edit.as_ref().map(|e| (span(e.range), e.replacement.clone())),
            only_constants: d.only_constants,
        }
    }

    /// The diagnostic back; `None` if the entry does not make one (a rule
    /// that no longer exists: then the entry is not used).
    fn to_diagnostic(&self) -> Option<Diagnostic> {
        let mut d = Diagnostic::new(registry::find(&self.rule)?, range(self.range)?, self.message.clone());
        d.detail = self.detail.clone();
        d.fix = self.fix.clone();
        d.severity = level(self.severity)?;
        d.confidence = level(self.confidence)?;
        d.bandit_severity = match self.bandit_severity {
            Some(code) => Some(level(code)?),
            None => None,
        };
        d.statement = match self.statement {
            Some(s) => Some(range(s)?),
            None => None,
        };
        for (at, note) in &self.steps {
            d.steps.push(Step {
                range: range(*at)?,
                note: note.clone(),
            });
        }
        d.edit = match &self.edit {
            Some((at, replacement)) => Some(Edit {
                range: range(*at)?,
                replacement: replacement.clone(),
            }),
            None => None,
        };
        d.only_constants = self.only_constants;
        Some(d)
    }
}

fn diagnostics(cached: &[CachedDiagnostic]) -> Option<Vec<Diagnostic>> {
    cached.iter().map(CachedDiagnostic::to_diagnostic).collect()
}

/// vigil's version and the binary's size and modification time.
fn this_build() -> Vec<u8> {
    let mut id = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    if let Some(meta) = std::env::current_exe().ok().and_then(|p| std::fs::metadata(p).ok()) {
        id.extend_from_slice(&meta.len().to_le_bytes());
        if let Ok(at) = meta.modified().and_then(|m| {
            m.duration_since(std::time::UNIX_EPOCH)
                .map_err(|e| std::io::Error::other(e.to_string()))
        }) {
            id.extend_from_slice(&at.as_nanos().to_le_bytes());
        }
    }
    id
}

impl Cache {
    /// The cache in `root/.vigil_cache` for a run made of `parts`, with
    /// what the last such run left there.
    pub fn open(root: &Path, parts: &RunParts) -> Cache {
        let mut rules = parts.rules.clone();
        rules.sort_unstable();
        let rules = rules.join(",");
        let mut models = Vec::new();
        for (name, text) in parts.models {
            models.extend_from_slice(&(name.len() as u64).to_le_bytes());
            models.extend_from_slice(name.as_bytes());
            models.extend_from_slice(&(text.len() as u64).to_le_bytes());
            models.extend_from_slice(text.as_bytes());
        }
        let build = this_build();
        let run = Key::of(&[&build, rules.as_bytes(), &models]);
        let folder = root.join(FOLDER);
        let old = std::fs::read(folder.join(file_name(run)))
            .ok()
            .and_then(|bytes| decode_checked(&bytes))
            .unwrap_or_default();
        Cache {
            memo: flow_memo::FlowMemoStore::new(&folder, run),
            seen: std::sync::Arc::new(seen_files::SeenFiles::new(&folder, Key::of(&[&build]))),
            folder,
            run,
            old,
            new: Mutex::new(Stored::default()),
        }
    }

    /// The key of a file's own checks.
    pub fn file_key(&self, path: &str, text: &str) -> Key {
        self.file_key_of(path, Key::of_text(text))
    }

    /// [`Cache::file_key`] of a text whose [`Key::of_text`] is `text`.
    pub fn file_key_of(&self, path: &str, text: Key) -> Key {
        Key::of(&[&self.run.0.to_le_bytes(), path.as_bytes(), &text.bytes()])
    }

    /// The file's checks from the last run, if its key is the same.
    pub fn file_checks(&self, key: Key) -> Option<FileChecks> {
        let hex = key.hex();
        let cached = self.old.files.get(&hex)?;
        let checks = FileChecks {
            diagnostics: diagnostics(&cached.diagnostics)?,
            dataflow_at: cached.dataflow_at,
            syntax_errors: cached.syntax_errors.clone(),
            suppressions: cached.suppressions.clone(),
        };
        // Still true next time.
        if let Ok(mut new) = self.new.lock() {
            new.files.insert(hex, cached.clone());
        }
        Some(checks)
    }

    /// Keeps a file's checks for the next run.
    pub fn keep_file_checks(&self, key: Key, checks: &FileChecks) {
        let cached = CachedChecks {
            diagnostics: checks.diagnostics.iter().map(CachedDiagnostic::from).collect(),
            dataflow_at: checks.dataflow_at,
            syntax_errors: checks.syntax_errors.clone(),
            suppressions: checks.suppressions.clone(),
        };
        if let Ok(mut new) = self.new.lock() {
            new.files.insert(key.hex(), cached);
        }
    }

    /// The key of the project's dataflow: every file's path (with its
    /// module name) and the [`Key::of_text`] of its text.
    pub fn project_key(&self, files: &[(&str, Option<Key>)]) -> Key {
        let texts: Vec<[u8; 16]> = files
            .iter()
            .map(|(_, text)| text.map_or([0; 16], |k| k.bytes()))
            .collect();
        let mut parts: Vec<&[u8]> = Vec::with_capacity(files.len() * 3 + 1);
        let run = self.run.0.to_le_bytes();
        parts.push(&run);
        for ((path, text), bytes) in files.iter().zip(&texts) {
            parts.push(path.as_bytes());
            // An unreadable file counts as one with no text.
            parts.push(if text.is_some() { &[1] } else { &[0] });
            parts.push(bytes);
        }
        Key::of(&parts)
    }

    /// A file's dataflow diagnostics from the last run, if the project is
    /// the same and that run reviewed the file with the same text (`file`
    /// is its [`Cache::file_key`]: a listing is reviewed as its code).
    pub fn dataflow(&self, project: Key, file: Key) -> Option<Vec<Diagnostic>> {
        let cached = self.old.project.as_ref().filter(|p| p.key == project.hex())?;
        let hex = file.hex();
        let entry = cached.dataflow.get(&hex)?;
        let found = diagnostics(entry)?;
        self.keep(project, hex, entry.clone());
        Some(found)
    }

    /// Whether the last run left the dataflow diagnostics of every one of
    /// `files` (their [`Cache::file_key`]s) in this project.
    pub fn has_dataflow(&self, project: Key, mut files: impl Iterator<Item = Key>) -> bool {
        self.old
            .project
            .as_ref()
            .filter(|p| p.key == project.hex())
            .is_some_and(|p| files.all(|file| p.dataflow.contains_key(&file.hex())))
    }

    fn keep(&self, project: Key, file: String, entry: Vec<CachedDiagnostic>) {
        if let Ok(mut new) = self.new.lock() {
            let stored = new.project.get_or_insert_with(|| CachedProject {
                key: project.hex(),
                dataflow: HashMap::new(),
            });
            stored.dataflow.insert(file, entry);
        }
    }

    /// Keeps a file's dataflow diagnostics for the next run.
    pub fn keep_dataflow(&self, project: Key, file: Key, found: &[Diagnostic]) {
        self.keep(project, file.hex(), found.iter().map(CachedDiagnostic::from).collect());
    }

    /// What this build last read of each file (`seen_files`).
    pub fn seen_files(&self) -> std::sync::Arc<seen_files::SeenFiles> {
        self.seen.clone()
    }

    /// Writes what this run keeps. A cache that cannot be written is left
    /// as it was: the next run is cold, nothing worse.
    pub fn save(self) {
        self.memo.save();
        let Ok(new) = self.new.into_inner() else { return };
        let Some(bytes) = encode_checked(&new) else { return };
        if std::fs::create_dir_all(&self.folder).is_err() {
            return;
        }
        mark_folder(&self.folder);
        let name = file_name(self.run);
        write_atomically(&self.folder.join(&name), &bytes);
        prune(&self.folder, &name, "review-");
        prune(&self.folder, &flow_memo::file_name(self.run), "flow-");
        self.seen.save();
        prune(&self.folder, &self.seen.file_name(), "files-");
    }
}

/// Writes `bytes` to a temporary file renamed over `target`: a reader sees
/// the old file or the new, never half of one.
fn write_atomically(target: &Path, bytes: &[u8]) {
    let temporary = target.with_extension(format!("{}.tmp", std::process::id()));
    if std::fs::write(&temporary, bytes).is_ok() && std::fs::rename(&temporary, target).is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

fn file_name(run: Key) -> String {
    format!("review-{}.bin", run.hex())
}

/// `value` encoded (postcard: reading JSON was 1.4% of a change review)
/// after the hash of its bytes.
fn encode_checked(value: &Stored) -> Option<Vec<u8>> {
    let encoded = postcard::to_allocvec(value).ok()?;
    let mut bytes = crate::flow::memo::hash_of(&encoded[..]).to_le_bytes().to_vec();
    bytes.extend_from_slice(&encoded);
    Some(bytes)
}

/// What [`encode_checked`] wrote, if its hash checks (a damaged file is a
/// cold cache).
fn decode_checked(bytes: &[u8]) -> Option<Stored> {
    let (hash, encoded) = bytes.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*hash) != crate::flow::memo::hash_of(encoded) {
        return None;
    }
    postcard::from_bytes(encoded).ok()
}

/// The dataflow project pass's memo (`flow::memo`), kept by
/// [`flow_memo::FlowMemoStore`].
impl crate::flow::memo::Memo for Cache {
    fn load(&self, path: &str) -> Option<crate::flow::memo::OldMemo> {
        self.memo.load(path)
    }

    fn keep(&self, path: &str, file: &crate::flow::memo::MemoFile) {
        self.memo.keep(path, file);
    }

    fn tree(&self, paths: &[&str]) {
        self.memo.tree(paths);
    }
}

/// The cache folder's `.gitignore` and `CACHEDIR.TAG`, written once.
fn mark_folder(folder: &Path) {
    let ignore = folder.join(".gitignore");
    if !ignore.exists() {
        let _ = std::fs::write(&ignore, "# Made by vigil: the review cache.\n*\n");
        let _ = std::fs::write(
            folder.join("CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n# vigil's review cache: see https://bford.info/cachedir/\n",
        );
    }
}

/// Removes all but the [`KEEP`] most recent cache files whose names start
/// with `kind` (and `current`).
fn prune(folder: &Path, current: &str, kind: &str) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(kind) && name != current
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, path) in files.into_iter().skip(KEEP - 1) {
        // The memo of a run key is a folder (a file before 0.1's memo per
        // source file).
        if path.is_dir() {
            let _ = std::fs::remove_dir_all(path);
        } else {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_review_file_decodes_only_as_written() {
        let stored = Stored {
            project: Some(CachedProject {
                key: "k".into(),
                dataflow: HashMap::new(),
            }),
            ..Stored::default()
        };
        let bytes = encode_checked(&stored).unwrap();
        assert_eq!(
            decode_checked(&bytes).and_then(|s| s.project).map(|p| p.key).as_deref(),
            Some("k")
        );
        let mut damaged = bytes.clone();
        *damaged.last_mut().unwrap() ^= 1;
        assert!(decode_checked(&damaged).is_none(), "a damaged file is a cold cache");
        assert!(decode_checked(&bytes[..5]).is_none());
    }

    #[test]
    fn keys_tell_parts_apart() {
        assert_ne!(Key::of(&[b"ab", b"c"]), Key::of(&[b"a", b"bc"]));
        assert_eq!(Key::of(&[b"ab"]), Key::of(&[b"ab"]));
    }

    #[test]
    fn diagnostics_come_back_as_they_went() {
        let rule = registry::find("S602").unwrap();
        let range = TextRange::new(TextSize::new(3), TextSize::new(9));
        let mut d = Diagnostic::new(rule, range, "m")
            .detail("d")
            .fix("f")
            .severity(Level::Low)
            .step(range, "s")
            .edit(range, "r");
        d.statement = Some(range);
        let back = CachedDiagnostic::from(&d).to_diagnostic().unwrap();
        assert_eq!(format!("{d:?}"), format!("{back:?}"));
    }
}
