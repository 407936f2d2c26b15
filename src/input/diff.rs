//! Unified diffs: what a change touched, as line numbers of the new version.
//!
//! Reads what `git diff` prints (any `-U` context, renames and copies, mode
//! changes, binary markers, quoted paths), plain `diff -u` output, and
//! `git format-patch` mails (headers and commit message before the diff; a
//! series of mails is composed patch after patch). The parser is pure: it
//! never touches the disk. [`ChangedFile::check_against`] compares a file's
//! text with what the diff says the new version holds, so a patch for another
//! checkout is caught instead of silently filtering the wrong lines.
//!
//! Neighbours: `cli` runs `git diff` or reads a patch and hands the text here;
//! the changed-line sets go to `filter::changed_lines`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A problem that makes the diff unreadable, at a 1-based line of the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn error(line: usize, message: impl Into<String>) -> DiffError {
    DiffError {
        line,
        message: message.into(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Context,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HunkLine {
    pub kind: LineKind,
    pub text: String,
}

/// One `@@ -a,b +c,d @@` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// The `@@ ... @@` line itself, for messages.
    pub header: String,
    /// Where the header sits in the diff (1-based).
    pub diff_line: usize,
    pub old_start: u32,
    pub old_len: u32,
    pub new_start: u32,
    pub new_len: u32,
    pub lines: Vec<HunkLine>,
}

/// Everything a diff says about one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePatch {
    /// Path before the change, without the `a/` prefix; `None` for a new file.
    pub old_path: Option<String>,
    /// Path after the change, without the `b/` prefix; `None` when deleted.
    pub new_path: Option<String>,
    /// `Binary files ... differ` or `GIT binary patch`: no lines to map.
    pub binary: bool,
    /// The file mode after the change, when the diff says (`100644`, `120000`).
    pub new_mode: Option<u32>,
    /// A copy (`copy from`/`copy to`): the old path stays in place.
    pub copied: bool,
    /// `similarity index N%` of a rename or copy.
    pub similarity: Option<u8>,
    pub hunks: Vec<Hunk>,
    /// Which mail of a `git format-patch` series this section belongs to.
    mail: usize,
}

impl FilePatch {
    /// A symbolic link or a submodule: the "content" is a target or a commit
    /// id, not code.
    pub fn is_link_or_submodule(&self) -> bool {
        matches!(self.new_mode, Some(0o120000 | 0o160000))
    }

    /// The lines this patch adds, numbered in the new version.
    pub fn added_lines(&self) -> BTreeSet<u32> {
        let mut added = BTreeSet::new();
        for hunk in &self.hunks {
            let mut new_line = hunk.new_start;
            for line in &hunk.lines {
                match line.kind {
                    LineKind::Context => new_line += 1,
                    LineKind::Added => {
                        added.insert(new_line);
                        new_line += 1;
                    }
                    LineKind::Removed => {}
                }
            }
        }
        added
    }

    /// Where old line `old` is in the new version; `None` when it was removed.
    fn map_old_line(&self, old: u32) -> Option<u32> {
        let mut shift: i64 = 0;
        for hunk in &self.hunks {
            // A hunk that removes nothing (`-7,0`) inserts after old line 7.
            let (first, end) = if hunk.old_len == 0 {
                (hunk.old_start + 1, hunk.old_start + 1)
            } else {
                (hunk.old_start, hunk.old_start + hunk.old_len)
            };
            if old < first {
                break;
            }
            if old >= end {
                shift += i64::from(hunk.new_len) - i64::from(hunk.old_len);
                continue;
            }
            let (mut o, mut n) = (hunk.old_start, hunk.new_start);
            for line in &hunk.lines {
                match line.kind {
                    LineKind::Context if o == old => return Some(n),
                    LineKind::Removed if o == old => return None,
                    LineKind::Context => (o, n) = (o + 1, n + 1),
                    LineKind::Removed => o += 1,
                    LineKind::Added => n += 1,
                }
            }
            return None;
        }
        u32::try_from(i64::from(old) + shift).ok()
    }
}

/// A file as the whole diff leaves it: its path, the lines changed in its
/// new version, and the last patch section that touched it (the one whose
/// lines must match the file on disk).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    pub path: String,
    pub changed_lines: BTreeSet<u32>,
    pub patch: FilePatch,
}

/// A disagreement between a diff and the file it describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub hunk: String,
    pub diff_line: usize,
    pub line: u32,
    pub expected: String,
    /// `None` when the file is shorter than the diff says.
    pub found: Option<String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "hunk `{}` (diff line {}) expects line {} to be `{}`, ",
            self.hunk,
            self.diff_line,
            self.line,
            shorten(&self.expected)
        )?;
        match &self.found {
            Some(found) => write!(f, "but the file has `{}`", shorten(found)),
            None => write!(f, "but the file ends before it"),
        }
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(MAX).collect::<String>())
    }
}

impl ChangedFile {
    /// Checks that every context and added line of the last patch is what
    /// `text` holds at that line. Line endings (`\r`) and a leading byte-order
    /// mark are not compared.
    pub fn check_against(&self, text: &str) -> Result<(), Mismatch> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
        // `split` yields one empty piece after a final newline (and for an
        // empty file): it is not a line of the file.
        if text.is_empty() || text.ends_with('\n') {
            lines.pop();
        }
        for hunk in &self.patch.hunks {
            let mut n = hunk.new_start;
            for line in &hunk.lines {
                if line.kind == LineKind::Removed {
                    continue;
                }
                let mut expected = line.text.as_str();
                if n == 1 {
                    expected = expected.strip_prefix('\u{feff}').unwrap_or(expected);
                }
                let found = (n as usize).checked_sub(1).and_then(|i| lines.get(i).copied());
                if found != Some(expected) {
                    return Err(Mismatch {
                        hunk: hunk.header.clone(),
                        diff_line: hunk.diff_line,
                        line: n,
                        expected: expected.to_string(),
                        found: found.map(str::to_string),
                    });
                }
                n += 1;
            }
        }
        Ok(())
    }
}

/// Parses a diff into its file sections, in order.
pub fn parse(text: &str) -> Result<Vec<FilePatch>, DiffError> {
    Parser::new(text).run()
}

/// The files a diff leaves in place (deleted files are dropped), sorted by
/// path, each with the lines it changed. The sections of one mail (or of a
/// plain diff) apply together; a later mail of a series applies on top of
/// the earlier ones, moving their changed lines with its own edits.
pub fn changed_files(patches: &[FilePatch]) -> Vec<ChangedFile> {
    let mut state: BTreeMap<String, ChangedFile> = BTreeMap::new();
    let mut start = 0;
    while start < patches.len() {
        let mail = patches[start].mail;
        let end = start + patches[start..].iter().take_while(|p| p.mail == mail).count();
        let sections = &patches[start..end];
        let before = state.clone();
        // Renamed-away and deleted paths leave first, so a section that
        // creates a file at such a path in the same mail is kept.
        for patch in sections {
            if let Some(old) = &patch.old_path
                && !patch.copied
                && patch.new_path.as_ref() != Some(old)
            {
                state.remove(old);
            }
        }
        for patch in sections {
            let Some(new) = &patch.new_path else { continue };
            let carried = patch
                .old_path
                .as_ref()
                .and_then(|old| before.get(old))
                .map(|earlier| {
                    earlier
                        .changed_lines
                        .iter()
                        .filter_map(|&l| patch.map_old_line(l))
                        .collect::<BTreeSet<u32>>()
                })
                .unwrap_or_default();
            let mut changed_lines = patch.added_lines();
            changed_lines.extend(carried);
            state.insert(
                new.clone(),
                ChangedFile {
                    path: new.clone(),
                    changed_lines,
                    patch: patch.clone(),
                },
            );
        }
        start = end;
    }
    state.into_values().collect()
}

/// Where the parser is between file sections.
#[derive(PartialEq, Eq)]
enum Place {
    /// Outside any file section (free text, a mail's header and message).
    Outside,
    /// In a mail's header or commit message, until its `---` line.
    MailHeader,
    /// In a file section, before or between hunks.
    Section,
}

struct Parser<'t> {
    lines: Vec<&'t str>,
    at: usize,
    place: Place,
    mail: usize,
    patches: Vec<FilePatch>,
    /// The current section came from a `diff --git` line: its `---`/`+++`
    /// lines name it, and a new `---`/`+++` pair starts nothing new.
    git_section: bool,
    /// A `---`/`+++` pair has already named the current section.
    named: bool,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        let lines = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect::<Vec<_>>();
        Parser {
            lines,
            at: 0,
            place: Place::Outside,
            mail: 0,
            patches: Vec::new(),
            git_section: false,
            named: false,
        }
    }

    fn run(mut self) -> Result<Vec<FilePatch>, DiffError> {
        // `split` yields an empty piece after the last newline.
        if self.lines.last() == Some(&"") {
            self.lines.pop();
        }
        while self.at < self.lines.len() {
            let line = self.lines[self.at];
            let number = self.at + 1;
            self.at += 1;
            if is_mail_start(line) {
                self.mail += 1;
                self.place = Place::MailHeader;
                continue;
            }
            if self.place == Place::MailHeader {
                // The commit message ends at the first `---` line, as in
                // `git am`; until then nothing is a diff, even a quoted one.
                if line == "---" {
                    self.place = Place::Outside;
                }
                continue;
            }
            if line.starts_with("diff --cc ") || line.starts_with("diff --combined ") || line.starts_with("@@@ ") {
                return Err(error(
                    number,
                    "a combined diff (of a merge) cannot be reviewed: diff against one parent, e.g. `git diff HEAD^1`",
                ));
            }
            if let Some(rest) = line.strip_prefix("diff --git ") {
                let (old, new) = git_header_names(rest).unwrap_or((None, None));
                self.start_section(old, new, true);
            } else if line.starts_with("--- ")
                && let Some(next) = self.lines.get(self.at)
                && next.starts_with("+++ ")
            {
                let old = file_name(&line[4..], number)?;
                let new = file_name(&next[4..], number + 1)?;
                self.at += 1;
                if !(self.git_section && !self.named && self.place == Place::Section) {
                    self.start_section(None, None, false);
                }
                self.named = true;
                let patch = self.current();
                patch.old_path = old.map(|p| strip_prefix(p, "a/"));
                patch.new_path = new.map(|p| strip_prefix(p, "b/"));
            } else if let Some(rest) = line.strip_prefix("@@ ") {
                if self.place != Place::Section {
                    return Err(error(
                        number,
                        "a hunk (`@@ ... @@`) before any file header (`diff --git` or `---`/`+++`)",
                    ));
                }
                let hunk = self.hunk(line, rest, number)?;
                self.current().hunks.push(hunk);
            } else if self.place == Place::Section && self.git_section && !self.named {
                self.extended_header(line, number)?;
            } else if self.place == Place::Section && (line.starts_with("Binary files ") || line == "GIT binary patch")
            {
                self.current().binary = true;
            }
        }
        Ok(self.patches)
    }

    fn start_section(&mut self, old: Option<String>, new: Option<String>, git: bool) {
        self.place = Place::Section;
        self.git_section = git;
        self.named = false;
        self.patches.push(FilePatch {
            old_path: old,
            new_path: new,
            mail: self.mail,
            ..FilePatch::default()
        });
    }

    fn current(&mut self) -> &mut FilePatch {
        // Only called in `Place::Section`, which `start_section` enters after
        // pushing a patch.
        self.patches.last_mut().expect("a section has a patch")
    }

    /// The lines between `diff --git` and `---`/`+++` (or the next section).
    fn extended_header(&mut self, line: &str, number: usize) -> Result<(), DiffError> {
        let patch = self.current();
        if let Some(rest) = line.strip_prefix("rename from ") {
            patch.old_path = Some(unquote_or_plain(rest, number)?);
        } else if let Some(rest) = line.strip_prefix("copy from ") {
            patch.old_path = Some(unquote_or_plain(rest, number)?);
            patch.copied = true;
        } else if let Some(rest) = line
            .strip_prefix("rename to ")
            .or_else(|| line.strip_prefix("copy to "))
        {
            patch.new_path = Some(unquote_or_plain(rest, number)?);
        } else if let Some(mode) = line.strip_prefix("new file mode ") {
            patch.new_mode = parse_mode(mode);
            patch.old_path = None;
        } else if line.starts_with("deleted file mode ") {
            patch.new_path = None;
        } else if let Some(mode) = line.strip_prefix("new mode ") {
            patch.new_mode = parse_mode(mode);
        } else if let Some(rest) = line.strip_prefix("index ") {
            // `index abc..def 100644`: the mode when it did not change.
            if let Some((_, mode)) = rest.split_once(' ') {
                patch.new_mode = patch.new_mode.or(parse_mode(mode));
            }
        } else if let Some(rest) = line.strip_prefix("similarity index ") {
            patch.similarity = rest.trim_end_matches('%').parse().ok();
        } else if line.starts_with("Binary files ") || line == "GIT binary patch" {
            patch.binary = true;
        }
        Ok(())
    }

    fn hunk(&mut self, header: &str, rest: &str, number: usize) -> Result<Hunk, DiffError> {
        let bad = || {
            error(
                number,
                format!(
                    "malformed hunk header `{}`: expected `@@ -START[,COUNT] +START[,COUNT] @@`",
                    shorten(header)
                ),
            )
        };
        let (ranges, _) = rest.split_once(" @@").ok_or_else(bad)?;
        let (old, new) = ranges.split_once(' ').ok_or_else(bad)?;
        let (old_start, old_len) = old.strip_prefix('-').and_then(parse_range).ok_or_else(bad)?;
        let (new_start, new_len) = new.strip_prefix('+').and_then(parse_range).ok_or_else(bad)?;
        // Line arithmetic below stays within START + COUNT (+ 1 for an
        // insertion after START).
        if old_start.checked_add(old_len.max(1)).is_none() || new_start.checked_add(new_len.max(1)).is_none() {
            return Err(bad());
        }
        let mut hunk = Hunk {
            header: header.to_string(),
            diff_line: number,
            old_start,
            old_len,
            new_start,
            new_len,
            lines: Vec::new(),
        };
        let (mut old_left, mut new_left) = (old_len, new_len);
        while old_left > 0 || new_left > 0 {
            let Some(&line) = self.lines.get(self.at) else {
                return Err(self.ends_early(&hunk, old_left, new_left, "the diff ends"));
            };
            let kind = match line.as_bytes().first() {
                Some(b' ') if old_left > 0 && new_left > 0 => LineKind::Context,
                // Mail clients and `diff.suppressBlankEmpty` drop the space of
                // an empty context line.
                None if old_left > 0 && new_left > 0 => LineKind::Context,
                Some(b'+') if new_left > 0 => LineKind::Added,
                Some(b'-') if old_left > 0 => LineKind::Removed,
                Some(b'\\') => {
                    self.at += 1;
                    continue;
                }
                _ => {
                    let what = format!("line {} is `{}`", self.at + 1, shorten(line));
                    return Err(self.ends_early(&hunk, old_left, new_left, &what));
                }
            };
            self.at += 1;
            match kind {
                LineKind::Context => (old_left, new_left) = (old_left - 1, new_left - 1),
                LineKind::Added => new_left -= 1,
                LineKind::Removed => old_left -= 1,
            }
            hunk.lines.push(HunkLine {
                kind,
                text: line.get(1..).unwrap_or("").to_string(),
            });
        }
        Ok(hunk)
    }

    fn ends_early(&self, hunk: &Hunk, old_left: u32, new_left: u32, what: &str) -> DiffError {
        error(
            hunk.diff_line,
            format!(
                "hunk `{}` is cut short: {} before its last {} old and {} new line(s); \
                 is the diff truncated or edited by hand?",
                shorten(&hunk.header),
                what,
                old_left,
                new_left
            ),
        )
    }
}

/// `From <40 hex digits> Mon Sep 17 00:00:00 2001`: the first line of every
/// `git format-patch` mail.
fn is_mail_start(line: &str) -> bool {
    line.strip_prefix("From ")
        .and_then(|rest| rest.split_once(' '))
        .is_some_and(|(hash, date)| {
            hash.len() == 40 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && date.ends_with(" 2001")
        })
}

fn parse_mode(text: &str) -> Option<u32> {
    u32::from_str_radix(text.trim(), 8).ok()
}

fn parse_range(text: &str) -> Option<(u32, u32)> {
    match text.split_once(',') {
        Some((start, len)) => Some((start.parse().ok()?, len.parse().ok()?)),
        None => Some((text.parse().ok()?, 1)),
    }
}

fn strip_prefix(path: String, prefix: &str) -> String {
    match path.strip_prefix(prefix) {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => path,
    }
}

/// The name on a `---` or `+++` line: quoted as git quotes it, or plain up to
/// a tab (after which `diff -u` writes a date, and git nothing: it adds the
/// tab to names with spaces). `None` for `/dev/null`.
fn file_name(text: &str, number: usize) -> Result<Option<String>, DiffError> {
    let name = if text.starts_with('"') {
        let (name, _) = unquote(text).ok_or_else(|| error(number, format!("malformed quoted path `{text}`")))?;
        name
    } else {
        match text.split_once('\t') {
            Some((name, _)) => name.to_string(),
            None => text.trim_end().to_string(),
        }
    };
    Ok(if name == "/dev/null" { None } else { Some(name) })
}

fn unquote_or_plain(text: &str, number: usize) -> Result<String, DiffError> {
    if text.starts_with('"') {
        unquote(text)
            .map(|(name, _)| name)
            .ok_or_else(|| error(number, format!("malformed quoted path `{text}`")))
    } else {
        Ok(text.to_string())
    }
}

/// Reads a C-style quoted path as git writes it (`"a/caf\303\251.py"`):
/// returns the path and the rest of the text after the closing quote.
fn unquote(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('"')?;
    let bytes = body.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Some((String::from_utf8_lossy(&out).into_owned(), &body[i + 1..])),
            b'\\' => {
                let c = *bytes.get(i + 1)?;
                i += 2;
                out.push(match c {
                    b'a' => 0x07,
                    b'b' => 0x08,
                    b't' => b'\t',
                    b'n' => b'\n',
                    b'v' => 0x0b,
                    b'f' => 0x0c,
                    b'r' => b'\r',
                    b'"' | b'\\' => c,
                    b'0'..=b'3' => {
                        let digits = bytes.get(i..i + 2)?;
                        if !digits.iter().all(|d| (b'0'..=b'7').contains(d)) {
                            return None;
                        }
                        i += 2;
                        (c - b'0') * 64 + (digits[0] - b'0') * 8 + (digits[1] - b'0')
                    }
                    _ => return None,
                });
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    None
}

/// The two names of a `diff --git A B` line, prefixes removed. Unquoted names
/// with spaces are ambiguous; git's own rule resolves the common case, where
/// both names are the same file (`a/my file.py b/my file.py`). Renames and
/// copies name their paths again in `rename from`/`rename to` lines.
fn git_header_names(rest: &str) -> Option<(Option<String>, Option<String>)> {
    if rest.starts_with('"') {
        let (old, after) = unquote(rest)?;
        let after = after.strip_prefix(' ')?;
        let new = if after.starts_with('"') {
            unquote(after)?.0
        } else {
            after.to_string()
        };
        return Some((Some(strip_prefix(old, "a/")), Some(strip_prefix(new, "b/"))));
    }
    if let Some(space) = rest.find(" \"") {
        let old = rest[..space].to_string();
        let new = unquote(&rest[space + 1..])?.0;
        return Some((Some(strip_prefix(old, "a/")), Some(strip_prefix(new, "b/"))));
    }
    // Same name on both sides: `a/NAME b/NAME` splits in the middle.
    if rest.len() % 2 == 1 {
        let middle = rest.len() / 2;
        if rest.as_bytes()[middle] == b' ' && rest.is_char_boundary(middle) {
            let (old, new) = (
                strip_prefix(rest[..middle].to_string(), "a/"),
                strip_prefix(rest[middle + 1..].to_string(), "b/"),
            );
            if old == new {
                return Some((Some(old), Some(new)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> FilePatch {
        let patches = parse(text).unwrap();
        assert_eq!(patches.len(), 1, "{patches:?}");
        patches.into_iter().next().unwrap()
    }

    fn lines(set: &BTreeSet<u32>) -> Vec<u32> {
        set.iter().copied().collect()
    }

    #[test]
    fn modified_and_added_lines_with_context() {
        let p = one("diff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n\
                     @@ -1,4 +1,5 @@ def f():\n a\n-b\n+B\n+C\n c\n d\n@@ -10 +11 @@\n-j\n+J\n");
        assert_eq!(p.old_path.as_deref(), Some("x.py"));
        assert_eq!(p.new_path.as_deref(), Some("x.py"));
        assert_eq!(p.new_mode, Some(0o100644));
        assert_eq!(p.hunks.len(), 2);
        assert_eq!(lines(&p.added_lines()), vec![2, 3, 11]);
    }

    #[test]
    fn zero_context_hunks() {
        let p = one("--- a/x.py\n+++ b/x.py\n@@ -3,0 +4,2 @@\n+n1\n+n2\n@@ -7,2 +8,0 @@\n-gone\n-gone\n");
        assert_eq!(lines(&p.added_lines()), vec![4, 5]);
    }

    #[test]
    fn new_and_deleted_files() {
        let new = one(
            "diff --git a/n.py b/n.py\nnew file mode 100644\nindex 0..1\n--- /dev/null\n+++ b/n.py\n@@ -0,0 +1,2 @@\n+a\n+b\n",
        );
        assert_eq!((new.old_path, new.new_path.as_deref()), (None, Some("n.py")));
        let gone =
            one("diff --git a/d.py b/d.py\ndeleted file mode 100644\n--- a/d.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n");
        assert_eq!((gone.old_path.as_deref(), gone.new_path), (Some("d.py"), None));
        // An empty file added or removed has no `---`/`+++` lines at all.
        let empty = one("diff --git a/e.py b/e.py\ndeleted file mode 100644\nindex e69de29..0000000\n");
        assert_eq!((empty.old_path.as_deref(), empty.new_path), (Some("e.py"), None));
        assert!(changed_files(&parse("diff --git a/e.py b/e.py\ndeleted file mode 100644\n").unwrap()).is_empty());
    }

    #[test]
    fn renames_with_and_without_edits() {
        let pure = one(
            "diff --git a/old name.py b/new.py\nsimilarity index 100%\nrename from old name.py\nrename to new.py\n",
        );
        assert_eq!(pure.old_path.as_deref(), Some("old name.py"));
        assert_eq!(pure.new_path.as_deref(), Some("new.py"));
        assert_eq!(pure.similarity, Some(100));
        let edited = one(
            "diff --git a/big.py b/new name.py\nsimilarity index 90%\nrename from big.py\nrename to new name.py\n\
                          index 0ff3bbb..fb3ced1 100644\n--- a/big.py\n+++ b/new name.py\t\n@@ -5 +5 @@\n-5\n+five\n",
        );
        assert_eq!(edited.new_path.as_deref(), Some("new name.py"));
        assert_eq!(lines(&edited.added_lines()), vec![5]);
    }

    #[test]
    fn quoted_paths_as_git_writes_them() {
        let p = one(
            "diff --git \"a/caf\\303\\251.py\" \"b/caf\\303\\251.py\"\n--- \"a/caf\\303\\251.py\"\n+++ \"b/caf\\303\\251.py\"\n@@ -1,0 +2 @@ x\n+y\n\\ No newline at end of file\n",
        );
        assert_eq!(p.new_path.as_deref(), Some("café.py"));
        assert_eq!(lines(&p.added_lines()), vec![2]);
        let q = one("diff --git \"a/quo\\\"te\\\\t.py\" \"b/quo\\\"te\\\\t.py\"\nnew mode 100755\n");
        assert_eq!(q.new_path.as_deref(), Some("quo\"te\\t.py"));
        assert_eq!(q.new_mode, Some(0o100755));
        assert_eq!(unquote("\"a\\tb\\001\" rest"), Some(("a\tb\u{1}".to_string(), " rest")));
        assert_eq!(unquote("\"unterminated"), None);
        assert_eq!(unquote("\"bad \\q\""), None);
    }

    #[test]
    fn unquoted_names_with_spaces() {
        assert_eq!(
            git_header_names("a/my file.py b/my file.py"),
            Some((Some("my file.py".into()), Some("my file.py".into())))
        );
        let p = one(
            "diff --git a/my file.py b/my file.py\nindex 1..2 100644\n--- a/my file.py\t\n+++ b/my file.py\t\n@@ -2 +2 @@\n-b\n+c\n",
        );
        assert_eq!(p.new_path.as_deref(), Some("my file.py"));
        // `diff -u` writes a date after a tab.
        let d = one(
            "--- x.py\t2024-01-01 10:00:00.000 +0000\n+++ x.py\t2024-01-02 10:00:00.000 +0000\n@@ -1 +1 @@\n-a\n+b\n",
        );
        assert_eq!(d.new_path.as_deref(), Some("x.py"));
    }

    #[test]
    fn binary_links_and_submodules_are_flagged() {
        let bin = one(
            "diff --git a/b.dat b/b.dat\nnew file mode 100644\nindex 0..1\nBinary files /dev/null and b/b.dat differ\n",
        );
        assert!(bin.binary);
        assert_eq!(bin.new_path.as_deref(), Some("b.dat"));
        let link = one(
            "diff --git a/l.py b/l.py\nnew file mode 120000\n--- /dev/null\n+++ b/l.py\n@@ -0,0 +1 @@\n+target.py\n\\ No newline at end of file\n",
        );
        assert!(link.is_link_or_submodule());
        let sub = one(
            "diff --git a/sub b/sub\nindex 1..2 160000\n--- a/sub\n+++ b/sub\n@@ -1 +1 @@\n-Subproject commit 1\n+Subproject commit 2\n",
        );
        assert!(sub.is_link_or_submodule());
    }

    #[test]
    fn format_patch_mail_with_diff_like_message() {
        let mail = "From 3bcbc9626c0a3f82db3885467b173ed11d28898b Mon Sep 17 00:00:00 2001\nFrom: t <t@e>\n\
                    Subject: [PATCH] change\n\ndiff --git a/x b/x in message\n--- a/foo\n+++ b/foo\n---\n x.py | 2 +-\n\n\
                    diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n-- \n2.47.3\n\n";
        let p = one(mail);
        assert_eq!(p.new_path.as_deref(), Some("x.py"));
        assert_eq!(lines(&p.added_lines()), vec![1]);
    }

    #[test]
    fn a_series_moves_earlier_changes() {
        let series = "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nSubject: one\n---\n\
                      diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -5,0 +6 @@\n+first\n\
                      From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\nSubject: two\n---\n\
                      diff --git a/x.py b/y.py\nrename from x.py\nrename to y.py\n--- a/x.py\n+++ b/y.py\n@@ -1,0 +2,2 @@\n+a\n+b\n\
                      @@ -10 +12 @@\n-old\n+new\n";
        let files = changed_files(&parse(series).unwrap());
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "y.py");
        assert_eq!(lines(&files[0].changed_lines), vec![2, 3, 8, 12]);
    }

    #[test]
    fn one_diff_applies_its_sections_together() {
        // A rename chain in one diff: b.py's old content is not a.py's new one.
        let diff = "diff --git a/a.py b/b.py\nrename from a.py\nrename to b.py\n--- a/a.py\n+++ b/b.py\n@@ -1 +1 @@\n-x\n+y\n\
                    diff --git a/b.py b/c.py\nrename from b.py\nrename to c.py\n";
        let files = changed_files(&parse(diff).unwrap());
        let summary: Vec<_> = files
            .iter()
            .map(|f| (f.path.as_str(), lines(&f.changed_lines)))
            .collect();
        assert_eq!(summary, vec![("b.py", vec![1]), ("c.py", vec![])]);
    }

    #[test]
    fn mapping_old_lines_through_hunks() {
        let p = one("--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+top\n@@ -3,2 +4 @@\n c\n-d\n@@ -8,0 +9,2 @@\n+e\n+f\n");
        let mapped: Vec<_> = (1..=10).map(|l| p.map_old_line(l)).collect();
        assert_eq!(
            mapped,
            vec![
                Some(2),
                Some(3),
                Some(4),
                None,
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                Some(11),
                Some(12)
            ]
        );
    }

    #[test]
    fn checking_against_the_file() {
        let p = one("--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,3 @@\n a\n+b\n c\n");
        let file = ChangedFile {
            path: "x.py".into(),
            changed_lines: p.added_lines(),
            patch: p,
        };
        assert_eq!(file.check_against("a\nb\nc\n"), Ok(()));
        assert_eq!(file.check_against("\u{feff}a\r\nb\r\nc"), Ok(()));
        let wrong = file.check_against("a\nB\nc\n").unwrap_err();
        assert_eq!(
            wrong.to_string(),
            "hunk `@@ -1,2 +1,3 @@` (diff line 3) expects line 2 to be `b`, but the file has `B`"
        );
        let short = file.check_against("a\nb\n").unwrap_err();
        assert_eq!(short.found, None);
        assert!(
            short
                .to_string()
                .ends_with("expects line 3 to be `c`, but the file ends before it")
        );
    }

    #[test]
    fn broken_diffs_are_errors_with_lines() {
        let cut = parse("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n").unwrap_err();
        assert_eq!(cut.line, 3);
        assert!(
            cut.message
                .contains("is cut short: the diff ends before its last 1 old and 2 new line(s)"),
            "{cut}"
        );
        let bad = parse("--- a/x\n+++ b/x\n@@ -1,x +1 @@\n").unwrap_err();
        assert_eq!(
            bad.to_string(),
            "line 3: malformed hunk header `@@ -1,x +1 @@`: expected `@@ -START[,COUNT] +START[,COUNT] @@`"
        );
        let stray = parse("@@ -1 +1 @@\n-a\n+b\n").unwrap_err();
        assert_eq!(stray.line, 1);
        let combined = parse("diff --cc x.py\n").unwrap_err();
        assert!(combined.message.starts_with("a combined diff"), "{combined}");
        let odd = parse("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n*b\n").unwrap_err();
        assert!(odd.message.contains("line 5 is `*b`"), "{odd}");
    }

    #[test]
    fn empty_context_lines_and_crlf_diffs() {
        let p = one("--- a/x\r\n+++ b/x\r\n@@ -1,3 +1,3 @@\r\n a\r\n\r\n-b\r\n+c\r\n");
        assert_eq!(p.new_path.as_deref(), Some("x"));
        assert_eq!(lines(&p.added_lines()), vec![3]);
        assert_eq!(p.hunks[0].lines[1].text, "");
    }

    #[test]
    fn mangled_diffs_never_panic() {
        let sample = "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nSubject: x\n---\n\
                      diff --git \"a/caf\\303\\251.py\" \"b/caf\\303\\251.py\"\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n\
                      @@ -1,3 +1,4 @@ f\n a\n-b\n+c\n+d\n e\n\\ No newline at end of file\n\
                      diff --git a/y b/z\nrename from y\nrename to z\n@@ -4294967295,0 +4294967295,1 @@\n+x\n";
        let bytes = sample.as_bytes();
        let mut inputs: Vec<Vec<u8>> = (0..=bytes.len()).map(|n| bytes[..n].to_vec()).collect();
        for i in 0..bytes.len() {
            for replacement in [b' ', b'\n', b'9', b'-', b'+', b'@', b'"', b'\\'] {
                let mut mutated = bytes.to_vec();
                mutated[i] = replacement;
                inputs.push(mutated);
            }
        }
        for input in inputs {
            let text = String::from_utf8_lossy(&input);
            if let Ok(patches) = parse(&text) {
                for file in changed_files(&patches) {
                    let _ = file.check_against(&text);
                    let _ = file.check_against("");
                }
            }
        }
    }

    #[test]
    fn nothing_but_text_is_no_files() {
        assert_eq!(parse("just some words\n--- not a header\n").unwrap(), vec![]);
        assert_eq!(parse("").unwrap(), vec![]);
    }
}
