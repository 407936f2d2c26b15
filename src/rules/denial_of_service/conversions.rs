//! Conversions that raise on malformed text, and the exceptions that mean
//! the caller handles it. Used by R305 (query, header and body values) and
//! R602 (path parameters).
//!
//! To add a conversion, insert a row in byte order of its name: the
//! qualified name (a builtin, or a dotted name matched as a suffix of the
//! call's qualified name, so `timeutils.parse_isotime` also matches
//! `oslo_utils.timeutils.parse_isotime`), then the last segments of the
//! exceptions that handle its failure (`Exception`, `BaseException` and a
//! bare `except:` always do). `cargo test` checks the order.

/// A conversion and the exceptions that handle its failure.
pub struct Conversion {
    pub name: &'static str,
    pub raises: &'static [&'static str],
}

const VALUE: &[&str] = &["ValueError"];
const VALUE_TYPE: &[&str] = &["TypeError", "ValueError"];

pub const CONVERSIONS: &[Conversion] = &[
    Conversion {
        name: "base64.b64decode",
        raises: &["Error", "ValueError"],
    },
    Conversion {
        name: "base64.decodebytes",
        raises: &["Error", "ValueError"],
    },
    Conversion {
        name: "base64.urlsafe_b64decode",
        raises: &["Error", "ValueError"],
    },
    Conversion {
        name: "datetime.datetime.strptime",
        raises: VALUE,
    },
    Conversion {
        name: "datetime.strptime",
        raises: VALUE,
    },
    Conversion {
        name: "decimal.Decimal",
        raises: &["ArithmeticError", "InvalidOperation"],
    },
    Conversion {
        name: "float",
        raises: VALUE_TYPE,
    },
    Conversion {
        name: "int",
        raises: VALUE_TYPE,
    },
    Conversion {
        name: "ipaddress.ip_address",
        raises: VALUE,
    },
    Conversion {
        name: "ipaddress.ip_interface",
        raises: VALUE,
    },
    Conversion {
        name: "ipaddress.ip_network",
        raises: VALUE,
    },
    Conversion {
        name: "iso8601.parse_date",
        raises: &["ParseError", "ValueError"],
    },
    Conversion {
        name: "json.loads",
        raises: &["JSONDecodeError", "ValueError"],
    },
    Conversion {
        name: "jsonutils.loads",
        raises: &["JSONDecodeError", "ValueError"],
    },
    Conversion {
        name: "netaddr.EUI",
        raises: &["AddrFormatError", "ValueError"],
    },
    Conversion {
        name: "netaddr.IPAddress",
        raises: &["AddrFormatError", "ValueError"],
    },
    Conversion {
        name: "netaddr.IPNetwork",
        raises: &["AddrFormatError", "ValueError"],
    },
    Conversion {
        name: "timeutils.parse_isotime",
        raises: VALUE,
    },
    Conversion {
        name: "timeutils.parse_strtime",
        raises: VALUE,
    },
    Conversion {
        name: "uuid.UUID",
        raises: VALUE,
    },
];

/// The conversion a call's qualified name names, if any.
pub fn conversion(qualname: &str) -> Option<&'static Conversion> {
    CONVERSIONS.iter().find(|c| {
        if c.name.contains('.') {
            crate::python::names::ends_with_segments(qualname, c.name)
        } else {
            qualname == c.name
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted() {
        for pair in CONVERSIONS.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} must come after {}",
                pair[0].name,
                pair[1].name
            );
        }
    }

    #[test]
    fn matches_by_suffix_for_dotted_names_only() {
        assert!(conversion("oslo_utils.timeutils.parse_isotime").is_some());
        assert!(conversion("int").is_some());
        assert!(conversion("self.int").is_none());
        assert!(conversion("myuuid.UUID").is_none());
    }
}
