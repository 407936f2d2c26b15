//! The dataflow project pass over several files: the bytes are split at NUL
//! into up to eight modules of one package (`pkg.m0` ... `pkg.m7`, the first
//! being `pkg/__init__.py`), whose imports of each other make the import
//! graph, its cycles and the rounds of summaries; then every file is
//! reviewed with the project's facts. Any panic, hang or overflow is a bug.
//!
//! The pass's memo must never change a result: the pass runs once with a
//! memo filled by a pass over the same files with one of them cut short
//! (an edit), and its findings must be those of the pass without a memo;
//! then once more over the files with the cut (the edited module's
//! unchanged functions answer from the records its last analysis kept),
//! against the pass over them without a memo.
#![no_main]

use std::collections::HashMap;
use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use vigil::flow::memo::{Memo, MemoFile, OldMemo};
use vigil::flow::{FileEntry, Models, ProjectFacts, project};
use vigil::input::Origin;
use vigil::input::source::decode;
use vigil::review::{self, Settings};
use vigil::rules::registry::{self, Selection};

const MODULES: usize = 8;

fuzz_target!(|data: &[u8]| {
    let texts: Vec<String> = data
        .split(|b| *b == 0)
        .take(MODULES)
        .map(|part| String::from_utf8_lossy(part).into_owned())
        .collect();
    let entries: Vec<FileEntry> = (0..texts.len())
        .map(|i| FileEntry {
            path: if i == 0 {
                "pkg/__init__.py".to_string()
            } else {
                format!("pkg/m{i}.py")
            },
            module: if i == 0 { "pkg".to_string() } else { format!("pkg.m{i}") },
            is_package: i == 0,
        })
        .collect();
    let selection = Selection::new(&["ALL".to_string()], &[]).expect("ALL is a valid selector");
    let selected = |id: &str| registry::find(id).is_some_and(|r| selection.contains(r));
    let pass = |texts: &[String], memo: Option<&dyn Memo>| {
        project::build(
            &entries,
            &project::Texts(texts),
            Models::active(),
            &selected,
            &selected,
            None,
            memo,
        )
    };
    let facts = pass(&texts, None);
    if !texts.is_empty() {
        let memo = InMemory::default();
        let mut edited = texts.clone();
        let cut = data.len() % edited.len();
        let half = (0..=edited[cut].len() / 2)
            .rev()
            .find(|&i| edited[cut].is_char_boundary(i))
            .unwrap_or(0);
        edited[cut].truncate(half);
        pass(&edited, Some(&memo));
        let remembered = pass(&texts, Some(&memo));
        assert_eq!(findings(&remembered), findings(&facts), "the memo changed a result");
        // The module edited back: it kept its functions' records when it
        // was analysed again, and its first half's functions answer now.
        let again = pass(&edited, Some(&memo));
        assert_eq!(
            findings(&again),
            findings(&pass(&edited, None)),
            "the function memo changed a result"
        );
    }
    let settings = Settings::new(selection.clone());
    for (entry, text) in entries.iter().zip(&texts) {
        let Ok(file) = decode(text.clone().into_bytes(), entry.path.clone(), Origin::PythonFile) else {
            continue;
        };
        let _ = review::review_in_project(&file, &settings, Some(&facts));
    }
});

/// A memo kept in memory, encoded as the cache keeps it.
#[derive(Default)]
struct InMemory(Mutex<HashMap<String, Vec<u8>>>);

impl Memo for InMemory {
    fn load(&self, path: &str) -> Option<OldMemo> {
        OldMemo::decode(self.0.lock().unwrap().get(path)?.clone())
    }

    fn keep(&self, path: &str, file: &MemoFile) {
        let bytes = file.encode().unwrap();
        self.0.lock().unwrap().insert(path.to_string(), bytes);
    }

    fn tree(&self, _paths: &[&str]) {}
}

/// Every file's findings, comparable.
fn findings(facts: &ProjectFacts) -> Vec<String> {
    let mut paths: Vec<&String> = facts.findings.keys().collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| format!("{p}: {:?}", project::findings_of(facts, p)))
        .collect()
}
