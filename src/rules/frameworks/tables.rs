//! Name and character tables of the framework checks (data, not logic).
//!
//! To add an entry, insert one line in its sorted place and add a `# error`
//! line using it to the rule's fixture (`tests/fixtures/rules/S<nnn>.py`).
//! Keep the tables sorted: a test below checks it.

/// Django's `django.utils.safestring` callables that mark a string as safe
/// HTML (S703, Bandit's `affected_functions`). Matched by the callee's last
/// name.
pub const MARK_SAFE_FUNCTIONS: &[&str] = &["SafeBytes", "SafeString", "SafeText", "SafeUnicode", "mark_safe"];

/// Hugging Face downloaders (S615): a callee's last name and the library
/// that must appear in its qualified name.
pub const HUGGINGFACE_DOWNLOADERS: &[(&str, &str)] = &[
    ("from_pretrained", "transformers"),
    ("hf_hub_download", "huggingface_hub"),
    ("load_dataset", "datasets"),
    ("repository_id", "huggingface_hub"),
    ("snapshot_download", "huggingface_hub"),
];

/// Libraries whose import makes S615 look at calls (matched as a substring
/// of an imported name, as Bandit does).
pub const HUGGINGFACE_LIBRARIES: &[&str] = &["datasets", "huggingface_hub", "transformers"];

/// Unicode bidirectional control characters that reorder how source is
/// displayed (S613, the Trojan Source attack), with their Unicode names.
pub const BIDI_CONTROLS: &[(char, &str)] = &[
    ('\u{200f}', "RIGHT-TO-LEFT MARK"),
    ('\u{202a}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202b}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202c}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202d}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202e}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
];

/// The Unicode name of a bidirectional control character, if it is one.
pub fn bidi_control_name(c: char) -> Option<&'static str> {
    BIDI_CONTROLS
        .binary_search_by_key(&c, |(ch, _)| *ch)
        .ok()
        .map(|i| BIDI_CONTROLS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(MARK_SAFE_FUNCTIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(HUGGINGFACE_DOWNLOADERS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(HUGGINGFACE_LIBRARIES.windows(2).all(|w| w[0] < w[1]));
        assert!(BIDI_CONTROLS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn bidi_names() {
        assert_eq!(bidi_control_name('\u{202e}'), Some("RIGHT-TO-LEFT OVERRIDE"));
        assert_eq!(bidi_control_name('a'), None);
    }
}
