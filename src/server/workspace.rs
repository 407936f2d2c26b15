//! The workspace the server reviews in: its root, the configuration each
//! buffer is reviewed with, and the dataflow facts of the tree.
//!
//! A buffer is reviewed as `vigil review FILE` run in the workspace root
//! would review that file, except that its text is the buffer's, not the
//! disk's: the configuration found from the file's folder (flags aside),
//! its per-file ignores, and the project's dataflow facts when a dataflow
//! rule is selected. Test code is left out of the project pass, as a review
//! of the tree leaves it out, but an open test file is reviewed, as a file
//! named on the command line is.
//!
//! The project pass runs on a thread of its own (it reads the whole tree),
//! once at start and again after a file is saved; until its facts arrive,
//! buffers are reviewed on their own, then again with the facts.

use std::path::{Path, PathBuf};

use crossbeam_channel::{Receiver, Sender};

use crate::config::{self, Config, Overrides};
use crate::flow::ProjectFacts;
use crate::input::{self, SourceFile};
use crate::pipeline;
use crate::review::{self, FileReview, Settings};

/// Deeply nested code makes the parser and the walk recurse: analysis
/// threads get a large stack (reserved, not committed, memory), as the
/// command line's do.
pub const ANALYSIS_STACK_BYTES: usize = 256 * 1024 * 1024;

/// What a project pass sends back.
pub struct FactsDone {
    pub facts: Result<Option<ProjectFacts>, String>,
    /// How many files it read.
    pub files: usize,
}

pub struct Workspace {
    /// The workspace folder, canonical; the process works in it, so paths
    /// are shown relative to it as `vigil review .` run there shows them.
    pub root: Option<PathBuf>,
    /// The facts of the last project pass that finished.
    pub facts: Option<ProjectFacts>,
    /// The pass running now, if one is.
    running: Option<Receiver<FactsDone>>,
    /// A save came while a pass ran: run again when it is done.
    stale: bool,
}

impl Workspace {
    /// No workspace folder: each buffer is reviewed on its own, with the
    /// configuration found from its folder.
    pub fn none() -> Workspace {
        Workspace {
            root: None,
            facts: None,
            running: None,
            stale: false,
        }
    }

    /// The workspace rooted at `root`, made the current folder.
    pub fn open(root: &Path) -> Result<Workspace, String> {
        let real = std::fs::canonicalize(root)
            .map_err(|e| format!("cannot open the workspace folder {}: {e}", root.display()))?;
        std::env::set_current_dir(&real)
            .map_err(|e| format!("cannot enter the workspace folder {}: {e}", real.display()))?;
        Ok(Workspace {
            root: Some(real),
            ..Workspace::none()
        })
    }

    /// Installs the user's model files named by the root's configuration,
    /// before any review, as the command line does. They are read once: a
    /// change to them needs a restart of the server.
    pub fn install_models(&self) -> Result<(), String> {
        // A configuration that cannot be read is reported by the project
        // pass and on every buffer: not twice here.
        let Ok(config) = config::load(Path::new("."), &Overrides::default()) else {
            return Ok(());
        };
        let files = config.model_files()?;
        if files.is_empty() {
            return Ok(());
        }
        crate::flow::models::Models::install_user_files(files).map_err(|e| format!("model file {e}"))
    }

    /// The channel the running pass reports on, if one runs.
    pub fn running(&self) -> Option<&Receiver<FactsDone>> {
        self.running.as_ref()
    }

    /// Starts a project pass, or marks the running one stale.
    pub fn refresh_facts(&mut self) {
        if self.root.is_none() {
            return;
        }
        if self.running.is_some() {
            self.stale = true;
            return;
        }
        let (sender, receiver) = crossbeam_channel::bounded(1);
        let spawned = std::thread::Builder::new()
            .name("vigil-project-pass".into())
            .stack_size(ANALYSIS_STACK_BYTES)
            .spawn(move || project_pass(&sender));
        match spawned {
            Ok(_) => self.running = Some(receiver),
            Err(e) => eprintln!("vigil: cannot start the project pass: {e}"),
        }
    }

    /// Takes what the running pass sent (or its end without a word, if it
    /// died); says whether another pass was started because files were
    /// saved meanwhile.
    pub fn pass_done(&mut self, done: Option<FactsDone>) -> Option<Result<usize, String>> {
        self.running = None;
        let outcome = done.map(|done| match done.facts {
            Ok(facts) => {
                self.facts = facts;
                Ok(done.files)
            }
            Err(e) => Err(e),
        });
        if std::mem::take(&mut self.stale) {
            self.refresh_facts();
        }
        outcome
    }

    /// The path a review shows for `path`: relative to the root when below
    /// it (the project pass names its files so), else as given.
    pub fn shown(&self, path: &Path) -> String {
        let Some(root) = self.root.as_deref() else {
            return input::source::shown_path(path);
        };
        // The client may name the file through a symlink to the root.
        let real = std::fs::canonicalize(path).ok();
        let below = path
            .strip_prefix(root)
            .ok()
            .or_else(|| real.as_deref().and_then(|r| r.strip_prefix(root).ok()));
        input::source::shown_path(below.unwrap_or(path))
    }

    /// Reviews a buffer's `text`, for the file at `path` (none for an
    /// unsaved buffer, named `name`). A configuration that cannot be used
    /// is the error.
    pub fn review(&mut self, path: Option<&Path>, name: &str, text: &str) -> Result<FileReview, String> {
        // The configuration is looked for from the file's folder, as for
        // `vigil review FILE`; an unsaved buffer gets the workspace's.
        let folder = path.and_then(Path::parent).unwrap_or(Path::new("."));
        let config = config::load(folder, &Overrides::default()).map_err(|e| e.to_string())?;
        let settings = settings(&config)?;
        let own = path.and_then(|path| {
            let per_file = config.per_file_ignores();
            if per_file.is_empty() {
                return None;
            }
            let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            let rules = per_file.rules_for(&real);
            (!rules.is_empty()).then(|| settings.selection.without(&rules))
        });
        let shown = path.map_or_else(|| name.to_string(), |p| self.shown(p));
        // The project pass read the file on disk, and kept the dataflow
        // findings of that text; the buffer's text may differ. A file in
        // `alone` has its findings analysed by its review, from its own
        // text, against the facts of the rest of the project.
        if let Some(facts) = &mut self.facts
            && facts.module_of(&shown).is_some()
        {
            facts.alone.insert(shown.clone());
        }
        let file = SourceFile::plain(shown, text.to_string());
        Ok(review::review_with(
            &file,
            &settings,
            own.as_ref().unwrap_or(&settings.selection),
            self.facts.as_ref(),
        ))
    }
}

/// The settings `vigil review` would use with this configuration and no flags.
fn settings(config: &Config) -> Result<Settings, String> {
    let mut settings = Settings::new(config.selection()?);
    settings.min_severity = config.severity.value;
    settings.min_confidence = config.confidence.value;
    Ok(settings)
}

/// The project pass over the workspace (the current folder), as
/// `vigil review .` runs it: the same configuration, excludes and test
/// code left out.
fn project_pass(sender: &Sender<FactsDone>) {
    let here = PathBuf::from(".");
    let outcome = config::load(&here, &Overrides::default())
        .map_err(|e| e.to_string())
        .and_then(|config| {
            let settings = settings(&config)?;
            let excludes = config.excludes();
            let tests = config.tests();
            let walk = input::Walk {
                exclude: &excludes,
                force_exclude: false,
                tests: tests.as_ref(),
            };
            let roots = [here.clone()];
            let found = input::discover_with(&roots, &walk);
            let pool = rayon::ThreadPoolBuilder::new()
                .stack_size(ANALYSIS_STACK_BYTES)
                .build()
                .map_err(|e| format!("cannot start worker threads: {e}"))?;
            let facts = pool.install(|| {
                pipeline::project_facts(&settings, &found.files, &roots, None).map(|p| p.into_facts(&settings))
            });
            Ok((facts, found.files.len()))
        });
    let done = match outcome {
        Ok((facts, files)) => FactsDone {
            facts: Ok(facts),
            files,
        },
        Err(e) => FactsDone {
            facts: Err(e),
            files: 0,
        },
    };
    // The server may have stopped meanwhile: nobody to tell.
    let _ = sender.send(done);
}
