//! A fast hash of values and texts for the review cache's keys and the
//! dataflow memo's checks: the same in every run of one build, and wide
//! enough (64 bits a pass) that two different values share a hash only by
//! an accident of 1 in 2^64. It is no defence against someone crafting
//! collisions, which SipHash with fixed keys (what it replaces: a third of
//! a change review's hashing) was not either.
//!
//! Each step multiplies the state, mixed with the next 8 or 16 bytes, by a
//! constant into 128 bits and folds the halves together (the mix of
//! wyhash and foldhash).

use std::hash::Hasher;

/// Odd constants with well-spread bits (wyhash's).
const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;
const P2: u64 = 0x8ebc_6af0_9c88_c6e3;

#[inline]
fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

#[inline]
fn word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(w)
}

/// See the module's text. `StableHasher::with_seed` gives independent
/// hashes of the same value (two make a 128-bit key).
#[derive(Clone, Copy)]
pub struct StableHasher {
    state: u64,
    written: u64,
}

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher::with_seed(0)
    }
}

impl StableHasher {
    pub fn with_seed(seed: u64) -> StableHasher {
        StableHasher {
            state: fold(seed ^ P0, P1),
            written: 0,
        }
    }

    #[inline]
    fn add(&mut self, w: u64) {
        self.state = fold(self.state ^ w, P0);
    }
}

impl Hasher for StableHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.written = self.written.wrapping_add(bytes.len() as u64);
        let mut pairs = bytes.chunks_exact(16);
        for pair in &mut pairs {
            let (a, b) = pair.split_at(8);
            self.state = fold(self.state ^ word(a), word(b) ^ P1);
        }
        let rest = pairs.remainder();
        if rest.len() > 8 {
            let (a, b) = rest.split_at(8);
            self.state = fold(self.state ^ word(a), word(b) ^ P2);
        } else if !rest.is_empty() {
            self.add(word(rest) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i) | 0x100);
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i) | 0x2_0000);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i) | 0x4_0000_0000);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.written = self.written.wrapping_add(8);
        self.state = fold(self.state ^ i, P2);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }

    fn finish(&self) -> u64 {
        fold(self.state ^ self.written, P1 ^ P2)
    }
}

#[cfg(test)]
mod tests {
    use std::hash::Hash;

    use super::*;

    fn hash(value: impl Hash) -> u64 {
        let mut h = StableHasher::default();
        value.hash(&mut h);
        h.finish()
    }

    /// The hash is stored in the cache: it must not change within a build,
    /// and it tells apart what a cache key or a memo check must.
    #[test]
    fn tells_values_apart() {
        assert_eq!(hash("nova.virt.images"), hash("nova.virt.images"));
        let values = [
            hash(""),
            hash("a"),
            hash("b"),
            hash(("a", "")),
            hash(("", "a")),
            hash(0u8),
            hash(0u64),
            hash(1u64),
            hash((1u64, 0u64)),
            hash((0u64, 1u64)),
            hash(vec![0u8; 16]),
            hash(vec![0u8; 17]),
            hash(vec![0u8; 24]),
            hash("0123456789abcdef0123"),
            hash("0123456789abcdef0124"),
        ];
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), values.len(), "{values:x?}");
    }

    /// Seeds give independent hashes (two make a 128-bit key).
    #[test]
    fn seeds_differ() {
        let of = |seed| {
            let mut h = StableHasher::with_seed(seed);
            h.write(b"import os\n");
            h.finish()
        };
        assert_ne!(of(1), of(2));
    }
}
