//! R302 image-inspection-without-limits: `qemu-img info` (or `check`,
//! `measure`, `map`) run on an image with no `prlimit`.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::python::literal::str_value;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R302",
    name: "image-inspection-without-limits",
    bandit: None,
    bandit_name: None,
    family: Family::DenialOfService,
    cwe: 770,
    severity: Level::Medium,
    confidence: Level::High,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags commands that run `qemu-img info`, `check`, `measure` or `map` (through \
               `processutils.execute`, `utils.execute`, `trycmd`, a driver's `_execute` or `subprocess`) with \
               no `prlimit=` argument and no `prlimit` wrapper in the command, including commands built in a \
               local list and passed as `*cmd`.",
        why: "These commands parse the image's headers, and the image is whatever a user uploaded to Glance or \
              wrote into a volume. A crafted qcow2 or VMDK header makes `qemu-img` allocate gigabytes or spin \
              for minutes (Launchpad bug 1449062, CVE-2015-5162): without an address-space and CPU-time limit every \
              compute or volume host that inspects the image can be driven out of memory.",
        example: "out, err = processutils.execute('qemu-img', 'info', '--output=json', path)",
        use_instead: "QEMU_IMG_LIMITS = processutils.ProcessLimits(cpu_time=30, address_space=1 * units.Gi)\nout, err = processutils.execute('qemu-img', 'info', '--output=json', path,\n                                prlimit=QEMU_IMG_LIMITS)",
        fix: "Pass `prlimit=processutils.ProcessLimits(cpu_time=..., address_space=...)` to the call that runs `qemu-img`.",
        references: &[
            "https://bugs.launchpad.net/nova/+bug/1449062",
            "https://docs.openstack.org/oslo.concurrency/latest/reference/processutils.html",
        ],
    },
};

/// `qemu-img` subcommands that parse an untrusted image's metadata.
const INSPECTIONS: &[&str] = &["check", "compare", "info", "map", "measure"];
/// Last segments of the functions that run a command.
const RUNNERS: &[&str] = &[
    "_execute",
    "call",
    "check_call",
    "check_output",
    "execute",
    "Popen",
    "run",
    "trycmd",
];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let short = match &*site.call.func {
        Expr::Attribute(attr) => attr.attr.as_str(),
        Expr::Name(name) => name.id.as_str(),
        _ => return,
    };
    if !RUNNERS.contains(&short) && !RUNNERS.contains(&site.name()) {
        return;
    }
    // `prlimit=` (oslo.concurrency) or keyword arguments we cannot see.
    let keywords = &site.call.arguments.keywords;
    if keywords.iter().any(|k| {
        k.arg.is_none()
            || k.arg
                .as_ref()
                .is_some_and(|a| a.as_str() == "prlimit" || a.as_str() == "preexec_fn")
    }) {
        return;
    }
    let mut words: Vec<String> = Vec::new();
    let mut built_at: Option<&Stmt> = None;
    for arg in &site.call.arguments.args {
        match arg {
            Expr::Starred(star) => {
                if let Expr::Name(name) = &*star.value
                    && let Some(stmt) = list_words(cx, name.id.as_str(), site.call.start(), &mut words)
                {
                    built_at.get_or_insert(stmt);
                }
                collect_words(&star.value, &mut words);
            }
            other => collect_words(other, &mut words),
        }
    }
    let Some(qemu) = words.iter().position(|w| w == "qemu-img" || w.ends_with("/qemu-img")) else {
        return;
    };
    let Some(sub) = words[qemu + 1..].iter().find(|w| !w.starts_with('-')) else {
        return;
    };
    if !INSPECTIONS.contains(&sub.as_str()) || words.iter().any(|w| w == "prlimit" || w.ends_with("/prlimit")) {
        return;
    }
    let callee = cx.snippet(&*site.call.func);
    let mut diag = Diagnostic::new(
        &RULE,
        site.call.range(),
        format!("`qemu-img {sub}` runs through `{callee}` with no memory or CPU limit"),
    )
    .detail(format!(
        "`qemu-img {sub}` parses the image's metadata; a crafted image makes it exhaust memory or CPU on this host."
    ))
    .fix(format!(
        "Pass `prlimit=processutils.ProcessLimits(cpu_time=..., address_space=...)` to `{callee}`."
    ));
    if let Some(stmt) = built_at {
        diag = diag
            .step(stmt.range(), format!("the `qemu-img {sub}` command is built here"))
            .step(site.call.range(), format!("and run by `{callee}` without `prlimit=`"));
    }
    out.push(diag);
}

/// The string literals in an argument (a literal, or a list or tuple of them).
fn collect_words(expr: &Expr, words: &mut Vec<String>) {
    match expr {
        Expr::List(l) => l.elts.iter().for_each(|e| collect_words(e, words)),
        Expr::Tuple(t) => t.elts.iter().for_each(|e| collect_words(e, words)),
        Expr::BinOp(b) => {
            collect_words(&b.left, words);
            collect_words(&b.right, words);
        }
        other => {
            if let Some(s) = str_value(other) {
                words.extend(s.split_whitespace().map(str::to_string));
            }
        }
    }
}

/// The words of a command list bound to `name` in the enclosing function
/// before `before` (`cmd = ['qemu-img', 'info', ...]`, then `cmd += [...]`):
/// returns the statement that first built it.
fn list_words<'a>(cx: &Context<'a>, name: &str, before: TextSize, words: &mut Vec<String>) -> Option<&'a Stmt> {
    let function = cx.enclosing_function()?;
    let mut first = None;
    visit(&function.body, before, &mut |stmt| match stmt {
        Stmt::Assign(assign)
            if assign
                .targets
                .iter()
                .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)) =>
        {
            let before_len = words.len();
            collect_words(&assign.value, words);
            if words.len() > before_len && first.is_none() {
                first = Some(stmt);
            }
        }
        Stmt::AugAssign(aug) if matches!(&*aug.target, Expr::Name(n) if n.id.as_str() == name) => {
            collect_words(&aug.value, words);
        }
        _ => {}
    });
    first
}

/// Calls `f` on every statement before `before`, in source order, entering
/// compound statements but not nested functions or classes.
fn visit<'a>(body: &'a [Stmt], before: TextSize, f: &mut dyn FnMut(&'a Stmt)) {
    for stmt in body {
        if stmt.start() >= before {
            return;
        }
        f(stmt);
        match stmt {
            Stmt::If(s) => {
                visit(&s.body, before, f);
                for clause in &s.elif_else_clauses {
                    visit(&clause.body, before, f);
                }
            }
            Stmt::With(s) => visit(&s.body, before, f),
            Stmt::For(s) => visit(&s.body, before, f),
            Stmt::While(s) => visit(&s.body, before, f),
            Stmt::Try(s) => {
                visit(&s.body, before, f);
                visit(&s.orelse, before, f);
                visit(&s.finalbody, before, f);
            }
            _ => {}
        }
    }
}
