//! Is a resource held by a local name released on every path out of the
//! function, exceptions included?
//!
//! [`first_leak`] interprets one function body abstractly, for one
//! acquisition. The state on a path is a set of {held, free}. The
//! acquisition makes it held; a release (closing, removing) or a transfer of
//! ownership (returning it, storing it on `self` or in a container, handing
//! it to a context manager, capturing it in a closure) makes it free. A leak
//! is a way out of the function while it may still be held:
//!
//! - falling off the end or `return` (unless a `finally` releases it);
//! - an exception from a call made while it is held, when no enclosing
//!   `try` of the function has a handler (any handler counts: the code
//!   expected that failure) or a `finally` that releases it.
//!
//! Control flow is followed through `if`/`elif`/`else`, loops (`break`,
//! `continue`, `while True`), `try`/`except`/`else`/`finally`, `with` and
//! `match`. A test of the name itself (`if fd is not None:`, `if f:`)
//! refines the state: in its false branch the resource was never acquired.
//! What a call does to the resource is the rule's to say, through
//! [`Classify`]; the engine knows no API names except logging.

use crate::python::names::last_segment;
use std::collections::BTreeMap;

use ruff_python_ast::{CmpOp, Expr, ExprCall, Stmt, StmtTry, UnaryOp};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// What a call does to the tracked resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// Releases it (`os.close(fd)`, `f.close()`, `shutil.rmtree(tmp)`).
    Release,
    /// Takes ownership of it (`os.fdopen(fd)`, `self.addCleanup(os.close, fd)`).
    Escape,
    /// Uses it, or does anything else, and may raise while it is held.
    MayRaise,
    /// Cannot raise in a way worth reporting (logging, `len`...).
    Harmless,
}

/// The rule's knowledge of the resource's API.
pub trait Classify {
    /// What `call` does to the resource, whose names are currently `keys`
    /// (the acquired name and its aliases, like `path = tmp.name`).
    fn call(&self, call: &ExprCall, keys: &[String]) -> CallKind;

    /// What reading the attribute `attr` of the resource does (reading a
    /// response's `body` consumes and closes it); nothing by default.
    fn read(&self, _attr: &str) -> CallKind {
        CallKind::Harmless
    }
}

/// How a held resource leaves the function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeakKind {
    /// The body ends (the range is its last statement).
    FallsOff,
    /// A `return` statement.
    Returns,
    /// An exception raised by this call or `raise` statement.
    Raises,
}

#[derive(Debug, Clone, Copy)]
pub struct Leak {
    pub kind: LeakKind,
    pub at: TextRange,
    /// Nothing in the function releases the resource on any path.
    pub never_released: bool,
}

/// The resource to follow: the statement that acquires it and the local
/// names (or attribute texts, like `tmp.name`) that denote it.
pub struct Resource<'a> {
    pub acquire: &'a Stmt,
    pub keys: Vec<String>,
}

type State = u8;
const HELD: State = 1;
const FREE: State = 2;

/// The first leak of the resource in `body`: when the function never
/// releases it, the first normal exit (falling off, `return`); otherwise
/// the first leak after the acquisition in source order.
pub fn first_leak(text: &str, body: &[Stmt], resource: Resource, classify: &dyn Classify) -> Option<Leak> {
    let mut engine = Engine {
        text,
        keys: resource.keys,
        acquire: resource.acquire,
        classify,
        frames: Vec::new(),
        loops: Vec::new(),
        leaks: BTreeMap::new(),
        silent: 0,
        released: false,
    };
    let end = engine.block(body, FREE);
    if end & HELD != 0 {
        let last = body.last().map_or(TextRange::default(), |s| s.range());
        engine.record(LeakKind::FallsOff, last);
    }
    let never_released = !engine.released;
    let start = engine.acquire.start();
    let mut leaks: Vec<Leak> = engine.leaks.into_values().collect();
    // Leaks after the acquisition first (a loop can reach an earlier line).
    leaks.sort_by_key(|l| (l.at.start() < start, l.at.start()));
    let exit = leaks.iter().find(|l| l.kind != LeakKind::Raises);
    let leak = match exit {
        Some(exit) if never_released => Some(*exit),
        _ => leaks.first().copied(),
    };
    leak.map(|l| Leak { never_released, ..l })
}

struct Frame<'a> {
    try_: &'a StmtTry,
    /// The statement being run is in the `try` body (not a handler, `else`
    /// or `finally`): its exceptions go to the handlers.
    in_body: bool,
    /// The states exceptions bring into the handlers.
    handler_in: State,
}

#[derive(Default)]
struct LoopFrame {
    breaks: State,
    continues: State,
    /// How many `try` frames enclosed the loop: the `finally` blocks of the
    /// ones above run when `break` or `continue` leaves them.
    depth: usize,
}

struct Engine<'a, 'c> {
    text: &'a str,
    keys: Vec<String>,
    acquire: &'a Stmt,
    classify: &'c dyn Classify,
    frames: Vec<Frame<'a>>,
    loops: Vec<LoopFrame>,
    /// Leaks by position, so a loop body explored twice reports once.
    leaks: BTreeMap<(TextSize, u8), Leak>,
    /// While above zero, `finally` blocks are being explored to see whether
    /// they release: nothing is recorded.
    silent: u32,
    /// Some call released the resource (on some path).
    released: bool,
}

/// Replaces "held" by "free": the resource was released or handed over.
fn release(state: State) -> State {
    if state & HELD != 0 {
        (state & !HELD) | FREE
    } else {
        state
    }
}

impl<'a> Engine<'a, '_> {
    fn record(&mut self, kind: LeakKind, at: TextRange) {
        if self.silent == 0 {
            let order = match kind {
                LeakKind::FallsOff => 0,
                LeakKind::Returns => 1,
                LeakKind::Raises => 2,
            };
            self.leaks.entry((at.start(), order)).or_insert(Leak {
                kind,
                at,
                never_released: false,
            });
        }
    }

    fn block(&mut self, stmts: &'a [Stmt], mut state: State) -> State {
        for stmt in stmts {
            if state == 0 {
                break;
            }
            state = self.stmt(stmt, state);
        }
        state
    }

    fn stmt(&mut self, stmt: &'a Stmt, state: State) -> State {
        let acquires = std::ptr::eq(stmt, self.acquire);
        if acquires && !matches!(stmt, Stmt::With(_)) {
            return HELD;
        }
        match stmt {
            Stmt::FunctionDef(f) => {
                // A closure that refers to the resource owns it from now on.
                let captured = f.body.iter().any(|s| self.stmt_mentions(s));
                if captured { release(state) } else { state }
            }
            Stmt::ClassDef(_) => state,
            Stmt::Return(ret) => {
                let mut state = state;
                if let Some(value) = &ret.value {
                    state = if self.returns_it(value) {
                        release(state)
                    } else {
                        self.expr(value, state)
                    };
                }
                self.leave(state, LeakKind::Returns, ret.range);
                0
            }
            Stmt::Raise(raise) => {
                let mut state = state;
                if let Some(exc) = &raise.exc {
                    state = self.expr(exc, state);
                }
                self.raise(state, raise.range);
                0
            }
            Stmt::Break(_) => {
                let state = self.through_finally(state);
                if let Some(l) = self.loops.last_mut() {
                    l.breaks |= state;
                }
                0
            }
            Stmt::Continue(_) => {
                let state = self.through_finally(state);
                if let Some(l) = self.loops.last_mut() {
                    l.continues |= state;
                }
                0
            }
            Stmt::If(if_) => {
                let mut rest = self.expr(&if_.test, state);
                let (yes, no) = self.refine(&if_.test, rest);
                let mut out = self.block(&if_.body, yes);
                rest = no;
                for clause in &if_.elif_else_clauses {
                    match &clause.test {
                        Some(test) => {
                            rest = self.expr(test, rest);
                            let (yes, no) = self.refine(test, rest);
                            out |= self.block(&clause.body, yes);
                            rest = no;
                        }
                        None => {
                            out |= self.block(&clause.body, rest);
                            rest = 0;
                        }
                    }
                }
                out | rest
            }
            Stmt::For(for_) => {
                let state = self.expr(&for_.iter, state);
                let out = self.looped(&for_.body, state, false);
                self.block(&for_.orelse, out)
            }
            Stmt::While(while_) => {
                let forever = matches!(&*while_.test, Expr::BooleanLiteral(b) if b.value);
                let state = self.expr(&while_.test, state);
                let out = self.looped(&while_.body, state, forever);
                if forever { out } else { self.block(&while_.orelse, out) }
            }
            Stmt::With(with) => {
                let mut state = state;
                let mut owned = false;
                let mut reraises = false;
                for item in &with.items {
                    if self.owns(&item.context_expr) {
                        owned = true;
                    } else if is_reraise(&item.context_expr) {
                        reraises = true;
                    } else {
                        state = self.expr(&item.context_expr, state);
                    }
                }
                if acquires {
                    state = HELD;
                }
                // A context manager given the resource releases it on every
                // way out of its body.
                if owned {
                    self.released = true;
                    state = release(state);
                }
                let out = self.block(&with.body, state);
                if reraises {
                    // oslo's `save_and_reraise_exception()` raises again
                    // when its body is done.
                    self.raise(out, with.range);
                    return 0;
                }
                out
            }
            Stmt::Try(try_) => self.try_(try_, state),
            Stmt::Match(match_) => {
                let state = self.expr(&match_.subject, state);
                let mut out = state;
                for case in &match_.cases {
                    out |= self.block(&case.body, state);
                }
                out
            }
            Stmt::Assign(assign) => {
                let mut state = if acquires {
                    state
                } else {
                    self.expr(&assign.value, state)
                };
                if acquires {
                    return HELD;
                }
                if self.stores(&assign.value, assign.targets.iter().all(|t| matches!(t, Expr::Name(_)))) {
                    state = release(state);
                }
                if !self.is_key(&assign.value) && assign.targets.iter().any(|t| self.rebinds(t)) {
                    // The name now holds something else: stop following.
                    state = release(state);
                }
                self.add_aliases(&assign.targets, &assign.value);
                state
            }
            Stmt::AnnAssign(assign) => {
                let Some(value) = &assign.value else { return state };
                if acquires {
                    return HELD;
                }
                let mut state = self.expr(value, state);
                if self.stores(value, matches!(&*assign.target, Expr::Name(_))) || self.rebinds(&assign.target) {
                    state = release(state);
                }
                state
            }
            Stmt::AugAssign(assign) => {
                let mut state = self.expr(&assign.value, state);
                if self.stores(&assign.value, false) {
                    state = release(state);
                }
                state
            }
            Stmt::Expr(e) => self.expr(&e.value, state),
            Stmt::Delete(delete) => {
                if delete.targets.iter().any(|t| self.is_key(t)) {
                    release(state)
                } else {
                    state
                }
            }
            Stmt::Assert(assert) => self.expr(&assert.test, state),
            _ => state,
        }
    }

    fn try_(&mut self, try_: &'a StmtTry, state: State) -> State {
        self.frames.push(Frame {
            try_,
            in_body: true,
            handler_in: 0,
        });
        let body_out = self.block(&try_.body, state);
        let handler_in = match self.frames.last_mut() {
            Some(frame) => {
                frame.in_body = false;
                frame.handler_in
            }
            None => 0,
        };
        let mut normal = self.block(&try_.orelse, body_out);
        for handler in &try_.handlers {
            let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
            normal |= self.block(&h.body, handler_in);
        }
        self.frames.pop();
        if try_.finalbody.is_empty() {
            normal
        } else {
            self.block(&try_.finalbody, normal)
        }
    }

    /// The state after the `finally` blocks between a `break`/`continue`
    /// and its loop.
    fn through_finally(&mut self, mut state: State) -> State {
        let depth = self.loops.last().map_or(0, |l| l.depth);
        for i in (depth..self.frames.len()).rev() {
            let try_ = self.frames[i].try_;
            if !try_.finalbody.is_empty() {
                state = self.explore(&try_.finalbody, state);
            }
        }
        state
    }

    /// Runs a loop body until the state stops growing.
    fn looped(&mut self, body: &'a [Stmt], state: State, forever: bool) -> State {
        self.loops.push(LoopFrame {
            depth: self.frames.len(),
            ..LoopFrame::default()
        });
        let mut head = state;
        for _ in 0..4 {
            let out = self.block(body, head);
            let continues = self.loops.last().map_or(0, |l| l.continues);
            let next = head | out | continues;
            if next == head {
                break;
            }
            head = next;
        }
        let breaks = self.loops.pop().map_or(0, |l| l.breaks);
        if forever { breaks } else { head | breaks }
    }

    /// Evaluates an expression: its calls in order, each releasing,
    /// taking, or possibly raising while the resource is held.
    fn expr(&mut self, expr: &'a Expr, mut state: State) -> State {
        let mut events = Vec::new();
        self.events(expr, &mut events);
        for event in events {
            match event {
                Event::Call(call) => match self.classify.call(call, &self.keys) {
                    CallKind::Release => {
                        self.released = true;
                        state = release(state);
                    }
                    CallKind::Escape => state = release(state),
                    CallKind::MayRaise => self.raise(state, call.range()),
                    CallKind::Harmless => {}
                },
                Event::Takes => state = release(state),
                Event::Suspends(range) => self.raise(state, range),
                Event::Reads(attr) => match self.classify.read(attr) {
                    CallKind::Release => {
                        self.released = true;
                        state = release(state);
                    }
                    CallKind::Escape => state = release(state),
                    CallKind::MayRaise | CallKind::Harmless => {}
                },
            }
        }
        state
    }

    fn events(&self, expr: &'a Expr, out: &mut Vec<Event<'a>>) {
        use ruff_python_ast::visitor::{self, Visitor};
        struct Events<'e, 'a, 'c> {
            engine: &'e Engine<'a, 'c>,
            out: &'e mut Vec<Event<'a>>,
        }
        impl<'a> Visitor<'a> for Events<'_, 'a, '_> {
            fn visit_expr(&mut self, expr: &'a Expr) {
                match expr {
                    Expr::Lambda(lambda) => {
                        if self.engine.mentions(&lambda.body) {
                            self.out.push(Event::Takes);
                        }
                    }
                    Expr::Call(call) => {
                        visitor::walk_expr(self, expr);
                        self.out.push(Event::Call(call));
                    }
                    Expr::Attribute(a) if self.engine.is_key(&a.value) => {
                        visitor::walk_expr(self, expr);
                        self.out.push(Event::Reads(a.attr.as_str()));
                    }
                    Expr::Yield(y) => {
                        match &y.value {
                            Some(value) if self.engine.returns_it(value) => self.out.push(Event::Takes),
                            Some(value) => {
                                self.visit_expr(value);
                                self.out.push(Event::Suspends(y.range));
                            }
                            // A generator abandoned at a bare `yield` gets
                            // `GeneratorExit` there.
                            None => self.out.push(Event::Suspends(y.range)),
                        }
                    }
                    Expr::YieldFrom(y) => {
                        if self.engine.returns_it(&y.value) {
                            self.out.push(Event::Takes);
                        } else {
                            visitor::walk_expr(self, expr);
                        }
                    }
                    _ => visitor::walk_expr(self, expr),
                }
            }
        }
        Events { engine: self, out }.visit_expr(expr);
    }

    /// An exception leaves the current statement with `state`.
    fn raise(&mut self, state: State, at: TextRange) {
        if state & HELD == 0 || self.silent > 0 {
            return;
        }
        let mut carried = HELD;
        for i in (0..self.frames.len()).rev() {
            let (try_, in_body) = (self.frames[i].try_, self.frames[i].in_body);
            if in_body && !try_.handlers.is_empty() {
                // A handler may catch it; unless one catches everything,
                // other exceptions go on outwards.
                self.frames[i].handler_in |= carried;
                if try_.handlers.iter().any(catches_everything) {
                    return;
                }
            }
            if !try_.finalbody.is_empty() {
                carried = self.explore(&try_.finalbody, carried);
                if carried & HELD == 0 {
                    return;
                }
            }
        }
        self.record(LeakKind::Raises, at);
    }

    /// A `return` (or the end of the body) leaves with `state`: only the
    /// `finally` blocks around it still run.
    fn leave(&mut self, state: State, kind: LeakKind, at: TextRange) {
        if state & HELD == 0 || self.silent > 0 {
            return;
        }
        let mut carried = HELD;
        for i in (0..self.frames.len()).rev() {
            let try_ = self.frames[i].try_;
            if !try_.finalbody.is_empty() {
                carried = self.explore(&try_.finalbody, carried);
                if carried & HELD == 0 {
                    return;
                }
            }
        }
        self.record(kind, at);
    }

    /// The state a `finally` block leaves, explored without recording.
    fn explore(&mut self, body: &'a [Stmt], state: State) -> State {
        self.silent += 1;
        let frames = std::mem::take(&mut self.frames);
        let out = self.block(body, state);
        self.frames = frames;
        self.silent -= 1;
        out
    }

    /// The states of the true and false branches of `test`.
    fn refine(&self, test: &Expr, state: State) -> (State, State) {
        match self.tests_presence(test) {
            Some(true) => (state, release(state)),
            Some(false) => (release(state), state),
            None => (state, state),
        }
    }

    /// Whether `test` is true exactly when the name holds a resource
    /// (`fd`, `fd is not None`, `fd >= 0`), or exactly when it does not
    /// (`not fd`, `fd is None`).
    fn tests_presence(&self, test: &Expr) -> Option<bool> {
        match test {
            _ if self.is_key(test) || self.is_key_root(test) => Some(true),
            // `os.path.exists(tmp)` false: there is nothing left to remove.
            Expr::Call(call)
                if call.arguments.args.first().is_some_and(|a| self.is_key(a))
                    && crate::python::names::dotted(&call.func).is_some_and(|n| {
                        matches!(
                            n.as_str(),
                            "os.path.exists" | "os.path.isfile" | "os.path.isdir" | "os.path.lexists"
                        )
                    }) =>
            {
                Some(true)
            }
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => self.tests_presence(&u.operand).map(|p| !p),
            Expr::Compare(cmp) if cmp.ops.len() == 1 && (self.is_key(&cmp.left) || self.is_key_root(&cmp.left)) => {
                let none = matches!(cmp.comparators.first(), Some(Expr::NoneLiteral(_)));
                match cmp.ops[0] {
                    CmpOp::IsNot | CmpOp::NotEq if none => Some(true),
                    CmpOp::Is | CmpOp::Eq if none => Some(false),
                    CmpOp::GtE | CmpOp::Gt => Some(true),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Whether a `with` item hands the resource to a context manager:
    /// `with f:`, `with closing(sock):`, `with os.fdopen(fd) as f:`.
    fn owns(&self, expr: &Expr) -> bool {
        match expr {
            _ if self.is_key(expr) => true,
            Expr::Call(call) => {
                call.arguments.args.iter().any(|a| self.is_key(a))
                    && matches!(
                        self.classify.call(call, &self.keys),
                        CallKind::Release | CallKind::Escape
                    )
            }
            _ => false,
        }
    }

    /// Whether a returned or yielded value hands the resource to the caller:
    /// the resource itself, a container or expression holding it, a call
    /// that takes it over (`Wrapper(f)`) or derives a value from it without
    /// touching it (`os.path.join(tmpdir, name)`). Data read from it
    /// (`os.read(fd, n)`, `f.read()`, `proc.pid`) is not the resource.
    fn returns_it(&self, value: &Expr) -> bool {
        match value {
            _ if self.is_key(value) => true,
            Expr::Call(call) => match self.classify.call(call, &self.keys) {
                CallKind::Escape => true,
                CallKind::Harmless => {
                    call.arguments.args.iter().any(|a| self.returns_it(a))
                        || call.arguments.keywords.iter().any(|k| self.returns_it(&k.value))
                }
                CallKind::Release | CallKind::MayRaise => false,
            },
            Expr::Attribute(attr) => !self.is_key(&attr.value) && self.returns_it(&attr.value),
            Expr::Tuple(t) => t.elts.iter().any(|e| self.returns_it(e)),
            Expr::List(l) => l.elts.iter().any(|e| self.returns_it(e)),
            Expr::Set(t) => t.elts.iter().any(|e| self.returns_it(e)),
            Expr::Dict(d) => d.items.iter().any(|i| self.returns_it(&i.value)),
            Expr::BinOp(b) => self.returns_it(&b.left) || self.returns_it(&b.right),
            Expr::FString(_) => self.mentions(value),
            Expr::If(i) => self.returns_it(&i.body) || self.returns_it(&i.orelse),
            Expr::Starred(st) => self.returns_it(&st.value),
            _ => false,
        }
    }

    /// Whether assigning `value` stores the resource somewhere that outlives
    /// this function's view of it: a container, an attribute, another name
    /// (`to_name` is false when a target is an attribute or subscript).
    fn stores(&self, value: &Expr, to_name: bool) -> bool {
        if !to_name && self.stored_in(value) {
            return true;
        }
        // `w = Wrapper(f)`: the wrapper now owns it.
        matches!(value, Expr::Call(call)
            if call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)).any(|a| self.is_key(a))
                && self.classify.call(call, &self.keys) == CallKind::Escape)
            || (to_name && self.bare_in_container(value))
    }

    /// A bare mention of the resource in `value`, outside any call.
    fn stored_in(&self, value: &Expr) -> bool {
        match value {
            _ if self.is_key(value) => true,
            Expr::Call(_) | Expr::Attribute(_) => false,
            Expr::Tuple(t) => t.elts.iter().any(|e| self.stored_in(e)),
            Expr::List(l) => l.elts.iter().any(|e| self.stored_in(e)),
            Expr::Set(s) => s.elts.iter().any(|e| self.stored_in(e)),
            Expr::Dict(d) => d.items.iter().any(|i| self.stored_in(&i.value)),
            Expr::If(i) => self.stored_in(&i.body) || self.stored_in(&i.orelse),
            _ => false,
        }
    }

    fn bare_in_container(&self, value: &Expr) -> bool {
        match value {
            Expr::Tuple(_) | Expr::List(_) | Expr::Set(_) | Expr::Dict(_) => self.stored_in(value),
            _ => false,
        }
    }

    /// `path = tmp.name` or `g = f`: the new name denotes the resource too.
    fn add_aliases(&mut self, targets: &[Expr], value: &Expr) {
        if !self.is_key(value) {
            return;
        }
        for target in targets {
            if let Expr::Name(name) = target {
                let name = name.id.to_string();
                if !self.keys.contains(&name) {
                    self.keys.push(name);
                }
            }
        }
    }

    /// Whether assigning to `target` rebinds a name of the resource.
    fn rebinds(&self, target: &Expr) -> bool {
        match target {
            Expr::Name(_) => self.is_key(target),
            Expr::Tuple(t) => t.elts.iter().any(|e| self.rebinds(e)),
            Expr::List(l) => l.elts.iter().any(|e| self.rebinds(e)),
            _ => false,
        }
    }

    /// Whether `expr` is one of the resource's names (`fd`, `tmp.name`).
    fn is_key(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Name(_) | Expr::Attribute(_) => {
                let text: String = self.text[expr.range()].chars().filter(|c| !c.is_whitespace()).collect();
                self.keys.contains(&text)
            }
            _ => false,
        }
    }

    /// `tf` when the resource is `tf.name`: a test of the object is a test
    /// of whether the path was made.
    fn is_key_root(&self, expr: &Expr) -> bool {
        let Expr::Name(name) = expr else { return false };
        let prefix = format!("{}.", name.id);
        self.keys.iter().any(|k| k.starts_with(&prefix))
    }

    fn mentions(&self, expr: &Expr) -> bool {
        crate::rules::races::expr_search::any_expr(expr, |e: &Expr| self.is_key(e))
    }

    fn stmt_mentions(&self, stmt: &Stmt) -> bool {
        crate::rules::races::expr_search::any_in_body(std::slice::from_ref(stmt), |e: &Expr| self.is_key(e))
    }
}

/// `with excutils.save_and_reraise_exception():`.
fn is_reraise(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    crate::python::names::dotted(&call.func).is_some_and(|n| n.ends_with("save_and_reraise_exception"))
}

/// Handlers for the failures worth reporting: `except:`, `except
/// Exception:`, and the I/O errors (`OSError` and its old aliases). A
/// narrower handler (`KeyError`, `FileExistsError`) lets them through.
fn catches_everything(handler: &ruff_python_ast::ExceptHandler) -> bool {
    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
    let catches = |e: &Expr| {
        crate::python::names::dotted(e).is_some_and(|n| {
            let last = last_segment(&n);
            matches!(
                last,
                "Exception" | "BaseException" | "OSError" | "IOError" | "EnvironmentError"
            )
        })
    };
    match h.type_.as_deref() {
        None => true,
        Some(Expr::Tuple(t)) => t.elts.iter().any(catches),
        Some(other) => catches(other),
    }
}

enum Event<'a> {
    Call(&'a ExprCall),
    /// The resource is handed to a lambda or yielded.
    Takes,
    /// A `yield` while the resource may be held.
    Suspends(TextRange),
    /// An attribute of the resource is read (`resp.body`).
    Reads(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Releases with `close(x)`/`x.close()`; `log(...)` is harmless; every
    /// other call may raise.
    struct Closes;

    impl Classify for Closes {
        fn call(&self, call: &ExprCall, _keys: &[String]) -> CallKind {
            let callee = crate::python::names::dotted(&call.func).unwrap_or_default();
            if callee == "close" || callee.ends_with(".close") {
                CallKind::Release
            } else if callee == "log" {
                CallKind::Harmless
            } else if callee == "own" {
                CallKind::Escape
            } else {
                CallKind::MayRaise
            }
        }
    }

    /// The leak of `x = acquire()` in the first function of `src`, as
    /// (kind, line).
    fn leak(src: &str) -> Option<(LeakKind, usize)> {
        let module = ruff_python_parser::parse_module(src).unwrap().into_syntax();
        let Stmt::FunctionDef(func) = &module.body[0] else {
            panic!("a function")
        };
        let acquire = find_acquire(&func.body).expect("an `x = acquire()`");
        let resource = Resource {
            acquire,
            keys: vec!["x".to_string()],
        };
        first_leak(src, &func.body, resource, &Closes)
            .map(|l| (l.kind, src[..l.at.start().to_usize()].matches('\n').count() + 1))
    }

    fn find_acquire(body: &[Stmt]) -> Option<&Stmt> {
        for stmt in body {
            if let Stmt::Assign(a) = stmt
                && matches!(&*a.value, Expr::Call(c) if crate::python::names::dotted(&c.func).as_deref() == Some("acquire"))
            {
                return Some(stmt);
            }
            let nested: Vec<&[Stmt]> = match stmt {
                Stmt::Try(t) => vec![&t.body, &t.finalbody],
                Stmt::If(i) => vec![&i.body],
                Stmt::For(f) => vec![&f.body],
                Stmt::With(w) => vec![&w.body],
                _ => vec![],
            };
            if let Some(found) = nested.into_iter().find_map(find_acquire) {
                return Some(found);
            }
        }
        None
    }

    #[test]
    fn closed_on_the_only_path() {
        assert_eq!(leak("def f():\n    x = acquire()\n    x.close()\n"), None);
        assert_eq!(leak("def f():\n    x = acquire()\n    log(x)\n    close(x)\n"), None);
    }

    #[test]
    fn never_closed() {
        assert_eq!(
            leak("def f():\n    x = acquire()\n    log(x)\n"),
            Some((LeakKind::FallsOff, 3))
        );
    }

    #[test]
    fn call_between_acquire_and_close_may_raise() {
        assert_eq!(
            leak("def f():\n    x = acquire()\n    use(x)\n    x.close()\n"),
            Some((LeakKind::Raises, 3))
        );
    }

    #[test]
    fn try_finally_closes_on_every_path() {
        let src = "def f():\n    x = acquire()\n    try:\n        use(x)\n        return 1\n    finally:\n        x.close()\n";
        assert_eq!(leak(src), None);
    }

    #[test]
    fn guarded_close_in_finally() {
        let src = "def f():\n    x = None\n    try:\n        x = acquire()\n        use(x)\n    finally:\n        if x is not None:\n            close(x)\n";
        assert_eq!(leak(src), None);
    }

    #[test]
    fn early_return_skips_the_close() {
        let src = "def f(a):\n    x = acquire()\n    if a:\n        return None\n    x.close()\n";
        assert_eq!(leak(src), Some((LeakKind::Returns, 4)));
    }

    #[test]
    fn returning_or_storing_hands_it_over() {
        assert_eq!(leak("def f():\n    x = acquire()\n    return x\n"), None);
        assert_eq!(leak("def f(self):\n    x = acquire()\n    self.x = x\n"), None);
        assert_eq!(leak("def f():\n    x = acquire()\n    own(x)\n    use()\n"), None);
        assert_eq!(leak("def f():\n    x = acquire()\n    return (x, 1)\n"), None);
    }

    #[test]
    fn a_handler_that_releases() {
        let src = "def f():\n    x = acquire()\n    try:\n        use(x)\n    except Exception:\n        x.close()\n        raise\n    x.close()\n";
        assert_eq!(leak(src), None);
        // A narrow handler lets other exceptions through.
        let src = "def f():\n    x = acquire()\n    try:\n        use(x)\n    except KeyError:\n        x.close()\n        raise\n    x.close()\n";
        assert_eq!(leak(src), Some((LeakKind::Raises, 4)));
    }

    #[test]
    fn with_owns_the_resource() {
        let src = "def f():\n    x = acquire()\n    with x:\n        use(x)\n";
        assert_eq!(leak(src), None);
    }

    #[test]
    fn loops_and_breaks() {
        let src =
            "def f(items):\n    x = acquire()\n    for i in items:\n        if i:\n            break\n    x.close()\n";
        assert_eq!(leak(src), None);
        let src = "def f(items):\n    for i in items:\n        x = acquire()\n        if i:\n            continue\n        x.close()\n";
        assert_eq!(leak(src), Some((LeakKind::FallsOff, 2)));
    }
}
