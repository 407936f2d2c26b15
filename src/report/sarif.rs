//! SARIF 2.1.0 (OASIS, errata 01), for GitHub code scanning and any other
//! SARIF viewer. `tests/formats.rs` validates every log against the official
//! schema kept in `tests/data/`.
//!
//! One run: `tool.driver` describes vigil and every rule that has a result
//! (sorted by id, so `ruleIndex` is stable); each finding is a result with
//! its level, the full review as its message, one location and vigil's
//! fingerprint. What GitHub reads is documented in "SARIF support for code
//! scanning"; the choices below follow it:
//!
//! - Locations are relative to the repository root: `uri` is the path vigil
//!   shows, percent-encoded (RFC 3986) so no file name can break it, with
//!   `uriBaseId` `%SRCROOT%`. An absolute path becomes a `file://` URI with
//!   no base, as the spec requires. Columns count code points, and the run
//!   says so (`columnKind`); `endColumn` is exclusive, as in vigil.
//! - Rules carry `help` (text and Markdown), the tags `security` and
//!   `external/cwe/cwe-NNN` (three digits at least, as CodeQL writes them),
//!   `precision` from the rule's confidence and `security-severity` from its
//!   severity (see [`security_severity`]).
//! - `partialFingerprints` holds `vigilFingerprint/v1`, the hash of rule,
//!   path and folded line text (`fingerprint`). GitHub's upload action adds
//!   its own `primaryLocationLineHash` beside it.
//! - `fixes` only for findings with a mechanical fix (`Finding::edit`, an
//!   exact replacement); other solutions are advice in prose.
//! - `codeFlows` carries a finding's steps (source to sink, check to use).
//! - Files vigil could not review (and syntax warnings) are
//!   `toolExecutionNotifications`; `executionSuccessful` is false when a
//!   file could not be reviewed, as the exit code is then 2.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Report, review_text, rule_help, terminal_safe};
use crate::finding::Finding;
use crate::rules::{Level, Rule};

/// The schema's own `id`: the version OASIS published.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The partial fingerprint's name: a versioned hierarchical string.
pub const FINGERPRINT_KEY: &str = "vigilFingerprint/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    /// The finding's path (source to sink, check to use), one thread flow.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code_flows: Vec<CodeFlow>,
    /// Only for rules with a mechanical fix (`Finding::edit`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeFlow {
    thread_flows: [ThreadFlow; 1],
}

#[derive(Serialize)]
struct ThreadFlow {
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
struct ThreadFlowLocation {
    location: Location,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix {
    description: Text,
    artifact_changes: [ArtifactChange; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: [Replacement; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    severity: Level,
    confidence: Level,
    /// `llm` for a defect a language model reported (`--llm`).
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    /// The model's triage (`keep` or `drop`), when it gave one.
    #[serde(rename = "llmVerdict", skip_serializing_if = "Option::is_none")]
    llm_verdict: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: [Location; 1],
}

/// SARIF's result levels.
fn level(severity: Level) -> &'static str {
    match severity {
        Level::High => "error",
        Level::Medium => "warning",
        Level::Low => "note",
    }
}

/// GitHub's `precision`, from vigil's confidence.
fn precision(confidence: Level) -> &'static str {
    match confidence {
        Level::High => "high",
        Level::Medium => "medium",
        Level::Low => "low",
    }
}

/// The `security-severity` GitHub ranks security alerts by: a score out of
/// 10 that it reads as critical above 9.0, high from 7.0, medium from 4.0
/// and low from 0.1. vigil's three levels (Bandit's) only say high, medium
/// or low, so each maps to a score inside the matching GitHub band, and none
/// claims "critical", which a pattern rule without dataflow cannot
/// establish: HIGH is 8.0 (high), MEDIUM 5.5 (the middle of medium), LOW 3.0
/// (low, and above the 0.0 that would mean "no security severity").
pub fn security_severity(severity: Level) -> &'static str {
    match severity {
        Level::High => "8.0",
        Level::Medium => "5.5",
        Level::Low => "3.0",
    }
}

/// The CWE tag in the form CodeQL uses (`external/cwe/cwe-078`).
pub fn cwe_tag(cwe: u32) -> String {
    format!("external/cwe/cwe-{cwe:03}")
}

fn descriptor(rule: &'static Rule) -> ReportingDescriptor {
    ReportingDescriptor {
        id: rule.id,
        name: rule.name,
        short_description: Text {
            text: rule.docs.what.to_string(),
        },
        full_description: Text {
            text: full_description(rule),
        },
        help: Help {
            text: rule_help::text(rule),
            markdown: rule_help::markdown(rule),
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            tags: vec!["security".to_string(), cwe_tag(rule.cwe)],
            precision: precision(rule.confidence),
            security_severity: security_severity(rule.severity),
        },
    }
}

/// GitHub shows at most 1,024 characters of a description: what the rule
/// does and why it is bad when they fit, what it does otherwise.
pub fn full_description(rule: &Rule) -> String {
    let both = format!("{} {}", rule.docs.what, rule.docs.why);
    if both.chars().count() <= 1024 {
        both
    } else {
        rule.docs.what.to_string()
    }
}

/// `path` as a URI reference: every byte but RFC 3986's unreserved
/// characters and `/` percent-encoded, so quotes, spaces, `%`, `#`, `?`,
/// `:` or control characters in a file name cannot change its meaning.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn artifact_location(path: &str) -> ArtifactLocation {
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", encode_path(path)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_path(path),
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

/// The steps of a finding as one SARIF thread flow, each with its note.
fn code_flows(f: &Finding) -> Vec<CodeFlow> {
    if f.steps.is_empty() {
        return Vec::new();
    }
    let locations = f
        .steps
        .iter()
        .map(|step| ThreadFlowLocation {
            location: Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(&f.path),
                    region: Some(Region {
                        start_line: step.line,
                        start_column: Some(step.column),
                        end_line: None,
                        end_column: None,
                    }),
                },
                message: Some(Text {
                    text: terminal_safe::escape(&step.note).into_owned(),
                }),
            },
        })
        .collect();
    vec![CodeFlow {
        thread_flows: [ThreadFlow { locations }],
    }]
}

/// A finding's mechanical fix as a SARIF fix.
fn fixes(f: &Finding) -> Vec<Fix> {
    let Some(edit) = &f.edit else { return Vec::new() };
    vec![Fix {
        description: Text {
            text: review_text::solution(f).into_owned(),
        },
        artifact_changes: [ArtifactChange {
            artifact_location: artifact_location(&f.path),
            replacements: [Replacement {
                deleted_region: Region {
                    start_line: edit.line,
                    start_column: Some(edit.column),
                    end_line: Some(edit.end_line),
                    end_column: Some(edit.end_column),
                },
                inserted_content: Text {
                    text: edit.replacement.clone(),
                },
            }],
        }],
    }]
}

pub fn render(report: &Report) -> String {
    let mut rules: Vec<&'static Rule> = report.findings.iter().map(|f| f.rule).collect();
    rules.sort_by_key(|r| r.id);
    rules.dedup_by_key(|r| r.id);

    let results = report
        .findings
        .iter()
        .map(|f| SarifResult {
            rule_id: f.rule.id,
            rule_index: rules
                .binary_search_by_key(&f.rule.id, |r| r.id)
                .expect("`rules` holds the rule of every finding, sorted by id"),
            level: level(f.severity),
            message: Text {
                text: review_text::review(f),
            },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(&f.path),
                    region: Some(Region {
                        start_line: f.line,
                        start_column: Some(f.column),
                        end_line: Some(f.end_line),
                        end_column: Some(f.end_column),
                    }),
                },
                message: None,
            }],
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, f.fingerprint.as_str())]),
            code_flows: code_flows(f),
            fixes: fixes(f),
            properties: ResultProperties {
                severity: f.severity,
                confidence: f.confidence,
                source: f.found_by_model.as_ref().map(|_| "llm"),
                model: f.found_by_model.as_deref(),
                llm_verdict: f.triage.as_ref().map(|t| if t.keep { "keep" } else { "drop" }),
            },
        })
        .collect();

    let mut notifications: Vec<Notification> = report
        .errors
        .iter()
        .map(|e| Notification {
            level: "error",
            message: Text {
                text: format!(
                    "{}: {}",
                    terminal_safe::escape(&e.path),
                    terminal_safe::escape(&e.reason)
                ),
            },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(&e.path),
                    region: None,
                },
                message: None,
            }],
        })
        .collect();
    notifications.extend(report.warnings.iter().map(|w| Notification {
        level: "warning",
        message: Text {
            text: terminal_safe::escape(&w.message).into_owned(),
        },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact_location(&w.path),
                region: Some(Region {
                    start_line: w.line.max(1),
                    start_column: None,
                    end_line: None,
                    end_column: None,
                }),
            },
            message: None,
        }],
    }));

    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "vigil",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: rules.into_iter().map(descriptor).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: report.errors.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    // Plain structs of strings, numbers and string-keyed maps always serialise.
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF log serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::{artifact_location, cwe_tag, encode_path, full_description};
    use crate::rules::registry;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(encode_path("nova/virt/driver.py"), "nova/virt/driver.py");
        assert_eq!(
            encode_path("a b/\"q\"#?:%,\n\u{1b}é.py"),
            "a%20b/%22q%22%23%3F%3A%25%2C%0A%1B%C3%A9.py"
        );
    }

    #[test]
    fn absolute_paths_are_file_uris_without_a_base() {
        let abs = artifact_location("/srv/nova/a b.py");
        assert_eq!((abs.uri.as_str(), abs.uri_base_id), ("file:///srv/nova/a%20b.py", None));
        let rel = artifact_location("nova/a.py");
        assert_eq!((rel.uri.as_str(), rel.uri_base_id), ("nova/a.py", Some("%SRCROOT%")));
    }

    #[test]
    fn cwe_tags_have_three_digits_at_least() {
        assert_eq!(cwe_tag(78), "external/cwe/cwe-078");
        assert_eq!(cwe_tag(703), "external/cwe/cwe-703");
        assert_eq!(cwe_tag(1333), "external/cwe/cwe-1333");
    }

    #[test]
    fn every_rule_fits_githubs_description_limits() {
        for rule in registry::all() {
            assert!(rule.docs.what.chars().count() <= 1024, "{}: `what` too long", rule.id);
            assert!(full_description(rule).chars().count() <= 1024, "{}", rule.id);
        }
    }
}
