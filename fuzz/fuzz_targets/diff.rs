//! Change review and baseline inputs: any bytes as a diff (parse, compose a
//! series, check hunks against a file) and as a baseline file. Any panic,
//! hang or overflow here is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil::filter::baseline;
use vigil::input::diff;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(patches) = diff::parse(&text) {
        for file in diff::changed_files(&patches) {
            // The input itself stands in for the file on disk.
            let _ = file.check_against(&text);
        }
    }
    let _ = baseline::parse(&text);
});
