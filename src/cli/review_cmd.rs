//! `vigil review`: discover, read and review files in parallel, then print
//! one report. Output order never depends on the thread count: files are
//! reviewed in parallel but collected in their sorted order.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use rayon::prelude::*;

use super::ReviewArgs;
use crate::flow::ProjectFacts;
use crate::input::{self, InputError, SourceFile};
use crate::project;
use crate::report::{self, FileWarning, Report};
use crate::review::{self, Settings};
use crate::rules::Family;
use crate::rules::registry::{self, Selection};

/// Deeply nested code makes the parser and the walk recurse; analysis
/// threads get a large stack (reserved, not committed, memory).
const ANALYSIS_STACK_BYTES: usize = 256 * 1024 * 1024;

pub fn run(args: ReviewArgs) -> ExitCode {
    let selection = match Selection::new(&args.select, &args.ignore) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("vigil: error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut settings = Settings::new(selection);
    settings.min_severity = args.severity;
    settings.min_confidence = args.confidence;
    settings.ignore_suppressions = args.no_suppressions;

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (stdin, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths.into_iter().partition(|p| p.as_os_str() == "-");
    let discovered = input::discover(&paths);

    let pool = match rayon::ThreadPoolBuilder::new().stack_size(ANALYSIS_STACK_BYTES).build() {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("vigil: error: cannot start worker threads: {e}");
            return ExitCode::from(2);
        }
    };
    // The dataflow rules need summaries of the whole tree before any file is
    // reviewed: one project pass, then the usual per-file reviews.
    let project = if settings.selection.any_of_family(Family::Taint) {
        let selected = |id: &str| registry::find(id).is_some_and(|r| settings.selection.contains(r));
        Some(pool.install(|| project::facts(&discovered.files, &paths, &selected)))
    } else {
        None
    };
    let stdin_file = if stdin.is_empty() {
        None
    } else {
        Some(input::load_stdin())
    };
    let outcomes: Vec<Result<Reviewed, InputError>> = pool.install(|| {
        let from_stdin = stdin_file.into_iter().collect::<Vec<_>>();
        let mut outcomes: Vec<_> = from_stdin
            .into_par_iter()
            .map(|loaded| loaded.map(|file| review_one(file, &settings, None)))
            .collect();
        outcomes.par_extend(discovered.files.par_iter().map(|path| {
            let shown = input::source::shown_path(path);
            input::load(path, &shown).map(|file| review_one(file, &settings, project.as_ref()))
        }));
        outcomes
    });

    let discovered_skipped = discovered.skipped;
    let mut report = Report {
        errors: discovered.errors,
        ..Report::default()
    };
    for outcome in outcomes {
        match outcome {
            Ok(Reviewed { path, lines, review }) => {
                report.files_reviewed += 1;
                report.lines_reviewed += lines;
                report.suppressed += review.suppressed;
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

    for w in &report.warnings {
        eprintln!(
            "vigil: warning: {}:{}: {}",
            report::terminal_safe::escape(&w.path),
            w.line,
            w.message
        );
    }
    for s in &discovered_skipped {
        eprintln!("vigil: warning: {}", report::terminal_safe::escape(&s.to_string()));
    }
    for e in &report.errors {
        eprintln!("vigil: error: {}", report::terminal_safe::escape(&e.to_string()));
    }
    if report.files_reviewed == 0 && report.errors.is_empty() {
        eprintln!("vigil: warning: no Python files found under the given paths");
    }

    let rendered = report::render(&report, args.format);
    let written = match &args.output {
        Some(path) => std::fs::write(path, rendered).map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`vigil review . | head`) is not an error worth a
            // message: the reader has what it wanted.
            match out.write_all(rendered.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|e| format!("cannot write the report: {e}")),
            }
        }
    };
    if let Err(e) = written {
        eprintln!("vigil: error: {e}");
        return ExitCode::from(2);
    }

    if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if !report.findings.is_empty() && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What is kept of a reviewed file: its text is dropped as soon as it is
/// reviewed, so memory follows the largest file, not the size of the tree.
struct Reviewed {
    path: String,
    lines: usize,
    review: review::FileReview,
}

fn review_one(file: SourceFile, settings: &Settings, project: Option<&ProjectFacts>) -> Reviewed {
    let review = review::review_in_project(&file, settings, project);
    Reviewed {
        lines: file.text.lines().count(),
        path: file.path,
        review,
    }
}
