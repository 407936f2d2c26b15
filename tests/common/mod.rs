//! Helpers shared by the end-to-end tests of change review and baselines:
//! real git repositories made in a temporary directory, and the exact text
//! vigil prints for an S101 (assert-used) finding.
//!
//! Git runs with no system or global configuration (and a private HOME), and
//! every repository sets its own user name and e-mail, so the tests never
//! depend on how the machine's git is configured.

#![allow(dead_code, reason = "each test crate uses part of the helpers")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("home")).unwrap();
        std::fs::create_dir(dir.path().join("work")).unwrap();
        let repo = Repo { dir };
        repo.git(&["init", "-q"]);
        repo.git(&["config", "user.name", "Vigil Test"]);
        repo.git(&["config", "user.email", "vigil@example.invalid"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo.git(&["config", "core.autocrlf", "false"]);
        repo
    }

    /// The work tree (the repository's top directory).
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn isolate(&self, cmd: &mut Command) {
        cmd.env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.home().join("gitconfig"))
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home())
            .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
    }

    /// Runs git in the work tree; its standard output.
    pub fn git(&self, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        cmd.args(args).current_dir(self.path());
        self.isolate(&mut cmd);
        let out = cmd.output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn write(&self, name: &str, text: &str) {
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap()
    }

    pub fn remove(&self, name: &str) {
        std::fs::remove_file(self.path().join(name)).unwrap();
    }

    pub fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Runs vigil in `dir` (relative to the work tree) with git isolated the same way.
    pub fn vigil_in(&self, dir: &str, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
        cmd.args(args).current_dir(self.path().join(dir));
        self.isolate(&mut cmd);
        run_with_input(&mut cmd, stdin.unwrap_or("").as_bytes())
    }

    pub fn vigil(&self, args: &[&str]) -> Output {
        self.vigil_in(".", args, None)
    }

    /// Runs vigil in the work tree with more environment variables.
    pub fn vigil_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
        cmd.args(args).current_dir(self.path());
        self.isolate(&mut cmd);
        cmd.envs(env.iter().copied());
        run_with_input(&mut cmd, b"")
    }
}

/// Runs `cmd` with `input` on its standard input and collects its output. A
/// program may exit before reading its input (vigil refuses `--fix -` before
/// it reads), so a broken pipe on the write is not the test's failure.
pub fn run_with_input(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program runs");
    let mut pipe = child.stdin.take().unwrap();
    match pipe.write_all(input) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("writing standard input: {e}"),
        _ => {}
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

/// Runs the vigil under test in `dir`, outside any repository of ours.
pub fn vigil_at(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("vigil runs")
}

/// Writes `text` to `name` under `dir`, making the folders on the way.
pub fn write_at(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a file has a folder")).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A temporary tree holding `files` (name, text).
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        write_at(dir.path(), name, text);
    }
    dir
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The text review of one S101 finding on a one-line `assert COND` at
/// `line`, with `indent` spaces before it.
pub fn s101(path: &str, line: u32, indent: usize, cond: &str) -> String {
    let width = line.to_string().len();
    let pad = " ".repeat(width);
    format!(
        "{path}:{line}:{col}: S101 `assert {cond}` is removed under `python -O`
  S101 · assert-used (Bandit B101) · CWE-703 · severity LOW · confidence HIGH · line {line}
  {pad} |
  {line} | {spaces}assert {cond}
  {pad} |
  Defect: `assert` statements are removed when Python runs with `-O` or `PYTHONOPTIMIZE`, so a check written as an assertion (a permission, a size limit, a state precondition) silently stops protecting anything in an optimised deployment.
  Solution: Use `if not ({cond}): raise ...` if this check must hold in production.
",
        col = indent + 1,
        spaces = " ".repeat(indent),
    )
}

/// A whole text review of `files` files with findings, each of them
/// reviewed: the summary line, then the findings (S101's general
/// explanation, its `Defect:` line, only with the first).
pub fn review_text(findings: &[String], files: usize) -> String {
    review_text_of(findings, files, files)
}

/// [`review_text`] when `reviewed` files were reviewed in all.
pub fn review_text_of(findings: &[String], files: usize, reviewed: usize) -> String {
    let n = findings.len();
    let body: Vec<String> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if i == 0 {
                f.clone()
            } else {
                f.lines()
                    .filter(|l| !l.starts_with("  Defect: "))
                    .map(|l| format!("{l}\n"))
                    .collect()
            }
        })
        .collect();
    format!(
        "Found {n} security defect{} in {files} file{} (0 high, 0 medium, {n} low severity); {reviewed} file{} \
         reviewed.\n\n{}",
        if n == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" },
        if reviewed == 1 { "" } else { "s" },
        body.join("\n"),
    )
}

pub const NO_DEFECTS: &str = "No security defects are detected in the code\n";

/// The path of a file outside the work tree, in the test's directory.
pub fn outside(repo: &Repo, name: &str) -> PathBuf {
    repo.path().parent().map(Path::to_path_buf).unwrap().join(name)
}

/// [`vigil_at`] with more environment variables.
pub fn vigil_with_env_at(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .expect("vigil runs")
}
