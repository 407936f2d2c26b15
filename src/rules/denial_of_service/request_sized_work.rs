//! R307 request-sized-work: a count, size or delay taken from the request
//! drives a loop, an allocation or a sleep with no upper bound.

use ruff_python_ast::{Expr, Operator};
use ruff_text_size::Ranged;

use crate::rules::validation::handlers::Handler;
use crate::rules::validation::request_data::{Origin, Scan};
use crate::rules::validation::{HandlerCheck, OnExpr};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R307",
    name: "request-sized-work",
    bandit: None,
    bandit_name: None,
    family: Family::DenialOfService,
    cwe: 770,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags, in API handlers, a number from the request (query string, header, unvalidated body or \
               URL) used as the size of `range()`, `os.urandom()`, `itertools.repeat()`, a sequence \
               repetition (`'x' * n`) or the delay of `time.sleep()`/`eventlet.sleep()`, when the handler \
               never compares it with a limit.",
        why: "The client picks the number. `?count=10**9` makes the API worker loop or allocate until it \
              runs out of memory or time, and a sleep of an hour parks a worker (or a greenthread holding a \
              database connection): a handful of such requests takes the API down for everyone.",
        example: "def create(self, req, body):\n    count = int(body['count'])\n    names = [self._name(i) for i in range(count)]",
        use_instead: "@validation.schema(schema.create)  # 'count': {'type': 'integer', 'minimum': 1, 'maximum': 100}\ndef create(self, req, body):\n    names = [self._name(i) for i in range(body['count'])]",
        fix: "Bound the number before using it (a schema `maximum`, `min(n, CONF.api.max_limit)`, or a check that raises `HTTPBadRequest`).",
        references: &["https://cwe.mitre.org/data/definitions/400.html"],
    },
};

/// Calls whose argument at the given position is a count or a size.
const SIZED_CALLS: &[(&str, usize)] = &[
    ("eventlet.greenthread.sleep", 0),
    ("eventlet.sleep", 0),
    ("itertools.repeat", 1),
    ("os.urandom", 0),
    ("range", 0),
    ("range", 1),
    ("secrets.token_bytes", 0),
    ("secrets.token_hex", 0),
    ("time.sleep", 0),
];

/// The rule's part of the walk of an API handler (`validation::handler_pass`).
pub fn start<'a, 'h>(cx: &'h Context<'a>, handler: &'h Handler<'a>) -> Option<Box<dyn HandlerCheck<'a> + 'h>> {
    let def = handler.def;
    Some(Box::new(OnExpr(
        move |s: &Scan<'a, '_>, expr: &'a Expr, out: &mut Vec<Diagnostic>| {
            let (sink, size) = match expr {
                Expr::Call(call) => {
                    let Some(name) = cx.qualified_name(&call.func) else {
                        return;
                    };
                    let Some(size) = SIZED_CALLS
                        .iter()
                        .filter(|(n, _)| *n == name)
                        .find_map(|(_, i)| call.arguments.args.get(*i).filter(|a| unbounded(s, a).is_some()))
                    else {
                        return;
                    };
                    (name, size)
                }
                Expr::BinOp(op) if op.op == Operator::Mult => {
                    let size = if is_sequence_literal(&op.left) {
                        &*op.right
                    } else if is_sequence_literal(&op.right) {
                        &*op.left
                    } else {
                        return;
                    };
                    if unbounded(s, size).is_none() {
                        return;
                    }
                    ("sequence repetition".to_string(), size)
                }
                _ => return,
            };
            let Some(origin) = unbounded(s, size) else { return };
            let what = if sink.ends_with("sleep") { "delay" } else { "size" };
            out.push(
            Diagnostic::new(
                &RULE,
                expr.range(),
                format!(
                    "`{}` takes its {what} from {} with no upper bound",
                    cx.snippet(expr),
                    origin.describe()
                ),
            )
            .detail(format!(
                "`{}` is chosen by the client and `{}` never compares it with a limit.",
                cx.snippet(size),
                def.name.as_str()
            ))
            .fix(format!(
                "Bound `{}` before this line (a schema `maximum`, or `if n > LIMIT: raise webob.exc.HTTPBadRequest(...)`).",
                cx.snippet(size)
            )),
        );
        },
    )))
}

/// The origin of `size` if it comes from the request and nothing bounds it.
fn unbounded(s: &Scan, size: &Expr) -> Option<Origin> {
    let origin = match s.origin(size)? {
        Origin::Query if s.handler.query_schema => return None,
        Origin::Body if s.handler.body_schema || s.handler.deserialized => return None,
        Origin::Stream => return None,
        o => o,
    };
    if s.is_bounded(size) || s.is_validated(size) {
        return None;
    }
    Some(origin)
}

/// A literal string, bytes, list or tuple: `'x' * n` and `[0] * n` allocate.
fn is_sequence_literal(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::List(_) | Expr::Tuple(_)
    )
}
