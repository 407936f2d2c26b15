//! A review as named stages, for the command line and any other front end:
//!
//! 1. **discover** (`input::discover_with`, or a change's files): what to
//!    review, and what was left out and why;
//! 2. **project facts** ([`project_facts`]): the dataflow summaries of the
//!    whole tree, when a dataflow rule is selected; the files' texts and
//!    trees are kept ([`Sources`]) for the next stage;
//! 3. **review files** ([`review_files`]): each file read, reviewed (with
//!    the tree the project pass parsed, when it is kept) and dropped, in
//!    parallel, collected in the discovered order;
//! 4. **assemble** ([`assemble`]): one [`Report`], sorted as the formats
//!    expect.
//!
//! Rendering is the caller's. Output never depends on the thread count:
//! files are reviewed in parallel but collected in their sorted order.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use ruff_source_file::LineIndex;

use crate::cache::Key;
use crate::config::PerFileIgnores;
use crate::flow::project::{ModuleSources, in_index_order, largest_first};
use crate::flow::{FileEntry, ProjectFacts};
use crate::input::{InputError, SourceFile};
use crate::project;
use crate::python::ParsedModule;
use crate::report::{FileWarning, Report};
use crate::review::{self, Settings};
use crate::rules::registry::{self, Selection};
use crate::rules::{Family, defects};
use crate::sources::Sources;

/// What is kept of a reviewed file: its text is dropped as soon as it is
/// reviewed, so memory follows the largest file, not the size of the tree.
pub struct Reviewed {
    pub path: String,
    pub lines: usize,
    pub review: review::FileReview,
}

/// The dataflow facts of the tree, and its files as read and parsed for
/// them (the review reuses the trees). With a cache that holds the
/// dataflow findings of this very tree, the facts are computed only if a
/// file's findings are missing.
pub struct Project {
    facts: OnceLock<ProjectFacts>,
    pub sources: Sources,
    entries: Vec<FileEntry>,
    /// The project's key in the cache (every file's path and text).
    key: Option<Key>,
    /// The files the review reports on, when not all (a change review).
    reported: Option<Vec<bool>>,
}

impl Project {
    /// The facts, computed now if the cache spared them so far.
    pub fn facts(&self, settings: &Settings) -> &ProjectFacts {
        self.facts
            .get_or_init(|| compute_facts(settings, &self.sources, &self.entries, self.reported.as_deref()))
    }

    /// Hands `cache` what this run read of each file (its text's key,
    /// length and imports, by its metadata), for the next run.
    pub fn remember_files(&self, cache: &crate::cache::Cache) {
        cache.seen_files().keep(self.sources.seen_entries());
        if std::env::var_os("VIGIL_FLOW_DEBUG").is_some() {
            let (known, read) = self.sources.seen_counts();
            eprintln!(
                "vigil: files: {known} of {} known by their metadata, {read} read",
                self.sources.len()
            );
        }
    }

    /// The facts alone, for a caller that keeps them longer than the
    /// texts and trees (the editor's server).
    pub fn into_facts(self, settings: &Settings) -> ProjectFacts {
        self.facts(settings);
        self.facts
            .into_inner()
            .expect("Project::facts has just computed the facts")
    }
}

fn compute_facts(
    settings: &Settings,
    sources: &Sources,
    entries: &[FileEntry],
    reported: Option<&[bool]>,
) -> ProjectFacts {
    let selected = |id: &str| registry::find(id).is_some_and(|r| settings.selection.contains(r));
    // A dataflow rule's sinks are worth proving constant where a selected
    // pattern rule reports the same defect.
    let prove = |id: &str| {
        defects::defect_of(id).is_some_and(|d| {
            registry::all().iter().any(|r| {
                r.family != Family::Taint && defects::defect_of(r.id) == Some(d) && settings.selection.contains(r)
            })
        })
    };
    let memo = settings.cache.as_ref().map(|c| c as &dyn crate::flow::memo::Memo);
    project::facts(sources, entries, &selected, &prove, reported, memo)
}

/// Stage 2: the dataflow facts of `files` (the tree under `roots`), when a
/// dataflow rule is selected and there is something to review. With
/// `reported` (a change review's files, all in `files`), the facts are
/// those these files need: of what they import, directly or not.
pub fn project_facts(
    settings: &Settings,
    files: &[PathBuf],
    roots: &[PathBuf],
    reported: Option<&[PathBuf]>,
) -> Option<Project> {
    if !settings.selection.any_of_family(Family::Taint) {
        return None;
    }
    let sources = match &settings.cache {
        Some(cache) => Sources::new(files).remembering(cache.seen_files()),
        None => Sources::new(files),
    };
    let entries = project::entries(&sources, roots);
    // A reported file the tree does not hold leaves the pass whole.
    let reported = reported.and_then(|paths| {
        let mut mask = vec![false; sources.len()];
        for path in paths {
            mask[sources.index_of(path)?] = true;
        }
        Some(mask)
    });
    let project = Project {
        facts: OnceLock::new(),
        key: settings.cache.as_ref().map(|cache| {
            // Every file's module name and text (read here, in parallel).
            let names: Vec<String> = entries
                .iter()
                .map(|e| format!("{}\0{}\0{}", e.path, e.module, e.is_package))
                .collect();
            let texts: Vec<Option<Key>> = (0..sources.len())
                .into_par_iter()
                .map(|i| sources.text_key(i))
                .collect();
            let files: Vec<(&str, Option<Key>)> = names.iter().map(String::as_str).zip(texts).collect();
            cache.project_key(&files)
        }),
        sources,
        entries,
        reported,
    };
    // The facts are needed unless the last run left the dataflow findings
    // of every file this review reports on (all, or a change's) for this
    // same tree.
    let cached = settings.cache.as_ref().zip(project.key).is_some_and(|(cache, key)| {
        let reports_on = |i: usize| project.reported.as_ref().is_none_or(|r| r[i]);
        // An unreadable file is an error of the review, with no findings.
        // (A file known by its metadata is not read for this.)
        let mut files = (0..project.sources.len()).filter(|&i| reports_on(i)).filter_map(|i| {
            let text = project.sources.text_key(i)?;
            Some(cache.file_key_of(&project.entries[i].path, text))
        });
        cache.has_dataflow(key, &mut files)
    });
    if !cached {
        project.facts(settings);
    }
    Some(project)
}

/// Stage 3: reads (with `load`), reviews and drops each file, in parallel on
/// the current rayon pool; results come back in the order of `files`, after
/// the file from standard input if there is one. A file whose text is the
/// one the project pass parsed is not parsed again. `tick` is called once
/// per file (progress).
pub fn review_files(
    settings: &Settings,
    stdin: Option<Result<SourceFile, InputError>>,
    files: &[PathBuf],
    load: &(dyn Fn(&Path) -> Result<SourceFile, InputError> + Sync),
    per_file: &PerFileIgnores,
    project: Option<&Project>,
    tick: &(dyn Fn() + Sync),
) -> Vec<Result<Reviewed, InputError>> {
    if let Some(p) = project {
        // Trees of files this review does not report on (a change review's
        // unchanged files) are of no more use.
        let reviewed: std::collections::HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
        p.sources.keep_only(&|path| reviewed.contains(path));
    }
    let mut outcomes: Vec<Result<Reviewed, InputError>> = stdin
        .into_iter()
        .map(|loaded| {
            let outcome = loaded.map(|file| review_one(file, None, None, settings, None, None));
            tick();
            outcome
        })
        .collect();
    // The largest files first, as in the project pass (`largest_first`),
    // as far as their sizes are known without reading them.
    let sizes: Vec<usize> = files
        .iter()
        .map(|path| {
            project
                .and_then(|p| p.sources.known_size(p.sources.index_of(path)?))
                .unwrap_or(0)
        })
        .collect();
    let reviewed = largest_first(0..files.len(), &sizes)
        .into_par_iter()
        .with_max_len(1)
        .map(|k| {
            let path = &files[k];
            let own = file_selection(path, per_file, &settings.selection);
            let outcome = load(path).map(|file| {
                let (tree, text_key) = project
                    .and_then(|p| Some(p.sources.take(p.sources.index_of(path)?, &file.text)))
                    .unwrap_or_default();
                review_one(file, tree, text_key, settings, own.as_ref(), project)
            });
            tick();
            (k, outcome)
        });
    outcomes.extend(in_index_order(reviewed.collect()));
    outcomes
}

/// Stage 4: one report from the reviews and the problems met on the way.
pub fn assemble(
    outcomes: Vec<Result<Reviewed, InputError>>,
    errors: Vec<InputError>,
    tests_left_out: usize,
    with_unused_suppressions: bool,
) -> Report {
    let mut report = Report {
        errors,
        test_files_left_out: tests_left_out,
        unused_suppressions: with_unused_suppressions.then(Vec::new),
        ..Report::default()
    };
    for outcome in outcomes {
        match outcome {
            Ok(Reviewed { path, lines, review }) => {
                report.files_reviewed += 1;
                report.lines_reviewed += lines;
                report.suppressed += review.suppressed;
                report.baselined += review.baselined;
                report.proven_constant += review.proven_constant;
                if let Some(unused) = &mut report.unused_suppressions {
                    unused.extend(review.unused_suppressions);
                }
                report.findings.extend(review.findings);
                report.warnings.extend(review.warnings.into_iter().map(|w| FileWarning {
                    path: path.clone(),
                    line: w.line,
                    message: w.message,
                }));
            }
            Err(e) => report.errors.push(e),
        }
    }
    report.errors.sort_by(|a, b| a.path.cmp(&b.path));
    report
}

/// Reviews one file: its own checks and its dataflow findings from the
/// cache when they are there, else from its tree (the project pass's, or
/// parsed here). `text_key` is its text's key when the pass made it.
fn review_one(
    file: SourceFile,
    tree: Option<Arc<ParsedModule>>,
    text_key: Option<Key>,
    settings: &Settings,
    own_selection: Option<&Selection>,
    project: Option<&Project>,
) -> Reviewed {
    let selection = own_selection.unwrap_or(&settings.selection);
    let cache = settings.cache.as_ref();
    let file_key = cache.map(|c| match text_key {
        Some(text) => c.file_key_of(&file.path, text),
        None => c.file_key(&file.path, &file.text),
    });
    let cached_checks = cache.zip(file_key).and_then(|(c, k)| c.file_checks(k));
    let wants_dataflow = settings.hooks.dataflow.is_some();
    let project_key = project.and_then(|p| p.key);
    let cached_dataflow = match (cache, project_key) {
        (Some(c), Some(k)) if wants_dataflow => file_key.and_then(|f| c.dataflow(k, f)),
        _ => None,
    };
    let needs_tree = cached_checks.is_none() || (wants_dataflow && cached_dataflow.is_none());
    let tree = match tree {
        Some(tree) => Some(tree),
        None if needs_tree => Some(Arc::new(crate::python::parse(&file.text))),
        None => None,
    };
    // The file's own checks and its dataflow analysis read the same tree
    // and nothing of each other: on two workers when the pool has them
    // (a single file, the seed listing, is otherwise one long sequence;
    // in a tree, a large module no longer holds one worker for both).
    let own_checks = || match cached_checks {
        Some(checks) => checks,
        None => {
            let module = tree.as_deref().expect("parsed above: no cached checks");
            let checks = review::check_file(&file, module, settings);
            if let (Some(c), Some(k)) = (cache, file_key) {
                c.keep_file_checks(k, &checks);
            }
            checks
        }
    };
    let dataflow_checks = || match cached_dataflow {
        Some(found) => found,
        None if !wants_dataflow => Vec::new(),
        None => {
            let module = tree.as_deref().expect("parsed above: no cached dataflow findings");
            let found = review::check_dataflow(&file, module, settings, project.map(|p| p.facts(settings)));
            if let (Some(c), Some(k), Some(f)) = (cache, project_key, file_key) {
                c.keep_dataflow(k, f, &found);
            }
            found
        }
    };
    let (checks, dataflow) = rayon::join(own_checks, dataflow_checks);
    let computed;
    let lines = match &tree {
        Some(module) => &module.lines,
        None => {
            computed = LineIndex::from_source_text(&file.text);
            &computed
        }
    };
    let review = review::finish(&file, lines, checks, dataflow, settings, selection);
    Reviewed {
        lines: line_count(&file.text),
        path: file.path,
        review,
    }
}

/// The number of lines `str::lines` gives (a last line without its newline
/// counts), by counting newlines: `lines()` splits the text line by line.
fn line_count(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count() + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// The run's selection less the per-file ignores matching `path`, when some do.
fn file_selection(path: &Path, per_file: &PerFileIgnores, selection: &Selection) -> Option<Selection> {
    if per_file.is_empty() {
        return None;
    }
    // Globs are matched on the canonical path, as excludes are; a file that
    // cannot be resolved will fail to load and be reported there.
    let real = std::fs::canonicalize(path).ok()?;
    let rules = per_file.rules_for(&real);
    (!rules.is_empty()).then(|| selection.without(&rules))
}

#[cfg(test)]
mod tests {
    use super::line_count;

    #[test]
    fn counts_the_lines_str_lines_gives() {
        for text in ["", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n", "a\rb", "a\n\nb\n"] {
            assert_eq!(line_count(text), text.lines().count(), "{text:?}");
        }
    }
}
