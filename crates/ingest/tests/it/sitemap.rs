//! The sitemap reader on the fixtures: an index, a gzip urlset, a Google News sitemap,
//! and broken or oversized documents.

use warta_ingest::sources::sitemap::{
    ChildSitemap, SitemapEntry, SitemapError, SitemapItem, SitemapKind, SitemapLimits,
    SitemapReader, read_sitemap,
};

use crate::{fixture, gz};

#[test]
fn index_lists_child_sitemaps_resolved_against_its_url() {
    let bytes = fixture("sitemap-index.xml");
    let mut reader = read_sitemap(&bytes, Some("https://news.example.org/sitemap.xml"));
    let items: Vec<_> = reader.by_ref().collect();
    assert_eq!(reader.kind(), Some(SitemapKind::Index));
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0].as_ref().unwrap(),
        &SitemapItem::Sitemap(ChildSitemap {
            loc: "https://news.example.org/sitemap-news.xml".into(),
            lastmod: Some("2024-05-06T07:00:00+07:00".into()),
        })
    );
    match items[1].as_ref().unwrap() {
        SitemapItem::Sitemap(c) => {
            assert_eq!(c.loc, "https://news.example.org/sitemap-pages.xml.gz");
        }
        other => panic!("{other:?}"),
    }
    // An entry without <loc> is an error item naming what is missing.
    let e = items[2].as_ref().unwrap_err();
    assert!(e.to_string().contains("no <loc>"), "{e}");
    // Without a base, the relative <loc> cannot be resolved.
    let without_base: Vec<_> = read_sitemap(&bytes, None).collect();
    assert!(without_base[1].is_err());
}

#[test]
fn news_sitemap_gives_titles_and_publication_dates() {
    let bytes = fixture("sitemap-news.xml");
    let items: Vec<_> = read_sitemap(&bytes, None).collect();
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0].as_ref().unwrap(),
        &SitemapItem::Page(SitemapEntry {
            loc: "https://news.example.org/2024/05/06/banjir-rob?utm=a&ref=b".into(),
            lastmod: None,
            news_title: Some("Banjir rob & angin kencang".into()),
            news_publication_date: Some("2024-05-06T08:30:00+07:00".into()),
        })
    );
    assert_eq!(
        items[1].as_ref().unwrap(),
        &SitemapItem::Page(SitemapEntry {
            loc: "https://news.example.org/2024/05/06/rapat-dprd".into(),
            lastmod: Some("2024-05-06".into()),
            news_title: Some("Rapat DPRD \u{2013} anggaran".into()),
            news_publication_date: Some("2024-05-06".into()),
        })
    );
    let e = items[2].as_ref().unwrap_err();
    assert!(matches!(e, SitemapError::BadEntry { .. }));
    assert!(e.to_string().contains("not an http(s) URL"), "{e}");
}

#[test]
fn gzip_sitemap_is_read_and_capped() {
    let bytes = fixture("sitemap-pages.xml.gz");
    let items: Vec<_> = read_sitemap(&bytes, None).collect();
    assert_eq!(items.len(), 10);
    assert!(items.iter().all(Result::is_ok));

    let limits = SitemapLimits {
        max_entries: 4,
        ..SitemapLimits::default()
    };
    let items: Vec<_> = SitemapReader::with_limits(&bytes[..], None, limits).collect();
    assert_eq!(items.len(), 5);
    assert!(matches!(
        items[4],
        Err(SitemapError::TooManyEntries { cap: 4 })
    ));

    let limits = SitemapLimits {
        max_bytes: 300,
        ..SitemapLimits::default()
    };
    let items: Vec<_> = SitemapReader::with_limits(&bytes[..], None, limits).collect();
    assert!(items.len() < 10);
    assert!(matches!(
        items.last().unwrap(),
        Err(SitemapError::TooLarge { cap: 300 })
    ));
}

#[test]
fn a_gzip_bomb_stops_at_the_byte_cap() {
    let mut xml = b"<urlset><url><loc>https://example.org/</loc></url><!--".to_vec();
    xml.extend(std::iter::repeat_n(b'a', 8 << 20));
    xml.extend_from_slice(b"--></urlset>");
    let bomb = gz(&xml);
    let limits = SitemapLimits {
        max_bytes: 1 << 20,
        ..SitemapLimits::default()
    };
    let items: Vec<_> = SitemapReader::with_limits(&bomb[..], None, limits).collect();
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(matches!(items[1], Err(SitemapError::TooLarge { .. })));
}

#[test]
fn broken_documents_end_with_one_clear_error() {
    let html = b"<!DOCTYPE html><html><body>Not found</body></html>";
    let items: Vec<_> = read_sitemap(html, None).collect();
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().to_string(),
        "not a sitemap: the document starts with <html>"
    );

    let truncated = b"<urlset><url><loc>https://example.org/a</loc></url><url><loc>https://exa";
    let items: Vec<_> = read_sitemap(truncated, None).collect();
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(
        items[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("truncated")
    );

    let malformed = b"<urlset><url><loc>https://example.org/a</loc></url></sitemapindex>";
    let items: Vec<_> = read_sitemap(malformed, None).collect();
    assert!(items[0].is_ok());
    assert!(matches!(items[1], Err(SitemapError::Xml { .. })));

    assert!(matches!(
        read_sitemap(b"", None).collect::<Vec<_>>()[..],
        [Err(SitemapError::NotASitemap { .. })]
    ));
}

#[test]
fn deep_nesting_costs_no_memory_per_level() {
    let mut xml = b"<urlset><url><loc>https://example.org/</loc></url>".to_vec();
    xml.extend(b"<a>".repeat(200_000));
    xml.extend(b"</a>".repeat(200_000));
    xml.extend_from_slice(b"<url><loc>https://example.org/2</loc></url></urlset>");
    let items: Vec<_> = read_sitemap(&xml, None).collect();
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items.iter().all(Result::is_ok));
}
