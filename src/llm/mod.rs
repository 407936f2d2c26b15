//! `llm`: the optional language-model stage (`vigil review --llm URL`), run
//! after the review on its [`Report`](crate::report::Report), against any
//! OpenAI-compatible chat completions server.
//!
//! - **Triage** ([`prompt::triage_request`]): each finding goes to the model
//!   with its rule's documentation, its path of steps and the code around
//!   every step; the model answers keep or drop, with a confidence, an
//!   explanation and a fix for this code. Dropped findings leave the report
//!   for [`Summary::dropped`]; kept ones carry the model's text beside the
//!   analysis's own ([`crate::finding::ModelTriage`]).
//! - **Discovery** ([`prompt::discovery_request`]): each file goes to the
//!   model as a numbered listing (split between functions and classes when
//!   long); every line number and quoted fragment of its answer is checked
//!   against the code sent ([`answer::check`]). What does not match is
//!   counted and never shown; what does becomes a finding of an `L` rule
//!   ([`model_rule`]) marked with the model's name.
//!
//! Neighbours: `cli` resolves the [`Options`] (the key from the environment
//! or the user's own configuration, [`user_config`], never the repository's)
//! and calls [`stage::run`]; `report` renders [`Summary`]. Without `--llm`
//! nothing here runs, and only [`client`] opens a connection.
//!
//! **Invariants:** the model never changes a finding of the analysis (it
//! adds a note or moves the finding to the dropped list), never decides the
//! exit code unless `--llm-gate` says so, and never sees the API key. The
//! code sent is data inside a fenced block, never instructions.

pub mod answer;
pub mod cache;
pub mod client;
pub mod model_rule;
pub mod prompt;
pub mod stage;
pub mod user_config;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::finding::Finding;
use crate::report::Report;

/// What the model's judgement may change in the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gate {
    /// Findings the model dropped no longer count.
    pub triage: bool,
    /// Findings the model reported count.
    pub discover: bool,
}

/// Everything the stage needs, resolved by `cli`.
#[derive(Debug, Clone)]
pub struct Options {
    pub endpoint: client::Endpoint,
    pub params: prompt::Params,
    pub triage: bool,
    pub discover: bool,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Tokens (sent and received) the run may spend; `None`: no limit.
    pub budget: Option<u64>,
    /// Where replies are kept; `None`: no cache.
    pub cache: Option<PathBuf>,
    /// Files longer than this are sent in parts (see [`prompt::chunks`]).
    pub chunk_lines: usize,
    pub show_dropped: bool,
    pub gate: Gate,
}

/// What the stage did, for the summary and JSON.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub model: String,
    /// Findings the model gave a usable verdict on, and how many it kept.
    pub triaged: usize,
    pub kept: usize,
    /// Findings the model dropped, each with its [`crate::finding::ModelTriage`].
    pub dropped: Vec<Finding>,
    /// Findings left without a verdict (no usable answer, or not sent).
    pub not_triaged: usize,
    /// Model findings shown (their line and quote checked).
    pub discovered: usize,
    /// Model findings rejected by the line check, by reason.
    pub rejected: BTreeMap<&'static str, usize>,
    /// Model findings the analysis had already reported there.
    pub duplicates: usize,
    /// Model findings outside the change (`--diff`) or in the baseline.
    pub out_of_scope: usize,
    /// Answers that could not be used at all, by kind (prose, truncated...).
    pub unusable: BTreeMap<&'static str, usize>,
    /// Calls made to the server (retries included), and replies from the cache.
    pub requests: usize,
    pub retries: usize,
    pub cache_hits: usize,
    pub tokens_sent: u64,
    pub tokens_received: u64,
    pub seconds: f64,
    pub budget: Option<u64>,
    /// Questions not asked because the token budget was spent.
    pub not_sent: usize,
    /// Why the stage stopped early (an unreachable server, a refused key).
    pub failure: Option<String>,
    /// Problems with single answers, for standard error.
    pub notes: Vec<String>,
    pub show_dropped: bool,
    pub gate: Gate,
}

impl Summary {
    pub fn rejected_total(&self) -> usize {
        self.rejected.values().sum()
    }

    pub fn unusable_total(&self) -> usize {
        self.unusable.values().sum()
    }
}

/// How many findings count toward the exit code: the analysis's findings
/// as they were before the model, unless `--llm-gate` lets the model's
/// judgement count.
pub fn gated_findings(report: &Report) -> usize {
    let Some(llm) = &report.llm else {
        return report.findings.len();
    };
    let shown = report
        .findings
        .iter()
        .filter(|f| f.found_by_model.is_none() || llm.gate.discover)
        .count();
    if llm.gate.triage {
        shown
    } else {
        shown + llm.dropped.len()
    }
}
