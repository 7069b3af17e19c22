//! Quote attribution on the hand-written gold sets (`tests/fixtures/quotes/`):
//! floors under the figures `warta eval quotes` prints, so a change that
//! breaks attribution fails here. `gold.jsonl` is the set the rules were
//! written against; `holdout.jsonl` and `holdout2.jsonl` were written blind
//! (their first runs gave 0.739 and 0.835 direct-quote speaker F1).

use warta_core::{Analyzer, Article};
use warta_nlp::TextAnalyzer;
use warta_nlp::quotes::eval::{Scores, read_gold, score};

/// Scores the analysis of every document of `name` against its gold quotes.
fn scores(name: &str, min_docs: usize) -> Scores {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/quotes")
        .join(name);
    let gold = read_gold(&path).expect("the gold set reads");
    assert!(gold.len() >= min_docs);
    let analyzer = TextAnalyzer::default();
    let predicted: Vec<_> = gold
        .iter()
        .map(|d| {
            let mut a = Article::from_text(Some(d.id.clone()), &d.id, None, &d.text);
            a.published.clone_from(&d.published);
            analyzer.analyze(&mut a);
            a.quotes.unwrap_or_default()
        })
        .collect();
    let s = score(&gold, &predicted);
    println!("{name}: {s}");
    s
}

#[test]
fn the_gold_set_keeps_its_figures() {
    let s = scores("gold.jsonl", 60);
    assert!(s.found.f1() >= 0.89, "{s}");
    assert!(s.found.precision() >= 0.95, "{s}");
    assert!(s.direct_speaker.f1() >= 0.94, "{s}");
    assert!(s.direct_speaker.precision() >= 0.96, "{s}");
}

#[test]
fn the_first_blind_set_keeps_its_figures() {
    let s = scores("holdout.jsonl", 30);
    assert!(s.found.f1() >= 0.89, "{s}");
    assert!(s.direct_speaker.f1() >= 0.87, "{s}");
    assert!(s.direct_speaker.precision() >= 0.87, "{s}");
}

#[test]
fn the_second_blind_set_keeps_its_figures() {
    let s = scores("holdout2.jsonl", 40);
    assert!(s.found.f1() >= 0.94, "{s}");
    assert!(s.direct_speaker.f1() >= 0.94, "{s}");
    assert!(s.direct_speaker.precision() >= 0.94, "{s}");
}
