//! Workflows that used to do nothing without saying so (issue #14, part 6):
//! a change review with a file git does not track yet, a baseline used from
//! another folder than the one it was written in, a baseline that matches
//! nothing, and the documentation link in Bandit's JSON layout.

mod common;

use common::{NO_DEFECTS, Repo, review_text, s101, stderr, stdout};

const CODE: &str = "def f(ctx):\n    assert ctx.user\n    return 1\n\n\ndef g(ctx):\n    assert ctx.project\n";

fn committed() -> Repo {
    let repo = Repo::new();
    repo.write("nova/api.py", CODE);
    repo.commit("base");
    repo
}

#[test]
fn a_new_file_git_does_not_track_is_part_of_the_change() {
    let repo = committed();
    repo.write("nova/new.py", "import os\nassert fresh\n");
    repo.write("nova/notes.txt", "assert nothing\n");
    repo.write(".gitignore", "scratch.py\n");
    repo.write("scratch.py", "assert ignored\n");
    let out = repo.vigil(&["review", "--select", "S101", "--diff", "HEAD"]);
    assert_eq!(stdout(&out), review_text(&[s101("nova/new.py", 2, 0, "fresh")], 1));
    assert_eq!(
        stderr(&out),
        "vigil: note: nova/new.py is not tracked by git: reviewed whole as a new file of the change \
         (`git add` it, or list it in .gitignore to leave it out)\n"
    );
    assert_eq!(out.status.code(), Some(1));

    // Named paths limit untracked files as they limit the diff; -q keeps
    // standard error to warnings and errors.
    let out = repo.vigil(&["review", "-q", "--select", "S101", "--diff", "HEAD", "glance"]);
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "vigil: error: glance: no such file or directory\n");

    // Once added (even with `git add -N`), it is in the diff itself.
    repo.git(&["add", "-N", "nova/new.py"]);
    let out = repo.vigil(&["review", "--select", "S101", "--diff", "HEAD"]);
    assert_eq!(stdout(&out), review_text(&[s101("nova/new.py", 2, 0, "fresh")], 1));
    assert_eq!(stderr(&out), "");
}

#[test]
fn git_is_asked_for_untracked_files_under_the_named_paths() {
    let repo = committed();
    repo.write("tools/new.py", "assert outside\n");
    repo.write("nova/new.py", "assert fresh\n");
    // A folder whose name reads as a glob (vigil asks git literally; git
    // would also match the name as written, so this checks the name is
    // passed through, not the literal flag, which only spares git a wider
    // listing that `place` filters anyway).
    repo.write("we[ird]/new.py", "assert odd\n");
    let out = repo.vigil(&["review", "--select", "S101", "--diff", "HEAD", "nova"]);
    assert_eq!(stdout(&out), review_text(&[s101("nova/new.py", 1, 0, "fresh")], 1));
    // From inside the named folder, as `.`: shown as the review of `.` shows it.
    let out = repo.vigil_in("nova", &["review", "--select", "S101", "--diff", "HEAD", "."], None);
    assert_eq!(stdout(&out), review_text(&[s101("new.py", 1, 0, "fresh")], 1));
    let out = repo.vigil(&["review", "--select", "S101", "--diff", "HEAD", "we[ird]"]);
    assert_eq!(stdout(&out), review_text(&[s101("we[ird]/new.py", 1, 0, "odd")], 1));
    // The whole repository: all three.
    let out = repo.vigil(&["review", "--select", "S101", "--diff", "HEAD"]);
    let all = [
        s101("nova/new.py", 1, 0, "fresh"),
        s101("tools/new.py", 1, 0, "outside"),
        s101("we[ird]/new.py", 1, 0, "odd"),
    ];
    assert_eq!(stdout(&out), review_text(&all, 3));
}

#[test]
fn a_patch_file_reviews_only_what_it_holds() {
    // `--diff-file` is a finished change: files outside it are not part of it.
    let repo = committed();
    repo.write("nova/new.py", "assert fresh\n");
    repo.write("change.patch", "");
    let out = repo.vigil(&["review", "--select", "S101", "--diff-file", "change.patch"]);
    assert_eq!(
        stdout(&out),
        "Nothing was reviewed: the change touches no Python file under the given paths.\n"
    );
}

#[test]
fn a_baseline_works_from_any_folder() {
    let repo = committed();
    let out = repo.vigil(&["baseline", "--select", "S101"]);
    assert_eq!(out.status.code(), Some(0));

    // From a subfolder, naming the baseline above it.
    let out = repo.vigil_in(
        "nova",
        &[
            "review",
            "--select",
            "S101",
            "--baseline",
            "../.vigil-baseline.json",
            ".",
        ],
        None,
    );
    assert_eq!(stdout(&out), NO_DEFECTS);
    assert_eq!(
        stderr(&out),
        "vigil: note: the baseline ../.vigil-baseline.json hid 2 findings\n"
    );
    assert_eq!(out.status.code(), Some(0));

    // Written from the subfolder into the top, read from the top: the same
    // paths, so the same fingerprints as a baseline written at the top.
    let first = repo.read(".vigil-baseline.json");
    let out = repo.vigil_in(
        "nova",
        &["baseline", "--select", "S101", "-o", "../.vigil-baseline.json", "."],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(repo.read(".vigil-baseline.json"), first);
    assert!(first.contains("\"path\": \"nova/api.py\""), "{first}");

    // A baseline kept in a folder of its own records paths from there.
    std::fs::create_dir(repo.path().join("ci")).unwrap();
    let out = repo.vigil(&["baseline", "--select", "S101", "-o", "ci/baseline.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(repo.read("ci/baseline.json").contains("\"path\": \"../nova/api.py\""));
    let out = repo.vigil_in(
        "nova",
        &["review", "--select", "S101", "--baseline", "../ci/baseline.json"],
        None,
    );
    assert_eq!(stdout(&out), NO_DEFECTS);

    // A new defect still shows through, with the path the review shows.
    repo.write("nova/api.py", &format!("{CODE}\n\ndef h(ctx):\n    assert ctx.new\n"));
    let out = repo.vigil_in(
        "nova",
        &["review", "--select", "S101", "--baseline", "../.vigil-baseline.json"],
        None,
    );
    assert_eq!(stdout(&out), review_text(&[s101("api.py", 11, 4, "ctx.new")], 1));
}

#[test]
fn a_baseline_that_matches_nothing_says_so() {
    let repo = committed();
    repo.write(
        "other.json",
        r#"{"schema": "vigil-baseline/1", "findings": [{"fingerprint": "0123456789abcdef"}]}"#,
    );
    let out = repo.vigil(&["review", "--select", "S101", "--baseline", "other.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "vigil: warning: the baseline other.json matched none of the 1 findings it lists: its paths start at its \
         own folder; was it written for these files (and with this vigil)? `vigil baseline -o other.json` writes it again\n"
    );
    // In a change review a baseline often has nothing on the changed lines.
    repo.write("nova/api.py", &format!("{CODE}\nassert more\n"));
    let out = repo.vigil(&[
        "review",
        "--select",
        "S101",
        "--diff",
        "HEAD",
        "--baseline",
        "other.json",
    ]);
    assert_eq!(stderr(&out), "vigil: note: the baseline other.json hid 0 findings\n");
}

#[test]
fn bandit_json_links_each_finding_to_a_docs_page_that_exists() {
    let repo = committed();
    let out = repo.vigil(&["review", "--select", "S101", "--format", "bandit-json", "nova"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for result in results {
        let link = result["more_info"].as_str().unwrap();
        assert_eq!(link, "docs/rules/S101.md");
        let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(link);
        let text = std::fs::read_to_string(&page).unwrap();
        assert!(text.contains("# S101 assert-used"), "{}", page.display());
    }
}
