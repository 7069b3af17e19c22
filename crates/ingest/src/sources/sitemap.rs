//! A streaming reader of XML sitemaps: `urlset` (pages, with the Google News extension)
//! and `sitemapindex` (child sitemaps), plain or gzip-compressed.
//!
//! [`SitemapReader`] pulls entries one at a time with quick-xml, so a 50 MB sitemap never
//! sits in memory whole. Nothing is fetched: an index yields the child sitemaps' URLs
//! and the caller decides whether to read them. Namespace prefixes are not checked
//! (sitemaps in the wild get them wrong); elements are matched by local name and
//! position, so an `<image:loc>` inside `<image:image>` is not taken for the page's `<loc>`.
//!
//! Caps: [`SitemapLimits::max_entries`] (the protocol's 50,000 by default) and
//! [`SitemapLimits::max_bytes`] of decompressed XML; passing either yields one error
//! and ends the iteration. An entry without a usable `<loc>` is one error item, and
//! reading goes on.

use std::io::{self, BufRead};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};
use url::Url;

use super::io::{Capped, MaybeGz, over_cap};

/// The protocol's limit on entries in one sitemap file.
pub const MAX_SITEMAP_ENTRIES: usize = 50_000;

/// The protocol's limit on one sitemap file, uncompressed: 50 MiB.
pub const MAX_SITEMAP_BYTES: u64 = 50 << 20;

/// Longest text kept for one field (a `<loc>` is at most 2,048 characters by the protocol).
const MAX_FIELD_BYTES: usize = 16 << 10;

/// How many levels of open element names are kept.
const KEPT_DEPTH: usize = 8;

/// Limits for [`SitemapReader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapLimits {
    /// Most entries read from one file; the rest are dropped with an error.
    pub max_entries: usize,
    /// Most bytes of (decompressed) XML read.
    pub max_bytes: u64,
}

impl Default for SitemapLimits {
    /// The protocol's limits: 50,000 entries, 50 MiB.
    fn default() -> Self {
        Self {
            max_entries: MAX_SITEMAP_ENTRIES,
            max_bytes: MAX_SITEMAP_BYTES,
        }
    }
}

/// Which kind of sitemap a file is, from its root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapKind {
    /// `<urlset>`: a list of pages.
    UrlSet,
    /// `<sitemapindex>`: a list of other sitemaps.
    Index,
}

/// One page listed in a `urlset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    /// The page's absolute URL.
    pub loc: String,
    /// `<lastmod>`, as written (W3C datetime: a date or a full timestamp).
    pub lastmod: Option<String>,
    /// `<news:title>` from the Google News extension.
    pub news_title: Option<String>,
    /// `<news:publication_date>` from the Google News extension, as written.
    pub news_publication_date: Option<String>,
}

/// One child sitemap listed in a `sitemapindex`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildSitemap {
    /// The child sitemap's absolute URL.
    pub loc: String,
    /// `<lastmod>`, as written.
    pub lastmod: Option<String>,
}

/// One item read from a sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SitemapItem {
    /// A page, from a `urlset`.
    Page(SitemapEntry),
    /// A child sitemap, from a `sitemapindex`.
    Sitemap(ChildSitemap),
}

/// What went wrong reading a sitemap.
#[derive(Debug, thiserror::Error)]
pub enum SitemapError {
    /// The root element is not `urlset` or `sitemapindex`.
    #[error("not a sitemap: the document starts with {root}")]
    NotASitemap {
        /// What was found instead (an element name, or "no element").
        root: String,
    },
    /// The XML is malformed (or its gzip is corrupt); nothing after it can be read.
    #[error("sitemap byte {position}: malformed XML: {reason}")]
    Xml {
        /// Where, in bytes of the decompressed document.
        position: u64,
        /// The parser's message.
        reason: String,
    },
    /// More bytes than [`SitemapLimits::max_bytes`]; the rest is not read.
    #[error("sitemap is larger than {cap} bytes uncompressed; the rest is not read")]
    TooLarge {
        /// The cap.
        cap: u64,
    },
    /// More entries than [`SitemapLimits::max_entries`]; the rest is not read.
    #[error("sitemap has more than {cap} entries; the rest is not read")]
    TooManyEntries {
        /// The cap.
        cap: usize,
    },
    /// An entry whose `<loc>` is missing or not an absolute http(s) URL; skipped.
    #[error("sitemap byte {position}: entry skipped: {reason}")]
    BadEntry {
        /// Where the entry ends, in bytes of the decompressed document.
        position: u64,
        /// What was wrong.
        reason: String,
    },
    /// The input could not be read.
    #[error("sitemap: read error: {0}")]
    Io(#[source] io::Error),
}

/// The fields of the entry being read.
#[derive(Debug, Default)]
struct Pending {
    loc: Option<String>,
    lastmod: Option<String>,
    news_title: Option<String>,
    news_publication_date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Loc,
    Lastmod,
    NewsTitle,
    NewsDate,
}

/// Streams the entries of one sitemap file; see the [module docs](self).
#[derive(Debug)]
pub struct SitemapReader<R: BufRead> {
    reader: Option<Reader<Capped<MaybeGz<R>>>>,
    pending_error: Option<io::Error>,
    base: Option<Url>,
    limits: SitemapLimits,
    kind: Option<SitemapKind>,
    /// Local names of the open elements, the outermost [`KEPT_DEPTH`] only (entries sit
    /// at depth 2 to 4; deeper names are not needed and would cost memory on hostile
    /// nesting).
    stack: Vec<String>,
    /// How many elements are open.
    depth: usize,
    entry: Option<Pending>,
    field: Option<Field>,
    text: String,
    count: usize,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> SitemapReader<R> {
    /// A reader with the default limits. `base` (the sitemap's own URL, when known)
    /// resolves relative `<loc>`s, which the protocol forbids but sites write.
    pub fn new(reader: R, base: Option<&str>) -> Self {
        Self::with_limits(reader, base, SitemapLimits::default())
    }

    /// A reader with the given limits.
    pub fn with_limits(reader: R, base: Option<&str>, limits: SitemapLimits) -> Self {
        let (reader, pending_error) = match MaybeGz::new(reader) {
            Ok(r) => {
                let mut xml = Reader::from_reader(Capped::new(r, limits.max_bytes));
                let config = xml.config_mut();
                config.trim_text(false);
                config.check_end_names = false;
                (Some(xml), None)
            }
            Err(e) => (None, Some(e)),
        };
        Self {
            reader,
            pending_error,
            base: base.and_then(|b| Url::parse(b).ok()),
            limits,
            kind: None,
            stack: Vec::new(),
            depth: 0,
            entry: None,
            field: None,
            text: String::new(),
            count: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// The kind of sitemap, once its root element has been read (after the first item).
    pub fn kind(&self) -> Option<SitemapKind> {
        self.kind
    }

    fn byte_position(&self) -> u64 {
        self.reader.as_ref().map_or(0, Reader::buffer_position)
    }

    /// Which field an element opens, given the elements around it.
    fn field_for(&self, name: &str) -> Option<Field> {
        let depth = self.depth;
        let parent = self.stack.last().map(String::as_str);
        let item = match self.kind? {
            SitemapKind::UrlSet => "url",
            SitemapKind::Index => "sitemap",
        };
        match (name, parent) {
            ("loc", Some(p)) if p == item && depth == 2 => Some(Field::Loc),
            ("lastmod", Some(p)) if p == item && depth == 2 => Some(Field::Lastmod),
            ("title", Some("news")) if depth == 3 => Some(Field::NewsTitle),
            ("publication_date", Some("news")) if depth == 3 => Some(Field::NewsDate),
            _ => None,
        }
    }

    /// Handles an opening tag; returns an error to yield when the root is wrong.
    fn open(&mut self, name: &str) -> Result<(), SitemapError> {
        if self.depth == 0 && self.kind.is_none() {
            self.kind = match name {
                "urlset" => Some(SitemapKind::UrlSet),
                "sitemapindex" => Some(SitemapKind::Index),
                other => {
                    return Err(SitemapError::NotASitemap {
                        root: format!("<{other}>"),
                    });
                }
            };
        }
        let item = match self.kind {
            Some(SitemapKind::UrlSet) => "url",
            _ => "sitemap",
        };
        if self.depth == 1 && name == item {
            self.entry = Some(Pending::default());
        }
        if self.entry.is_some() {
            self.field = self.field_for(name);
            self.text.clear();
        }
        if self.depth < KEPT_DEPTH {
            self.stack.push(name.to_string());
        }
        self.depth += 1;
        Ok(())
    }

    /// Handles a closing tag; returns the finished item, if one closed.
    fn close(&mut self, name: Option<&str>) -> Option<Result<SitemapItem, SitemapError>> {
        // End tags are matched here, for the kept depth, rather than by quick-xml, whose
        // check keeps every open name.
        if let (Some(name), Some(open)) = (name, self.stack.last()) {
            if self.depth <= KEPT_DEPTH && name != open {
                return Some(Err(SitemapError::Xml {
                    position: self.byte_position(),
                    reason: format!("</{name}> closes <{open}>"),
                }));
            }
        }
        if self.depth == 0 {
            return Some(Err(SitemapError::Xml {
                position: self.byte_position(),
                reason: "an end tag with no element open".to_string(),
            }));
        }
        self.depth -= 1;
        if self.stack.len() > self.depth {
            self.stack.pop();
        }
        if let Some(field) = self.field.take() {
            let value = self.text.trim().to_string();
            self.text.clear();
            if let Some(entry) = self.entry.as_mut() {
                let slot = match field {
                    Field::Loc => &mut entry.loc,
                    Field::Lastmod => &mut entry.lastmod,
                    Field::NewsTitle => &mut entry.news_title,
                    Field::NewsDate => &mut entry.news_publication_date,
                };
                if !value.is_empty() {
                    *slot = Some(value);
                }
            }
            return None;
        }
        if self.depth == 1 {
            let entry = self.entry.take()?;
            return Some(self.finish(entry));
        }
        None
    }

    fn finish(&self, entry: Pending) -> Result<SitemapItem, SitemapError> {
        let position = self.byte_position();
        let bad = |reason: String| SitemapError::BadEntry { position, reason };
        let raw = entry.loc.ok_or_else(|| bad("no <loc>".to_string()))?;
        let url = match Url::parse(&raw) {
            Ok(u) => u,
            Err(url::ParseError::RelativeUrlWithoutBase) => match &self.base {
                Some(base) => base
                    .join(&raw)
                    .map_err(|e| bad(format!("<loc> {raw:?}: {e}")))?,
                None => {
                    return Err(bad(format!(
                        "<loc> {raw:?} is relative and no base is known"
                    )));
                }
            },
            Err(e) => return Err(bad(format!("<loc> {raw:?}: {e}"))),
        };
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad(format!("<loc> {raw:?} is not an http(s) URL")));
        }
        let loc = url.to_string();
        Ok(match self.kind {
            Some(SitemapKind::Index) => SitemapItem::Sitemap(ChildSitemap {
                loc,
                lastmod: entry.lastmod,
            }),
            _ => SitemapItem::Page(SitemapEntry {
                loc,
                lastmod: entry.lastmod,
                news_title: entry.news_title,
                news_publication_date: entry.news_publication_date,
            }),
        })
    }

    fn push_text(&mut self, text: &str) {
        if self.field.is_some() && self.text.len() + text.len() <= MAX_FIELD_BYTES {
            self.text.push_str(text);
        }
    }

    fn push_ref(&mut self, r: &BytesRef<'_>) {
        if self.field.is_none() {
            return;
        }
        let mut tmp = [0u8; 4];
        let resolved: Option<&str> = match r.resolve_char_ref() {
            Ok(Some(c)) => Some(c.encode_utf8(&mut tmp)),
            Ok(None) => quick_xml::escape::resolve_predefined_entity(r),
            Err(_) => None,
        };
        if let Some(s) = resolved {
            let s = s.to_string();
            self.push_text(&s);
        }
    }
}

impl<R: BufRead> Iterator for SitemapReader<R> {
    type Item = Result<SitemapItem, SitemapError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if let Some(e) = self.pending_error.take() {
            self.done = true;
            return Some(Err(SitemapError::Io(e)));
        }
        loop {
            let reader = self.reader.as_mut()?;
            let mut buf = std::mem::take(&mut self.buf);
            buf.clear();
            let event = reader.read_event_into(&mut buf);
            let out = match event {
                Ok(Event::Start(e)) => {
                    let name = e.local_name().into_inner().to_string();
                    self.open(&name).err().map(Err)
                }
                Ok(Event::Empty(e)) => {
                    let name = e.local_name().into_inner().to_string();
                    match self.open(&name) {
                        Err(err) => Some(Err(err)),
                        Ok(()) => self.close(None),
                    }
                }
                Ok(Event::End(e)) => {
                    let name = e.local_name().into_inner().to_string();
                    self.close(Some(&name))
                }
                Ok(Event::Text(t)) => {
                    self.push_text(&t.xml10_content());
                    None
                }
                Ok(Event::CData(t)) => {
                    self.push_text(&t.into_inner());
                    None
                }
                Ok(Event::GeneralRef(r)) => {
                    self.push_ref(&r);
                    None
                }
                Ok(Event::Eof) => {
                    self.done = true;
                    if self.kind.is_none() {
                        return Some(Err(SitemapError::NotASitemap {
                            root: "no element".to_string(),
                        }));
                    }
                    return self.stack.last().map(|open| {
                        Err(SitemapError::Xml {
                            position: self.byte_position(),
                            reason: format!("the document ends inside <{open}> (truncated?)"),
                        })
                    });
                }
                Ok(_) => None,
                Err(e) => {
                    self.done = true;
                    let position = self.byte_position();
                    return Some(Err(match &e {
                        quick_xml::Error::Io(io) => match over_cap(io) {
                            Some(cap) => SitemapError::TooLarge { cap },
                            None => SitemapError::Xml {
                                position,
                                reason: e.to_string(),
                            },
                        },
                        _ => SitemapError::Xml {
                            position,
                            reason: e.to_string(),
                        },
                    }));
                }
            };
            self.buf = buf;
            if let Some(item) = out {
                if matches!(
                    item,
                    Err(SitemapError::NotASitemap { .. } | SitemapError::Xml { .. })
                ) {
                    self.done = true;
                    return Some(item);
                }
                if item.is_ok() {
                    self.count += 1;
                    if self.count > self.limits.max_entries {
                        self.done = true;
                        return Some(Err(SitemapError::TooManyEntries {
                            cap: self.limits.max_entries,
                        }));
                    }
                }
                return Some(item);
            }
        }
    }
}

/// Reads a whole sitemap held in memory (plain or gzip) with the default limits.
pub fn read_sitemap<'a>(bytes: &'a [u8], base: Option<&str>) -> SitemapReader<&'a [u8]> {
    SitemapReader::new(bytes, base)
}
