//! Plain-text dumps of news pages through the public extractor: invented fixtures
//! in `tests/fixtures/text/` (see the README there) and, when the shared corpus is
//! checked out next to the workspace, the seed document against its gold facts.

use std::path::PathBuf;

use warta_core::{Article, ExtractError, RawDoc};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/text")
        .join(name)
}

fn extract_bytes(input: &str, bytes: Vec<u8>, url: Option<&str>) -> Result<Article, ExtractError> {
    warta_extract::extract(&RawDoc {
        input: input.to_string(),
        url: url.map(str::to_string),
        bytes,
        ..RawDoc::default()
    })
}

fn extract_fixture(name: &str) -> Result<Article, ExtractError> {
    let bytes = std::fs::read(fixture(name)).expect("fixture exists");
    extract_bytes(name, bytes, None)
}

/// Nothing that is page furniture may reach the body text.
fn assert_clean_text(a: &Article, banned: &[&str]) {
    let lower = a.text.to_lowercase();
    for b in banned {
        assert!(
            !lower.contains(&b.to_lowercase()),
            "{b:?} leaked into the text:\n{}",
            a.text
        );
    }
}

#[test]
fn indonesian_story_with_an_outlet_dateline() {
    let a = extract_fixture("id-lensakota-dateline.txt").unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Jembatan Gantung Kali Mas Kembali Dibuka Setelah Perbaikan Tiga Bulan")
    );
    assert_eq!(a.dateline.as_deref(), Some("SURABAYA, LensaKota.co.id"));
    assert_eq!(a.site.as_deref(), Some("lensakota.co.id"));
    assert!(
        a.published
            .as_deref()
            .is_some_and(|p| p.starts_with("2023-10-05")),
        "{:?}",
        a.published
    );
    assert_eq!(a.authors, vec!["Dewi Lestari"]);
    assert!(!a.continues);
    assert_eq!(a.headings, vec!["Warga Menyambut Gembira"]);
    assert_eq!(a.paragraphs.len(), 8, "{:#?}", a.paragraphs);
    assert!(a.paragraphs[0].starts_with("SURABAYA, LensaKota.co.id - Jembatan"));
    // Editor initials closing the story are not story text.
    assert_eq!(
        a.paragraphs.last().map(String::as_str),
        Some(
            "Pemerintah kota berencana memasang lampu hias di sepanjang jembatan sebelum akhir tahun."
        )
    );
    assert_eq!(a.captions.len(), 1);
    assert_eq!(a.captions[0].credit.as_deref(), Some("Pemkot Contoh"));
    assert!(
        a.captions[0]
            .text
            .starts_with("Warga melintasi jembatan gantung")
    );
    assert_clean_text(
        &a,
        &[
            "Baca juga",
            "WhatsApp",
            "Google News",
            "Copyright",
            "Penulis",
            "Editor",
            "(rin/ags)",
            "(Foto:",
            "Metro\n",
        ],
    );
    assert!(
        !a.text.starts_with("Jembatan Gantung"),
        "the title is not body text"
    );
}

#[test]
fn english_wire_story_with_captions() {
    let a = extract_fixture("en-wire-reuters.txt").unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Harbour Workers Strike Over Pay as Shipping Backlog Grows")
    );
    assert_eq!(a.dateline.as_deref(), Some("LISBON, Sept 20 (Reuters)"));
    assert_eq!(a.authors, vec!["Maria Santos", "Tom Hale"]);
    assert!(
        a.site.is_none(),
        "a wire dateline names no site: {:?}",
        a.site
    );
    if let Some(p) = &a.published {
        assert!(p.starts_with("2023-09-20"), "{p}");
    }
    assert_eq!(a.headings, vec!["Talks set for Friday"]);
    assert_eq!(a.paragraphs.len(), 7, "{:#?}", a.paragraphs);
    assert_eq!(a.captions.len(), 2, "{:#?}", a.captions);
    assert_eq!(a.captions[0].credit.as_deref(), Some("REUTERS/Ana Lima"));
    assert!(a.captions[0].text.ends_with("September 20, 2023."));
    assert_eq!(a.captions[1].credit.as_deref(), Some("Reuters/Ana Lima"));
    assert_eq!(
        a.captions[1].text,
        "Trucks line up at the entrance to the container terminal."
    );
    assert!(!a.continues);
    assert_clean_text(
        &a,
        &[
            "Skip to main content",
            "Advertisement",
            "Scroll to continue",
            "Related:",
            "Reporting by",
            "newsletter",
            "REUTERS/",
        ],
    );
}

#[test]
fn boilerplate_only_is_no_article() {
    match extract_fixture("boilerplate-only.txt") {
        Err(ExtractError::NoArticle { input }) => assert_eq!(input, "boilerplate-only.txt"),
        other => panic!("expected NoArticle, got {other:?}"),
    }
}

#[test]
fn windows_newlines_one_line_per_paragraph() {
    let bytes = std::fs::read(fixture("id-crlf-single-newline.txt")).unwrap();
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "the fixture keeps its CRLF line ends"
    );
    let a = extract_bytes(
        "id-crlf-single-newline.txt",
        bytes,
        Some("https://www.contoh.example/berita/1"),
    )
    .unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Hujan Deras Picu Longsor di Lereng Perbukitan Utara")
    );
    assert_eq!(a.authors, vec!["Rudi Hartono"]);
    assert_eq!(a.dateline.as_deref(), Some("BANDUNG"));
    assert_eq!(a.site.as_deref(), Some("contoh.example"));
    assert_eq!(
        a.published.as_deref().and_then(|p| p.get(..10)),
        Some("2023-10-16")
    );
    assert_eq!(a.headings, vec!["Jalur Alternatif Disiapkan"]);
    assert_eq!(a.paragraphs.len(), 5, "{:#?}", a.paragraphs);
    assert!(a.continues);
    assert!(!a.text.contains('\r'));
    assert_clean_text(&a, &["halaman berikutnya", "Oleh Rudi"]);
}

#[test]
fn hard_wrapped_dump() {
    let a = extract_fixture("en-hard-wrapped.txt").unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Library Opens Its Doors at Night for Exam Season")
    );
    assert_eq!(a.authors, vec!["Priya Natarajan"]);
    assert_eq!(a.dateline.as_deref(), Some("OXFORDSHIRE"));
    assert_eq!(a.paragraphs.len(), 3, "{:#?}", a.paragraphs);
    assert!(a.paragraphs[0].ends_with("the council said on Tuesday."));
    assert_eq!(a.captions.len(), 1);
    assert_eq!(
        a.captions[0].credit.as_deref(),
        Some("Jane Roe/County Council")
    );
    assert!(a.continues);
}

/// The seed document of the shared corpus, checked against its gold file.
#[test]
fn seed_document_matches_its_gold_facts() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/seed/"
    ));
    let txt = dir.join("andalpost-20230913.txt");
    let gold = dir.join("andalpost-20230913.gold.json");
    let (Ok(bytes), Ok(gold)) = (std::fs::read(&txt), std::fs::read_to_string(&gold)) else {
        eprintln!("skipping: seed corpus not found at {}", dir.display());
        return;
    };
    let g: serde_json::Value = serde_json::from_str(&gold).expect("gold is JSON");
    let a = extract_bytes("andalpost-20230913.txt", bytes, None).expect("the seed is an article");
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let text = norm(&a.text);

    assert_eq!(a.title.as_deref(), g["title"].as_str());
    assert_eq!(a.site.as_deref(), g["site"].as_str());
    let published = g["published"].as_str().unwrap();
    assert!(
        a.published
            .as_deref()
            .is_some_and(|p| p.starts_with(published)),
        "{:?}",
        a.published
    );
    assert_eq!(a.continues, g["continues_on_next_page"].as_bool().unwrap());
    for c in g["captions"].as_array().unwrap() {
        let (ct, cc) = (c["text"].as_str().unwrap(), c["credit"].as_str().unwrap());
        assert!(
            a.captions
                .iter()
                .any(|x| x.credit.as_deref() == Some(cc) && norm(&x.text).contains(&norm(ct))),
            "caption {cc:?} missing: {:#?}",
            a.captions
        );
        let head: String = norm(ct).chars().take(60).collect();
        assert!(!text.contains(&head), "caption {cc:?} leaked into the text");
    }
    assert!(!text.contains("(foto:"));
    for h in g["headings"].as_array().unwrap() {
        assert!(
            a.headings.iter().any(|x| Some(x.as_str()) == h.as_str()),
            "heading {h} missing: {:?}",
            a.headings
        );
    }
    for b in g["boilerplate"].as_array().unwrap() {
        let head: String = norm(b.as_str().unwrap()).chars().take(25).collect();
        assert!(
            !text.contains(&head),
            "boilerplate {b} leaked into the text"
        );
    }
    assert!(!text.starts_with(&norm(g["title"].as_str().unwrap())));
    assert_eq!(
        a.paragraphs.len() as u64,
        g["body_paragraphs"].as_u64().unwrap(),
        "{:#?}",
        a.paragraphs
    );
    assert_eq!(a.dateline.as_deref(), Some("ANDALPOST.COM"));
}
