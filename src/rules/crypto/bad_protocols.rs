//! The SSL/TLS protocol constants S502 and S503 report (Bandit's
//! `bad_protocol_versions`), from Python's `ssl` module (`PROTOCOL_*`) and
//! pyOpenSSL (`*_METHOD`), each with the protocol it selects.
//!
//! Also the functions whose protocol parameter S502 knows.
//!
//! To add a constant, insert `("CONSTANT", "protocol")` in [`BAD_PROTOCOLS`]
//! at its sorted place (byte order of the constant, one per line); to add a
//! function, insert `("qualified.name", "parameter", position)` in
//! [`PROTOCOL_PARAMETERS`] the same way. Then use it in a `# error` line of
//! `tests/fixtures/rules/S502.py`. The unit tests keep both tables sorted.

/// A broken protocol constant and the protocol it selects, as a reader would
/// name it.
pub const BAD_PROTOCOLS: &[(&str, &str)] = &[
    ("PROTOCOL_SSLv2", "SSL 2.0"),
    ("PROTOCOL_SSLv3", "SSL 3.0"),
    ("PROTOCOL_TLSv1", "TLS 1.0"),
    ("PROTOCOL_TLSv1_1", "TLS 1.1"),
    ("SSLv23_METHOD", "any version down to SSL 2.0"),
    ("SSLv2_METHOD", "SSL 2.0"),
    ("SSLv3_METHOD", "SSL 3.0"),
    ("TLSv1_1_METHOD", "TLS 1.1"),
    ("TLSv1_METHOD", "TLS 1.0"),
];

/// The functions taking a protocol constant: the parameter's name and its
/// position. Bandit knows `ssl.wrap_socket` and `pyOpenSSL.SSL.Context` (the
/// package installs the module `OpenSSL`), by keyword only.
pub const PROTOCOL_PARAMETERS: &[(&str, &str, usize)] = &[
    ("OpenSSL.SSL.Context", "method", 0),
    ("pyOpenSSL.SSL.Context", "method", 0),
    ("ssl.SSLContext", "protocol", 0),
    ("ssl.wrap_socket", "ssl_version", 5),
];

/// The protocol parameter of the function called `qualname`, if known.
pub fn protocol_parameter(qualname: &str) -> Option<(&'static str, usize)> {
    PROTOCOL_PARAMETERS
        .binary_search_by(|(q, _, _)| (*q).cmp(qualname))
        .ok()
        .map(|i| (PROTOCOL_PARAMETERS[i].1, PROTOCOL_PARAMETERS[i].2))
}

/// The protocol a broken constant selects, or `None` if `constant` (the
/// last name of `ssl.PROTOCOL_SSLv3`) is not a broken one.
pub fn bad_protocol(constant: &str) -> Option<&'static str> {
    BAD_PROTOCOLS
        .binary_search_by(|(c, _)| (*c).cmp(constant))
        .ok()
        .map(|i| BAD_PROTOCOLS[i].1)
}

/// The replacement for a broken constant: pyOpenSSL's methods end in
/// `_METHOD`, the `ssl` module's start with `PROTOCOL_`.
pub fn replacement(constant: &str) -> &'static str {
    if constant.ends_with("_METHOD") {
        "`SSL.TLS_METHOD` and `context.set_min_proto_version(SSL.TLS1_2_VERSION)`"
    } else {
        "`ssl.create_default_context()` (or `ssl.PROTOCOL_TLS_CLIENT`)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted() {
        assert!(BAD_PROTOCOLS.is_sorted_by(|a, b| a.0 < b.0));
        assert!(PROTOCOL_PARAMETERS.is_sorted_by(|a, b| a.0 < b.0));
    }

    #[test]
    fn lookup() {
        assert_eq!(protocol_parameter("ssl.wrap_socket"), Some(("ssl_version", 5)));
        assert_eq!(protocol_parameter("ssl.create_default_context"), None);
        assert_eq!(bad_protocol("PROTOCOL_TLSv1_1"), Some("TLS 1.1"));
        assert_eq!(bad_protocol("SSLv23_METHOD"), Some("any version down to SSL 2.0"));
        assert_eq!(bad_protocol("PROTOCOL_TLS_CLIENT"), None);
        assert_eq!(bad_protocol("TLSv1_2_METHOD"), None);
    }
}
