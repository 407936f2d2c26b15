//! S609 unix-command-wildcard-injection (Bandit B609).

use ruff_python_ast::{Expr, Number};

use super::process_functions::{Launcher, launcher};
use super::spawn;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S609",
    name: "unix-command-wildcard-injection",
    bandit: Some("B609"),
    bandit_name: Some("linux_commands_wildcard_injection"),
    family: Family::Injection,
    cwe: 155,
    severity: Level::High,
    confidence: Level::Medium,
    status: Status::Stable,
    since: "0.1.0",
    docs: Docs {
        what: "Flags shell commands (through `os.system`, `os.popen` and the like, or `subprocess` with \
               `shell=True`) that run `chown`, `chmod`, `tar` or `rsync` with a `*` wildcard.",
        why: "The shell expands `*` into the names of the files in the directory, and these programs read a \
              file name that starts with `-` as an option. Anyone who can create files there (a tenant's \
              upload, an instance's console log directory) adds one named `--reference=mine` so that `chown` \
              or `chmod` give every file the owner or mode of the attacker's file `mine`, or the pair \
              `--checkpoint=1` and `--checkpoint-action=exec=sh x.sh` so that `tar` runs `x.sh`, with the \
              service's privileges.",
        example: "os.system('chmod 640 %s/*' % instance_dir)",
        use_instead: "for name in os.listdir(instance_dir):\n    os.chmod(os.path.join(instance_dir, name), 0o640)",
        fix: "List the files in Python (`os.listdir`, `glob.glob`) and act on them with `os.chmod`/`os.chown`, or pass them after `--` in an argument list without a shell.",
        references: &[
            "https://www.defensecode.com/public/DefenseCode_Unix_WildCards_Gone_Wild.txt",
            "https://security.openstack.org/guidelines/dg_use-subprocess-securely.html",
        ],
    },
};

/// The programs that read an expanded file name as an option. Bandit tests
/// them as substrings of the command, in this order.
const WILDCARD_SENSITIVE: &[&str] = &["chown", "chmod", "tar", "rsync"];

pub fn check(cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let Some(launcher) = launcher(&site.qualname) else {
        return;
    };
    let through_shell = match launcher {
        Launcher::Shell => true,
        Launcher::Subprocess => spawn::shell_is_literal_true(site.call),
        Launcher::NoShell => false,
    };
    if !through_shell {
        return;
    }
    let Some(command) = spawn::command_of(site, launcher) else {
        return;
    };
    let Some(text) = command_text(command) else {
        return;
    };
    if !text.contains('*') {
        return;
    }
    let Some(program) = WILDCARD_SENSITIVE.iter().find(|p| text.contains(*p)) else {
        return;
    };
    let message = format!(
        "`{}` passes a shell-expanded `*` to `{program}`: `{}`",
        site.qualname,
        cx.snippet(command)
    );
    out.push(Diagnostic::new(&RULE, spawn::report_range(cx, site.call), message));
}

/// The command as Bandit's `get_call_arg_at_position` renders it: a string
/// as is, a list as ` elem elem...`, an attribute by its name, a name by its
/// identifier; `None` for anything else.
fn command_text(command: &Expr) -> Option<String> {
    match command {
        Expr::Attribute(attr) => Some(attr.attr.to_string()),
        Expr::List(list) => Some(
            list.elts
                .iter()
                .map(|e| format!(" {}", element_text(e, false)))
                .collect(),
        ),
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        Expr::Name(name) => Some(name.id.to_string()),
        Expr::BooleanLiteral(b) => Some(if b.value { "True" } else { "False" }.to_string()),
        Expr::NoneLiteral(_) => Some("None".to_string()),
        _ => None,
    }
}

/// An element of a list command, as Python's `f" {value}"` shows the literal
/// value (`repr` inside containers). Close enough to find a program name and
/// a `*`, which is all it is used for.
fn element_text(expr: &Expr, nested: bool) -> String {
    let items = |elts: &[Expr]| {
        elts.iter()
            .map(|e| element_text(e, true))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match expr {
        Expr::StringLiteral(s) if nested => format!("'{}'", s.value.to_str()),
        Expr::StringLiteral(s) => s.value.to_str().to_string(),
        Expr::BytesLiteral(b) => format!("b'{}'", String::from_utf8_lossy(&b.value.bytes().collect::<Vec<u8>>())),
        Expr::Name(name) => name.id.to_string(),
        Expr::BooleanLiteral(b) => if b.value { "True" } else { "False" }.to_string(),
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.to_string(),
            Number::Float(f) => f.to_string(),
            Number::Complex { real, imag } => format!("({real}+{imag}j)"),
        },
        Expr::EllipsisLiteral(_) => "Ellipsis".to_string(),
        Expr::List(l) => format!("[{}]", items(&l.elts)),
        Expr::Tuple(t) => format!("({})", items(&t.elts)),
        Expr::Set(s) => format!("{{{}}}", items(&s.elts)),
        _ => "None".to_string(),
    }
}
