//! `file:` URIs, as clients name documents, to paths. A document that is not
//! a file (an unsaved buffer, `untitled:Untitled-1`) has no path: it is
//! reviewed with the workspace's configuration, on its own.

use std::path::PathBuf;

/// The path a `file:` URI names, percent-decoded; `None` for other schemes
/// or a URI that names no local path.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///p` has an empty authority; `file://localhost/p` names this
    // machine; any other host is not a local file.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i) if rest[..i].eq_ignore_ascii_case("localhost") => &rest[i..],
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    // `file:///C:/x` on Windows: the path starts at the drive letter.
    #[cfg(windows)]
    let bytes = match bytes.as_slice() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() => bytes[1..].to_vec(),
        _ => bytes,
    };
    Some(path_from_bytes(bytes))
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// `%XX` escapes decoded; `None` for a malformed escape.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::to_path;
    use std::path::PathBuf;

    #[test]
    fn file_uris() {
        assert_eq!(to_path("file:///srv/nova/a.py"), Some(PathBuf::from("/srv/nova/a.py")));
        assert_eq!(
            to_path("file:///srv/my%20project/%C3%A9t%C3%A9.py"),
            Some(PathBuf::from("/srv/my project/été.py"))
        );
        assert_eq!(to_path("file://localhost/srv/a.py"), Some(PathBuf::from("/srv/a.py")));
        assert_eq!(to_path("file://server/share/a.py"), None);
        assert_eq!(to_path("untitled:Untitled-1"), None);
        assert_eq!(to_path("file:///a%2"), None);
    }
}
