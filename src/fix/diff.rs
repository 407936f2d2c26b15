//! What `--show-diff` prints: a unified diff per file (`--- path`, `+++
//! path`, three lines of context), the form `patch -p0` and `git apply
//! -p0` read, made by the `similar` crate.

use std::fmt::Write;

use similar::TextDiff;

use crate::report::paint::Paint;

/// The unified diff from `old` to `new` of the file shown as `path`; empty
/// when they are equal. With colour, removed lines are red, added ones
/// green, as `git diff` shows them.
pub fn unified(path: &str, old: &str, new: &str, paint: Paint) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let text = diff.unified_diff().context_radius(3).header(path, path).to_string();
    if !paint.color {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 256);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let painted = if body.starts_with("+++") || body.starts_with("---") {
            paint.bold(body)
        } else if body.starts_with("@@") {
            paint.hunk(body)
        } else if body.starts_with('+') {
            paint.added(body)
        } else if body.starts_with('-') {
            paint.removed(body)
        } else {
            body.to_string()
        };
        let _ = write!(out, "{painted}{end}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unified_diff_with_context() {
        let old = "import yaml\n\nd = yaml.load(s)\n";
        let new = "import yaml\n\nd = yaml.safe_load(s)\n";
        assert_eq!(
            unified("a.py", old, new, Paint::default()),
            "--- a.py\n+++ a.py\n@@ -1,3 +1,3 @@\n import yaml\n \n-d = yaml.load(s)\n+d = yaml.safe_load(s)\n"
        );
        assert_eq!(unified("a.py", old, old, Paint::default()), "");
    }
}
