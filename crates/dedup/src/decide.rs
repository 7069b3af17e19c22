//! The decision rule: is a new fingerprint a copy of a stored one?

use crate::fingerprint::{Fingerprint, containment_from, estimated_similarity};

/// Thresholds of the decision rule. The defaults were chosen by measurement on
/// the pair sets (`warta eval dedup`; see the crate documentation). Readable from
/// configuration files: missing keys take the defaults, unknown keys fail.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DedupConfig {
    /// Estimated Jaccard similarity of the shingle sets at or above which two
    /// texts are near duplicates.
    pub near_similarity: f32,
    /// Estimated share of the smaller text's shingles found in the larger at or
    /// above which the smaller is a (truncated or shortened) copy…
    pub containment: f32,
    /// …provided the smaller has at least this share of the larger's shingles (a
    /// quoted paragraph is not a copy of the story it is quoted in).
    pub min_size_ratio: f32,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            near_similarity: 0.4,
            containment: 0.65,
            min_size_ratio: 0.3,
        }
    }
}

/// How an exact duplicate was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExactBy {
    /// Both have the same normalised canonical URL ([`crate::url_key`]).
    Url,
    /// Both have the same normalised text ([`Fingerprint::content`]).
    Content,
}

/// What a fingerprint is, compared with what is already known.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// The same story by URL or by exact normalised text.
    Exact {
        /// The id of the canonical (first-seen) article.
        canonical: String,
        /// What matched.
        by: ExactBy,
    },
    /// A near duplicate: a syndicated or lightly edited copy, or a truncated one.
    Near {
        /// The id of the canonical (first-seen) article.
        canonical: String,
        /// Estimated Jaccard similarity with the stored article it matched.
        similarity: f32,
        /// Estimated share of the smaller text found in the larger.
        containment: f32,
    },
    /// Not a duplicate of anything known.
    New,
}

impl Decision {
    /// The canonical article's id, unless the fingerprint is new.
    pub fn canonical(&self) -> Option<&str> {
        match self {
            Decision::Exact { canonical, .. } | Decision::Near { canonical, .. } => Some(canonical),
            Decision::New => None,
        }
    }

    /// True for `Exact` and `Near`.
    pub fn is_duplicate(&self) -> bool {
        !matches!(self, Decision::New)
    }
}

/// The outcome of comparing two fingerprints directly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Same URL key or same content hash.
    Exact(ExactBy),
    /// Near duplicates, with the estimated similarity and containment.
    Near {
        /// Estimated Jaccard similarity.
        similarity: f32,
        /// Estimated containment of the smaller in the larger.
        containment: f32,
    },
    /// Different stories.
    Different,
}

/// Compares two fingerprints with the decision rule:
/// 1. the same URL key → exact;
/// 2. the same content hash (texts with words only) → exact;
/// 3. estimated similarity ≥ `near_similarity` → near;
/// 4. estimated containment ≥ `containment` and the smaller text has at least
///    `min_size_ratio` of the larger's shingles → near (a truncated copy, or one
///    with a paragraph added);
/// 5. else different.
///
/// Symmetric in `a` and `b`.
pub fn compare(a: &Fingerprint, b: &Fingerprint, config: &DedupConfig) -> Verdict {
    if a.url_key.is_some() && a.url_key == b.url_key {
        return Verdict::Exact(ExactBy::Url);
    }
    if a.content.is_some() && a.content == b.content {
        return Verdict::Exact(ExactBy::Content);
    }
    match near(a, b, config) {
        Some((similarity, containment)) => Verdict::Near {
            similarity,
            containment,
        },
        None => Verdict::Different,
    }
}

/// Rules 3 and 4 of [`compare`]: `Some((similarity, containment))` for near duplicates.
pub(crate) fn near(a: &Fingerprint, b: &Fingerprint, config: &DedupConfig) -> Option<(f32, f32)> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let similarity = estimated_similarity(a, b);
    let containment = containment_from(similarity, a.shingles, b.shingles);
    let ratio = a.shingles.min(b.shingles) as f32 / a.shingles.max(b.shingles) as f32;
    (similarity >= config.near_similarity
        || (containment >= config.containment && ratio >= config.min_size_ratio))
        .then_some((similarity, containment))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(from: usize, to: usize) -> String {
        (from..to).map(|i| format!("w{i} ")).collect()
    }

    #[test]
    fn config_reads_with_defaults_and_rejects_unknown_keys() {
        let c: DedupConfig = serde_json::from_str(r#"{"near_similarity": 0.5}"#).unwrap();
        assert_eq!(c.near_similarity, 0.5);
        assert_eq!(c.containment, DedupConfig::default().containment);
        assert!(serde_json::from_str::<DedupConfig>(r#"{"threshold": 0.5}"#).is_err());
    }

    #[test]
    fn a_truncated_copy_is_near_but_a_quoted_paragraph_is_not() {
        let cfg = DedupConfig::default();
        let full = Fingerprint::of_text(&words(0, 300));
        // Cut to 40 %: similarity about 0.4 or below, containment about 1.
        let cut = Fingerprint::of_text(&words(0, 120));
        assert!(matches!(compare(&full, &cut, &cfg), Verdict::Near { .. }));
        // One paragraph (10 %) of the story inside another story.
        let quoted = Fingerprint::of_text(&(words(0, 30) + &words(1000, 1270)));
        assert_eq!(compare(&full, &quoted, &cfg), Verdict::Different);
        assert_eq!(
            compare(&full, &Fingerprint::of_text(""), &cfg),
            Verdict::Different
        );
    }
}
