//! Fingerprints: what is kept of an article to find its duplicates.

use warta_core::Article;

use crate::DedupError;
use crate::hash::{fmix64, fnv1a, sha64, splitmix64};
use crate::normalize::for_each_word;
use crate::urlnorm::url_key;

/// Version of the fingerprint format (normalisation, shingles, hash functions,
/// band layout). A store persists it next to its fingerprints and recomputes them
/// when it changes; fingerprints of different versions must not be compared.
pub const FINGERPRINT_VERSION: u32 = 1;

/// Number of MinHash values in a [`Signature`].
pub const NUM_HASHES: usize = 192;

/// Words per shingle: a text is the set of its runs of this many consecutive
/// normalised words.
pub const SHINGLE_WORDS: usize = 3;

/// MinHash values per LSH band.
pub const BAND_ROWS: usize = 3;

/// Number of LSH bands ([`NUM_HASHES`] / [`BAND_ROWS`]).
pub const NUM_BANDS: usize = NUM_HASHES / BAND_ROWS;

/// The multipliers and offsets of the MinHash functions `h_i(x) = (a_i·x + b_i) >> 32`
/// over 64-bit shingle hashes, drawn from SplitMix64 with a fixed seed (`a_i` odd).
const PERMUTATIONS: [(u64, u64); NUM_HASHES] = {
    let mut out = [(0u64, 0u64); NUM_HASHES];
    let mut state = 0x7761_7274_615f_6464; // "warta_dd"
    let mut i = 0;
    while i < NUM_HASHES {
        let (s, a) = splitmix64(state);
        let (s, b) = splitmix64(s);
        state = s;
        out[i] = (a | 1, b);
        i += 1;
    }
    out
};

/// A MinHash signature: for each of [`NUM_HASHES`] fixed hash functions, the
/// smallest value it takes over the text's shingles. Two signatures agree in a
/// position with probability equal to the Jaccard similarity of the shingle sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature(pub [u32; NUM_HASHES]);

impl Signature {
    /// The signature of a text without words: every position `u32::MAX`.
    pub const EMPTY: Signature = Signature([u32::MAX; NUM_HASHES]);

    /// The signature as bytes for storage: each value little-endian, in order
    /// (`4 × NUM_HASHES` bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads a signature written by [`Signature::to_bytes`].
    ///
    /// # Errors
    /// [`DedupError::SignatureLength`] when `bytes` is not `4 × NUM_HASHES` long.
    pub fn from_bytes(bytes: &[u8]) -> Result<Signature, DedupError> {
        if bytes.len() != 4 * NUM_HASHES {
            return Err(DedupError::SignatureLength(bytes.len()));
        }
        let mut out = [0u32; NUM_HASHES];
        for (v, chunk) in out.iter_mut().zip(bytes.chunks_exact(4)) {
            *v = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Ok(Signature(out))
    }
}

/// One LSH band key: two fingerprints whose signatures agree on all rows of a
/// band get the same key for that band. A store indexes `(band, key)` pairs;
/// keys of different bands are unrelated, so the band is part of the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BandKey {
    /// The band, `0..NUM_BANDS`.
    pub band: u32,
    /// A stable 64-bit hash of the band index and the band's rows (SQLite stores
    /// it as `key as i64`, same bits).
    pub key: u64,
}

/// What duplicate detection keeps of an article: everything is stable across
/// platforms, runs and versions with the same [`FINGERPRINT_VERSION`], so a store
/// can persist it.
///
/// - `url_key`: [`crate::url_key`] of the canonical URL (else the URL), when known;
/// - `content`: exact-content hash, the first 8 bytes (big-endian) of the SHA-256
///   of [`crate::normalize_text`] of the body; `None` when the body has no words;
/// - `shingles`: number of distinct shingles (runs of [`SHINGLE_WORDS`] words; a
///   shorter text is one shingle), used to estimate containment;
/// - `signature`: the MinHash [`Signature`] of the shingle set.
///
/// Only the body text counts, not the title: syndicated copies often carry other
/// headlines, and unrelated stories can share one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// Hash of the normalised canonical URL.
    pub url_key: Option<u64>,
    /// Hash of the normalised text.
    pub content: Option<u64>,
    /// Number of distinct shingles.
    pub shingles: u32,
    /// MinHash signature of the shingles.
    pub signature: Signature,
}

impl Fingerprint {
    /// The fingerprint of a body text (no URL).
    pub fn of_text(text: &str) -> Fingerprint {
        let mut words: Vec<u64> = Vec::new();
        let mut normalized = String::with_capacity(text.len());
        let mut buf = String::new();
        for_each_word(text, &mut buf, |w| {
            if !normalized.is_empty() {
                normalized.push(' ');
            }
            normalized.push_str(w);
            words.push(fnv1a(w.as_bytes()));
        });
        if words.is_empty() {
            return Fingerprint {
                url_key: None,
                content: None,
                shingles: 0,
                signature: Signature::EMPTY,
            };
        }
        let mut shingles = shingle_hashes(&words, SHINGLE_WORDS);
        shingles.sort_unstable();
        shingles.dedup();
        Fingerprint {
            url_key: None,
            content: Some(sha64(normalized.as_bytes())),
            shingles: u32::try_from(shingles.len()).unwrap_or(u32::MAX),
            signature: minhash(&shingles),
        }
    }

    /// The fingerprint of an article: its body text, and its canonical URL (else
    /// its URL) when that is an http(s) address.
    pub fn of_article(article: &Article) -> Fingerprint {
        let fp = Fingerprint::of_text(&article.text);
        match article.canonical_url.as_deref().or(article.url.as_deref()) {
            Some(u) => fp.with_url(u),
            None => fp,
        }
    }

    /// The same fingerprint with the URL key of `url` (none when `url` is not an
    /// http(s) address).
    #[must_use]
    pub fn with_url(mut self, url: &str) -> Fingerprint {
        self.url_key = url_key(url);
        self
    }

    /// True when the text had no words: such a fingerprint matches nothing by content.
    pub fn is_empty(&self) -> bool {
        self.shingles == 0
    }

    /// The LSH band keys, one per band ([`NUM_BANDS`]); none for an empty text.
    ///
    /// Two texts with Jaccard similarity `s` share at least one key with
    /// probability `1 − (1 − s^BAND_ROWS)^NUM_BANDS`.
    pub fn bands(&self) -> impl Iterator<Item = BandKey> + '_ {
        let n = if self.is_empty() { 0 } else { NUM_BANDS };
        (0..n).map(move |b| BandKey {
            band: b as u32,
            key: band_key(b, &self.signature.0[b * BAND_ROWS..(b + 1) * BAND_ROWS]),
        })
    }
}

/// The key of band `band` with rows `rows`.
fn band_key(band: usize, rows: &[u32]) -> u64 {
    let mut h = fmix64(band as u64 ^ 0x6261_6e64); // "band"
    for &r in rows {
        h = fmix64(h.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ u64::from(r));
    }
    h
}

/// The 64-bit hashes of the runs of `k` consecutive words (one run when there are
/// fewer than `k` words), with duplicates.
pub(crate) fn shingle_hashes(words: &[u64], k: usize) -> Vec<u64> {
    let k = k.min(words.len()).max(1);
    words
        .windows(k)
        .map(|w| {
            let mut h = 0u64;
            for &x in w {
                h = fmix64(h.wrapping_mul(0x100_0000_01b3) ^ x);
            }
            h
        })
        .collect()
}

/// The MinHash signature of a set of shingle hashes.
pub(crate) fn minhash(shingles: &[u64]) -> Signature {
    let mut sig = [u32::MAX; NUM_HASHES];
    for &x in shingles {
        for (s, &(a, b)) in sig.iter_mut().zip(PERMUTATIONS.iter()) {
            let v = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
            if v < *s {
                *s = v;
            }
        }
    }
    Signature(sig)
}

/// The estimated Jaccard similarity of two fingerprints' shingle sets, in `[0, 1]`:
/// the share of signature positions where they agree. Symmetric; `0` when either
/// text is empty, `1` for a fingerprint and itself (when not empty).
pub fn estimated_similarity(a: &Fingerprint, b: &Fingerprint) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let same = a
        .signature
        .0
        .iter()
        .zip(&b.signature.0)
        .filter(|(x, y)| x == y)
        .count();
    same as f32 / NUM_HASHES as f32
}

/// The estimated share of the smaller text's shingles that the larger text also
/// has, in `[0, 1]`, from the similarity `j` and the two shingle counts:
/// `|A∩B| = j/(1+j) · (|A|+|B|)`. Symmetric; `0` when either is empty.
pub fn estimated_containment(a: &Fingerprint, b: &Fingerprint) -> f32 {
    containment_from(estimated_similarity(a, b), a.shingles, b.shingles)
}

/// [`estimated_containment`] from an already computed similarity.
pub(crate) fn containment_from(j: f32, na: u32, nb: u32) -> f32 {
    let small = na.min(nb);
    if small == 0 {
        return 0.0;
    }
    let both = f64::from(j) / (1.0 + f64::from(j)) * (f64::from(na) + f64::from(nb));
    (both / f64::from(small)).min(1.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutations_are_pinned() {
        assert_eq!(PERMUTATIONS[0].0 & 1, 1);
        let fp = Fingerprint::of_text("satu dua tiga empat");
        assert_eq!(fp.shingles, 2);
        assert_eq!(fp.content, Some(sha64(b"satu dua tiga empat")));
        // Pins the whole pipeline (words → shingles → MinHash → bands).
        let first = fp.bands().next().unwrap();
        assert_eq!(first.band, 0);
        assert_eq!((fp.signature.0[0], fp.signature.0[127], first.key), PINNED);
    }

    const PINNED: (u32, u32, u64) = (2_381_197_644, 1_683_594_903, 17_224_910_914_846_726_704);

    #[test]
    fn short_texts_are_one_shingle() {
        assert_eq!(Fingerprint::of_text("halo dunia").shingles, 1);
        assert!(Fingerprint::of_text(" — ").is_empty());
        assert_eq!(Fingerprint::of_text(" — ").bands().count(), 0);
    }

    #[test]
    fn signatures_round_trip_through_bytes() {
        let s = Fingerprint::of_text("a b c d e f g").signature;
        assert_eq!(Signature::from_bytes(&s.to_bytes()).unwrap(), s);
        assert!(Signature::from_bytes(&[0; 3]).is_err());
    }

    #[test]
    fn containment_of_a_subset_is_high() {
        let long: String = (0..400).map(|i| format!("kata{i} ")).collect();
        let half: String = (0..200).map(|i| format!("kata{i} ")).collect();
        let (a, b) = (Fingerprint::of_text(&long), Fingerprint::of_text(&half));
        let j = estimated_similarity(&a, &b);
        assert!((0.35..0.65).contains(&j), "{j}");
        assert!(estimated_containment(&a, &b) > 0.85);
    }
}
