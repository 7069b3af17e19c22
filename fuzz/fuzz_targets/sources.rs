//! Fuzzes the WARC reader (plain and gzip) and the feed and sitemap readers on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use warta_ingest::sources::{feed, sitemap, warc};

fuzz_target!(|data: &[u8]| {
    let limits = warc::WarcLimits {
        max_header_bytes: 4096,
        max_record_bytes: 1 << 16,
        max_payload_bytes: 1 << 16,
    };
    for item in warc::WarcReader::with_limits(data, limits) {
        let _ = item;
    }
    let _ = feed::read_feed(data, Some("https://example.org/feed"));
    let limits = sitemap::SitemapLimits {
        max_entries: 1000,
        max_bytes: 1 << 20,
    };
    for item in sitemap::SitemapReader::with_limits(data, None, limits) {
        let _ = item;
    }
});
