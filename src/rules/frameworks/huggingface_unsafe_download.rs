//! S615 huggingface-unpinned-download (Bandit B615).

use crate::python::names::last_segment;
use ruff_python_ast::{Expr, Number};
use ruff_text_size::Ranged;

use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

use super::bandit_context::{has_segment, is_ast_constant, qualname, text_value};
use super::tables::{HUGGINGFACE_DOWNLOADERS, HUGGINGFACE_LIBRARIES};

pub static RULE: Rule = Rule {
    id: "S615",
    name: "huggingface-unpinned-download",
    bandit: Some("B615"),
    bandit_name: Some("huggingface_unsafe_download"),
    family: Family::Frameworks,
    cwe: 494,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags Hugging Face downloads (`from_pretrained`, `load_dataset`, `hf_hub_download`, \
               `snapshot_download`) that do not pin `revision=` (or `commit_id=`) to a commit hash.",
        why: "A branch or tag on the Hub (`main`, `v1.0`) can be moved by whoever controls the \
              repository, or by an attacker holding its token, so an unpinned download fetches \
              whatever they push next: model code run with `trust_remote_code`, pickled weights, or \
              poisoned data.",
        example: "model = AutoModel.from_pretrained('org/model', revision='main')",
        use_instead: "model = AutoModel.from_pretrained('org/model', revision='5d0f2e8a7f1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d')",
        fix: "Pin `revision=` to the full commit hash you reviewed.",
        references: &["https://huggingface.co/docs/huggingface_hub/en/guides/download"],
    },
};

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let qualname = qualname(cx, site);
    let func = last_segment(&qualname);
    let Some((_, library)) = HUGGINGFACE_DOWNLOADERS.iter().find(|(name, _)| *name == func) else {
        return;
    };
    if !has_segment(&qualname, library) {
        return;
    }
    // A revision computed at run time cannot be judged: Bandit trusts it.
    let revision = site.keyword("revision");
    let commit_id = site.keyword("commit_id");
    if revision.into_iter().chain(commit_id).any(|v| !is_ast_constant(v)) {
        return;
    }
    let pinned = revision.filter(|v| truthy(v)).or(commit_id);
    if pinned.is_some_and(is_commit_hash) {
        return;
    }
    // A local path is not a Hub download.
    if site
        .arg(0)
        .and_then(text_value)
        .is_some_and(|p| p.starts_with("./") || p.starts_with('/') || p.starts_with("../"))
    {
        return;
    }
    if !HUGGINGFACE_LIBRARIES.iter().any(|lib| cx.imported_like(lib)) {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    let message = match pinned {
        Some(value) => format!(
            "`{callee}` downloads revision {} which is not a commit hash",
            cx.snippet(value)
        ),
        None => format!("`{callee}` downloads from the Hub without pinning `revision=`"),
    };
    out.push(Diagnostic::new(&RULE, site.call.range(), message).fix(format!(
        "Pass `revision=\"<commit sha>\"` to `{callee}`, the commit you reviewed."
    )));
}

/// Python's truth value of the constant, as `revision or commit_id` uses it
/// (Bandit turns `None`, `True` and `False` into non-empty strings first).
fn truthy(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(s) => !s.value.to_str().is_empty(),
        Expr::BytesLiteral(b) => b.value.bytes().next().is_some(),
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_u64() != Some(0),
            Number::Float(f) => *f != 0.0,
            Number::Complex { real, imag } => *real != 0.0 || *imag != 0.0,
        },
        _ => true,
    }
}

/// A string of at least 7 hexadecimal digits (a short or full commit SHA),
/// after stripping quotes as Bandit does.
fn is_commit_hash(expr: &Expr) -> bool {
    let Expr::StringLiteral(s) = expr else {
        return false;
    };
    let sha = s.value.to_str().trim_matches(|c| c == '"' || c == '\'');
    sha.len() >= 7 && sha.chars().all(|c| c.is_ascii_hexdigit())
}
