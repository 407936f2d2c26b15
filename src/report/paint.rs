//! Colour and emphasis for a terminal, with `anstyle` (the styles clap and
//! annotate-snippets use), never hand-written escape codes. A [`Paint`]
//! that is off returns text unchanged, so every renderer writes one code
//! path for the terminal and for pipes; `cli` decides which one applies
//! (`--color`, `NO_COLOR`, whether standard output is a terminal).
//!
//! Only vigil's own words are painted: text from the analysed code is
//! escaped (`terminal_safe`) before it gets here, so it can never add
//! styles of its own.

use anstyle::{AnsiColor, Effects, Style};

use crate::rules::Level;

/// How text is emphasised; `Paint::default()` leaves it alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paint {
    pub color: bool,
}

/// The colours of the severities: the ones rustc, Ruff and annotate-snippets
/// give errors, warnings and notes.
pub fn severity_style(level: Level) -> Style {
    let color = match level {
        Level::High => AnsiColor::BrightRed,
        Level::Medium => AnsiColor::Yellow,
        Level::Low => AnsiColor::BrightBlue,
    };
    color.on_default().effects(Effects::BOLD)
}

impl Paint {
    pub fn new(color: bool) -> Paint {
        Paint { color }
    }

    /// `text` in `style`, or as it is when colour is off.
    pub fn style(&self, style: Style, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.style(Style::new().effects(Effects::BOLD), text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.style(Style::new().effects(Effects::DIMMED), text)
    }

    /// A rule id or severity word in its severity's colour.
    pub fn severity(&self, level: Level, text: &str) -> String {
        self.style(severity_style(level), text)
    }

    /// The label of a solution, as rustc colours `help:`.
    pub fn help(&self, text: &str) -> String {
        self.style(AnsiColor::BrightCyan.on_default().effects(Effects::BOLD), text)
    }

    /// A line a fix adds, in a diff.
    pub fn added(&self, text: &str) -> String {
        self.style(AnsiColor::Green.on_default(), text)
    }

    /// A line a fix removes, in a diff.
    pub fn removed(&self, text: &str) -> String {
        self.style(AnsiColor::Red.on_default(), text)
    }

    /// A hunk header, in a diff.
    pub fn hunk(&self, text: &str) -> String {
        self.style(AnsiColor::Cyan.on_default(), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_leaves_text_alone_and_on_wraps_it() {
        assert_eq!(Paint::new(false).severity(Level::High, "S602"), "S602");
        assert_eq!(
            Paint::new(true).severity(Level::High, "S602"),
            "\u{1b}[1m\u{1b}[91mS602\u{1b}[0m"
        );
        assert_eq!(Paint::new(true).bold(""), "");
    }
}
