//! R301 unbounded-read-of-request-stream: `req.body_file.read()` or
//! `environ['wsgi.input'].read()` with no size.
//!
//! Responses of URLs the service opens itself (`urlopen(url).read()`) are
//! left out: on cinder's 2016 tree all four such reads were of a configured
//! storage backend's REST API, not of data a user controls; a user-supplied
//! URL read without a bound is the dataflow rules' business.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::bindings::find_bindings;
use crate::python::literal::{int_value, str_value};
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R301",
    name: "unbounded-read-of-request-stream",
    bandit: None,
    bandit_name: None,
    family: Family::DenialOfService,
    cwe: 770,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags reads with no size limit (`.read()`, `.read(-1)`, `.readlines()`, `json.load(...)`) of a \
               request's input stream (`req.body_file`, `req.body_file_raw`, `req.stream`, \
               `environ['wsgi.input']`, `self.rfile`), directly or through a local name bound to it. Off by \
               default: modern neutron, cinder and glance read no request stream without a bound, and on the \
               history of cinder, glance, neutron and Swift 1 of 3 distinct findings was reachable by a \
               client (precision 33%): the others were Swift's account and container servers reading \
               replication bodies from other Swift services.",
        why: "The client decides how many bytes come. A read with no size \
              buffers all of them in the worker's memory: one request with a multi-gigabyte body, or a \
              chunked body that never ends (no `Content-Length`, so oslo.middleware's sizelimit cannot \
              reject it up front), exhausts the API worker's memory and takes down every request it serves.",
        example: "def upload(self, req, id):\n    data = req.body_file.read()",
        use_instead: "def upload(self, req, id):\n    data = req.body_file.read(CONF.max_upload_size + 1)\n    if len(data) > CONF.max_upload_size:\n        raise webob.exc.HTTPRequestEntityTooLarge()",
        fix: "Read at most a configured number of bytes (`read(limit + 1)` and reject longer input), or stream the data in bounded chunks.",
        references: &[
            "https://docs.openstack.org/oslo.middleware/latest/reference/api.html#oslo_middleware.RequestBodySizeLimiter",
        ],
    },
};

/// Attributes that hold a request's input stream.
const STREAM_ATTRS: &[&str] = &["body_file", "body_file_raw", "body_file_seekable", "rfile", "stream"];
/// Functions that read a whole file object.
const WHOLE_READERS: &[&str] = &["json.load", "jsonutils.load", "pickle.load", "yaml.safe_load"];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let (stream, how) = match &*site.call.func {
        Expr::Attribute(attr) if is_unbounded_read(site, attr.attr.as_str()) => (&*attr.value, attr.attr.as_str()),
        _ if WHOLE_READERS
            .iter()
            .any(|r| crate::python::names::ends_with_segments(&site.qualname, r)) =>
        {
            match site.arg(0) {
                Some(arg) => (arg, "load"),
                None => return,
            }
        }
        _ => return,
    };
    let Some(source) = stream_source(cx, stream) else {
        return;
    };
    let call = cx.snippet(site.call);
    let mut diag = Diagnostic::new(
        &RULE,
        site.call.range(),
        format!(
            "`{call}` reads all of {} into memory with no size limit",
            source.describe(cx)
        ),
    )
    .fix(if how == "load" {
        "Read at most a configured number of bytes first (`stream.read(limit + 1)`), reject longer input, then parse."
            .to_string()
    } else {
        format!(
            "Pass a limit: `{}.read(limit + 1)`, and reject the request when more than `limit` bytes come back.",
            cx.snippet(stream)
        )
    });
    if let Source::Bound(binding) = source {
        diag = diag
            .step(
                binding.range(),
                format!("`{}` is bound to the stream here", cx.snippet(stream)),
            )
            .step(site.call.range(), "and read without a size here");
    }
    out.push(diag);
}

/// `read()`, `read(-1)`, `read(None)`, `readlines()`: no size.
fn is_unbounded_read(site: &CallSite, method: &str) -> bool {
    match method {
        "read" | "readlines" => match site.arg_or_keyword(0, if method == "read" { "size" } else { "hint" }) {
            None => true,
            Some(arg) => matches!(arg, Expr::NoneLiteral(_)) || int_value(arg).is_some_and(|v| v < 0),
        },
        _ => false,
    }
}

/// Where a stream comes from.
enum Source<'a> {
    /// The stream expression itself names the request stream.
    Direct(&'a Expr),
    /// A local name bound to it by this statement.
    Bound(&'a Stmt),
}

impl Source<'_> {
    fn describe(&self, cx: &Context) -> String {
        let expr = match self {
            Source::Direct(e) => *e,
            Source::Bound(stmt) => match stmt {
                Stmt::Assign(a) => &a.value,
                Stmt::With(w) => match w.items.first() {
                    Some(item) => &item.context_expr,
                    None => return "the stream".to_string(),
                },
                _ => return "the stream".to_string(),
            },
        };
        format!("the request stream `{}`", cx.snippet(expr))
    }
}

fn stream_source<'a>(cx: &Context<'a>, stream: &'a Expr) -> Option<Source<'a>> {
    if is_stream(stream) {
        return Some(Source::Direct(stream));
    }
    let Expr::Name(name) = stream else { return None };
    let function = cx.enclosing_function()?;
    // The last binding of the name before the read, anywhere in the
    // function (this is a local check, not dataflow: good enough for the
    // `stream = req.body_file` idiom).
    let mut found = None;
    find_bindings(&function.body, name.id.as_str(), stream.start(), &mut |stmt, value| {
        found = is_stream(value).then_some(stmt);
    });
    found.map(Source::Bound)
}

/// A request stream, written out in the expression.
fn is_stream(expr: &Expr) -> bool {
    match expr {
        Expr::Attribute(attr) => {
            let name = attr.attr.as_str();
            // `self.stream` and `self.body_file` of an arbitrary class are
            // not requests; `self.rfile` is BaseHTTPRequestHandler's input.
            let on_self = matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == "self");
            match name {
                "rfile" => on_self,
                "stream" => is_request_name(&attr.value),
                _ => STREAM_ATTRS.contains(&name) && !on_self,
            }
        }
        // `self.environ['wsgi.input']` is a request class reading its own
        // stream (swob's and WebOb's `body` property), not a handler.
        Expr::Subscript(sub) => {
            str_value(&sub.slice).is_some_and(|k| k == "wsgi.input")
                && !matches!(&*sub.value, Expr::Attribute(a) if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self"))
        }
        Expr::Call(call) => {
            // `req.environ.get('wsgi.input')`
            if let Expr::Attribute(attr) = &*call.func
                && attr.attr.as_str() == "get"
                && call
                    .arguments
                    .args
                    .first()
                    .and_then(str_value)
                    .is_some_and(|k| k == "wsgi.input")
            {
                return true;
            }
            false
        }
        _ => false,
    }
}

/// `req`, `request`, `flask.request`, `self.request`.
fn is_request_name(expr: &Expr) -> bool {
    match expr {
        Expr::Name(n) => matches!(n.id.as_str(), "req" | "request"),
        Expr::Attribute(a) => a.attr.as_str() == "request",
        _ => false,
    }
}
