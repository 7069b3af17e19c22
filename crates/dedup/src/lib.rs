//! Exact and near-duplicate detection for news articles.
//!
//! The same story reaches a reader many times: under several addresses (tracking
//! parameters, AMP, mobile hosts), and as copies on other sites (agency copy run
//! by several outlets with their own headline, dateline, "Baca juga" lines and
//! credits, light edits, or cut short). warta keeps one canonical article per
//! story and records the others as its copies.
//!
//! How:
//! - a [`Fingerprint`] keeps what is needed: the [`url_key`] of the canonical
//!   URL, a hash of the normalised text ([`normalize_text`]) for exact copies, and
//!   a MinHash [`Signature`] of the text's word shingles for near copies;
//! - [`Fingerprint::bands`] cuts the signature into LSH band keys; a store
//!   indexes them, so a lookup reads only the few articles sharing a key
//!   (locality-sensitive hashing): the cost per article does not grow with the
//!   corpus, and there is no all-pairs comparison;
//! - [`compare`] is the decision rule over two fingerprints (same URL or text:
//!   exact; high estimated similarity, or a truncated copy by containment: near);
//! - a [`DuplicateIndex`] keeps fingerprints and applies the rule to new ones;
//!   [`MemoryDuplicateIndex`] is the in-memory backend and
//!   [`conformance::check_duplicate_index`] the suite other backends run.
//!
//! Everything persisted (hashes, signatures, band keys) is stable across
//! platforms and runs for a given [`FINGERPRINT_VERSION`].
//!
//! Parameters, chosen by measurement with `warta eval dedup` on the committed
//! pair set and on pairs generated from the extraction benchmark (README,
//! "Measuring"): word 3-shingles; 192 MinHash values in 64 bands × 3 rows, so a
//! pair becomes a candidate with probability 0.40 at similarity 0.2, 0.83 at 0.3,
//! 0.985 at 0.4 and 0.9998 at 0.5 (32 × 4 over 128 values missed edited copies at
//! 0.4–0.45; 64 × 2 read twenty times as many candidates); near at estimated
//! similarity ≥ 0.4, or containment ≥ 0.65 when the smaller text has at least
//! 30 % of the larger's shingles. Different stories on the same topic measured at
//! most 0.2, copies mostly above 0.4. Boilerplate lines are not stripped: they
//! cost a copy a few shingles, not enough to matter at these thresholds.
//!
//! A follow-up story (same event, new facts) is *not* a duplicate: it shares
//! background paragraphs with the first report but says something new.
//!
//! This crate does no I/O.

pub mod conformance;
mod decide;
pub mod eval;
mod fingerprint;
mod hash;
mod index;
mod normalize;
mod urlnorm;

pub use decide::{Decision, DedupConfig, ExactBy, Verdict, compare};
pub use fingerprint::{
    BAND_ROWS, BandKey, FINGERPRINT_VERSION, Fingerprint, NUM_BANDS, NUM_HASHES, SHINGLE_WORDS,
    Signature, estimated_containment, estimated_similarity,
};
pub use index::{Candidate, DuplicateIndex, MemoryDuplicateIndex};
pub use normalize::normalize_text;
pub use urlnorm::{normalize_url, url_key};

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum DedupError {
    /// A stored signature has the wrong length.
    #[error("a signature is {expected} bytes, not {0}", expected = 4 * NUM_HASHES)]
    SignatureLength(usize),
    /// A pair file line is not a pair.
    #[error("line {line}: {message}")]
    PairLine {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}
