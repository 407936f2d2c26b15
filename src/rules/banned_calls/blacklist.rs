//! Blacklists: a rule that is nothing but a list of names.
//!
//! Bandit's B3xx and B4xx checks share one engine (`bandit/core/blacklisting.py`):
//! each check is a row of data (id, name, CWE, severity, the qualified names
//! or module prefixes it bans, a message), and one generic test matches every
//! call and import against all rows. vigil keeps that shape: a [`Banned`] row
//! *is* the [`Rule`] plus its names, written with the [`banned!`] macro so the
//! rule's `what` documentation is generated from the very names it matches.
//!
//! Both the banned-calls and the banned-imports families use this module.

use crate::rules::Rule;

/// One banned name and, when there is one, its drop-in safe replacement.
#[derive(Debug)]
pub struct Entry {
    /// A qualified call name (`pickle.loads`) or a module prefix (`xml.sax`).
    pub name: &'static str,
    /// What to use instead, with the same signature (`defusedxml.sax.parse`).
    pub instead: Option<&'static str>,
}

/// A blacklist row: the rule, what it bans, and its finding message.
#[derive(Debug)]
pub struct Banned {
    pub rule: Rule,
    /// Sorted by name, no duplicates (a unit test checks).
    pub names: &'static [Entry],
    /// The finding message; `{name}` stands for the call or module as this
    /// code spells it, already quoted (`` `pickle.loads` ``).
    pub message: &'static str,
}

impl Banned {
    /// The entry `module` starts with. Bandit matches imports by plain string
    /// prefix, without a dot boundary: `xmlrpc` bans `xmlrpclib`, `pickle`
    /// bans `pickle5` (and `pickletools`), `telnetlib` bans `telnetlib3`.
    pub fn prefix_of(&self, module: &str) -> Option<&'static Entry> {
        let names: &'static [Entry] = self.names;
        names.iter().find(|e| module.starts_with(e.name))
    }

    /// The finding message for `name` (already quoted).
    pub fn message(&self, name: &str) -> String {
        self.message_with(name, None)
    }

    /// The finding message for `name` (already quoted) called on `arg`
    /// (the first argument as written, when there is one): `{arg}` names it.
    pub fn message_with(&self, name: &str, arg: Option<&str>) -> String {
        let arg = arg.map_or_else(|| "its argument".to_string(), |a| format!("`{a}`"));
        self.message.replace("{name}", name).replace("{arg}", &arg)
    }
}

/// Writes a [`Banned`] row. Every blacklist match is reported with HIGH
/// confidence (Bandit's `report_issue`), and every row is on by default.
///
/// `what` is the start of a sentence; the macro appends the names, quoted and
/// separated by commas, and a full stop. A name may be followed by
/// `=> "replacement"` when a drop-in safe equivalent exists.
macro_rules! banned {
    (
        $(#[$attr:meta])*
        static $row:ident = {
            id: $id:literal,
            name: $name:literal,
            bandit: $bandit:literal,
            bandit_name: $bandit_name:literal,
            family: $family:ident,
            cwe: $cwe:literal,
            severity: $severity:ident,
            $(status: $status:ident,)?
            what: $what:literal,
            names: [
                $first:literal $(=> $first_instead:literal)?
                $(, $more:literal $(=> $more_instead:literal)?)* $(,)?
            ],
            message: $message:literal,
            why: $why:expr,
            example: $example:expr,
            use_instead: $use_instead:expr,
            fix: $fix:expr,
            references: $references:expr $(,)?
        }
    ) => {
        $(#[$attr])*
        pub static $row: $crate::rules::banned_calls::blacklist::Banned =
            $crate::rules::banned_calls::blacklist::Banned {
                rule: $crate::rules::Rule {
                    id: $id,
                    name: $name,
                    bandit: Some($bandit),
                    bandit_name: Some($bandit_name),
                    family: $crate::rules::Family::$family,
                    cwe: $cwe,
                    severity: $crate::rules::Level::$severity,
                    confidence: $crate::rules::Level::High,
                    status: $crate::rules::banned_calls::blacklist::banned!(@status $($status)?),
                    since: "0.1.0",
                    docs: $crate::rules::Docs {
                        what: concat!($what, " `", $first, "`", $(", `", $more, "`",)* "."),
                        why: $why,
                        example: $example,
                        use_instead: $use_instead,
                        fix: $fix,
                        references: $references,
                    },
                },
                names: &[
                    $crate::rules::banned_calls::blacklist::Entry {
                        name: $first,
                        instead: $crate::rules::banned_calls::blacklist::banned!(@instead $($first_instead)?),
                    },
                    $($crate::rules::banned_calls::blacklist::Entry {
                        name: $more,
                        instead: $crate::rules::banned_calls::blacklist::banned!(@instead $($more_instead)?),
                    },)*
                ],
                message: $message,
            };
    };
    (@status) => { $crate::rules::Status::Stable };
    (@status $status:ident) => { $crate::rules::Status::$status };
    (@instead) => { None };
    (@instead $instead:literal) => { Some($instead) };
}

pub(crate) use banned;

/// Checks a table: names sorted and unique, the generated docs name them,
/// and no name is banned by two rows (each call or import has one rule).
#[cfg(test)]
pub fn check_table(rows: &[&Banned], rules: &[&Rule]) {
    assert_eq!(rows.len(), rules.len(), "the row list and the rule list differ");
    for (row, rule) in rows.iter().zip(rules) {
        assert!(
            std::ptr::eq(&row.rule, *rule),
            "{}: rows and rules are not in the same order",
            row.rule.id
        );
        for pair in row.names.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{}: `{}` must sort after `{}`",
                row.rule.id,
                pair[1].name,
                pair[0].name
            );
        }
        for e in row.names {
            assert!(
                row.rule.docs.what.contains(&format!("`{}`", e.name)),
                "{}: docs miss {}",
                row.rule.id,
                e.name
            );
            for other in rows.iter().filter(|o| o.rule.id != row.rule.id) {
                assert!(
                    other.prefix_of(e.name).is_none(),
                    "`{}` is banned by {} and {}",
                    e.name,
                    row.rule.id,
                    other.rule.id
                );
            }
        }
        assert!(
            row.message.contains("{name}"),
            "{}: the message must name the call",
            row.rule.id
        );
    }
}
