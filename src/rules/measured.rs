//! What a rule's findings turned out to be on real OpenStack code: the
//! measurement that decides whether the rule is on by default (at least 60%
//! of its findings are security defects a reviewer would ask to fix). The
//! numbers are data, generated into `measured_data.rs` from the triage
//! records in `bench/triage/`; this module reads them.

use super::measured_data::MEASURED;

/// The precision below which a rule is off by default.
pub const DEFAULT_THRESHOLD: f64 = 0.6;

/// One rule's measurement: its distinct findings on the corpora, the lines
/// they cover, and the verdicts of the findings triaged (all of them, or a
/// sample of 25).
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub id: &'static str,
    pub findings: u32,
    pub lines: u32,
    pub tp: u32,
    pub minor: u32,
    pub fp: u32,
}

impl Measured {
    pub fn triaged(&self) -> u32 {
        self.tp + self.minor + self.fp
    }

    /// TP / triaged; `None` when nothing was triaged (no finding).
    pub fn precision(&self) -> Option<f64> {
        (self.triaged() > 0).then(|| f64::from(self.tp) / f64::from(self.triaged()))
    }

    /// The sentence the rule's documentation prints.
    pub fn sentence(&self) -> String {
        let corpus = format!(
            "{} lines of cinder, glance, neutron and swift (current releases and historic snapshots)",
            crate::report::thousands(u64::from(self.lines))
        );
        match self.precision() {
            None => format!("Measured on OpenStack: no finding in {corpus}, so its precision is unmeasured."),
            Some(p) => format!(
                "Measured on OpenStack: {} of {} {}findings are security defects a reviewer would ask to fix \
                 ({:.0}%; {} minor, {} false), of {} findings in {corpus}.",
                self.tp,
                self.triaged(),
                if self.triaged() < self.findings { "sampled " } else { "" },
                p * 100.0,
                self.minor,
                self.fp,
                self.findings,
            ),
        }
    }
}

/// The measurement of `id`, if it was measured.
pub fn of(id: &str) -> Option<&'static Measured> {
    MEASURED.binary_search_by(|m| m.id.cmp(id)).ok().map(|i| &MEASURED[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Status, registry};

    #[test]
    fn rows_are_sorted_and_name_rules() {
        for pair in MEASURED.windows(2) {
            assert!(pair[0].id < pair[1].id, "{} after {}", pair[1].id, pair[0].id);
        }
        for m in MEASURED {
            assert!(
                registry::find(m.id).is_some_and(|r| r.id == m.id),
                "{} is no rule",
                m.id
            );
        }
    }

    /// The default set is what the measurement says: a measured rule below
    /// the threshold is off, one at or above it is on.
    #[test]
    fn default_status_follows_the_measurement() {
        for m in MEASURED {
            let Some(p) = m.precision() else { continue };
            let rule = registry::find(m.id).expect("checked above");
            let expected = if p >= DEFAULT_THRESHOLD {
                Status::Stable
            } else {
                Status::Opt
            };
            assert_eq!(rule.status, expected, "{}: {:.0}% measured", m.id, p * 100.0);
        }
    }

    #[test]
    fn sentences() {
        let m = Measured {
            id: "S101",
            findings: 97,
            lines: 1_872_715,
            tp: 2,
            minor: 23,
            fp: 0,
        };
        assert_eq!(
            m.sentence(),
            "Measured on OpenStack: 2 of 25 sampled findings are security defects a reviewer would ask to fix \
             (8%; 23 minor, 0 false), of 97 findings in 1,872,715 lines of cinder, glance, neutron and swift \
             (current releases and historic snapshots)."
        );
    }
}
