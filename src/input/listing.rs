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

/// A listing's numbers may span at most this many lines: a gap is filled
/// with blank lines, and a typo like `10000000000 x` must not make vigil
/// allocate gigabytes. No Python file comes near it.
pub const MAX_SPAN: u32 = 10_000_000;

/// The digits and code of a line shaped `N <code>` (or `N` alone), whatever
/// the digits say.
fn shaped(line: &str) -> Option<(&str, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = &line[digits..];
    match rest.as_bytes().first() {
        None => Some((&line[..digits], "")),
        Some(b' ' | b'\t') => Some((&line[..digits], &rest[1..])),
        Some(_) => None,
    }
}

/// Splits `text` into request and code when it is a listing; `Ok(None)` when it
/// is not one (then it is reviewed as plain Python); `Err` when it has the
/// shape of a listing but its numbering cannot be trusted.
pub fn parse(text: &str) -> Result<Option<Listing>, String> {
    let lines: Vec<&str> = text.lines().collect();
    // The listing starts at the first two consecutive lines shaped `N <code>`:
    // one numbered line alone ("1 apple") is prose, not code. The numbers
    // are checked afterwards, so a listing whose numbers go backwards from
    // its first line is rejected rather than read as prose.
    let Some(start) = lines
        .windows(2)
        .position(|pair| shaped(pair[0]).is_some() && shaped(pair[1]).is_some())
    else {
        return Ok(None);
    };
    let request = lines[..start].join("\n").trim().to_string();

    let last_numbered = (start..lines.len())
        .rev()
        .find(|&i| shaped(lines[i]).is_some())
        .unwrap_or(start);
    let mut code = String::new();
    let mut numbers = Vec::new();
    let mut previous: Option<u32> = None;
    for (index, line) in lines.iter().enumerate().take(last_numbered + 1).skip(start) {
        let line_no = index + 1;
        let Some((digits, body)) = shaped(line) else {
            if line.trim().is_empty() {
                continue;
            }
            return Err(format!(
                "listing line {line_no} is not numbered (`{}`): every code line of a listing must read `N <code>`",
                line.chars().take(60).collect::<String>()
            ));
        };
        let Ok(number) = digits.parse::<u32>() else {
            return Err(format!(
                "listing line {line_no} is numbered {}, over the largest line number {}",
                shorten(digits),
                u32::MAX
            ));
        };
        if let Some(prev) = previous {
            if number <= prev {
                return Err(format!(
                    "listing line {line_no} is numbered {number} after {prev}: listing numbers must increase"
                ));
            }
            let first = numbers.first().copied().unwrap_or(prev);
            if number - first >= MAX_SPAN {
                return Err(format!(
                    "listing line {line_no} is numbered {number} after {prev}: a listing spans at most \
                     {MAX_SPAN} lines, and this one would span from {first}"
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

/// A number as the error shows it: a line of a thousand digits is cut.
fn shorten(digits: &str) -> String {
    if digits.len() <= 24 {
        digits.to_string()
    } else {
        format!("{}... ({} digits)", &digits[..20], digits.len())
    }
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
        assert_eq!(e, "listing line 3 is numbered 2 after 2: listing numbers must increase");
    }

    /// Two lines shaped `N <code>` start a listing whatever their numbers:
    /// numbers going backwards at the start are a broken listing, not prose.
    #[test]
    fn numbers_going_backwards_or_repeating_at_the_start_are_an_error() {
        assert_eq!(
            parse("Review:\n5 import os\n3 os.system(x)\n").unwrap_err(),
            "listing line 3 is numbered 3 after 5: listing numbers must increase"
        );
        assert_eq!(
            parse("7 import os\n7 os.system(x)\n").unwrap_err(),
            "listing line 2 is numbered 7 after 7: listing numbers must increase"
        );
    }

    #[test]
    fn numbers_that_overflow_are_an_error() {
        assert_eq!(
            parse("4294967295 a\n4294967296 b\n").unwrap_err(),
            "listing line 2 is numbered 4294967296, over the largest line number 4294967295"
        );
        assert_eq!(
            parse("12345678901 a\n2 b\n").unwrap_err(),
            "listing line 1 is numbered 12345678901, over the largest line number 4294967295"
        );
        let long = "9".repeat(1000);
        assert_eq!(
            parse(&format!("1 a\n{long} b\n")).unwrap_err(),
            "listing line 2 is numbered 99999999999999999999... (1000 digits), over the largest line number 4294967295"
        );
        let l = parse("4294967294 a\n4294967295 b\n").unwrap().unwrap();
        assert_eq!(l.numbers, vec![4_294_967_294, 4_294_967_295]);
    }

    #[test]
    fn a_gap_too_large_to_fill_is_an_error() {
        assert_eq!(
            parse("1 a\n2 b\n10000001 c\n").unwrap_err(),
            "listing line 3 is numbered 10000001 after 2: a listing spans at most 10000000 lines, and this one \
             would span from 1"
        );
        let l = parse("1 a\n10000000 b\n").unwrap().unwrap();
        assert_eq!(l.numbers.len(), 10_000_000);
    }

    #[test]
    fn python_is_not_a_listing() {
        assert_eq!(parse("import os\nx = 1\n").unwrap(), None);
        assert_eq!(parse("1 apple\nthen prose\n").unwrap(), None);
    }
}
