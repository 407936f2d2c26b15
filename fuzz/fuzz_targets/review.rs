//! The whole pipeline from bytes to rendered reports: decoding (PEP 263
//! encodings, BOM, listings, the test for prose), parsing, every rule,
//! findings, filters, every format (the terminal layout with carets
//! included) and the `--fix` edits. Any panic, hang or overflow here is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil::input::Origin;
use vigil::input::source::decode;
use vigil::report::paint::Paint;
use vigil::report::{self, Format, Report, statistics, text};
use vigil::review::{self, Settings};
use vigil::rules::registry::Selection;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses how the input is taken, as a file name or
    // standard input would.
    let (origin, bytes) = match data.split_first() {
        Some((flag, rest)) => {
            let origin = match flag % 3 {
                0 => Origin::PythonFile,
                1 => Origin::OtherFile,
                _ => Origin::Stdin,
            };
            (origin, rest.to_vec())
        }
        None => (Origin::PythonFile, Vec::new()),
    };
    let Ok(file) = decode(bytes, "fuzz.py".to_string(), origin) else { return };
    let selection = Selection::new(&["ALL".to_string()], &[]).expect("ALL is a valid selector");
    let result = review::review(&file, &Settings::new(selection));
    let report = Report { files_reviewed: 1, findings: result.findings, ..Report::default() };
    let terminal = text::Options { paint: Paint::new(true), carets: true, quiet: false };
    let _ = text::render_with(&report, &terminal);
    let _ = statistics::render(&report, &terminal);
    // A listing's numbers are not the text's: `--fix` never edits one.
    if file.line_numbers.is_empty() && file.indent == 0 {
        let _ = vigil::fix::apply(&file.text, &report.findings);
    }
    for format in [
        Format::Text,
        Format::Concise,
        Format::Json,
        Format::BanditJson,
        Format::Sarif,
        Format::Gerrit,
        Format::Zuul,
        Format::Github,
    ] {
        let _ = report::render(&report, format);
    }
});
