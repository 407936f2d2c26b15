//! Review-request listings: a free-text request followed by numbered code
//! lines (`12 <code>`), as pasted into review tools and chat prompts.
//!
//! The code is rebuilt line for line so that line `k` of the rebuilt text
//! carries the listing's `k`-th number; gaps in the numbering become blank
//! lines, so every number the user sees is kept exactly.

/// A listing split into its request and its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub request: String,
    pub code: String,
    /// The listing number of each line of `code`.
    pub numbers: Vec<u32>,
    /// Spaces removed from the start of every line: an excerpt of a method
    /// body is indented as a whole, and Python would reject that indentation.
    pub indent: u32,
}

/// The number and code of a line shaped `N <code>` (or `N` alone).
fn numbered(line: &str) -> Option<(u32, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let number: u32 = line[..digits].parse().ok()?;
    let rest = &line[digits..];
    match rest.as_bytes().first() {
        None => Some((number, "")),
        Some(b' ' | b'\t') => Some((number, &rest[1..])),
        Some(_) => None,
    }
}

/// Splits `text` into request and code when it is a listing; `Ok(None)` when it
/// is not one (then it is reviewed as plain Python); `Err` when it starts like a
/// listing but its numbering cannot be trusted.
pub fn parse(text: &str) -> Result<Option<Listing>, String> {
    let lines: Vec<&str> = text.lines().collect();
    // The listing starts at the first numbered line followed by another
    // numbered line with a larger number: one numbered line alone ("1 apple")
    // is prose, not code.
    let Some(start) =
        (0..lines.len()).find(
            |&i| match (numbered(lines[i]), lines.get(i + 1).and_then(|l| numbered(l))) {
                (Some((a, _)), Some((b, _))) => b > a,
                _ => false,
            },
        )
    else {
        return Ok(None);
    };
    let request = lines[..start].join("\n").trim().to_string();

    let last_numbered = (start..lines.len())
        .rev()
        .find(|&i| numbered(lines[i]).is_some())
        .unwrap_or(start);
    let mut code = String::new();
    let mut numbers = Vec::new();
    let mut previous: Option<u32> = None;
    for (index, line) in lines.iter().enumerate().take(last_numbered + 1).skip(start) {
        let Some((number, body)) = numbered(line) else {
            if line.trim().is_empty() {
                continue;
            }
            return Err(format!(
                "listing line {} is not numbered (`{}`): every code line of a listing must read `N <code>`",
                index + 1,
                line.chars().take(60).collect::<String>()
            ));
        };
        if let Some(prev) = previous {
            if number <= prev {
                return Err(format!(
                    "listing line {} is numbered {} after {}: listing numbers must increase",
                    index + 1,
                    number,
                    prev
                ));
            }
            // Fill a gap with blank lines so later numbers stay exact.
            for missing in prev + 1..number {
                code.push('\n');
                numbers.push(missing);
            }
        }
        code.push_str(body);
        code.push('\n');
        numbers.push(number);
        previous = Some(number);
    }
    let (code, indent) = dedent(code);
    Ok(Some(Listing {
        request,
        code,
        numbers,
        indent,
    }))
}

/// Removes the indentation (in spaces) common to every non-blank line.
fn dedent(code: String) -> (String, u32) {
    let indent = code
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.bytes().take_while(|&b| b == b' ').count())
        .min()
        .unwrap_or(0);
    if indent == 0 {
        return (code, 0);
    }
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        // Blank lines may be shorter than the indentation.
        out.push_str(
            line.get(indent..)
                .filter(|_| !line.trim().is_empty())
                .unwrap_or(line.trim_start_matches(' ')),
        );
    }
    (out, indent as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_then_listing() {
        let l = parse("Review this.\n\n1 import os\n2 \n3     os.system(x)\n")
            .unwrap()
            .unwrap();
        assert_eq!(l.request, "Review this.");
        assert_eq!(l.code, "import os\n\n    os.system(x)\n");
        assert_eq!(l.numbers, vec![1, 2, 3]);
    }

    #[test]
    fn bare_numbers_are_empty_lines() {
        let l = parse("1 a = 1\n2\n3 b = 2").unwrap().unwrap();
        assert_eq!(l.code, "a = 1\n\nb = 2\n");
    }

    #[test]
    fn gaps_are_filled_so_numbers_stay_exact() {
        let l = parse("10 a = 1\n11 b = 2\n14 c = 3\n").unwrap().unwrap();
        assert_eq!(l.numbers, vec![10, 11, 12, 13, 14]);
        assert_eq!(l.code, "a = 1\nb = 2\n\n\nc = 3\n");
    }

    #[test]
    fn indented_excerpts_are_dedented() {
        let l = parse("12     def f(self):\n13         return 1\n14 \n")
            .unwrap()
            .unwrap();
        assert_eq!(l.code, "def f(self):\n    return 1\n\n");
        assert_eq!(l.indent, 4);
    }

    #[test]
    fn trailing_prose_is_not_code() {
        let l = parse("1 a = 1\n2 b = 2\nThanks!\n").unwrap().unwrap();
        assert_eq!(l.numbers, vec![1, 2]);
    }

    #[test]
    fn unnumbered_line_inside_is_an_error() {
        let e = parse("1 a = 1\n2 b = 2\nfoo\n3 c = 3\n").unwrap_err();
        assert!(e.contains("listing line 3 is not numbered"), "{e}");
    }

    #[test]
    fn decreasing_numbers_are_an_error() {
        let e = parse("1 a = 1\n2 b = 2\n2 c = 3\n").unwrap_err();
        assert!(e.contains("must increase"), "{e}");
    }

    #[test]
    fn python_is_not_a_listing() {
        assert_eq!(parse("import os\nx = 1\n").unwrap(), None);
        assert_eq!(parse("1 apple\nthen prose\n").unwrap(), None);
    }
}
