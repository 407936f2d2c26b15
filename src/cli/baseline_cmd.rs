//! `vigil baseline` and `vigil review --baseline FILE`: writing and reading
//! the baseline file. The format lives in `filter::baseline`; this module
//! does the file I/O and says what happened.
//!
//! `vigil baseline` is a review whose output is the baseline: it shares the
//! review's discovery, selection and suppressions, so a review run from the
//! same directory with the same selection computes the same fingerprints.

use std::path::Path;
use std::process::ExitCode;

use super::{BaselineArgs, ReviewArgs};
use crate::filter::baseline::PathBase;
use crate::filter::{Baseline, baseline};
use crate::report::Report;

/// `vigil baseline` as the review that writes it.
pub fn review_args(args: BaselineArgs) -> ReviewArgs {
    // Every other review flag at its default, whatever flags `review` grows.
    let command = <ReviewArgs as clap::Args>::augment_args(clap::Command::new("baseline"));
    let defaults = command.get_matches_from(["baseline"]);
    let mut review =
        <ReviewArgs as clap::FromArgMatches>::from_arg_matches(&defaults).expect("every review flag has a default");
    review.paths = args.paths;
    review.settings = args.settings;
    review.write_baseline = Some(args.output);
    review
}

pub fn read(path: &Path) -> Result<Baseline, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "does not exist".to_string(),
            std::io::ErrorKind::InvalidData => "is not UTF-8 text".to_string(),
            _ => format!("cannot be read: {e}"),
        };
        format!("baseline {shown} {reason}; write one with `vigil baseline -o {shown}`")
    })?;
    let parsed = baseline::parse(&text).map_err(|reason| {
        format!(
            "baseline {shown} {reason}; restore it from version control or write a new one with \
             `vigil baseline -o {shown}`"
        )
    })?;
    Ok(parsed.with_base(base_of(path)))
}

/// The baseline's paths start at its folder (see `PathBase`); one written
/// to standard output starts where the review runs.
fn base_of(path: &Path) -> PathBase {
    let folder = match path.parent() {
        _ if path.as_os_str() == "-" => Path::new("."),
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (
        std::env::current_dir().and_then(std::fs::canonicalize),
        std::fs::canonicalize(folder),
    ) {
        (Ok(cwd), Ok(folder)) => PathBase::new(cwd, folder),
        // A folder that cannot be resolved cannot be written to either; the
        // review's own paths are the best guess.
        _ => PathBase::default(),
    }
}

/// The baseline file's text, in place of a report, for the file at `path`.
pub fn render(report: &Report, path: &Path) -> String {
    baseline::render(&report.findings, &base_of(path))
}

/// After the baseline is written: what was written, and the exit code (a
/// baseline is written even when some files could not be read, but the run
/// still fails so that nobody mistakes it for a complete one).
pub fn finish(report: &Report, path: &Path) -> ExitCode {
    let n = report.findings.len();
    let to = if path.as_os_str() == "-" {
        "standard output".to_string()
    } else {
        path.display().to_string()
    };
    eprintln!(
        "vigil: wrote {n} finding{} to the baseline {to}",
        if n == 1 { "" } else { "s" }
    );
    if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// The note after a review with `--baseline`; a warning when a baseline
/// with findings hid none in a whole review (a change review may well touch
/// none of them): it was written for other files, or from paths that no
/// longer exist.
pub fn note(report: &Report, path: &Path, accepted: usize, quiet: bool) {
    let n = report.baselined;
    if n == 0 && accepted > 0 && !report.change {
        eprintln!(
            "vigil: warning: the baseline {} matched none of the {} findings it lists: its paths start at its \
             own folder; was it written for these files (and with this vigil)? `vigil baseline -o {}` writes it again",
            path.display(),
            accepted,
            path.display()
        );
        return;
    }
    if quiet {
        return;
    }
    eprintln!(
        "vigil: note: the baseline {} hid {n} finding{}",
        path.display(),
        if n == 1 { "" } else { "s" }
    );
}
