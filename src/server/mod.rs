//! `vigil server`: a Language Server Protocol server over standard input
//! and output, so an editor shows vigil's findings as the code is written.
//!
//! - **Diagnostics** on open, change and save: each open buffer's text (not
//!   the file on disk) is reviewed as `vigil review FILE` would review it
//!   (`workspace`), and every finding published as a diagnostic (`convert`).
//! - **Hover** on a finding shows its rule's documentation, as `vigil rule
//!   ID` prints it.
//! - **Code actions**: a finding with a mechanical fix (`Finding::edit`)
//!   offers it as a quick fix.
//!
//! The protocol plumbing (framing, the initialize and shutdown handshakes)
//! is rust-analyzer's `lsp-server`; the message types are `lsp-types`. The
//! loop is synchronous: a file's review takes milliseconds, so requests are
//! answered in order on one thread, and changes that arrive together are
//! reviewed once. Only the project pass (the dataflow facts of the whole
//! workspace) runs beside it (`workspace`).
//!
//! Positions are UTF-16 code units, the encoding every client speaks
//! (`text`). Standard output carries protocol messages only; notes for the
//! editor's log go to standard error.

mod convert;
mod text;
mod uri;
mod workspace;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

use crossbeam_channel::select;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, Diagnostic, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, Hover, HoverContents, HoverParams, InitializeParams,
    MarkupContent, MarkupKind, MessageType, PublishDiagnosticsParams, ShowMessageParams, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::json;

use self::text::Text;
use self::workspace::{ANALYSIS_STACK_BYTES, FactsDone, Workspace};
use crate::finding::Finding;

/// Runs the server until the client says `exit`: 0 after a `shutdown`, 1
/// without one (as the protocol asks), 2 when the connection broke.
pub fn run() -> ExitCode {
    // Reviews run on the loop's thread: it needs the analysis stack.
    let server = std::thread::Builder::new()
        .name("vigil-server".into())
        .stack_size(ANALYSIS_STACK_BYTES)
        .spawn(serve);
    match server.map(|thread| thread.join()) {
        Ok(Ok(Ok(true))) => ExitCode::SUCCESS,
        Ok(Ok(Ok(false))) => ExitCode::from(1),
        Ok(Ok(Err(e))) => {
            eprintln!("vigil: error: {e}");
            ExitCode::from(2)
        }
        Ok(Err(_)) => ExitCode::from(2),
        Err(e) => {
            eprintln!("vigil: error: cannot start the server thread: {e}");
            ExitCode::from(2)
        }
    }
}

/// One session; whether it ended with a `shutdown` before `exit`.
fn serve() -> Result<bool, String> {
    let (connection, io_threads) = Connection::stdio();
    let clean = session(&connection)?;
    // The writer thread ends once every sender is gone.
    drop(connection);
    io_threads.join().map_err(|e| format!("the connection broke: {e}"))?;
    Ok(clean)
}

fn session(connection: &Connection) -> Result<bool, String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("while initializing: {e}"))?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_else(|e| {
        eprintln!("vigil: initialize parameters not understood ({e}); no workspace folder");
        InitializeParams::default()
    });
    let workspace = workspace_root(&params).map(|root| Workspace::open(&root));
    let result = json!({
        "capabilities": {
            "textDocumentSync": {"openClose": true, "change": 2, "save": {"includeText": false}},
            "hoverProvider": true,
            "codeActionProvider": {"codeActionKinds": ["quickfix"]},
        },
        "serverInfo": {"name": "vigil", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("while initializing: {e}"))?;
    let mut server = Server {
        connection,
        workspace: Workspace::none(),
        documents: BTreeMap::new(),
        dirty: BTreeSet::new(),
    };
    match workspace {
        Some(Ok(workspace)) => server.workspace = workspace,
        Some(Err(e)) => server.show_error(&e)?,
        None => {}
    }
    if let Err(e) = server.workspace.install_models() {
        server.show_error(&e)?;
    }
    server.workspace.refresh_facts();
    server.run()
}

/// The first workspace folder, or the root the client names the old way.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    if let Some(folder) = params.workspace_folders.as_ref().and_then(|f| f.first()) {
        return uri::to_path(folder.uri.as_str());
    }
    #[allow(deprecated)]
    let (root_uri, root_path) = (&params.root_uri, &params.root_path);
    root_uri
        .as_ref()
        .and_then(|u| uri::to_path(u.as_str()))
        .or_else(|| root_path.as_ref().map(PathBuf::from))
}

/// An open buffer.
struct Document {
    uri: Uri,
    version: i32,
    text: Text,
    /// The review of this text, once done.
    reviewed: Option<Reviewed>,
}

/// A buffer's findings and the diagnostics published for them; the first
/// `findings.len()` diagnostics are the findings', in order.
struct Reviewed {
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
}

struct Server<'c> {
    connection: &'c Connection,
    workspace: Workspace,
    /// By URI, as the client spells it.
    documents: BTreeMap<String, Document>,
    /// Buffers whose diagnostics are to be published.
    dirty: BTreeSet<String>,
}

/// What to do after a message: go on, or stop (with whether the client
/// shut down first).
enum Next {
    Continue,
    Stop { clean: bool },
}

impl Server<'_> {
    fn run(&mut self) -> Result<bool, String> {
        let never = crossbeam_channel::never();
        loop {
            let pass = self.workspace.running().cloned().unwrap_or_else(|| never.clone());
            select! {
                recv(self.connection.receiver) -> message => {
                    // The client went away without a word.
                    let Ok(message) = message else { return Ok(false) };
                    if let Next::Stop { clean } = self.handle(message)? {
                        return Ok(clean);
                    }
                    // Changes typed in a burst are reviewed once.
                    while let Ok(message) = self.connection.receiver.try_recv() {
                        if let Next::Stop { clean } = self.handle(message)? {
                            return Ok(clean);
                        }
                    }
                }
                recv(pass) -> done => self.facts_arrived(done.ok())?,
            }
            self.publish_dirty()?;
        }
    }

    fn handle(&mut self, message: Message) -> Result<Next, String> {
        match message {
            Message::Request(request) => {
                if self.connection.handle_shutdown(&request).map_err(|e| e.to_string())? {
                    return Ok(Next::Stop { clean: true });
                }
                self.request(request)?;
            }
            Message::Notification(n) if n.method == "exit" => return Ok(Next::Stop { clean: false }),
            Message::Notification(n) => self.notification(n),
            // The server sends no requests, so expects no responses.
            Message::Response(_) => {}
        }
        Ok(Next::Continue)
    }

    fn request(&mut self, request: Request) -> Result<(), String> {
        let id = request.id.clone();
        let response = match request.method.as_str() {
            "textDocument/hover" => match params::<HoverParams>(request) {
                Ok(p) => Response::new_ok(id, self.hover(p)),
                Err(e) => invalid(id, e),
            },
            "textDocument/codeAction" => match params::<CodeActionParams>(request) {
                Ok(p) => Response::new_ok(id, self.code_actions(p)),
                Err(e) => invalid(id, e),
            },
            method => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("vigil does not handle {method}"),
            ),
        };
        self.send(response.into())
    }

    fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let handled = match method.as_str() {
            "textDocument/didOpen" => notice(n).map(|p| self.did_open(p)),
            "textDocument/didChange" => notice(n).map(|p| self.did_change(p)),
            "textDocument/didSave" => notice(n).map(|_: DidSaveTextDocumentParams| {
                // What other files see of this one changed: the dataflow
                // facts are computed again, and every open buffer reviewed
                // with them when they arrive.
                self.workspace.refresh_facts();
            }),
            "textDocument/didClose" => notice(n).and_then(|p| self.did_close(p)),
            // `initialized`, `$/cancelRequest`, configuration changes...:
            // nothing to do.
            _ => Ok(()),
        };
        if let Err(e) = handled {
            eprintln!("vigil: {method}: {e}");
        }
    }

    fn did_open(&mut self, p: DidOpenTextDocumentParams) {
        let doc = p.text_document;
        let key = doc.uri.as_str().to_string();
        self.documents.insert(
            key.clone(),
            Document {
                uri: doc.uri,
                version: doc.version,
                text: Text::new(doc.text),
                reviewed: None,
            },
        );
        self.dirty.insert(key);
    }

    fn did_change(&mut self, p: DidChangeTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        let Some(doc) = self.documents.get_mut(&key) else {
            eprintln!("vigil: a change to {key}, which is not open, is ignored");
            return;
        };
        for change in p.content_changes {
            doc.text.apply(change);
        }
        doc.version = p.text_document.version;
        doc.reviewed = None;
        self.dirty.insert(key);
    }

    fn did_close(&mut self, p: DidCloseTextDocumentParams) -> Result<(), String> {
        let key = p.text_document.uri.as_str().to_string();
        self.documents.remove(&key);
        self.dirty.remove(&key);
        // A closed file keeps no diagnostics in the editor.
        self.publish(p.text_document.uri, Vec::new(), None)
    }

    fn facts_arrived(&mut self, done: Option<FactsDone>) -> Result<(), String> {
        match self.workspace.pass_done(done) {
            Some(Ok(files)) => {
                eprintln!("vigil: project pass done: {files} files");
                // Every buffer is reviewed again with the new facts.
                for (key, doc) in &mut self.documents {
                    doc.reviewed = None;
                    self.dirty.insert(key.clone());
                }
                Ok(())
            }
            Some(Err(e)) => self.show_error(&format!("the dataflow project pass failed: {e}")),
            None => self.show_error("the dataflow project pass stopped without a result"),
        }
    }

    /// Reviews `key`'s buffer unless its review is current.
    fn reviewed(&mut self, key: &str) -> Option<&Document> {
        let doc = self.documents.get_mut(key)?;
        if doc.reviewed.is_none() {
            let path = uri::to_path(doc.uri.as_str());
            let reviewed = match self
                .workspace
                .review(path.as_deref(), doc.uri.as_str(), doc.text.as_str())
            {
                Ok(review) => {
                    let mut diagnostics: Vec<Diagnostic> = review
                        .findings
                        .iter()
                        .map(|f| convert::diagnostic(f, &doc.uri, &doc.text))
                        .collect();
                    diagnostics.extend(review.warnings.iter().map(|w| convert::warning(w, &doc.text)));
                    Reviewed {
                        findings: review.findings,
                        diagnostics,
                    }
                }
                Err(e) => Reviewed {
                    findings: Vec::new(),
                    diagnostics: vec![convert::config_error(&e)],
                },
            };
            doc.reviewed = Some(reviewed);
        }
        self.documents.get(key)
    }

    fn publish_dirty(&mut self) -> Result<(), String> {
        for key in std::mem::take(&mut self.dirty) {
            let Some(doc) = self.reviewed(&key) else { continue };
            let diagnostics = doc.reviewed.as_ref().map(|r| r.diagnostics.clone()).unwrap_or_default();
            let (uri, version) = (doc.uri.clone(), doc.version);
            self.publish(uri, diagnostics, Some(version))?;
        }
        Ok(())
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) -> Result<(), String> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into())
    }

    /// The documentation of the rules of the findings under the cursor.
    fn hover(&mut self, p: HoverParams) -> Option<Hover> {
        let at = p.text_document_position_params.position;
        let doc = self.reviewed(p.text_document_position_params.text_document.uri.as_str())?;
        let reviewed = doc.reviewed.as_ref()?;
        let here: Vec<(&Finding, &Diagnostic)> = reviewed
            .findings
            .iter()
            .zip(&reviewed.diagnostics)
            .filter(|(_, d)| text::contains(&d.range, at))
            .collect();
        let findings: Vec<&Finding> = here.iter().map(|(f, _)| *f).collect();
        let value = convert::hover_text(&findings)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: here.first().map(|(_, d)| d.range),
        })
    }

    /// Quick fixes for the findings in the range asked about.
    fn code_actions(&mut self, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let quickfix_wanted = p.context.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|k| lsp_types::CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()))
        });
        if !quickfix_wanted {
            return Vec::new();
        }
        let Some(doc) = self.reviewed(p.text_document.uri.as_str()) else {
            return Vec::new();
        };
        let Some(reviewed) = &doc.reviewed else {
            return Vec::new();
        };
        reviewed
            .findings
            .iter()
            .zip(&reviewed.diagnostics)
            .filter(|(_, d)| text::overlaps(&d.range, &p.range))
            .filter_map(|(f, d)| convert::quick_fix(f, d, &doc.uri, &doc.text))
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }

    /// Tells the user, in the editor, what went wrong.
    fn show_error(&self, message: &str) -> Result<(), String> {
        eprintln!("vigil: error: {message}");
        let params = ShowMessageParams {
            typ: MessageType::ERROR,
            message: format!("vigil: {message}"),
        };
        self.send(Notification::new("window/showMessage".into(), params).into())
    }

    fn send(&self, message: Message) -> Result<(), String> {
        self.connection
            .sender
            .send(message)
            .map_err(|_| "the client closed the connection".to_string())
    }
}

fn params<P: DeserializeOwned>(request: Request) -> Result<P, String> {
    serde_json::from_value(request.params).map_err(|e| e.to_string())
}

/// A notification's parameters, or why they are not understood.
fn notice<P: DeserializeOwned>(n: Notification) -> Result<P, String> {
    serde_json::from_value(n.params).map_err(|e| format!("parameters not understood: {e}"))
}

fn invalid(id: RequestId, error: String) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, error)
}
