//! S607 start-process-with-partial-path (Bandit B607).

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::process_functions::launcher;
use super::spawn;
use crate::rules::{CallSite, Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S607",
    name: "start-process-with-partial-path",
    bandit: Some("B607"),
    bandit_name: Some("start_process_with_partial_path"),
    family: Family::Injection,
    cwe: 78,
    severity: Level::Low,
    confidence: Level::High,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags process-starting calls (the `subprocess`, `os.system`/`os.popen` and `os.exec*`/`os.spawn*` \
               families) whose program is a literal that is not an absolute path, such as `'qemu-img'` or \
               `['ls', '-l']`.",
        why: "A bare program name is looked up in `PATH` when the call runs. Whoever can change `PATH` or write \
              to a directory early in it (a virtualenv `bin/`, the current directory, a writable `/usr/local/bin`) \
              chooses the binary that runs with the service's privileges. Commands run as root through rootwrap \
              (`exec_dirs`) or a privsep daemon started by sudo (`secure_path`) are resolved in trusted \
              directories; a call made in the service process itself is not.",
        example: "subprocess.check_output(['qemu-img', 'info', path])",
        use_instead: "subprocess.check_output(['/usr/bin/qemu-img', 'info', path])",
        fix: "Name the program by its absolute path, or make sure the service's `PATH` holds only root-owned directories.",
        references: &["https://docs.python.org/3/library/subprocess.html#popen-constructor"],
    },
};

/// Bandit's `full_path_match`: a drive letter (`C:`) or a leading `/`, `\`
/// or `.` makes a path that does not depend on `PATH`.
fn is_full_path(path: &str) -> bool {
    let mut chars = path.chars();
    match (chars.next(), chars.next()) {
        (Some('/' | '\\' | '.'), _) => true,
        (Some(c), Some(':')) => c.is_ascii_alphabetic(),
        _ => false,
    }
}

pub fn check(_cx: &Context, site: &CallSite, out: &mut Vec<Diagnostic>) {
    let Some(launcher) = launcher(&site.qualname) else {
        return;
    };
    let Some(mut program) = spawn::command_of(site, launcher) else {
        return;
    };
    // Some calls take an argument list: its first element is the program.
    if let Expr::List(list) = program
        && let Some(first) = list.elts.first()
    {
        program = first;
    }
    let Expr::StringLiteral(literal) = program else {
        return;
    };
    let path = literal.value.to_str();
    if is_full_path(path) {
        return;
    }
    let executable = path.split_whitespace().next().unwrap_or("");
    let message = if executable.is_empty() {
        format!("`{}` is given an empty program name", site.qualname)
    } else {
        format!(
            "`{}` runs `{executable}` from whatever directory of `PATH` has it first",
            site.qualname
        )
    };
    let mut diag = Diagnostic::new(&RULE, site.call.range(), message);
    if !executable.is_empty() && !executable.contains(['/', '\\']) {
        diag = diag.fix(format!(
            "Name `{executable}` by its absolute path, e.g. `/usr/bin/{executable}`."
        ));
    }
    out.push(diag);
}

#[cfg(test)]
mod tests {
    use super::is_full_path;

    #[test]
    fn full_paths() {
        for path in ["/bin/ls", "./ls", "../ls", "\\x", "c:\\x", "C:/x"] {
            assert!(is_full_path(path), "{path}");
        }
        for path in ["ls", "gcc --version", "", "c", "1:x", "é:x"] {
            assert!(!is_full_path(path), "{path}");
        }
    }
}
