//! The quoted source of a finding as a terminal shows it: line numbers in a
//! margin and the defect's range underlined with carets, drawn by
//! annotate-snippets (the renderer rustc uses) in the severity's colour.
//!
//! The text review on a pipe keeps its plain quote (`text`); this layout is
//! for people at a terminal, or asked for with `--color always`.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level as Kind, Renderer, Snippet};

use super::paint::{Paint, severity_style};
use super::terminal_safe::{escape, is_unsafe};
use crate::finding::Finding;
use crate::rules::Level;

/// The snippet with carets under the finding's range, each line indented
/// by `indent`; `None` when the quoted lines are not consecutive (a
/// listing with a gap in its numbers), which a margin of consecutive
/// numbers could not show truthfully.
pub fn annotated(f: &Finding, paint: Paint, indent: &str) -> Option<String> {
    let first = f.snippet.first()?;
    let consecutive = f
        .snippet
        .iter()
        .enumerate()
        .all(|(i, l)| l.line == first.line + i as u32);
    if !consecutive {
        return None;
    }
    let lines: Vec<String> = f.snippet.iter().map(|l| escape(&l.text).into_owned()).collect();
    let source = lines.join("\n");
    let start = offset_of(&f.snippet[0].text, f.column);
    // A range running past the quoted lines (a long statement) is
    // underlined to the end of the last line quoted.
    let last = lines.len() - 1;
    let end_index = (f.end_line.saturating_sub(first.line) as usize).min(last);
    let end_in_line = if f.end_line.saturating_sub(first.line) as usize > last {
        lines[last].len()
    } else {
        offset_of(&f.snippet[end_index].text, f.end_column)
    };
    let line_starts: Vec<usize> = lines
        .iter()
        .scan(0, |at, l| {
            let here = *at;
            *at += l.len() + 1;
            Some(here)
        })
        .collect();
    let from = line_starts[0] + start.min(lines[0].len());
    let to = (line_starts[end_index] + end_in_line.min(lines[end_index].len())).max(from);
    let kind = match f.severity {
        Level::High => Kind::ERROR,
        Level::Medium => Kind::WARNING,
        Level::Low => Kind::INFO,
    };
    let report = [Group::with_level(kind).element(
        Snippet::source(source.as_str())
            .line_start(first.line as usize)
            .fold(false)
            .annotation(AnnotationKind::Primary.span(from..to)),
    )];
    let renderer = if paint.color {
        Renderer::styled()
            .error(severity_style(Level::High))
            .warning(severity_style(Level::Medium))
            .info(severity_style(Level::Low))
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let rendered = renderer.render(&report);
    let mut out = String::new();
    for line in rendered.lines() {
        if line.trim().is_empty() {
            continue;
        }
        out.push_str(indent);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Some(out)
}

/// The byte offset in the escaped `line` of the 1-based character `column`
/// of the original: escaping a control character makes it longer.
fn offset_of(line: &str, column: u32) -> usize {
    line.chars()
        .take(column.saturating_sub(1) as usize)
        .map(|c| {
            if is_unsafe(c) {
                format!("\\u{{{:x}}}", c as u32).len()
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::offset_of;

    #[test]
    fn offsets_count_escapes_and_wide_characters() {
        assert_eq!(offset_of("abc", 1), 0);
        assert_eq!(offset_of("abc", 3), 2);
        assert_eq!(offset_of("é=1", 2), 2);
        assert_eq!(offset_of("\u{1b}x", 2), "\\u{1b}".len());
        assert_eq!(offset_of("ab", 9), 2);
    }
}
