//! The flags `vigil review` and `vigil config` share: which configuration
//! file to use, and the settings a flag overrides in it. Flags win over the
//! file; the file wins over the defaults.

use std::path::PathBuf;

use clap::Args;

use crate::config::Overrides;
use crate::rules::Level;

#[derive(Args)]
pub struct SettingsArgs {
    /// Use this configuration file and look for no other (`.vigil.toml`
    /// layout, or the `[tool.vigil]` table of a file named `pyproject.toml`).
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Use no configuration file: built-in defaults and flags only.
    #[arg(long)]
    isolated: bool,
    /// Only these rules: vigil ids, Bandit ids, names or prefixes (`S6`, `B3`), comma-separated.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Add these rules to the selection (to the default set when --select is not given), e.g.
    /// `--extend-select T022` for a web application whose URL paths are file names.
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Skip these rules (same forms as --select).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Report only findings of at least this severity [default: low].
    #[arg(long, value_parser = super::parse_level)]
    severity: Option<Level>,
    /// Report only findings of at least this confidence [default: low].
    #[arg(long, value_parser = super::parse_level)]
    confidence: Option<Level>,
    /// Review test code too (folders named `tests`/`test`, `test_*.py`, `*_test.py`, `conftest.py`,
    /// and the configuration's `test-paths`), which is left out by default.
    #[arg(long)]
    include_tests: bool,
}

impl SettingsArgs {
    pub fn overrides(&self) -> Overrides {
        let given = |list: &Vec<String>| (!list.is_empty()).then(|| list.clone());
        Overrides {
            config_file: self.config.clone(),
            isolated: self.isolated,
            select: given(&self.select),
            extend_select: given(&self.extend_select),
            ignore: given(&self.ignore),
            severity: self.severity,
            confidence: self.confidence,
            include_tests: self.include_tests,
        }
    }
}
