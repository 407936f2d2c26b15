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
    baseline::parse(&text).map_err(|reason| {
        format!(
            "baseline {shown} {reason}; restore it from version control or write a new one with \
             `vigil baseline -o {shown}`"
        )
    })
}

/// The baseline file's text, in place of a report.
pub fn render(report: &Report) -> String {
    baseline::render(&report.findings)
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

/// The note after a review with `--baseline`.
pub fn note(report: &Report, path: &Path) {
    let n = report.baselined;
    eprintln!(
        "vigil: note: the baseline {} hid {n} finding{}",
        path.display(),
        if n == 1 { "" } else { "s" }
    );
}
