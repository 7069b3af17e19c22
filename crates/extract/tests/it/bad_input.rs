//! Bad input: clear errors or warnings, never a panic, bounded work.

use proptest::prelude::*;
use warta_core::{ExtractError, RawDoc};

fn doc(bytes: Vec<u8>) -> RawDoc {
    RawDoc {
        input: "t".into(),
        bytes,
        ..RawDoc::default()
    }
}

const STORY: &str = "<p>The council approved the new budget on Tuesday after a long debate, with seven votes in favour and two against, officials said.</p>\
<p>The plan raises spending on schools and roads, and cuts the cost of running the town hall by a tenth over three years.</p>";

#[test]
fn binary_garbage_is_a_clear_error() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let e = warta_extract::extract(&doc(bytes)).unwrap_err();
    assert!(matches!(e, ExtractError::NotText { .. }), "{e}");
    assert!(e.to_string().starts_with("t: this is not text or HTML"));
}

#[test]
fn empty_input_is_a_clear_error() {
    assert!(matches!(
        warta_extract::extract(&doc(b" \n\t".to_vec())),
        Err(ExtractError::Empty { .. })
    ));
}

#[test]
fn undeclared_windows_1252_page_is_read_with_a_warning() {
    let mut html = b"<html><body><article>".to_vec();
    html.extend_from_slice(
        b"<p>The caf\xe9 on the corner re-opened on Monday \x96 its owner said \x93business is back\x94, and the queue went round the block.</p>\
          <p>Neighbours said they had missed the cr\xe8me br\xfbl\xe9e most of all during the three months it was closed for repairs.</p>",
    );
    html.extend_from_slice(b"</article></body></html>");
    let a = warta_extract::extract(&doc(html)).unwrap();
    assert!(a.text.contains("café on the corner"), "{}", a.text);
    assert!(a.text.contains("“business is back”"));
    assert!(a.warnings.iter().any(|w| w.code == "encoding_guessed"));
}

#[test]
fn utf16_page_is_read() {
    let html = format!("<html><body>{STORY}</body></html>");
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(html.encode_utf16().flat_map(u16::to_le_bytes));
    let a = warta_extract::extract(&doc(bytes)).unwrap();
    assert!(a.text.starts_with("The council approved"));
}

#[test]
fn a_huge_page_is_cut_with_a_warning() {
    let dir = std::env::temp_dir().join(format!("warta-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.html");
    let mut page = format!("<html><body><article>{STORY}");
    let filler = "<p>More of the same long story text goes here, paragraph after paragraph, to make the page very large indeed.</p>";
    while page.len() < 24 << 20 {
        page.push_str(filler);
    }
    std::fs::write(&path, page).unwrap();
    let raw = warta_extract::read_input(path.to_str().unwrap(), 4 << 20).unwrap();
    assert!(raw.truncated);
    assert_eq!(raw.bytes.len(), 4 << 20);
    let a = warta_extract::extract(&raw).unwrap();
    assert!(a.warnings.iter().any(|w| w.code == "truncated"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn deep_nesting_and_unclosed_tags_do_not_overflow() {
    let mut html = String::from("<html><body>");
    for _ in 0..100_000 {
        html.push_str("<div><span>");
    }
    html.push_str(STORY);
    let _ = warta_extract::extract(&doc(html.into_bytes()));
}

#[test]
fn one_megabyte_paragraph_without_punctuation() {
    let word = "kata ";
    let html = format!("<html><body><p>{}</p></body></html>", word.repeat(200_000));
    let a = warta_extract::extract(&doc(html.into_bytes())).unwrap();
    assert!(a.text.len() > 900_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = warta_extract::extract(&doc(bytes));
    }

    #[test]
    fn never_panics_on_tag_soup(parts in proptest::collection::vec(
        prop_oneof![
            Just("<p>".to_string()), Just("</p>".to_string()), Just("<div class=\"content\">".to_string()),
            Just("</div>".to_string()), Just("<a href=\"/x\">".to_string()), Just("</a>".to_string()),
            Just("<script>".to_string()), Just("</script>".to_string()), Just("<!--".to_string()),
            Just("-->".to_string()), Just("<li>".to_string()), Just("<table><tr><td>".to_string()),
            Just("&amp;&#x41;&bogus;".to_string()), Just("<figure><figcaption>".to_string()),
            "[a-zA-Z ,.“”]{0,80}".prop_map(|s| s),
        ], 0..200)) {
        let html = parts.concat();
        let _ = warta_extract::extract(&doc(html.into_bytes()));
    }
}
