//! Whole HTML pages written for these tests (see `tests/fixtures/html/README.md`).

use warta_core::{ExtractError, RawDoc};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/html/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// None of `furniture` may reach the body text (matched as written).
fn assert_no_furniture(a: &warta_core::Article, furniture: &[&str]) {
    for f in furniture {
        assert!(!a.text.contains(f), "{f:?} in text:\n{}", a.text);
    }
}

fn extract(name: &str, url: Option<&str>) -> Result<warta_core::Article, ExtractError> {
    warta_extract::extract(&RawDoc {
        input: name.to_string(),
        url: url.map(str::to_string),
        bytes: fixture(name),
        ..RawDoc::default()
    })
}

#[test]
fn indonesian_page_one_of_a_multipage_story() {
    let a = extract("id-multipage-1.html", None).unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Banjir Rob Rendam Pesisir Semarang, Warga Mengungsi")
    );
    assert_eq!(a.site.as_deref(), Some("kabarpesisir.example"));
    assert_eq!(a.site_name.as_deref(), Some("Kabar Pesisir"));
    assert_eq!(
        a.canonical_url.as_deref(),
        Some("https://www.kabarpesisir.example/berita/2024/03/banjir-rob-semarang")
    );
    assert!(
        a.published
            .as_deref()
            .is_some_and(|p| p.starts_with("2024-03-13")),
        "published {:?}",
        a.published
    );
    assert_eq!(a.headings, vec!["Pompa Air Tidak Cukup"]);
    assert_eq!(a.paragraphs.len(), 5, "{:#?}", a.paragraphs);
    assert!(a.paragraphs[0].starts_with("SEMARANG — Banjir rob"));
    assert_no_furniture(
        &a,
        &[
            "Baca juga",
            "Telegram",
            "Simak selengkapnya",
            "Bagikan",
            "Terpopuler",
            "cookie",
            "Berita Terkait",
            "©",
        ],
    );
    assert_eq!(a.captions.len(), 1);
    assert_eq!(
        a.captions[0].text,
        "Warga melintasi genangan banjir rob di kawasan Tambak Lorok, Semarang."
    );
    assert_eq!(a.captions[0].credit.as_deref(), Some("ANTARA/Budi Santoso"));
    assert!(!a.text.contains("Tambak Lorok, Semarang. (Foto"));
    assert_eq!(
        a.next_page.as_deref(),
        Some("https://www.kabarpesisir.example/berita/2024/03/banjir-rob-semarang?page=2")
    );
    assert!(a.continues);
    assert_eq!(a.pages, 1);
    assert_eq!(a.authors, vec!["Rina Wulandari"]);
    assert_eq!(a.language, "id");
    assert!(a.id.starts_with('u'));
}

#[test]
fn english_wire_page_with_json_ld() {
    let a = extract(
        "en-wire.html",
        Some("https://news.harbourtimes.example/business/port-strike-second-week?utm=x"),
    )
    .unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Port strike enters second week as talks stall")
    );
    assert_eq!(a.site.as_deref(), Some("news.harbourtimes.example"));
    assert_eq!(a.authors, vec!["Tom Okafor", "Lena Fischer"]);
    assert_eq!(a.section.as_deref(), Some("Business"));
    assert!(
        a.published
            .as_deref()
            .is_some_and(|p| p.starts_with("2024-05-06")),
        "{:?}",
        a.published
    );
    assert!(
        a.modified
            .as_deref()
            .is_some_and(|p| p.starts_with("2024-05-06")),
        "{:?}",
        a.modified
    );
    assert_eq!(a.headings, vec!["Queues at sea"]);
    assert_eq!(a.paragraphs.len(), 5, "{:#?}", a.paragraphs);
    assert_no_furniture(
        &a,
        &[
            "Advertisement",
            "Hidden text",
            "Read more",
            "Comments",
            "Great article",
            "Share on",
            "Most read",
            "not text",
            "Subscribe",
        ],
    );
    assert_eq!(a.captions.len(), 1);
    assert_eq!(
        a.captions[0].text,
        "Idle container cranes at the Maasvlakte terminal on Sunday."
    );
    assert_eq!(
        a.captions[0].credit.as_deref(),
        Some("Anna de Vries/Harbour Wire")
    );
    assert_eq!(
        a.images[0].src,
        "https://cdn.harbourtimes.example/i/cranes.jpg"
    );
    assert_eq!(a.next_page, None);
    assert!(!a.continues);
    assert_eq!(a.language, "en");
}

#[test]
fn a_section_front_is_not_an_article() {
    match extract("index-page.html", None) {
        Err(ExtractError::NoArticle { input }) => assert_eq!(input, "index-page.html"),
        other => panic!("expected NoArticle, got {other:?}"),
    }
}

#[test]
fn ids_are_stable_across_runs_and_urls() {
    let a = extract("en-wire.html", None).unwrap();
    let b = extract(
        "en-wire.html",
        Some("https://news.harbourtimes.example/business/port-strike-second-week"),
    )
    .unwrap();
    assert_eq!(a.id, b.id, "the canonical URL gives the id");
}
