//! Which rules report the same defect.
//!
//! Several rules often see one defect at one place: Bandit's B602 and the
//! dataflow rule T078 on a `shell=True` call that runs request data,
//! `tempfile.mktemp()` (S306) and the file later created under that name
//! (R103), an MD5 constructor (S324) and the digest computed with it (T328).
//! The review reports such a defect once (`fusion`), and a pattern finding
//! stands down where the dataflow analysis proved that only constants reach
//! the sink. Both need to know which rules speak of the same defect: that is
//! this table.
//!
//! To add a rule: give it the defect of the rules it repeats, keeping the
//! table sorted by id (a test checks the order and that every id exists).
//! Rules that are absent never fuse. Two findings of one defect fuse only
//! when they also touch the same code (see `fusion`).

/// (rule id, defect), sorted by id.
const DEFECTS: &[(&str, &str)] = &[
    ("R103", "temporary-name"),
    ("R303", "missing-timeout"),
    ("R402", "secret-in-log"),
    ("R403", "secret-in-error"),
    ("R505", "temporary-path"),
    ("S102", "code-execution"),
    ("S108", "temporary-path"),
    ("S111", "command-execution"),
    ("S113", "missing-timeout"),
    ("S301", "deserialization"),
    ("S302", "deserialization"),
    ("S303", "weak-hash"),
    ("S306", "temporary-name"),
    ("S307", "code-execution"),
    ("S310", "url-fetch"),
    ("S311", "weak-random"),
    ("S313", "xml-parsing"),
    ("S314", "xml-parsing"),
    ("S315", "xml-parsing"),
    ("S316", "xml-parsing"),
    ("S317", "xml-parsing"),
    ("S318", "xml-parsing"),
    ("S319", "xml-parsing"),
    ("S324", "weak-hash"),
    ("S506", "deserialization"),
    ("S601", "command-execution"),
    ("S602", "command-execution"),
    ("S603", "command-execution"),
    ("S604", "command-execution"),
    ("S605", "command-execution"),
    ("S606", "command-execution"),
    ("S608", "sql"),
    ("S609", "command-execution"),
    ("S610", "sql"),
    ("S611", "sql"),
    ("S614", "deserialization"),
    ("T078", "command-execution"),
    ("T088", "command-execution"),
    ("T089", "sql"),
    ("T094", "code-execution"),
    ("T209", "secret-in-error"),
    ("T328", "weak-hash"),
    ("T330", "weak-random"),
    ("T502", "deserialization"),
    ("T532", "secret-in-log"),
    ("T611", "xml-parsing"),
    ("T918", "url-fetch"),
];

/// What an attacker would control at a sink of each defect, for the note a
/// pattern finding gets when only constants reach its sink.
const SUBJECTS: &[(&str, &str)] = &[
    ("code-execution", "the code it runs"),
    ("command-execution", "the command it runs"),
    ("deserialization", "the data it loads"),
    ("sql", "the query it runs"),
    ("url-fetch", "the URL it opens"),
    ("xml-parsing", "the document it parses"),
];

/// What the arguments of a sink of `defect` decide (`the command it runs`).
pub fn subject(defect: &str) -> &'static str {
    SUBJECTS
        .iter()
        .find(|(d, _)| *d == defect)
        .map_or("what it does", |(_, s)| s)
}

/// The defect `rule_id` reports, when another rule can report it too.
pub fn defect_of(rule_id: &str) -> Option<&'static str> {
    DEFECTS
        .binary_search_by(|(id, _)| (*id).cmp(rule_id))
        .ok()
        .map(|i| DEFECTS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::registry;

    #[test]
    fn table_is_sorted_and_names_real_rules() {
        for pair in DEFECTS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} must come after {}", pair[1].0, pair[0].0);
        }
        for (id, _) in DEFECTS {
            assert!(registry::find(id).is_some_and(|r| r.id == *id), "{id} is not a rule id");
        }
    }

    #[test]
    fn every_defect_has_a_dataflow_or_second_rule() {
        // A defect one rule alone reports fuses with nothing: a typo.
        for (id, defect) in DEFECTS {
            let others = DEFECTS.iter().filter(|(o, d)| d == defect && o != id).count();
            assert!(others > 0, "{id}: `{defect}` has no other rule");
        }
    }

    #[test]
    fn lookup() {
        assert_eq!(defect_of("S602"), Some("command-execution"));
        assert_eq!(defect_of("T078"), Some("command-execution"));
        assert_eq!(defect_of("S101"), None);
    }
}
