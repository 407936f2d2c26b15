//! The dataflow project pass over several files: the bytes are split at NUL
//! into up to eight modules of one package (`pkg.m0` ... `pkg.m7`, the first
//! being `pkg/__init__.py`), whose imports of each other make the import
//! graph, its cycles and the rounds of summaries; then every file is
//! reviewed with the project's facts. Any panic, hang or overflow is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil::flow::{FileEntry, Models, project};
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
            path: if i == 0 { "pkg/__init__.py".to_string() } else { format!("pkg/m{i}.py") },
            module: if i == 0 { "pkg".to_string() } else { format!("pkg.m{i}") },
            is_package: i == 0,
        })
        .collect();
    let selection = Selection::new(&["ALL".to_string()], &[]).expect("ALL is a valid selector");
    let selected = |id: &str| registry::find(id).is_some_and(|r| selection.contains(r));
    let facts = project::build(&entries, &project::Texts(&texts), Models::active(), &selected, &selected, None, None);
    let settings = Settings::new(selection.clone());
    for (entry, text) in entries.iter().zip(&texts) {
        let Ok(file) = decode(text.clone().into_bytes(), entry.path.clone(), Origin::PythonFile) else { continue };
        let _ = review::review_in_project(&file, &settings, Some(&facts));
    }
});
