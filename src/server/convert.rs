//! Findings in the protocol's terms: each [`Finding`] a diagnostic (severity
//! from its severity, code = rule id, the CWE entry as the code's page, the
//! rules fused into it and the steps of its path as related information),
//! a rule's documentation as hover text, a mechanical fix as a quick fix.
//!
//! Text from the analysed code is shown through `review_text`, which makes
//! control and bidi characters visible, as every other format does.

use std::collections::HashMap;
use std::str::FromStr;

use lsp_types::{
    CodeAction, CodeActionKind, CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    Location, NumberOrString, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::text::Text;
use crate::finding::Finding;
use crate::report::review_text;
use crate::review::Warning;
use crate::rules::Level;

/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "vigil";

/// The protocol range of a finding in `text`.
pub fn range(f: &Finding, text: &Text) -> Range {
    text.range((f.line, f.column), (f.end_line, f.end_column))
}

/// The diagnostic for `f`, a finding in the buffer `uri` whose text is `text`.
pub fn diagnostic(f: &Finding, uri: &Uri, text: &Text) -> Diagnostic {
    let mut related: Vec<DiagnosticRelatedInformation> = f
        .also
        .iter()
        .map(|a| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range(a, text)),
            message: format!(
                "also {}{}: {}",
                a.rule.id,
                a.rule.bandit.map(|b| format!(" (Bandit {b})")).unwrap_or_default(),
                review_text::message(a)
            ),
        })
        .collect();
    related.extend(f.steps.iter().enumerate().map(|(i, s)| DiagnosticRelatedInformation {
        location: Location::new(uri.clone(), text.rest_of_line(s.line, s.column)),
        message: format!("step {}: {}", i + 1, crate::report::terminal_safe::escape(&s.note)),
    }));
    let mut message = review_text::message(f).into_owned();
    if let Some(detail) = &f.detail {
        message.push_str("\n\n");
        message.push_str(&crate::report::terminal_safe::escape(detail));
    }
    message.push_str("\n\nSolution: ");
    message.push_str(&review_text::solution(f));
    Diagnostic {
        range: range(f, text),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.id.to_string())),
        // vigil has no web page per rule (hover shows its documentation);
        // the CWE entry is the page about the weakness it reports.
        code_description: Uri::from_str(&f.rule.cwe_link())
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

fn severity(level: Level) -> DiagnosticSeverity {
    match level {
        Level::High => DiagnosticSeverity::ERROR,
        Level::Medium => DiagnosticSeverity::WARNING,
        Level::Low => DiagnosticSeverity::INFORMATION,
    }
}

/// A problem with the file that did not stop its review (a syntax error,
/// a suppression comment without a reason), on its line.
pub fn warning(w: &Warning, text: &Text) -> Diagnostic {
    let line = w.line.max(1);
    Diagnostic {
        range: text.rest_of_line(line, 1),
        severity: Some(DiagnosticSeverity::INFORMATION),
        source: Some(SOURCE.to_string()),
        message: crate::report::terminal_safe::escape(&w.message).into_owned(),
        ..Diagnostic::default()
    }
}

/// A configuration that cannot be used: the file is not reviewed, and the
/// first line says why (a clean-looking buffer would be a lie).
pub fn config_error(message: &str) -> Diagnostic {
    Diagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some(SOURCE.to_string()),
        message: format!(
            "vigil did not review this file: {}",
            crate::report::terminal_safe::escape(message)
        ),
        ..Diagnostic::default()
    }
}

/// Hover text for the findings at a position: the documentation of every
/// rule that reported them, as `vigil rule ID` prints it (Markdown).
pub fn hover_text(findings: &[&Finding]) -> Option<String> {
    let mut ids: Vec<&'static crate::rules::Rule> = Vec::new();
    for rule in findings.iter().flat_map(|f| f.rules()) {
        if !ids.iter().any(|r| r.id == rule.id) {
            ids.push(rule);
        }
    }
    if ids.is_empty() {
        return None;
    }
    let docs: Vec<String> = ids.iter().map(|r| crate::cli::render_doc(r)).collect();
    Some(docs.join("\n---\n\n"))
}

/// The quick fix for `f`, when its rule has a mechanical one.
// `lsp_types::Uri` caches parsed parts in cells, which clippy takes for a
// mutable key; its hash and equality use the text alone.
#[allow(clippy::mutable_key_type)]
pub fn quick_fix(f: &Finding, diagnostic: &Diagnostic, uri: &Uri, text: &Text) -> Option<CodeAction> {
    let edit = f.edit.as_ref()?;
    let range = text.range((edit.line, edit.column), (edit.end_line, edit.end_column));
    let (from, to) = (text.offset(range.start), text.offset(range.end));
    let old = &text.as_str()[from.min(to)..to.max(from)];
    let title = format!(
        "Fix {}: replace `{}` with `{}`",
        f.rule.id,
        crate::report::terminal_safe::escape(old),
        crate::report::terminal_safe::escape(&edit.replacement)
    );
    let changes = HashMap::from([(
        uri.clone(),
        vec![TextEdit {
            range,
            new_text: edit.replacement.clone(),
        }],
    )]);
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(true),
        ..CodeAction::default()
    })
}
