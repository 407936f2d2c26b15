//! The user's own settings for the model stage: `llm.toml` in
//! `$XDG_CONFIG_HOME/vigil/` (else `~/.config/vigil/`), outside every
//! repository. It may hold the model's name and the API key:
//!
//! ```toml
//! model = "qwen2.5-coder-32b"
//! api-key = "sk-..."
//! ```
//!
//! The key is read from here or the environment only: a repository's
//! `.vigil.toml` or `pyproject.toml` is shared with everyone who clones it,
//! so `config` refuses a key there.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UserConfig {
    pub model: Option<String>,
    pub api_key: Option<String>,
}

/// Where the user's file is, whether or not it exists.
pub fn path() -> Option<PathBuf> {
    let from = |var: &str| std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from);
    from("XDG_CONFIG_HOME")
        .or_else(|| from("HOME").map(|home| home.join(".config")))
        .map(|base| base.join("vigil").join("llm.toml"))
}

/// Reads the user's file; a missing file is an empty configuration.
pub fn load(path: Option<&Path>) -> Result<UserConfig, String> {
    let Some(path) = path else {
        return Ok(UserConfig::default());
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UserConfig::default()),
        Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
    };
    // toml's messages quote the offending line: for a line holding the key,
    // that would print it. Say where, not what.
    toml::from_str(&text).map_err(|e| {
        let at = e
            .span()
            .map(|s| format!(" (line {})", text[..s.start.min(text.len())].lines().count().max(1)))
            .unwrap_or_default();
        let what = if e.message().starts_with("unknown field") {
            "an unknown key: the keys are `model` and `api-key`"
        } else {
            "not valid TOML"
        };
        format!("{}{at}: {what}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let c = load(Some(&dir.path().join("llm.toml"))).unwrap();
        assert!(c.model.is_none() && c.api_key.is_none());
    }

    #[test]
    fn model_and_key_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("llm.toml");
        std::fs::write(&file, "model = \"m\"\napi-key = \"sk-1\"\n").unwrap();
        let c = load(Some(&file)).unwrap();
        assert_eq!(c.model.as_deref(), Some("m"));
        assert_eq!(c.api_key.as_deref(), Some("sk-1"));
    }

    #[test]
    fn errors_never_quote_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("llm.toml");
        std::fs::write(&file, "api-key = sk-unquoted-secret\n").unwrap();
        let e = load(Some(&file)).unwrap_err();
        assert!(!e.contains("sk-unquoted-secret"), "{e}");
        assert!(e.contains("line 1"), "{e}");
    }
}
