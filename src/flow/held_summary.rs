//! A function's summary as the project's facts hold it: made in this run,
//! or as the memo kept it, encoded, and decoded the first time the
//! interpreter reads it.
//!
//! A change review takes most of its project's analyses from the memo: of
//! ten files changed in nova, 5,234 functions' summaries came back from it,
//! the analyses made read 114 of them, and decoding them all (20,000 steps,
//! each with its strings) was a tenth of the review's instructions. The
//! pass asks three things of every summary, which the memo keeps beside the
//! encoding ([`Marks`]): whether it changed (its shape's hash), the hash the
//! memo's keys take of it, and the sources it hands back (for
//! `analyze::giving`).

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::memo::hash_of;
use super::summary::Summary;

/// Cloned, it is the same summary (decoded, encoded and hashed once).
#[derive(Debug, Clone)]
pub struct HeldSummary(Arc<Held>);

#[derive(Debug)]
struct Held {
    decoded: OnceLock<Arc<Summary>>,
    /// The summary's encoding: as the memo kept it, or once a memo entry
    /// is made of it.
    encoded: OnceLock<Box<[u8]>>,
    /// [`Marks`], each made when first asked (a review without a cache
    /// asks each summary for its labels only).
    hash: OnceLock<u64>,
    shape: OnceLock<u64>,
    given: OnceLock<u64>,
}

/// What the pass asks of every summary, kept with its encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Marks {
    /// [`hash_of`] the summary: what the memo's keys take of it.
    hash: u64,
    /// [`Summary::shape_hash`]: what the fixpoint compares.
    shape: u64,
    /// [`Summary::given_labels`].
    given: u64,
}

impl HeldSummary {
    pub fn new(summary: Summary) -> HeldSummary {
        HeldSummary(Arc::new(Held {
            decoded: OnceLock::from(Arc::new(summary)),
            encoded: OnceLock::new(),
            hash: OnceLock::new(),
            shape: OnceLock::new(),
            given: OnceLock::new(),
        }))
    }

    /// The summary, decoded now if it was not yet. Its bytes were checked
    /// against their hash when the memo was read, and only this build
    /// (the memo's key holds the binary) wrote them: they decode. Were
    /// they not to, the summary is an empty one, as for a function the
    /// pass knows nothing of.
    pub fn summary(&self) -> &Arc<Summary> {
        self.0.decoded.get_or_init(|| {
            let decoded = postcard::from_bytes(self.0.encoded.get().map_or(&[][..], |e| &e[..]));
            debug_assert!(decoded.is_ok(), "a summary kept by this build decodes");
            Arc::new(decoded.unwrap_or_default())
        })
    }

    /// The hash of the summary ([`hash_of`] it), for the memo's keys.
    pub fn hash(&self) -> u64 {
        *self.0.hash.get_or_init(|| hash_of(&**self.summary()))
    }

    fn shape(&self) -> u64 {
        *self.0.shape.get_or_init(|| self.summary().shape_hash())
    }

    /// [`Summary::given_labels`].
    pub fn given_labels(&self) -> u64 {
        *self.0.given.get_or_init(|| self.summary().given_labels())
    }

    fn marks(&self) -> Marks {
        Marks {
            hash: self.hash(),
            shape: self.shape(),
            given: self.given_labels(),
        }
    }

    /// [`Summary::same_as`]: compared whole when both are decoded, by
    /// their shapes' hashes when one is still encoded.
    pub fn same_as(&self, other: &HeldSummary) -> bool {
        match (self.0.decoded.get(), other.0.decoded.get()) {
            (Some(a), Some(b)) => a.same_as(b),
            _ => self.shape() == other.shape(),
        }
    }
}

/// The encoding: the marks, then the summary's own encoding as a byte
/// string (so that decoding can keep it without reading it).
#[derive(Serialize)]
struct Wire<'a> {
    marks: Marks,
    #[serde(with = "super::memo::bytes")]
    summary: &'a [u8],
}

#[derive(Deserialize)]
struct OwnedWire {
    marks: Marks,
    #[serde(with = "super::memo::bytes")]
    summary: Vec<u8>,
}

impl Serialize for HeldSummary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Encoded once: an entry is sized, then written.
        let encoded = self.0.encoded.get_or_init(|| {
            super::memo::encode(&**self.summary())
                .unwrap_or_default()
                .into_boxed_slice()
        });
        if encoded.is_empty() {
            return Err(serde::ser::Error::custom("a summary that does not encode"));
        }
        Wire {
            marks: self.marks(),
            summary: encoded,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for HeldSummary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<HeldSummary, D::Error> {
        let wire = OwnedWire::deserialize(deserializer)?;
        Ok(HeldSummary(Arc::new(Held {
            decoded: OnceLock::new(),
            encoded: OnceLock::from(wire.summary.into_boxed_slice()),
            hash: OnceLock::from(wire.marks.hash),
            shape: OnceLock::from(wire.marks.shape),
            given: OnceLock::from(wire.marks.given),
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::summary::{ParamInfo, ParamKind, ParamPath, ParamSink, SourceFlow, SumItems, SumStep, SumValue};
    use ruff_text_size::TextRange;

    /// A function whose `req.body` reaches a sink and which returns a
    /// tuple whose first item holds a source of `label`; `note` is the
    /// text of its steps (explanation, not shape).
    fn summary(note: &str, label: u8) -> Summary {
        let step = SumStep {
            file: Arc::from("nova/api.py"),
            range: TextRange::default(),
            line: 3,
            note: note.to_string(),
        };
        let source = SourceFlow {
            label,
            cleared: 0,
            source_note: note.to_string(),
            steps: vec![step.clone()],
        };
        Summary {
            params: vec![ParamInfo {
                name: "req".into(),
                kind: ParamKind::Positional,
            }],
            bound: false,
            sinks: vec![ParamSink {
                from: ParamPath {
                    param: 0,
                    path: vec!["body".into()],
                },
                rule_bit: 2,
                labels: 1,
                message: "{source} reaches a shell".into(),
                severity: None,
                steps: vec![step],
            }],
            returns: Some(SumValue {
                items: Some(SumItems::Seq(vec![SumValue {
                    sources: vec![source],
                    ..SumValue::default()
                }])),
                ..SumValue::default()
            }),
            fields: Vec::new(),
        }
    }

    fn kept(summary: Summary) -> HeldSummary {
        let bytes = postcard::to_allocvec(&HeldSummary::new(summary)).unwrap();
        postcard::from_bytes(&bytes).unwrap()
    }

    #[test]
    fn a_kept_summary_is_decoded_only_when_read() {
        let made = summary("read from the body", 5);
        let held = kept(made.clone());
        assert!(held.0.decoded.get().is_none());
        assert_eq!(held.hash(), hash_of(&made));
        assert_eq!(held.given_labels(), 1 << 5);
        assert!(held.0.decoded.get().is_none(), "its marks were kept with it");
        assert!(held.same_as(&kept(made.clone())));
        assert!(held.0.decoded.get().is_none(), "compared by its shape's hash");
        assert_eq!(hash_of(&**held.summary()), hash_of(&made));
    }

    #[test]
    fn kept_or_made_it_compares_by_its_facts_not_its_steps() {
        let made = HeldSummary::new(summary("one path", 5));
        let other_steps = kept(summary("another path", 5));
        let other_label = kept(summary("one path", 6));
        assert!(made.same_as(&other_steps) && other_steps.same_as(&made));
        assert!(!made.same_as(&other_label) && !other_label.same_as(&made));
        // Decoded, the whole comparison says the same.
        other_steps.summary();
        other_label.summary();
        assert!(made.same_as(&other_steps));
        assert!(!made.same_as(&other_label));
    }

    #[test]
    fn given_labels_are_those_returned_or_set_on_self() {
        let mut s = summary("x", 1);
        s.fields.push(("token".into(), s.returns.take().unwrap()));
        s.returns = Some(SumValue::default());
        s.fields[0].1.sources.push(SourceFlow {
            label: 63,
            cleared: 0,
            source_note: String::new(),
            steps: Vec::new(),
        });
        assert_eq!(HeldSummary::new(s).given_labels(), (1 << 1) | (1 << 63));
        let mut none = summary("x", 1);
        none.returns = None;
        assert_eq!(HeldSummary::new(none).given_labels(), 0);
    }
}
