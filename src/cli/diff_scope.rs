//! Change review (`--diff REV`, `--diff-file PATCH`): which files a change
//! touched, which of their lines, and the check that the diff describes the
//! files on disk.
//!
//! `--diff` runs `git diff` itself, with every setting that would change what
//! it prints pinned (no external diff, no textconv, no colour, `a/` and `b/`
//! prefixes, paths from the top of the repository). Paths in a diff are
//! relative to the top of the git repository containing the first path named
//! (or the current directory), or to the current directory outside git, as
//! `git apply` reads them. The named paths limit the review, and files are
//! shown as a plain review would show them, so fingerprints and baselines
//! agree between the two.
//!
//! Neighbours: `input::diff` parses, `filter::changed_lines` filters, and
//! `review_cmd` loads each file through [`load`] and reviews it.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use super::ReviewArgs;
use crate::filter::ChangedLines;
use crate::input::diff::{self, ChangedFile};
use crate::input::{self, Discovered, InputError, SourceFile};

/// What a change review covers.
pub struct DiffScope {
    /// The changed Python files to review, and the problems found on the way.
    pub discovered: Discovered,
    pub changed_lines: ChangedLines,
    /// The diff of each file to review, by shown path, to check against disk.
    changes: HashMap<String, ChangedFile>,
    /// Python files git does not track yet, reviewed whole (`--diff` only),
    /// as shown.
    pub untracked: Vec<String>,
}

/// The diff to review, when `--diff` or `--diff-file` asks for one. Errors
/// are usage errors: a bad revision, an unreadable or malformed diff.
pub fn resolve(args: &ReviewArgs, paths: &[PathBuf]) -> Result<Option<DiffScope>, String> {
    let (rev, patch) = (args.diff.as_deref(), args.diff_file.as_deref());
    if rev.is_none() && patch.is_none() {
        return Ok(None);
    }
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(
            "`-` (standard input) cannot be reviewed as part of a change: name the files or directories \
                    the change review is limited to, or none"
                .to_string(),
        );
    }
    let mut discovered = Discovered::default();
    let mut scopes: Vec<(&Path, PathBuf)> = Vec::new();
    for path in paths {
        match std::fs::canonicalize(path) {
            Ok(real) => scopes.push((path, real)),
            Err(_) => discovered.errors.push(InputError::new(
                input::source::shown_path(path),
                "no such file or directory",
            )),
        }
    }
    let start = match scopes.first() {
        Some((_, real)) if real.is_file() => real.parent().unwrap_or(real).to_path_buf(),
        Some((_, real)) => real.clone(),
        None => current_dir()?,
    };
    let mut untracked_listed = None;
    let (root, text, source) = match (rev, patch) {
        (Some(rev), _) => {
            let root = git_toplevel(&start)?;
            // Two git commands at once: what changed, and what git does not
            // track yet.
            let (text, listed) = std::thread::scope(|threads| {
                let listed = threads.spawn(|| git_untracked(&root, &scopes));
                let text = git_diff(&root, rev);
                let listed = listed
                    .join()
                    .unwrap_or_else(|_| Err("`git ls-files --others` could not be run".to_string()));
                (text, listed)
            });
            let text = text?;
            untracked_listed = Some(listed?);
            (root, text, format!("`git diff {rev}`"))
        }
        (None, Some(patch)) => {
            let text = read_patch(patch)?;
            let source = if patch.as_os_str() == "-" {
                "the diff on standard input".to_string()
            } else {
                patch.display().to_string()
            };
            let root = repository_above(&start).map_or_else(current_dir, Ok)?;
            (root, text, source)
        }
        (None, None) => unreachable!("checked above: one of --diff and --diff-file is given"),
    };
    let patches = diff::parse(&text).map_err(|e| format!("{source}: {e}"))?;
    if patches.is_empty() && !text.trim().is_empty() {
        return Err(format!(
            "{source}: no file changes found: expected a unified diff (from `git diff`, `git format-patch` or `diff -u`)"
        ));
    }

    let mut changed_lines = ChangedLines::default();
    let mut changes = HashMap::new();
    for change in diff::changed_files(&patches) {
        let relative = Path::new(&change.path);
        if relative.is_absolute() || relative.components().any(|c| !matches!(c, Component::Normal(_))) {
            discovered.errors.push(InputError::new(
                &change.path,
                format!("{source} names a path outside the repository; not reviewed"),
            ));
            continue;
        }
        let Some((shown_buf, shown, real)) = place(&root, relative, &scopes) else {
            continue;
        };
        if change.patch.binary || change.patch.is_link_or_submodule() {
            continue;
        }
        match std::fs::symlink_metadata(&real) {
            Err(_) => {
                discovered.errors.push(InputError::new(
                    &shown,
                    format!(
                        "{source} changes this file, but it is not on disk: is the diff for this checkout, \
                         and is vigil run where its paths start (the top of the repository)?"
                    ),
                ));
                continue;
            }
            Ok(meta) if meta.file_type().is_symlink() => {
                discovered
                    .skipped
                    .push(InputError::new(&shown, "is a symlink on disk; not followed"));
                continue;
            }
            Ok(meta) if !meta.is_file() => continue,
            Ok(_) => {}
        }
        if !input::discover::is_python_file(&real) {
            continue;
        }
        changed_lines.insert(shown.clone(), change.changed_lines.clone());
        discovered.files.push(shown_buf);
        changes.insert(shown, change);
    }
    // `git diff REV` compares with the work tree but never shows a file git
    // does not track yet, though a new module is part of the change being
    // written: such files are reviewed whole, as added, and named on
    // standard error so that nobody mistakes a scratch file for the change.
    let mut untracked = Vec::new();
    if let Some(listed) = untracked_listed {
        for relative in listed {
            let Some((shown_buf, shown, real)) = place(&root, Path::new(&relative), &scopes) else {
                continue;
            };
            let is_file = std::fs::symlink_metadata(&real).is_ok_and(|m| m.is_file());
            if changes.contains_key(&shown) || !is_file || !input::discover::is_python_file(&real) {
                continue;
            }
            changed_lines.insert(shown.clone(), every_line(&real));
            discovered.files.push(shown_buf);
            untracked.push(shown);
        }
    }
    discovered.files.sort();
    discovered.files.dedup();
    Ok(Some(DiffScope {
        discovered,
        changed_lines,
        changes,
        untracked,
    }))
}

/// Where a path of the diff (relative to the repository's top) is, when it
/// is under one of the named paths: the path to show (as a plain review of
/// the named path would), the same as text, and the path on disk.
fn place(root: &Path, relative: &Path, scopes: &[(&Path, PathBuf)]) -> Option<(PathBuf, String, PathBuf)> {
    let real = root.join(relative);
    let (named, scope) = scopes.iter().find(|(_, scope)| real.starts_with(scope))?;
    let shown_buf = match real.strip_prefix(scope) {
        Ok(rest) if rest.as_os_str().is_empty() => named.to_path_buf(),
        Ok(rest) => named.join(rest),
        Err(_) => return None,
    };
    let shown = input::source::shown_path(&shown_buf);
    Some((shown_buf, shown, real))
}

/// Every line of a file that is new as a whole. A file that cannot be read
/// gets no lines here; reading it for the review reports why.
fn every_line(path: &Path) -> std::collections::BTreeSet<u32> {
    let lines = std::fs::read(path).map_or(0, |bytes| {
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
        newlines + usize::from(!bytes.is_empty() && !bytes.ends_with(b"\n"))
    });
    (1..=u32::try_from(lines).unwrap_or(u32::MAX)).collect()
}

/// Reads a file for review: in a change review, as Python, and only when
/// the diff's lines are the file's lines.
pub fn load(scope: Option<&DiffScope>, path: &Path, shown: &str) -> Result<SourceFile, InputError> {
    let Some(scope) = scope else {
        return input::load(path, shown);
    };
    let file = input::load_python(path, shown)?;
    if let Some(change) = scope.changes.get(shown)
        && let Err(mismatch) = change.check_against(&file.text)
    {
        return Err(InputError::new(
            shown,
            format!(
                "the diff does not match the file on disk: {mismatch}; is the diff for this checkout \
                 (a patch file must be applied first, as `git am` or `git apply` does)?"
            ),
        ));
    }
    Ok(file)
}

fn current_dir() -> Result<PathBuf, String> {
    std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .map_err(|e| format!("cannot read the current directory: {e}"))
}

/// The nearest directory at or above `start` holding `.git` (a directory in
/// a clone, a file in a worktree or submodule).
fn repository_above(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

fn read_patch(patch: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    let read = if patch.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(patch).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    read.map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => e.to_string(),
        };
        format!("cannot read the diff {}: {reason}", patch.display())
    })?;
    // Lines of a file that is not UTF-8 become unreadable here and the file
    // itself is reported when it is reviewed; headers and paths are ASCII
    // (git quotes other bytes).
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Runs git in `dir`; `what` names the command in messages.
fn run_git(dir: &Path, args: &[&str], what: &str) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| {
            format!("cannot run git ({e}): `--diff` needs git on PATH; `--diff-file` reads a patch instead")
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("`{what}` failed in {}: {}", dir.display(), stderr.trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn git_toplevel(start: &Path) -> Result<PathBuf, String> {
    let top = run_git(
        start,
        &["rev-parse", "--show-toplevel"],
        "git rev-parse --show-toplevel",
    )?;
    std::fs::canonicalize(top.trim_end_matches(['\n', '\r']))
        .map_err(|e| format!("cannot read the repository top {}: {e}", top.trim()))
}

/// The files under the named paths (`scopes`) that git does not track and
/// does not ignore, relative to `root` (NUL-separated output: no quoting to
/// undo). Only files under the named paths are kept (`place`), so git is
/// asked about those alone: in nova's whole repository, `nova` instead of
/// `.` is 5.4 ms of git's CPU instead of 8.4 ms, every change review.
fn git_untracked(root: &Path, scopes: &[(&Path, PathBuf)]) -> Result<Vec<String>, String> {
    let mut specs: Vec<&str> = Vec::new();
    for (_, real) in scopes {
        match real.strip_prefix(root).map(Path::to_str) {
            Ok(Some("")) => specs.push("."),
            Ok(Some(relative)) => specs.push(relative),
            // Not UTF-8: the whole repository, as `.` (place() keeps what is
            // under the named paths).
            Ok(None) => {
                specs = vec!["."];
                break;
            }
            // Outside the repository: nothing there is git's.
            Err(_) => {}
        }
    }
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    // Literal: a named folder such as `a[1]` is not a glob.
    let mut args = vec![
        "--literal-pathspecs",
        "ls-files",
        "--others",
        "--exclude-standard",
        "-z",
        "--",
    ];
    args.extend(specs);
    let listed = run_git(root, &args, "git ls-files --others --exclude-standard")?;
    Ok(listed
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect())
}

fn git_diff(root: &Path, rev: &str) -> Result<String, String> {
    // A revision starting with `-` would be read as an option of git diff
    // (`--output=FILE` writes files).
    if rev.is_empty() || rev.starts_with('-') {
        return Err(format!(
            "`--diff {rev}`: expected a revision such as HEAD~1, a commit id or origin/master"
        ));
    }
    run_git(
        root,
        &[
            // The user's configuration must not change what vigil reads.
            "-c",
            "diff.relative=false",
            "-c",
            "diff.noprefix=false",
            "-c",
            "diff.mnemonicPrefix=false",
            "-c",
            "core.quotePath=true",
            "diff",
            "--no-ext-diff",
            "--no-textconv",
            "--no-color",
            "-M",
            "-U0",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            rev,
            "--",
        ],
        &format!("git diff {rev}"),
    )
}
