//! The project pass: summaries for every function of the scanned tree,
//! computed in rounds until they stop changing.
//!
//! Round 0 reads the structure of every file (classes, bases, parameters).
//! Each later round analyses files in parallel against the previous round's
//! facts, so the result does not depend on the thread count; a file is
//! analysed again only if a summary or module-level value it looked up
//! changed. Files are parsed again in each round rather than kept: memory
//! follows the largest file, not the tree. A chain of calls N modules deep
//! needs about N rounds; the pass stops after [`MAX_ROUNDS`] even if
//! something still changes (recursion converges well before: summaries only
//! grow within a bounded set of facts), and says so in
//! [`ProjectFacts::converged`].
//!
//! This module does no I/O: the caller passes a loader for file texts.

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use super::analyze::{self, Mode, ModuleInput};
use super::models::Models;
use super::summary::{ModuleFacts, ProjectFacts};
use crate::python;

/// Rounds after the structure pass, at most.
pub const MAX_ROUNDS: usize = 12;

/// A file of the project: its shown path and module name.
#[derive(Debug, Clone)]
pub struct FileEntry {
    pub path: String,
    pub module: String,
    pub is_package: bool,
}

/// Computes the facts of a project. `load(i)` gives the text of
/// `files[i]` (or `None` if it cannot be read; the file is then skipped).
pub fn build<L>(files: &[FileEntry], load: L, models: &Models) -> ProjectFacts
where
    L: Fn(usize) -> Option<String> + Sync,
{
    let mut facts = ProjectFacts::default();
    for f in files {
        facts.module_of_path.insert(f.path.clone(), f.module.clone());
        facts.modules.entry(f.module.clone()).or_insert_with(|| ModuleFacts {
            is_package: f.is_package,
            ..ModuleFacts::default()
        });
    }

    let structures: Vec<Option<analyze::Structure>> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let text = load(i)?;
            let parsed = python::parse(&text);
            let input = ModuleInput {
                parsed: &parsed,
                text: &text,
                module: &f.module,
                path: &f.path,
                is_package: f.is_package,
            };
            Some(analyze::structure(&input, models))
        })
        .collect();
    for s in structures.into_iter().flatten() {
        for (name, class) in s.classes {
            facts.classes.insert(name, class);
        }
        for (name, summary) in s.functions {
            facts.summaries.insert(name, Arc::new(summary));
        }
    }

    let mut dirty: Vec<bool> = vec![true; files.len()];
    let mut deps: Vec<HashSet<String>> = vec![HashSet::new(); files.len()];
    facts.converged = false;
    for round in 1..=MAX_ROUNDS {
        facts.rounds = round;
        let outputs: Vec<(usize, analyze::ModuleOutput)> = files
            .par_iter()
            .enumerate()
            .filter(|(i, _)| dirty[*i])
            .filter_map(|(i, f)| {
                let text = load(i)?;
                let parsed = python::parse(&text);
                let input = ModuleInput {
                    parsed: &parsed,
                    text: &text,
                    module: &f.module,
                    path: &f.path,
                    is_package: f.is_package,
                };
                Some((i, analyze::analyze(&input, &facts, models, Mode::Summarize)))
            })
            .collect();

        let mut changed: HashSet<String> = HashSet::new();
        for (i, out) in outputs {
            for (name, summary) in out.summaries {
                let same = facts.summaries.get(&name).is_some_and(|old| old.same_as(&summary));
                if !same {
                    changed.insert(name.clone());
                    facts.summaries.insert(name, Arc::new(summary));
                }
            }
            let module = &files[i].module;
            let entry = facts.modules.entry(module.clone()).or_default();
            for (name, fact) in out.globals {
                let same = entry
                    .globals
                    .get(&name)
                    .is_some_and(|old| analyze::same_global(old, &fact));
                if !same {
                    changed.insert(format!("{module}.{name}"));
                    entry.globals.insert(name, fact);
                }
            }
            deps[i] = out.deps;
        }
        if changed.is_empty() {
            facts.converged = true;
            break;
        }
        for (i, d) in dirty.iter_mut().enumerate() {
            *d = deps[i].iter().any(|k| changed.contains(k));
        }
    }
    if std::env::var_os("VIGIL_FLOW_DEBUG").is_some() {
        let mut names: Vec<_> = facts.summaries.keys().collect();
        names.sort();
        for n in names {
            eprintln!("{n}: {:?}", facts.summaries[n]);
        }
    }
    facts
}

/// Facts for a single module (a file reviewed on its own, or a test).
pub fn single(text: &str, module: &str, path: &str, models: &Models) -> ProjectFacts {
    let files = [FileEntry {
        path: path.to_string(),
        module: module.to_string(),
        is_package: false,
    }];
    build(&files, |_| Some(text.to_string()), models)
}
