//! `vigil config`: the settings in force as TOML-like text, every key with its
//! value and where that value came from (default, the file and line, or a
//! flag). Pasting the lines into a `.vigil.toml` gives the same settings.

use std::fmt::Write;

use super::file::quote;
use super::{Config, Kind, Origin, Sourced};

pub fn render(config: &Config) -> String {
    let mut out = String::from("# vigil configuration\n");
    let file = match (&config.file, config.isolated) {
        (_, true) => "none (--isolated: configuration files are ignored)".to_string(),
        (Some(f), _) if f.kind == Kind::Pyproject => format!("{} [tool.vigil]", f.shown),
        (Some(f), _) => f.shown.clone(),
        (None, false) => "none found; built-in defaults".to_string(),
    };
    let _ = writeln!(out, "# file: {}", crate::report::terminal_safe::escape(&file));
    let shown_file = config.file.as_ref().map_or("", |f| f.shown.as_str());
    let origin = |o: &Origin| match o {
        Origin::Default => "default".to_string(),
        Origin::File { line } => format!("{}:{line}", crate::report::terminal_safe::escape(shown_file)),
        Origin::Flag(name) => format!("flag {name}"),
    };
    let mut line = |key: &str, value: String, from: &Origin, note: &str| {
        let _ = writeln!(out, "{key} = {value}  # {}{note}", origin(from));
    };
    let select_note = if config.select.value.is_empty() {
        ": every rule that is on by default"
    } else {
        ""
    };
    line("select", list(&config.select), &config.select.origin, select_note);
    line(
        "extend-select",
        list(&config.extend_select),
        &config.extend_select.origin,
        "",
    );
    line("ignore", list(&config.ignore), &config.ignore.origin, "");
    let table = config
        .per_file_ignores
        .value
        .iter()
        .map(|(glob, rules)| format!("{} = [{}]", quote(glob), join(rules)))
        .collect::<Vec<_>>();
    let table = if table.is_empty() {
        "{}".to_string()
    } else {
        format!("{{ {} }}", table.join(", "))
    };
    line("per-file-ignores", table, &config.per_file_ignores.origin, "");
    line(
        "severity",
        quote(&config.severity.value.as_str().to_ascii_lowercase()),
        &config.severity.origin,
        "",
    );
    line(
        "confidence",
        quote(&config.confidence.value.as_str().to_ascii_lowercase()),
        &config.confidence.origin,
        "",
    );
    line("exclude", list(&config.exclude), &config.exclude.origin, "");
    line(
        "extend-exclude",
        list(&config.extend_exclude),
        &config.extend_exclude.origin,
        "",
    );
    line(
        "include-tests",
        config.include_tests.value.to_string(),
        &config.include_tests.origin,
        if config.include_tests.value {
            ""
        } else {
            " (test code is left out of the review)"
        },
    );
    line("test-paths", list(&config.test_paths), &config.test_paths.origin, "");
    line(
        "models",
        list(&config.models),
        &config.models.origin,
        " (dataflow model files, added to the built-in ones)",
    );
    out
}

fn list(values: &Sourced<Vec<String>>) -> String {
    format!("[{}]", join(&values.value))
}

fn join(values: &[String]) -> String {
    values.iter().map(|v| quote(v)).collect::<Vec<_>>().join(", ")
}
