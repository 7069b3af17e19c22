//! Telling sources apart: WARC archive, feed, sitemap, HTML page, plain text.
//!
//! The bytes decide first (a `WARC/1.` version line, an `<rss>`, `<feed>` or `<rdf:RDF>`
//! root, a JSON object naming `jsonfeed.org`, a `<urlset>` or `<sitemapindex>` root, HTML
//! markup), looking inside gzip when the bytes start with the gzip magic, whatever the
//! name. The `Content-Type` comes next, then the name (extension, or words such as
//! `sitemap` and `feed` in a URL), and last the look of the bytes (text or binary).
//! Servers and file names lie more often than the bytes do.

use std::io::{self, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

use super::io::is_gzip;

/// How many leading bytes [`detect`] looks at; [`detect_path`] reads this many.
pub const SNIFF_BYTES: usize = 4096;

/// What a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// A directory to walk.
    Directory,
    /// A WARC archive (`.warc`, `.warc.gz`).
    Warc,
    /// An RSS 2.0/0.9x, RSS 1.0 (RDF), Atom or JSON Feed document.
    Feed,
    /// A sitemap `urlset` or `sitemapindex`.
    Sitemap,
    /// An HTML page.
    Html,
    /// Plain text (or markup that is none of the above).
    Text,
    /// Bytes that are not text: images, PDFs, archives.
    Binary,
}

/// The verdict of [`detect`]: what the source is, and whether it is gzip-compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Detection {
    /// What the (decompressed) source is.
    pub kind: SourceKind,
    /// True when the bytes are gzip-compressed.
    pub gzip: bool,
}

/// True when `input` is an `http://` or `https://` URL rather than a path.
pub fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Classifies a source from its name (a path or URL), its first bytes (up to
/// [`SNIFF_BYTES`] are looked at; empty when not fetched yet) and the `Content-Type` it
/// was served with. With no bytes, a URL that names nothing else is taken for a page.
pub fn detect(name: &str, head: &[u8], content_type: Option<&str>) -> Detection {
    let gzip = is_gzip(head);
    let inflated;
    let bytes = if gzip {
        inflated = gunzip_head(head);
        &inflated[..]
    } else {
        &head[..head.len().min(SNIFF_BYTES)]
    };
    let sniffed = sniff(bytes);
    let kind = match sniffed {
        Some(
            k @ (SourceKind::Warc | SourceKind::Feed | SourceKind::Sitemap | SourceKind::Html),
        ) => k,
        _ => content_type
            .and_then(kind_from_content_type)
            .or_else(|| kind_from_name(name))
            .or(sniffed)
            .unwrap_or(if is_url(name) {
                SourceKind::Html
            } else {
                SourceKind::Text
            }),
    };
    Detection { kind, gzip }
}

/// Classifies a file or directory on disk, reading at most [`SNIFF_BYTES`] of it.
///
/// # Errors
/// When the path cannot be inspected or read.
pub fn detect_path(path: &Path) -> io::Result<Detection> {
    if std::fs::metadata(path)?.is_dir() {
        return Ok(Detection {
            kind: SourceKind::Directory,
            gzip: false,
        });
    }
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)?;
    Ok(detect(&path.to_string_lossy(), &head, None))
}

/// Decompresses as much of a gzip head as there is (a prefix of the stream is enough).
fn gunzip_head(head: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SNIFF_BYTES);
    let mut decoder = MultiGzDecoder::new(head).take(SNIFF_BYTES as u64);
    let mut buf = [0u8; 1024];
    // A cut stream ends in an error after giving what it could: keep that.
    while let Ok(n) = decoder.read(&mut buf) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    out
}

fn kind_from_content_type(content_type: &str) -> Option<SourceKind> {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match media.as_str() {
        "application/warc" => SourceKind::Warc,
        "application/rss+xml"
        | "application/atom+xml"
        | "application/rdf+xml"
        | "application/feed+json" => SourceKind::Feed,
        "text/html" | "application/xhtml+xml" => SourceKind::Html,
        "text/plain" => SourceKind::Text,
        _ => return None,
    })
}

fn kind_from_name(name: &str) -> Option<SourceKind> {
    // Only the path of a URL counts, not its query or fragment.
    let path = if is_url(name) {
        let rest = name.split_once("://").map_or(name, |(_, r)| r);
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        path.split(['?', '#']).next().unwrap_or("")
    } else {
        name
    };
    let lower = path.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    let file = lower.rsplit(['/', '\\']).next().unwrap_or(lower);
    let ext = file.rsplit_once('.').map(|(_, e)| e);
    match ext {
        Some("warc" | "arc") => return Some(SourceKind::Warc),
        Some("rss" | "atom" | "rdf") => return Some(SourceKind::Feed),
        Some("html" | "htm" | "xhtml" | "shtml" | "php" | "asp" | "aspx" | "jsp") => {
            return Some(SourceKind::Html);
        }
        Some("txt") => return Some(SourceKind::Text),
        _ => {}
    }
    if file.contains("sitemap") && matches!(ext, Some("xml") | None) {
        return Some(SourceKind::Sitemap);
    }
    // A path segment named like a feed: `/feed/`, `/rss.xml`, `/atom.xml`, `/feeds/x.xml`.
    let feed_word = lower.split(['/', '\\']).any(|segment| {
        let stem = segment.split('.').next().unwrap_or("");
        matches!(stem, "feed" | "feeds" | "rss" | "rss2" | "atom")
    });
    if feed_word && matches!(ext, Some("xml" | "json") | None) {
        return Some(SourceKind::Feed);
    }
    None
}

/// Tells what the bytes are, when they say it.
fn sniff(bytes: &[u8]) -> Option<SourceKind> {
    if bytes.is_empty() {
        return None;
    }
    // UTF-16 markup: drop the zero bytes, which is enough to read ASCII names.
    let narrowed;
    let mut b = bytes;
    if b.starts_with(&[0xff, 0xfe]) || b.starts_with(&[0xfe, 0xff]) {
        narrowed = b[2..]
            .iter()
            .copied()
            .filter(|c| *c != 0)
            .collect::<Vec<u8>>();
        b = &narrowed;
    }
    let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    let b = trim_start(b);
    if b.starts_with(b"WARC/") {
        return Some(SourceKind::Warc);
    }
    if b.starts_with(b"%PDF")
        || b.starts_with(b"\x89PNG")
        || b.starts_with(b"\xff\xd8\xff")
        || b.starts_with(b"PK\x03\x04")
        || b.starts_with(b"GIF8")
    {
        return Some(SourceKind::Binary);
    }
    if b.starts_with(b"{") {
        let text = String::from_utf8_lossy(b);
        return Some(if text.contains("jsonfeed.org/version") {
            SourceKind::Feed
        } else {
            SourceKind::Text
        });
    }
    if b.starts_with(b"<") {
        if let Some(kind) = sniff_markup(b) {
            return Some(kind);
        }
    }
    let lower = String::from_utf8_lossy(&b[..b.len().min(1024)]).to_ascii_lowercase();
    if ["<html", "<body", "<!doctype html", "<p>", "<div"]
        .iter()
        .any(|t| lower.contains(t))
    {
        return Some(SourceKind::Html);
    }
    let control = b
        .iter()
        .filter(|c| **c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    Some(if b.contains(&0) || control * 10 > b.len() {
        SourceKind::Binary
    } else {
        SourceKind::Text
    })
}

fn trim_start(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// Reads past the prolog (declaration, processing instructions, comments, doctype) to
/// the root element and classifies by its name.
fn sniff_markup(mut b: &[u8]) -> Option<SourceKind> {
    loop {
        b = trim_start(b);
        if let Some(rest) = b.strip_prefix(b"<?") {
            b = skip_past(rest, b"?>")?;
        } else if let Some(rest) = b.strip_prefix(b"<!--") {
            b = skip_past(rest, b"-->")?;
        } else if b.len() >= 9 && b[..9].eq_ignore_ascii_case(b"<!doctype") {
            let rest = &b[9..];
            let end = memchr::memchr(b'>', rest)?;
            let decl = String::from_utf8_lossy(&rest[..end]).to_ascii_lowercase();
            if decl.trim().starts_with("html") {
                return Some(SourceKind::Html);
            }
            b = &rest[end + 1..];
        } else if let Some(rest) = b.strip_prefix(b"<") {
            let len = rest
                .iter()
                .position(|c| {
                    !(c.is_ascii_alphanumeric() || matches!(c, b':' | b'_' | b'-' | b'.'))
                })
                .unwrap_or(rest.len());
            let qname = String::from_utf8_lossy(&rest[..len]).to_ascii_lowercase();
            let local = qname.rsplit(':').next().unwrap_or("");
            return match local {
                "rss" | "rdf" | "feed" => Some(SourceKind::Feed),
                "urlset" | "sitemapindex" => Some(SourceKind::Sitemap),
                "html" | "head" | "body" | "div" | "p" | "meta" | "title" | "link" | "script"
                | "article" | "main" | "section" | "table" | "span" | "a" | "h1" | "h2" => {
                    Some(SourceKind::Html)
                }
                _ => None,
            };
        } else {
            return None;
        }
    }
}

fn skip_past<'a>(b: &'a [u8], end: &[u8]) -> Option<&'a [u8]> {
    memchr::memmem::find(b, end).map(|i| &b[i + end.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn kind(name: &str, head: &[u8]) -> SourceKind {
        detect(name, head, None).kind
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn warc_by_magic_plain_and_gzip() {
        let warc = b"WARC/1.1\r\nWARC-Type: warcinfo\r\n";
        assert_eq!(kind("x.bin", warc), SourceKind::Warc);
        let d = detect("crawl-00001", &gz(warc), None);
        assert_eq!(
            d,
            Detection {
                kind: SourceKind::Warc,
                gzip: true
            }
        );
        // Only the first bytes of a long gzip stream are needed.
        let mut long = warc.to_vec();
        long.extend(vec![b'x'; 100_000]);
        let g = gz(&long);
        assert_eq!(kind("a", &g[..200]), SourceKind::Warc);
        // By name when there are no bytes yet.
        assert_eq!(
            kind("https://example.org/dump.warc.gz", b""),
            SourceKind::Warc
        );
    }

    #[test]
    fn feeds_by_root_element_or_json_version() {
        assert_eq!(
            kind(
                "a.xml",
                b"<?xml version=\"1.0\"?>\n<!-- hi -->\n<rss version=\"2.0\"><channel>"
            ),
            SourceKind::Feed
        );
        assert_eq!(
            kind(
                "a.xml",
                b"\xef\xbb\xbf<feed xmlns=\"http://www.w3.org/2005/Atom\">"
            ),
            SourceKind::Feed
        );
        assert_eq!(
            kind(
                "a",
                b"<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"x\"><channel>"
            ),
            SourceKind::Feed
        );
        assert_eq!(
            kind(
                "a.json",
                br#"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#
            ),
            SourceKind::Feed
        );
        assert_eq!(kind("a.json", br#"{"version": 2}"#), SourceKind::Text);
        // UTF-16 with a byte-order mark.
        let utf16: Vec<u8> = "\u{feff}<rss version=\"2.0\">"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(kind("a", &utf16), SourceKind::Feed);
        assert_eq!(kind("https://example.org/feed/", b""), SourceKind::Feed);
        assert_eq!(
            kind("https://example.org/rss.xml?x=1", b""),
            SourceKind::Feed
        );
        assert_eq!(
            kind("https://example.org/atom-bomb-story", b""),
            SourceKind::Html
        );
        assert_eq!(
            detect("https://example.org/x", b"", Some("application/atom+xml")).kind,
            SourceKind::Feed
        );
    }

    #[test]
    fn sitemaps_by_root_element() {
        assert_eq!(
            kind(
                "a.xml",
                b"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/\">"
            ),
            SourceKind::Sitemap
        );
        let index = gz(b"<sitemapindex><sitemap><loc>x</loc></sitemap></sitemapindex>");
        assert_eq!(
            detect("s.xml.gz", &index, None),
            Detection {
                kind: SourceKind::Sitemap,
                gzip: true
            }
        );
        assert_eq!(
            kind("https://example.org/sitemap_index.xml", b""),
            SourceKind::Sitemap
        );
    }

    #[test]
    fn html_text_and_binary() {
        assert_eq!(kind("a", b"<!DOCTYPE html><html><head>"), SourceKind::Html);
        assert_eq!(kind("a", b"  <html lang=\"id\">"), SourceKind::Html);
        assert_eq!(
            kind("a.txt", b"Some words\n<p>in text</p>"),
            SourceKind::Html
        );
        assert_eq!(
            kind("a.txt", b"JAKARTA - Banjir melanda.\n"),
            SourceKind::Text
        );
        assert_eq!(kind("a.bin", b"\x89PNG\r\n\x1a\n\0\0"), SourceKind::Binary);
        assert_eq!(kind("a", b"\0\x01\x02\x03abc"), SourceKind::Binary);
        // Bytes beat a wrong Content-Type; a Content-Type beats the name.
        assert_eq!(
            detect("a.txt", b"<rss version=\"2.0\">", Some("text/html")).kind,
            SourceKind::Feed
        );
        assert_eq!(
            detect("page.txt", b"plain words", Some("text/html")).kind,
            SourceKind::Html
        );
        // A page URL with nothing fetched yet.
        assert_eq!(
            kind("https://example.org/2024/05/story", b""),
            SourceKind::Html
        );
        assert_eq!(kind("notes", b""), SourceKind::Text);
    }

    #[test]
    fn paths_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(detect_path(dir.path()).unwrap().kind, SourceKind::Directory);
        let p = dir.path().join("feed.bin");
        std::fs::write(&p, gz(b"<rss version=\"2.0\"></rss>")).unwrap();
        assert_eq!(
            detect_path(&p).unwrap(),
            Detection {
                kind: SourceKind::Feed,
                gzip: true
            }
        );
        assert!(detect_path(&dir.path().join("missing")).is_err());
        assert!(is_url("HTTPS://example.org"));
        assert!(!is_url("/tmp/http"));
    }
}
