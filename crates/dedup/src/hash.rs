//! Stable hash functions. Everything here is part of the persisted format: a
//! change to any function or constant changes every fingerprint, so it must come
//! with a new [`crate::FINGERPRINT_VERSION`].

use sha2::{Digest, Sha256};

/// FNV-1a, 64 bits, over bytes: the hash of one word.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// MurmurHash3's 64-bit finaliser: a bijective mix of all input bits.
pub(crate) const fn fmix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    x
}

/// SplitMix64: the next state and output of a small, well-mixed generator.
pub(crate) const fn splitmix64(state: u64) -> (u64, u64) {
    let s = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = s;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (s, z ^ (z >> 31))
}

/// The first 8 bytes of the SHA-256 of `bytes`, read big-endian: a
/// collision-resistant 64-bit key for exact matches.
pub(crate) fn sha64(bytes: &[u8]) -> u64 {
    let d = Sha256::digest(bytes);
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_be_bytes(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the functions: if one of these changes, stored fingerprints are stale.
    #[test]
    fn hashes_are_pinned() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fmix64(0), 0);
        assert_eq!(fmix64(1), 0xb456_bcfc_34c2_cb2c);
        assert_eq!(splitmix64(0).1, 0xe220_a839_7b1d_cdaf);
        assert_eq!(sha64(b"abc"), 0xba78_16bf_8f01_cfea);
    }
}
