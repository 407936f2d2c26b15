//! The HTML report in a real browser, as a person would use it: headless
//! Chromium (Debian's `chromium` package) opens the report of a real tree
//! (the rule fixtures of this repository, every rule selected), the page
//! logs nothing to its console (no script error, no blocked fetch), and the
//! filters hide and show what they should when their controls are clicked.
//!
//! A small driver script is added at the end of a copy of the page: it
//! clicks the controls, counts the findings left on screen (laid out, not
//! merely present in the markup) and writes the counts into the page, which
//! Chromium's `--dump-dom` prints. The expected counts come from the JSON
//! report of the same tree, not from the page.
//!
//! Without Chromium the test says that it was skipped, on the terminal, and
//! passes; with `VIGIL_REQUIRE_CHROMIUM=1` (CI sets it) a missing browser
//! is a failure. `VIGIL_CHROMIUM` names the browser binary to use.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The tree reviewed: real Python code with findings of every rule.
const TREE: &str = "tests/fixtures";
/// A rule that is also fused into other rules' findings, and a path part.
const RULE: &str = "S602";
const PART: &str = "rules/R1";

const DRIVER: &str = r##"
<script>
(function () {
  "use strict";
  var all = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.file"));
  function onScreen(e) { return e.getClientRects().length > 0; }
  function shown() { return all.filter(onScreen).length; }
  function filesShown() { return sections.filter(onScreen).length; }
  function severitiesShown() {
    var seen = {};
    all.filter(onScreen).forEach(function (a) { seen[a.dataset.severity] = true; });
    return Object.keys(seen).sort().join(",");
  }
  var out = {};
  out.total = all.length;
  out.initial = shown();
  out.initial_counter = document.getElementById("shown").textContent;

  var high = document.querySelector("input[name=severity][value=HIGH]");
  high.click();
  out.without_high = shown();
  out.without_high_severities = severitiesShown();
  out.without_high_files = filesShown();
  out.without_high_counter = document.getElementById("shown").textContent;
  out.without_high_labels = sections.filter(onScreen).map(function (s) {
    return s.querySelector("h2 .count").textContent;
  }).join("|");
  high.click();
  out.high_back = shown();

  var rule = document.getElementById("rule-filter");
  rule.value = "@RULE@";
  rule.dispatchEvent(new Event("change", { bubbles: true }));
  out.rule = shown();
  rule.value = "";
  rule.dispatchEvent(new Event("change", { bubbles: true }));

  var path = document.getElementById("path-filter");
  path.value = "@PART@";
  path.dispatchEvent(new Event("input", { bubbles: true }));
  out.path = shown();
  out.path_files = filesShown();
  document.querySelector("#overview button[data-severity=MEDIUM]").click();
  out.medium_in_path = shown();
  out.medium_in_path_severities = severitiesShown();

  document.getElementById("reset").click();
  out.reset = shown();
  out.reset_counter = document.getElementById("shown").textContent;
  out.reset_boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=severity]"))
    .filter(function (b) { return b.checked; }).length;

  var folder = document.querySelector("#by-folder button[data-path='tests/fixtures/rules/']");
  folder.click();
  out.folder_field = path.value;
  out.folder = shown();
  document.getElementById("reset").click();

  document.querySelector("#by-rule button[data-rule='@RULE@']").click();
  out.rule_row_menu = rule.value;
  out.rule_row = shown();

  var pre = document.createElement("pre");
  pre.id = "vigil-test-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}());
</script>
"##;

fn chromium() -> Option<PathBuf> {
    if let Some(named) = std::env::var_os("VIGIL_CHROMIUM") {
        return Some(PathBuf::from(named));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Says so on the terminal: the test harness captures `eprintln!`, not
/// what is written to standard error directly.
fn skipped(why: &str) {
    let _ = writeln!(std::io::stderr(), "html_browser: SKIPPED: {why}");
}

fn vigil(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("vigil runs");
    assert_eq!(out.status.code(), Some(1), "the fixtures have findings");
    out.stdout
}

/// What the page should show, from the JSON report of the same tree.
struct Expected {
    total: usize,
    not_high: usize,
    files_not_high: usize,
    rule: usize,
    path: usize,
    path_files: usize,
    medium_in_path: usize,
    folder: usize,
    /// Each file's label without its high findings: `2 of 3 findings`.
    labels_not_high: String,
}

fn expected(report: &Value) -> Expected {
    let findings = report["findings"].as_array().expect("findings");
    let count = |keep: &dyn Fn(&Value) -> bool| findings.iter().filter(|f| keep(f)).count();
    let files = |keep: &dyn Fn(&Value) -> bool| {
        let mut paths: Vec<&str> = findings
            .iter()
            .filter(|f| keep(f))
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        paths.dedup();
        paths.len()
    };
    let severity = |f: &Value| f["severity"].as_str().unwrap().to_string();
    let has_rule = |f: &Value| {
        f["rule_id"] == RULE
            || f["also"]
                .as_array()
                .is_some_and(|also| also.iter().any(|a| a["rule_id"] == RULE))
    };
    let in_path = |f: &Value| f["path"].as_str().unwrap().contains(PART);
    Expected {
        total: findings.len(),
        not_high: count(&|f| severity(f) != "HIGH"),
        files_not_high: files(&|f| severity(f) != "HIGH"),
        rule: count(&has_rule),
        path: count(&in_path),
        path_files: files(&in_path),
        medium_in_path: count(&|f| in_path(f) && severity(f) == "MEDIUM"),
        folder: count(&|f| f["path"].as_str().unwrap().contains("tests/fixtures/rules/")),
        labels_not_high: {
            let mut labels = Vec::new();
            let mut rest: &[Value] = findings;
            while let Some(first) = rest.first() {
                let n = rest.iter().take_while(|f| f["path"] == first["path"]).count();
                let left = rest[..n].iter().filter(|f| severity(f) != "HIGH").count();
                match (left, n) {
                    (0, _) => {}
                    (1, 1) => labels.push("1 finding".to_string()),
                    (left, n) if left == n => labels.push(format!("{n} findings")),
                    (left, n) => labels.push(format!("{left} of {n} findings")),
                }
                rest = &rest[n..];
            }
            labels.join("|")
        },
    }
}

#[test]
fn the_report_works_in_a_browser() {
    let Some(browser) = chromium() else {
        if std::env::var_os("VIGIL_REQUIRE_CHROMIUM").is_some() {
            panic!("VIGIL_REQUIRE_CHROMIUM is set and no chromium was found (apt-get install chromium)");
        }
        skipped("no chromium on PATH (apt-get install chromium, or set VIGIL_CHROMIUM)");
        return;
    };
    let html = String::from_utf8(vigil(&["review", "--select", "ALL", "--format", "html", TREE])).unwrap();
    let report: Value =
        serde_json::from_slice(&vigil(&["review", "--select", "ALL", "--format", "json", TREE])).unwrap();
    let want = expected(&report);
    assert!(want.rule > 0 && want.path > 0 && want.medium_in_path > 0 && want.not_high < want.total);

    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let driver = DRIVER.replace("@RULE@", RULE).replace("@PART@", PART);
    let at = html.rfind("</body>").expect("the page has a body");
    std::fs::write(&page, format!("{}{driver}{}", &html[..at], &html[at..])).unwrap();

    let out = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            // Only a browser that hangs gets anywhere near this.
            "--timeout=120000",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg("--dump-dom")
        .arg(file_url(&page))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);

    // Every console message (an uncaught error, a fetch the page's policy
    // blocked, a script's own log) is an error here: the page writes none.
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");

    let start = dom
        .find("<pre id=\"vigil-test-result\">")
        .unwrap_or_else(|| panic!("the driver ran to its end; chromium said:\n{log}"))
        + "<pre id=\"vigil-test-result\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let got: Value = serde_json::from_str(&dom[start..end]).expect("the driver's counts");
    let n = |key: &str| got[key].as_u64().unwrap_or_else(|| panic!("{key} in {got}")) as usize;
    let text = |key: &str| got[key].as_str().unwrap_or_default().to_string();

    assert_eq!(n("total"), want.total);
    assert_eq!(n("initial"), want.total, "every finding is on screen at first");
    assert_eq!(
        text("initial_counter"),
        format!("{} of {} shown", want.total, want.total)
    );
    assert_eq!(
        n("without_high"),
        want.not_high,
        "unticking HIGH hides the high findings"
    );
    assert_eq!(text("without_high_severities"), "LOW,MEDIUM");
    assert_eq!(
        n("without_high_files"),
        want.files_not_high,
        "a file with only high findings hides"
    );
    assert_eq!(
        text("without_high_counter"),
        format!("{} of {} shown", want.not_high, want.total)
    );
    assert_eq!(
        text("without_high_labels"),
        want.labels_not_high,
        "each file says how many of its findings show"
    );
    assert_eq!(n("high_back"), want.total, "ticking it again shows them");
    assert_eq!(n("rule"), want.rule, "the rule menu, fused findings included");
    assert_eq!(n("path"), want.path, "the path field");
    assert_eq!(n("path_files"), want.path_files);
    assert_eq!(
        n("medium_in_path"),
        want.medium_in_path,
        "the MEDIUM card with the path field"
    );
    assert_eq!(text("medium_in_path_severities"), "MEDIUM");
    assert_eq!(n("reset"), want.total, "show all");
    assert_eq!(text("reset_counter"), format!("{} of {} shown", want.total, want.total));
    assert_eq!(n("reset_boxes"), 3);
    assert_eq!(
        text("folder_field"),
        "tests/fixtures/rules/",
        "a folder row fills the path field"
    );
    assert_eq!(n("folder"), want.folder);
    assert_eq!(text("rule_row_menu"), RULE, "a rule row sets the rule menu");
    assert_eq!(n("rule_row"), want.rule);
}

fn file_url(path: &Path) -> String {
    let real = std::fs::canonicalize(path).unwrap();
    format!("file://{}", real.display())
}
