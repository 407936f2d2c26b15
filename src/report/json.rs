//! vigil's JSON report. The schema is stable: fields are only ever added.
//! `docs/json-schema.md` documents every field.

use serde::Serialize;

use super::Report;
use crate::finding::{Finding, FindingEdit, FlowStep, SnippetLine};
use crate::rules::Level;

pub const SCHEMA: &str = "vigil-report/1";

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
    warnings: Vec<JsonWarning<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unused_suppressions: Option<Vec<JsonUnusedSuppression<'a>>>,
    summary: Summary,
    /// With `--llm`: what the language-model stage did.
    #[serde(skip_serializing_if = "Option::is_none")]
    llm: Option<JsonLlm<'a>>,
}

#[derive(Serialize)]
struct JsonLlm<'a> {
    model: &'a str,
    triaged: usize,
    kept: usize,
    dropped: usize,
    not_triaged: usize,
    discovered: usize,
    rejected: usize,
    rejected_reasons: &'a std::collections::BTreeMap<&'static str, usize>,
    duplicates: usize,
    out_of_scope: usize,
    unusable_answers: &'a std::collections::BTreeMap<&'static str, usize>,
    requests: usize,
    retries: usize,
    cache_hits: usize,
    tokens_sent: u64,
    tokens_received: u64,
    seconds: f64,
    token_budget: Option<u64>,
    questions_not_sent: usize,
    failure: Option<&'a str>,
    gate: Vec<&'static str>,
    /// With `--show-dropped`: the findings the model dropped, each with its triage.
    #[serde(skip_serializing_if = "Option::is_none")]
    dropped_findings: Option<Vec<JsonFinding<'a>>>,
}

#[derive(Serialize)]
struct JsonTriage<'a> {
    model: &'a str,
    verdict: &'static str,
    confidence: Level,
    explanation: &'a str,
    fix: &'a str,
}

#[derive(Serialize)]
struct JsonUnusedSuppression<'a> {
    path: &'a str,
    line: u32,
    comment: &'a str,
    /// `unused`, or `not-checked` when a rule it names did not run.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    line: u32,
    end_line: u32,
    column: u32,
    end_column: u32,
    rule_id: &'static str,
    rule_name: &'static str,
    bandit_id: Option<&'static str>,
    cwe: u32,
    severity: Level,
    confidence: Level,
    message: &'a str,
    description: &'a str,
    solution: &'a str,
    snippet: &'a [SnippetLine],
    steps: &'a [FlowStep],
    edit: Option<&'a FindingEdit>,
    fingerprint: &'a str,
    /// Other rules that reported this same defect here (fused into it).
    also: Vec<JsonAlso<'a>>,
    /// The dataflow analysis proved only constants reach this sink.
    only_constants: bool,
    /// `llm` for a defect a language model reported (`--llm`); absent for
    /// the analysis's findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'static str>,
    /// The model that reported it.
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    /// The language model's triage of this finding (`--llm`).
    #[serde(skip_serializing_if = "Option::is_none")]
    triage: Option<JsonTriage<'a>>,
}

#[derive(Serialize)]
struct JsonAlso<'a> {
    rule_id: &'static str,
    rule_name: &'static str,
    bandit_id: Option<&'static str>,
    cwe: u32,
    line: u32,
    column: u32,
    severity: Level,
    confidence: Level,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonWarning<'a> {
    path: &'a str,
    line: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files_reviewed: usize,
    lines_reviewed: usize,
    findings: usize,
    suppressed: usize,
    baselined: usize,
    /// Pattern findings left out of the default review because only
    /// constants reach their sink.
    proven_constant: usize,
    /// Test files the walk left out (`--include-tests` reviews them).
    test_files_left_out: usize,
    /// Files that could not be reviewed (each is in `errors`).
    files_not_reviewed: usize,
    high: usize,
    medium: usize,
    low: usize,
}

impl Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        path: &f.path,
        line: f.line,
        end_line: f.end_line,
        column: f.column,
        end_column: f.end_column,
        rule_id: f.rule.id,
        rule_name: f.rule.name,
        bandit_id: f.rule.bandit,
        cwe: f.rule.cwe,
        severity: f.severity,
        confidence: f.confidence,
        message: &f.message,
        description: &f.description,
        solution: &f.solution,
        snippet: &f.snippet,
        steps: &f.steps,
        edit: f.edit.as_ref(),
        fingerprint: &f.fingerprint,
        also: f
            .also
            .iter()
            .map(|a| JsonAlso {
                rule_id: a.rule.id,
                rule_name: a.rule.name,
                bandit_id: a.rule.bandit,
                cwe: a.rule.cwe,
                line: a.line,
                column: a.column,
                severity: a.severity,
                confidence: a.confidence,
                message: &a.message,
            })
            .collect(),
        only_constants: f.only_constants,
        source: f.found_by_model.as_ref().map(|_| "llm"),
        model: f.found_by_model.as_deref(),
        triage: f.triage.as_ref().map(|t| JsonTriage {
            model: &t.model,
            verdict: if t.keep { "keep" } else { "drop" },
            confidence: t.confidence,
            explanation: &t.explanation,
            fix: &t.fix,
        }),
    }
}

fn llm(l: &crate::llm::Summary) -> JsonLlm<'_> {
    let mut gate = Vec::new();
    if l.gate.triage {
        gate.push("triage");
    }
    if l.gate.discover {
        gate.push("discover");
    }
    JsonLlm {
        model: &l.model,
        triaged: l.triaged,
        kept: l.kept,
        dropped: l.dropped.len(),
        not_triaged: l.not_triaged,
        discovered: l.discovered,
        rejected: l.rejected_total(),
        rejected_reasons: &l.rejected,
        duplicates: l.duplicates,
        out_of_scope: l.out_of_scope,
        unusable_answers: &l.unusable,
        requests: l.requests,
        retries: l.retries,
        cache_hits: l.cache_hits,
        tokens_sent: l.tokens_sent,
        tokens_received: l.tokens_received,
        seconds: (l.seconds * 1000.0).round() / 1000.0,
        token_budget: l.budget,
        questions_not_sent: l.not_sent,
        failure: l.failure.as_deref(),
        gate,
        dropped_findings: l.show_dropped.then(|| l.dropped.iter().map(finding).collect()),
    }
}

pub fn render(report: &Report) -> String {
    let doc = JsonReport {
        schema: SCHEMA,
        tool: Tool {
            name: "vigil",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: report.findings.iter().map(finding).collect(),
        errors: report
            .errors
            .iter()
            .map(|e| JsonError {
                path: &e.path,
                reason: &e.reason,
            })
            .collect(),
        warnings: report
            .warnings
            .iter()
            .map(|w| JsonWarning {
                path: &w.path,
                line: w.line,
                message: &w.message,
            })
            .collect(),
        unused_suppressions: report.unused_suppressions.as_ref().map(|list| {
            list.iter()
                .map(|u| {
                    use crate::review::Verdict;
                    let (status, reason) = match &u.verdict {
                        Verdict::Unused => ("unused", None),
                        Verdict::NotChecked(why) => ("not-checked", Some(why.as_str())),
                    };
                    JsonUnusedSuppression {
                        path: &u.path,
                        line: u.line,
                        comment: &u.comment,
                        status,
                        reason,
                    }
                })
                .collect()
        }),
        summary: Summary {
            files_reviewed: report.files_reviewed,
            lines_reviewed: report.lines_reviewed,
            findings: report.findings.len(),
            suppressed: report.suppressed,
            baselined: report.baselined,
            proven_constant: report.proven_constant,
            test_files_left_out: report.test_files_left_out,
            files_not_reviewed: report.errors.len(),
            high: report.count(Level::High),
            medium: report.count(Level::Medium),
            low: report.count(Level::Low),
        },
        llm: report.llm.as_ref().map(llm),
    };
    // Serialising plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&doc).expect("report serialises");
    text.push('\n');
    text
}
