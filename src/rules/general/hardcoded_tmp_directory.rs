//! S108 hardcoded-tmp-directory (Bandit B108).

use ruff_python_ast::Expr;

use super::string_constants::{shown, string_constants};
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "S108",
    name: "hardcoded-tmp-directory",
    bandit: Some("B108"),
    bandit_name: Some("hardcoded_tmp_directory"),
    family: Family::General,
    cwe: 377,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags strings that start with a shared temporary directory (`/tmp`, `/var/tmp`, `/dev/shm`): \
               a fixed path there is a predictable name in a world-writable directory.",
        why: "Any local user can create `/tmp/<name>` first, as a symlink to a file the service owns (an \
              instance disk, `/etc/nova/nova.conf`) or as a file they control. When the service then opens, \
              writes or `chmod`s the path it follows the symlink or reads the attacker's content; running \
              as root through rootwrap or privsep turns that into a root file overwrite.",
        example: "def dump_console(instance, data):\n    with open('/tmp/console-%s.log' % instance.uuid, 'w') as f:\n        f.write(data)",
        use_instead: "def dump_console(instance, data):\n    fd, path = tempfile.mkstemp(prefix='console-', suffix='.log')\n    with os.fdopen(fd, 'w') as f:\n        f.write(data)",
        fix: "Create the file or directory with `tempfile.mkstemp()`, `tempfile.NamedTemporaryFile()` or \
              `tempfile.TemporaryDirectory()` (or `fixtures.TempDir()` in tests) instead of a fixed path.",
        references: &[
            "https://security.openstack.org/guidelines/dg_using-temporary-files-securely.html",
            "https://docs.python.org/3/library/tempfile.html",
        ],
    },
};

/// Bandit's default `tmp_dirs`; a string starting with one of these is
/// reported (as a prefix: `/tmpfiles` counts, like in Bandit).
///
/// Unlike Bandit, only the start of an f-string counts: Bandit also reports
/// `f"{CONF.state_path}/tmp/x"`, whose text after the field is a constant of
/// its own in Python's AST but is no path under `/tmp`.
const TMP_DIRS: &[&str] = &["/dev/shm", "/tmp", "/var/tmp"];

pub fn check(cx: &Context, expr: &Expr, out: &mut Vec<Diagnostic>) {
    for constant in string_constants(cx, expr) {
        if !constant.leading {
            continue;
        }
        let Some(dir) = TMP_DIRS.iter().find(|dir| constant.value.starts_with(**dir)) else {
            continue;
        };
        out.push(Diagnostic::new(
            &RULE,
            constant.range,
            format!(
                "`{}` names a predictable path in the shared `{dir}` directory",
                shown(cx, expr, &constant)
            ),
        ));
    }
}
