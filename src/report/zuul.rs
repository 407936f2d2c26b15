//! Zuul file comments: the `data` a job hands to `zuul_return`, so Zuul's
//! reporters post each finding as an inline comment on the change (Gerrit)
//! or a check-run annotation (GitHub):
//!
//! ```yaml
//! - name: Review with vigil
//!   command: vigil review --format zuul --exit-zero -o vigil-zuul.json .
//!   args:
//!     chdir: "{{ ansible_user_dir }}/{{ zuul.project.src_dir }}"
//! - name: Read the comments back from the node
//!   slurp:
//!     src: "{{ ansible_user_dir }}/{{ zuul.project.src_dir }}/vigil-zuul.json"
//!   register: vigil_comments
//! - name: Hand them to Zuul
//!   zuul_return:
//!     data: "{{ vigil_comments.content | b64decode | from_json }}"
//! ```
//!
//! The shape follows Zuul's job documentation ("Leaving file comments" in
//! `doc/source/job-content.rst`) and the schema Zuul validates it with
//! (`zuul/lib/filecomments.py`): `{"zuul": {"file_comments": {path:
//! [{"line", "message", "range", "level"}]}}}`, where `range` has Gerrit's
//! `start_line`, `start_character`, `end_line` and `end_character` and
//! `level` is one of `info`, `warning` or `error` (Zuul 3.19 and later).
//! Zuul rejects the whole `file_comments` value if a comment has any other
//! key, so nothing else is added. Like Zuul's own configuration-error
//! comments, `line` is the range's end line. Files vigil could not review
//! go to `zuul.warnings`, which Zuul appends to its report on the change.
//!
//! Zuul drops comments on files the change does not touch, so paths must be
//! relative to the project root: run vigil there. Neighbours: the range
//! comes from `gerrit::comment_range`, the text from `review_text`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::gerrit::{CommentRange, comment_range};
use super::{Report, review_text, terminal_safe};
use crate::rules::Level;

#[derive(Serialize)]
struct ZuulReturn<'a> {
    zuul: ZuulData<'a>,
}

#[derive(Serialize)]
struct ZuulData<'a> {
    file_comments: BTreeMap<&'a str, Vec<FileComment>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct FileComment {
    line: u32,
    message: String,
    range: CommentRange,
    level: &'static str,
}

/// Zuul's three comment levels (its GitHub driver maps them to annotation
/// levels notice, warning and failure).
fn level(severity: Level) -> &'static str {
    match severity {
        Level::High => "error",
        Level::Medium => "warning",
        Level::Low => "info",
    }
}

pub fn render(report: &Report) -> String {
    let mut file_comments: BTreeMap<&str, Vec<FileComment>> = BTreeMap::new();
    for f in &report.findings {
        let range = comment_range(f);
        file_comments.entry(f.path.as_str()).or_default().push(FileComment {
            line: range.end_line,
            message: review_text::review(f),
            range,
            level: level(f.severity),
        });
    }
    let warnings = report
        .errors
        .iter()
        .map(|e| {
            format!(
                "vigil could not review {}: {}",
                terminal_safe::escape(&e.path),
                terminal_safe::escape(&e.reason)
            )
        })
        .collect();
    let doc = ZuulReturn {
        zuul: ZuulData {
            file_comments,
            warnings,
        },
    };
    // Strings, numbers and maps with string keys always serialise.
    let mut text = serde_json::to_string_pretty(&doc).expect("zuul data serialises");
    text.push('\n');
    text
}
