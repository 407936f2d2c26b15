//! The filesystem checks and operations the check-then-use rule (R101)
//! knows, as data.
//!
//! To add a check: put its qualified name in [`PATH_CHECKS`], keeping the
//! table sorted (a unit test checks the order); the path is its first
//! argument. To add an operation: put `("qualified.name", Op::Kind, path
//! argument index, destination argument index or NO_DEST)` on its own line
//! in [`FILE_OPERATIONS`], sorted by name. Command runners are not listed
//! here: [`is_command_runner`] recognises them by name, since every project
//! wraps `processutils.execute` in its own `_execute`.

/// Calls that test a path and whose answer can be stale by the time it is
/// used. `os.stat` and friends count when their result is tested.
pub const PATH_CHECKS: &[&str] = &[
    "os.access",
    "os.lstat",
    "os.path.exists",
    "os.path.getmtime",
    "os.path.getsize",
    "os.path.isdir",
    "os.path.isfile",
    "os.path.islink",
    "os.path.lexists",
    "os.stat",
];

/// What an operation does to the path it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Opens the file (reading or writing: see the mode).
    Open,
    /// Removes a file or an empty directory.
    Remove,
    /// Removes a tree.
    RemoveTree,
    /// Renames or moves (source and destination).
    Rename,
    /// Copies (source and destination).
    Copy,
    /// Changes the mode; follows symlinks.
    Chmod,
    /// Changes the owner; follows symlinks.
    Chown,
    /// Creates a directory (`exist_ok=True` makes it safe).
    MakeDir,
    /// Creates a link or special file at the destination.
    Create,
    /// Changes times or size.
    Touch,
    /// Runs an external command with the path among its arguments.
    Command,
}

/// No destination argument.
pub const NO_DEST: usize = usize::MAX;

pub const FILE_OPERATIONS: &[(&str, Op, usize, usize)] = &[
    ("codecs.open", Op::Open, 0, NO_DEST),
    ("io.open", Op::Open, 0, NO_DEST),
    ("open", Op::Open, 0, NO_DEST),
    ("os.chmod", Op::Chmod, 0, NO_DEST),
    ("os.chown", Op::Chown, 0, NO_DEST),
    ("os.lchown", Op::Chown, 0, NO_DEST),
    ("os.link", Op::Create, NO_DEST, 1),
    ("os.makedirs", Op::MakeDir, NO_DEST, 0),
    ("os.mkdir", Op::MakeDir, NO_DEST, 0),
    ("os.mkfifo", Op::Create, NO_DEST, 0),
    ("os.mknod", Op::Create, NO_DEST, 0),
    ("os.open", Op::Open, 0, NO_DEST),
    ("os.remove", Op::Remove, 0, NO_DEST),
    ("os.removedirs", Op::Remove, 0, NO_DEST),
    ("os.rename", Op::Rename, 0, 1),
    ("os.renames", Op::Rename, 0, 1),
    ("os.replace", Op::Rename, 0, NO_DEST),
    ("os.rmdir", Op::Remove, 0, NO_DEST),
    ("os.symlink", Op::Create, NO_DEST, 1),
    ("os.truncate", Op::Touch, 0, NO_DEST),
    ("os.unlink", Op::Remove, 0, NO_DEST),
    ("os.utime", Op::Touch, 0, NO_DEST),
    ("shutil.chown", Op::Chown, 0, NO_DEST),
    ("shutil.copy", Op::Copy, 0, 1),
    ("shutil.copy2", Op::Copy, 0, 1),
    ("shutil.copyfile", Op::Copy, 0, 1),
    ("shutil.copytree", Op::Copy, 0, 1),
    ("shutil.move", Op::Rename, 0, 1),
    ("shutil.rmtree", Op::RemoveTree, 0, NO_DEST),
];

/// Whether `qualname` is one of [`PATH_CHECKS`].
pub fn is_path_check(qualname: &str) -> bool {
    PATH_CHECKS.binary_search(&qualname).is_ok()
}

/// The operation `qualname` performs, with its path and destination
/// argument indexes.
pub fn file_operation(qualname: &str) -> Option<(Op, usize, usize)> {
    FILE_OPERATIONS
        .binary_search_by_key(&qualname, |(name, ..)| name)
        .ok()
        .map(|i| (FILE_OPERATIONS[i].1, FILE_OPERATIONS[i].2, FILE_OPERATIONS[i].3))
}

/// Whether a call runs an external command: `processutils.execute`,
/// `utils.execute`, `self._execute`, `self.execute`, `subprocess.*`,
/// `putils.execute`, `priv_rootwrap.execute`, `self._run_ssh`...
pub fn is_command_runner(qualname: &str) -> bool {
    let last = crate::python::names::last_segment(qualname);
    matches!(last, "execute" | "_execute" | "trycmd" | "_run_ssh" | "ssh_execute")
        || (qualname.starts_with("subprocess.")
            && matches!(last, "call" | "check_call" | "check_output" | "run" | "Popen"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(PATH_CHECKS.windows(2).all(|w| w[0] < w[1]));
        assert!(FILE_OPERATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(file_operation("os.remove"), Some((Op::Remove, 0, NO_DEST)));
        assert!(is_path_check("os.path.isdir"));
        assert!(is_command_runner("self._execute"));
        assert!(!is_command_runner("self.executor"));
    }
}
