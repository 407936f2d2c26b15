//! `vigil review`: discover, read and review files in parallel, then print
//! one report. Output order never depends on the thread count: files are
//! reviewed in parallel but collected in their sorted order.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::progress::Progress;
use super::{ReviewArgs, baseline_cmd, diff_scope, fix_cmd, output};
use crate::config;
use crate::finding::Finding;
use crate::input;
use crate::pipeline;
use crate::report::{self, Format};
use crate::review::{Settings, UnusedSuppression, Verdict};

/// Deeply nested code makes the parser and the walk recurse; analysis
/// threads get a large stack (reserved, not committed, memory).
const ANALYSIS_STACK_BYTES: usize = 256 * 1024 * 1024;

pub fn run(args: ReviewArgs) -> ExitCode {
    if let Err(e) = check_flags(&args) {
        eprintln!("vigil: error: {e}");
        return ExitCode::from(2);
    }
    let paths = if !args.paths.is_empty() {
        args.paths.clone()
    } else if args.stdin_filename.is_some() {
        vec![PathBuf::from("-")]
    } else {
        vec![PathBuf::from(".")]
    };
    // The configuration is looked for from the first path reviewed (the
    // current folder for standard input, or the folder of the file it
    // stands for).
    let first = match &args.stdin_filename {
        // A new buffer is not on disk yet: its folder (or the nearest one
        // that exists) decides.
        Some(name) => name
            .ancestors()
            .find(|a| !a.as_os_str().is_empty() && a.exists())
            .map(Path::to_path_buf),
        None => paths.first().filter(|p| p.as_os_str() != "-").cloned(),
    };
    let config = match config::load(&first.unwrap_or_else(|| PathBuf::from(".")), &args.settings.overrides()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("vigil: error: {}", report::terminal_safe::escape(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    // The user's model files join the built-in ones before any file is read.
    let installed = config.model_files().and_then(|files| {
        if files.is_empty() {
            return Ok(());
        }
        crate::flow::models::Models::install_user_files(files).map_err(|e| format!("model file {e}"))
    });
    if let Err(e) = installed {
        eprintln!("vigil: error: {}", report::terminal_safe::escape(&e));
        return ExitCode::from(2);
    }
    let selection = match config.selection() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("vigil: error: {e}");
            return ExitCode::from(2);
        }
    };
    let per_file = config.per_file_ignores();
    let selection = match &args.stdin_filename {
        // Standard input is the whole review then: the per-file ignores of
        // the file it stands for are the run's.
        Some(name) => {
            let ignored = absolute(name).map(|real| per_file.rules_for(&real)).unwrap_or_default();
            if ignored.is_empty() {
                selection
            } else {
                selection.without(&ignored)
            }
        }
        None => selection,
    };
    let mut settings = Settings::new(selection);
    settings.min_severity = config.severity.value;
    settings.min_confidence = config.confidence.value;
    settings.ignore_suppressions = args.no_suppressions;
    settings.report_unused_suppressions = args.report_unused_suppressions;
    if !args.no_cache {
        // In the configuration's folder, else the current one, as Ruff's.
        let root = config
            .file
            .as_ref()
            .map_or_else(|| PathBuf::from("."), |f| f.folder.clone());
        let models = config.model_files().unwrap_or_default();
        let rules: Vec<&str> = crate::rules::registry::all()
            .iter()
            .filter(|r| settings.selection.contains(r))
            .map(|r| r.id)
            .collect();
        settings.cache = Some(crate::cache::Cache::open(
            &root,
            &crate::cache::RunParts { rules, models: &models },
        ));
    }
    // Resolved before any file is read, so a bad `--llm` setting costs no review.
    let llm_options = match args.llm.options(&|name| std::env::var(name).ok()) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("vigil: error: {}", report::terminal_safe::escape(&e));
            return ExitCode::from(2);
        }
    };

    let mut accepted = 0;
    if let Some(path) = &args.baseline {
        match baseline_cmd::read(path) {
            Ok(baseline) => {
                accepted = baseline.len();
                settings.baseline = Some(baseline);
            }
            Err(e) => {
                eprintln!("vigil: error: {}", report::terminal_safe::escape(&e));
                return ExitCode::from(2);
            }
        }
    }

    let excludes = config.excludes();
    let tests = config.tests();
    let walk = input::Walk {
        exclude: &excludes,
        force_exclude: args.force_exclude,
        tests: tests.as_ref(),
    };
    // A change review's project pass covers the tree under the named paths:
    // it is walked while git says what changed.
    let (scope, walked) = std::thread::scope(|threads| {
        let changes = args.diff.is_some() || args.diff_file.is_some();
        let walked = changes.then(|| {
            threads.spawn(|| {
                let named: Vec<PathBuf> = paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
                input::discover_with(&named, &walk)
            })
        });
        let scope = diff_scope::resolve(&args, &paths);
        (scope, walked.and_then(|w| w.join().ok()))
    });
    let mut scope = match scope {
        Ok(scope) => scope,
        Err(e) => {
            eprintln!("vigil: error: {}", report::terminal_safe::escape(&e));
            return ExitCode::from(2);
        }
    };
    let (mut stdin, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths.into_iter().partition(|p| p.as_os_str() == "-");
    if let Some(name) = &args.stdin_filename
        && args.force_exclude
        && absolute(name).is_some_and(|real| excludes.iter().any(|g| g.matches_with_ancestors(&real)))
    {
        // An editor or a hook passes every buffer: an excluded one is not
        // reviewed, as an excluded file named with --force-exclude is not.
        if !args.quiet {
            eprintln!(
                "vigil: note: {} is excluded by the configuration (--force-exclude): not reviewed",
                report::terminal_safe::escape(&input::source::shown_path(name))
            );
        }
        stdin.clear();
    }
    let discovered = match &mut scope {
        Some(scope) => {
            settings.changed_lines = Some(std::mem::take(&mut scope.changed_lines));
            let mut changed = std::mem::take(&mut scope.discovered);
            if let Some(tests) = &tests {
                leave_out_tests(&mut changed, &paths, tests);
            }
            changed
        }
        None => input::discover_with(&paths, &walk),
    };

    let pool = match rayon::ThreadPoolBuilder::new().stack_size(ANALYSIS_STACK_BYTES).build() {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("vigil: error: cannot start worker threads: {e}");
            return ExitCode::from(2);
        }
    };
    // The dataflow rules need summaries of the tree before any file is
    // reviewed: one project pass, then the usual per-file reviews. A change
    // review reports on the changed files only, but what they call is
    // anywhere under the named paths: the pass covers what they import,
    // directly or not.
    let nothing_to_review = discovered.files.is_empty() && stdin.is_empty();
    let project = if nothing_to_review {
        None
    } else {
        let tree = scope
            .is_some()
            .then(|| walked.unwrap_or_else(|| input::discover_with(&paths, &walk)));
        let files = tree.as_ref().map_or(&discovered.files, |t| &t.files);
        let reported = scope.is_some().then_some(discovered.files.as_slice());
        pool.install(|| pipeline::project_facts(&settings, files, &paths, reported))
    };
    let quiet = args.quiet;
    let fix_mode = match (args.fix, args.show_diff) {
        (_, true) => Some(fix_cmd::Mode::Preview),
        (true, false) => Some(fix_cmd::Mode::Write),
        _ => None,
    };
    let shown_files: HashMap<String, PathBuf> = discovered
        .files
        .iter()
        .map(|p| (input::source::shown_path(p), p.clone()))
        .collect();
    let mut overlay = fix_cmd::Overlay::default();
    let mut stdin_file = (!stdin.is_empty()).then(|| match &args.stdin_filename {
        Some(name) => input::load_stdin_as(name),
        None => input::load_stdin(),
    });
    // The model stage reads the files again after the review; standard
    // input can be read only once, so its text is kept.
    let stdin_copy = match (&llm_options, &stdin_file) {
        (Some(_), Some(Ok(file))) => Some(file.clone()),
        _ => None,
    };
    let mut outcomes;
    let mut round = 0;
    // One review, then (with --fix or --show-diff) rounds of fixes, each
    // followed by a review of the fixed texts: the last review is the report.
    loop {
        let total = discovered.files.len() + stdin_file.is_some() as usize;
        let progress = if quiet || round > 0 {
            Progress::drawn_if(total, false)
        } else {
            Progress::new(total)
        };
        let load = |path: &Path| {
            let shown = input::source::shown_path(path);
            match overlay.load(&shown) {
                Some(fixed) => Ok(fixed),
                None => diff_scope::load(scope.as_ref(), path, &shown),
            }
        };
        outcomes = pool.install(|| {
            pipeline::review_files(
                &settings,
                stdin_file.take(),
                &discovered.files,
                &load,
                &per_file,
                project.as_ref(),
                &|| progress.tick(),
            )
        });
        progress.finish();
        round += 1;
        if fix_mode.is_none() || round > fix_cmd::MAX_ROUNDS {
            break;
        }
        let mut findings: Vec<Finding> = outcomes
            .iter()
            .filter_map(|o| o.as_ref().ok())
            .flat_map(|r| r.review.findings.iter().cloned())
            .collect();
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        if !overlay.apply(&findings, &shown_files) {
            break;
        }
    }
    if let Some(cache) = settings.cache.take() {
        if let Some(project) = &project {
            project.remember_files(&cache);
        }
        cache.save();
    }
    // The project's texts, trees and facts (hundreds of thousands of small
    // values) are not freed one by one: the process ends after the report.
    std::mem::forget(project);
    let reviewed_paths: Vec<String> = match &llm_options {
        Some(_) => outcomes
            .iter()
            .filter_map(|o| o.as_ref().ok().map(|r| r.path.clone()))
            .collect(),
        None => Vec::new(),
    };
    // What the model stage reads: the text the last review saw.
    let load = |path: &Path| {
        let shown = input::source::shown_path(path);
        match overlay.load(&shown) {
            Some(fixed) => Ok(fixed),
            None => diff_scope::load(scope.as_ref(), path, &shown),
        }
    };

    let discovered_skipped = discovered.skipped;
    let mut report = pipeline::assemble(
        outcomes,
        discovered.errors,
        discovered.tests_left_out,
        args.report_unused_suppressions,
    );
    report.change = scope.is_some();
    if let Some(options) = &llm_options {
        // Files are found again by the path the review showed.
        let by_shown: std::collections::HashMap<String, &PathBuf> = discovered
            .files
            .iter()
            .map(|p| (input::source::shown_path(p), p))
            .collect();
        let reload = |shown: &str| -> Option<input::SourceFile> {
            if let Some(file) = stdin_copy.as_ref().filter(|f| f.path == shown) {
                return Some(file.clone());
            }
            by_shown.get(shown).and_then(|path| load(path).ok())
        };
        let in_scope = |f: &crate::finding::Finding| {
            settings.changed_lines.as_ref().is_none_or(|c| c.touches(f))
                && settings
                    .baseline
                    .as_ref()
                    .is_none_or(|b| !b.accepted(std::slice::from_ref(f))[0])
        };
        crate::llm::stage::run(&mut report, &reviewed_paths, &reload, options, &in_scope);
    }

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
    if !quiet && report.findings.is_empty() && report.files_reviewed > 0 && report.test_files_left_out > 0 {
        // The clean answer stays exact on standard output; what it covers is
        // said here.
        let n = report.test_files_left_out;
        eprintln!(
            "vigil: note: {n} test file{} left out of the review (--include-tests reviews {})",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
    }
    if !quiet && let Some(scope) = &scope {
        for path in &scope.untracked {
            eprintln!(
                "vigil: note: {} is not tracked by git: reviewed whole as a new file of the change \
                 (`git add` it, or list it in .gitignore to leave it out)",
                report::terminal_safe::escape(path)
            );
        }
    }
    if let Some(path) = &args.baseline {
        baseline_cmd::note(&report, path, accepted, quiet);
    }
    if let Some(unused) = &report.unused_suppressions {
        eprint!("{}", unused_suppressions_text(unused));
    }
    if let Some(llm) = &report.llm {
        for note in &llm.notes {
            eprintln!(
                "vigil: warning: language model: {}",
                report::terminal_safe::escape(note)
            );
        }
        if let Some(failure) = &llm.failure {
            eprintln!(
                "vigil: error: the language-model stage stopped: {}",
                report::terminal_safe::escape(failure)
            );
        }
    }

    let terminal = output::to_terminal(args.output.as_deref());
    let options = output::text_options(args.color, terminal, output::no_color_env(), quiet);
    let mut failed = false;
    for refusal in overlay.refusals() {
        eprintln!("vigil: warning: {refusal}");
    }
    let mut write_errors = Vec::new();
    if fix_mode == Some(fix_cmd::Mode::Write) {
        write_errors = overlay.write();
    }
    let (fixes, fixed_files) = overlay.counts();
    let rendered = match (&args.write_baseline, fix_mode) {
        (Some(path), _) => baseline_cmd::render(&report, path),
        (None, Some(fix_cmd::Mode::Preview)) => {
            if !quiet {
                eprintln!(
                    "vigil: note: --fix would fix {}{}",
                    count(fixes, "finding"),
                    if fixes == 0 {
                        String::new()
                    } else {
                        format!(" in {}", count(fixed_files, "file"))
                    }
                );
            }
            overlay.diff(options.paint)
        }
        (None, mode) => {
            if mode == Some(fix_cmd::Mode::Write) {
                failed = !write_errors.is_empty();
                for e in &write_errors {
                    eprintln!("vigil: error: {e}");
                }
                if !quiet {
                    for fixed in overlay.applied() {
                        eprintln!("vigil: fixed {fixed}");
                    }
                    if fixes > 0 {
                        eprintln!(
                            "vigil: note: fixed {} in {}; the review is of what is left",
                            count(fixes, "finding"),
                            count(fixed_files, "file")
                        );
                    } else if !report.findings.is_empty() && overlay.refusals().is_empty() {
                        eprintln!("vigil: note: none of the findings has a fix vigil can apply safely");
                    }
                }
            }
            output::render(&report, args.format, args.statistics, &options)
        }
    };
    let destination = args.write_baseline.as_ref().or(args.output.as_ref());
    let written = match destination.filter(|path| path.as_os_str() != "-") {
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
    if let Some(path) = &args.write_baseline {
        return baseline_cmd::finish(&report, path);
    }

    let preview_changes = fix_mode == Some(fix_cmd::Mode::Preview) && fixes > 0;
    let llm_failed = report.llm.as_ref().is_some_and(|l| l.failure.is_some());
    if failed || !report.errors.is_empty() || llm_failed {
        ExitCode::from(2)
    } else if (preview_changes || (fix_mode != Some(fix_cmd::Mode::Preview) && crate::llm::gated_findings(&report) > 0))
        && !args.exit_zero
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `1 finding`, `3 findings`.
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Flags that cannot work together, said before anything is read.
fn check_flags(args: &ReviewArgs) -> Result<(), String> {
    let stdin =
        args.paths.iter().any(|p| p.as_os_str() == "-") || (args.paths.is_empty() && args.stdin_filename.is_some());
    if args.stdin_filename.is_some() && args.paths.iter().any(|p| p.as_os_str() != "-") {
        return Err(
            "--stdin-filename names standard input: give `-` or no path, and review other files in another run"
                .to_string(),
        );
    }
    if (args.fix || args.show_diff) && stdin {
        return Err(
            "--fix and --show-diff change files, and standard input is not one: name the file instead \
             (`vigil review --fix path/to/file.py`)"
                .to_string(),
        );
    }
    if args.statistics && !matches!(args.format, Format::Text | Format::Concise) {
        return Err("--statistics counts findings for people: use it with --format text or concise".to_string());
    }
    if args.show_diff && args.statistics {
        return Err("--show-diff prints a diff: --statistics has nothing to count there".to_string());
    }
    Ok(())
}

/// The absolute path of `name`, resolving what exists of it: the file
/// standard input stands for may not exist on disk (a new buffer, in a
/// folder not made yet).
fn absolute(name: &Path) -> Option<PathBuf> {
    let relative = if name.is_absolute() {
        name.to_path_buf()
    } else {
        Path::new(".").join(name)
    };
    let existing = relative.ancestors().find(|a| a.exists())?;
    let rest = relative.strip_prefix(existing).ok()?;
    Some(std::fs::canonicalize(existing).ok()?.join(rest))
}

/// In a change review, the changed test files are left out as a walk
/// leaves them out (below the paths named, by the same patterns).
fn leave_out_tests(changed: &mut input::Discovered, roots: &[PathBuf], tests: &input::TestPaths) {
    let before = changed.files.len();
    changed.files.retain(|file| {
        let below = roots
            .iter()
            .find_map(|root| file.strip_prefix(root).ok().filter(|_| root.as_os_str() != "."))
            .unwrap_or(file);
        let real = std::fs::canonicalize(file).ok();
        !tests.is_test(below, real.as_deref())
    });
    changed.tests_left_out += before - changed.files.len();
}

/// The `--report-unused-suppressions` list, for standard error: unused
/// comments first, then those this run could not judge.
fn unused_suppressions_text(list: &[UnusedSuppression]) -> String {
    use std::fmt::Write as _;
    let escape = report::terminal_safe::escape;
    let unused: Vec<&UnusedSuppression> = list.iter().filter(|u| u.verdict == Verdict::Unused).collect();
    let mut out = String::new();
    if unused.is_empty() {
        out.push_str("vigil: no unused suppressions\n");
    } else {
        let n = unused.len();
        let _ = writeln!(
            out,
            "vigil: {n} unused suppression{} (hid no finding in this run; remove {}):",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
        for u in unused {
            let _ = writeln!(out, "  {}:{}: {}", escape(&u.path), u.line, escape(&u.comment));
        }
    }
    let unchecked: Vec<(&UnusedSuppression, &str)> = list
        .iter()
        .filter_map(|u| match &u.verdict {
            Verdict::NotChecked(why) => Some((u, why.as_str())),
            Verdict::Unused => None,
        })
        .collect();
    if !unchecked.is_empty() {
        let n = unchecked.len();
        let _ = writeln!(
            out,
            "vigil: {n} suppression{} not checked (a rule {} did not run, so this run cannot tell whether {} needed):",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it covers" } else { "they cover" },
            if n == 1 { "it is" } else { "they are" },
        );
        for (u, why) in unchecked {
            let _ = writeln!(out, "  {}:{}: {} ({why})", escape(&u.path), u.line, escape(&u.comment));
        }
    }
    out
}
