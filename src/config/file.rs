//! Reading one configuration file: `.vigil.toml` (top-level keys) or the
//! `[tool.vigil]` table of a `pyproject.toml`, into checked values that
//! remember the line they came from.
//!
//! Two passes over the same text: the first takes every value as a plain TOML
//! value, so an unknown key (serde's `deny_unknown_fields`) or a value of the
//! wrong type is reported with the key's name; the second, which cannot fail
//! on types any more, keeps the position of every list item and table key so
//! an unknown rule or a bad glob is pointed at exactly.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::models;
use super::{ConfigError, ConfigFile, Kind, Origin, PerFileTable, Sourced};
use crate::input::PathGlobs;
use crate::report::terminal_safe::{escape, is_unsafe};
use crate::rules::{Level, registry};

/// The keys, in the order `vigil config` prints them.
pub const KEYS: &[&str] = &[
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "severity",
    "confidence",
    "exclude",
    "extend-exclude",
    "include-tests",
    "test-paths",
    "models",
];

/// A configuration file larger than this is not a configuration file.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Pass one: every key, any TOML value.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Loose {
    select: Option<Spanned<toml::Value>>,
    extend_select: Option<Spanned<toml::Value>>,
    ignore: Option<Spanned<toml::Value>>,
    per_file_ignores: Option<Spanned<toml::Value>>,
    severity: Option<Spanned<toml::Value>>,
    confidence: Option<Spanned<toml::Value>>,
    exclude: Option<Spanned<toml::Value>>,
    extend_exclude: Option<Spanned<toml::Value>>,
    include_tests: Option<Spanned<toml::Value>>,
    test_paths: Option<Spanned<toml::Value>>,
    models: Option<Spanned<toml::Value>>,
}

type Strings = Spanned<Vec<Spanned<String>>>;

/// Pass two: the same keys with their types and every item's position.
#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct Typed {
    select: Option<Strings>,
    extend_select: Option<Strings>,
    ignore: Option<Strings>,
    per_file_ignores: Option<Spanned<BTreeMap<Spanned<String>, Strings>>>,
    severity: Option<Spanned<String>>,
    confidence: Option<Spanned<String>>,
    exclude: Option<Strings>,
    extend_exclude: Option<Strings>,
    include_tests: Option<Spanned<bool>>,
    test_paths: Option<Strings>,
    models: Option<Strings>,
}

/// `pyproject.toml`: everything but `[tool.vigil]` is someone else's.
#[derive(Deserialize)]
struct Pyproject<T> {
    tool: Option<Tools<T>>,
}

#[derive(Deserialize)]
struct Tools<T> {
    vigil: Option<T>,
}

/// What a file sets; `None` for a key it leaves alone.
#[derive(Debug, Default)]
pub struct FileValues {
    pub select: Option<Sourced<Vec<String>>>,
    pub extend_select: Option<Sourced<Vec<String>>>,
    pub ignore: Option<Sourced<Vec<String>>>,
    pub per_file_ignores: Option<Sourced<PerFileTable>>,
    pub severity: Option<Sourced<Level>>,
    pub confidence: Option<Sourced<Level>>,
    pub exclude: Option<Sourced<Vec<String>>>,
    pub extend_exclude: Option<Sourced<Vec<String>>>,
    pub include_tests: Option<Sourced<bool>>,
    pub test_paths: Option<Sourced<Vec<String>>>,
    pub models: Option<Sourced<Vec<String>>>,
}

/// Reads a configuration file's text, refusing what cannot be one.
pub fn read(path: &Path, shown: &str) -> Result<String, ConfigError> {
    let whole = |message: String| ConfigError::new(format!("{shown}: {message}"));
    let meta = std::fs::metadata(path).map_err(|e| whole(format!("cannot read the configuration: {e}")))?;
    if !meta.is_file() {
        return Err(whole("is not a file".to_string()));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(whole(format!(
            "is {} bytes, over the {MAX_CONFIG_BYTES} byte limit for a configuration file",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| whole(format!("cannot read the configuration: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        whole(format!(
            "is not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Whether a `pyproject.toml`'s text has a `[tool.vigil]` table.
pub fn has_vigil_table(text: &str, shown: &str) -> Result<bool, ConfigError> {
    let doc: Pyproject<serde::de::IgnoredAny> =
        toml::from_str(text).map_err(|e| toml_error(&e, text, shown, Kind::Pyproject))?;
    Ok(doc.tool.and_then(|t| t.vigil).is_some())
}

/// Parses and checks the vigil settings of `file`, whose text is `text`.
pub fn parse(file: &ConfigFile, text: &str) -> Result<FileValues, ConfigError> {
    let shown = file.shown.as_str();
    let loose: Loose = match file.kind {
        Kind::VigilToml => toml::from_str(text),
        Kind::Pyproject => {
            toml::from_str::<Pyproject<Loose>>(text).map(|p| p.tool.and_then(|t| t.vigil).unwrap_or_default())
        }
    }
    .map_err(|e| toml_error(&e, text, shown, file.kind))?;
    let at = |span: std::ops::Range<usize>, message: String| ConfigError::at(shown, text, span.start, message);

    for (key, value, kind) in [
        ("select", &loose.select, Expect::Strings),
        ("extend-select", &loose.extend_select, Expect::Strings),
        ("ignore", &loose.ignore, Expect::Strings),
        ("per-file-ignores", &loose.per_file_ignores, Expect::TableOfStrings),
        ("severity", &loose.severity, Expect::String),
        ("confidence", &loose.confidence, Expect::String),
        ("exclude", &loose.exclude, Expect::Strings),
        ("extend-exclude", &loose.extend_exclude, Expect::Strings),
        ("include-tests", &loose.include_tests, Expect::Bool),
        ("test-paths", &loose.test_paths, Expect::Strings),
        ("models", &loose.models, Expect::Strings),
    ] {
        if let Some(value) = value {
            kind.check(key, value.get_ref()).map_err(|m| at(value.span(), m))?;
        }
    }

    let typed: Typed = match file.kind {
        Kind::VigilToml => toml::from_str(text),
        Kind::Pyproject => {
            toml::from_str::<Pyproject<Typed>>(text).map(|p| p.tool.and_then(|t| t.vigil).unwrap_or_default())
        }
    }
    .map_err(|e| toml_error(&e, text, shown, file.kind))?;

    let origin = |span: std::ops::Range<usize>| Origin::File {
        line: line_col(text, span.start).0,
    };
    let sourced_strings = |s: &Option<Strings>| {
        s.as_ref().map(|list| Sourced {
            value: list.get_ref().iter().map(|i| i.get_ref().clone()).collect(),
            origin: origin(list.span()),
        })
    };
    let mut values = FileValues {
        select: sourced_strings(&typed.select),
        extend_select: sourced_strings(&typed.extend_select),
        ignore: sourced_strings(&typed.ignore),
        exclude: sourced_strings(&typed.exclude),
        extend_exclude: sourced_strings(&typed.extend_exclude),
        include_tests: typed.include_tests.as_ref().map(|b| Sourced {
            value: *b.get_ref(),
            origin: origin(b.span()),
        }),
        test_paths: sourced_strings(&typed.test_paths),
        models: sourced_strings(&typed.models),
        ..FileValues::default()
    };

    for (key, list) in [
        ("select", &typed.select),
        ("extend-select", &typed.extend_select),
        ("ignore", &typed.ignore),
    ] {
        if let Some(list) = list {
            check_selectors(key, list.get_ref()).map_err(|(span, m)| at(span, m))?;
        }
    }
    for (key, list) in [
        ("exclude", &typed.exclude),
        ("extend-exclude", &typed.extend_exclude),
        ("test-paths", &typed.test_paths),
    ] {
        if let Some(list) = list {
            check_globs(&file.folder, key, list.get_ref()).map_err(|(span, m)| at(span, m))?;
        }
    }
    if let Some(table) = &typed.per_file_ignores {
        let mut entries = Vec::new();
        for (glob, selectors) in table.get_ref() {
            let key = format!("per-file-ignores.{}", quote(glob.get_ref()));
            PathGlobs::new(&file.folder, std::slice::from_ref(glob.get_ref()))
                .map_err(|e| at(glob.span(), format!("`per-file-ignores`: {}", e.message)))?;
            check_selectors(&key, selectors.get_ref()).map_err(|(span, m)| at(span, m))?;
            entries.push((
                glob.get_ref().clone(),
                selectors.get_ref().iter().map(|s| s.get_ref().clone()).collect(),
            ));
        }
        values.per_file_ignores = Some(Sourced {
            value: entries,
            origin: origin(table.span()),
        });
    }
    for (key, value) in [("severity", &typed.severity), ("confidence", &typed.confidence)] {
        let Some(value) = value else { continue };
        let level = Level::parse(value.get_ref()).ok_or_else(|| {
            at(
                value.span(),
                format!(
                    "`{key}` must be \"low\", \"medium\" or \"high\", not {}",
                    quote(value.get_ref())
                ),
            )
        })?;
        let sourced = Some(Sourced {
            value: level,
            origin: origin(value.span()),
        });
        match key {
            "severity" => values.severity = sourced,
            _ => values.confidence = sourced,
        }
    }
    if let Some(list) = &typed.models {
        for item in list.get_ref() {
            models::check_inside(&file.folder, item.get_ref())
                .map_err(|m| at(item.span(), format!("`models`: {m}")))?;
        }
    }
    Ok(values)
}

#[derive(Clone, Copy)]
enum Expect {
    Bool,
    String,
    Strings,
    TableOfStrings,
}

impl Expect {
    fn check(self, key: &str, value: &toml::Value) -> Result<(), String> {
        match self {
            Expect::Bool if value.is_bool() => Ok(()),
            Expect::Bool => Err(format!("`{key}` must be true or false, not {}", a(value))),
            Expect::String if value.is_str() => Ok(()),
            Expect::String => Err(format!("`{key}` must be a string, not {}", a(value))),
            Expect::Strings => strings(key, value),
            Expect::TableOfStrings => match value.as_table() {
                Some(table) => table
                    .iter()
                    .try_for_each(|(glob, rules)| strings(&format!("{key}.{}", quote(glob)), rules)),
                None => Err(format!(
                    "`{key}` must be a table of \"glob\" = [\"RULE\", ...] entries, not {}",
                    a(value)
                )),
            },
        }
    }
}

fn strings(key: &str, value: &toml::Value) -> Result<(), String> {
    match value.as_array() {
        Some(items) => match items.iter().find(|i| !i.is_str()) {
            None => Ok(()),
            Some(item) => Err(format!(
                "`{key}` must be a list of strings, not a list holding {}",
                a(item)
            )),
        },
        None => Err(format!("`{key}` must be a list of strings, not {}", a(value))),
    }
}

/// "an integer", "a table", ...
fn a(value: &toml::Value) -> String {
    let kind = value.type_str();
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

fn check_selectors(key: &str, items: &[Spanned<String>]) -> Result<(), (std::ops::Range<usize>, String)> {
    for item in items {
        if registry::matching(item.get_ref()).is_empty() {
            return Err((
                item.span(),
                format!(
                    "`{key}`: unknown rule `{}`: run `vigil rules` to list rule ids, Bandit ids and names",
                    escape(item.get_ref())
                ),
            ));
        }
    }
    Ok(())
}

fn check_globs(folder: &Path, key: &str, items: &[Spanned<String>]) -> Result<(), (std::ops::Range<usize>, String)> {
    let patterns: Vec<String> = items.iter().map(|i| i.get_ref().clone()).collect();
    PathGlobs::new(folder, &patterns)
        .map(|_| ())
        .map_err(|e| (items[e.index].span(), format!("`{key}`: {}", e.message)))
}

/// A TOML syntax error, or one serde found (an unknown key), at its position.
fn toml_error(e: &toml::de::Error, text: &str, shown: &str, kind: Kind) -> ConfigError {
    let message = e.message();
    let message = match unknown_key(message) {
        Some(key) if is_secret_key(key) => format!(
            "`{}` is refused: a repository's configuration is shared with everyone who clones it, so vigil \
             never reads a language model's API key from it; set VIGIL_LLM_API_KEY (or the variable \
             --llm-key-env names), or `api-key` in your own ~/.config/vigil/llm.toml",
            escape(key)
        ),
        Some(key) => {
            let table = match kind {
                Kind::VigilToml => "",
                Kind::Pyproject => " in [tool.vigil]",
            };
            format!(
                "unknown key `{}`{table}: the keys are {}",
                escape(key),
                KEYS.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            )
        }
        None => format!("invalid TOML: {message}"),
    };
    match e.span() {
        Some(span) => ConfigError::at(shown, text, span.start, message),
        None => ConfigError::new(format!("{shown}: {message}")),
    }
}

/// Whether an unknown key looks like a place for a credential (`llm-api-key`,
/// `api_key`, `llm-token`): refused with its own reason, not as a typo.
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace('_', "-");
    ["api-key", "apikey", "token", "secret", "password"]
        .iter()
        .any(|word| key.contains(word))
        || (key.starts_with("llm") && key.contains("key"))
}

/// The key of serde's "unknown field `x`, expected ..." message.
fn unknown_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    let end = rest.rfind("`, expected").or_else(|| rest.rfind('`'))?;
    Some(&rest[..end])
}

/// A string from the file as TOML would write it, safe for a terminal.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // Tab and newline too: a TOML string holds neither raw.
            c if c.is_control() || is_unsafe(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("a = 1\nbé = 2\n", 0), (1, 1));
        assert_eq!(line_col("a = 1\nbé = 2\n", 6), (2, 1));
        assert_eq!(line_col("a = 1\nbé = 2\n", 10), (2, 4));
    }

    #[test]
    fn credential_keys_are_refused_for_what_they_are() {
        assert!(super::is_secret_key("llm-api-key"));
        assert!(super::is_secret_key("api_key"));
        assert!(super::is_secret_key("llm-key"));
        assert!(!super::is_secret_key("selec"));
        assert!(!super::is_secret_key("extend-exclude"));
    }

    #[test]
    fn unknown_key_is_read_from_serdes_message() {
        assert_eq!(
            unknown_key("unknown field `selec`, expected one of `a`, `b`"),
            Some("selec")
        );
        assert_eq!(unknown_key("invalid type"), None);
    }

    #[test]
    fn quoting_escapes_what_a_terminal_would_obey() {
        assert_eq!(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quote("x\u{1b}[2J\u{202e}"), "\"x\\u001B[2J\\u202E\"");
    }
}
