//! Tests of the embedded recognizers: sentences written here, robustness on
//! arbitrary input, and a run over the shared validation sets when present.

use std::path::PathBuf;

use proptest::prelude::*;

use super::*;

fn names(tokens: &[&str]) -> Vec<(String, NerLabel)> {
    Recognizer::embedded()
        .recognize(tokens)
        .into_iter()
        .map(|s| (tokens[s.start..s.end].join(" "), s.label))
        .collect()
}

fn split(s: &str) -> Vec<&str> {
    s.split(' ').collect()
}

#[test]
fn president_and_places_in_an_indonesian_sentence() {
    let toks = split("Presiden Joko Widodo tiba di Surabaya , Jawa Timur , Rabu ( 13/9/2023 ) .");
    let found = names(&toks);
    assert!(
        found.contains(&("Joko Widodo".into(), NerLabel::Person)),
        "{found:?}"
    );
    assert!(
        found.contains(&("Surabaya".into(), NerLabel::Place)),
        "{found:?}"
    );
    assert!(
        found.contains(&("Jawa Timur".into(), NerLabel::Place)),
        "{found:?}"
    );
    // Titles and weekdays are not names.
    assert!(
        found
            .iter()
            .all(|(n, _)| !n.contains("Presiden") && !n.contains("Rabu")),
        "{found:?}"
    );
}

#[test]
fn organisations_people_and_places() {
    let toks = split(
        "Menteri Keuangan Sri Mulyani mengatakan Bank Indonesia akan menahan suku bunga , kata dia di Jakarta .",
    );
    let found = names(&toks);
    assert!(
        found.contains(&("Sri Mulyani".into(), NerLabel::Person)),
        "{found:?}"
    );
    assert!(
        found.contains(&("Bank Indonesia".into(), NerLabel::Organization)),
        "{found:?}"
    );
    assert!(
        found.contains(&("Jakarta".into(), NerLabel::Place)),
        "{found:?}"
    );
}

#[test]
fn english_names_still_mostly_come_out() {
    let toks = split("President Joe Biden met Prime Minister Rishi Sunak in London on Tuesday .");
    let found = names(&toks);
    let persons = found.iter().filter(|(_, l)| *l == NerLabel::Person).count();
    assert!(persons >= 1, "{found:?}");
    assert!(found.iter().any(|(n, _)| n.contains("London")), "{found:?}");
}

#[test]
fn spans_are_ordered_and_in_bounds() {
    let toks = split(
        "Gubernur DKI Jakarta Anies Baswedan dan Wali Kota Bandung Ridwan Kamil bertemu di Bogor .",
    );
    let spans = Recognizer::embedded().recognize(&toks);
    assert!(!spans.is_empty());
    for w in spans.windows(2) {
        assert!(w[0].end <= w[1].start);
    }
    assert!(spans.iter().all(|s| s.start < s.end && s.end <= toks.len()));
}

#[test]
fn every_embedded_model_loads_and_tags_in_its_own_tag_set() {
    for name in ["news", "nergrit", "nerp", "idner2k"] {
        let r = Recognizer::for_model(name).unwrap();
        assert!(r.name() == name || r.data_set() == Some(name), "{name}");
        assert!(!r.note().is_empty());
        let toks = split("Presiden Joko Widodo tiba di Surabaya .");
        let tags = r.tag(&toks);
        assert_eq!(tags.len(), toks.len());
        assert!(tags.iter().all(|t| r.tag_set().iter().any(|l| l == t)));
    }
    assert!(matches!(
        Recognizer::for_model("nope"),
        Err(NerError::UnknownModel(_))
    ));
}

#[test]
fn empty_and_odd_input() {
    let r = Recognizer::embedded();
    assert!(r.recognize(&[]).is_empty());
    let long = "a".repeat(1 << 20);
    let toks = vec![long.as_str(); 3];
    let _ = r.recognize(&toks);
    let many = vec!["kata"; 200_000];
    let _ = r.recognize(&many);
    let _ = r.recognize(&["", " ", "\u{0}", "東京", "Москва", "🙂"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn recognize_never_panics(tokens in proptest::collection::vec(".{0,12}", 0..40)) {
        let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
        let spans = Recognizer::embedded().recognize(&refs);
        for s in spans {
            prop_assert!(s.start < s.end && s.end <= refs.len());
        }
    }
}

fn shared_ner() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ner");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared NER data sets live beside the repository)",
            dir.display()
        );
        None
    }
}

/// Acceptance: every per-set model runs over its validation split (figures are
/// printed, not asserted: `warta eval ner` reports them).
#[test]
fn validation_sets_evaluate_when_shared_data_is_there() {
    let Some(dir) = shared_ner() else { return };
    for set in DATA_SETS {
        let corpus = Corpus::read(&dir.join(set.valid), Some(set.format)).unwrap();
        let model = Recognizer::for_model(set.name).unwrap();
        let mut scores = EntityScores::default();
        for s in &corpus.sentences {
            scores.add(&s.tags, &model.tag(&s.tokens));
        }
        let o = scores.overall();
        eprintln!("{} valid F1 {:.3}", set.name, o.f1());
        assert!(o.gold > 0 && o.predicted > 0);
    }
}

#[test]
fn an_organisation_word_led_name_joins_the_organisation_after_it() {
    let toks = split("di Institut Studi Korea Universitas Kookmin di Seoul");
    let span = |start, end, label| NerSpan { start, end, label };
    let mut spans = vec![
        span(1, 4, NerLabel::Place),
        span(4, 6, NerLabel::Organization),
        span(7, 8, NerLabel::Place),
    ];
    super::merge_org_led(&toks, &mut spans);
    assert_eq!(
        spans,
        [
            span(1, 6, NerLabel::Organization),
            span(7, 8, NerLabel::Place)
        ]
    );
    // Not when the first name is not led by an organisation word.
    let toks = split("Korea Selatan Universitas Kookmin");
    let mut spans = vec![
        span(0, 2, NerLabel::Place),
        span(2, 4, NerLabel::Organization),
    ];
    super::merge_org_led(&toks, &mut spans);
    assert_eq!(spans.len(), 2);
}

#[test]
fn titles_and_a_demonym_before_them_are_not_part_of_a_name() {
    let toks = split("Russian President Arkady Voronin met Presiden Jokowi");
    let mut a = NerSpan {
        start: 0,
        end: 4,
        label: NerLabel::Person,
    };
    super::trim_person_titles(&toks, &mut a);
    assert_eq!((a.start, a.end), (2, 4));
    let mut b = NerSpan {
        start: 5,
        end: 7,
        label: NerLabel::Person,
    };
    super::trim_person_titles(&toks, &mut b);
    assert_eq!((b.start, b.end), (6, 7));
    // A title alone stays what the tagger found.
    let mut c = NerSpan {
        start: 5,
        end: 6,
        label: NerLabel::Person,
    };
    super::trim_person_titles(&toks, &mut c);
    assert_eq!((c.start, c.end), (5, 6));
}
