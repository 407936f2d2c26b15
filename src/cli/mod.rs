//! `cli`: flags, commands and exit codes. Only this module knows about
//! command-line arguments; it drives `input` → `review` → `report`.
//!
//! Exit codes: 0 no findings, 1 findings, 2 usage or input errors.

mod baseline_cmd;
mod config_cmd;
mod diff_scope;
mod fix_cmd;
mod llm_args;
mod output;
mod progress;
mod review_cmd;
mod rules_cmd;
mod settings_args;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;

pub(crate) use rules_cmd::render_doc;

#[derive(Parser)]
#[command(
    name = "vigil",
    version,
    about = "A security code reviewer for Python, built for OpenStack."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Review files, trees or a review-request listing (`-` reads standard input).
    Review(ReviewArgs),
    /// List every rule (those off by default are marked; `--select` turns them on).
    Rules {
        /// Print as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print the documentation of one rule (vigil id, Bandit id or name).
    Rule { id: String },
    /// Record every current finding in a baseline file, so that `review --baseline` reports only new ones.
    Baseline(BaselineArgs),
    /// Print the configuration a review of PATH would use, and where each value comes from.
    Config {
        /// The path whose configuration to show (default: `.`).
        path: Option<PathBuf>,
        #[command(flatten)]
        settings: settings_args::SettingsArgs,
    },
    /// Run a Language Server Protocol server on standard input and output, for editors.
    Server,
}

#[derive(Args)]
pub struct BaselineArgs {
    /// Files or directories to review. Default: `.`.
    paths: Vec<PathBuf>,
    /// Where to write the baseline (`-`: standard output).
    #[arg(long, short = 'o', default_value = ".vigil-baseline.json")]
    output: PathBuf,
    /// Configuration, rule selection and thresholds, as for `review`.
    #[command(flatten)]
    settings: settings_args::SettingsArgs,
}

#[derive(Args)]
pub struct ReviewArgs {
    /// Files or directories to review; `-` for standard input. Default: `.`.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(
        long,
        short = 'f',
        visible_alias = "output-format",
        value_enum,
        default_value = "text"
    )]
    format: Format,
    /// Colour and the terminal layout (carets under each defect): `auto` on a terminal unless
    /// NO_COLOR is set, `always`, or `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    color: output::ColorChoice,
    /// Print the findings only: no summary line, notes or progress (warnings and errors still go
    /// to stderr).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Count the findings of each rule instead of listing them (text and concise formats).
    #[arg(long)]
    statistics: bool,
    /// The file standard input stands for (an editor's buffer): the path shown, and the one the
    /// configuration, per-file ignores and `--force-exclude` apply to.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    #[command(flatten)]
    settings: settings_args::SettingsArgs,
    /// Apply `exclude` to paths named on the command line too (for pre-commit, which names every file).
    #[arg(long)]
    force_exclude: bool,
    /// List the `# nosec` / `# vigil: ignore[..]` comments that hid no finding in this run (on stderr).
    #[arg(long)]
    report_unused_suppressions: bool,
    /// Report findings that `# nosec` or `# vigil: ignore[..]` comments suppress.
    #[arg(long)]
    no_suppressions: bool,
    /// Write the report to this file instead of standard output (`-`: standard output).
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Exit with 0 even when there are findings.
    #[arg(long)]
    exit_zero: bool,
    /// Check every file afresh: neither read nor write `.vigil_cache/`.
    #[arg(long)]
    no_cache: bool,
    /// Review a change: report only findings on lines `git diff REV` shows as added or changed.
    #[arg(long, value_name = "REV", conflicts_with = "diff_file")]
    diff: Option<String>,
    /// Review a change given as a unified diff or `git format-patch` mail (`-`: standard input).
    #[arg(long, value_name = "PATCH")]
    diff_file: Option<PathBuf>,
    /// Apply the safe fixes some findings carry (`yaml.load` -> `yaml.safe_load`, ...) to the files,
    /// then report what is left.
    #[arg(long)]
    fix: bool,
    /// Print the fixes `--fix` would apply as a unified diff, and change nothing.
    #[arg(long)]
    show_diff: bool,
    /// Hide the findings recorded in this baseline file (see `vigil baseline`).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Set by `vigil baseline`: write the baseline here instead of a report.
    #[arg(skip)]
    write_baseline: Option<PathBuf>,
    /// The optional language-model stage (`--llm URL`).
    #[command(flatten)]
    llm: Box<llm_args::LlmArgs>,
}

fn parse_level(text: &str) -> Result<crate::rules::Level, String> {
    crate::rules::Level::parse(text).ok_or_else(|| format!("`{text}` is not a level: use low, medium or high"))
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success, and usage
            // errors to stderr; usage errors exit with 2 like every input error.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Review(args) => review_cmd::run(args),
        Command::Rules { json } => rules_cmd::list(json),
        Command::Rule { id } => rules_cmd::show(&id),
        Command::Baseline(args) => review_cmd::run(baseline_cmd::review_args(args)),
        Command::Config { path, settings } => config_cmd::run(path, &settings),
        Command::Server => crate::server::run(),
    }
}
