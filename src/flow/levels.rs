//! The batches of round one of the project pass: which imported modules are
//! analysed together, against the facts of the batches before.
//!
//! A module must come after everything it imports (its import closure is
//! all it reads of the project, `scope.rs`), and the modules of an import
//! cycle share a batch. Within those bounds a module may go in any batch:
//! it reads the same facts in each. The batches wait for their slowest
//! module while the other cores run out of work (Nova's `virt/libvirt/
//! driver.py` took a batch's whole 60 ms alone), so a module that is free
//! to move goes to the batch where it fills the most idle time beside the
//! largest module, as its text's size estimates it.
//!
//! The batches depend only on the import graph and the texts' sizes, never
//! on the thread count.

/// How many workers the idle time is estimated for: the batches are the
/// same on every machine.
const WORKERS: u64 = 2;

/// A module's estimated cost beyond its text, in bytes of text.
const BASE_COST: u64 = 2_000;

/// The files that are imported (those not in `skip`), grouped so that each
/// group only imports files of earlier groups, except within an import
/// cycle (a cycle's files share a group); `sccs` are the import graph's
/// components, dependencies first, and `size` each file's text length.
pub fn import_levels(imports: &[Vec<usize>], sccs: &[Vec<usize>], skip: &[bool], size: &[usize]) -> Vec<Vec<usize>> {
    let mut scc_of = vec![0usize; imports.len()];
    for (c, members) in sccs.iter().enumerate() {
        for &m in members {
            scc_of[m] = c;
        }
    }
    // A cycle is skipped whole or not at all: a file another one imports
    // is no leaf, and what a needed file imports is needed.
    let active: Vec<bool> = sccs.iter().map(|m| m.iter().any(|&f| !skip[f])).collect();
    let deps: Vec<Vec<usize>> = sccs
        .iter()
        .enumerate()
        .map(|(c, members)| {
            let mut d: Vec<usize> = members
                .iter()
                .flat_map(|&m| &imports[m])
                .map(|&f| scc_of[f])
                .filter(|&s| s != c && active[s])
                .collect();
            d.sort_unstable();
            d.dedup();
            d
        })
        .collect();
    // Tarjan's algorithm gives the components dependencies first: the
    // earliest batch of each, then the latest its importers allow.
    let mut earliest = vec![0usize; sccs.len()];
    for c in 0..sccs.len() {
        earliest[c] = deps[c].iter().map(|&d| earliest[d] + 1).max().unwrap_or(0);
    }
    let last = (0..sccs.len()).filter(|&c| active[c]).map(|c| earliest[c]).max();
    let Some(last) = last else {
        return Vec::new();
    };
    let mut latest = vec![last; sccs.len()];
    for c in (0..sccs.len()).rev().filter(|&c| active[c]) {
        for &d in &deps[c] {
            latest[d] = latest[d].min(latest[c] - 1);
        }
    }
    let cost: Vec<u64> = sccs
        .iter()
        .map(|m| {
            m.iter()
                .filter(|&&f| !skip[f])
                .map(|&f| size[f] as u64 + BASE_COST)
                .sum()
        })
        .collect();

    // Components with no choice first, then the others dependencies first,
    // each where the batch's largest module leaves the most idle time.
    let mut level = vec![usize::MAX; sccs.len()];
    let mut load = vec![Load::default(); last + 1];
    for c in (0..sccs.len()).filter(|&c| active[c] && earliest[c] == latest[c]) {
        level[c] = earliest[c];
        load[earliest[c]].add(cost[c]);
    }
    for c in (0..sccs.len()).filter(|&c| active[c] && earliest[c] < latest[c]) {
        let from = deps[c].iter().map(|&d| level[d] + 1).fold(earliest[c], usize::max);
        let best = (from..=latest[c])
            .max_by_key(|&l| (load[l].idle(), std::cmp::Reverse(l)))
            .unwrap_or(from);
        level[c] = best;
        load[best].add(cost[c]);
    }

    let mut levels: Vec<Vec<usize>> = vec![Vec::new(); last + 1];
    for (c, members) in sccs.iter().enumerate() {
        if active[c] {
            levels[level[c]].extend(members.iter().copied().filter(|&m| !skip[m]));
        }
    }
    for l in &mut levels {
        l.sort_unstable();
    }
    levels.retain(|l| !l.is_empty());
    levels
}

/// The estimated work of a batch.
#[derive(Clone, Copy, Default)]
struct Load {
    largest: u64,
    total: u64,
}

impl Load {
    fn add(&mut self, cost: u64) {
        self.largest = self.largest.max(cost);
        self.total += cost;
    }

    /// The workers' time left idle while the largest module runs.
    fn idle(&self) -> u64 {
        (WORKERS * self.largest).saturating_sub(self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_shares_a_batch_after_what_it_imports() {
        // 0 -> 1 -> 2 -> 1, 3 -> 0 (3 is skipped)
        let graph = vec![vec![1], vec![2], vec![1], vec![0]];
        let sccs = vec![vec![1, 2], vec![0], vec![3]];
        let levels = import_levels(&graph, &sccs, &[false, false, false, true], &[10, 10, 10, 10]);
        assert_eq!(levels, vec![vec![1, 2], vec![0]]);
    }

    #[test]
    fn a_free_module_waits_beside_a_large_one() {
        // 1 imports 0; 2 imports nothing and nobody in the pass imports
        // it: it may run with 0 or with 1, and 1 is the large one.
        let graph = vec![vec![], vec![0], vec![]];
        let sccs = vec![vec![0], vec![1], vec![2]];
        let levels = import_levels(&graph, &sccs, &[false; 3], &[1_000, 90_000, 20_000]);
        assert_eq!(levels, vec![vec![0], vec![1, 2]]);
        // Beside a small one it stays first.
        let levels = import_levels(&graph, &sccs, &[false; 3], &[90_000, 1_000, 20_000]);
        assert_eq!(levels, vec![vec![0, 2], vec![1]]);
    }

    #[test]
    fn a_moved_module_stays_before_its_importers() {
        // 0 <- 1 (large) <- 4 fix three batches; 2 imports 3, and both are
        // free. 3 moves beside the large module; 2, whose own best batch
        // would be that one too, must come after 3.
        let graph = vec![vec![], vec![0], vec![3], vec![], vec![1]];
        let sccs = vec![vec![0], vec![1], vec![4], vec![3], vec![2]];
        let levels = import_levels(&graph, &sccs, &[false; 5], &[1_000, 90_000, 10, 10, 1_000]);
        assert_eq!(levels, vec![vec![0], vec![1, 3], vec![2, 4]]);
    }
}
