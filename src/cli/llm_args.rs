//! The flags of the optional language-model stage (`--llm URL` and the
//! `--llm-*` options), and how they become [`llm::Options`]. Every other
//! `--llm-*` flag requires `--llm`: without it nothing here runs and vigil
//! opens no connection.
//!
//! The model's name comes from `--llm-model`, else `VIGIL_LLM_MODEL`, else
//! the user's `llm.toml`; the API key from the variable `--llm-key-env`
//! names (default `VIGIL_LLM_API_KEY`), else the user's `llm.toml`. Never
//! from the repository's configuration, and never printed.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::llm::{self, client, prompt, user_config};

/// The variable the API key is read from unless `--llm-key-env` names another.
pub const KEY_ENV: &str = "VIGIL_LLM_API_KEY";
/// The variable the model's name is read from unless `--llm-model` is given.
pub const MODEL_ENV: &str = "VIGIL_LLM_MODEL";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Task {
    /// Keep or drop each finding, with the evidence.
    Triage,
    /// Report further defects, each line and quote checked.
    Discover,
}

#[derive(Args, Debug, Default)]
#[command(next_help_heading = "Language model (optional)")]
pub struct LlmArgs {
    /// Run the language-model stage against this OpenAI-compatible server (vLLM, llama.cpp's server,
    /// Ollama, a hosted one): its root, its `/v1`, or its `/v1/chat/completions` URL.
    #[arg(long, value_name = "URL")]
    pub llm: Option<String>,
    /// The model to ask [default: $VIGIL_LLM_MODEL, else `model` in ~/.config/vigil/llm.toml].
    #[arg(long, value_name = "NAME", requires = "llm")]
    pub llm_model: Option<String>,
    /// Read the API key from this environment variable [default: VIGIL_LLM_API_KEY, else `api-key` in
    /// ~/.config/vigil/llm.toml]. A repository's configuration never holds the key.
    #[arg(long, value_name = "VAR", requires = "llm")]
    pub llm_key_env: Option<String>,
    /// What to ask the model, comma-separated [default: triage,discover].
    #[arg(long, value_enum, value_delimiter = ',', requires = "llm")]
    pub llm_tasks: Vec<Task>,
    /// Let the model's judgement decide the exit code: `triage` (dropped findings no longer count),
    /// `discover` (the model's findings count), or both. Default: the exit code is the analysis's.
    #[arg(long, value_enum, value_delimiter = ',', requires = "llm")]
    pub llm_gate: Vec<Task>,
    /// Seconds to wait for one answer.
    #[arg(long, value_name = "SECS", default_value_t = 120, requires = "llm")]
    pub llm_timeout: u64,
    /// Attempts after the first when the server is unreachable, busy or fails (with backoff).
    #[arg(long, value_name = "N", default_value_t = 2, requires = "llm")]
    pub llm_retries: u32,
    /// Milliseconds before the first retry, doubled before each next one.
    #[arg(long, value_name = "MS", default_value_t = 1000, requires = "llm", hide = true)]
    pub llm_backoff_ms: u64,
    /// Questions in flight at once.
    #[arg(long, value_name = "N", default_value_t = 2, requires = "llm")]
    pub llm_concurrency: usize,
    /// Stop asking once this many tokens (sent and received) are spent, and say so.
    #[arg(long, value_name = "TOKENS", requires = "llm")]
    pub llm_budget: Option<u64>,
    /// The most tokens one answer may have; a longer one is cut and reported as truncated.
    #[arg(long, value_name = "N", default_value_t = 1024, requires = "llm")]
    pub llm_max_tokens: u32,
    /// Files longer than this many lines are sent for discovery in parts (by function and class).
    #[arg(long, value_name = "N", default_value_t = 300, requires = "llm")]
    pub llm_chunk_lines: usize,
    /// Keep the model's answers here [default: $XDG_CACHE_HOME/vigil/llm or ~/.cache/vigil/llm].
    #[arg(long, value_name = "DIR", requires = "llm", conflicts_with = "llm_no_cache")]
    pub llm_cache: Option<PathBuf>,
    /// Ask the server every time; keep no answers.
    #[arg(long, requires = "llm")]
    pub llm_no_cache: bool,
    /// Also show the findings the model dropped, with its reason.
    #[arg(long, requires = "llm")]
    pub show_dropped: bool,
}

impl LlmArgs {
    /// The stage's options, `None` without `--llm`. `env` reads the
    /// environment (a parameter, so tests need not change the process's).
    pub fn options(&self, env: &dyn Fn(&str) -> Option<String>) -> Result<Option<llm::Options>, String> {
        let Some(url) = &self.llm else {
            return Ok(None);
        };
        let endpoint_url = client::endpoint_url(url)?;
        let user = user_config::load(user_config::path().as_deref())?;
        let model = self
            .llm_model
            .clone()
            .or_else(|| env(MODEL_ENV))
            .or(user.model)
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| {
                format!(
                    "--llm needs a model name: --llm-model NAME, {MODEL_ENV}, or `model` in {}",
                    user_config::path().map_or("~/.config/vigil/llm.toml".into(), |p| p.display().to_string())
                )
            })?;
        let key = match &self.llm_key_env {
            Some(var) => Some(env(var).ok_or_else(|| format!("--llm-key-env {var}: the variable is not set"))?),
            None => env(KEY_ENV).or(user.api_key),
        }
        .filter(|k| !k.is_empty())
        .map(client::ApiKey::new);
        if self.llm_concurrency == 0 {
            return Err("--llm-concurrency must be at least 1".into());
        }
        let tasks = if self.llm_tasks.is_empty() {
            vec![Task::Triage, Task::Discover]
        } else {
            self.llm_tasks.clone()
        };
        let cache = if self.llm_no_cache {
            None
        } else {
            self.llm_cache.clone().or_else(llm::cache::default_dir)
        };
        Ok(Some(llm::Options {
            endpoint: client::Endpoint {
                url: endpoint_url,
                key,
                timeout: Duration::from_secs(self.llm_timeout.max(1)),
                retries: self.llm_retries,
                backoff: Duration::from_millis(self.llm_backoff_ms),
            },
            params: prompt::Params {
                model,
                max_tokens: self.llm_max_tokens.max(16),
                temperature: 0.0,
                seed: 0,
            },
            triage: tasks.contains(&Task::Triage),
            discover: tasks.contains(&Task::Discover),
            concurrency: self.llm_concurrency,
            budget: self.llm_budget,
            cache,
            chunk_lines: self.llm_chunk_lines.max(20),
            show_dropped: self.show_dropped,
            gate: llm::Gate {
                triage: self.llm_gate.contains(&Task::Triage),
                discover: self.llm_gate.contains(&Task::Discover),
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(url: &str) -> LlmArgs {
        LlmArgs {
            llm: Some(url.into()),
            llm_model: Some("m".into()),
            llm_timeout: 120,
            llm_retries: 2,
            llm_backoff_ms: 1000,
            llm_concurrency: 2,
            llm_max_tokens: 1024,
            llm_chunk_lines: 300,
            llm_no_cache: true,
            ..LlmArgs::default()
        }
    }

    #[test]
    fn without_llm_there_are_no_options() {
        assert!(LlmArgs::default().options(&|_| None).unwrap().is_none());
    }

    #[test]
    fn the_key_comes_from_the_named_variable() {
        let mut a = args("http://127.0.0.1:1");
        a.llm_key_env = Some("MY_KEY".into());
        let env = |v: &str| (v == "MY_KEY").then(|| "sk-1".to_string());
        let o = a.options(&env).unwrap().unwrap();
        assert_eq!(o.endpoint.key, Some(client::ApiKey::new("sk-1".into())));
        let missing = a.options(&|_| None).unwrap_err();
        assert!(missing.contains("MY_KEY") && missing.contains("not set"), "{missing}");
    }

    #[test]
    fn the_default_key_variable_is_read() {
        let env = |v: &str| (v == KEY_ENV).then(|| "sk-2".to_string());
        let o = args("http://h").options(&env).unwrap().unwrap();
        assert_eq!(o.endpoint.key, Some(client::ApiKey::new("sk-2".into())));
        assert_eq!(o.endpoint.url, "http://h/v1/chat/completions");
        assert!(o.triage && o.discover);
        assert_eq!(o.gate, llm::Gate::default());
    }

    #[test]
    fn the_model_comes_from_the_environment() {
        let mut a = args("http://h");
        a.llm_model = None;
        let env = |v: &str| (v == MODEL_ENV).then(|| "from-env".to_string());
        assert_eq!(a.options(&env).unwrap().unwrap().params.model, "from-env");
    }
}
