//! The duplicate index: the fingerprints seen so far, looked up in time that does
//! not grow with their number.

use std::collections::HashMap;
use std::convert::Infallible;

use crate::decide::{Decision, DedupConfig, ExactBy, near};
use crate::fingerprint::{BandKey, Fingerprint};

/// A stored article that shares at least one LSH band key with a fingerprint.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The stored article's id.
    pub id: String,
    /// The id of the canonical article it was recorded under (its own id when it
    /// was new).
    pub canonical: String,
    /// Its fingerprint.
    pub fingerprint: Fingerprint,
}

/// Where fingerprints are kept: in memory ([`MemoryDuplicateIndex`]) or in the
/// store's tables.
///
/// A backend answers three lookups and records entries; the decision itself
/// ([`DuplicateIndex::find`]) is provided, so every backend decides alike. What a
/// backend keeps per article: its id, its canonical id, the fingerprint
/// (`url_key`, `content`, `shingles`, signature bytes), and one row per band key
/// `(band, key) → article`, indexed on `(band, key)`; plus an index on `url_key`
/// and on `content`. The 64-bit keys fit SQLite's `INTEGER` as `key as i64` (same
/// bits, read back with `as u64`); the signature is a BLOB
/// ([`crate::Signature::to_bytes`]); [`crate::FINGERPRINT_VERSION`] is stored once,
/// and fingerprints are recomputed when it changes.
///
/// **Canonical = first seen.** The first article of a story to be added is its
/// canonical article; later copies are recorded under it, and a copy of a copy is
/// recorded under the same canonical. Copies are indexed too, so a later copy that
/// resembles an earlier copy more than the original is still found.
///
/// Backends are checked with [`crate::conformance::check_duplicate_index`].
pub trait DuplicateIndex {
    /// Errors of the backend (I/O, database).
    type Error: std::error::Error + Send + Sync + 'static;

    /// The canonical id of the first stored article with this URL key.
    ///
    /// # Errors
    /// Backend failures.
    fn canonical_by_url(&self, url_key: u64) -> Result<Option<String>, Self::Error>;

    /// The canonical id of the first stored article with this content hash.
    ///
    /// # Errors
    /// Backend failures.
    fn canonical_by_content(&self, content: u64) -> Result<Option<String>, Self::Error>;

    /// The stored articles sharing at least one band key
    /// ([`Fingerprint::bands`]) with `fingerprint`, each once, in the order they
    /// were inserted.
    ///
    /// # Errors
    /// Backend failures.
    fn candidates(&self, fingerprint: &Fingerprint) -> Result<Vec<Candidate>, Self::Error>;

    /// Records article `id` with its fingerprint under `canonical` (its own id
    /// when it is new). URL and content keys already present keep their first
    /// article.
    ///
    /// # Errors
    /// Backend failures.
    fn insert(
        &mut self,
        id: &str,
        canonical: &str,
        fingerprint: &Fingerprint,
    ) -> Result<(), Self::Error>;

    /// Decides whether `fingerprint` duplicates a stored article, without
    /// recording it: the same URL, else the same text (exact), else the candidate
    /// with the highest estimated similarity among those [`crate::compare`] calls near
    /// (the earliest on ties), else new.
    ///
    /// # Errors
    /// Backend failures.
    fn find(
        &self,
        fingerprint: &Fingerprint,
        config: &DedupConfig,
    ) -> Result<Decision, Self::Error> {
        if let Some(key) = fingerprint.url_key {
            if let Some(canonical) = self.canonical_by_url(key)? {
                return Ok(Decision::Exact {
                    canonical,
                    by: ExactBy::Url,
                });
            }
        }
        if let Some(content) = fingerprint.content {
            if let Some(canonical) = self.canonical_by_content(content)? {
                return Ok(Decision::Exact {
                    canonical,
                    by: ExactBy::Content,
                });
            }
        }
        let mut best: Option<Decision> = None;
        let mut best_similarity = -1.0f32;
        for c in self.candidates(fingerprint)? {
            // URL and content were looked up above; only the near rules are left.
            if let Some((similarity, containment)) = near(fingerprint, &c.fingerprint, config) {
                if similarity > best_similarity {
                    best_similarity = similarity;
                    best = Some(Decision::Near {
                        canonical: c.canonical,
                        similarity,
                        containment,
                    });
                }
            }
        }
        Ok(best.unwrap_or(Decision::New))
    }

    /// Decides like [`DuplicateIndex::find`], then records the article under the
    /// canonical id found (its own id when new), and returns the decision.
    ///
    /// # Errors
    /// Backend failures.
    fn add(
        &mut self,
        id: &str,
        fingerprint: &Fingerprint,
        config: &DedupConfig,
    ) -> Result<Decision, Self::Error> {
        let decision = self.find(fingerprint, config)?;
        let canonical = decision.canonical().unwrap_or(id).to_string();
        self.insert(id, &canonical, fingerprint)?;
        Ok(decision)
    }
}

/// One recorded article.
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    canonical: String,
    fingerprint: Fingerprint,
}

/// The in-memory [`DuplicateIndex`]: hash maps from URL key, content hash and
/// band key to entries. For tests, evaluation and one-off batches; it never fails.
#[derive(Debug, Default, Clone)]
pub struct MemoryDuplicateIndex {
    entries: Vec<Entry>,
    by_url: HashMap<u64, usize>,
    by_content: HashMap<u64, usize>,
    buckets: HashMap<BandKey, Vec<usize>>,
}

impl MemoryDuplicateIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of recorded articles.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl DuplicateIndex for MemoryDuplicateIndex {
    type Error = Infallible;

    fn canonical_by_url(&self, url_key: u64) -> Result<Option<String>, Infallible> {
        Ok(self
            .by_url
            .get(&url_key)
            .map(|&i| self.entries[i].canonical.clone()))
    }

    fn canonical_by_content(&self, content: u64) -> Result<Option<String>, Infallible> {
        Ok(self
            .by_content
            .get(&content)
            .map(|&i| self.entries[i].canonical.clone()))
    }

    fn candidates(&self, fingerprint: &Fingerprint) -> Result<Vec<Candidate>, Infallible> {
        let mut hits: Vec<usize> = fingerprint
            .bands()
            .filter_map(|b| self.buckets.get(&b))
            .flatten()
            .copied()
            .collect();
        hits.sort_unstable();
        hits.dedup();
        Ok(hits
            .into_iter()
            .map(|i| {
                let e = &self.entries[i];
                Candidate {
                    id: e.id.clone(),
                    canonical: e.canonical.clone(),
                    fingerprint: e.fingerprint.clone(),
                }
            })
            .collect())
    }

    fn insert(
        &mut self,
        id: &str,
        canonical: &str,
        fingerprint: &Fingerprint,
    ) -> Result<(), Infallible> {
        let i = self.entries.len();
        if let Some(k) = fingerprint.url_key {
            self.by_url.entry(k).or_insert(i);
        }
        if let Some(c) = fingerprint.content {
            self.by_content.entry(c).or_insert(i);
        }
        for b in fingerprint.bands() {
            self.buckets.entry(b).or_default().push(i);
        }
        self.entries.push(Entry {
            id: id.to_string(),
            canonical: canonical.to_string(),
            fingerprint: fingerprint.clone(),
        });
        Ok(())
    }
}
