//! Property: reviewing a file and reviewing the same code embedded in a
//! review-request listing give the same findings at the same lines (shifted
//! by the listing's first number), with the same rule, column and message.
//!
//! The inputs are every rule fixture (code written to trigger every rule);
//! the listing's first number and its request text are drawn from a seeded
//! generator, so a failure names a reproducible case.

use std::path::Path;

use vigil::input::Origin;
use vigil::input::source::decode;
use vigil::review::{self, Settings};
use vigil::rules::registry::Selection;

/// A small deterministic generator (64-bit LCG, Knuth's constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

type Seen = Vec<(u32, u32, &'static str, String)>;

fn findings(bytes: Vec<u8>, origin: Origin) -> Seen {
    let file = decode(bytes, "case".to_string(), origin).expect("fixture decodes");
    let settings = Settings::new(Selection::new(&["ALL".to_string()], &[]).unwrap());
    review::review(&file, &settings)
        .findings
        .into_iter()
        .map(|f| (f.line, f.column, f.rule.id, f.message))
        .collect()
}

fn as_listing(code: &str, first: u32, request: &str) -> String {
    let mut out = format!("{request}\n\n");
    for (i, line) in code.lines().enumerate() {
        let number = first + i as u32;
        if line.is_empty() {
            out.push_str(&format!("{number}\n"));
        } else {
            out.push_str(&format!("{number} {line}\n"));
        }
    }
    out
}

#[test]
fn a_listing_reviews_like_the_file_it_quotes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    assert!(paths.len() > 50, "expected the rule fixtures");
    let requests = [
        "Please review the code below to detect security defects.",
        "I want you to act as a code reviewer of Nova in OpenStack.\nPlease review the code below.",
        "Review:",
    ];
    let mut rng = Lcg(0x5eed);
    let mut compared = 0;
    for path in paths {
        let code = std::fs::read_to_string(&path).unwrap();
        let direct = findings(code.clone().into_bytes(), Origin::PythonFile);
        let first = 1 + (rng.next() % 5000) as u32;
        let request = requests[(rng.next() % requests.len() as u64) as usize];
        let listing = as_listing(&code, first, request);
        let embedded = findings(listing.into_bytes(), Origin::OtherFile);
        let expected: Seen = direct
            .into_iter()
            .map(|(l, c, id, m)| (l + first - 1, c, id, m))
            .collect();
        assert_eq!(
            embedded,
            expected,
            "{} embedded at line {first} after {request:?} reviews differently",
            path.display()
        );
        compared += 1;
    }
    assert!(compared > 50);
}
