//! Running the model stage on a finished report: build every question
//! first (so the same review asks the same questions in the same order),
//! ask them on a few threads (cache first, then the token budget, then the
//! server), then apply the answers in question order, so the report never
//! depends on which answer came back first.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use super::answer::{self, AnswerError, Checked};
use super::cache::Cache;
use super::client::{CallError, Client, Reply};
use super::prompt::{self, Chunk, Numbered};
use super::{Options, Summary, model_rule};
use crate::finding::{Finding, ModelTriage, SnippetLine};
use crate::input::SourceFile;
use crate::report::Report;
use crate::rules::Level;

/// At most this many source lines are quoted with a model finding, as with
/// the analysis's findings.
const MAX_SNIPPET_LINES: usize = 6;

enum Question {
    /// Triage of `report.findings[finding]`.
    Triage { finding: usize },
    /// Discovery in a part of `files[file]`.
    Discover { file: usize, chunk: Chunk },
}

struct Job {
    question: Question,
    body: String,
}

enum Outcome {
    Answered(Reply),
    Failed(CallError),
    /// Not sent: the budget was spent, or the stage stopped.
    NotSent,
}

/// Which findings the caller still shows for a model finding: the change
/// (`--diff`) and baseline filters, as for the analysis's findings.
pub type Scope<'a> = &'a (dyn Fn(&Finding) -> bool + Sync);

/// Runs the stage on `report`: `paths` are the files reviewed, `load`
/// reads one again. Fills `report.llm`.
pub fn run(
    report: &mut Report,
    paths: &[String],
    load: &dyn Fn(&str) -> Option<SourceFile>,
    options: &Options,
    in_scope: Scope<'_>,
) {
    let started = Instant::now();
    let mut summary = Summary {
        model: options.params.model.clone(),
        budget: options.budget,
        show_dropped: options.show_dropped,
        gate: options.gate,
        ..Summary::default()
    };
    let client = match Client::new(options.endpoint.clone()) {
        Ok(client) => client,
        Err(e) => {
            summary.failure = Some(e.to_string());
            report.llm = Some(summary);
            return;
        }
    };

    // Every file the questions need, read once.
    let mut wanted: Vec<&str> = Vec::new();
    if options.triage {
        wanted.extend(report.findings.iter().map(|f| f.path.as_str()));
    }
    if options.discover {
        wanted.extend(paths.iter().map(String::as_str));
    }
    wanted.sort_unstable();
    wanted.dedup();
    let mut files: Vec<Numbered> = Vec::new();
    let mut parts: Vec<Vec<Chunk>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for path in wanted {
        if let Some(source) = load(path) {
            index.insert(path.to_string(), files.len());
            parts.push(if options.discover {
                prompt::chunks(&source, options.chunk_lines)
            } else {
                Vec::new()
            });
            files.push(Numbered::of(&source));
        }
    }

    let mut jobs: Vec<Job> = Vec::new();
    if options.triage {
        for (i, finding) in report.findings.iter().enumerate() {
            match index.get(&finding.path) {
                Some(&file) => jobs.push(Job {
                    question: Question::Triage { finding: i },
                    body: prompt::triage_request(&options.params, &files[file], finding),
                }),
                None => summary.not_triaged += 1,
            }
        }
    }
    if options.discover {
        for path in paths {
            let Some(&file) = index.get(path) else { continue };
            for chunk in &parts[file] {
                jobs.push(Job {
                    body: prompt::discovery_request(&options.params, &files[file], chunk),
                    question: Question::Discover {
                        file,
                        chunk: chunk.clone(),
                    },
                });
            }
        }
    }

    let cache = options.cache.clone().map(Cache::new);
    let outcomes = ask(&jobs, &client, cache.as_ref(), options, &mut summary);

    // Apply the answers in question order.
    let mut verdicts: Vec<Option<answer::Verdict>> = vec![None; report.findings.len()];
    let mut model_findings: Vec<Finding> = Vec::new();
    for (job, outcome) in jobs.iter().zip(outcomes) {
        let what = describe(&job.question, report, &files);
        let reply = match outcome {
            Outcome::Answered(reply) => reply,
            Outcome::Failed(e) => {
                summary.notes.push(format!("{what}: {e}"));
                *summary.unusable.entry(call_kind(&e)).or_default() += 1;
                if matches!(job.question, Question::Triage { .. }) {
                    summary.not_triaged += 1;
                }
                continue;
            }
            Outcome::NotSent => {
                summary.not_sent += 1;
                if matches!(job.question, Question::Triage { .. }) {
                    summary.not_triaged += 1;
                }
                continue;
            }
        };
        match &job.question {
            Question::Triage { finding } => match usable(&reply).and_then(answer::verdict) {
                Ok(verdict) => verdicts[*finding] = Some(verdict),
                Err(e) => {
                    summary.notes.push(format!("{what}: {e}"));
                    *summary.unusable.entry(e.kind()).or_default() += 1;
                    summary.not_triaged += 1;
                }
            },
            Question::Discover { file, chunk } => match usable(&reply).and_then(answer::claims) {
                Ok(claims) => {
                    for claim in claims {
                        match answer::check(&claim, &files[*file], chunk) {
                            Ok(checked) => {
                                model_findings.push(model_finding(&checked, &files[*file], &options.params.model))
                            }
                            Err(why) => *summary.rejected.entry(why.as_str()).or_default() += 1,
                        }
                    }
                }
                Err(e) => {
                    summary.notes.push(format!("{what}: {e}"));
                    *summary.unusable.entry(e.kind()).or_default() += 1;
                }
            },
        }
    }

    // Triage: keep, with the model's note, or move to the dropped list.
    let findings = std::mem::take(&mut report.findings);
    for (mut finding, verdict) in findings.into_iter().zip(verdicts) {
        if let Some(v) = verdict {
            summary.triaged += 1;
            let keep = v.keep;
            finding.triage = Some(Box::new(ModelTriage {
                model: options.params.model.clone(),
                keep: v.keep,
                confidence: v.confidence,
                explanation: v.explanation,
                fix: v.fix,
            }));
            if !keep {
                summary.dropped.push(finding);
                continue;
            }
            summary.kept += 1;
        }
        report.findings.push(finding);
    }

    // Discovery: one finding per defect, none the analysis already has,
    // only those the change and baseline filters keep.
    model_findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    model_findings.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.rule.cwe == b.rule.cwe);
    crate::fingerprint::assign(&mut model_findings);
    for finding in model_findings {
        let known = report
            .findings
            .iter()
            .chain(&summary.dropped)
            .any(|f| same_defect(f, &finding));
        if known {
            summary.duplicates += 1;
        } else if !in_scope(&finding) {
            summary.out_of_scope += 1;
        } else {
            summary.discovered += 1;
            report.findings.push(finding);
        }
    }
    report.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    summary.seconds = started.elapsed().as_secs_f64();
    report.llm = Some(summary);
}

/// Asks every question: each worker takes the next job, answers it from the
/// cache, or sends it while the budget lasts and the server is reachable.
fn ask(jobs: &[Job], client: &Client, cache: Option<&Cache>, options: &Options, summary: &mut Summary) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let spent = AtomicU64::new(0);
    let sent = AtomicU64::new(0);
    let received = AtomicU64::new(0);
    let requests = AtomicUsize::new(0);
    let retries = AtomicUsize::new(0);
    let hits = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let failure: Mutex<Option<String>> = Mutex::new(None);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let workers = options.concurrency.clamp(1, jobs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(i) else { break };
                    let outcome = if let Some(reply) = cache.and_then(|c| c.get(&job.body)) {
                        hits.fetch_add(1, Ordering::SeqCst);
                        Outcome::Answered(reply)
                    } else if stop.load(Ordering::SeqCst) || over_budget(options, &spent, &job.body, &stop) {
                        Outcome::NotSent
                    } else {
                        let (result, attempts) = client.complete(&job.body);
                        requests.fetch_add(attempts as usize, Ordering::SeqCst);
                        retries.fetch_add(attempts.saturating_sub(1) as usize, Ordering::SeqCst);
                        match result {
                            Ok(reply) => {
                                sent.fetch_add(reply.prompt_tokens, Ordering::SeqCst);
                                received.fetch_add(reply.completion_tokens, Ordering::SeqCst);
                                spent.fetch_add(reply.prompt_tokens + reply.completion_tokens, Ordering::SeqCst);
                                if let Some(cache) = cache {
                                    // A cache that cannot be written costs the next run
                                    // a request, nothing more.
                                    let _ = cache.put(&job.body, &reply);
                                }
                                Outcome::Answered(reply)
                            }
                            Err(e) => {
                                if fatal(&e) {
                                    stop.store(true, Ordering::SeqCst);
                                    let mut f = failure.lock().unwrap_or_else(|p| p.into_inner());
                                    f.get_or_insert_with(|| e.to_string());
                                }
                                Outcome::Failed(e)
                            }
                        }
                    };
                    results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(outcome);
                }
            });
        }
    });
    summary.requests = requests.into_inner();
    summary.retries = retries.into_inner();
    summary.cache_hits = hits.into_inner();
    summary.tokens_sent = sent.into_inner();
    summary.tokens_received = received.into_inner();
    summary.failure = failure.into_inner().unwrap_or_else(|p| p.into_inner());
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        // Every index below `jobs.len()` was taken by exactly one worker.
        .map(|o| o.unwrap_or(Outcome::NotSent))
        .collect()
}

/// Whether sending `body` could pass the token budget; once one question
/// does not fit, the stage stops asking (it says so in the summary).
fn over_budget(options: &Options, spent: &AtomicU64, body: &str, stop: &AtomicBool) -> bool {
    let Some(budget) = options.budget else {
        return false;
    };
    let estimate = body.len() as u64 / 4 + u64::from(options.params.max_tokens);
    if spent.load(Ordering::SeqCst) + estimate > budget {
        stop.store(true, Ordering::SeqCst);
        return true;
    }
    false
}

/// Failures that every later request would meet too: stop asking.
fn fatal(e: &CallError) -> bool {
    match e {
        CallError::Unreachable(_) | CallError::NotBuilt => true,
        CallError::Status(code, _) => matches!(code, 401 | 403 | 404),
        CallError::Timeout | CallError::NotACompletion(_) => false,
    }
}

fn call_kind(e: &CallError) -> &'static str {
    match e {
        CallError::Unreachable(_) => "server unreachable",
        CallError::Timeout => "timed out",
        CallError::Status(..) => "HTTP error",
        CallError::NotACompletion(_) => "not a chat completion",
        CallError::NotBuilt => "not built",
    }
}

/// The reply's text, unless the server says the model refused or the
/// answer was cut short.
fn usable(reply: &Reply) -> Result<&str, AnswerError> {
    if let Some(why) = &reply.refusal {
        return Err(AnswerError::Refused(why.chars().take(200).collect()));
    }
    match reply.finish_reason.as_deref() {
        Some("length") => Err(AnswerError::Truncated),
        Some("content_filter") => Err(AnswerError::Refused("the server's content filter stopped it".into())),
        _ => Ok(&reply.content),
    }
}

fn describe(question: &Question, report: &Report, files: &[Numbered]) -> String {
    match question {
        Question::Triage { finding } => {
            let f = &report.findings[*finding];
            format!("triage of {}:{} {}", f.path, f.line, f.rule.id)
        }
        Question::Discover { file, chunk } => {
            let file = &files[*file];
            format!(
                "discovery in {}:{}-{}",
                file.path, file.lines[chunk.first].0, file.lines[chunk.last].0
            )
        }
    }
}

/// Whether `known` (a finding of the analysis) already reports the defect
/// `new` (a model finding): overlapping lines and the same CWE.
fn same_defect(known: &Finding, new: &Finding) -> bool {
    known.path == new.path
        && known.line <= new.end_line
        && new.line <= known.end_line
        && known.rules().any(|r| r.cwe == new.rule.cwe)
}

/// A checked claim as a finding of its `L` rule.
fn model_finding(c: &Checked, file: &Numbered, model: &str) -> Finding {
    let rule = model_rule::for_cwe(c.cwe);
    let end_index = file.index_of(c.end_line).unwrap_or(c.index);
    let snippet: Vec<SnippetLine> = file.lines[c.index..=end_index]
        .iter()
        .take(MAX_SNIPPET_LINES)
        .map(|(line, text)| SnippetLine {
            line: *line,
            text: text.clone(),
        })
        .collect();
    let last_quoted = c.code.lines().last().unwrap_or("").trim();
    let end_column = if c.end_line == c.line {
        c.column + c.code.trim().chars().count() as u32
    } else {
        let text = &file.lines[end_index].1;
        text.find(last_quoted).map_or(1, |at| {
            text[..at].chars().count() as u32 + last_quoted.chars().count() as u32 + 1
        })
    };
    Finding {
        path: file.path.clone(),
        line: c.line,
        end_line: c.end_line,
        column: c.column,
        end_column,
        rule,
        severity: Level::Medium,
        bandit_severity: Level::Medium,
        confidence: Level::Low,
        message: headline(&c.description),
        description: c.description.clone(),
        detail: Some(c.description.clone()),
        solution: if c.solution.trim().is_empty() {
            rule.docs.fix.to_string()
        } else {
            c.solution.clone()
        },
        snippet,
        context: Vec::new(),
        steps: Vec::new(),
        edit: None,
        fingerprint: String::new(),
        also: Vec::new(),
        only_constants: false,
        col_offset: c.column.saturating_sub(1),
        end_col_offset: end_column.saturating_sub(1),
        suppression_lines: (0, 0),
        triage: None,
        found_by_model: Some(model.to_string()),
    }
}

/// The first sentence of a description, short enough for a message line.
fn headline(description: &str) -> String {
    let text = description.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| c == '.' && text[i + 1..].starts_with(char::is_whitespace))
        .map_or(text.len(), |(i, _)| i);
    // A message states one fact without a closing period, as the rules' do.
    let end = text[..end].trim_end_matches('.').len();
    let first: String = text[..end].chars().take(160).collect();
    if first.len() < end {
        format!("{}…", first.trim_end())
    } else {
        first
    }
}

/// Counts by reason, for messages: `1 truncated, 2 malformed JSON`.
pub fn counts(map: &BTreeMap<&'static str, usize>) -> String {
    map.iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_is_the_first_sentence() {
        assert_eq!(
            headline("Shell injection. The command comes from a user."),
            "Shell injection"
        );
        assert_eq!(
            headline("Uses os.path.join on user input"),
            "Uses os.path.join on user input"
        );
        assert!(headline(&"x".repeat(400)).ends_with('…'));
    }

    #[test]
    fn fatal_failures_stop_the_stage() {
        assert!(fatal(&CallError::Unreachable("refused".into())));
        assert!(fatal(&CallError::Status(401, String::new())));
        assert!(!fatal(&CallError::Status(400, String::new())));
        assert!(!fatal(&CallError::Timeout));
    }
}
