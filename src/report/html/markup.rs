//! Escaping by construction for the HTML report: a [`Markup`] writer whose
//! only way to add markup is a `&'static str` (written in this crate), while
//! every other string (names, messages and code from the analysed tree)
//! goes through [`Markup::text`] or an attribute value, both escaped.
//!
//! Nothing from the analysed code is ever written into the page's `<style>`
//! or `<script>`, so there is no JSON or CSS context to escape for.

use crate::report::terminal_safe::is_unsafe;

/// An HTML document being written.
#[derive(Default)]
pub struct Markup {
    out: String,
}

impl Markup {
    pub fn finish(self) -> String {
        self.out
    }

    /// Markup written in this crate (tags, the page's CSS and script).
    pub fn markup(&mut self, trusted: &'static str) -> &mut Self {
        self.out.push_str(trusted);
        self
    }

    /// Text, escaped for element content. Control and bidi characters are
    /// shown as `\u{..}`, as the text review shows them (Trojan Source).
    pub fn text(&mut self, text: &str) -> &mut Self {
        push_escaped(&mut self.out, text, false);
        self
    }

    /// A number as text.
    pub fn number(&mut self, n: impl Into<u64>) -> &mut Self {
        self.out.push_str(&n.into().to_string());
        self
    }

    /// A line of source code: escaped like [`Markup::text`], with each
    /// control or bidi character marked so a reader sees it is there.
    pub fn code_char(&mut self, c: char) -> &mut Self {
        if is_unsafe(c) {
            self.out.push_str("<span class=\"ctl\" title=\"control character\">");
            self.out.push_str(&format!("\\u{{{:x}}}", c as u32));
            self.out.push_str("</span>");
        } else {
            push_char(&mut self.out, c);
        }
        self
    }

    /// `<tag a="v" ...>` with every value escaped for a double-quoted
    /// attribute.
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            push_escaped(&mut self.out, value, true);
            self.out.push('"');
        }
        self.out.push('>');
        self
    }

    pub fn close(&mut self, tag: &'static str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// `<tag attrs>text</tag>`.
    pub fn element(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) -> &mut Self {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// Text in which `backticks` mark code, as vigil's messages write it:
    /// each quoted part becomes `<code>`.
    pub fn prose(&mut self, text: &str) -> &mut Self {
        for (i, part) in text.split('`').enumerate() {
            if i % 2 == 1 {
                self.element("code", &[], part);
            } else {
                self.text(part);
            }
        }
        self
    }
}

fn push_escaped(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        if is_unsafe(c) && !(attribute && c == '\n') {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            push_char(out, c);
        }
    }
}

fn push_char(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::Markup;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut m = Markup::default();
        m.open("a", &[("title", "\"><script>x</script>")])
            .text("</script><img src=x onerror=alert(1)>&'")
            .close("a");
        assert_eq!(
            m.finish(),
            "<a title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;&#39;</a>"
        );
    }

    #[test]
    fn controls_are_visible() {
        let mut m = Markup::default();
        m.text("a\u{202e}b").code_char('\u{1b}');
        assert_eq!(
            m.finish(),
            "a\\u{202e}b<span class=\"ctl\" title=\"control character\">\\u{1b}</span>"
        );
    }

    #[test]
    fn backticks_mark_code() {
        let mut m = Markup::default();
        m.prose("`yaml.load()` runs <code>");
        assert_eq!(m.finish(), "<code>yaml.load()</code> runs &lt;code&gt;");
    }
}
