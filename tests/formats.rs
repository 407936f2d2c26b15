//! The review-tool formats (`--format sarif|gerrit|zuul|github`), end to end:
//! the binary on a small tree, with
//!
//! - one golden file per format (`tests/fixtures/formats/<format>.golden`,
//!   exact bytes; `VIGIL_BLESS=1` rewrites them after a reviewed change),
//! - the SARIF log validated against the official SARIF 2.1.0 schema
//!   (`tests/data/sarif-schema-2.1.0.json`),
//! - shape checks against what Gerrit, Zuul and GitHub document and parse,
//!   including a file name made to break every one of them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use vigil::report::terminal_safe;

const FORMATS: [&str; 4] = ["sarif", "gerrit", "zuul", "github"];

/// The tree behind the golden files: findings of every severity, one over
/// two lines, one after a character outside the BMP (UTF-16 columns), a
/// file name with a quote, a comma, a colon and a percent sign, and a file
/// vigil cannot read.
const API_PY: &str = "import os
import requests


def attach(ctx, path, body):
    assert ctx.is_admin
    os.chmod(path, 0o777)
    label = \"\u{1f600}\"; exec(body)
    requests.get(
        \"http://metadata/\" + path)
";
const ODD_NAME: &str = "odd \"name\",:%.py";

fn golden_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("nova")).unwrap();
    std::fs::write(dir.path().join("nova/api.py"), API_PY).unwrap();
    std::fs::write(dir.path().join(ODD_NAME), "x = 1\nassert x, \"50% done: a,b\"\n").unwrap();
    std::fs::write(dir.path().join("latin1.py"), b"x = '\xe9'\n").unwrap();
    dir
}

/// The rules the golden tree exercises (some are off by default: the
/// formats are tested, not the default set).
const RULES: &str = "S101,S102,S103,S113,S506";

fn vigil(dir: &Path, format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["review", "--select", RULES, "--format", format, "."])
        .current_dir(dir)
        .output()
        .expect("vigil runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("reports are UTF-8")
}

fn golden_path(format: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/formats/{format}.golden"))
}

/// The version is the only thing that changes between releases: the golden
/// files hold `{VERSION}` instead.
fn without_version(text: &str) -> String {
    text.replace(&format!("\"{}\"", env!("CARGO_PKG_VERSION")), "\"{VERSION}\"")
}

#[test]
fn golden_files_match_exactly() {
    let dir = golden_tree();
    let bless = std::env::var_os("VIGIL_BLESS").is_some();
    for format in FORMATS {
        let out = vigil(dir.path(), format);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{format}: an unreadable file makes the exit code 2"
        );
        let actual = without_version(&stdout(&out));
        let path = golden_path(format);
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with VIGIL_BLESS=1 to create it)", path.display()));
        assert_eq!(actual, expected, "{format}: output differs from {}", path.display());
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the official SARIF schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, log: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF log breaks the schema:\n{}", errors.join("\n"));
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let validator = sarif_validator();
    let dir = golden_tree();
    let log: Value = serde_json::from_str(&stdout(&vigil(dir.path(), "sarif"))).unwrap();
    assert_valid_sarif(&validator, &log);

    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join("a.py"), "x = 1\n").unwrap();
    let empty: Value = serde_json::from_str(&stdout(&vigil(clean.path(), "sarif"))).unwrap();
    assert_valid_sarif(&validator, &empty);
    assert_eq!(empty["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(empty["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn the_schema_check_can_fail() {
    let validator = sarif_validator();
    let dir = golden_tree();
    let log: Value = serde_json::from_str(&stdout(&vigil(dir.path(), "sarif"))).unwrap();
    let mut bad_level = log.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad_level));
    let mut no_message = log.clone();
    no_message["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&no_message));
    let mut zero_line = log;
    zero_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    assert!(!validator.is_valid(&zero_line));
}

#[test]
fn sarif_rules_and_results_carry_what_github_reads() {
    let dir = golden_tree();
    let log: Value = serde_json::from_str(&stdout(&vigil(dir.path(), "sarif"))).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["S101", "S102", "S103", "S113"],
        "each rule with a result, once, sorted"
    );
    for rule in rules {
        let tags: Vec<&str> = rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(tags[0], "security");
        assert!(tags[1].starts_with("external/cwe/cwe-"), "{tags:?}");
        let score: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            score > 0.0 && score < 9.0,
            "GitHub's high, medium or low band, never critical"
        );
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        assert!(rule["fullDescription"]["text"].as_str().unwrap().chars().count() <= 1024);
    }
    assert_eq!(rules[1]["properties"]["tags"][1], "external/cwe/cwe-078");
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let fingerprint = result["partialFingerprints"]["vigilFingerprint/v1"].as_str().unwrap();
        assert_eq!(fingerprint.len(), 16);
        assert!(result.get("fixes").is_none(), "no machine-applicable fixes yet");
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    }
    let odd = &run["results"][4]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(odd, "odd%20%22name%22%2C%3A%25.py");
    let notes = run["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}

/// Gerrit's `Comment.Range.isValid()`: positive lines, non-negative
/// characters, and the start not after the end.
fn gerrit_range_is_valid(range: &Value) -> bool {
    let n = |k: &str| range[k].as_i64().unwrap();
    let (sl, sc, el, ec) = (n("start_line"), n("start_character"), n("end_line"), n("end_character"));
    sl > 0 && sc >= 0 && el > 0 && ec >= 0 && sl <= el && (sl != el || sc <= ec)
}

fn keys(value: &Value) -> Vec<&str> {
    value.as_object().unwrap().keys().map(|k| k.as_str()).collect()
}

#[test]
fn gerrit_review_input_has_the_documented_shape() {
    let dir = golden_tree();
    let doc: Value = serde_json::from_str(&stdout(&vigil(dir.path(), "gerrit"))).unwrap();
    assert_eq!(keys(&doc), ["comments", "message", "omit_duplicate_comments", "tag"]);
    assert_eq!(doc["tag"], "autogenerated:vigil");
    let message = doc["message"].as_str().unwrap();
    assert!(
        message.starts_with("vigil: Found 5 security defects in 2 files"),
        "{message}"
    );
    assert!(message.contains("- latin1.py: line 1 is not valid UTF-8"), "{message}");
    let comments = doc["comments"].as_object().unwrap();
    assert_eq!(comments.keys().collect::<Vec<_>>(), ["nova/api.py", ODD_NAME]);
    for list in comments.values() {
        for c in list.as_array().unwrap() {
            assert_eq!(keys(c), ["line", "message", "range", "unresolved"]);
            assert!(gerrit_range_is_valid(&c["range"]), "{c}");
            assert_eq!(c["line"], c["range"]["end_line"], "line is the range's end line");
            assert_eq!(c["unresolved"], true);
            let text = c["message"].as_str().unwrap();
            assert_eq!(
                text.split("\n\n").count(),
                4,
                "message, rule line, defect, solution: {text}"
            );
        }
    }
    // The `exec` after the emoji: code-point column 18, UTF-16 offset 18.
    let exec = &comments["nova/api.py"][2]["range"];
    assert_eq!(
        (exec["start_character"].as_u64(), exec["end_character"].as_u64()),
        (Some(18), Some(28))
    );
    let multi = &comments["nova/api.py"][3];
    assert_eq!(
        (multi["range"]["start_line"].as_u64(), multi["line"].as_u64()),
        (Some(9), Some(10))
    );
}

#[test]
fn zuul_file_comments_pass_zuuls_schema() {
    let dir = golden_tree();
    let doc: Value = serde_json::from_str(&stdout(&vigil(dir.path(), "zuul"))).unwrap();
    assert_eq!(keys(&doc), ["zuul"]);
    assert_eq!(keys(&doc["zuul"]), ["file_comments", "warnings"]);
    assert_eq!(
        doc["zuul"]["warnings"][0],
        "vigil could not review latin1.py: line 1 is not valid UTF-8 (byte 0xe9 at column 6) and no encoding is \
         declared (PEP 263: `# -*- coding: NAME -*-` on line 1 or 2); skipped"
    );
    // `zuul/lib/filecomments.py`: {str: [{line: int, message: str, range:
    // {start_line, start_character, end_line, end_character: int}, level:
    // str}]}, and no other key.
    for list in doc["zuul"]["file_comments"].as_object().unwrap().values() {
        for c in list.as_array().unwrap() {
            for key in keys(c) {
                assert!(["line", "message", "range", "level"].contains(&key), "{key}");
            }
            assert!(c["line"].is_u64() && c["message"].is_string());
            assert_eq!(
                keys(&c["range"]),
                ["end_character", "end_line", "start_character", "start_line"]
            );
            assert!(gerrit_range_is_valid(&c["range"]));
            assert!(["info", "warning", "error"].contains(&c["level"].as_str().unwrap()));
        }
    }
}

/// A workflow command as the GitHub runner reads it (`ActionCommand.cs`,
/// `TryParseV2`): the name up to a space, properties split on `,` then on
/// the first `=`, the message after the next `::`, each unescaped.
struct WorkflowCommand {
    name: String,
    properties: Vec<(String, String)>,
    message: String,
}

fn parse_command(line: &str) -> Option<WorkflowCommand> {
    let rest = line.trim_start().strip_prefix("::")?;
    let end = rest.find("::")?;
    let (info, message) = (&rest[..end], &rest[end + 2..]);
    let (name, props) = info.split_once(' ').unwrap_or((info, ""));
    let unescape_data = |s: &str| s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    let unescape_property = |s: &str| {
        s.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let properties = props
        .trim()
        .split(',')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), unescape_property(v)))
        .collect();
    Some(WorkflowCommand {
        name: name.to_string(),
        properties,
        message: unescape_data(message),
    })
}

fn property<'a>(cmd: &'a WorkflowCommand, key: &str) -> Option<&'a str> {
    cmd.properties.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

#[test]
fn github_annotations_parse_as_the_runner_parses_them() {
    let dir = golden_tree();
    let text = stdout(&vigil(dir.path(), "github"));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "5 findings, 1 unreadable file, the summary:\n{text}");
    assert_eq!(
        lines[6],
        "Found 5 security defects in 2 files (1 high, 2 medium, 2 low severity); 2 files reviewed, 1 file could not \
         be reviewed (listed below)."
    );
    let commands: Vec<WorkflowCommand> = lines[..6].iter().map(|l| parse_command(l).unwrap()).collect();
    let names: Vec<&str> = commands.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["notice", "error", "warning", "warning", "notice", "error"]);
    let odd = &commands[4];
    assert_eq!(property(odd, "file"), Some(ODD_NAME));
    assert_eq!(property(odd, "line"), Some("2"));
    assert_eq!(property(odd, "col"), Some("1"));
    assert_eq!(property(odd, "title"), Some("S101 assert-used"));
    assert!(odd.message.starts_with("`assert x` is removed"), "{}", odd.message);
    assert_eq!(odd.message.split("\n\n").count(), 4);
    let multi = &commands[3];
    assert_eq!(
        (property(multi, "line"), property(multi, "endLine")),
        (Some("9"), Some("10"))
    );
    assert_eq!(property(multi, "col"), None, "no columns over several lines");
    assert_eq!(property(&commands[5], "file"), Some("latin1.py"));
}

#[test]
fn hostile_file_names_break_no_format() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\"\\\n\r\u{1b}[31m\u{202e},:%0A::error x.py";
    std::fs::write(dir.path().join(name), "assert x\n").unwrap();

    let gerrit: Value = serde_json::from_str(&stdout(&vigil(dir.path(), "gerrit"))).unwrap();
    assert_eq!(
        keys(&gerrit["comments"]),
        [name],
        "the exact name is the comment's path"
    );
    let zuul: Value = serde_json::from_str(&stdout(&vigil(dir.path(), "zuul"))).unwrap();
    assert_eq!(keys(&zuul["zuul"]["file_comments"]), [name]);

    let sarif: Value = serde_json::from_str(&stdout(&vigil(dir.path(), "sarif"))).unwrap();
    assert_valid_sarif(&sarif_validator(), &sarif);
    let uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
        "{uri}"
    );
    assert_eq!(percent_decode(uri), name);

    let github = stdout(&vigil(dir.path(), "github"));
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "one annotation and the summary, whatever the name holds:\n{github}"
    );
    let cmd = parse_command(lines[0]).unwrap();
    assert_eq!(cmd.name, "notice");
    // Control characters are shown, not sent to the terminal, even in `file=`.
    assert_eq!(property(&cmd, "file"), Some(terminal_safe::escape(name).as_ref()));
    assert_eq!(property(&cmd, "title"), Some("S101 assert-used"));
    assert!(!github.contains('\u{1b}') && !github.contains('\r'), "{github:?}");
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn a_clean_tree_says_so_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), "x = 1\n").unwrap();
    let outputs: Vec<(String, Output)> = FORMATS.iter().map(|f| (f.to_string(), vigil(dir.path(), f))).collect();
    for (format, out) in &outputs {
        assert_eq!(out.status.code(), Some(0), "{format}");
    }
    let gerrit: Value = serde_json::from_str(&stdout(&outputs[1].1)).unwrap();
    assert_eq!(gerrit["message"], "vigil: No security defects are detected in the code");
    assert_eq!(gerrit["comments"], serde_json::json!({}));
    let zuul: Value = serde_json::from_str(&stdout(&outputs[2].1)).unwrap();
    assert_eq!(zuul, serde_json::json!({"zuul": {"file_comments": {}}}));
    assert_eq!(stdout(&outputs[3].1), "No security defects are detected in the code\n");
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let dir = golden_tree();
    for format in FORMATS {
        let run = |threads: &str| {
            Command::new(env!("CARGO_BIN_EXE_vigil"))
                .args(["review", "--select", RULES, "--format", format, "."])
                .current_dir(dir.path())
                .env("RAYON_NUM_THREADS", threads)
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(run("1"), run("4"), "{format}");
    }
}

/// A rule with a mechanical fix gives SARIF `fixes` (and JSON `edit`) that,
/// applied to the file, produce exactly the safe code.
#[test]
fn mechanical_fixes_are_exact_replacements() {
    let dir = tempfile::tempdir().unwrap();
    let source = "import yaml\n\n\ndef load_meta(stream):\n    return yaml.load(stream)\n";
    std::fs::write(dir.path().join("meta.py"), source).unwrap();
    let log: Value = serde_json::from_str(&stdout(&vigil(dir.path(), "sarif"))).unwrap();
    assert_valid_sarif(&sarif_validator(), &log);
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "S506")
        .expect("S506 finding");
    let replacement = &result["fixes"][0]["artifactChanges"][0]["replacements"][0];
    let region = &replacement["deletedRegion"];
    assert_eq!(region["startLine"], 5);
    let (start, end) = (
        region["startColumn"].as_u64().unwrap() as usize,
        region["endColumn"].as_u64().unwrap() as usize,
    );
    let line = source.lines().nth(4).unwrap();
    let fixed = format!(
        "{}{}{}",
        &line[..start - 1],
        replacement["insertedContent"]["text"].as_str().unwrap(),
        &line[end - 1..]
    );
    assert_eq!(fixed, "    return yaml.safe_load(stream)");

    let json: Value = serde_json::from_str(&stdout(&vigil(dir.path(), "json"))).unwrap();
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "S506")
        .unwrap();
    assert_eq!(finding["edit"]["replacement"], "safe_load");
    let other = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] != "S506");
    assert!(
        other.is_none_or(|f| f["edit"].is_null()),
        "rules without a mechanical fix have none"
    );
}
