//! The review cache (`.vigil_cache/`) never changes a result: after every
//! edit, a review that uses the cache prints exactly what a review with
//! `--no-cache` prints, including when the edited file is one that others
//! import (its summaries change their dataflow findings).

mod common;

use std::path::Path;

use common::{Repo, stderr, stdout, vigil_at as vigil, write_at as write};

const API: &str = "\
import subprocess

from flask import Flask, request

from pkg import images

app = Flask(__name__)


@app.route('/fetch')
def fetch():
    name = request.args['name']
    images.convert(name)
    return ''


def helper():
    subprocess.call('ls', shell=True)
";

const IMAGES_UNSAFE: &str = "\
import subprocess


def convert(name):
    subprocess.call('qemu-img convert ' + name, shell=True)
";

const IMAGES_SAFE: &str = "\
import subprocess


def convert(name):
    subprocess.call(['qemu-img', 'convert', name])
";

/// Reviews `dir` with and without the cache, in the given formats, and
/// checks that both print the same bytes; returns the cached JSON.
fn same_with_and_without_cache(dir: &Path, extra: &[&str]) -> String {
    let mut json = String::new();
    for format in ["json", "text"] {
        let mut args = vec!["review", "--format", format];
        args.extend_from_slice(extra);
        args.push(".");
        let cached = vigil(dir, &args);
        let mut fresh_args = args.clone();
        fresh_args.insert(1, "--no-cache");
        let fresh = vigil(dir, &fresh_args);
        assert_eq!(
            String::from_utf8_lossy(&cached.stdout),
            String::from_utf8_lossy(&fresh.stdout),
            "{args:?}"
        );
        assert_eq!(cached.status.code(), fresh.status.code());
        if format == "json" {
            json = String::from_utf8_lossy(&cached.stdout).into_owned();
        }
    }
    json
}

fn rules_found(json: &str) -> Vec<(String, u64, String)> {
    let doc: serde_json::Value = serde_json::from_str(json).expect("JSON report");
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A package whose API module passes request data to a shell in the
/// module it imports.
fn unsafe_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pkg/__init__.py", "");
    write(dir.path(), "pkg/api.py", API);
    write(dir.path(), "pkg/images.py", IMAGES_UNSAFE);
    dir
}

#[test]
fn cached_and_uncached_reviews_agree_across_edits() {
    let dir = unsafe_project();
    let root = dir.path();

    // Cold, then warm: the same.
    let first = same_with_and_without_cache(root, &[]);
    assert!(root.join(".vigil_cache/.gitignore").is_file());
    let found = rules_found(&first);
    // The request data reaches a shell in the other module.
    assert!(
        found
            .iter()
            .any(|(p, l, r)| p == "pkg/api.py" && *l == 13 && r.contains("T078")),
        "{found:?}"
    );
    let warm = same_with_and_without_cache(root, &[]);
    assert_eq!(first, warm);

    // An edit to the imported module: the request data no longer reaches a
    // shell there, and the dataflow finding goes.
    write(root, "pkg/images.py", IMAGES_SAFE);
    let after = same_with_and_without_cache(root, &[]);
    assert!(
        !rules_found(&after).iter().any(|(_, _, r)| r.contains("T078")),
        "{after}"
    );

    // And back.
    write(root, "pkg/images.py", IMAGES_UNSAFE);
    assert_eq!(same_with_and_without_cache(root, &[]), first);

    // An edit to the importing module only.
    write(
        root,
        "pkg/api.py",
        &API.replace("images.convert(name)", "images.convert('base')"),
    );
    same_with_and_without_cache(root, &[]);

    // Another selection, thresholds and suppression flags over the same cache.
    same_with_and_without_cache(root, &["--select", "ALL"]);
    same_with_and_without_cache(root, &["--select", "S", "--severity", "high"]);
    write(root, "pkg/api.py", &API.replace("shell=True)", "shell=True)  # nosec"));
    same_with_and_without_cache(root, &[]);
    same_with_and_without_cache(root, &["--no-suppressions"]);
}

const MIDDLE: &str = "\
from pkg import images


def run(name):
    images.convert(name)
";

/// The notes of the first finding's path.
fn first_steps(json: &str) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(json).expect("JSON report");
    doc["findings"][0]["steps"]
        .as_array()
        .map(|steps| steps.iter().map(|s| s["note"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// The dataflow pass's memo answers for a module only while everything its
/// analysis read is unchanged: an edit two imports away (a flow gone, lines
/// moved, a module-level value that appears) reaches the finding of the
/// module at the top, as without the cache.
#[test]
fn the_memo_follows_edits_two_imports_away() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "pkg/__init__.py", "");
    write(
        root,
        "pkg/api.py",
        &API.replace("from pkg import images", "from pkg import middle")
            .replace("images.convert(name)", "middle.run(name)"),
    );
    write(root, "pkg/middle.py", MIDDLE);
    write(root, "pkg/images.py", IMAGES_UNSAFE);
    let first = same_with_and_without_cache(root, &[]);
    let steps = first_steps(&first);
    assert!(steps.iter().any(|s| s.contains("(pkg/images.py, line 5)")), "{steps:?}");

    // Lines moved in the module at the bottom: the path says where it is now.
    write(root, "pkg/images.py", &format!("# Image helpers.\n\n{IMAGES_UNSAFE}"));
    let moved = same_with_and_without_cache(root, &[]);
    let steps = first_steps(&moved);
    assert!(steps.iter().any(|s| s.contains("(pkg/images.py, line 7)")), "{steps:?}");

    // The flow gone, then back.
    write(root, "pkg/images.py", IMAGES_SAFE);
    let safe = same_with_and_without_cache(root, &[]);
    assert!(!rules_found(&safe).iter().any(|(_, _, r)| r.contains("T078")), "{safe}");
    write(root, "pkg/images.py", IMAGES_UNSAFE);
    assert_eq!(same_with_and_without_cache(root, &[]), first);

    // A module-level value the middle module looked for and did not find,
    // then found: the request data no longer reaches a shell.
    write(
        root,
        "pkg/middle.py",
        "import subprocess\n\nfrom pkg import images\n\n\ndef run(name):\n    subprocess.call('ls ' + name, shell=images.SHELL)\n",
    );
    let unknown = same_with_and_without_cache(root, &[]);
    write(root, "pkg/images.py", &format!("{IMAGES_SAFE}\n\nSHELL = False\n"));
    let known = same_with_and_without_cache(root, &[]);
    let message = |json: &str| {
        let doc: serde_json::Value = serde_json::from_str(json).unwrap();
        doc["findings"][0]["message"].as_str().unwrap().to_string()
    };
    assert!(message(&unknown).contains("runs a shell command"), "{unknown}");
    assert!(message(&known).contains("runs a command"), "{known}");
}

const CALLS: &str = "\
from flask import Flask, request

from pkg import images

app = Flask(__name__)


@app.route('/convert')
def convert():
    images.convert(request.args['name'])
    return ''


@app.route('/list')
def listing():
    images.listing(request.args['name'])
    return ''


@app.route('/fetch')
def fetch():
    images.fetch(request.args['name'])
    return ''
";

const UTIL: &str = "\
import subprocess


def run(command):
    subprocess.call(command, shell=True)
";

const IMAGES_LOCAL: &str = "\
import subprocess

from pkg import util

SHELL = False


def _call(command):
    subprocess.call(command, shell=True)


def convert(name):
    _call('qemu-img convert ' + name)


def listing(name):
    subprocess.call('ls ' + name, shell=SHELL)


def fetch(name):
    util.run('curl ' + name)
";

/// A cached review of `dir` in JSON with every function the memo answers
/// for analysed anyway (`VIGIL_FN_MEMO_CHECK`): how many functions it
/// answered for, and any difference between an answer and its analysis.
fn function_memo(dir: &Path) -> (usize, Vec<String>) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["review", "--format", "json", "."])
        .current_dir(dir)
        .env("VIGIL_FLOW_DEBUG", "1")
        .env("VIGIL_FN_MEMO_CHECK", "1")
        .output()
        .expect("vigil runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let answered = err
        .lines()
        .find_map(|l| l.split_once(" made (")?.1.split_once(" functions")?.0.parse().ok())
        .unwrap_or(0);
    let wrong = err
        .lines()
        .filter(|l| l.contains("function memo:"))
        .map(str::to_string)
        .collect();
    (answered, wrong)
}

/// An edited module's functions take their earlier analyses only while
/// their own text and place, and everything each looked up (the module's
/// values, its other functions' summaries, the project's facts), are the
/// same: the review is the one without the cache after every edit.
#[test]
fn an_edited_modules_functions_follow_what_each_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "pkg/__init__.py", "");
    write(root, "pkg/api.py", CALLS);
    write(root, "pkg/images.py", IMAGES_LOCAL);
    write(root, "pkg/util.py", UTIL);
    let first = same_with_and_without_cache(root, &[]);
    // The messages of the command findings in the API module, by line.
    let commands = |json: &str| {
        let doc: serde_json::Value = serde_json::from_str(json).unwrap();
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == "pkg/api.py" && f["rule_id"] == "T078")
            .map(|f| (f["line"].as_u64().unwrap(), f["message"].as_str().unwrap().to_string()))
            .collect::<Vec<_>>()
    };
    let shell = |json: &str| {
        commands(json)
            .into_iter()
            .filter(|(_, m)| m.contains("runs a shell command"))
            .map(|(l, _)| l)
            .collect::<Vec<_>>()
    };
    // Through `_call` and `util.run`, the request data reaches a shell;
    // `listing` runs a command without one.
    assert_eq!(shell(&first), vec![10, 22], "{first}");
    assert_eq!(commands(&first).len(), 3, "{first}");

    // The run that filled the cache kept the records of this small
    // module's functions: its first edit (a comment at the end) has the
    // memo answer for them.
    write(root, "pkg/images.py", &format!("{IMAGES_LOCAL}\n# edited\n"));
    let (answered, wrong) = function_memo(root);
    assert!(answered >= 3, "{answered} functions answered");
    assert!(wrong.is_empty(), "{wrong:?}");

    // A function added at the end: nothing else moved, and the memo answers
    // for every other function of the module.
    write(
        root,
        "pkg/images.py",
        &format!("{IMAGES_LOCAL}\n\ndef added(value):\n    return str(value)\n"),
    );
    let (answered, wrong) = function_memo(root);
    assert!(answered >= 3, "{answered} functions answered");
    assert!(wrong.is_empty(), "{wrong:?}");
    let added = same_with_and_without_cache(root, &[]);
    assert_eq!(commands(&added), commands(&first));

    // A module-level value bound again at the end: `listing`, which reads
    // it, now runs a shell.
    write(root, "pkg/images.py", &format!("{IMAGES_LOCAL}\nSHELL = True\n"));
    let (_, wrong) = function_memo(root);
    assert!(wrong.is_empty(), "{wrong:?}");
    let rebound = same_with_and_without_cache(root, &[]);
    assert_eq!(shell(&rebound), vec![10, 16, 22], "{rebound}");

    // The helper `convert` calls runs no shell now, and `convert` neither
    // moved nor changed: the summary it read did.
    write(
        root,
        "pkg/images.py",
        &IMAGES_LOCAL.replace("shell=True)", "shell=None)"),
    );
    let (_, wrong) = function_memo(root);
    assert!(wrong.is_empty(), "{wrong:?}");
    let helper_safe = same_with_and_without_cache(root, &[]);
    assert_eq!(shell(&helper_safe), vec![22], "{helper_safe}");

    // The function `fetch` calls in another module runs no shell now, and
    // `fetch`'s module changed at its end only: the project's summary it
    // read did.
    write(root, "pkg/util.py", &UTIL.replace("shell=True)", "shell=None)"));
    write(
        root,
        "pkg/images.py",
        &format!("{IMAGES_LOCAL}\n\ndef added(value):\n    return str(value)\n"),
    );
    let (_, wrong) = function_memo(root);
    assert!(wrong.is_empty(), "{wrong:?}");
    let util_safe = same_with_and_without_cache(root, &[]);
    assert_eq!(shell(&util_safe), vec![10], "{util_safe}");
    write(root, "pkg/util.py", UTIL);

    // Lines moved above every function, then back.
    write(root, "pkg/images.py", &format!("# Image helpers.\n{IMAGES_LOCAL}"));
    let (_, wrong) = function_memo(root);
    assert!(wrong.is_empty(), "{wrong:?}");
    same_with_and_without_cache(root, &[]);
    write(root, "pkg/images.py", IMAGES_LOCAL);
    let (_, wrong) = function_memo(root);
    assert!(wrong.is_empty(), "{wrong:?}");
    assert_eq!(same_with_and_without_cache(root, &[]), first);
}

/// A cache file cut short or overwritten (a full disk, another tool) is a
/// cold cache: the review is the one without it.
#[test]
fn a_damaged_cache_is_a_cold_cache() {
    let dir = unsafe_project();
    let root = dir.path();
    let first = same_with_and_without_cache(root, &[]);
    let cache = root.join(".vigil_cache");
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin" || x == "json"))
        .collect();
    assert!(files.iter().any(|p| p.extension().unwrap() == "bin"), "{files:?}");
    for damage in [0usize, 1, 2] {
        for path in &files {
            let bytes = std::fs::read(path).unwrap_or_default();
            let damaged = match damage {
                0 => bytes[..bytes.len() / 2].to_vec(),
                1 => bytes.iter().map(|b| b ^ 0x5a).collect(),
                _ => Vec::new(),
            };
            std::fs::write(path, damaged).unwrap();
        }
        // The review's per-file results are gone too, so the pass runs
        // against whatever is left of its memo.
        assert_eq!(same_with_and_without_cache(root, &[]), first);
    }
}

#[test]
fn no_cache_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "m.py",
        "import subprocess\nsubprocess.call(input(), shell=True)\n",
    );
    let out = vigil(dir.path(), &["review", "--no-cache", "."]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    assert!(!dir.path().join(".vigil_cache").exists());
}

/// A change reviewed again from the cache its first review left: the
/// dataflow findings of every file the change review reports on are there,
/// so the project pass does not run, and the review is the one made
/// without a cache.
#[test]
fn a_change_reviewed_again_needs_no_project_pass() {
    let repo = Repo::new();
    repo.write("pkg/__init__.py", "");
    repo.write(
        "pkg/api.py",
        &API.replace("images.convert(name)", "images.convert('cirros')"),
    );
    repo.write("pkg/images.py", IMAGES_UNSAFE);
    repo.commit("a constant image");
    repo.write("pkg/api.py", API);
    repo.commit("the request's image");
    let args = ["review", "--format", "json", "--diff", "HEAD~1", "."];
    let debug = [("VIGIL_FLOW_DEBUG", "1")];
    let first = repo.vigil_with_env(&args, &debug);
    let again = repo.vigil_with_env(&args, &debug);
    let fresh = repo.vigil(&["review", "--no-cache", "--format", "json", "--diff", "HEAD~1", "."]);
    assert_eq!(stdout(&first), stdout(&fresh));
    assert_eq!(stdout(&again), stdout(&fresh));
    assert!(
        rules_found(&stdout(&again))
            .iter()
            .any(|(path, _, rule)| path == "pkg/api.py" && rule == "T078"),
        "{}",
        stdout(&again)
    );
    assert!(stderr(&first).contains("vigil: flow:"), "{}", stderr(&first));
    assert!(!stderr(&again).contains("vigil: flow:"), "{}", stderr(&again));
}

/// A large module (64 KB or more) keeps its functions' records from the
/// run that fills the cache: its first edit already analyses only what
/// changed.
#[test]
fn a_large_modules_first_edit_takes_its_unchanged_functions_from_the_memo() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let large: String = (0..900)
        .map(|i| format!("def helper_{i}(value):\n    text = str(value)\n    return text.strip() + '{i:04}'\n\n\n"))
        .collect();
    assert!(large.len() >= 64 * 1024, "{}", large.len());
    write(root, "pkg/__init__.py", "");
    write(root, "pkg/large.py", &large);
    write(
        root,
        "pkg/api.py",
        "from pkg import large\n\n\ndef show(req):\n    return large.helper_1(req)\n",
    );
    same_with_and_without_cache(root, &[]);
    write(
        root,
        "pkg/large.py",
        &format!("{large}def added(value):\n    return value\n"),
    );
    let (answered, wrong) = function_memo(root);
    assert_eq!((answered, wrong), (900, Vec::new()));
    same_with_and_without_cache(root, &[]);
}

/// Files whose metadata did not change since the last run are known by
/// what it read of them (their text's key and imports), and not read; a
/// file edited to a text of the same size is read again.
#[test]
fn files_are_known_by_their_metadata_until_edited() {
    let dir = unsafe_project();
    let root = dir.path();
    // Older than the racy window: a file changed within it is not kept.
    std::thread::sleep(std::time::Duration::from_millis(3_100));
    let debug = [("VIGIL_FLOW_DEBUG", "1")];
    let counts = |out: &std::process::Output| {
        stderr(out)
            .lines()
            .find(|l| l.starts_with("vigil: files:"))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("{}", stderr(out)))
    };
    let first = common::vigil_with_env_at(root, &["review", "--format", "json", "."], &debug);
    assert_eq!(counts(&first), "vigil: files: 0 of 3 known by their metadata, 3 read");
    // The same tree with the dataflow findings kept: nothing is read for
    // the pass; the review's own reading is not counted.
    let again = common::vigil_with_env_at(root, &["review", "--format", "json", "."], &debug);
    assert_eq!(counts(&again), "vigil: files: 3 of 3 known by their metadata, 0 read");
    assert_eq!(stdout(&again), stdout(&first));

    // The same size, and the name no longer reaches the shell: read again,
    // and the finding goes.
    let edited = IMAGES_UNSAFE.replace("' + name", "' + 'ab'");
    assert_eq!(edited.len(), IMAGES_UNSAFE.len());
    write(root, "pkg/images.py", &edited);
    let after = common::vigil_with_env_at(root, &["review", "--format", "json", "."], &debug);
    assert_eq!(counts(&after), "vigil: files: 2 of 3 known by their metadata, 1 read");
    let fresh = vigil(root, &["review", "--no-cache", "--format", "json", "."]);
    assert_eq!(stdout(&after), stdout(&fresh));
    assert!(
        !rules_found(&stdout(&after)).iter().any(|(_, _, r)| r.contains("T078")),
        "{}",
        stdout(&after)
    );
}
