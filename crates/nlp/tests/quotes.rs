//! Quote attribution on the hand-written gold set (`tests/fixtures/quotes/`):
//! a floor under the figures `warta eval quotes` prints, so a change that
//! breaks attribution fails here.

use warta_core::{Analyzer, Article};
use warta_nlp::TextAnalyzer;
use warta_nlp::quotes::eval::{read_gold, score};

#[test]
fn the_gold_set_keeps_its_figures() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quotes/gold.jsonl");
    let gold = read_gold(&path).expect("the gold set reads");
    assert!(gold.len() >= 60);
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
    println!("{s}");
    assert!(s.found.f1() >= 0.85, "{s}");
    assert!(s.found.precision() >= 0.95, "{s}");
    assert!(s.direct_speaker.f1() >= 0.84, "{s}");
    assert!(s.direct_speaker.precision() >= 0.88, "{s}");
}
