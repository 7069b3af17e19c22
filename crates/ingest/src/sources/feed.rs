//! Reading news feeds: RSS 2.0 (and 0.9x), RSS 1.0 (RDF), Atom 1.0 and JSON Feed 1.0/1.1.
//!
//! Parsing is done by the `feed-rs` crate; this module turns its model into the few
//! fields ingestion needs ([`FeedEntry`]), with every URL made absolute against
//! `xml:base` or the feed's own URL, and with dates as ISO 8601 UTC timestamps (the
//! format of [`warta_core::Article::published`]).
//!
//! Broken feeds get a clear [`FeedError`]: HTML served where a feed was expected, an
//! unknown root, malformed XML or JSON, a decompressed size over the cap. When XML
//! breaks after some complete items (a feed cut short, junk in the middle), those
//! items are kept: the document is cut after the last complete `<item>`/`<entry>`,
//! closed, parsed again, and the error is kept in [`Feed::broken`].

use feed_rs::model;
use feed_rs::parser::{self, ParseErrorKind, ParseFeedError};
use quick_xml::Reader;
use quick_xml::events::Event;
use url::Url;

use super::detect::{SourceKind, detect};
use super::io::{DecodeFailure, read_all_capped};

/// Largest feed read, after decompression: 16 MiB.
pub const MAX_FEED_BYTES: u64 = 16 << 20;

/// The feed format found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedFormat {
    /// RSS 2.0.
    Rss2,
    /// RSS 0.91/0.92.
    Rss0,
    /// RSS 1.0 (RDF).
    Rss1,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.0 or 1.1.
    JsonFeed,
}

/// A parsed feed: its own title and site, and its entries in document order.
#[derive(Debug)]
pub struct Feed {
    /// The format found.
    pub format: FeedFormat,
    /// The feed's title.
    pub title: Option<String>,
    /// The site the feed belongs to (its `alternate` link or home page URL).
    pub site_url: Option<String>,
    /// The entries, in document order.
    pub entries: Vec<FeedEntry>,
    /// When the document broke after some complete entries: why. `entries` then holds
    /// the entries before the break.
    pub broken: Option<FeedError>,
}

/// One feed item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// The article's absolute http(s) URL: the entry's `alternate` link, else its first
    /// link, else its id when that is a URL (RSS `guid` permalinks).
    pub url: Option<String>,
    /// The headline, as given (it may hold HTML for Atom `type="html"` titles).
    pub title: Option<String>,
    /// When it was first published, ISO 8601 UTC (`2024-05-06T01:30:00Z`).
    pub published: Option<String>,
    /// When it was last updated, same format.
    pub updated: Option<String>,
    /// The summary or description, as given (often HTML).
    pub summary: Option<String>,
    /// The entry id (`guid`, Atom `id`, JSON `id`; derived from the link and title by
    /// feed-rs when the feed gives none).
    pub id: String,
}

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The document is an HTML page, not a feed (a login wall, an error page, the site's
    /// home page).
    #[error("not a feed: this is an HTML page")]
    Html,
    /// The document is not RSS, Atom or JSON Feed.
    #[error("not a feed: {found}")]
    NotAFeed {
        /// What was found instead.
        found: String,
    },
    /// The XML or JSON is malformed, or its bytes do not match its declared encoding.
    #[error("malformed feed: {reason}")]
    Malformed {
        /// The parser's message.
        reason: String,
    },
    /// The feed is larger than the cap once decompressed.
    #[error("feed is larger than {cap} bytes")]
    TooLarge {
        /// The cap.
        cap: u64,
    },
    /// The gzip data is corrupt.
    #[error("feed: the gzip data is corrupt: {0}")]
    Gzip(#[source] std::io::Error),
}

/// Reads a feed held in memory (plain or gzip) with the default size cap. `feed_url`,
/// the address the feed was fetched from, resolves relative links.
///
/// # Errors
/// [`FeedError`] when nothing usable can be read; see [`Feed::broken`] for feeds that
/// break after some entries.
pub fn read_feed(bytes: &[u8], feed_url: Option<&str>) -> Result<Feed, FeedError> {
    read_feed_capped(bytes, feed_url, MAX_FEED_BYTES)
}

/// [`read_feed`] with a cap on the decompressed size.
///
/// # Errors
/// As [`read_feed`], and [`FeedError::TooLarge`] past `max_bytes`.
pub fn read_feed_capped(
    bytes: &[u8],
    feed_url: Option<&str>,
    max_bytes: u64,
) -> Result<Feed, FeedError> {
    let data = read_all_capped(bytes, max_bytes).map_err(|e| match e {
        DecodeFailure::OverCap(cap) => FeedError::TooLarge { cap },
        DecodeFailure::Corrupt(e) => FeedError::Gzip(e),
    })?;
    let base = feed_url.and_then(|u| Url::parse(u).ok());
    match parse(&data, feed_url) {
        Ok(feed) => Ok(convert(feed, base.as_ref(), None)),
        Err(err) => {
            let err = explain(err, &data);
            if matches!(err, FeedError::Malformed { .. }) {
                if let Some(fixed) = reencode(&data) {
                    if let Ok(feed) = parse(&fixed, feed_url) {
                        return Ok(convert(feed, base.as_ref(), Some(err)));
                    }
                }
                if let Some(prefix) = salvage(&data) {
                    if let Ok(feed) = parse(&prefix, feed_url) {
                        if !feed.entries.is_empty() {
                            return Ok(convert(feed, base.as_ref(), Some(err)));
                        }
                    }
                }
            }
            Err(err)
        }
    }
}

fn parse(data: &[u8], feed_url: Option<&str>) -> Result<model::Feed, ParseFeedError> {
    parser::Builder::new()
        .base_uri(feed_url)
        .build()
        .parse(data)
}

/// Turns feed-rs's error into ours, looking at the bytes to say what they are.
fn explain(err: ParseFeedError, data: &[u8]) -> FeedError {
    match err {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            let sniffed = detect("", data, None).kind;
            if sniffed == SourceKind::Html {
                FeedError::Html
            } else {
                FeedError::NotAFeed {
                    found: describe_root(data),
                }
            }
        }
        ParseFeedError::JsonUnsupportedVersion(v) => FeedError::NotAFeed {
            found: format!("JSON with version {v:?} (not a JSON Feed)"),
        },
        ParseFeedError::ParseError(kind) => FeedError::Malformed {
            reason: kind.to_string(),
        },
        ParseFeedError::IoError(e) => FeedError::Malformed {
            reason: e.to_string(),
        },
        ParseFeedError::JsonSerde(e) => {
            if detect("", data, None).kind == SourceKind::Feed {
                FeedError::Malformed {
                    reason: format!("JSON: {e}"),
                }
            } else {
                FeedError::NotAFeed {
                    found: "JSON that is not a JSON Feed".to_string(),
                }
            }
        }
        ParseFeedError::XmlReader(e) => {
            let sniffed = detect("", data, None).kind;
            if sniffed == SourceKind::Html {
                FeedError::Html
            } else {
                FeedError::Malformed {
                    reason: format!("XML: {e}"),
                }
            }
        }
    }
}

/// Names the root element (or says what the bytes look like) for an error message.
fn describe_root(data: &[u8]) -> String {
    let mut reader = Reader::from_reader(data);
    let mut buf = Vec::new();
    for _ in 0..64 {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                return format!("the root element is <{}>", e.name().into_inner());
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    match data.iter().find(|b| !b.is_ascii_whitespace()) {
        None => "the document is empty".to_string(),
        Some(b'{' | b'[') => "JSON that is not a JSON Feed".to_string(),
        Some(_) => "neither XML nor JSON".to_string(),
    }
}

/// A feed that is not valid UTF-8 although it declares UTF-8 (or nothing), made valid:
/// mostly-UTF-8 bytes keep their UTF-8 with replacement characters for the bad bytes,
/// anything else is read as Windows-1252 (the usual mislabelled Latin-1).
fn reencode(data: &[u8]) -> Option<Vec<u8>> {
    if std::str::from_utf8(data).is_ok()
        || data.starts_with(&[0xff, 0xfe])
        || data.starts_with(&[0xfe, 0xff])
    {
        return None;
    }
    let head = String::from_utf8_lossy(&data[..data.len().min(200)]).to_ascii_lowercase();
    if let Some(i) = head.find("encoding=") {
        let declared = head[i + 9..].trim_start_matches(['"', '\'']);
        if !declared.starts_with("utf-8") && !declared.starts_with("utf8") {
            return None;
        }
    }
    let lossy = String::from_utf8_lossy(data);
    let bad = lossy
        .chars()
        .filter(|c| *c == char::REPLACEMENT_CHARACTER)
        .count();
    let high = data.iter().filter(|b| **b >= 0x80).count();
    if bad * 2 < high {
        return Some(lossy.into_owned().into_bytes());
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(data);
    Some(text.into_owned().into_bytes())
}

/// The document cut after its last complete `<item>`/`<entry>` and closed, when there
/// is one.
fn salvage(data: &[u8]) -> Option<Vec<u8>> {
    let mut reader = Reader::from_reader(data);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut cut: Option<(usize, Vec<String>)> = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                // Element names are a few bytes; a hostile nesting depth is capped.
                if stack.len() > 256 {
                    break;
                }
                stack.push(e.name().into_inner().to_string());
            }
            Ok(Event::End(e)) => {
                let local = e.local_name().into_inner().to_ascii_lowercase();
                stack.pop();
                if local == "item" || local == "entry" {
                    let at = usize::try_from(reader.buffer_position()).ok()?;
                    cut = Some((at, stack.clone()));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    let (at, open) = cut?;
    let mut out = data.get(..at)?.to_vec();
    for name in open.iter().rev() {
        out.extend_from_slice(b"</");
        out.extend_from_slice(name.as_bytes());
        out.push(b'>');
    }
    Some(out)
}

fn format_of(t: &model::FeedType) -> FeedFormat {
    match t {
        model::FeedType::Atom => FeedFormat::Atom,
        model::FeedType::JSON => FeedFormat::JsonFeed,
        model::FeedType::RSS0 => FeedFormat::Rss0,
        model::FeedType::RSS1 => FeedFormat::Rss1,
        model::FeedType::RSS2 => FeedFormat::Rss2,
    }
}

/// An absolute http(s) URL from `href`, resolved against `base` when relative.
fn absolute(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    let url = match Url::parse(href) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok()?,
        Err(_) => return None,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// The link a reader would follow: `alternate` (or no rel) first, then any.
fn pick_link(links: &[model::Link], base: Option<&Url>) -> Option<String> {
    let preferred = links
        .iter()
        .filter(|l| matches!(l.rel.as_deref(), None | Some("alternate")));
    preferred
        .chain(links.iter())
        .find_map(|l| absolute(&l.href, base))
}

fn text(t: Option<&model::Text>) -> Option<String> {
    t.map(|t| t.content.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn convert(feed: model::Feed, base: Option<&Url>, broken: Option<FeedError>) -> Feed {
    let site_url = pick_link(&feed.links, base);
    // RSS has no update time; feed-rs copies `pubDate` into `updated`, which says nothing.
    let rss = matches!(
        feed.feed_type,
        model::FeedType::RSS0 | model::FeedType::RSS1 | model::FeedType::RSS2
    );
    let entries = feed
        .entries
        .into_iter()
        .map(|e| {
            let url = pick_link(&e.links, base).or_else(|| absolute(&e.id, None));
            FeedEntry {
                url,
                title: text(e.title.as_ref()),
                published: e
                    .published
                    .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
                updated: e
                    .updated
                    .filter(|u| !(rss && Some(*u) == e.published))
                    .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
                summary: text(e.summary.as_ref()),
                id: e.id,
            }
        })
        .collect();
    Feed {
        format: format_of(&feed.feed_type),
        title: text(feed.title.as_ref()),
        site_url,
        entries,
        broken,
    }
}
