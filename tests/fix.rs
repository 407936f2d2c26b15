//! `vigil review --fix` and `--show-diff` end to end (issue #14, part 3):
//! every mechanical edit a rule offers, applied to a file made in the test;
//! the fixed file must parse and a second review must not find the defect
//! again. Previews change nothing; standard input and listings are refused;
//! files keep their mode, byte order mark and line endings.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{NO_DEFECTS, Repo, run_with_input, stderr, stdout};

fn vigil(dir: &Path, args: &[&str]) -> Output {
    vigil_stdin(dir, args, "")
}

fn vigil_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.args(args).current_dir(dir).env_remove("NO_COLOR");
    run_with_input(&mut cmd, input.as_bytes())
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// Each rule's edit: (rule, code before, code after `--fix`).
const EDITS: &[(&str, &str, &str)] = &[
    (
        "S506",
        "import yaml\n\n\ndef load(s):\n    return yaml.load(s)\n",
        "import yaml\n\n\ndef load(s):\n    return yaml.safe_load(s)\n",
    ),
    (
        "S701",
        "import jinja2\n\nenv = jinja2.Environment(loader=None, autoescape=False)\n",
        "import jinja2\n\nenv = jinja2.Environment(loader=None, autoescape=True)\n",
    ),
    (
        "S602",
        "import subprocess\n\nsubprocess.call(\"ls -l /var/lib/nova\", shell=True)\n",
        "import subprocess\n\nsubprocess.call(['ls', '-l', '/var/lib/nova'], shell=False)\n",
    ),
    (
        "S602",
        "import subprocess\n\nsubprocess.run(\n    args='qemu-img info disk.img',\n    check=True,\n    shell=True,\n)\n",
        "import subprocess\n\nsubprocess.run(\n    args=['qemu-img', 'info', 'disk.img'],\n    check=True,\n    shell=False,\n)\n",
    ),
    (
        "R405",
        "import eventlet\n\n\ndef serve(sock, app):\n    eventlet.wsgi.server(sock, app, log=None)\n",
        "import eventlet\n\n\ndef serve(sock, app):\n    eventlet.wsgi.server(sock, app, log=None, debug=False)\n",
    ),
    (
        "R405",
        "import eventlet\n\n\ndef serve(sock, app):\n    eventlet.wsgi.server(\n        sock,\n        app,\n    )\n",
        "import eventlet\n\n\ndef serve(sock, app):\n    eventlet.wsgi.server(\n        sock,\n        app, debug=False,\n    )\n",
    ),
    (
        "R405",
        "import eventlet\n\neventlet.wsgi.server(sock, app, debug=True)\n",
        "import eventlet\n\neventlet.wsgi.server(sock, app, debug=False)\n",
    ),
    (
        "R406",
        "import hashlib\nimport hmac\n\n\ndef check(key, body, sig):\n    expected = hmac.new(key, body, hashlib.sha256).hexdigest()\n    return expected != sig\n",
        "import hashlib\nimport hmac\n\n\ndef check(key, body, sig):\n    expected = hmac.new(key, body, hashlib.sha256).hexdigest()\n    return not hmac.compare_digest(expected, sig)\n",
    ),
    (
        "R406",
        "import hmac as h\n\nok = (h.digest(k, m, 'sha256')\n      == sig)\n",
        "import hmac as h\n\nok = (h.compare_digest(h.digest(k, m, 'sha256'),\n      sig))\n",
    ),
];

#[test]
fn every_edit_parses_and_removes_its_finding() {
    for (rule, before, after) in EDITS {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.py", before);
        let out = vigil(dir.path(), &["review", "--fix", "--select", rule, "a.py"]);
        let fixed = read(dir.path(), "a.py");
        assert_eq!(&fixed, after, "{rule}: {}", stderr(&out));
        let parsed = vigil::python::parse(&fixed);
        assert!(parsed.syntax_errors.is_empty(), "{rule}: {:?}", parsed.syntax_errors);
        assert_eq!(stdout(&out), NO_DEFECTS, "{rule}");
        assert_eq!(out.status.code(), Some(0), "{rule}");
        let again = vigil(dir.path(), &["review", "--select", rule, "a.py"]);
        assert_eq!(stdout(&again), NO_DEFECTS, "{rule}");
    }
}

/// Where the replacement is not certain, there is no edit: the finding
/// stays and says what to do.
#[test]
fn no_edit_where_the_replacement_is_not_certain() {
    let cases: &[(&str, &str)] = &[
        // Shell syntax, a built-in, a shell chosen by `executable=`, a
        // value that is not `True`, a computed command.
        ("S602", "import subprocess\nsubprocess.call('ls *.py', shell=True)\n"),
        ("S602", "import subprocess\nsubprocess.call('cd /tmp', shell=True)\n"),
        ("S602", "import subprocess\nsubprocess.call('echo -n x', shell=True)\n"),
        (
            "S602",
            "import subprocess\nsubprocess.call('ls', shell=True, executable='/bin/bash')\n",
        ),
        ("S602", "import subprocess\nsubprocess.call('ls', shell=1)\n"),
        ("S602", "import subprocess\nsubprocess.call('ls\u{a0}-l', shell=True)\n"),
        ("S602", "import subprocess\nsubprocess.call('ls ' + d, shell=True)\n"),
        // `hmac` imported by member: no name for `compare_digest` here.
        (
            "R406",
            "from hmac import new\nok = new(k, m, 'sha256').digest() == sig\n",
        ),
        // A timeout has no value vigil can know: a suggestion, not an edit.
        ("S113", "import requests\nrequests.get(url)\n"),
        // mkstemp returns a descriptor and creates the file: not the same call.
        ("S306", "import tempfile\npath = tempfile.mktemp()\n"),
        // With a loader argument the call is not `safe_load` by renaming.
        ("S506", "import yaml\nyaml.load(s, Loader=yaml.Loader)\n"),
    ];
    for (rule, code) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.py", code);
        let out = vigil(dir.path(), &["review", "--fix", "--select", rule, "a.py"]);
        assert_eq!(&read(dir.path(), "a.py"), code, "{rule}");
        assert_eq!(out.status.code(), Some(1), "{rule}: {code}");
        assert_eq!(
            stderr(&out),
            "vigil: note: none of the findings has a fix vigil can apply safely\n",
            "{rule}: {code}"
        );
    }
}

#[test]
fn fix_reports_what_it_fixed_and_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let code = "import yaml\n\n\ndef load(ctx, s):\n    assert ctx.is_admin\n    return yaml.load(s)\n";
    write(dir.path(), "a.py", code);
    let out = vigil(
        dir.path(),
        &["review", "--fix", "-f", "concise", "--select", "S101,S506", "a.py"],
    );
    assert_eq!(
        stderr(&out),
        "vigil: fixed a.py:6:12: S506 unsafe-yaml-load\n\
         vigil: note: fixed 1 finding in 1 file; the review is of what is left\n"
    );
    assert_eq!(
        stdout(&out),
        "Found 1 security defect in 1 file (0 high, 0 medium, 1 low severity); 1 file reviewed.\n\n\
         a.py:5:5: S101 `assert ctx.is_admin` is removed under `python -O`\n"
    );
    assert_eq!(out.status.code(), Some(1));
    // Quiet: the report only.
    write(dir.path(), "a.py", code);
    let out = vigil(
        dir.path(),
        &[
            "review",
            "--fix",
            "-q",
            "-f",
            "concise",
            "--select",
            "S101,S506",
            "a.py",
        ],
    );
    assert_eq!(stderr(&out), "");
    assert_eq!(
        stdout(&out),
        "a.py:5:5: S101 `assert ctx.is_admin` is removed under `python -O`\n"
    );
}

#[test]
fn show_diff_previews_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, before, _) = EDITS[0];
    write(dir.path(), "a.py", before);
    write(dir.path(), "b.py", "x = 1\n");
    let out = vigil(dir.path(), &["review", "--show-diff", "--select", "S506", "."]);
    assert_eq!(
        stdout(&out),
        "--- a.py\n+++ a.py\n@@ -2,4 +2,4 @@\n \n \n def load(s):\n-    return yaml.load(s)\n+    return yaml.safe_load(s)\n"
    );
    assert_eq!(stderr(&out), "vigil: note: --fix would fix 1 finding in 1 file\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read(dir.path(), "a.py"), before);
    // `--fix --show-diff` previews too, and the diff applies with patch -p0.
    let out = vigil(dir.path(), &["review", "--fix", "--show-diff", "--select", "S506", "."]);
    assert_eq!(read(dir.path(), "a.py"), before);
    let patch = stdout(&out);
    let applied = Command::new("patch")
        .args(["-p0", "--quiet"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(patch.as_bytes())?;
            child.wait()
        });
    if let Ok(status) = applied {
        assert!(status.success());
        assert_eq!(read(dir.path(), "a.py"), EDITS[0].2);
    }
    // Nothing to fix: an empty diff and exit 0.
    let out = vigil(dir.path(), &["review", "--show-diff", "--select", "S506", "."]);
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "vigil: note: --fix would fix 0 findings\n");
    assert_eq!(out.status.code(), Some(0));
    // In colour, removed lines are red and added ones green.
    write(dir.path(), "a.py", before);
    let out = vigil(
        dir.path(),
        &["review", "--show-diff", "--color", "always", "--select", "S506", "."],
    );
    assert!(
        stdout(&out).contains("\u{1b}[31m-    return yaml.load(s)\u{1b}[0m\n"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("\u{1b}[32m+    return yaml.safe_load(s)\u{1b}[0m\n"));
}

#[test]
fn files_keep_their_mode_bom_and_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let code = "\u{feff}import yaml\r\n\r\nd = yaml.load(s)\r\n";
    write(dir.path(), "tool.py", code);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path().join("tool.py"), std::fs::Permissions::from_mode(0o751)).unwrap();
    }
    let out = vigil(dir.path(), &["review", "--fix", "--select", "S506", "tool.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        read(dir.path(), "tool.py"),
        "\u{feff}import yaml\r\n\r\nd = yaml.safe_load(s)\r\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("tool.py"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o751);
    }
    // Nothing but the file itself (and the review cache) is left in the folder.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name != ".vigil_cache")
        .collect();
    assert_eq!(left, ["tool.py"]);
}

#[test]
fn standard_input_and_listings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, before, _) = EDITS[0];
    // More input than a pipe holds: vigil refuses before reading it, so the
    // test's write meets a closed pipe every time, not only when it is slow.
    let input = before.repeat(1 << 20 >> 6);
    for args in [
        vec!["review", "--fix", "-"],
        vec!["review", "--show-diff", "--stdin-filename", "a.py"],
    ] {
        let out = vigil_stdin(dir.path(), &args, &input);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&out),
            "vigil: error: --fix and --show-diff change files, and standard input is not one: name the file \
             instead (`vigil review --fix path/to/file.py`)\n"
        );
        assert_eq!(stdout(&out), "");
    }
    // A review request quoting numbered code: its numbers are the listing's.
    let listing = "Please review this.\n\n1 import yaml\n2 d = yaml.load(s)\n";
    write(dir.path(), "request.txt", listing);
    let out = vigil(dir.path(), &["review", "--fix", "--select", "S506", "request.txt"]);
    assert_eq!(read(dir.path(), "request.txt"), listing);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "vigil: warning: request.txt: not fixed: it is a review-request listing, whose line numbers are the \
         listing's: fix the code in its own file\n"
    );
}

#[test]
fn a_change_review_fixes_the_changed_lines_only() {
    let repo = Repo::new();
    repo.write("nova/api.py", "import yaml\n\nold = yaml.load(a)\n");
    repo.commit("base");
    repo.write("nova/api.py", "import yaml\n\nold = yaml.load(a)\nnew = yaml.load(b)\n");
    let out = repo.vigil(&["review", "--fix", "--select", "S506", "--diff", "HEAD"]);
    assert_eq!(stdout(&out), NO_DEFECTS);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        repo.read("nova/api.py"),
        "import yaml\n\nold = yaml.load(a)\nnew = yaml.safe_load(b)\n"
    );
}
