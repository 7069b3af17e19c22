//! A bounded memo of the names found in sentences already tagged.
//!
//! News repeats itself: a syndicated story reaches a store from many sites with
//! most sentences unchanged, and every page of a site carries the same
//! boilerplate lines. Tagging is a pure function of a sentence's tokens, so a
//! sentence seen before is answered from here. Shards keep the lock of one
//! worker thread out of another's way; a shard that fills up is emptied, which
//! bounds memory without bookkeeping on every hit.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

use super::NerSpan;

const SHARDS: usize = 16;
/// Sentences kept per shard (about 10 MB for all shards at news sentence lengths).
const PER_SHARD: usize = 4096;
/// Longer sentences are rare repeats and costly keys: they are always tagged.
const MAX_KEY_BYTES: usize = 1024;

/// One shard: sentence (its tokens joined) → the names found in it.
type Shard = Mutex<HashMap<Box<str>, Box<[NerSpan]>>>;

/// The memo: sentences spread over shards by hash.
#[derive(Default)]
pub(crate) struct SentenceMemo {
    hasher: RandomState,
    shards: [Shard; SHARDS],
}

impl std::fmt::Debug for SentenceMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceMemo").finish_non_exhaustive()
    }
}

impl SentenceMemo {
    /// The names in `tokens`, from the memo or from `tag` (then remembered).
    pub(crate) fn get_or_insert(
        &self,
        tokens: &[&str],
        tag: impl FnOnce() -> Vec<NerSpan>,
    ) -> Vec<NerSpan> {
        let bytes: usize = tokens.iter().map(|t| t.len() + 1).sum();
        if tokens.is_empty() || bytes > MAX_KEY_BYTES {
            return tag();
        }
        // Tokens never contain control characters, so U+001F separates them unambiguously.
        let mut key = String::with_capacity(bytes);
        for t in tokens {
            key.push_str(t);
            key.push('\u{1f}');
        }
        let shard = &self.shards[(self.hasher.hash_one(&key) as usize) % SHARDS];
        if let Some(found) = lock(shard).get(key.as_str()) {
            return found.to_vec();
        }
        let spans = tag();
        let mut map = lock(shard);
        if map.len() >= PER_SHARD {
            map.clear();
        }
        map.insert(key.into_boxed_str(), spans.clone().into_boxed_slice());
        spans
    }
}

/// The shard's map; a worker that panicked while holding it left a map that is
/// still valid (inserts are single calls), so its poisoning is ignored.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::NerLabel;

    fn span(start: usize) -> NerSpan {
        NerSpan {
            start,
            end: start + 1,
            label: NerLabel::Person,
        }
    }

    #[test]
    fn a_sentence_seen_before_is_not_tagged_again() {
        let memo = SentenceMemo::default();
        let mut calls = 0;
        for _ in 0..3 {
            let got = memo.get_or_insert(&["Budi", "pergi"], || {
                calls += 1;
                vec![span(0)]
            });
            assert_eq!(got, vec![span(0)]);
        }
        assert_eq!(calls, 1);
    }

    #[test]
    fn token_boundaries_are_part_of_the_key() {
        let memo = SentenceMemo::default();
        memo.get_or_insert(&["ab", "c"], || vec![span(0)]);
        assert_eq!(
            memo.get_or_insert(&["a", "bc"], || vec![span(1)]),
            vec![span(1)]
        );
    }

    #[test]
    fn memory_stays_bounded() {
        let memo = SentenceMemo::default();
        for i in 0..(SHARDS * PER_SHARD * 3) {
            let w = i.to_string();
            memo.get_or_insert(&[w.as_str()], Vec::new);
        }
        let kept: usize = memo.shards.iter().map(|s| lock(s).len()).sum();
        assert!(kept <= SHARDS * PER_SHARD, "{kept}");
    }
}
