//! How a review is shown: the form of the reports for people (`--color`,
//! `--quiet`, `--statistics`) and where it goes. Colours and the caret
//! layout are for terminals: off when standard output is a pipe or a file,
//! or when `NO_COLOR` is set (<https://no-color.org>); `--color always`
//! forces both, `--color never` keeps the terminal layout without colour.

use std::io::IsTerminal;

use crate::report::paint::Paint;
use crate::report::text::Options;
use crate::report::{self, Format, Report, concise, statistics, text};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Colour and the terminal layout, wherever the output goes.
    Always,
    /// No colour (a terminal still gets the carets).
    Never,
}

/// Whether `NO_COLOR` asks for no colour (set and not empty, as the
/// convention says).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Whether the report goes to a terminal: to standard output (no `-o`, or
/// `-o -`) and standard output is one.
pub fn to_terminal(output: Option<&std::path::Path>) -> bool {
    output.is_none_or(|p| p.as_os_str() == "-") && std::io::stdout().is_terminal()
}

/// The form of the text reports: the caret layout on a terminal, colour
/// there too unless `NO_COLOR` says otherwise; `--color` overrides both.
pub fn text_options(choice: ColorChoice, terminal: bool, no_color: bool, quiet: bool) -> Options {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    };
    Options {
        paint: Paint::new(color),
        carets: terminal || choice == ColorChoice::Always,
        quiet,
    }
}

/// The report in `format`; `statistics` replaces the findings of the text
/// and concise forms with a count per rule.
pub fn render(report: &Report, format: Format, statistics: bool, options: &Options) -> String {
    match format {
        _ if statistics => statistics::render(report, options),
        Format::Text => text::render_with(report, options),
        Format::Concise => concise::render(report, options),
        other => report::render(report, other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_terminal_no_color_and_the_flag() {
        let on = |choice, terminal, no_color| {
            let o = text_options(choice, terminal, no_color, false);
            (o.paint.color, o.carets)
        };
        assert_eq!(on(ColorChoice::Auto, true, false), (true, true));
        assert_eq!(on(ColorChoice::Auto, true, true), (false, true));
        assert_eq!(on(ColorChoice::Auto, false, false), (false, false));
        assert_eq!(on(ColorChoice::Always, false, true), (true, true));
        assert_eq!(on(ColorChoice::Never, true, false), (false, true));
        assert_eq!(on(ColorChoice::Never, false, false), (false, false));
    }
}
