//! R205 connection-not-closed: a socket or client connection bound to a
//! local name and not closed on every path.

use ruff_python_ast::Stmt;

use super::acquisitions::{diagnostic, unreleased};
use super::resources::Kind;
use crate::rules::{Context, Diagnostic, Docs, Family, Level, Rule, Status};

pub static RULE: Rule = Rule {
    id: "R205",
    name: "connection-not-closed",
    bandit: None,
    bandit_name: None,
    family: Family::Leaks,
    cwe: 775,
    severity: Level::Medium,
    confidence: Level::Medium,
    status: Status::Opt,
    since: "0.1.0",
    docs: Docs {
        what: "Flags a socket or client connection (`socket.socket`, `socket.create_connection`, \
               `http.client.HTTPConnection`, `urllib.request.urlopen`, `paramiko.SSHClient`, `sqlite3.connect`, \
               `telnetlib.Telnet`...) held in a local name that some path out of the function does not close: \
               a `return` or the end of the body, or an exception raised while it is open with no \
               `try`/`finally` around it. Returning or storing it counts as closing.",
        why: "Every leaked connection holds a descriptor, and on the other end a server slot (an SSH session on \
              a storage array, a connection to the metadata proxy). A driver that leaks one per failed call \
              exhausts the array's session limit or the host's descriptors, and the service stops (CWE-775). \
              Cinder fixed exactly this in its 3PAR and SSH pool code.",
        example: "ssh = paramiko.SSHClient()\nssh.connect(host)\nout = ssh.exec_command(cmd)\nssh.close()",
        use_instead: "ssh = paramiko.SSHClient()\ntry:\n    ssh.connect(host)\n    out = ssh.exec_command(cmd)\nfinally:\n    ssh.close()",
        fix: "Close the connection in a `finally:` block, or use it as a context manager (`with \
              contextlib.closing(conn):`).",
        references: &["https://docs.python.org/3/library/contextlib.html#contextlib.closing"],
    },
};

pub fn check(cx: &Context, body: &[Stmt], out: &mut Vec<Diagnostic>) {
    for u in unreleased(cx, body, Kind::Connection) {
        out.push(diagnostic(&RULE, cx, &u, "closed"));
    }
}
