//! S613 bidirectional-control-character (Bandit B613).

use ruff_text_size::{TextRange, TextSize};

use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

use super::tables::bidi_control_name;

pub static RULE: Rule = Rule {
    id: "S613",
    name: "bidirectional-control-character",
    bandit: Some("B613"),
    bandit_name: Some("trojansource"),
    family: Family::Frameworks,
    cwe: 838,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags each line of a Python file that contains a Unicode bidirectional control \
               character (U+202A–U+202E, U+2066–U+2069, U+200F), anywhere: code, strings or comments.",
        why: "Bidirectional overrides and isolates make an editor or a code-review tool display \
              characters in a different order than the interpreter reads them (the Trojan Source \
              attack, CVE-2021-42574): a reviewer sees a comment or a closed string where Python sees \
              code, so a patch can pass review while doing something else.",
        example: "# <RLO>, <LRI> and <PDI> stand for U+202E, U+2066 and U+2069, which are invisible:\n\
                  if access_level != 'none<RLO><LRI>':  # Check if admin <PDI><LRI>' and access_level != 'user",
        use_instead: "if access_level != 'none':  # Check if admin",
        fix: "Delete the control characters; if right-to-left text is really needed in a string, write it with `\\u` escapes.",
        references: &[
            "https://trojansource.codes/",
            "https://www.cve.org/CVERecord?id=CVE-2021-42574",
        ],
    },
};

/// Reports every line holding a control character. Bandit stops at the first
/// line of the file (its plugin returns its first issue), which hides the
/// rest of an attack spread over several lines.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    // The line being collected: its number, its first control character and
    // the distinct characters it holds.
    let mut current: Option<(u32, TextRange, Vec<String>)> = None;
    // Every bidi control is outside ASCII: most files are pure ASCII, which
    // a vectorised scan tells at once, and ASCII characters need no lookup.
    if cx.text.is_ascii() {
        return;
    }
    for (offset, c) in cx.text.char_indices() {
        if c.is_ascii() {
            continue;
        }
        let Some(name) = bidi_control_name(c) else {
            continue;
        };
        let (Ok(start), Ok(len)) = (u32::try_from(offset), u32::try_from(c.len_utf8())) else {
            break;
        };
        let range = TextRange::at(TextSize::new(start), TextSize::new(len));
        let line = cx.module.line_of(range.start());
        let described = format!("U+{:04X} {name}", c as u32);
        match &mut current {
            Some((l, _, names)) if *l == line => {
                if !names.contains(&described) {
                    names.push(described);
                }
            }
            _ => {
                if let Some(done) = current.take() {
                    out.push(diagnostic(done));
                }
                current = Some((line, range, vec![described]));
            }
        }
    }
    if let Some(done) = current {
        out.push(diagnostic(done));
    }
}

fn diagnostic((_, range, names): (u32, TextRange, Vec<String>)) -> Diagnostic {
    let plural = if names.len() == 1 { "character" } else { "characters" };
    Diagnostic::new(&RULE, range, format!("line contains bidirectional control {plural} {}", names.join(", ")))
        .detail("The line may display in a different order than Python reads it: review it in a viewer that shows control characters.")
        .fix("Remove the control characters, or spell them as `\\u` escapes inside a string if they are data.")
}
