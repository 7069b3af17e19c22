//! Property tests: the readers never panic on arbitrary or damaged input, and always end.

use proptest::prelude::*;

use warta_ingest::sources::detect::detect;
use warta_ingest::sources::feed::read_feed;
use warta_ingest::sources::sitemap::{SitemapLimits, SitemapReader};
use warta_ingest::sources::warc::{WarcLimits, WarcReader};

use crate::{fixture, gz};

fn small_warc_limits() -> WarcLimits {
    WarcLimits {
        max_header_bytes: 512,
        max_record_bytes: 4096,
        max_payload_bytes: 4096,
    }
}

/// A small valid archive: a response with chunked gzip body, a request, a resource.
fn sample_warc() -> Vec<u8> {
    let body = gz(b"<html><body><p>Isi berita.</p></body></html>");
    let mut http = format!(
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
        body.len()
    )
    .into_bytes();
    http.extend_from_slice(&body);
    http.extend_from_slice(b"\r\n0\r\n\r\n");
    let mut out = Vec::new();
    for (kind, ctype, block) in [
        ("response", "application/http; msgtype=response", http),
        (
            "request",
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n".to_vec(),
        ),
        ("resource", "text/html", b"<p>r</p>".to_vec()),
    ] {
        out.extend(
            format!(
                "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://example.org/\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
                block.len()
            )
            .bytes(),
        );
        out.extend_from_slice(&block);
        out.extend_from_slice(b"\r\n\r\n");
    }
    out
}

fn run_warc(bytes: &[u8]) -> usize {
    let n = WarcReader::with_limits(bytes, small_warc_limits()).count();
    // Every item consumes input: the reader cannot spin.
    assert!(n <= bytes.len() + 1);
    n
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn warc_reader_survives_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        run_warc(&bytes);
        let mut prefixed = b"WARC/1.1\r\nContent-Length: 5\r\nWARC-Type: response\r\n\r\n".to_vec();
        prefixed.extend_from_slice(&bytes);
        run_warc(&prefixed);
        run_warc(&gz(&bytes));
    }

    #[test]
    fn warc_reader_survives_damage(cut in 0usize..2000, flips in proptest::collection::vec((0usize..2000, any::<u8>()), 0..8)) {
        let mut w = sample_warc();
        for (at, byte) in flips {
            let n = w.len();
            w[at % n] = byte;
        }
        let cut = cut % (w.len() + 1);
        run_warc(&w[..cut]);
        let g = gz(&w);
        run_warc(&g[..cut.min(g.len())]);
    }

    #[test]
    fn warc_reader_survives_damaged_gzip_members(flips in proptest::collection::vec((0usize..4000, any::<u8>()), 1..8), cut in 0usize..4000) {
        let one = sample_warc();
        let mut members = Vec::new();
        for _ in 0..3 {
            members.extend(gz(&one));
        }
        for (at, byte) in flips {
            let n = members.len();
            members[at % n] ^= byte | 1;
        }
        let cut = cut % (members.len() + 1);
        run_warc(&members);
        run_warc(&members[..cut]);
    }

    #[test]
    fn truncation_keeps_the_records_before_it(cut in 0usize..1000) {
        let w = sample_warc();
        let cut = cut % (w.len() + 1);
        let whole: Vec<_> = WarcReader::new(&w[..]).map(Result::unwrap).collect();
        let items: Vec<_> = WarcReader::new(&w[..cut]).collect();
        // All but possibly the last item are the whole archive's first records.
        for (got, want) in items.iter().zip(&whole) {
            if let Ok(got) = got {
                prop_assert_eq!(got, want);
            }
        }
        prop_assert!(items.iter().filter(|r| r.is_err()).count() <= 1);
    }

    #[test]
    fn feed_reader_survives_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_feed(&bytes, Some("https://example.org/feed"));
        let _ = detect("x", &bytes, None);
    }

    #[test]
    fn feed_reader_survives_damage(name in prop::sample::select(vec![
        "feed-rss2.xml", "feed-rss1.rdf", "feed-atom.xml", "feed-json.json",
    ]), cut in 0usize..3000, flips in proptest::collection::vec((0usize..3000, any::<u8>()), 0..6)) {
        let mut f = fixture(name);
        for (at, byte) in flips {
            let n = f.len();
            f[at % n] = byte;
        }
        let cut = cut % (f.len() + 1);
        let _ = read_feed(&f[..cut], Some("https://example.org/feed"));
    }

    #[test]
    fn sitemap_reader_survives_arbitrary_and_damaged_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        cut in 0usize..2000,
        flips in proptest::collection::vec((0usize..2000, any::<u8>()), 0..6),
    ) {
        let limits = SitemapLimits { max_entries: 100, max_bytes: 1 << 16 };
        let n = SitemapReader::with_limits(&bytes[..], None, limits).count();
        prop_assert!(n <= bytes.len() + 1);
        let mut s = fixture("sitemap-news.xml");
        for (at, byte) in flips {
            let n = s.len();
            s[at % n] = byte;
        }
        let cut = cut % (s.len() + 1);
        let n = SitemapReader::with_limits(&s[..cut], Some("https://example.org/"), limits).count();
        prop_assert!(n <= cut + 1);
    }
}
