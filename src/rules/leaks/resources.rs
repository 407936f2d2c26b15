//! The calls that acquire a resource, and what releases each kind, as data.
//!
//! To add an acquiring call: put `("qualified.name", &[(Kind, Part)])` on its
//! own line in [`ACQUIRERS`], keeping the table sorted by name (a unit test
//! checks the order). `Part::Whole` is the call's value; `Part::Item(i)` the
//! i-th element of the tuple it returns (`fd, path = tempfile.mkstemp()`).
//! To add a release: extend the `releases_*` list of the kind below.

/// The kinds of resources the leak rules follow, one rule each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An integer file descriptor (R201).
    Descriptor,
    /// A temporary file or directory on disk (R202).
    TempPath,
    /// A file object (R203).
    FileObject,
    /// A child process (R204).
    Process,
    /// A socket or a client connection (R205).
    Connection,
    /// A WSGI response from a subrequest, whose body iterator holds the
    /// backend connection until it is read or closed (R206).
    Response,
}

/// Which part of the call's value is the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Whole,
    Item(usize),
}

pub const ACQUIRERS: &[(&str, &[(Kind, Part)])] = &[
    ("bz2.open", &[(Kind::FileObject, Part::Whole)]),
    ("codecs.open", &[(Kind::FileObject, Part::Whole)]),
    (
        "eventlet.green.socket.create_connection",
        &[(Kind::Connection, Part::Whole)],
    ),
    ("eventlet.green.socket.socket", &[(Kind::Connection, Part::Whole)]),
    ("eventlet.green.subprocess.Popen", &[(Kind::Process, Part::Whole)]),
    ("ftplib.FTP", &[(Kind::Connection, Part::Whole)]),
    ("gzip.open", &[(Kind::FileObject, Part::Whole)]),
    ("http.client.HTTPConnection", &[(Kind::Connection, Part::Whole)]),
    ("http.client.HTTPSConnection", &[(Kind::Connection, Part::Whole)]),
    ("io.open", &[(Kind::FileObject, Part::Whole)]),
    ("lzma.open", &[(Kind::FileObject, Part::Whole)]),
    ("open", &[(Kind::FileObject, Part::Whole)]),
    ("os.dup", &[(Kind::Descriptor, Part::Whole)]),
    ("os.fdopen", &[(Kind::FileObject, Part::Whole)]),
    ("os.open", &[(Kind::Descriptor, Part::Whole)]),
    (
        "os.openpty",
        &[(Kind::Descriptor, Part::Item(0)), (Kind::Descriptor, Part::Item(1))],
    ),
    (
        "os.pipe",
        &[(Kind::Descriptor, Part::Item(0)), (Kind::Descriptor, Part::Item(1))],
    ),
    ("paramiko.SSHClient", &[(Kind::Connection, Part::Whole)]),
    ("paramiko.Transport", &[(Kind::Connection, Part::Whole)]),
    (
        "pty.openpty",
        &[(Kind::Descriptor, Part::Item(0)), (Kind::Descriptor, Part::Item(1))],
    ),
    (
        "six.moves.http_client.HTTPConnection",
        &[(Kind::Connection, Part::Whole)],
    ),
    (
        "six.moves.http_client.HTTPSConnection",
        &[(Kind::Connection, Part::Whole)],
    ),
    ("six.moves.urllib.request.urlopen", &[(Kind::Connection, Part::Whole)]),
    ("smtplib.SMTP", &[(Kind::Connection, Part::Whole)]),
    ("socket.create_connection", &[(Kind::Connection, Part::Whole)]),
    ("socket.socket", &[(Kind::Connection, Part::Whole)]),
    ("sqlite3.connect", &[(Kind::Connection, Part::Whole)]),
    ("subprocess.Popen", &[(Kind::Process, Part::Whole)]),
    ("tarfile.open", &[(Kind::FileObject, Part::Whole)]),
    ("telnetlib.Telnet", &[(Kind::Connection, Part::Whole)]),
    ("tempfile.NamedTemporaryFile", &[(Kind::FileObject, Part::Whole)]),
    ("tempfile.SpooledTemporaryFile", &[(Kind::FileObject, Part::Whole)]),
    ("tempfile.TemporaryFile", &[(Kind::FileObject, Part::Whole)]),
    ("tempfile.mkdtemp", &[(Kind::TempPath, Part::Whole)]),
    (
        "tempfile.mkstemp",
        &[(Kind::Descriptor, Part::Item(0)), (Kind::TempPath, Part::Item(1))],
    ),
    ("urllib.request.urlopen", &[(Kind::Connection, Part::Whole)]),
    ("zipfile.ZipFile", &[(Kind::FileObject, Part::Whole)]),
];

/// What `qualname` acquires.
pub fn acquired_by(qualname: &str) -> &'static [(Kind, Part)] {
    ACQUIRERS
        .binary_search_by_key(&qualname, |(name, _)| name)
        .map_or(&[], |i| ACQUIRERS[i].1)
}

/// Functions that release a descriptor passed to them.
pub const CLOSES_DESCRIPTOR: &[&str] = &["os.close", "os.closerange"];

/// Functions that take ownership of a descriptor (the object they return
/// closes it).
pub const OWNS_DESCRIPTOR: &[&str] = &["io.open", "open", "os.fdopen"];

/// Module prefixes whose functions use a descriptor without closing it.
pub const USES_DESCRIPTOR: &[&str] = &["fcntl.", "mmap.", "os.", "select.", "termios.", "tty."];

/// Functions that remove a temporary path passed to them.
pub const REMOVES_PATH: &[&str] = &[
    "os.remove",
    "os.removedirs",
    "os.rmdir",
    "os.unlink",
    "oslo_utils.fileutils.delete_if_exists",
    "shutil.rmtree",
];

/// Functions that move a temporary path elsewhere (it is no longer ours).
pub const MOVES_PATH: &[&str] = &["os.rename", "os.renames", "os.replace", "shutil.move"];

/// Methods that release a file object, process or connection.
pub fn releasing_methods(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::FileObject | Kind::Connection => &["__exit__", "close", "detach"],
        Kind::Process => &["__exit__", "communicate", "kill", "terminate", "wait"],
        Kind::Response => &["__exit__", "close"],
        Kind::Descriptor | Kind::TempPath => &[],
    }
}

/// Methods that make a WSGI subrequest and return its response (`req.get_response(self.app)`),
/// whatever the request object is.
pub const RESPONSE_METHODS: &[&str] = &["get_response"];

/// Functions that close a response, or the body iterator, given to them
/// (Swift's `close_if_possible(resp.app_iter)`, `drain_and_close(resp)`).
pub const CLOSES_RESPONSE: &[&str] = &["close", "close_if_possible", "drain_and_close"];

/// Attributes whose reading consumes a response's body and closes its
/// iterator (WebOb's and Swift's `body`, `json`, `text`).
pub const CONSUMING_READS: &[&str] = &["body", "json", "json_body", "text"];

/// Functions that read or write a file object they are given and leave it
/// open (anything else given the object is assumed to keep it).
pub const USES_FILE_OBJECT: &[&str] = &[
    "csv.DictReader",
    "csv.DictWriter",
    "csv.reader",
    "csv.writer",
    "fcntl.flock",
    "fcntl.lockf",
    "json.dump",
    "json.load",
    "jsonutils.dump",
    "jsonutils.load",
    "oslo_serialization.jsonutils.dump",
    "oslo_serialization.jsonutils.load",
    "pickle.dump",
    "pickle.load",
    "print",
    "shutil.copyfileobj",
    "yaml.dump",
    "yaml.load",
    "yaml.safe_dump",
    "yaml.safe_load",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(ACQUIRERS.windows(2).all(|w| w[0].0 < w[1].0));
        for table in [
            CLOSES_DESCRIPTOR,
            OWNS_DESCRIPTOR,
            USES_DESCRIPTOR,
            REMOVES_PATH,
            MOVES_PATH,
            USES_FILE_OBJECT,
            RESPONSE_METHODS,
            CLOSES_RESPONSE,
            CONSUMING_READS,
        ] {
            assert!(table.windows(2).all(|w| w[0] < w[1]), "{table:?}");
        }
        assert_eq!(acquired_by("os.open"), &[(Kind::Descriptor, Part::Whole)]);
        assert!(acquired_by("os.close").is_empty());
    }
}
