//! The feed reader on one fixture per format, and on broken feeds.

use warta_ingest::sources::feed::{FeedEntry, FeedError, FeedFormat, read_feed, read_feed_capped};

use crate::{fixture, gz};

const FEED_URL: &str = "https://news.example.org/feeds/main.xml";

#[test]
fn rss2_links_guids_relative_urls_and_dates() {
    let feed = read_feed(&fixture("feed-rss2.xml"), Some(FEED_URL)).unwrap();
    assert_eq!(feed.format, FeedFormat::Rss2);
    assert_eq!(feed.title.as_deref(), Some("Warta Contoh – Terkini"));
    assert_eq!(feed.site_url.as_deref(), Some("https://news.example.org/"));
    assert!(feed.broken.is_none());
    assert_eq!(
        feed.entries[0],
        FeedEntry {
            url: Some("https://news.example.org/2024/05/06/banjir-rob".into()),
            title: Some("Banjir rob di pesisir utara".into()),
            published: Some("2024-05-06T01:30:00Z".into()),
            updated: None,
            summary: Some("<p>Air laut naik ke permukiman.</p>".into()),
            id: "berita-1001".into(),
        }
    );
    // A permalink guid stands in for the missing <link>.
    assert_eq!(
        feed.entries[1].url.as_deref(),
        Some("https://news.example.org/2024/05/06/rapat-dprd")
    );
    assert_eq!(
        feed.entries[2].url.as_deref(),
        Some("https://news.example.org/2024/05/06/relatif")
    );
    // Without the feed's URL a relative link cannot be made absolute.
    let feed = read_feed(&fixture("feed-rss2.xml"), None).unwrap();
    assert_eq!(feed.entries[2].url, None);
}

#[test]
fn rss1_rdf() {
    let feed = read_feed(&fixture("feed-rss1.rdf"), Some(FEED_URL)).unwrap();
    assert_eq!(feed.format, FeedFormat::Rss1);
    assert_eq!(feed.title.as_deref(), Some("Warta Contoh RDF"));
    assert_eq!(feed.entries.len(), 1);
    let e = &feed.entries[0];
    assert_eq!(
        e.url.as_deref(),
        Some("https://news.example.org/2024/05/06/gempa")
    );
    assert_eq!(e.published.as_deref(), Some("2024-05-05T19:15:00Z"));
    assert_eq!(e.summary.as_deref(), Some("Tidak berpotensi tsunami."));
}

#[test]
fn atom_resolves_against_xml_base() {
    let feed = read_feed(&fixture("feed-atom.xml"), Some(FEED_URL)).unwrap();
    assert_eq!(feed.format, FeedFormat::Atom);
    // The alternate link, not rel="self".
    assert_eq!(feed.site_url.as_deref(), Some("https://news.example.org/"));
    let e = &feed.entries[0];
    assert_eq!(
        e.url.as_deref(),
        Some("https://news.example.org/id/2024/05/06/harga-beras")
    );
    assert_eq!(e.published.as_deref(), Some("2024-05-06T00:00:00Z"));
    assert_eq!(e.updated.as_deref(), Some("2024-05-06T02:15:00Z"));
    assert_eq!(e.id, "tag:news.example.org,2024:beras");
    assert_eq!(
        feed.entries[1].url.as_deref(),
        Some("https://other.example.org/en/rice-prices")
    );
}

#[test]
fn json_feed_and_gzip() {
    let bytes = fixture("feed-json.json");
    for input in [bytes.clone(), gz(&bytes)] {
        let feed = read_feed(&input, Some(FEED_URL)).unwrap();
        assert_eq!(feed.format, FeedFormat::JsonFeed);
        assert_eq!(feed.title.as_deref(), Some("Warta Contoh JSON"));
        assert_eq!(feed.site_url.as_deref(), Some("https://news.example.org/"));
        assert_eq!(
            feed.entries[0].published.as_deref(),
            Some("2024-05-06T05:00:00Z")
        );
        assert_eq!(
            feed.entries[0].updated.as_deref(),
            Some("2024-05-06T06:00:00Z")
        );
        assert_eq!(
            feed.entries[1].url.as_deref(),
            Some("https://news.example.org/2024/05/06/relatif")
        );
    }
}

#[test]
fn a_truncated_feed_keeps_the_complete_items() {
    let feed = read_feed(&fixture("feed-broken-truncated.xml"), Some(FEED_URL)).unwrap();
    let titles: Vec<_> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap())
        .collect();
    assert_eq!(titles, ["Berita pertama", "Berita kedua"]);
    let broken = feed.broken.unwrap();
    assert!(matches!(broken, FeedError::Malformed { .. }));
    assert!(
        broken.to_string().starts_with("malformed feed: XML:"),
        "{broken}"
    );
}

#[test]
fn html_served_as_a_feed_is_named() {
    let e = read_feed(&fixture("feed-broken-html.xml"), Some(FEED_URL)).unwrap_err();
    assert!(matches!(e, FeedError::Html));
    assert_eq!(e.to_string(), "not a feed: this is an HTML page");
}

#[test]
fn latin1_declared_as_utf8_is_read_and_flagged() {
    let feed = read_feed(&fixture("feed-broken-encoding.xml"), None).unwrap();
    assert_eq!(feed.title.as_deref(), Some("Café"));
    assert_eq!(feed.entries[0].title.as_deref(), Some("Berita é"));
    assert!(feed.broken.unwrap().to_string().contains("UTF-8"));
}

#[test]
fn other_broken_feeds_give_clear_errors() {
    let cases: [(&[u8], &str); 6] = [
        (b"", "not a feed: the document is empty"),
        (
            b"<?xml version=\"1.0\"?><catalog><book/></catalog>",
            "not a feed: the root element is <catalog>",
        ),
        (
            br#"{"version": "https://jsonfeed.org/version/1.1", "items": [ {"#,
            "malformed feed: JSON",
        ),
        (br#"{"name": "not a feed"}"#, "not a feed"),
        (b"just some words", "not a feed: neither XML nor JSON"),
        (
            b"<rss version=\"2.0\"><channel><title>x</title><item><title>a</ti",
            "malformed feed",
        ),
    ];
    for (bytes, message) in cases {
        let e = read_feed(bytes, None).unwrap_err();
        assert!(e.to_string().starts_with(message), "{e} (wanted {message})");
    }
}

#[test]
fn the_size_cap_applies_after_decompression() {
    let mut big = b"<rss version=\"2.0\"><channel><title>".to_vec();
    big.extend(std::iter::repeat_n(b'a', 1 << 20));
    big.extend_from_slice(b"</title></channel></rss>");
    let e = read_feed_capped(&gz(&big), None, 64 << 10).unwrap_err();
    assert!(matches!(e, FeedError::TooLarge { cap: 65536 }));
    assert!(read_feed_capped(&gz(&big), None, 2 << 20).is_ok());
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    for (open, close) in [
        (
            &b"<rss version=\"2.0\"><channel>"[..],
            &b"</channel></rss>"[..],
        ),
        (b"<feed xmlns=\"http://www.w3.org/2005/Atom\">", b"</feed>"),
    ] {
        let mut xml = open.to_vec();
        xml.extend(b"<item><title>".repeat(50_000));
        xml.extend_from_slice(close);
        let _ = read_feed(&xml, None);
    }
}
