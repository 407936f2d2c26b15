//! The functions that start processes: Bandit's `shell_injection` settings.
//!
//! S602–S607 and S609 look a call's qualified name (after import aliases are
//! resolved, so `from subprocess import Popen as pop; pop(...)` is
//! `subprocess.Popen`) up in these three tables.
//!
//! To add an entry: write its qualified name on its own line in the table
//! that says how the function runs its command, keeping the table sorted in
//! byte order (`cargo test` checks the order and that no name is in two
//! tables), then add a positive case to the fixture of each rule it feeds.

/// Functions of the `subprocess` family: they run a shell only when given
/// `shell=True` (S602 with a shell, S603 without one).
const SUBPROCESS: &[&str] = &[
    "subprocess.Popen",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.run",
];

/// Functions that always run their command through `/bin/sh` (S605).
const SHELL: &[&str] = &[
    "commands.getoutput",
    "commands.getstatusoutput",
    "os.popen",
    "os.popen2",
    "os.popen3",
    "os.popen4",
    "os.system",
    "popen2.Popen3",
    "popen2.Popen4",
    "popen2.popen2",
    "popen2.popen3",
    "popen2.popen4",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
];

/// Functions that start a program directly, never through a shell (S606).
const NO_SHELL: &[&str] = &[
    "os.execl",
    "os.execle",
    "os.execlp",
    "os.execlpe",
    "os.execv",
    "os.execve",
    "os.execvp",
    "os.execvpe",
    "os.spawnl",
    "os.spawnle",
    "os.spawnlp",
    "os.spawnlpe",
    "os.spawnv",
    "os.spawnve",
    "os.spawnvp",
    "os.spawnvpe",
    "os.startfile",
];

/// How a process-starting function runs its command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Launcher {
    /// `subprocess.*`: a shell only with `shell=True`.
    Subprocess,
    /// `os.system`, `os.popen`...: always a shell.
    Shell,
    /// `os.exec*`, `os.spawn*`, `os.startfile`: never a shell.
    NoShell,
}

/// The kind of launcher `qualname` names, if it is one. Every call of the
/// module asks, once per process rule, so the tables are indexed once.
pub fn launcher(qualname: &str) -> Option<Launcher> {
    static INDEX: std::sync::OnceLock<crate::fxhash::FxHashMap<&'static str, Launcher>> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let kinds = [
            (SUBPROCESS, Launcher::Subprocess),
            (SHELL, Launcher::Shell),
            (NO_SHELL, Launcher::NoShell),
        ];
        kinds
            .iter()
            .flat_map(|(table, kind)| table.iter().map(move |name| (*name, *kind)))
            .collect()
    });
    index.get(qualname).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_disjoint() {
        for table in [SUBPROCESS, SHELL, NO_SHELL] {
            assert!(table.windows(2).all(|w| w[0] < w[1]), "not sorted: {table:?}");
        }
        let all: Vec<&str> = [SUBPROCESS, SHELL, NO_SHELL].concat();
        for name in &all {
            assert_eq!(all.iter().filter(|n| *n == name).count(), 1, "{name} is listed twice");
        }
    }

    #[test]
    fn lookup() {
        assert_eq!(launcher("subprocess.Popen"), Some(Launcher::Subprocess));
        assert_eq!(launcher("subprocess.getoutput"), Some(Launcher::Shell));
        assert_eq!(launcher("os.execvp"), Some(Launcher::NoShell));
        assert_eq!(launcher("Popen"), None);
    }
}
