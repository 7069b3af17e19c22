//! The conformance suite every [`DuplicateIndex`] backend runs in its tests.
//!
//! ```
//! warta_dedup::conformance::check_duplicate_index(warta_dedup::MemoryDuplicateIndex::new);
//! ```

use std::fmt::Debug;

use crate::decide::{Decision, DedupConfig, ExactBy};
use crate::fingerprint::Fingerprint;
use crate::index::DuplicateIndex;

/// Story `n`: four paragraphs of 30 words drawn from a 3,000-word synthetic
/// vocabulary by a generator seeded with `n`, so different stories share
/// shingles only by chance.
fn story(n: u64) -> String {
    let mut state = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5eed;
    let mut paras = Vec::new();
    for _ in 0..4 {
        let words: Vec<String> = (0..30)
            .map(|_| {
                let (s, v) = crate::hash::splitmix64(state);
                state = s;
                format!("kata{}", v % 3000)
            })
            .collect();
        paras.push(words.join(" ") + ".");
    }
    paras.join("\n\n")
}

fn ok<T, E: Debug>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: backend error {e:?}"),
    }
}

/// Runs the suite against fresh indexes made by `make`, panicking on the first
/// broken contract. Covers: empty index, exact duplicates by URL and by content,
/// near duplicates, canonical = first seen (also through a copy of a copy),
/// `find` not recording, `candidates` each once in insertion order, empty texts
/// matching nothing, unrelated texts staying new.
pub fn check_duplicate_index<I: DuplicateIndex>(mut make: impl FnMut() -> I) {
    let cfg = DedupConfig::default();

    // An empty index knows nothing.
    let idx = make();
    let a = Fingerprint::of_text(&story(1)).with_url("https://a.example/1");
    assert_eq!(ok(idx.find(&a, &cfg), "find"), Decision::New, "empty index");
    assert!(ok(idx.candidates(&a), "candidates").is_empty());

    // Exact by content, by URL; first seen stays canonical.
    let mut idx = make();
    assert_eq!(ok(idx.add("a", &a, &cfg), "add"), Decision::New);
    let same_text = Fingerprint::of_text(&story(1).to_uppercase()).with_url("https://b.example/9");
    assert_eq!(
        ok(idx.find(&same_text, &cfg), "find"),
        Decision::Exact {
            canonical: "a".into(),
            by: ExactBy::Content
        },
        "same normalised text"
    );
    let same_url = Fingerprint::of_text(&story(2)).with_url("http://www.a.example/1/?utm_source=x");
    assert_eq!(
        ok(idx.find(&same_url, &cfg), "find"),
        Decision::Exact {
            canonical: "a".into(),
            by: ExactBy::Url
        },
        "same canonical URL"
    );
    // `find` recorded nothing: a second story is still new after being looked up.
    let b = Fingerprint::of_text(&story(2));
    assert_eq!(ok(idx.find(&b, &cfg), "find"), Decision::New);
    assert_eq!(
        ok(idx.find(&b, &cfg), "find"),
        Decision::New,
        "find must not record"
    );

    // Near: a syndicated copy (dateline, "Baca juga" line, credit) of `a`.
    let copy = format!(
        "JAKARTA, KOMPAS.com - {}\n\nBaca juga: Harga cabai naik lagi\n\n(ant/rw)",
        story(1)
    );
    let copy_fp = Fingerprint::of_text(&copy);
    match ok(idx.add("a-copy", &copy_fp, &cfg), "add") {
        Decision::Near {
            canonical,
            similarity,
            ..
        } => {
            assert_eq!(canonical, "a", "a near copy names the first-seen article");
            assert!(similarity >= cfg.near_similarity);
        }
        other => panic!("syndicated copy: {other:?}"),
    }
    // A copy of the copy is recorded under the first-seen article too.
    let copy2 = format!("{copy}\n\nSimak berita lainnya di kanal kami.");
    let d = ok(
        idx.add("a-copy-2", &Fingerprint::of_text(&copy2), &cfg),
        "add",
    );
    assert_eq!(d.canonical(), Some("a"), "copy of a copy: {d:?}");
    // Exact lookups of a copy's text name the canonical article as well.
    let d = ok(idx.find(&copy_fp, &cfg), "find");
    assert_eq!(d.canonical(), Some("a"), "exact copy of a copy: {d:?}");

    // Candidates: each once, in insertion order.
    let cands = ok(idx.candidates(&a), "candidates");
    let ids: Vec<&str> = cands.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["a", "a-copy", "a-copy-2"], "candidates");
    assert!(cands.iter().all(|c| c.canonical == "a"));
    assert_eq!(cands[0].fingerprint, a, "fingerprints round-trip");

    // Unrelated stories stay new; empty texts match nothing by content.
    assert_eq!(ok(idx.add("b", &b, &cfg), "add"), Decision::New);
    let empty = Fingerprint::of_text("");
    assert_eq!(ok(idx.add("e1", &empty, &cfg), "add"), Decision::New);
    assert_eq!(
        ok(idx.add("e2", &empty, &cfg), "add"),
        Decision::New,
        "empty texts"
    );
    for n in 3..40 {
        let f = Fingerprint::of_text(&story(n * 101));
        assert_eq!(
            ok(idx.add(&format!("s{n}"), &f, &cfg), "add"),
            Decision::New,
            "unrelated story {n}"
        );
    }
}
