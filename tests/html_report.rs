//! `--format html`, end to end: the binary on a small tree, with a golden
//! file (`tests/fixtures/formats/html.golden`, exact bytes; `VIGIL_BLESS=1`
//! rewrites it after a reviewed change) and checks of what the page
//! promises: nothing fetched, everything from the analysed code escaped,
//! each finding in its code with its range and path marked.
//!
//! The page's script is exercised in a real browser by `html_browser.rs`.

mod common;

use std::path::{Path, PathBuf};

use common::vigil_at as vigil;

/// A Flask view with findings of every severity: a command injection with
/// its path over three lines (and a pattern rule fused into it), an unsafe
/// YAML load with a mechanical fix after a character outside the BMP, a
/// call over two lines and an assert.
pub const SERVERS_PY: &str = "\
import subprocess

import requests
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route('/resize')
def resize(ctx):
    assert ctx.is_admin
    size = request.args['size']
    cmd = 'qemu-img resize disk.img ' + size
    subprocess.call(cmd, shell=True)
    label = '\u{1f600}'; config = yaml.load(request.data)
    return requests.get(
        'http://metadata/' + label)
";

/// A file whose name and text try to end the page's script and run one of
/// their own, and hide code behind a bidi override (Trojan Source).
pub const HOSTILE_NAME: &str = "<img src=x onerror=alert(1)>.py";
pub const HOSTILE_PY: &str = "x = \"</script><img src=x onerror=alert(2)>\"\ns = \"\u{202e}evil\"\neval(x)\n";

pub const RULES: &str = "S101,S113,S307,S506,S602,T078";

/// The tree behind the golden file, with a file vigil cannot read.
pub fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("nova/api")).unwrap();
    std::fs::write(dir.path().join("nova/api/servers.py"), SERVERS_PY).unwrap();
    std::fs::write(dir.path().join(HOSTILE_NAME), HOSTILE_PY).unwrap();
    std::fs::write(dir.path().join("latin1.py"), b"x = '\xe9'\n").unwrap();
    dir
}

fn page(dir: &Path) -> String {
    let out = vigil(dir, &["review", "--select", RULES, "--format", "html", "."]);
    assert_eq!(out.status.code(), Some(2), "an unreadable file makes the exit code 2");
    String::from_utf8(out.stdout).expect("the page is UTF-8")
}

fn golden_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats/html.golden")
}

#[test]
fn golden_file_matches_exactly() {
    let dir = tree();
    let html = page(dir.path()).replace(&format!("vigil {}<", env!("CARGO_PKG_VERSION")), "vigil {VERSION}<");
    if std::env::var_os("VIGIL_BLESS").is_some() {
        std::fs::write(golden_path(), &html).unwrap();
    }
    let golden = std::fs::read_to_string(golden_path()).expect("golden file (VIGIL_BLESS=1 writes it)");
    assert!(
        html == golden,
        "the page differs from html.golden (VIGIL_BLESS=1 rewrites it)"
    );
}

/// Every tag of the page, as written: since text from the analysed code is
/// escaped, a `<` in the page starts a tag of vigil's.
fn tags(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start..];
        let end = after.find('>').expect("every tag closes");
        tags.push(&after[..=end]);
        rest = &after[end + 1..];
    }
    tags
}

/// The values of attribute `name` in `tag`.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

#[test]
fn nothing_is_fetched_and_nothing_from_the_code_runs() {
    let dir = tree();
    let html = page(dir.path());
    let tags = tags(&html);
    for tag in &tags {
        // No image, frame, script or style sheet is loaded from anywhere.
        assert!(attribute(tag, "src").is_none(), "{tag}");
        if let Some(href) = attribute(tag, "href") {
            let cwe = href
                .strip_prefix("https://cwe.mitre.org/data/definitions/")
                .and_then(|n| n.strip_suffix(".html"))
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
            assert!(href.starts_with('#') || cwe, "only anchors and CWE entries: {tag}");
            assert!(tag.starts_with("<a "), "links are plain anchors, not fetched: {tag}");
        }
        let name: String = tag[1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(
            !["img", "iframe", "link", "object", "embed", "base", "svg"].contains(&name.as_str()),
            "{tag}"
        );
        // Outside quoted values (an even number of quotes before it).
        let handler = tag
            .match_indices(" on")
            .any(|(i, _)| tag[..i].matches('"').count() % 2 == 0);
        assert!(!handler, "no event handler attributes: {tag}");
    }
    assert_eq!(tags.iter().filter(|t| t.starts_with("<script")).count(), 1);
    assert_eq!(html.matches("</script>").count(), 1, "only the page's own script ends");
    assert!(!html.contains("url(") && !html.contains("@import"), "no CSS fetches");
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">"
    ));
    // What the analysed code says is there, as text.
    assert!(html.contains("x = &quot;&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;"));
    assert!(html.contains("<span class=\"path\">&lt;img src=x onerror=alert(1)&gt;.py</span>"));
    assert!(html.contains("data-path=\"&lt;img src=x onerror=alert(1)&gt;.py\""));
    // The bidi override is shown, not obeyed.
    assert!(html.contains("s = &quot;<span class=\"ctl\" title=\"control character\">\\u{202e}</span>evil&quot;"));
}

#[test]
fn a_summary_by_severity_rule_and_folder() {
    let dir = tree();
    let html = page(dir.path());
    assert!(html.contains(
        "<p class=\"summary\">Found 5 security defects in 2 files (1 high, 3 medium, 1 low severity); \
         2 files reviewed, 1 file could not be reviewed (listed below).</p>"
    ));
    for (level, n) in [("HIGH", 1), ("MEDIUM", 3), ("LOW", 1)] {
        assert!(
            html.contains(&format!(
                "data-severity=\"{level}\" title=\"show only this severity\"><span class=\"n\">{n}</span>"
            )),
            "{level}"
        );
    }
    // A fused finding counts under each rule that saw it.
    for rule in ["S101", "S113", "S307", "S506", "S602", "T078"] {
        assert!(html.contains(&format!("data-rule=\"{rule}\"")), "{rule}");
    }
    assert!(html.contains(
        "data-path=\"nova/\" title=\"show only this folder\">nova</button></td><td class=\"num\">1</td>\
         <td class=\"num\">2</td><td class=\"num\">1</td>"
    ));
    assert!(html.contains("data-path=\"nova/api/\""));
    assert!(html.contains("<h2>Not reviewed</h2>"));
    assert!(html.contains("latin1.py</span>: line 1 is not valid UTF-8"));
}

#[test]
fn findings_are_shown_in_their_code() {
    let dir = tree();
    let html = page(dir.path());
    // Grouped by file, in path order.
    let first = html.find("<section class=\"file\" data-path=\"&lt;img").unwrap();
    let second = html
        .find("<section class=\"file\" data-path=\"nova/api/servers.py\">")
        .unwrap();
    assert!(first < second);
    // The injection: its range marked, its source and sink numbered in the
    // code and listed, the fused rule in its filter attribute.
    assert!(html.contains(
        "<article class=\"finding high\" id=\"f3\" data-severity=\"HIGH\" data-rules=\"T078 S602\" \
         data-path=\"nova/api/servers.py\">"
    ));
    assert!(html.contains(
        "<span class=\"line step\" id=\"f3-L13\"><span class=\"ln\">13</span>    size = \
         <span class=\"stepno\" title=\"step 1\">1</span>request.args[&#39;size&#39;]\n</span>"
    ));
    assert!(html.contains(
        "<span class=\"line defect\" id=\"f3-L15\"><span class=\"ln\">15</span>    \
         <span class=\"stepno\" title=\"step 2\">2</span><mark>subprocess.call(cmd, shell=True)</mark>\n</span>"
    ));
    assert!(
        html.contains("<li><a href=\"#f3-L13\">line 13</a>: <code>request.args</code> is an HTTP query parameter</li>")
    );
    // Columns count characters: the mark starts after the emoji.
    assert!(html.contains(
        "<span class=\"ln\">16</span>    label = &#39;\u{1f600}&#39;; config = <mark>yaml.load(request.data)</mark>"
    ));
    assert!(
        html.contains(
            "<p><b>Mechanical fix:</b> on line 16, replace <code>load</code> with <code>safe_load</code></p>"
        )
    );
    // A finding over two lines is marked on both.
    assert!(html.contains("<span class=\"ln\">17</span>    return <mark>requests.get(</mark>\n</span>"));
    assert!(
        html.contains("<span class=\"ln\">18</span><mark>        &#39;http://metadata/&#39; + label)</mark>\n</span>")
    );
    // Each rule's documentation, once.
    assert!(html.contains("<details id=\"rule-S506\"><summary><b>S506</b> unsafe-yaml-load</summary>"));
}

#[test]
fn a_clean_tree_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.py"), "x = 1\n").unwrap();
    let out = vigil(dir.path(), &["review", "--format", "html", "."]);
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("<p class=\"summary\">No security defects are detected in the code</p>"));
    assert!(!html.contains("id=\"filters\""), "nothing to filter");
}
