//! One finding per defect.
//!
//! Rules overlap: Bandit's B602 and the dataflow rule T078 both report a
//! `shell=True` call that runs request data; `tempfile.mktemp()` is S306 and
//! the file later created under its name is R103. A reviewer sees one defect,
//! so the findings of one file that report the same defect (`rules::defects`)
//! at the same code are fused into one: the finding with the strongest
//! evidence leads (a dataflow path first, then a path of any kind, then
//! severity and confidence), and the others ride along in [`Finding::also`],
//! so that every id still selects and suppresses it and Bandit's report can
//! still list one result per Bandit check.
//!
//! The dataflow analysis also proves things: when only constants reach a
//! sink, a pattern finding of the same defect on that call (B602 on
//! `subprocess.call(cmd, shell=True)` where `cmd` is always `"ls -l"`)
//! stands down: it says so, and its confidence drops to low.

use crate::finding::Finding;
use crate::rules::defects;
use crate::rules::{Family, Level};

/// A position in the user's coordinates: (line, column).
type Pos = (u32, u32);

fn span(f: &Finding) -> (Pos, Pos) {
    ((f.line, f.column), (f.end_line, f.end_column))
}

fn overlaps(a: (Pos, Pos), b: (Pos, Pos)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// Whether two findings speak of the same code: their ranges overlap, or one
/// is a check-then-use style finding whose path passes through the other
/// (R103's path starts at the `mktemp()` that S306 reports). A dataflow
/// path is not used this way: its steps pass through unrelated calls.
fn touch(a: &Finding, b: &Finding) -> bool {
    let through = |x: &Finding, y: &Finding| {
        x.rule.family != Family::Taint
            && x.steps
                .iter()
                .any(|s| overlaps(((s.line, s.column), (s.line, s.column)), span(y)))
    };
    overlaps(span(a), span(b)) || through(a, b) || through(b, a)
}

/// How strong a finding's evidence is: a dataflow path first, then any
/// path, then severity and confidence; vigil's own rules before Bandit's
/// patterns, which say less about this code.
fn strength(f: &Finding) -> (bool, bool, Level, Level, bool) {
    let dataflow = f.rule.family == Family::Taint && !f.steps.is_empty();
    (
        dataflow,
        !f.steps.is_empty(),
        f.severity,
        f.confidence,
        f.rule.bandit.is_none(),
    )
}

/// Fuses the findings of one file that report one defect at one place, and
/// marks pattern findings on sinks that `proofs` show only constants reach.
/// `proofs` are the dataflow analysis's proofs for this file (findings made
/// from diagnostics with `only_constants`).
pub fn fuse(findings: Vec<Finding>, proofs: &[Finding]) -> Vec<Finding> {
    let defect: Vec<Option<&str>> = findings.iter().map(|f| defects::defect_of(f.rule.id)).collect();
    // Union-find over the findings that share a defect and touch.
    let mut parent: Vec<usize> = (0..findings.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..findings.len() {
        let Some(d) = defect[i] else { continue };
        for j in i + 1..findings.len() {
            if defect[j] == Some(d) && findings[i].rule.id != findings[j].rule.id && touch(&findings[i], &findings[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: Vec<Vec<Finding>> = Vec::new();
    let mut group_of: Vec<Option<usize>> = vec![None; findings.len()];
    let roots: Vec<usize> = (0..findings.len()).map(|i| root(&mut parent, i)).collect();
    for (i, f) in findings.into_iter().enumerate() {
        let r = roots[i];
        match group_of[r] {
            Some(g) => groups[g].push(f),
            None => {
                group_of[r] = Some(groups.len());
                groups.push(vec![f]);
            }
        }
    }
    groups
        .into_iter()
        .map(|group| {
            let mut fused = lead(group);
            stand_down_if_constant(&mut fused, proofs);
            fused
        })
        .collect()
}

/// The group's strongest finding, with the others in `also`, taking the
/// highest severity and confidence any of them gave.
fn lead(mut group: Vec<Finding>) -> Finding {
    if group.len() == 1 {
        return group.pop().expect("a group has a finding");
    }
    let best = (0..group.len())
        .max_by(|&a, &b| {
            strength(&group[a])
                .cmp(&strength(&group[b]))
                // Equal strength: the lower id leads, whatever the order.
                .then_with(|| group[b].rule.id.cmp(group[a].rule.id))
        })
        .expect("a group has a finding");
    let mut lead = group.swap_remove(best);
    group.sort_by(|a, b| a.rule.id.cmp(b.rule.id));
    for other in &group {
        // A Bandit check keeps the levels Bandit gives it (its report lists
        // each check as Bandit would); vigil's own rules take the strongest.
        if lead.rule.bandit.is_none() {
            lead.severity = lead.severity.max(other.severity);
            lead.confidence = lead.confidence.max(other.confidence);
        }
        lead.suppression_lines = (
            lead.suppression_lines.0.min(other.suppression_lines.0),
            lead.suppression_lines.1.max(other.suppression_lines.1),
        );
    }
    lead.also = group;
    lead
}

/// A pattern finding whose sink only constants reach says so and drops to
/// low confidence. A finding the dataflow analysis itself reported (a path
/// from a source) is never touched.
fn stand_down_if_constant(f: &mut Finding, proofs: &[Finding]) {
    if f.rules().any(|r| r.family == Family::Taint) {
        return;
    }
    let Some(defect) = f.rules().find_map(|r| defects::defect_of(r.id)) else {
        return;
    };
    let Some(proof) = proofs
        .iter()
        .find(|p| defects::defect_of(p.rule.id) == Some(defect) && overlaps(span(p), span(f)))
    else {
        return;
    };
    f.only_constants = true;
    f.confidence = Level::Low;
    let note = format!(
        "The dataflow analysis ({}) followed every value into this call: only constants reach it, so nothing \
         from outside the code, attacker or operator, decides {}.",
        proof.rule.id,
        defects::subject(defect)
    );
    f.detail = Some(match f.detail.take() {
        Some(detail) => format!("{detail} {note}"),
        None => note.clone(),
    });
    f.description = format!("{note} {}", f.description);
}
