//! Snapshots of whole records on the fixtures: any change to what extraction produces
//! shows up here for review (`cargo insta review`, or `INSTA_UPDATE=always`).

use warta_core::RawDoc;

fn record(dir: &str, name: &str, url: Option<&str>) -> warta_core::Article {
    let path = format!("{}/tests/fixtures/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    warta_extract::extract(&RawDoc {
        input: name.into(),
        url: url.map(str::to_string),
        bytes,
        ..RawDoc::default()
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn snapshot_indonesian_multipage_page() {
    insta::assert_json_snapshot!(record("html", "id-multipage-1.html", None));
}

#[test]
fn snapshot_english_wire_page() {
    insta::assert_json_snapshot!(record(
        "html",
        "en-wire.html",
        Some("https://news.harbourtimes.example/business/port-strike-second-week")
    ));
}

#[test]
fn snapshot_indonesian_text_dump() {
    insta::assert_json_snapshot!(record("text", "id-lensakota-dateline.txt", None));
}

#[test]
fn snapshot_english_text_dump() {
    insta::assert_json_snapshot!(record("text", "en-wire-reuters.txt", None));
}
