//! The analysis stage on articles written for these tests: one entity per
//! person, organisation, place or country however the text names it.

use warta_core::{Analyzer, Article, Caption, Entity, EntityKind};
use warta_nlp::TextAnalyzer;

fn article(title: &str, paragraphs: &[&str], captions: &[(&str, &str)]) -> Article {
    let mut a = Article {
        title: Some(title.to_string()),
        language: "und".to_string(),
        ..Article::default()
    };
    a.set_body(paragraphs.iter().map(|p| (false, *p)));
    a.captions = captions
        .iter()
        .map(|(t, c)| Caption {
            text: (*t).to_string(),
            credit: Some((*c).to_string()),
        })
        .collect();
    TextAnalyzer::default().analyze(&mut a);
    a
}

fn entity<'a>(a: &'a Article, id: &str) -> &'a Entity {
    a.entities
        .as_ref()
        .and_then(|es| es.iter().find(|e| e.id == id))
        .unwrap_or_else(|| panic!("no entity {id} in {:#?}", a.entities))
}

fn mention_texts(e: &Entity) -> Vec<&str> {
    let mut m: Vec<&str> = e.mentions.iter().map(|m| m.text.as_str()).collect();
    m.sort_unstable();
    m.dedup();
    m
}

fn indonesian() -> Article {
    article(
        "Menlu Retno Bertemu Menlu Tiongkok di Beijing, Bahas Laut China Selatan",
        &[
            "JAKARTA — Menteri Luar Negeri Retno Marsudi bertemu dengan Menteri Luar Negeri China \
             Wang Yi di Beijing, Senin (4/9/2023), untuk membahas ketegangan di Laut China Selatan.",
            "“Kami sepakat bahwa stabilitas kawasan adalah kepentingan bersama,” kata Retno kepada \
             wartawan seusai pertemuan.",
            "Wang mengatakan Tiongkok menghargai peran Indonesia sebagai ketua ASEAN tahun ini. Ia \
             juga menyinggung hubungan RRT dengan Amerika Serikat yang memanas sejak awal tahun.",
            "Menurut Retno, Presiden Joko Widodo dijadwalkan menghadiri KTT ASEAN di Jakarta pekan \
             depan. Jokowi akan menerima sejumlah kepala negara, termasuk Perdana Menteri Malaysia \
             Anwar Ibrahim.",
        ],
        &[(
            "Menlu Retno Marsudi berjabat tangan dengan Menlu China Wang Yi di Beijing.",
            "Kemlu RI/ANTARA",
        )],
    )
}

#[test]
fn one_country_however_the_press_names_it() {
    let a = indonesian();
    assert_eq!(a.language, "id");
    let cn = entity(&a, "country:CN");
    assert_eq!(cn.kind, EntityKind::Country);
    assert_eq!(cn.name, "China");
    for form in ["China", "Tiongkok", "RRT"] {
        assert!(
            mention_texts(cn).contains(&form),
            "{form}: {:?}",
            mention_texts(cn)
        );
    }
    // The sea is a place of its own, not a mention of the country.
    let sea = a
        .entities
        .as_ref()
        .and_then(|es| {
            es.iter()
                .find(|e| e.mentions.iter().any(|m| m.text == "Laut China Selatan"))
        })
        .expect("the South China Sea");
    assert_eq!(sea.kind, EntityKind::Place);
    assert_eq!(mention_texts(entity(&a, "country:US")), ["Amerika Serikat"]);
    let beijing = entity(&a, "place:beijing");
    assert_eq!(beijing.country.as_deref(), Some("CN"));
}

#[test]
fn mentions_point_at_their_words() {
    let a = indonesian();
    for e in a.entities.as_ref().expect("entities") {
        for m in &e.mentions {
            let field = match m.field.as_str() {
                "title" => a.title.clone().unwrap_or_default(),
                "text" => a.text.clone(),
                "captions[0].text" => a.captions[0].text.clone(),
                "captions[0].credit" => a.captions[0].credit.clone().unwrap_or_default(),
                other => panic!("unexpected field {other}"),
            };
            let words: String = field.chars().skip(m.start).take(m.end - m.start).collect();
            assert_eq!(words, m.text, "{}", e.id);
        }
    }
}

#[test]
fn photo_credits_are_entities_with_the_credit_role() {
    let a = indonesian();
    let antara = a
        .entities
        .as_ref()
        .and_then(|es| {
            es.iter()
                .find(|e| e.mentions.iter().any(|m| m.text == "ANTARA"))
        })
        .expect("ANTARA");
    assert_eq!(antara.kind, EntityKind::Organization);
    assert_eq!(antara.role.as_deref(), Some("credit"));
    // Named in the story as well as in the credit: a subject, not a credit.
    assert_eq!(entity(&a, "country:CN").role, None);
}

#[test]
fn titles_weekdays_and_discourse_words_are_not_entities() {
    let a = indonesian();
    for e in a.entities.as_ref().expect("entities") {
        let name = e.name.to_lowercase();
        for bad in [
            "senin", "menteri", "presiden", "menurut", "menlu", "kami", "ia",
        ] {
            assert_ne!(name, bad, "{e:?}");
        }
        assert!(
            !name.starts_with("presiden ") && !name.starts_with("menteri "),
            "{e:?}"
        );
    }
}

#[test]
fn people_are_joined_across_full_and_short_names() {
    let a = indonesian();
    let retno = entity(&a, "person:retno-marsudi");
    assert_eq!(retno.country.as_deref(), Some("ID"));
    assert!(
        mention_texts(retno).contains(&"Retno"),
        "{:?}",
        mention_texts(retno)
    );
    let jokowi = entity(&a, "person:joko-widodo");
    assert_eq!(mention_texts(jokowi), ["Joko Widodo", "Jokowi"]);
    let wang = entity(&a, "person:wang-yi");
    assert_eq!(wang.country.as_deref(), Some("CN"));
    assert_eq!(
        entity(&a, "person:anwar-ibrahim").country.as_deref(),
        Some("MY")
    );
}

#[test]
fn english_wire_copy_links_to_the_same_entities() {
    let a = article(
        "Kim Jong Un arrives in Russia for talks with Putin",
        &[
            "SEOUL (Reuters) - North Korean leader Kim Jong Un arrived in Russia on Tuesday, \
             Pyongyang's state media said, ahead of a summit with President Vladimir Putin.",
            "Kim travelled from Pyongyang by armoured train, crossing the border at Khasan. \
             Moscow and North Korea have drawn closer since Russia invaded Ukraine.",
        ],
        &[],
    );
    assert_eq!(a.language, "en");
    let kp = entity(&a, "country:KP");
    assert!(mention_texts(kp).contains(&"North Korea"));
    assert_eq!(entity(&a, "place:pyongyang").country.as_deref(), Some("KP"));
    assert_eq!(entity(&a, "place:moscow").country.as_deref(), Some("RU"));
    assert!(mention_texts(entity(&a, "country:RU")).contains(&"Russia"));
    let kim = entity(&a, "person:kim-jong-un");
    assert!(
        mention_texts(kim).contains(&"Kim"),
        "{:?}",
        mention_texts(kim)
    );
    let putin = entity(&a, "person:vladimir-putin");
    assert!(
        mention_texts(putin).contains(&"Putin"),
        "{:?}",
        mention_texts(putin)
    );
}

#[test]
fn a_country_or_demonym_next_to_a_title_gives_a_person_their_country() {
    let a = article(
        "Talks",
        &[
            "Russian President Arkady Voronin met Indonesian Foreign Minister Ratih Wulandari \
             in Vladivostok on Tuesday, the Kremlin said.",
            "Sebelumnya, Presiden Korea Utara Han Kwang Sok tiba di Vladivostok dengan kereta \
             lapis baja.",
        ],
        &[],
    );
    for (name, code) in [
        ("Arkady Voronin", "RU"),
        ("Han Kwang Sok", "KP"),
        ("Ratih Wulandari", "ID"),
    ] {
        let e = a
            .entities
            .as_ref()
            .and_then(|es| es.iter().find(|e| e.name == name))
            .unwrap_or_else(|| panic!("{name} in {:#?}", a.entities));
        assert_eq!(e.country.as_deref(), Some(code), "{name}");
        assert_eq!(e.kind, EntityKind::Person);
    }
}
