//! `vigil config [PATH]`: the configuration a review of PATH would use, key
//! by key, with where each value came from.

use std::path::PathBuf;
use std::process::ExitCode;

use super::settings_args::SettingsArgs;
use crate::config;
use crate::report::terminal_safe::escape;

pub fn run(path: Option<PathBuf>, settings: &SettingsArgs) -> ExitCode {
    let target = path.unwrap_or_else(|| PathBuf::from("."));
    let config = match config::load(&target, &settings.overrides()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("vigil: error: {}", escape(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    // Flags' selectors are checked here, as `vigil review` would.
    if let Err(e) = config.selection() {
        eprintln!("vigil: error: {e}");
        return ExitCode::from(2);
    }
    print!("{}", config::render(&config));
    ExitCode::SUCCESS
}
