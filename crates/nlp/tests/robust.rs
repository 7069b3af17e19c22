//! Bad input never breaks the analysis stage: empty text, scripts the models
//! never saw, huge paragraphs without punctuation, arbitrary strings.

use proptest::prelude::*;
use warta_core::{Analyzer, Article, Caption};
use warta_nlp::TextAnalyzer;

fn analyze(title: &str, text: &str, caption: &str) -> Article {
    let mut a = Article {
        title: Some(title.to_string()),
        language: "und".to_string(),
        ..Article::default()
    };
    a.set_body(text.split("\n\n").map(|p| (false, p)));
    a.captions.push(Caption {
        text: caption.to_string(),
        credit: Some(caption.to_string()),
    });
    TextAnalyzer::default().analyze(&mut a);
    a
}

fn check_offsets(a: &Article) {
    let chars: Vec<char> = a.text.chars().collect();
    let text_chars = chars.len();
    for s in a.sentences.as_ref().expect("sentences") {
        assert!(s.start <= s.end && s.end <= text_chars);
    }
    for e in a.entities.as_ref().expect("entities") {
        assert!(!e.mentions.is_empty());
        for m in &e.mentions {
            assert!(m.start < m.end, "{m:?}");
            if m.field == "text" {
                let words: String = chars[m.start..m.end].iter().collect();
                assert_eq!(words, m.text);
            }
        }
    }
}

#[test]
fn empty_input_gives_an_empty_analysis() {
    let a = analyze("", "", "");
    assert_eq!(a.language, "und");
    assert_eq!(a.sentences.as_deref(), Some(&[][..]));
    assert_eq!(a.entities.as_deref(), Some(&[][..]));
}

#[test]
fn unseen_scripts_are_named_or_undetermined() {
    let a = analyze(
        "ข่าวด่วน",
        "นายกรัฐมนตรีเดินทางไปเยือนกรุงจาการ์ตาเมื่อวันพุธเพื่อหารือเรื่องการค้า",
        "",
    );
    assert_eq!(a.language, "th");
    check_offsets(&a);
    let a = analyze("", "🙂🙂🙂 ✓✓✓ ⟨⟩ ∑∫", "");
    assert_eq!(a.language, "und");
    check_offsets(&a);
}

#[test]
fn a_megabyte_paragraph_without_punctuation_is_cut_into_bounded_sentences() {
    let text =
        "Presiden Joko Widodo meninjau lokasi banjir di Kota Bekasi bersama warga ".repeat(14_000);
    assert!(text.len() > 1_000_000);
    let a = analyze("Banjir", &text, "");
    check_offsets(&a);
    let sentences = a.sentences.as_ref().expect("sentences");
    assert!(sentences.len() > 100);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_text_never_panics(title in ".{0,40}", text in "(.{0,80}\n\n?){0,6}", caption in ".{0,40}") {
        let a = analyze(&title, &text, &caption);
        check_offsets(&a);
    }

    #[test]
    fn name_like_text_never_panics(
        words in prop::collection::vec("[A-Z][a-z]{0,8}|[a-z]{1,8}|[.,“”\"()/-]|AS|RI|Dr\\.|[0-9]{1,4}", 0..60)
    ) {
        let text = words.join(" ");
        let a = analyze(&text, &text, &text);
        check_offsets(&a);
    }
}
