//! R505 predictable-temp-path: a file or directory created at a fixed or
//! guessable name in the shared temporary directory.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::function_calls::Body;
use crate::python::literal::str_value;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R505",
    name: "predictable-temp-path",
    bandit: None,
    bandit_name: None,
    family: Family::Permissions,
    cwe: 377,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a file or directory created (`open` for writing, `os.open` with `O_CREAT`, `os.makedirs`, \
               `shutil.copy`, `touch`/`mkdir`/`cp` commands) at a path made of the shared temporary directory \
               (`tempfile.gettempdir()`, `tempfile.tempdir`, or a `/tmp/`, `/var/tmp/`, `/dev/shm/` literal) \
               and a name with no random part (a constant, a PID, a time, a resource name). Names containing \
               `uuid4()`, `uuidutils.generate_uuid()` or `secrets` are random enough.",
        why: "Every local user can create files in `/tmp`. One who guesses the name first plants a symlink \
              there, and the service (often root) writes through it to any file on the host, or plants a file \
              that the service then trusts or fails on: with `O_EXCL` the symlink is refused, but the service \
              still believes someone else created the file (CWE-377).",
        example: "path = os.path.join(tempfile.gettempdir(), 'neutron-%s' % os.getppid())\nwith open(path, 'w') as f:\n    f.write(content)",
        use_instead: "fd, path = tempfile.mkstemp(prefix='neutron-')\nwith os.fdopen(fd, 'w') as f:\n    f.write(content)",
        fix: "Keep the file in a directory only the service can write (its `state_path`, or oslo.concurrency's \
              `lock_path`), under the same name when other processes must find it; otherwise let \
              `tempfile.mkstemp()`/`mkdtemp()` choose a random name.",
        references: &["https://security.openstack.org/guidelines/dg_using-temporary-files-securely.html"],
    },
};

pub fn check(cx: &Context, body: &Body, out: &mut Vec<Diagnostic>) {
    let names = &body.names;
    for creation in &body.creations {
        let call = creation.call;
        // The path as built: through the local name it was bound to, if any.
        let built = match creation.path {
            Expr::Name(n) => names.value_of(n.id.as_str()).unwrap_or(creation.path),
            other => other,
        };
        let Some(root) = temp_root(cx, built) else { continue };
        if is_random(cx, built) || is_only_the_root(built, root) {
            continue;
        }
        let path = cx.snippet(creation.path);
        let severity = if creation.exclusive { Level::Low } else { Level::Medium };
        let mut diag = Diagnostic::new(
            &RULE,
            call.range(),
            format!(
                "`{}` creates `{path}` at a guessable name in the shared temporary directory",
                cx.snippet(call)
            ),
        )
        .severity(severity)
        .fix(format!(
            "Create `{path}` in a directory only the service can write (its `state_path`, or oslo.concurrency's \
             `lock_path`) under the same name, so that every process that shares it still finds it; if no other \
             process needs the name, let `tempfile.mkstemp()`/`mkdtemp()` choose a random one."
        ));
        if !std::ptr::eq(built, creation.path) {
            diag = diag.step(built.range(), format!("`{path}` is built from `{}`", cx.snippet(root)));
        }
        diag = diag.step(call.range(), format!("`{}` creates it", cx.snippet(call)));
        out.push(diag);
    }
}

/// The part of a path expression that names the shared temporary directory.
fn temp_root<'a>(cx: &Context, expr: &'a Expr) -> Option<&'a Expr> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Find<'a, 'c, 'x> {
        cx: &'c Context<'x>,
        found: Option<&'a Expr>,
    }
    impl<'a> Visitor<'a> for Find<'a, '_, '_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if self.found.is_some() {
                return;
            }
            let cx = self.cx;
            let is_root = match e {
                Expr::Call(c) => cx.qualified_name(&c.func).is_some_and(|n| n == "tempfile.gettempdir"),
                Expr::Attribute(_) => cx.qualified_name(e).is_some_and(|n| n == "tempfile.tempdir"),
                Expr::StringLiteral(_) => str_value(e).is_some_and(|s| {
                    TEMP_DIRS
                        .iter()
                        .any(|d| s == *d || s.strip_prefix(d).is_some_and(|rest| rest.starts_with('/')))
                }),
                Expr::FString(_) => TEMP_DIRS.iter().any(|d| cx.source(e).contains(&format!("{d}/"))),
                _ => false,
            };
            if is_root {
                self.found = Some(e);
            } else {
                visitor::walk_expr(self, e);
            }
        }
    }
    let mut find = Find { cx, found: None };
    find.visit_expr(expr);
    find.found
}

/// Directories every local user can create files in.
const TEMP_DIRS: &[&str] = &["/dev/shm", "/tmp", "/var/tmp"];

/// Whether the path is the temporary directory itself (possibly as one
/// alternative: `CONF.conversion_dir or tempfile.gettempdir()`), not a name
/// in it.
fn is_only_the_root(built: &Expr, root: &Expr) -> bool {
    match built {
        Expr::BoolOp(b) => b.values.iter().any(|v| is_only_the_root(v, root)),
        Expr::If(i) => is_only_the_root(&i.body, root) || is_only_the_root(&i.orelse, root),
        // `'/tmp/cinder-lock'` is a name in the directory; `'/tmp'` is not.
        other => {
            std::ptr::eq(other, root)
                && !matches!(other, Expr::StringLiteral(_) | Expr::FString(_) if !TEMP_DIRS.contains(&&*literal_text(other)))
        }
    }
}

/// The value of a string literal, or nothing for an f-string (which always
/// names something in the directory when it is a root).
fn literal_text(expr: &Expr) -> String {
    str_value(expr).map(|s| s.into_owned()).unwrap_or_default()
}

/// Whether the name has a random part.
fn is_random(cx: &Context, expr: &Expr) -> bool {
    crate::rules::races::expr_search::any_expr(expr, |e: &Expr| match e {
        Expr::Call(c) => cx.qualified_name(&c.func).is_some_and(|n| {
            n == "uuid.uuid4"
                || n.ends_with("generate_uuid")
                || n.starts_with("secrets.")
                || n.starts_with("random.")
                || n.starts_with("tempfile.mk")
                || n == "os.urandom"
        }),
        _ => false,
    })
}
