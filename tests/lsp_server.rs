//! `vigil server` end to end: the binary is spawned and spoken to as an
//! editor speaks to it, JSON-RPC with `Content-Length` framing over its
//! standard input and output, on a workspace made in the test.
//!
//! Nothing here waits for time to pass: every step reads messages until the
//! one it expects, giving up after a bounded number of them (a generous
//! receive deadline only keeps a broken server from hanging the suite).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde_json::{Value, json};

use common::tree;

/// At most this many messages are read while waiting for one.
const MAX_MESSAGES: usize = 50;
/// Only a hung server takes this long to say anything.
const HANG: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `vigil server` somewhere else than the workspace: the server
    /// must find it from `initialize`.
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
            .arg("server")
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("VIGIL_SERVER_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("vigil server starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            incoming,
            pending: Vec::new(),
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self) -> Value {
        self.try_next().unwrap_or_else(|e| panic!("{e}"))
    }

    fn try_next(&mut self) -> Result<Value, &'static str> {
        match self.incoming.recv_timeout(HANG) {
            Ok(message) => Ok(message),
            Err(RecvTimeoutError::Timeout) => Err("the server said nothing"),
            Err(RecvTimeoutError::Disconnected) => Err("the server closed its output"),
        }
    }

    /// Sends a request and returns its response, keeping the notifications
    /// that came first.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        for _ in 0..MAX_MESSAGES {
            let message = self.next();
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
            self.pending.push(message);
        }
        panic!("no response to {method} in {MAX_MESSAGES} messages");
    }

    /// The next notification `method` for which `wanted` holds.
    fn notification(&mut self, method: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let mut seen = Vec::new();
        let kept = std::mem::take(&mut self.pending);
        let mut queue = kept.into_iter();
        for _ in 0..MAX_MESSAGES {
            let message = match queue.next().map(Ok).unwrap_or_else(|| self.try_next()) {
                Ok(message) => message,
                Err(e) => panic!("{e} while waiting for {method}; saw {seen:#?}"),
            };
            if message["method"] == method && wanted(&message["params"]) {
                self.pending.extend(queue);
                return message["params"].clone();
            }
            seen.push(message);
        }
        panic!("no {method} as expected in {MAX_MESSAGES} messages; saw {seen:#?}");
    }

    /// The diagnostics next published for `uri` that `wanted` accepts.
    fn diagnostics(&mut self, uri: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let params = self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && wanted(p["diagnostics"].as_array().expect("a list"))
        });
        params["diagnostics"].as_array().unwrap().clone()
    }

    /// `shutdown`, then `exit`: the server's exit status.
    fn stop(mut self) -> i32 {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        self.child
            .wait()
            .expect("the server exits")
            .code()
            .expect("an exit code")
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("a JSON message"))
}

fn uri(root: &Path, name: &str) -> String {
    format!("file://{}/{name}", root.display())
}

fn initialize(client: &mut Client, root: &Path) {
    let response = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(root, "").trim_end_matches('/'), "capabilities": {}}),
    );
    let capabilities = &response["result"]["capabilities"];
    assert_eq!(capabilities["hoverProvider"], true, "{response}");
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert_eq!(response["result"]["serverInfo"]["name"], "vigil");
    client.notify("initialized", json!({}));
}

fn open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
    );
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap_or("")).collect()
}

fn has(code: &'static str) -> impl Fn(&[Value]) -> bool {
    move |d| codes(d).contains(&code)
}

const CONFIG: &str = "select = [\"S404\", \"S506\", \"T078\"]\n";

const HELPERS: &str = "\
import subprocess


def run(cmd):
    subprocess.call('ls ' + cmd, shell=True)
";

const HELPERS_FIXED: &str = "\
import shlex
import subprocess


def run(cmd):
    subprocess.call('ls ' + shlex.quote(cmd), shell=True)
";

/// The file on disk: nothing from the request reaches `helpers.run` yet.
const API_ON_DISK: &str = "\
from flask import Flask, request

from pkg import helpers

app = Flask(__name__)


@app.route('/run')
def run():
    helpers.run('fixed')
    return ''
";

/// The buffer as the user is typing it, not saved.
const API_BUFFER: &str = "\
import yaml
from flask import Flask, request

from pkg import helpers

app = Flask(__name__)


@app.route('/run')
def run():
    helpers.run(request.args['name'])
    x = '😀'; data = yaml.load(request.data)
    return data
";

#[test]
fn an_editor_session() {
    let dir = tree(&[
        (".vigil.toml", CONFIG),
        ("pkg/__init__.py", ""),
        ("pkg/helpers.py", HELPERS),
        ("pkg/api.py", API_ON_DISK),
        ("pkg/tests/__init__.py", ""),
        (
            "pkg/tests/test_api.py",
            "import yaml\n\nyaml.load(open('fixture.yml'))\n",
        ),
    ]);
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let api = uri(&root, "pkg/api.py");
    let mut client = Client::start();
    initialize(&mut client, &root);

    // The buffer, not the disk, is reviewed, with the dataflow facts of the
    // workspace: the command injection goes through `helpers.run` in
    // another file, so it shows once the project pass is done. (The pass
    // reads the files on disk: a module that only an unsaved buffer
    // imports has no facts until that buffer is saved.)
    open(&mut client, &api, API_BUFFER);
    let diagnostics = client.diagnostics(&api, has("T078"));
    assert_eq!(codes(&diagnostics), ["T078", "S506"], "{diagnostics:#?}");
    let (t078, s506) = (&diagnostics[0], &diagnostics[1]);
    assert_eq!(t078["severity"], 1, "HIGH is an error");
    assert_eq!(
        t078["range"],
        json!({"start": {"line": 10, "character": 4}, "end": {"line": 10, "character": 37}})
    );
    let steps: Vec<&str> = t078["relatedInformation"]
        .as_array()
        .expect("the path as related information")
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "step 1: `request.args` is an HTTP query parameter",
            "step 2: passed to `helpers.run()` as `cmd`",
            "step 3: `subprocess.call()` runs it in a shell (pkg/helpers.py, line 5)",
        ]
    );
    assert_eq!(s506["severity"], 2, "MEDIUM is a warning");
    assert_eq!(s506["source"], "vigil");
    assert_eq!(
        s506["codeDescription"]["href"],
        "https://cwe.mitre.org/data/definitions/20.html"
    );
    // `😀` is one character and two UTF-16 code units: `yaml` starts at
    // character 20, code unit 21.
    assert_eq!(
        s506["range"],
        json!({"start": {"line": 11, "character": 21}, "end": {"line": 11, "character": 44}})
    );
    assert!(
        s506["message"]
            .as_str()
            .unwrap()
            .contains("Solution: Use `yaml.safe_load(request.data)`."),
        "{s506}"
    );

    // Hover on the finding: the rule's documentation.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": api}, "position": {"line": 11, "character": 30}}),
    );
    let text = hover["result"]["contents"]["value"].as_str().expect("Markdown");
    assert!(text.starts_with("# S506 unsafe-yaml-load\n"), "{text}");
    assert!(
        text.contains("## What it does") && text.contains("## Use instead"),
        "{text}"
    );
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": api}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(nothing["result"], Value::Null);

    // The mechanical fix as a quick fix, applied as the editor would.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": api}, "range": s506["range"], "context": {"diagnostics": [s506]}}),
    );
    let actions = actions["result"].as_array().expect("a list of actions");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["title"], "Fix S506: replace `load` with `safe_load`");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], true);
    let edits = &actions[0]["edit"]["changes"][&api];
    assert_eq!(
        edits,
        &json!([{"range": {"start": {"line": 11, "character": 26}, "end": {"line": 11, "character": 30}},
                 "newText": "safe_load"}])
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": api, "version": 2},
               "contentChanges": [{"range": edits[0]["range"], "text": "safe_load"}]}),
    );
    let fixed = client.diagnostics(&api, |d| !has("S506")(d));
    assert_eq!(codes(&fixed), ["T078"]);

    // A test file is left out of the workspace's review, but one the user
    // opens is reviewed.
    let test_file = uri(&root, "pkg/tests/test_api.py");
    let text = std::fs::read_to_string(root.join("pkg/tests/test_api.py")).unwrap();
    open(&mut client, &test_file, &text);
    let diagnostics = client.diagnostics(&test_file, |_| true);
    assert_eq!(codes(&diagnostics), ["S506"]);

    // A saved change to another file reaches the open buffer: the project
    // pass runs again and the buffer is reviewed with its new facts.
    std::fs::write(root.join("pkg/helpers.py"), HELPERS_FIXED).unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&root, "pkg/helpers.py")}}),
    );
    let after_save = client.diagnostics(&api, |d| !has("T078")(d));
    assert_eq!(codes(&after_save), Vec::<&str>::new());

    // A closed buffer keeps no diagnostics.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": test_file}}));
    // (Its review with the facts of the save may come first.)
    let closed = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == test_file.as_str() && p["diagnostics"] == json!([])
    });
    assert_eq!(closed["version"], Value::Null, "{closed}");

    assert_eq!(client.stop(), 0, "shutdown then exit is a clean stop");
}

#[test]
fn the_configuration_of_the_files_folder_applies() {
    // The configuration of the file's own folder is the one that counts,
    // as for `vigil review FILE`: here a subproject ignores S506.
    let dir = tree(&[
        ("app/a.py", ""),
        ("lib/.vigil.toml", "ignore = [\"S506\"]\n"),
        ("lib/b.py", ""),
    ]);
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut client = Client::start();
    initialize(&mut client, &root);
    let code = "import yaml\nyaml.load(x)\n";
    open(&mut client, &uri(&root, "app/a.py"), code);
    open(&mut client, &uri(&root, "lib/b.py"), code);
    let a = client.diagnostics(&uri(&root, "app/a.py"), |_| true);
    let b = client.diagnostics(&uri(&root, "lib/b.py"), |_| true);
    assert_eq!(codes(&a), ["S506"]);
    assert_eq!(codes(&b), Vec::<&str>::new());
    assert_eq!(client.stop(), 0);
}

#[test]
fn a_broken_configuration_is_said_not_hidden() {
    let dir = tree(&[(".vigil.toml", "selec = [\"S506\"]\n"), ("a.py", "")]);
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut client = Client::start();
    initialize(&mut client, &root);
    // The project pass cannot start: the user is told.
    let shown = client.notification("window/showMessage", |_| true);
    assert_eq!(shown["type"], 1, "an error");
    assert!(
        shown["message"].as_str().unwrap().contains("unknown key `selec`"),
        "{shown}"
    );
    // The buffer is not reviewed, and its first line says why: an empty
    // list would read as "no defects".
    open(&mut client, &uri(&root, "a.py"), "import yaml\nyaml.load(x)\n");
    let diagnostics = client.diagnostics(&uri(&root, "a.py"), |_| true);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("vigil did not review this file: .vigil.toml:1:1: unknown key `selec`"),
        "{message}"
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let dir = tree(&[("a.py", "")]);
    let mut client = Client::start();
    initialize(&mut client, dir.path());
    client.notify("exit", Value::Null);
    drop(client.stdin.take());
    assert_eq!(client.child.wait().unwrap().code(), Some(1));
}
