//! Finds the repetitions in a Python regular expression that make `re`
//! backtrack exponentially when a match fails.
//!
//! `re` is a backtracking matcher: when the rest of the pattern fails it
//! tries every other way the earlier parts could have matched. A repetition
//! `(B)*` whose body can split the same text into iterations in more than
//! one way (`(a+)+`, `(\w+\s?)*`, `(?:[^"]|\\.)*`) gives 2^n ways for n
//! characters, and a failing input of a few dozen characters pins a CPU.
//!
//! The test is exact over single characters, approximate elsewhere: the
//! pattern is parsed into a small tree whose leaves are character sets
//! (ASCII exactly, all non-ASCII characters as one symbol), and an
//! unbounded, non-possessive repetition of `B` is ambiguous when
//!
//! * some non-empty string is both one iteration and two iterations
//!   (`L(B) ∩ L(B)·L(B)` is not empty), or
//! * two alternatives of `B` match a common non-empty string,
//!
//! and something after the repetition can fail (a non-optional part, `$`,
//! `\Z`, a lookaround, or `fullmatch`), since otherwise the first way tried
//! succeeds. Both emptiness tests run on a product of two small NFAs.
//! Backreferences and conditionals make the engine give up on that
//! repetition (no report), and an atomic group `(?>...)` or a possessive
//! quantifier (`*+`, Python 3.11) is never ambiguous.

use std::collections::{HashSet, VecDeque};

/// A set of characters: the 128 ASCII code points exactly, every other
/// character as one symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct CharSet {
    ascii: u128,
    other: bool,
}

impl CharSet {
    fn single(c: char) -> Self {
        let mut set = CharSet::default();
        set.add(c);
        set
    }

    fn add(&mut self, c: char) {
        if c.is_ascii() {
            self.ascii |= 1u128 << (c as u32);
        } else {
            self.other = true;
        }
    }

    fn add_range(&mut self, lo: char, hi: char) {
        let (lo, hi) = (lo as u32, hi as u32);
        for c in lo..=hi.min(127) {
            self.ascii |= 1u128 << c;
        }
        if hi > 127 {
            self.other = true;
        }
    }

    fn union(self, other: CharSet) -> CharSet {
        CharSet {
            ascii: self.ascii | other.ascii,
            other: self.other || other.other,
        }
    }

    fn complement(self) -> CharSet {
        CharSet {
            ascii: !self.ascii,
            other: !self.other,
        }
    }

    fn intersects(self, other: CharSet) -> bool {
        (self.ascii & other.ascii) != 0 || (self.other && other.other)
    }

    fn is_empty(self) -> bool {
        self.ascii == 0 && !self.other
    }

    fn digits() -> CharSet {
        let mut s = CharSet::default();
        s.add_range('0', '9');
        s
    }

    fn word() -> CharSet {
        let mut s = CharSet::digits();
        s.add_range('a', 'z');
        s.add_range('A', 'Z');
        s.add('_');
        s.other = true;
        s
    }

    fn space() -> CharSet {
        let mut s = CharSet::default();
        for c in [' ', '\t', '\n', '\r', '\x0b', '\x0c'] {
            s.add(c);
        }
        s.other = true;
        s
    }

    /// Adds the other case of every ASCII letter (`re.IGNORECASE`).
    fn fold_case(self) -> CharSet {
        let mut out = self;
        for c in b'a'..=b'z' {
            let upper = c.to_ascii_uppercase();
            let has = |b: u8| self.ascii & (1u128 << b) != 0;
            if has(c) || has(upper) {
                out.ascii |= (1u128 << c) | (1u128 << upper);
            }
        }
        out
    }
}

/// A parsed pattern. `span` fields are byte ranges in the pattern text.
#[derive(Debug, Clone)]
enum Node {
    Empty,
    Set(CharSet),
    /// `^`, `$`, `\b`, `\A`, `\Z` and lookarounds: zero width; `fails`
    /// when it can reject a position (all but `^` and `\A` at the start).
    Anchor {
        can_fail: bool,
    },
    /// A backreference or conditional: nothing is decided about it.
    Opaque,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        /// Possessive, or the only content of an atomic group.
        atomic: bool,
        span: (usize, usize),
    },
    Atomic(Box<Node>),
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    pub ignore_case: bool,
    pub dot_all: bool,
    pub verbose: bool,
}

/// An ambiguous repetition: its byte range in the pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    pub start: usize,
    pub end: usize,
}

/// The first ambiguous repetition of `pattern` that something after it can
/// make fail, if any. `anchored_end` says the whole pattern must match to
/// the end of the input (`re.fullmatch`). A pattern `re` would reject gives
/// `None`.
pub fn find_ambiguity(pattern: &str, flags: Flags, anchored_end: bool) -> Option<Ambiguity> {
    let mut parser = Parser {
        chars: pattern.char_indices().collect(),
        pos: 0,
        flags,
        len: pattern.len(),
        depth: 0,
    };
    parser.leading_flags();
    let tree = parser.alternation()?;
    if parser.pos != parser.chars.len() {
        return None;
    }
    let mut found = None;
    search(&tree, anchored_end, &mut found);
    found
}

/// Walks the tree looking for an ambiguous repetition followed by
/// something that can fail.
fn search(node: &Node, followed: bool, found: &mut Option<Ambiguity>) {
    if found.is_some() {
        return;
    }
    match node {
        Node::Concat(items) => {
            for (i, item) in items.iter().enumerate() {
                let after = followed || items[i + 1..].iter().any(can_fail);
                search(item, after, found);
            }
        }
        Node::Alt(branches) => branches.iter().for_each(|b| search(b, followed, found)),
        Node::Repeat {
            node: body,
            max,
            atomic,
            span,
            ..
        } => {
            if followed && max.is_none() && !atomic && is_ambiguous_body(body) {
                *found = Some(Ambiguity {
                    start: span.0,
                    end: span.1,
                });
                return;
            }
            // Inside a repetition, the next iteration follows each one.
            search(body, followed || max.is_none_or(|m| m > 1), found);
        }
        Node::Atomic(_) | Node::Empty | Node::Set(_) | Node::Anchor { .. } | Node::Opaque => {}
    }
}

fn can_fail(node: &Node) -> bool {
    match node {
        Node::Anchor { can_fail } => *can_fail,
        Node::Opaque => true,
        Node::Concat(items) => items.iter().any(can_fail),
        Node::Alt(branches) => branches.iter().all(can_fail),
        Node::Repeat { node, min, .. } => *min > 0 && can_fail(node),
        Node::Atomic(inner) => can_fail(inner),
        Node::Set(_) => true,
        Node::Empty => false,
    }
}

fn has_opaque(node: &Node) -> bool {
    match node {
        Node::Opaque => true,
        Node::Concat(v) | Node::Alt(v) => v.iter().any(has_opaque),
        Node::Repeat { node, .. } | Node::Atomic(node) => has_opaque(node),
        _ => false,
    }
}

/// True when repeating `body` can split one text into iterations in two
/// ways, or one iteration can match one text in two ways through its
/// alternatives.
fn is_ambiguous_body(body: &Node) -> bool {
    if has_opaque(body) {
        return false;
    }
    let one = Nfa::build(body);
    let two = Nfa::build(&Node::Concat(vec![body.clone(), body.clone()]));
    if one.intersects(&two) {
        return true;
    }
    alternatives_overlap(body)
}

/// True when two alternatives of the same alternation inside `node` (not
/// under an atomic group) match a common non-empty string.
fn alternatives_overlap(node: &Node) -> bool {
    match node {
        Node::Alt(branches) => {
            let nfas: Vec<Nfa> = branches.iter().map(Nfa::build).collect();
            for i in 0..nfas.len() {
                for j in i + 1..nfas.len() {
                    if nfas[i].intersects(&nfas[j]) {
                        return true;
                    }
                }
            }
            branches.iter().any(alternatives_overlap)
        }
        Node::Concat(items) => items.iter().any(alternatives_overlap),
        Node::Repeat { node, atomic, .. } => !atomic && alternatives_overlap(node),
        _ => false,
    }
}

/// Bounded repetitions are unrolled up to this count; beyond it a bound
/// is treated as unbounded (`\d{1,100}` as `\d{1,}`), which only matters for
/// the emptiness tests, never for which repetitions are reported.
const UNROLL: u32 = 6;

/// A nondeterministic automaton over character sets.
struct Nfa {
    /// Per state: epsilon successors and set-labelled successors.
    eps: Vec<Vec<usize>>,
    edges: Vec<Vec<(CharSet, usize)>>,
    start: usize,
    accept: usize,
}

impl Nfa {
    fn build(node: &Node) -> Nfa {
        let mut nfa = Nfa {
            eps: Vec::new(),
            edges: Vec::new(),
            start: 0,
            accept: 0,
        };
        let start = nfa.state();
        let accept = nfa.state();
        nfa.start = start;
        nfa.accept = accept;
        nfa.add(node, start, accept);
        nfa
    }

    fn state(&mut self) -> usize {
        self.eps.push(Vec::new());
        self.edges.push(Vec::new());
        self.eps.len() - 1
    }

    fn add(&mut self, node: &Node, from: usize, to: usize) {
        // Guard against pathological sizes: a huge pattern is left alone.
        if self.eps.len() > 4000 {
            return;
        }
        match node {
            Node::Empty | Node::Anchor { .. } | Node::Opaque => self.eps[from].push(to),
            Node::Set(set) => self.edges[from].push((*set, to)),
            Node::Concat(items) => {
                let mut current = from;
                for (i, item) in items.iter().enumerate() {
                    let next = if i + 1 == items.len() { to } else { self.state() };
                    self.add(item, current, next);
                    current = next;
                }
                if items.is_empty() {
                    self.eps[from].push(to);
                }
            }
            Node::Alt(branches) => branches.iter().for_each(|b| self.add(b, from, to)),
            Node::Atomic(inner) => self.add(inner, from, to),
            Node::Repeat { node, min, max, .. } => {
                let min = (*min).min(UNROLL);
                let max = max.filter(|m| *m <= UNROLL);
                let mut current = from;
                for _ in 0..min {
                    let next = self.state();
                    self.add(node, current, next);
                    current = next;
                }
                match max {
                    None => {
                        let lp = self.state();
                        self.eps[current].push(lp);
                        let back = self.state();
                        self.add(node, lp, back);
                        self.eps[back].push(lp);
                        self.eps[lp].push(to);
                    }
                    Some(max) => {
                        self.eps[current].push(to);
                        for _ in min..max {
                            let next = self.state();
                            self.add(node, current, next);
                            self.eps[next].push(to);
                            current = next;
                        }
                    }
                }
            }
        }
    }

    fn closure(&self, state: usize, out: &mut Vec<usize>) {
        let mut stack = vec![state];
        let mut seen = HashSet::new();
        while let Some(s) = stack.pop() {
            if seen.insert(s) {
                out.push(s);
                stack.extend(self.eps[s].iter().copied());
            }
        }
    }

    /// True when both automata accept a common non-empty string.
    fn intersects(&self, other: &Nfa) -> bool {
        // Product states, with a flag saying at least one character was read.
        let mut seen: HashSet<(usize, usize, bool)> = HashSet::new();
        let mut queue = VecDeque::new();
        queue.push_back((self.start, other.start, false));
        while let Some((a, b, moved)) = queue.pop_front() {
            if !seen.insert((a, b, moved)) {
                continue;
            }
            if seen.len() > 200_000 {
                return false;
            }
            let mut ca = Vec::new();
            let mut cb = Vec::new();
            self.closure(a, &mut ca);
            other.closure(b, &mut cb);
            if moved && ca.contains(&self.accept) && cb.contains(&other.accept) {
                return true;
            }
            for &sa in &ca {
                for &(set_a, na) in &self.edges[sa] {
                    for &sb in &cb {
                        for &(set_b, nb) in &other.edges[sb] {
                            if set_a.intersects(set_b) {
                                queue.push_back((na, nb, true));
                            }
                        }
                    }
                }
            }
        }
        false
    }
}

struct Parser {
    chars: Vec<(usize, char)>,
    pos: usize,
    flags: Flags,
    len: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|(_, c)| *c)
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).map(|(_, c)| *c)
    }

    fn byte_pos(&self) -> usize {
        self.chars.get(self.pos).map_or(self.len, |(i, _)| *i)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Global inline flags at the start: `(?ix)`.
    fn leading_flags(&mut self) {
        while self.peek() == Some('(') && self.peek_at(1) == Some('?') {
            let mut i = 2;
            let mut flags = self.flags;
            let mut any = false;
            while let Some(c) = self.peek_at(i) {
                match c {
                    'i' => flags.ignore_case = true,
                    's' => flags.dot_all = true,
                    'x' => flags.verbose = true,
                    'a' | 'L' | 'm' | 'u' => {}
                    ')' => break,
                    _ => return,
                }
                any = true;
                i += 1;
            }
            if !any || self.peek_at(i) != Some(')') {
                return;
            }
            self.flags = flags;
            self.pos += i + 1;
        }
    }

    fn skip_verbose(&mut self) {
        if !self.flags.verbose {
            return;
        }
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += 1;
            } else if c == '#' {
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == '\n' {
                        break;
                    }
                }
            } else {
                break;
            }
        }
    }

    fn alternation(&mut self) -> Option<Node> {
        self.depth += 1;
        if self.depth > 100 {
            return None;
        }
        let mut branches = vec![self.concat()?];
        while self.eat('|') {
            branches.push(self.concat()?);
        }
        self.depth -= 1;
        Some(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Option<Node> {
        let mut items = Vec::new();
        loop {
            self.skip_verbose();
            match self.peek() {
                None | Some('|') | Some(')') => break,
                _ => {}
            }
            let start = self.byte_pos();
            let atom = self.atom()?;
            let item = self.quantified(atom, start)?;
            items.push(item);
        }
        Some(if items.len() == 1 {
            items.pop().unwrap_or(Node::Empty)
        } else {
            Node::Concat(items)
        })
    }

    fn quantified(&mut self, atom: Node, start: usize) -> Option<Node> {
        self.skip_verbose();
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => match self.braces() {
                Some(bounds) => bounds,
                None => return Some(atom),
            },
            _ => return Some(atom),
        };
        // Lazy (`*?`) still backtracks; possessive (`*+`) does not.
        let mut atomic = false;
        if self.eat('?') {
        } else if self.eat('+') {
            atomic = true;
        }
        let end = self.byte_pos();
        let node = Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            atomic,
            span: (start, end),
        };
        // A quantifier on a quantifier (`a**`) is an error in `re`.
        if matches!(self.peek(), Some('*' | '+' | '?')) {
            return None;
        }
        Some(node)
    }

    /// `{m}`, `{m,}`, `{,n}`, `{m,n}`; anything else is a literal `{`.
    fn braces(&mut self) -> Option<(u32, Option<u32>)> {
        let save = self.pos;
        self.pos += 1;
        let number = |p: &mut Parser| {
            let mut digits = String::new();
            while let Some(c) = p.peek().filter(char::is_ascii_digit) {
                digits.push(c);
                p.pos += 1;
            }
            digits.parse::<u32>().ok()
        };
        let min = number(self);
        let result = if self.eat(',') {
            let max = number(self);
            (min.unwrap_or(0), max)
        } else {
            match min {
                Some(m) => (m, Some(m)),
                None => {
                    self.pos = save;
                    return None;
                }
            }
        };
        if !self.eat('}') {
            self.pos = save;
            return None;
        }
        Some(result)
    }

    fn atom(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        Some(match c {
            '.' => {
                let mut set = CharSet::default().complement();
                if !self.flags.dot_all {
                    set.ascii &= !(1u128 << ('\n' as u32));
                }
                Node::Set(set)
            }
            '^' => Node::Anchor { can_fail: false },
            '$' => Node::Anchor { can_fail: true },
            '[' => Node::Set(self.class()?),
            '\\' => self.escape(false)?,
            '(' => self.group()?,
            '*' | '+' | '?' => return None,
            other => self.literal(other),
        })
    }

    fn literal(&self, c: char) -> Node {
        let set = CharSet::single(c);
        Node::Set(if self.flags.ignore_case { set.fold_case() } else { set })
    }

    fn group(&mut self) -> Option<Node> {
        if !self.eat('?') {
            let inner = self.alternation()?;
            return self.eat(')').then_some(inner);
        }
        match self.peek()? {
            ':' => {
                self.pos += 1;
                let inner = self.alternation()?;
                self.eat(')').then_some(inner)
            }
            '>' => {
                self.pos += 1;
                let inner = self.alternation()?;
                self.eat(')').then_some(Node::Atomic(Box::new(inner)))
            }
            'P' => {
                self.pos += 1;
                match self.peek()? {
                    '<' => {
                        while self.peek()? != '>' {
                            self.pos += 1;
                        }
                        self.pos += 1;
                        let inner = self.alternation()?;
                        self.eat(')').then_some(inner)
                    }
                    '=' => {
                        while self.peek()? != ')' {
                            self.pos += 1;
                        }
                        self.pos += 1;
                        Some(Node::Opaque)
                    }
                    _ => None,
                }
            }
            '=' | '!' => {
                self.pos += 1;
                self.alternation()?;
                self.eat(')').then_some(Node::Anchor { can_fail: true })
            }
            '<' => {
                self.pos += 1;
                if !(self.eat('=') || self.eat('!')) {
                    return None;
                }
                self.alternation()?;
                self.eat(')').then_some(Node::Anchor { can_fail: true })
            }
            '#' => {
                while self.peek()? != ')' {
                    self.pos += 1;
                }
                self.pos += 1;
                Some(Node::Empty)
            }
            '(' => {
                // A conditional `(?(1)yes|no)`.
                let mut level = 1;
                while level > 0 {
                    match self.peek()? {
                        '(' => level += 1,
                        ')' => level -= 1,
                        '\\' => self.pos += 1,
                        _ => {}
                    }
                    self.pos += 1;
                }
                Some(Node::Opaque)
            }
            _ => {
                // Scoped flags `(?i:...)` or `(?-i:...)`.
                let saved = self.flags;
                while let Some(c) = self.peek() {
                    match c {
                        'i' => self.flags.ignore_case = true,
                        's' => self.flags.dot_all = true,
                        'x' => self.flags.verbose = true,
                        'a' | 'L' | 'm' | 'u' | '-' => {}
                        ':' | ')' => break,
                        _ => return None,
                    }
                    self.pos += 1;
                }
                let node = if self.eat(':') {
                    let inner = self.alternation()?;
                    self.eat(')').then_some(inner)?
                } else {
                    self.eat(')');
                    Node::Empty
                };
                self.flags = saved;
                Some(node)
            }
        }
    }

    /// An escape after `\`; `in_class` for one inside `[...]`.
    fn escape(&mut self, in_class: bool) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        let set = match c {
            'd' => CharSet::digits(),
            'D' => CharSet::digits().complement(),
            'w' => CharSet::word(),
            'W' => CharSet::word().complement(),
            's' => CharSet::space(),
            'S' => CharSet::space().complement(),
            'b' if !in_class => return Some(Node::Anchor { can_fail: true }),
            'B' | 'Z' if !in_class => return Some(Node::Anchor { can_fail: true }),
            'A' if !in_class => return Some(Node::Anchor { can_fail: false }),
            '1'..='9' if !in_class => {
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                return Some(Node::Opaque);
            }
            'n' => CharSet::single('\n'),
            't' => CharSet::single('\t'),
            'r' => CharSet::single('\r'),
            'f' => CharSet::single('\x0c'),
            'v' => CharSet::single('\x0b'),
            'a' => CharSet::single('\x07'),
            'b' => CharSet::single('\x08'),
            '0' => CharSet::single('\0'),
            'x' => CharSet::single(self.hex(2)?),
            'u' => CharSet::single(self.hex(4)?),
            'U' => CharSet::single(self.hex(8)?),
            'N' => {
                while self.peek()? != '}' {
                    self.pos += 1;
                }
                self.pos += 1;
                CharSet { ascii: 0, other: true }
            }
            other => CharSet::single(other),
        };
        let set = if self.flags.ignore_case { set.fold_case() } else { set };
        Some(Node::Set(set))
    }

    fn hex(&mut self, digits: usize) -> Option<char> {
        let mut value = 0u32;
        for _ in 0..digits {
            value = value * 16 + self.peek()?.to_digit(16)?;
            self.pos += 1;
        }
        char::from_u32(value)
    }

    /// A character class after `[`.
    fn class(&mut self) -> Option<CharSet> {
        let negated = self.eat('^');
        let mut set = CharSet::default();
        let mut first = true;
        loop {
            let c = self.peek()?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            self.pos += 1;
            let lo = if c == '\\' {
                match self.escape(true)? {
                    Node::Set(s) => {
                        // A class escape (`\d`) or a single character.
                        if s.ascii.count_ones() == 1 && !s.other && self.peek() == Some('-') {
                            char::from_u32(s.ascii.trailing_zeros())
                        } else {
                            set = set.union(s);
                            continue;
                        }
                    }
                    _ => return None,
                }
            } else {
                Some(c)
            }?;
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|n| n != ']') {
                self.pos += 1;
                let hi_char = self.peek()?;
                self.pos += 1;
                let hi = if hi_char == '\\' {
                    match self.escape(true)? {
                        Node::Set(s) if s.ascii.count_ones() == 1 && !s.other => {
                            char::from_u32(s.ascii.trailing_zeros())?
                        }
                        Node::Set(_) => '\u{10FFFF}',
                        _ => return None,
                    }
                } else {
                    hi_char
                };
                if hi < lo {
                    return None;
                }
                set.add_range(lo, hi);
            } else {
                set.add(lo);
            }
        }
        if self.flags.ignore_case {
            set = set.fold_case();
        }
        let set = if negated { set.complement() } else { set };
        // `[^\s\S]` matches nothing; keep it as an empty set.
        let _ = set.is_empty();
        Some(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ambiguous(p: &str) -> bool {
        find_ambiguity(p, Flags::default(), false).is_some()
    }

    #[test]
    fn classic_nested_quantifiers() {
        assert!(ambiguous(r"^(a+)+$"));
        assert!(ambiguous(r"^(\w+\s?)*$"));
        assert!(ambiguous(r"^(([a-z])+.)+[A-Z]([a-z])+$"));
        assert!(ambiguous(r"(a|a)*b"));
        assert!(ambiguous(r#""(?:[^"]|\\.)*""#));
    }

    #[test]
    fn unambiguous_repetitions() {
        assert!(!ambiguous(r"^(\s*,\s*\w+)*$"));
        assert!(!ambiguous(r"^(\d+\.)+\d+$"));
        assert!(!ambiguous(r#""(?:[^"\\]|\\.)*""#));
        assert!(!ambiguous(r"^[a-z0-9-]+(\.[a-z0-9-]+)*$"));
        assert!(!ambiguous(r"^(?:a|b)*c$"));
    }

    #[test]
    fn nothing_after_means_no_backtracking() {
        assert!(!ambiguous(r"(a+)+"));
        assert!(find_ambiguity(r"(a+)+", Flags::default(), true).is_some());
    }

    #[test]
    fn atomic_and_possessive_never_backtrack() {
        assert!(!ambiguous(r"^(?>(a+)+)$"));
        assert!(!ambiguous(r"^(a+)++$"));
    }

    #[test]
    fn verbose_and_flags() {
        let verbose = Flags {
            verbose: true,
            ..Flags::default()
        };
        assert!(find_ambiguity("^( a+ )+ # comment\n$", verbose, false).is_some());
        assert!(ambiguous(r"(?x) ^ ( a + ) + $"));
    }

    #[test]
    fn invalid_patterns_are_left_alone() {
        assert!(!ambiguous(r"(a+"));
        assert!(!ambiguous(r"a**"));
        assert!(!ambiguous(r"[z-a]"));
    }

    #[test]
    fn backreferences_give_up() {
        assert!(!ambiguous(r"^((a+)\2)+$"));
    }

    #[test]
    fn reported_span() {
        let p = r"^x(a+)+$";
        let a = find_ambiguity(p, Flags::default(), false).unwrap();
        assert_eq!(&p[a.start..a.end], "(a+)+");
    }
}
