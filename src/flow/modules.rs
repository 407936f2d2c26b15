//! Module names and imports inside the scanned project.
//!
//! A file's module name is given by the caller (the project pass derives it
//! from the path and the `__init__.py` files around it); here, relative
//! imports are resolved against it, and the names a module imports are
//! listed without parsing it (the project pass orders modules by them).

/// The dotted names a module imports, found by reading its lines (no
/// parse): lines that start with `import` or `from`, continued while a
/// parenthesis is open or a line ends with `\\`. Text that only looks like
/// an import (in a docstring) adds a name, which only costs some work; a
/// real import is never missed unless written after `;` or `:` on a line.
pub fn scan_imports(text: &str, module: &str, is_package: bool) -> Vec<String> {
    let mut names = Vec::new();
    let mut lines = lines(text);
    while let Some(line) = lines.next() {
        // Most lines start with something else than `i` or `f`: skip them
        // before trimming (ASCII white space; anything else non-ASCII goes
        // the long way).
        let first = line
            .bytes()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\r'));
        if !matches!(first, Some(b'i' | b'f' | 128..)) {
            continue;
        }
        let start = line.trim_start();
        if !(start.starts_with("import ") || start.starts_with("from ")) {
            continue;
        }
        let mut stmt = strip_line_comment(start).to_string();
        while (stmt.contains('(') && !stmt.contains(')')) || stmt.ends_with('\\') {
            let Some(next) = lines.next() else { break };
            stmt = stmt.trim_end_matches('\\').to_string();
            stmt.push(' ');
            stmt.push_str(strip_line_comment(next));
        }
        let stmt = stmt.replace(['(', ')', '\\'], " ");
        if let Some(rest) = stmt.strip_prefix("import ") {
            for part in rest.split(',') {
                if let Some(name) = part.split_whitespace().next() {
                    names.push(name.to_string());
                }
            }
        } else if let Some(rest) = stmt.strip_prefix("from ") {
            let mut words = rest.split_whitespace();
            let Some(source) = words.next() else { continue };
            if words.next() != Some("import") {
                continue;
            }
            let level = source.chars().take_while(|c| *c == '.').count() as u32;
            let target = &source[level as usize..];
            let target = (!target.is_empty()).then_some(target);
            let Some(base) = resolve_from(module, is_package, level, target) else {
                continue;
            };
            let imported: String = words.collect::<Vec<_>>().join(" ");
            for part in imported.split(',') {
                match part.split_whitespace().next() {
                    Some("*") | None => names.push(base.clone()),
                    Some(name) if base.is_empty() => names.push(name.to_string()),
                    Some(name) => names.push(crate::python::names::join(&base, name)),
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The lines of `text`, as `str::lines` gives them (`\n` or `\r\n` ends a
/// line), found with `memchr` (the module's lines are all scanned).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some(at) = memchr::memchr(b'\n', rest.as_bytes()) else {
            return Some(std::mem::take(&mut rest));
        };
        let line = &rest[..at];
        rest = &rest[at + 1..];
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// The module a `from ... import` statement reads from: `level` dots, then
/// `module`. `None` when the dots climb above the top package.
pub fn resolve_from(current: &str, is_package: bool, level: u32, module: Option<&str>) -> Option<String> {
    if level == 0 {
        return Some(module.unwrap_or("").to_string());
    }
    let mut parts: Vec<&str> = current.split('.').collect();
    // In `pkg/mod.py`, `.` is `pkg`; in `pkg/__init__.py`, `.` is `pkg` too.
    if !is_package {
        parts.pop();
    }
    for _ in 1..level {
        parts.pop()?;
    }
    let mut base = parts.join(".");
    if let Some(m) = module {
        if !base.is_empty() {
            base.push('.');
        }
        base.push_str(m);
    }
    Some(base)
}

fn strip_line_comment(line: &str) -> &str {
    match line.find('#') {
        Some(i) => line[..i].trim_end(),
        None => line.trim_end(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_those_str_lines_gives() {
        for text in ["", "\n", "a", "a\n", "a\r\nb\r\n", "a\rb\n", "a\r", "\n\nx", "a\r\r\n"] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn imports_after_any_white_space_are_found() {
        let text = "x = 1\n\x0c import a\n\tfrom b import c\n\u{a0}import d\nfoo()\n";
        assert_eq!(scan_imports(text, "m", false), ["a", "b.c", "d"]);
    }

    #[test]
    fn scanned_imports_match_parsed_ones() {
        let src = "import os.path, sys as system\nfrom . import (images,\n    utils)  # x\nfrom ..api import \\\n    wsgi\ndef f():\n    from nova.virt import driver as d\n";
        assert_eq!(
            scan_imports(src, "nova.virt.libvirt.driver", false),
            vec![
                "nova.virt.api.wsgi",
                "nova.virt.driver",
                "nova.virt.libvirt.images",
                "nova.virt.libvirt.utils",
                "os.path",
                "sys"
            ]
        );
    }

    #[test]
    fn relative_imports() {
        assert_eq!(
            resolve_from("nova.virt.driver", false, 0, Some("os")).as_deref(),
            Some("os")
        );
        assert_eq!(
            resolve_from("nova.virt.driver", false, 1, None).as_deref(),
            Some("nova.virt")
        );
        assert_eq!(
            resolve_from("nova.virt.driver", false, 1, Some("images")).as_deref(),
            Some("nova.virt.images")
        );
        assert_eq!(
            resolve_from("nova.virt.driver", false, 2, Some("utils")).as_deref(),
            Some("nova.utils")
        );
        assert_eq!(
            resolve_from("nova.virt", true, 1, Some("images")).as_deref(),
            Some("nova.virt.images")
        );
        assert_eq!(resolve_from("top", false, 2, Some("x")), None);
    }
}
