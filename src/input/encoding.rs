//! Source encodings as CPython reads them (PEP 263).
//!
//! A Python source file is UTF-8 unless a *coding cookie* says otherwise: a
//! comment matching `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on line 1, or on
//! line 2 when line 1 is blank or a comment (`# -*- coding: latin-1 -*-`).
//! A UTF-8 byte-order mark also declares UTF-8, and then a cookie may only
//! name UTF-8. This module follows the interpreter (`Parser/tokenizer`), not
//! `tokenize.detect_encoding`, where they differ: lines end at `\n`, `\r\n`
//! or `\r` (the interpreter translates newlines first), and the cookie line
//! itself need not be UTF-8.
//!
//! Names are resolved as CPython resolves them: the tokenizer folds the
//! spellings of UTF-8 and Latin-1 (`get_normal_name`), then the codec lookup
//! normalises punctuation and case and reads the alias table
//! ([`super::python_codecs`], copied from CPython). Decoding uses
//! `encoding_rs` where its WHATWG decoder is Python's codec, corrected where
//! they differ, as measured byte by byte against CPython 3.11:
//!
//! - Latin-1 and ASCII are decoded here: WHATWG reads `latin1` as
//!   windows-1252, which turns 0x80-0x9F into typographic characters where
//!   Python gives C1 controls.
//! - The `cp125x`/`cp874` code pages: WHATWG maps the bytes Microsoft left
//!   undefined to the C1 control of the same number; Python refuses them.
//!   `cp1255` also refuses 0xCA, and `koi8_u` reads 0xAE and 0xBE as box
//!   drawing (WHATWG's KOI8-U is KOI8-RU). `iso8859_9`, `iso8859_11` and
//!   `tis_620` are windows-1254/874 above 0x9F with C1 controls below.
//! - The multi-byte codecs (`shift_jis`, `euc_jp`, `gbk`, `gb18030`, `big5`,
//!   `euc_kr` and their Microsoft variants) are WHATWG's. Of all two-byte
//!   sequences, every one Python accepts decodes here, with the same
//!   character boundaries, except `cp932`'s lone bytes 0x80, 0xA0 and
//!   0xFD-0xFF (Python maps them to private-use characters; here the file
//!   is refused). A few symbols come out as other characters (`shift_jis`
//!   0x8160 is U+301C in Python, U+FF5E here: 6 sequences in `shift_jis` and
//!   `euc_jp`, 20 in `gb18030`, 260 in `big5`), and some sequences Python
//!   refuses are accepted (vendor extensions). Code and line structure are
//!   the same; only the text of such a symbol differs.
//!
//! Every codec decoded here maps each line break byte to the same line
//! break and no other byte to one, so the text has the file's lines.

use encoding_rs::{DecoderResult, Encoding};

use super::python_codecs::{ALIASES, MODULES};

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// The text of a Python source file, decoded as CPython decodes it; `Err`
/// says why CPython would refuse the file, or why vigil cannot read it.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if let Some(name) = wide_unicode_bom(&bytes) {
        return Err(format!(
            "is {name} (it starts with a {name} byte-order mark): Python reads source files only in \
             UTF-8 or an ASCII-compatible encoding a coding cookie declares; convert it to UTF-8; skipped"
        ));
    }
    if bytes.contains(&0) {
        return Err(nul_reason(&bytes));
    }
    let bom = bytes.starts_with(UTF8_BOM);
    let skip = if bom { UTF8_BOM.len() } else { 0 };
    let body = &bytes[skip..];
    let declared = match find_cookie(body) {
        Some(cookie) => Declared::Cookie(cookie),
        None if bom => Declared::Bom,
        None => Declared::Nothing,
    };
    let codec = match &declared {
        Declared::Nothing | Declared::Bom => Codec::Utf8,
        Declared::Cookie(cookie) => resolve(cookie, bom)?,
    };
    let decoded = match codec {
        Codec::Utf8 => {
            return match String::from_utf8(bytes) {
                Ok(mut text) => {
                    // The BOM is one character of three bytes; keeping it
                    // would shift every column of line 1. Python drops it too.
                    text.drain(..skip);
                    Ok(text)
                }
                Err(e) => {
                    let at = e.utf8_error().valid_up_to() - skip;
                    Err(invalid_byte(&e.into_bytes()[skip..], at, &declared))
                }
            };
        }
        Codec::Latin1 => Ok(body.iter().map(|&b| char::from(b)).collect()),
        Codec::Ascii => match body.iter().position(|b| !b.is_ascii()) {
            None => Ok(body.iter().map(|&b| char::from(b)).collect()),
            Some(at) => Err(at),
        },
        Codec::SingleByte(single) => single.decode(body),
        Codec::MultiByte(encoding) => decode_multi_byte(encoding, body),
    };
    decoded.map_err(|at| invalid_byte(body, at, &declared))
}

/// The encoding declared on line 1 or 2.
struct Cookie {
    line: u32,
    name: String,
}

enum Declared {
    Nothing,
    Bom,
    Cookie(Cookie),
}

/// Line 1's cookie, or line 2's when line 1 is blank or only a comment.
fn find_cookie(body: &[u8]) -> Option<Cookie> {
    let (first, rest) = split_line(body);
    if let Some(name) = cookie_in(first) {
        return Some(Cookie { line: 1, name });
    }
    let after = skip_spaces(first);
    if !(after.is_empty() || after[0] == b'#') {
        return None;
    }
    let (second, _) = split_line(rest?);
    cookie_in(second).map(|name| Cookie { line: 2, name })
}

/// The first line of `bytes` without its line break, and what follows the
/// break (`None` when there is no break).
fn split_line(bytes: &[u8]) -> (&[u8], Option<&[u8]>) {
    match bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
        None => (bytes, None),
        Some(end) => {
            let next = if bytes[end..].starts_with(b"\r\n") {
                end + 2
            } else {
                end + 1
            };
            (&bytes[..end], Some(&bytes[next..]))
        }
    }
}

fn skip_spaces(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\x0c'))
        .unwrap_or(line.len());
    &line[start..]
}

/// PEP 263's `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` (ASCII `\w`): the
/// first `coding:` or `coding=` after the `#` that is followed by a name.
fn cookie_in(line: &[u8]) -> Option<String> {
    let comment = skip_spaces(line).strip_prefix(b"#")?;
    let is_name = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    (0..comment.len()).find_map(|at| {
        let after = comment[at..].strip_prefix(b"coding")?;
        let after = after.strip_prefix(b":").or_else(|| after.strip_prefix(b"="))?;
        let value = skip_blanks(after);
        let len = value.iter().take_while(|b| is_name(b)).count();
        // The name is ASCII by construction.
        (len > 0).then(|| String::from_utf8_lossy(&value[..len]).into_owned())
    })
}

fn skip_blanks(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// How to decode a declared encoding.
#[derive(Debug, Clone, Copy)]
enum Codec {
    Utf8,
    Latin1,
    Ascii,
    SingleByte(SingleByte),
    MultiByte(&'static Encoding),
}

/// A single-byte code page: `base`'s WHATWG table with Python's differences.
#[derive(Debug, Clone, Copy)]
struct SingleByte {
    base: &'static Encoding,
    c1: C1,
    /// Bytes Python decodes otherwise than `base` (`None`: undefined).
    patches: &'static [(u8, Option<char>)],
}

/// What Python makes of the bytes 0x80-0x9F.
#[derive(Debug, Clone, Copy)]
enum C1 {
    /// As `base` does.
    AsBase,
    /// Undefined where `base` gives the C1 control of the same number (the
    /// Windows code pages).
    Undefined,
    /// The C1 controls, whatever `base` says (the ISO 8859 parts).
    Controls,
}

impl SingleByte {
    /// Python's character for each byte from 0x80 (the lower half is ASCII
    /// in every code page listed in [`codec_of`]).
    fn upper_half(&self) -> [Option<char>; 128] {
        let mut table = [None; 128];
        for (slot, byte) in table.iter_mut().zip(0x80..=0xffu8) {
            let base = self
                .base
                .decode_without_bom_handling_and_without_replacement(&[byte])
                .and_then(|text| text.chars().next());
            let control = char::from(byte);
            *slot = match self.c1 {
                C1::Undefined if byte <= 0x9f && base == Some(control) => None,
                C1::Controls if byte <= 0x9f => Some(control),
                _ => base,
            };
        }
        for &(byte, c) in self.patches {
            table[usize::from(byte - 0x80)] = c;
        }
        table
    }

    fn decode(&self, body: &[u8]) -> Result<String, usize> {
        let upper = self.upper_half();
        let mut text = String::with_capacity(body.len());
        for (at, &byte) in body.iter().enumerate() {
            let c = if byte.is_ascii() {
                Some(char::from(byte))
            } else {
                upper[usize::from(byte - 0x80)]
            };
            text.push(c.ok_or(at)?);
        }
        Ok(text)
    }
}

/// Decodes with a multi-byte WHATWG decoder; `Err` is the offset of the
/// first byte of the first malformed sequence.
fn decode_multi_byte(encoding: &'static Encoding, body: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::new();
    let mut read = 0;
    loop {
        let room = decoder
            .max_utf8_buffer_length_without_replacement(body.len() - read)
            .unwrap_or(body.len() - read);
        text.reserve(room);
        let (result, consumed) = decoder.decode_to_string_without_replacement(&body[read..], &mut text, true);
        read += consumed;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => continue,
            DecoderResult::Malformed(bad, after) => {
                return Err(read.saturating_sub(usize::from(bad) + usize::from(after)));
            }
        }
    }
}

/// The codec a cookie names, or why the file cannot be read in it.
fn resolve(cookie: &Cookie, bom: bool) -> Result<Codec, String> {
    let Cookie { line, name } = cookie;
    let normal = tokenizer_name(name);
    if bom && normal != "utf-8" {
        return Err(format!(
            "starts with a UTF-8 byte-order mark but declares encoding `{name}` on line {line}: \
             Python refuses a file that declares two encodings (\"encoding problem: {normal} with BOM\"); skipped"
        ));
    }
    if normal == "utf-8" {
        return Ok(Codec::Utf8);
    }
    let Some((module, codec_name, text)) = python_codec(normal) else {
        return Err(format!(
            "declares encoding `{name}` on line {line}, which Python does not know \
             (\"unknown encoding: {normal}\"); skipped"
        ));
    };
    if let Some(codec) = codec_of(module) {
        return Ok(codec);
    }
    let why = if !text {
        format!("which is not a text encoding: Python refuses it (\"'{codec_name}' is not a text encoding\")")
    } else if matches!(module, "unicode_escape" | "raw_unicode_escape" | "utf_7") {
        "which rewrites the text before Python reads it (a way to hide code from reviewers); \
         vigil does not decode it"
            .to_string()
    } else if module.starts_with("utf_16") || module.starts_with("utf_32") {
        "which is not ASCII-compatible: a file whose cookie reads as ASCII is not in it".to_string()
    } else {
        format!("which Python reads (codec {codec_name}) but vigil does not decode; convert the file to UTF-8")
    };
    Err(format!("declares encoding `{name}` on line {line}, {why}; skipped"))
}

/// CPython's tokenizer (`get_normal_name`): the first 12 characters of the
/// name, lowercased, `_` read as `-`, fold every spelling of UTF-8 and
/// Latin-1; other names are passed on as written.
fn tokenizer_name(name: &str) -> &str {
    let folded: String = name
        .chars()
        .take(12)
        .map(|c| if c == '_' { '-' } else { c.to_ascii_lowercase() })
        .collect();
    let latin1 = ["latin-1", "iso-8859-1", "iso-latin-1"];
    if folded == "utf-8" || folded.starts_with("utf-8-") {
        "utf-8"
    } else if latin1
        .iter()
        .any(|l| folded == *l || folded.strip_prefix(l).is_some_and(|rest| rest.starts_with('-')))
    {
        "iso-8859-1"
    } else {
        name
    }
}

/// CPython's codec lookup (`_Py_normalize_encoding`, then
/// `encodings.search_function`): the codec module `name` resolves to, the
/// codec's own name, and whether it is a text encoding.
fn python_codec(name: &str) -> Option<(&'static str, &'static str, bool)> {
    let normal = normalize(name);
    let alias = |key: &str| {
        ALIASES
            .binary_search_by(|(alias, _)| (*alias).cmp(key))
            .ok()
            .map(|i| ALIASES[i].1)
    };
    let aliased = alias(&normal).or_else(|| alias(&normal.replace('.', "_")));
    // The alias's module first, then the name itself; a name with a dot is
    // never imported as a module.
    [aliased, Some(normal.as_str())]
        .into_iter()
        .flatten()
        .filter(|module| !module.is_empty() && !module.contains('.'))
        .find_map(|module| {
            MODULES
                .binary_search_by(|(m, _, _)| (*m).cmp(module))
                .ok()
                .map(|i| MODULES[i])
        })
}

/// Lowercase; every run of characters other than ASCII letters, digits and
/// `.` becomes one `_` between two kept characters.
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut punct = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            if punct && !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            punct = false;
        } else {
            punct = true;
        }
    }
    out
}

/// The codecs vigil decodes, by CPython codec module.
fn codec_of(module: &str) -> Option<Codec> {
    use encoding_rs::*;
    let windows = |base, patches| {
        Codec::SingleByte(SingleByte {
            base,
            c1: C1::Undefined,
            patches,
        })
    };
    let iso = |base, patches| {
        Codec::SingleByte(SingleByte {
            base,
            c1: C1::Controls,
            patches,
        })
    };
    let plain = |base| {
        Codec::SingleByte(SingleByte {
            base,
            c1: C1::AsBase,
            patches: &[],
        })
    };
    Some(match module {
        "ascii" => Codec::Ascii,
        "latin_1" => Codec::Latin1,
        "utf_8" | "utf_8_sig" => Codec::Utf8,
        "cp1250" => windows(WINDOWS_1250, &[]),
        "cp1251" => windows(WINDOWS_1251, &[]),
        "cp1252" => windows(WINDOWS_1252, &[]),
        "cp1253" => windows(WINDOWS_1253, &[]),
        "cp1254" => windows(WINDOWS_1254, &[]),
        "cp1255" => windows(WINDOWS_1255, &[(0xca, None)]),
        "cp1256" => windows(WINDOWS_1256, &[]),
        "cp1257" => windows(WINDOWS_1257, &[]),
        "cp1258" => windows(WINDOWS_1258, &[]),
        "cp874" => windows(WINDOWS_874, &[]),
        "cp866" => plain(IBM866),
        "iso8859_2" => plain(ISO_8859_2),
        "iso8859_3" => plain(ISO_8859_3),
        "iso8859_4" => plain(ISO_8859_4),
        "iso8859_5" => plain(ISO_8859_5),
        "iso8859_6" => plain(ISO_8859_6),
        "iso8859_7" => plain(ISO_8859_7),
        "iso8859_8" => plain(ISO_8859_8),
        "iso8859_9" => iso(WINDOWS_1254, &[]),
        "iso8859_10" => plain(ISO_8859_10),
        "iso8859_11" => iso(WINDOWS_874, &[]),
        "iso8859_13" => plain(ISO_8859_13),
        "iso8859_14" => plain(ISO_8859_14),
        "iso8859_15" => plain(ISO_8859_15),
        "iso8859_16" => plain(ISO_8859_16),
        "tis_620" => iso(WINDOWS_874, &[(0xa0, None)]),
        "koi8_r" => plain(KOI8_R),
        "koi8_u" => Codec::SingleByte(SingleByte {
            base: KOI8_U,
            c1: C1::AsBase,
            patches: &[(0xae, Some('\u{255d}')), (0xbe, Some('\u{256c}'))],
        }),
        "mac_cyrillic" => plain(X_MAC_CYRILLIC),
        "mac_roman" => plain(MACINTOSH),
        "big5" | "big5hkscs" | "cp950" => Codec::MultiByte(BIG5),
        "cp932" | "shift_jis" => Codec::MultiByte(SHIFT_JIS),
        "cp949" | "euc_kr" => Codec::MultiByte(EUC_KR),
        "euc_jp" => Codec::MultiByte(EUC_JP),
        "gb18030" => Codec::MultiByte(GB18030),
        "gb2312" | "gbk" => Codec::MultiByte(GBK),
        _ => return None,
    })
}

fn wide_unicode_bom(bytes: &[u8]) -> Option<&'static str> {
    // UTF-32LE's mark starts with UTF-16LE's: test it first.
    [
        (&b"\xff\xfe\0\0"[..], "UTF-32LE"),
        (b"\0\0\xfe\xff", "UTF-32BE"),
        (b"\xff\xfe", "UTF-16LE"),
        (b"\xfe\xff", "UTF-16BE"),
    ]
    .into_iter()
    .find(|(bom, _)| bytes.starts_with(bom))
    .map(|(_, name)| name)
}

/// Why a file with NUL bytes is refused, naming UTF-16 or UTF-32 when the
/// start looks like ASCII text in one of them.
fn nul_reason(bytes: &[u8]) -> String {
    let text = |b: &u8| b.is_ascii() && *b != 0;
    let wide = match bytes {
        [a, 0, 0, 0, ..] if text(a) => Some("UTF-32LE"),
        [0, 0, 0, a, ..] if text(a) => Some("UTF-32BE"),
        [a, 0, b, 0, ..] if text(a) && text(b) => Some("UTF-16LE"),
        [0, a, 0, b, ..] if text(a) && text(b) => Some("UTF-16BE"),
        _ => None,
    };
    match wide {
        Some(name) => format!(
            "contains NUL bytes (it looks like {name} without a byte-order mark): Python reads source \
             files only in UTF-8 or an ASCII-compatible encoding a coding cookie declares; convert it to \
             UTF-8; skipped"
        ),
        None => "contains NUL bytes: not a Python source file; skipped".to_string(),
    }
}

/// The error for the byte at `at` of `body`, with its line and column as
/// an editor counts them.
fn invalid_byte(body: &[u8], at: usize, declared: &Declared) -> String {
    let before = &body[..at];
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in before.iter().enumerate() {
        // `\r\n` is one break: count it at its `\n`.
        if b == b'\n' || (b == b'\r' && body.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let column = at - line_start + 1;
    let byte = body.get(at).copied().unwrap_or_default();
    let place = format!("(byte {byte:#04x} at column {column})");
    match declared {
        Declared::Nothing => format!(
            "line {line} is not valid UTF-8 {place} and no encoding is declared \
             (PEP 263: `# -*- coding: NAME -*-` on line 1 or 2); skipped"
        ),
        Declared::Bom => {
            format!("line {line} is not valid UTF-8 {place}, the encoding its byte-order mark declares; skipped")
        }
        Declared::Cookie(Cookie { line: declared, name }) => {
            format!("line {line} is not valid {name} {place}, the encoding declared on line {declared}; skipped")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        decode(bytes.to_vec()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn error(bytes: &[u8]) -> String {
        decode(bytes.to_vec()).unwrap_err()
    }

    #[test]
    fn utf8_without_cookie() {
        assert_eq!(text("x = 'é'\n".as_bytes()), "x = 'é'\n");
        assert_eq!(
            error(b"# hi\nx = '\xe9'\n"),
            "line 2 is not valid UTF-8 (byte 0xe9 at column 6) and no encoding is declared \
             (PEP 263: `# -*- coding: NAME -*-` on line 1 or 2); skipped"
        );
    }

    #[test]
    fn latin1_is_bytes_to_code_points_not_windows_1252() {
        let decoded = text(b"# -*- coding: latin-1 -*-\nx = '\xe9\x80\x9f'\n");
        assert_eq!(decoded, "# -*- coding: latin-1 -*-\nx = '\u{e9}\u{80}\u{9f}'\n");
        for spelling in [
            "latin1",
            "iso-8859-1",
            "ISO_8859-1",
            "l1",
            "latin",
            "iso-latin-1-x",
            "cp819",
            "8859",
        ] {
            let cookie = format!("# coding: {spelling}\nx = '").into_bytes();
            let decoded = text(&[cookie, b"\xe9'\n".to_vec()].concat());
            assert!(decoded.ends_with("x = 'é'\n"), "{spelling}: {decoded:?}");
        }
    }

    #[test]
    fn cookie_on_line_two_only_after_a_blank_or_comment_line() {
        let after_shebang = b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '\x80'\n";
        assert!(text(after_shebang).ends_with("x = '€'\n"));
        let after_blank = b"  \n# coding=latin-1\nx = '\xe9'\n";
        assert!(text(after_blank).ends_with("x = 'é'\n"));
        let after_code = b"x = 1\n# coding: latin-1\ny = '\xe9'\n";
        assert!(
            error(after_code).starts_with("line 3 is not valid UTF-8"),
            "{}",
            error(after_code)
        );
        let on_line_three = b"#\n#\n# coding: latin-1\ny = '\xe9'\n";
        assert!(error(on_line_three).starts_with("line 4 is not valid UTF-8"));
    }

    #[test]
    fn cookie_needs_a_comment_and_a_name() {
        assert!(cookie_in(b"x = 1  # coding: latin-1").is_none(), "code before the #");
        assert_eq!(cookie_in(b"\x0c # coding=latin-1").as_deref(), Some("latin-1"));
        assert_eq!(cookie_in(b"#coding:\tutf8 and more").as_deref(), Some("utf8"));
        // A `coding:` without a name is passed over for a later one.
        assert_eq!(cookie_in(b"# coding: ; coding: l1").as_deref(), Some("l1"));
        assert_eq!(cookie_in(b"# Coding: latin-1"), None, "the word is case-sensitive");
        assert_eq!(cookie_in(b"# coding latin-1"), None);
        // Line 1 is empty, so line 2 may declare.
        assert_eq!(
            find_cookie(b"# coding: \n# coding: l1\n").map(|c| (c.line, c.name)),
            Some((2, "l1".into()))
        );
    }

    #[test]
    fn every_line_break_ends_a_line_as_the_interpreter_reads_them() {
        assert!(text(b"#!/usr/bin/python\r# coding: latin-1\rx = '\xe9'\r").ends_with("x = 'é'\r"));
        assert!(text(b"#!/usr/bin/python\r\n# coding: latin-1\r\nx = '\xe9'\r\n").ends_with("x = 'é'\r\n"));
        assert_eq!(
            error(b"# coding: ascii\r\nx = 1\r\ny = '\xe9'\r\n"),
            "line 3 is not valid ascii (byte 0xe9 at column 6), the encoding declared on line 1; skipped"
        );
        assert!(error(b"a\rb\rc\xff").starts_with("line 3 is not valid UTF-8 (byte 0xff at column 2)"));
    }

    #[test]
    fn bom_declares_utf8_and_a_cookie_must_agree() {
        assert_eq!(text("\u{feff}x = 'é'\n".as_bytes()), "x = 'é'\n");
        assert_eq!(
            text(b"\xef\xbb\xbf# coding: utf-8\nx = 1\n"),
            "# coding: utf-8\nx = 1\n"
        );
        assert_eq!(
            text(b"\xef\xbb\xbf# coding: UTF_8-sig\nx = 1\n"),
            "# coding: UTF_8-sig\nx = 1\n"
        );
        assert_eq!(
            error(b"\xef\xbb\xbf# coding: latin-1\nx = 1\n"),
            "starts with a UTF-8 byte-order mark but declares encoding `latin-1` on line 1: Python refuses a \
             file that declares two encodings (\"encoding problem: iso-8859-1 with BOM\"); skipped"
        );
        // As in CPython: `utf8` is not folded by the tokenizer, so it conflicts.
        assert!(error(b"\xef\xbb\xbf# coding: utf8\n").contains("\"encoding problem: utf8 with BOM\""));
        assert_eq!(
            error(b"\xef\xbb\xbfx = '\xe9'\n"),
            "line 1 is not valid UTF-8 (byte 0xe9 at column 6), the encoding its byte-order mark declares; skipped"
        );
    }

    #[test]
    fn names_resolve_as_python_resolves_them() {
        assert_eq!(python_codec("latin-1").map(|c| c.0), Some("latin_1"));
        assert_eq!(python_codec("ISO_8859-1:1987").map(|c| c.0), Some("latin_1"));
        assert_eq!(python_codec("iso.8859.1").map(|c| c.0), Some("latin_1"));
        assert_eq!(python_codec("latin.1"), None, "a dotted name is not a module");
        assert_eq!(python_codec("utf8").map(|c| c.0), Some("utf_8"));
        assert_eq!(python_codec("sjis").map(|c| c.0), Some("shift_jis"));
        assert_eq!(python_codec("Shift_JIS").map(|c| c.0), Some("shift_jis"));
        assert_eq!(python_codec("euc-jp").map(|c| c.0), Some("euc_jp"));
        assert_eq!(python_codec("iso-8859-15").map(|c| c.0), Some("iso8859_15"));
        assert_eq!(python_codec("cp1252").map(|c| c.0), Some("cp1252"));
        assert_eq!(python_codec("windows-1252").map(|c| c.0), Some("cp1252"));
        assert_eq!(python_codec("foobar"), None);
        assert_eq!(normalize("--ISO  8859..1--"), "iso_8859..1");
    }

    #[test]
    fn unknown_unsupported_and_refused_codecs_are_named() {
        assert_eq!(
            error(b"# coding: foobar\nx = 1\n"),
            "declares encoding `foobar` on line 1, which Python does not know (\"unknown encoding: foobar\"); skipped"
        );
        assert_eq!(
            error(b"#!/usr/bin/python\n# coding: cp437\n"),
            "declares encoding `cp437` on line 2, which Python reads (codec cp437) but vigil does not \
             decode; convert the file to UTF-8; skipped"
        );
        assert!(error(b"# coding: rot13\n").contains("which is not a text encoding"));
        assert!(error(b"# coding: unicode_escape\n").contains("rewrites the text"));
        assert!(error(b"# coding: utf-16\n").contains("not ASCII-compatible"));
    }

    #[test]
    fn every_codec_vigil_decodes_is_a_python_codec() {
        for (module, _, text) in MODULES {
            if codec_of(module).is_some() {
                assert!(text, "{module}");
            }
        }
        let named = [
            "ascii",
            "latin_1",
            "utf_8",
            "utf_8_sig",
            "cp1250",
            "cp1251",
            "cp1252",
            "cp1253",
            "cp1254",
            "cp1255",
            "cp1256",
            "cp1257",
            "cp1258",
            "cp874",
            "cp866",
            "iso8859_2",
            "iso8859_3",
            "iso8859_4",
            "iso8859_5",
            "iso8859_6",
            "iso8859_7",
            "iso8859_8",
            "iso8859_9",
            "iso8859_10",
            "iso8859_11",
            "iso8859_13",
            "iso8859_14",
            "iso8859_15",
            "iso8859_16",
            "tis_620",
            "koi8_r",
            "koi8_u",
            "mac_cyrillic",
            "mac_roman",
            "big5",
            "big5hkscs",
            "cp950",
            "cp932",
            "shift_jis",
            "cp949",
            "euc_kr",
            "euc_jp",
            "gb18030",
            "gb2312",
            "gbk",
        ];
        for module in named {
            assert!(MODULES.iter().any(|m| m.0 == module), "{module} is no CPython codec");
            assert!(codec_of(module).is_some(), "{module}");
        }
    }

    #[test]
    fn generated_tables_are_sorted_for_binary_search() {
        assert!(ALIASES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(MODULES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// Bytes where WHATWG's tables and Python's codecs differ, as measured
    /// against CPython 3.11 (`bytes([b]).decode(codec)` for every byte).
    #[test]
    fn single_byte_code_pages_follow_python_where_whatwg_differs() {
        let decode_in = |codec: &str, byte: u8| decode([format!("# coding: {codec}\n").as_bytes(), &[byte]].concat());
        assert_eq!(decode_in("cp1252", 0x80).unwrap(), "# coding: cp1252\n€");
        for byte in [0x81, 0x8d, 0x8f, 0x90, 0x9d] {
            assert_eq!(
                decode_in("cp1252", byte).unwrap_err(),
                format!(
                    "line 2 is not valid cp1252 (byte {byte:#04x} at column 1), the encoding declared on line 1; skipped"
                )
            );
        }
        assert!(decode_in("cp1250", 0x98).is_err());
        assert!(decode_in("cp1255", 0xca).is_err(), "WHATWG maps it to U+05BA");
        assert!(decode_in("cp874", 0x99).is_err());
        assert!(decode_in("cp1256", 0x81).unwrap().ends_with('\u{67e}'));
        assert!(decode_in("iso8859_9", 0x80).unwrap().ends_with('\u{80}'));
        assert!(decode_in("latin5", 0xd0).unwrap().ends_with('Ğ'));
        assert!(decode_in("iso8859_11", 0x85).unwrap().ends_with('\u{85}'));
        assert!(decode_in("tis-620", 0xa0).is_err());
        assert!(decode_in("koi8_u", 0xae).unwrap().ends_with('╝'));
        assert!(decode_in("koi8_u", 0xbe).unwrap().ends_with('╬'));
        assert!(decode_in("iso-8859-15", 0xa4).unwrap().ends_with('€'));
        assert!(decode_in("ascii", 0x80).is_err());
    }

    #[test]
    fn multi_byte_codecs() {
        assert_eq!(
            text(b"# coding: shift_jis\nx = '\x83\x5c'\n"),
            "# coding: shift_jis\nx = '\u{30bd}'\n",
            "a trail byte that is ASCII `\\` stays inside its character"
        );
        assert!(text(b"# coding: euc-jp\nx = '\xa4\xa2'\n").ends_with("x = 'あ'\n"));
        assert_eq!(
            error(b"# coding: euc-jp\n\nx = '\xa4'\n"),
            "line 3 is not valid euc-jp (byte 0xa4 at column 6), the encoding declared on line 1; skipped"
        );
        assert!(text(b"# coding: gbk\nx = '\xc4\xe3'\n").ends_with("x = '你'\n"));
    }

    /// Line numbers depend on it: in every multi-byte codec decoded, a line
    /// break byte is never inside a character, so a text decodes to the
    /// same line breaks or not at all.
    #[test]
    fn multi_byte_codecs_keep_line_breaks() {
        for module in ["big5", "cp932", "euc_kr", "euc_jp", "gb18030", "gbk"] {
            let Some(Codec::MultiByte(encoding)) = codec_of(module) else {
                panic!("{module}")
            };
            for lead in 0x80..=0xffu8 {
                for brk in [b'\n', b'\r'] {
                    for bytes in [[lead, brk, b'x'], [lead, b'0', brk]] {
                        if let Ok(decoded) = decode_multi_byte(encoding, &bytes) {
                            assert_eq!(decoded.matches(char::from(brk)).count(), 1, "{module} {bytes:x?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn wide_unicode_and_nul_are_refused() {
        let utf16 = "x = 1\n".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>();
        assert!(
            error(&[b"\xff\xfe".as_slice(), &utf16].concat())
                .starts_with("is UTF-16LE (it starts with a UTF-16LE byte-order mark)")
        );
        assert!(error(&utf16).starts_with("contains NUL bytes (it looks like UTF-16LE without a byte-order mark)"));
        assert!(error(b"\0\0\xfe\xff\0\0\0x").starts_with("is UTF-32BE"));
        assert_eq!(error(b"x\0"), "contains NUL bytes: not a Python source file; skipped");
        assert_eq!(
            error(b"x = 1\0\n"),
            "contains NUL bytes: not a Python source file; skipped"
        );
        assert!(error(b"\0x\0=").contains("UTF-16BE"));
    }
}
