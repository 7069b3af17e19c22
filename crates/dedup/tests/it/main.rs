//! Integration tests of warta-dedup: properties, the conformance suite on the
//! in-memory index, and the pair sets.

use std::path::Path;

use proptest::prelude::*;
use warta_dedup::eval::{Source, generate, read_pairs, score};
use warta_dedup::{
    Decision, DedupConfig, DuplicateIndex, Fingerprint, MemoryDuplicateIndex, compare,
    estimated_similarity, normalize_url,
};

#[test]
fn memory_index_passes_the_conformance_suite() {
    warta_dedup::conformance::check_duplicate_index(MemoryDuplicateIndex::new);
}

/// Word lists that look like news text: a vocabulary of 400 words.
fn words(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(0u32..400, n)
        .prop_map(|v| v.into_iter().map(|w| format!("k{w}")).collect())
}

fn text(ws: &[String]) -> String {
    ws.chunks(25)
        .map(|c| c.join(" ") + ".")
        .collect::<Vec<_>>()
        .join("\n\n")
}

proptest! {
    #[test]
    fn fingerprints_are_deterministic(ws in words(0..300)) {
        let t = text(&ws);
        prop_assert_eq!(Fingerprint::of_text(&t), Fingerprint::of_text(&t));
        let a: Vec<_> = Fingerprint::of_text(&t).bands().collect();
        prop_assert_eq!(a, Fingerprint::of_text(&t).bands().collect::<Vec<_>>());
    }

    #[test]
    fn similarity_is_symmetric(a in words(1..200), b in words(1..200)) {
        let (fa, fb) = (Fingerprint::of_text(&text(&a)), Fingerprint::of_text(&text(&b)));
        prop_assert_eq!(estimated_similarity(&fa, &fb), estimated_similarity(&fb, &fa));
        let cfg = DedupConfig::default();
        prop_assert_eq!(compare(&fa, &fb, &cfg), compare(&fb, &fa, &cfg));
        let s = estimated_similarity(&fa, &fb);
        prop_assert!((0.0..=1.0).contains(&s));
    }

    #[test]
    fn an_article_duplicates_itself(ws in words(1..300)) {
        let t = text(&ws);
        let fp = Fingerprint::of_text(&t);
        prop_assert_eq!(estimated_similarity(&fp, &fp), 1.0);
        let mut idx = MemoryDuplicateIndex::new();
        let cfg = DedupConfig::default();
        prop_assert_eq!(idx.add("x", &fp, &cfg).unwrap(), Decision::New);
        let again = idx.find(&Fingerprint::of_text(&t.to_uppercase()), &cfg).unwrap();
        prop_assert_eq!(again.canonical(), Some("x"));
        prop_assert!(idx.candidates(&fp).unwrap().len() == 1);
    }

    #[test]
    fn boilerplate_keeps_a_copy_a_duplicate(
        ws in words(80..400),
        dateline in prop::sample::select(vec!["JAKARTA, KOMPAS.com -", "Jakarta, CNN Indonesia --", "WASHINGTON (Reuters) -", ""]),
        insert in prop::sample::select(vec!["Baca juga: Harga cabai naik lagi di Pasar Minggu", "ADVERTISEMENT", "Read more: What higher rates mean for you", ""]),
        credit in prop::sample::select(vec!["(ant/rdk)", "Editor: Rina Susanti", "Reporting by Jane Holloway; Editing by Mark Tennant", ""]),
        at in 0usize..4,
    ) {
        let original = text(&ws);
        let mut paras: Vec<String> = original.split("\n\n").map(str::to_string).collect();
        paras[0] = format!("{dateline} {}", paras[0]);
        let at = at.min(paras.len());
        paras.insert(at, insert.to_string());
        paras.push(credit.to_string());
        let copy = paras.join("\n\n");
        let mut idx = MemoryDuplicateIndex::new();
        let cfg = DedupConfig::default();
        idx.add("orig", &Fingerprint::of_text(&original), &cfg).unwrap();
        let d = idx.find(&Fingerprint::of_text(&copy), &cfg).unwrap();
        prop_assert_eq!(d.canonical(), Some("orig"), "{:?}", d);
    }

    /// Fuzz-style: any text and any address, no panic.
    #[test]
    fn arbitrary_input_does_not_panic(t in any::<String>(), u in any::<String>(), b in any::<String>()) {
        let fp = Fingerprint::of_text(&t).with_url(&u);
        let _ = fp.bands().count();
        let _ = normalize_url(&u);
        let _ = normalize_url(&format!("https://x.example/{u}?{t}#{b}"));
        let other = Fingerprint::of_text(&b);
        let _ = compare(&fp, &other, &DedupConfig::default());
        let mut idx = MemoryDuplicateIndex::new();
        idx.add("a", &fp, &DedupConfig::default()).unwrap();
        idx.add("b", &other, &DedupConfig::default()).unwrap();
    }
}

/// Unrelated texts rarely share a band: lookups read few candidates however many
/// texts are stored (no all-pairs comparison).
#[test]
fn lookups_read_few_candidates() {
    let mut idx = MemoryDuplicateIndex::new();
    let cfg = DedupConfig::default();
    let mut state = 1u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut texts = Vec::new();
    for i in 0..2000 {
        let t: String = (0..150).map(|_| format!("w{} ", next() % 5000)).collect();
        let fp = Fingerprint::of_text(&t);
        assert_eq!(idx.add(&i.to_string(), &fp, &cfg).unwrap(), Decision::New);
        texts.push(fp);
    }
    let total: usize = texts
        .iter()
        .map(|fp| idx.candidates(fp).unwrap().len())
        .sum();
    // Each text finds itself; others are rare.
    assert!(total < 2000 + 20, "{total} candidates for 2000 lookups");
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn committed_pairs_are_judged_well() {
    let pairs = read_pairs(&std::fs::read_to_string(fixture("pairs.jsonl")).unwrap()).unwrap();
    assert!(pairs.iter().filter(|p| p.duplicate).count() >= 30);
    assert!(pairs.iter().filter(|p| !p.duplicate).count() >= 30);
    let (counts, decisions) = score(&pairs, &DedupConfig::default());
    let wrong: Vec<_> = pairs
        .iter()
        .zip(&decisions)
        .filter(|(p, d)| p.duplicate != d.is_duplicate())
        .map(|(p, d)| format!("{}: {d:?}", p.id))
        .collect();
    assert!(
        counts.precision() >= 0.95 && counts.recall() >= 0.95,
        "{counts}\n{wrong:#?}"
    );
}

/// Pairs generated from the shared extraction benchmark (skipped without `../shared`).
#[test]
fn generated_pairs_from_the_shared_benchmark() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench");
    let files = [
        root.join("extraction/dev/truth.jsonl"),
        root.join("extraction-id/dev/truth.jsonl"),
    ];
    if !files[0].exists() {
        eprintln!(
            "skipped: {} is absent (the shared benchmark data)",
            files[0].display()
        );
        return;
    }
    let mut sources = Vec::new();
    for f in files.iter().filter(|f| f.exists()) {
        for line in std::fs::read_to_string(f).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            sources.push(Source {
                id: v["id"].as_str().unwrap_or_default().to_string(),
                title: v["headline"].as_str().map(str::to_string),
                text: v["articleBody"].as_str().unwrap_or_default().to_string(),
            });
        }
    }
    let pairs = generate(&sources);
    assert!(pairs.len() > 300);
    let (counts, _) = score(&pairs, &DedupConfig::default());
    assert!(
        counts.precision() >= 0.95 && counts.recall() >= 0.95,
        "{counts}"
    );
}
