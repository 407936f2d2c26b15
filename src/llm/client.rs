//! One blocking call to an OpenAI-compatible `/v1/chat/completions`
//! endpoint (vLLM, llama.cpp's server, Ollama, a hosted service), with a
//! timeout and retries with backoff, and every way it can fail named.
//!
//! This is the only file of vigil that opens a network connection, and only
//! `llm::stage` calls it, only when `--llm URL` was given. Built without the
//! `llm` cargo feature, [`Client::new`] refuses and no HTTP client is linked.
//!
//! The API key goes in the `Authorization` header and nowhere else: it is in
//! no error message, no cache entry and no `Debug` output.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// An answer longer than this is not an answer to our questions.
#[cfg(feature = "llm")]
const MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;

/// A secret that never prints itself.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: String) -> ApiKey {
        ApiKey(key)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// Where and how to call the server.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The full `/chat/completions` URL.
    pub url: String,
    pub key: Option<ApiKey>,
    /// For one attempt, from connecting to the last byte of the answer.
    pub timeout: Duration,
    /// Attempts after the first, for failures that may pass.
    pub retries: u32,
    /// The wait before the first retry; doubled before each next one.
    pub backoff: Duration,
}

/// What the server answered, as far as this stage cares.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reply {
    /// The assistant message's text.
    pub content: String,
    /// `stop`, `length` (cut at `max_tokens`), `content_filter`...
    pub finish_reason: Option<String>,
    /// The message's `refusal`, when the server says the model refused.
    pub refusal: Option<String>,
    /// Tokens in the prompt and in the answer, as the server counted them
    /// (estimated from the text when it does not say).
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// Why a call gave no usable reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// No connection: refused, unknown host, TLS failure.
    Unreachable(String),
    /// No complete answer within the timeout.
    Timeout,
    /// An HTTP status other than 200, with the start of the body.
    Status(u16, String),
    /// A 200 whose body is not a chat completion.
    NotACompletion(String),
    /// This vigil was built without the `llm` feature.
    NotBuilt,
}

impl CallError {
    /// Whether trying again may help: the server may be starting, busy or
    /// briefly down.
    fn transient(&self) -> bool {
        match self {
            CallError::Unreachable(_) | CallError::Timeout => true,
            CallError::Status(code, _) => *code == 408 || *code == 429 || *code >= 500,
            CallError::NotACompletion(_) | CallError::NotBuilt => false,
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Unreachable(why) => write!(f, "cannot reach the model server at {why}"),
            CallError::Timeout => f.write_str("the model server did not answer in time (--llm-timeout)"),
            CallError::Status(code, body) if body.is_empty() => write!(f, "the model server answered HTTP {code}"),
            CallError::Status(code, body) => write!(f, "the model server answered HTTP {code}: {body}"),
            CallError::NotACompletion(why) => write!(f, "the server's answer is not a chat completion: {why}"),
            CallError::NotBuilt => f.write_str("this vigil was built without the `llm` feature"),
        }
    }
}

/// The `/chat/completions` URL for what the user gave: a server root
/// (`http://127.0.0.1:8080`), its `/v1`, or the endpoint itself.
pub fn endpoint_url(given: &str) -> Result<String, String> {
    let trimmed = given.trim().trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(format!(
            "`{}` is not an http:// or https:// URL of an OpenAI-compatible server",
            shown_url(given)
        ));
    }
    let after_scheme = &trimmed[trimmed.find("://").map_or(0, |i| i + 3)..];
    if after_scheme.is_empty() || after_scheme.starts_with('/') {
        return Err(format!("`{}` names no host", shown_url(given)));
    }
    Ok(if lower.ends_with("/chat/completions") {
        trimmed.to_string()
    } else if lower.ends_with("/v1") {
        format!("{trimmed}/chat/completions")
    } else {
        format!("{trimmed}/v1/chat/completions")
    })
}

/// A URL safe to print: user and password (`https://user:pw@host`) hidden.
pub fn shown_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let host_end = rest.find('/').unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        Some(at) => format!("{}***@{}", &url[..scheme_end + 3], &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Reads a chat completion body into a [`Reply`].
pub fn parse_completion(body: &str, prompt_chars: usize) -> Result<Reply, CallError> {
    let doc: Value = serde_json::from_str(body).map_err(|e| CallError::NotACompletion(format!("not JSON ({e})")))?;
    let choice = doc
        .get("choices")
        .and_then(|c| c.get(0))
        .ok_or_else(|| CallError::NotACompletion("no `choices`".to_string()))?;
    let message = choice
        .get("message")
        .ok_or_else(|| CallError::NotACompletion("no `choices[0].message`".to_string()))?;
    let content = match message.get("content") {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(_) => return Err(CallError::NotACompletion("`content` is not text".to_string())),
    };
    let refusal = message
        .get("refusal")
        .and_then(Value::as_str)
        .filter(|r| !r.trim().is_empty())
        .map(str::to_string);
    let finish_reason = choice.get("finish_reason").and_then(Value::as_str).map(str::to_string);
    let usage = doc.get("usage");
    let count = |key: &str| usage.and_then(|u| u.get(key)).and_then(Value::as_u64);
    // Four characters a token is the usual rough measure; used only when the
    // server does not count.
    let prompt_tokens = count("prompt_tokens").unwrap_or(prompt_chars as u64 / 4);
    let completion_tokens = count("completion_tokens").unwrap_or(content.len() as u64 / 4);
    Ok(Reply {
        content,
        finish_reason,
        refusal,
        prompt_tokens,
        completion_tokens,
    })
}

/// The server's error body, short and printable (it may echo our prompt).
#[cfg(feature = "llm")]
fn excerpt(body: &str) -> String {
    let one_line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = one_line.chars().take(200).collect();
    if cut.len() < one_line.len() {
        cut.push('…');
    }
    cut
}

pub struct Client {
    endpoint: Endpoint,
    #[cfg(feature = "llm")]
    agent: ureq::Agent,
}

impl Client {
    pub fn new(endpoint: Endpoint) -> Result<Client, CallError> {
        #[cfg(feature = "llm")]
        {
            let config = ureq::Agent::config_builder()
                .timeout_global(Some(endpoint.timeout))
                // Error statuses are answers too: their body says why.
                .http_status_as_error(false)
                .build();
            Ok(Client {
                endpoint,
                agent: config.into(),
            })
        }
        #[cfg(not(feature = "llm"))]
        {
            let _ = endpoint;
            Err(CallError::NotBuilt)
        }
    }

    /// Posts `body` (a chat completion request), retrying what may pass.
    /// Returns the reply and how many attempts were made.
    pub fn complete(&self, body: &str) -> (Result<Reply, CallError>, u32) {
        let mut wait = self.endpoint.backoff;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let outcome = self.post(body).and_then(|text| parse_completion(&text, body.len()));
            match outcome {
                Err(e) if e.transient() && attempts <= self.endpoint.retries => {
                    std::thread::sleep(wait);
                    wait = wait.saturating_mul(2);
                }
                other => return (other, attempts),
            }
        }
    }

    #[cfg(feature = "llm")]
    fn post(&self, body: &str) -> Result<String, CallError> {
        let mut request = self
            .agent
            .post(&self.endpoint.url)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json");
        if let Some(ApiKey(key)) = &self.endpoint.key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        let at = |e: CallError| match e {
            CallError::Unreachable(why) => CallError::Unreachable(format!("{}: {why}", shown_url(&self.endpoint.url))),
            other => other,
        };
        let mut response = request.send(body).map_err(transport_error).map_err(at)?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
            .map_err(transport_error)?;
        if status != 200 {
            return Err(CallError::Status(status, excerpt(&text)));
        }
        Ok(text)
    }

    #[cfg(not(feature = "llm"))]
    fn post(&self, _body: &str) -> Result<String, CallError> {
        Err(CallError::NotBuilt)
    }
}

#[cfg(feature = "llm")]
fn transport_error(e: ureq::Error) -> CallError {
    match e {
        ureq::Error::Timeout(_) => CallError::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => CallError::Timeout,
        other => CallError::Unreachable(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_root_gets_the_openai_path() {
        assert_eq!(
            endpoint_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/v1/chat/completions"
        );
        assert_eq!(
            endpoint_url("http://h:1/v1/").unwrap(),
            "http://h:1/v1/chat/completions"
        );
        assert_eq!(
            endpoint_url("https://h/v1/chat/completions").unwrap(),
            "https://h/v1/chat/completions"
        );
        assert!(endpoint_url("ftp://h").is_err());
        assert!(endpoint_url("127.0.0.1:8080").is_err());
        assert!(endpoint_url("http://").is_err());
    }

    #[test]
    fn credentials_in_a_url_are_not_shown() {
        assert_eq!(shown_url("https://me:pw@h.example/v1"), "https://***@h.example/v1");
        assert_eq!(shown_url("http://h/v1?x=a@b"), "http://h/v1?x=a@b");
    }

    #[test]
    fn the_key_never_prints() {
        let key = ApiKey::new("sk-secret".into());
        assert!(!format!("{key:?}").contains("sk-secret"));
    }

    #[test]
    fn a_completion_is_read_with_its_usage() {
        let body = r#"{"choices":[{"message":{"role":"assistant","content":"{}"},"finish_reason":"stop"}],
                       "usage":{"prompt_tokens":12,"completion_tokens":3}}"#;
        let reply = parse_completion(body, 100).unwrap();
        assert_eq!(reply.content, "{}");
        assert_eq!(reply.finish_reason.as_deref(), Some("stop"));
        assert_eq!((reply.prompt_tokens, reply.completion_tokens), (12, 3));
    }

    #[test]
    fn usage_is_estimated_when_the_server_does_not_count() {
        let body = r#"{"choices":[{"message":{"content":"abcdefgh"}}]}"#;
        let reply = parse_completion(body, 400).unwrap();
        assert_eq!((reply.prompt_tokens, reply.completion_tokens), (100, 2));
    }

    #[test]
    fn what_is_not_a_completion_says_why() {
        for (body, why) in [
            ("<html>", "not JSON"),
            ("{}", "no `choices`"),
            (r#"{"choices":[{}]}"#, "no `choices[0].message`"),
            (r#"{"choices":[{"message":{"content":3}}]}"#, "not text"),
        ] {
            match parse_completion(body, 0) {
                Err(CallError::NotACompletion(m)) => assert!(m.contains(why), "{m}"),
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_refusal_is_kept() {
        let body = r#"{"choices":[{"message":{"content":null,"refusal":"I can't help"},"finish_reason":"stop"}]}"#;
        assert_eq!(
            parse_completion(body, 0).unwrap().refusal.as_deref(),
            Some("I can't help")
        );
    }

    #[test]
    fn only_what_may_pass_is_retried() {
        assert!(CallError::Timeout.transient());
        assert!(CallError::Status(503, String::new()).transient());
        assert!(CallError::Status(429, String::new()).transient());
        assert!(!CallError::Status(400, String::new()).transient());
        assert!(!CallError::Status(401, String::new()).transient());
        assert!(!CallError::NotACompletion(String::new()).transient());
    }
}
