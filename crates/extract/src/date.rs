//! Publication and modification dates.
//!
//! The rules live in one place, [`Candidates`]: it is fed either by a light
//! streaming scan of the raw page ([`find_dates`], the `warta eval dates` path,
//! which never builds a tree) or by a walk over an already-parsed [`Dom`]
//! ([`dates_from_dom`], full extraction). Both feed the same signals in the same
//! order, so both give the same answer on the same page.
//!
//! Order of trust for the publication date: JSON-LD `datePublished` of an
//! article type, then publication meta tags (`article:published_time`,
//! `og:published_time`, `datePublished` itemprops, Parse.ly, Sailthru, Dublin
//! Core, `pubdate`, …), then elements marked as the publication time
//! (`<time pubdate>`, `itemprop=datePublished`, `<abbr class=published>`),
//! then JSON-LD on other page types, then the first `<time datetime>`, then a
//! bare `date` meta tag. Two checks follow: when these machine dates disagree,
//! the day most of them name wins; and when the date shown to readers (in an
//! element whose class or id says date/time/published/byline) matches one of
//! the machine dates (publication or modification), that one is taken. A URL
//! day one day off the machine day replaces it (UTC near midnight). Without
//! machine dates: the URL, the shown date, a date assigned in a script (fast
//! path only), then visible text (a date labelled "published"/"Erschienen"/…,
//! else the first after the headline, else the first in `<article>`, else the
//! first on the page). Modification dates use their own keys in the same order.

mod scan;
mod text;

use std::sync::LazyLock;

use serde_json::Value;
use warta_core::RawDoc;
use warta_core::calendar::{civil_from_days, days_from_civil};

use crate::dom::{Dom, NodeData, ROOT, Tag};

/// The dates found for one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateFindings {
    /// Publication time, ISO 8601 (bare date when only the day is known).
    pub published: Option<String>,
    /// Last modification time, ISO 8601.
    pub modified: Option<String>,
}

/// Finds the dates of one page without full extraction (the `warta eval dates` path).
pub fn find_dates(doc: &RawDoc) -> DateFindings {
    let html: std::borrow::Cow<'_, str> = match std::str::from_utf8(&doc.bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => match crate::decode::decode(doc) {
            Ok(d) => std::borrow::Cow::Owned(d.text.into_owned()),
            Err(_) => return DateFindings::default(),
        },
    };
    let mut c = Candidates::default();
    let scanned = scan::scan(&html, &mut c);
    if let Some(u) = doc.url.as_deref().or(scanned.canonical.as_deref()) {
        c.url(u);
    }
    if c.needs_text() {
        // Scripts and JSON state blocks (`"publishedDate": "…"`), which a tree does not keep.
        c.script = SCRIPT_DATE
            .captures_iter(&html)
            .find_map(|m| parse_machine(&m[2]));
        if c.script.is_none() {
            c.text(&scanned.text_feed());
        }
    }
    c.finish()
}

/// Finds the dates of a parsed page: JSON-LD, OpenGraph and meta tags, `<time>`,
/// the URL, then visible text.
pub(crate) fn dates_from_dom(dom: &Dom, json_ld: &[Value], url: Option<&str>) -> DateFindings {
    let mut c = Candidates::default();
    c.json_ld(json_ld);
    c.json_ld_raw(&dom.json_ld);
    let mut url = url.map(str::to_string);
    for id in dom.descendants(ROOT) {
        let Some(el) = dom.element(id) else { continue };
        match el.tag {
            Tag::Meta => {
                if let (Some(k), Some(v)) = (crate::meta::meta_key(el), el.attr("content")) {
                    c.meta(k, v);
                }
                continue;
            }
            Tag::Link => {
                if url.is_none()
                    && el
                        .attr("rel")
                        .is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    url = el.attr("href").map(str::to_string);
                }
                continue;
            }
            Tag::Script => continue,
            _ => {}
        }
        // Only `<time>`, `itemprop`, `pubdate` and class/id words can mark a date.
        if el.id_class.is_empty()
            && el.tag != Tag::Time
            && el.attr("itemprop").is_none()
            && el.attr("pubdate").is_none()
        {
            continue;
        }
        let mark = Mark::of(
            el.tag == Tag::Time,
            el.tag == Tag::Abbr,
            el.attr("itemprop"),
            el.attr("pubdate").is_some(),
            &[&el.id_class],
        );
        let machine = if el.tag == Tag::Time {
            el.attr("datetime")
        } else if el.tag == Tag::Abbr {
            el.attr("title")
        } else if mark.itemprop.is_some() {
            el.attr("content").or_else(|| el.attr("datetime"))
        } else {
            None
        };
        if mark.is_interesting() {
            let text = if machine.is_none() || mark.date_class {
                spaced_text(dom, id)
            } else {
                String::new()
            };
            c.element(&mark, machine, &text);
        }
    }
    if let Some(u) = url.as_deref() {
        c.url(u);
    }
    if c.needs_text() {
        let mut t = TextFeed::default();
        walk_text(dom, ROOT, &mut t);
        c.text(&t);
    }
    c.finish()
}

/// The visible text under `id`, one space after each text node, cut near 300 bytes
/// (what the fast scan gathers for a marked element).
fn spaced_text(dom: &Dom, id: crate::dom::NodeId) -> String {
    let mut s = String::new();
    for n in dom.descendants(id) {
        let node = &dom.nodes[n as usize];
        if let NodeData::Text(t) = &node.data {
            if !node.hidden_text && s.len() < 300 {
                s.push_str(t);
                s.push(' ');
            }
        }
    }
    s
}

fn walk_text(dom: &Dom, id: crate::dom::NodeId, t: &mut TextFeed) {
    for ch in dom.children(id) {
        let node = &dom.nodes[ch as usize];
        match &node.data {
            NodeData::Text(s) => {
                if !node.hidden_text {
                    t.push(s);
                }
            }
            NodeData::Element(e) => {
                if node.hidden_text {
                    continue;
                }
                if e.tag == Tag::H1 {
                    t.h1_start();
                }
                if e.tag == Tag::Article {
                    t.article_start();
                }
                if e.tag.is_block() || e.tag == Tag::Br {
                    t.block();
                }
                walk_text(dom, ch, t);
                if e.tag.is_block() {
                    t.block();
                }
                if e.tag == Tag::H1 {
                    t.h1_end();
                }
            }
            NodeData::Document => {}
        }
    }
}

/// Finds the first date or date-time written in a line of visible text
/// (`Rabu (13/9/2023)`, `13 September 2023 14:05 WIB`, `Sept. 13, 2023`), as ISO 8601.
pub(crate) fn find_date_in_text(line: &str) -> Option<String> {
    text::dates_in(line).first().map(|(_, st)| st.iso())
}

/// Latest acceptable year: next year.
static MAX_YEAR: LazyLock<u32> = LazyLock::new(|| {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, _, _) = civil_from_days((secs / 86_400) as i64);
    u32::try_from(y + 1).unwrap_or(2100).min(2100)
});

/// Earliest acceptable year.
const MIN_YEAR: u32 = 1990;

/// A calendar day with an optional wall-clock time and UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Stamp {
    y: u16,
    m: u8,
    d: u8,
    time: Option<(u8, u8, u8)>,
    /// Minutes east of UTC.
    off: Option<i16>,
}

impl Stamp {
    /// A valid day between 1990 and next year.
    fn new(y: u32, m: u32, d: u32) -> Option<Stamp> {
        if !(MIN_YEAR..=*MAX_YEAR).contains(&y) || !(1..=12).contains(&m) || d == 0 {
            return None;
        }
        if d > days_in_month(y, m) {
            return None;
        }
        Some(Stamp {
            y: y as u16,
            m: m as u8,
            d: d as u8,
            time: None,
            off: None,
        })
    }

    fn set_time(&mut self, h: u32, mi: u32, s: u32, off: Option<i16>) {
        if h < 24 && mi < 60 && s < 61 {
            self.time = Some((h as u8, mi as u8, s.min(59) as u8));
            self.off = off;
        }
    }

    /// Days since 1970-01-01.
    fn days(&self) -> i64 {
        days_from_civil(i64::from(self.y), u32::from(self.m), u32::from(self.d))
    }

    /// ISO 8601: a bare day, or a date-time (with offset when known).
    fn iso(&self) -> String {
        let day = format!("{:04}-{:02}-{:02}", self.y, self.m, self.d);
        match self.time {
            None => day,
            Some((h, mi, s)) => {
                let mut out = format!("{day}T{h:02}:{mi:02}:{s:02}");
                match self.off {
                    Some(0) => out.push('Z'),
                    Some(o) => {
                        let sign = if o < 0 { '-' } else { '+' };
                        let a = o.unsigned_abs();
                        out.push_str(&format!("{sign}{:02}:{:02}", a / 60, a % 60));
                    }
                    None => {}
                }
                out
            }
        }
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Day of the week, 0 = Sunday.
fn weekday(y: i64, m: u32, d: u32) -> u32 {
    (days_from_civil(y, m, d) + 4).rem_euclid(7) as u32
}

/// Reads a machine-written value (meta `content`, `datetime`, JSON-LD): ISO 8601,
/// RFC 2822, a Unix time, else any written form.
fn parse_machine(v: &str) -> Option<Stamp> {
    let v = v.trim();
    if v.is_empty() || v.len() > 200 {
        return None;
    }
    let b = v.as_bytes();
    // Compact `20230913` / `20230913T140500` / Unix seconds or milliseconds.
    if b.iter().all(u8::is_ascii_digit) {
        return match b.len() {
            8 => Stamp::new(num(&v[..4]), num(&v[4..6]), num(&v[6..8])),
            10 | 13 => {
                let secs: i64 = v[..10].parse().ok()?;
                let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
                let mut st = Stamp::new(u32::try_from(y).ok()?, m, d)?;
                let r = secs.rem_euclid(86_400) as u32;
                st.set_time(r / 3600, r / 60 % 60, r % 60, Some(0));
                Some(st)
            }
            _ => None,
        };
    }
    iso(b)
        .or_else(|| us_machine(v))
        .or_else(|| text::dates_in(v).into_iter().next().map(|(_, st)| st))
}

/// `MM/DD/YYYY[ HH:MM[:SS]]` as a whole machine value: the .NET/US serialisation that
/// many CMSs write into meta tags, month first. (Visible text keeps day first.)
fn us_machine(v: &str) -> Option<Stamp> {
    let (date, time) = v.split_once(' ').unwrap_or((v, ""));
    let mut parts = date.split('/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || !(1..=2).contains(&m.len())
        || !(1..=2).contains(&d.len())
        || y.len() != 4
        || ![m, d, y]
            .iter()
            .all(|p| p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let time = time.trim();
    if !time.is_empty()
        && !time.bytes().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    b':' | b' ' | b'.' | b'A' | b'P' | b'M' | b'a' | b'p' | b'm'
                )
        })
    {
        return None;
    }
    let (m, d) = (num(m), num(d));
    // Day-first only when month-first is impossible.
    Stamp::new(num(y), m, d).or_else(|| Stamp::new(num(y), d, m))
}

/// `YYYY-MM-DD[THH:MM[:SS][.fff][Z|±HH[:]MM]]` read by hand (most machine values).
fn iso(b: &[u8]) -> Option<Stamp> {
    let d = |i: usize, n: usize| -> Option<u32> {
        let s = b.get(i..i + n)?;
        s.iter()
            .all(u8::is_ascii_digit)
            .then(|| s.iter().fold(0, |a, &c| a * 10 + u32::from(c - b'0')))
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let mut st = Stamp::new(d(0, 4)?, d(5, 2)?, d(8, 2)?)?;
    match b.get(10) {
        None => return Some(st),
        Some(b'T' | b' ') => {}
        Some(_) => return None,
    }
    let (Some(h), Some(mi)) = (d(11, 2), d(14, 2)) else {
        return Some(st);
    };
    if b.get(13) != Some(&b':') {
        return Some(st);
    }
    let mut p = 16;
    let sec = if b.get(16) == Some(&b':') {
        p = 19;
        d(17, 2).unwrap_or(0)
    } else {
        0
    };
    if b.get(p) == Some(&b'.') || b.get(p) == Some(&b',') {
        p += 1;
        while b.get(p).is_some_and(u8::is_ascii_digit) {
            p += 1;
        }
    }
    let zone = std::str::from_utf8(b.get(p..).unwrap_or_default())
        .unwrap_or("")
        .trim();
    let off = if zone.is_empty() {
        None
    } else {
        text::parse_offset(zone)
    };
    st.set_time(h, mi, sec, off);
    Some(st)
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

/// Schema.org types whose dates are not the page's (media, people, events, offers).
const FOREIGN_TYPES: &[&str] = &[
    "ImageObject",
    "VideoObject",
    "AudioObject",
    "MediaObject",
    "Person",
    "Organization",
    "NewsMediaOrganization",
    "Event",
    "Offer",
    "Product",
    "Comment",
    "BreadcrumbList",
    "ListItem",
    "WebSite",
    "Rating",
    "AggregateRating",
];

/// How a meta tag's name says what its date is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MetaKind {
    Published(u8),
    Modified(u8),
}

/// Classifies a meta tag key (lowercased); lower rank is more trusted.
fn meta_kind(key: &str) -> Option<MetaKind> {
    use MetaKind::{Modified, Published};
    Some(match key {
        "article:published_time"
        | "og:published_time"
        | "article:published"
        | "datepublished"
        | "article.published"
        | "parsely-pub-date"
        | "sailthru.date"
        | "og:article:published_time"
        | "published_time"
        | "article_date_original"
        | "publication_date"
        | "publish-date"
        | "publish_date"
        | "publishdate"
        | "pubdate"
        | "date_published"
        | "published-date"
        | "cxenseparse:recs:publishtime"
        | "original-publish-date"
        | "originalpublicationdate"
        | "datecreated"
        | "article:post_date"
        | "citation_publication_date"
        | "citation_date"
        | "dc.date.issued"
        | "dcterms.issued"
        | "dc.date.created"
        | "dcterms.created"
        | "release_date"
        | "pub_date"
        | "og:pubdate"
        | "article.created"
        | "article:created"
        | "creation_date"
        | "date.available"
        | "shareaholic:article_published_time"
        | "bt:pubdate"
        | "taboola:published"
        | "dc.date.published"
        | "displaydate"
        | "analyticsattributes.articledate"
        | "content_publish_date"
        | "ga-pubdate" => Published(0),
        "dc.date"
        | "dcterms.date"
        | "date"
        | "dc:date"
        | "rnews:datepublished"
        | "timestamp"
        | "article:release_date"
        | "dc.date.available"
        | "dcterms.available" => Published(1),
        "article:modified_time"
        | "og:updated_time"
        | "datemodified"
        | "article:modified"
        | "modified_time"
        | "og:modified_time"
        | "article.updated"
        | "last-modified"
        | "lastmod"
        | "dc.date.modified"
        | "dcterms.modified"
        | "updated_time"
        | "article:updated_time"
        | "sailthru.lastmodified"
        | "parsely-updated"
        | "dateupdated"
        | "date_modified"
        | "modified" => Modified(0),
        _ => return None,
    })
}

/// What an element's markup says about the date it holds.
#[derive(Debug, Default)]
struct Mark {
    is_time: bool,
    /// `itemprop` is datePublished/dateCreated (true) or dateModified (false).
    itemprop: Option<bool>,
    pubdate: bool,
    /// `<abbr class=published|updated>`.
    abbr: Option<bool>,
    /// The class or id names a date ("date", "time", "published", …).
    date_class: bool,
    /// The class or id says the date is the modification time.
    updated_class: bool,
}

impl Mark {
    /// Reads the markup of one element; `id_class` holds its `id` and `class` values.
    fn of(
        is_time: bool,
        is_abbr: bool,
        itemprop: Option<&str>,
        pubdate: bool,
        id_class: &[&str],
    ) -> Mark {
        let itemprop = itemprop.and_then(|p| {
            let p = p.to_ascii_lowercase();
            if p.contains("datepublished") || p.contains("datecreated") {
                Some(true)
            } else if p.contains("datemodified") {
                Some(false)
            } else {
                None
            }
        });
        let (mut date_class, mut updated_class, mut published_class) = (false, false, false);
        // Every word looked for is at least four letters long: each position is
        // tested by its first four bytes, case-folded at once (`| 0x20` folds ASCII
        // letters, and no other byte folds into one).
        const DATE: u32 = u32::from_le_bytes(*b"date");
        const TIME: u32 = u32::from_le_bytes(*b"time");
        const DATU: u32 = u32::from_le_bytes(*b"datu");
        const PUBL: u32 = u32::from_le_bytes(*b"publ");
        const POST: u32 = u32::from_le_bytes(*b"post");
        const BYLI: u32 = u32::from_le_bytes(*b"byli");
        const UPDA: u32 = u32::from_le_bytes(*b"upda");
        const MODI: u32 = u32::from_le_bytes(*b"modi");
        for part in id_class {
            let b = part.as_bytes();
            for (i, four) in b.windows(4).enumerate() {
                let at =
                    |w: &[u8]| b[i..].len() >= w.len() && b[i..i + w.len()].eq_ignore_ascii_case(w);
                match u32::from_le_bytes([four[0], four[1], four[2], four[3]]) | 0x2020_2020 {
                    DATE | TIME => date_class = true,
                    DATU => date_class |= at(b"datum"),
                    PUBL if at(b"publish") => {
                        date_class = true;
                        published_class |= at(b"published");
                    }
                    POST => date_class |= at(b"posted"),
                    BYLI => date_class |= at(b"byline"),
                    UPDA => updated_class |= at(b"updated"),
                    MODI => updated_class |= at(b"modified"),
                    _ => {}
                }
            }
        }
        let abbr = (is_abbr && (published_class || updated_class)).then_some(!updated_class);
        Mark {
            is_time,
            itemprop,
            pubdate,
            abbr,
            date_class,
            updated_class,
        }
    }

    fn is_interesting(&self) -> bool {
        self.is_time || self.itemprop.is_some() || self.abbr.is_some() || self.date_class
    }
}

/// Visible text of the page in order, split into blocks, with the headline's position.
#[derive(Debug, Default)]
struct TextFeed {
    text: String,
    /// Byte offset where the first `<h1>` starts and ends.
    h1: Option<(usize, usize)>,
    in_h1: bool,
    /// Byte offset where the first `<article>` starts.
    article: Option<usize>,
}

impl TextFeed {
    const MAX: usize = 400_000;

    fn push(&mut self, s: &str) {
        if self.text.len() < Self::MAX {
            self.text.push_str(s);
        }
    }

    fn block(&mut self) {
        if !self.text.ends_with('\n') && !self.text.is_empty() {
            self.text.push('\n');
        }
    }

    fn h1_start(&mut self) {
        if self.h1.is_none() {
            self.h1 = Some((self.text.len(), self.text.len()));
            self.in_h1 = true;
        }
    }

    fn article_start(&mut self) {
        if self.article.is_none() {
            self.article = Some(self.text.len());
        }
    }

    fn h1_end(&mut self) {
        if self.in_h1 {
            if let Some((s, _)) = self.h1 {
                self.h1 = Some((s, self.text.len()));
            }
            self.in_h1 = false;
        }
    }
}

/// Everything the page says about its dates, gathered before deciding.
#[derive(Debug, Default)]
struct Candidates {
    ld_pub: Option<Stamp>,
    ld_pub_other: Option<Stamp>,
    ld_mod: Option<Stamp>,
    meta_pub: Option<(u8, Stamp)>,
    /// Every publication meta tag's value, for the vote.
    meta_pub_all: Vec<Stamp>,
    meta_mod: Option<(u8, Stamp)>,
    marked_pub: Option<Stamp>,
    marked_mod: Option<Stamp>,
    time_first: Option<Stamp>,
    class_pub: Option<Stamp>,
    /// Dates written in elements whose class or id names a date, in page order (a few).
    visible: Vec<Stamp>,
    url: Option<Stamp>,
    /// A publication date assigned in a script (fast path only: trees drop script text).
    script: Option<Stamp>,
    text: Option<Stamp>,
}

impl Candidates {
    fn json_ld(&mut self, values: &[Value]) {
        for v in values {
            self.json_ld_value(v, 0);
        }
    }

    /// Broken JSON-LD (which does not parse) still names its dates: read them by pattern.
    fn json_ld_raw(&mut self, blocks: &[String]) {
        if self.ld_pub.is_some() {
            return;
        }
        for b in blocks {
            for c in LD_DATE.captures_iter(b) {
                let Some(st) = parse_machine(&c[2]) else {
                    continue;
                };
                if &c[1] == "datePublished" {
                    self.ld_pub.get_or_insert(st);
                } else {
                    self.ld_mod.get_or_insert(st);
                }
            }
        }
    }

    fn json_ld_value(&mut self, v: &Value, depth: u8) {
        let Value::Object(map) = v else {
            if let Value::Array(a) = v {
                for x in a {
                    self.json_ld_value(x, depth + 1);
                }
            }
            return;
        };
        if depth > 4 {
            return;
        }
        let get = |k: &str| match map.get(k) {
            Some(Value::String(s)) => parse_machine(s),
            Some(Value::Array(a)) => a.iter().find_map(|x| x.as_str().and_then(parse_machine)),
            _ => None,
        };
        if crate::meta::has_type(v, crate::meta::ARTICLE_TYPES) {
            if self.ld_pub.is_none() {
                self.ld_pub = get("datePublished").or_else(|| get("dateCreated"));
            }
            if self.ld_mod.is_none() {
                self.ld_mod = get("dateModified");
            }
        } else if !crate::meta::has_type(v, FOREIGN_TYPES) && self.ld_pub_other.is_none() {
            self.ld_pub_other = get("datePublished");
        }
        for (k, x) in map {
            if matches!(x, Value::Object(_) | Value::Array(_)) && k != "publisher" && k != "author"
            {
                self.json_ld_value(x, depth + 1);
            }
        }
    }

    fn meta(&mut self, key: &str, content: &str) {
        let key = key.trim().to_ascii_lowercase();
        let Some(kind) = meta_kind(&key) else { return };
        let Some(st) = parse_machine(content) else {
            return;
        };
        match kind {
            MetaKind::Published(r) => {
                if self.meta_pub_all.len() < 16 {
                    self.meta_pub_all.push(st);
                }
                if self.meta_pub.is_none_or(|(r0, _)| r < r0) {
                    self.meta_pub = Some((r, st));
                }
            }
            MetaKind::Modified(r) => {
                if self.meta_mod.is_none_or(|(r0, _)| r < r0) {
                    self.meta_mod = Some((r, st));
                }
            }
        }
    }

    /// One marked element: its machine value (`datetime`, `content`, `title`) and text.
    fn element(&mut self, mark: &Mark, machine: Option<&str>, text: &str) {
        let st = machine.and_then(parse_machine);
        let st = st.or_else(|| {
            if mark.is_time || mark.itemprop.is_some() || mark.abbr.is_some() {
                text::dates_in(short(text)).first().map(|&(_, s)| s)
            } else {
                None
            }
        });
        let published_mark = mark.itemprop == Some(true) || mark.pubdate || mark.abbr == Some(true);
        let modified_mark = mark.itemprop == Some(false) || mark.abbr == Some(false);
        if let Some(st) = st {
            if published_mark {
                self.marked_pub.get_or_insert(st);
            } else if modified_mark {
                self.marked_mod.get_or_insert(st);
            } else if mark.is_time && !mark.updated_class {
                self.time_first.get_or_insert(st);
            }
        }
        if mark.date_class && self.visible.len() < 8 {
            let shown = text::dates_in(short(text)).first().map(|&(_, s)| s);
            if let Some(v) = shown {
                self.visible.push(v);
                if !mark.updated_class && self.class_pub.is_none() {
                    self.class_pub = Some(v);
                }
            }
        }
    }

    fn url(&mut self, u: &str) {
        self.url = url_date(u);
    }

    /// True when nothing but visible text is left to look at.
    fn needs_text(&self) -> bool {
        self.published_meta().is_none() && self.url.is_none() && self.visible.is_empty()
    }

    fn text(&mut self, feed: &TextFeed) {
        let t = &feed.text;
        let mut first: Option<Stamp> = None;
        let mut after_h1: Option<Stamp> = None;
        let mut in_article: Option<Stamp> = None;
        let h1_end = feed.h1.map(|(_, e)| e);
        let mut offset = 0;
        for line in t.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            if line.len() > 600 {
                continue;
            }
            for (at, st) in text::dates_in(line) {
                match label_before(&line[..at]) {
                    Label::Published => {
                        self.text = Some(st);
                        return;
                    }
                    Label::Modified => continue,
                    Label::None => {}
                }
                first.get_or_insert(st);
                if in_article.is_none() && feed.article.is_some_and(|a| start + at >= a) {
                    in_article = Some(st);
                }
                if after_h1.is_none()
                    && h1_end.is_some_and(|e| start + at >= e && start + at < e + 3000)
                {
                    after_h1 = Some(st);
                }
            }
        }
        self.text = after_h1.or(in_article).or(first);
    }

    fn published_meta(&self) -> Option<Stamp> {
        let meta = |rank: u8| self.meta_pub.filter(|&(r, _)| r == rank).map(|(_, s)| s);
        self.ld_pub
            .or(meta(0))
            .or(self.marked_pub)
            .or(self.ld_pub_other)
            .or(self.time_first)
            .or(meta(1))
    }

    fn finish(self) -> DateFindings {
        let modified = self
            .ld_mod
            .or(self.meta_mod.map(|(_, s)| s))
            .or(self.marked_mod);
        let mut published = self.published_meta();
        // When the machine dates disagree, the day most of them name wins
        // (ties go to the most trusted source).
        if let Some(p) = published {
            let votes: Vec<Stamp> = [
                self.ld_pub,
                self.marked_pub,
                self.ld_pub_other,
                self.time_first,
            ]
            .into_iter()
            .flatten()
            .chain(self.meta_pub_all.iter().copied())
            .collect();
            let count = |d: i64| votes.iter().filter(|v| v.days() == d).count();
            let mut best = (count(p.days()), p);
            for v in &votes {
                let n = count(v.days());
                if n > best.0 {
                    best = (n, *v);
                }
            }
            published = Some(best.1);
        }
        // The dates shown to readers (in date-like elements) decide between the
        // page's machine dates (publication, modification) when one matches.
        if let Some(p) = published {
            let machine = [
                self.ld_pub,
                self.meta_pub.map(|(_, s)| s),
                self.marked_pub,
                self.ld_pub_other,
                self.ld_mod,
                self.meta_mod.map(|(_, s)| s),
                self.marked_mod,
            ];
            for v in &self.visible {
                if p.days() == v.days() {
                    break;
                }
                if let Some(m) = machine.iter().flatten().find(|m| m.days() == v.days()) {
                    published = Some(*m);
                    break;
                }
            }
        }
        // A day in the URL is the newsroom's local day; a machine time a day off is
        // usually the same moment written in another zone (UTC near midnight).
        if let (Some(p), Some(u)) = (published, self.url) {
            let (a, b) = (p.days(), u.days());
            if (a - b).abs() == 1 {
                published = Some(u);
            }
        }
        let published = published
            .or(self.url)
            .or(self.class_pub)
            .or(self.visible.first().copied())
            .or(self.script)
            .or(self.text)
            .or(modified);
        DateFindings {
            published: published.map(|s| s.iso()),
            modified: modified.map(|s| s.iso()),
        }
    }
}

/// What the words just before a written date say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Published,
    Modified,
    None,
}

/// Words that introduce a publication date (lowercase).
const PUBLISHED_WORDS: &[&str] = &[
    "published",
    "posted",
    "erschienen",
    "veröffentlicht",
    "erstellt",
    "publié",
    "publicado",
    "pubblicato",
    "diterbitkan",
    "dipublikasikan",
    "terbit",
    "publiziert",
    "gepostet",
];

/// Words that introduce a modification date (lowercase).
const MODIFIED_WORDS: &[&str] = &[
    "updated",
    "update:",
    "modified",
    "änderung",
    "aktualisiert",
    "geändert",
    "mis à jour",
    "actualizado",
    "aggiornato",
    "diperbarui",
    "last edited",
    "stand:",
];

/// Classifies a date by the 40 bytes written before it on its line.
fn label_before(before: &str) -> Label {
    let mut from = before.len().saturating_sub(40);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let near = before[from..].to_lowercase();
    // The nearest word wins: "Erstellt 1.1.2020, aktualisiert 2.1.2020".
    let last = |words: &[&str]| words.iter().filter_map(|w| near.rfind(w)).max();
    match (last(PUBLISHED_WORDS), last(MODIFIED_WORDS)) {
        (Some(p), Some(m)) if m > p => Label::Modified,
        (Some(_), _) => Label::Published,
        (None, Some(_)) => Label::Modified,
        (None, None) => Label::None,
    }
}

/// Cuts a text to its first 300 bytes (at a character boundary).
fn short(s: &str) -> &str {
    if s.len() <= 300 {
        return s;
    }
    let mut end = 300;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

static SCRIPT_DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r#"["']?(datePublished|publishedDate|published_at|publishedAt|publishDate|publish_date|publication_date|pubDate|firstPubDate|date_published|PublishingDate)["']?\s*[:=]\s*["']([^"']{8,40})["']"#,
    )
    .expect("static regex")
});

static LD_DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r#""(datePublished|dateModified)"\s*:\s*"([^"]{6,40})""#)
        .expect("static regex")
});

static URL_YMD: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?:^|[/_\-.])((?:19|20)\d{2})[/_\-.]?([01]\d)[/_\-.]?([0-3]\d)(?:$|[/_\-.?#])",
    )
    .expect("static regex")
});

static URL_DMY: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"[/_\-]([0-3]\d)[\-_.]([01]\d)[\-_.]((?:19|20)\d{2})(?:$|[/_\-.?#])")
        .expect("static regex")
});

static URL_YMD_SHORT: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/").expect("static regex")
});

/// A full day in a URL path: `/2023/09/13/`, `/2023-09-13/`, `20230913`.
fn url_date(u: &str) -> Option<Stamp> {
    let path_start = u
        .find("://")
        .map_or(0, |i| u[i + 3..].find('/').map_or(u.len(), |j| i + 3 + j));
    let path = &u[path_start..];
    for c in URL_YMD_SHORT
        .captures_iter(path)
        .chain(URL_YMD.captures_iter(path))
    {
        if let Some(st) = Stamp::new(num(&c[1]), num(&c[2]), num(&c[3])) {
            return Some(st);
        }
    }
    URL_DMY
        .captures(path)
        .and_then(|c| Stamp::new(num(&c[3]), num(&c[2]), num(&c[1])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &str) -> Option<String> {
        find_date_in_text(line)
    }

    /// Runs both paths (fast scan and tree walk) and checks they agree.
    fn both(html: &str, url: Option<&str>) -> DateFindings {
        let doc = RawDoc {
            input: "t".into(),
            url: url.map(str::to_string),
            bytes: html.as_bytes().to_vec(),
            ..RawDoc::default()
        };
        let fast = find_dates(&doc);
        let dom = crate::dom::parse(html);
        let ld = crate::meta::parse_json_ld(&dom.json_ld);
        let tree = dates_from_dom(&dom, &ld, url);
        assert_eq!(fast, tree, "fast scan and tree walk disagree on {html}");
        fast
    }

    fn published(html: &str, url: Option<&str>) -> Option<String> {
        both(html, url).published
    }

    #[test]
    fn indonesian_forms() {
        assert_eq!(text("Rabu (13/9/2023)").as_deref(), Some("2023-09-13"));
        assert_eq!(
            text("Rabu, 13 September 2023 14:05 WIB").as_deref(),
            Some("2023-09-13T14:05:00+07:00")
        );
        assert_eq!(text("13 Sep 2023").as_deref(), Some("2023-09-13"));
        assert_eq!(
            text("13/09/2023, 14:05 WIB").as_deref(),
            Some("2023-09-13T14:05:00+07:00")
        );
        assert_eq!(
            text("Kamis, 17 Agu 2023 | 09:30 WITA").as_deref(),
            Some("2023-08-17T09:30:00+08:00")
        );
        assert_eq!(
            text("Jumat 4 Agt 2023 20.15 WIT").as_deref(),
            Some("2023-08-04T20:15:00+09:00")
        );
        assert_eq!(text("Senin, 1 Agus 2022").as_deref(), Some("2022-08-01"));
        assert_eq!(text("Selasa 3 Okt 2023").as_deref(), Some("2023-10-03"));
        assert_eq!(text("Minggu, 24 Des 2023").as_deref(), Some("2023-12-24"));
        assert_eq!(text("Sabtu, 6 Mei 2023").as_deref(), Some("2023-05-06"));
        assert_eq!(
            text("2 Januari 2024, pukul 08:00 WIB").as_deref(),
            Some("2024-01-02T08:00:00+07:00")
        );
        assert_eq!(text("10 Pebruari 2021").as_deref(), Some("2021-02-10"));
        assert_eq!(
            text("Diperbarui 12 Nopember 2020").as_deref(),
            Some("2020-11-12")
        );
    }

    #[test]
    fn dates_are_found_anywhere_in_a_line() {
        assert_eq!(
            text(
                "ANDALPOST.COM — Pemimpin Korea Utara Kim Jong Un tiba di Rusia, Rabu (13/9/2023)."
            )
            .as_deref(),
            Some("2023-09-13")
        );
        assert_eq!(
            text("Versi 1.2.3 dirilis; berita lain 5/10/2022 di sini").as_deref(),
            Some("2022-10-05")
        );
        assert_eq!(text("tidak ada tanggal di sini, hanya 2023 orang"), None);
    }

    #[test]
    fn english_forms() {
        assert_eq!(text("September 13, 2023").as_deref(), Some("2023-09-13"));
        assert_eq!(
            text("Sept. 13, 2023 2:05 p.m. ET").as_deref(),
            Some("2023-09-13T14:05:00-04:00")
        );
        assert_eq!(
            text("Jan. 5, 2023 11:30 a.m. ET").as_deref(),
            Some("2023-01-05T11:30:00-05:00")
        );
        assert_eq!(text("13 September 2023").as_deref(), Some("2023-09-13"));
        assert_eq!(text("2023-09-13").as_deref(), Some("2023-09-13"));
        assert_eq!(text("Wed 13 Sep 2023").as_deref(), Some("2023-09-13"));
        assert_eq!(
            text("Published March 3rd, 2021").as_deref(),
            Some("2021-03-03")
        );
        assert_eq!(
            text("Wed, 13 Sep 2023 14:05:00 GMT").as_deref(),
            Some("2023-09-13T14:05:00Z")
        );
        assert_eq!(
            text("Wed, 13 Sep 2023 14:05:00 +0200").as_deref(),
            Some("2023-09-13T14:05:00+02:00")
        );
        assert_eq!(
            text("2023-09-13T14:05:00+07:00").as_deref(),
            Some("2023-09-13T14:05:00+07:00")
        );
        assert_eq!(text("12:00 pm, 2023/9/13").as_deref(), Some("2023-09-13"));
    }

    #[test]
    fn european_forms() {
        assert_eq!(text("13. März 2023").as_deref(), Some("2023-03-13"));
        assert_eq!(
            text("Veröffentlicht am 16.08.2019 um 14:05 Uhr").as_deref(),
            Some("2019-08-16T14:05:00")
        );
        assert_eq!(text("1er mars 2023").as_deref(), Some("2023-03-01"));
        assert_eq!(
            text("publié le 9 décembre 2019 à 19h00").as_deref(),
            Some("2019-12-09T19:00:00")
        );
        assert_eq!(
            text("13 de septiembre de 2023").as_deref(),
            Some("2023-09-13")
        );
        assert_eq!(text("17 de Febrero 2020").as_deref(), Some("2020-02-17"));
        assert_eq!(text("3 giugno 2020").as_deref(), Some("2020-06-03"));
        assert_eq!(
            text("15 августа 2016, 13:43").as_deref(),
            Some("2016-08-15T13:43:00")
        );
        assert_eq!(text("13.09.23").as_deref(), Some("2023-09-13"));
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert_eq!(text("13/13/2023"), None);
        assert_eq!(text("31/02/2023"), None);
        assert_eq!(text("30 Februari 2024"), None);
        assert_eq!(text("29/2/2023"), None);
        assert_eq!(text("29/2/2024").as_deref(), Some("2024-02-29"));
        assert_eq!(text("2023-00-10"), None);
        assert_eq!(text("12 Mei 1985"), None);
        assert_eq!(text("12 Mei 2999"), None);
        assert_eq!(text("32 Oktober 2020"), None);
        // Impossible as day/month, possible as month/day (US style).
        assert_eq!(text("9/13/2023").as_deref(), Some("2023-09-13"));
        // A time that cannot be is dropped, the day kept.
        assert_eq!(text("13 Sep 2023 25:70 WIB").as_deref(), Some("2023-09-13"));
    }

    #[test]
    fn machine_values() {
        let iso = |v: &str| parse_machine(v).map(|s| s.iso());
        assert_eq!(
            iso("2023-09-13T14:05:00.000+0700").as_deref(),
            Some("2023-09-13T14:05:00+07:00")
        );
        assert_eq!(
            iso("2023-09-13 14:05").as_deref(),
            Some("2023-09-13T14:05:00")
        );
        assert_eq!(
            iso("2023-09-13T07:05:00Z").as_deref(),
            Some("2023-09-13T07:05:00Z")
        );
        assert_eq!(iso("20230913").as_deref(), Some("2023-09-13"));
        assert_eq!(iso("1694588700").as_deref(), Some("2023-09-13T07:05:00Z"));
        assert_eq!(
            iso("2022-1-26T14:32:06+02:00").as_deref(),
            Some("2022-01-26T14:32:06+02:00")
        );
        assert_eq!(
            iso("Wed, 13 Sep 2023 14:05:00 GMT").as_deref(),
            Some("2023-09-13T14:05:00Z")
        );
        assert_eq!(iso("soon"), None);
    }

    #[test]
    fn json_ld_article_beats_meta_and_time() {
        let html = r#"<html><head>
            <meta property="article:published_time" content="2023-09-12T10:00:00+07:00">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebPage","datePublished":"2020-01-01"},
              {"@type":"NewsArticle","datePublished":"2023-09-13T14:05:00+07:00","dateModified":"2023-09-14T08:00:00+07:00"}]}</script>
            </head><body><time datetime="2023-09-11">11 Sep</time></body></html>"#;
        let d = both(html, None);
        assert_eq!(d.published.as_deref(), Some("2023-09-13T14:05:00+07:00"));
        assert_eq!(d.modified.as_deref(), Some("2023-09-14T08:00:00+07:00"));
    }

    #[test]
    fn broken_json_ld_is_read_by_pattern() {
        let html = r#"<script type="application/ld+json">{"@type":"NewsArticle", "headline": "a "b" c",
            "datePublished": "2020-10-26T18:10:00+01:00"}</script><p>Text</p>"#;
        assert_eq!(
            published(html, None).as_deref(),
            Some("2020-10-26T18:10:00+01:00")
        );
    }

    #[test]
    fn meta_tags_in_order_of_trust() {
        let html = r#"<head><meta name="date" content="2021-01-01">
            <meta property="article:published_time" content="2023-09-13T14:05:00+07:00">
            <meta property="article:modified_time" content="2023-09-15T09:00:00+07:00"></head>"#;
        let d = both(html, None);
        assert_eq!(d.published.as_deref(), Some("2023-09-13T14:05:00+07:00"));
        assert_eq!(d.modified.as_deref(), Some("2023-09-15T09:00:00+07:00"));
        for key in [
            r#"name="parsely-pub-date""#,
            r#"name="sailthru.date""#,
            r#"name="DC.date.issued""#,
            r#"name="pubdate""#,
            r#"itemprop="datePublished""#,
        ] {
            let html = format!(r#"<meta {key} content="2022-05-06T07:08:09Z"><p>x</p>"#);
            assert_eq!(
                published(&html, None).as_deref(),
                Some("2022-05-06T07:08:09Z"),
                "{key}"
            );
        }
        // A bare `date` meta tag yields to a marked <time>.
        let html = r#"<meta name="Date" content="2022-1-26T14:32:06+02:00">
            <p class="meta"><time datetime="2022-01-21" class="meta__label">21.01.2022</time></p>"#;
        assert_eq!(published(html, None).as_deref(), Some("2022-01-21"));
    }

    #[test]
    fn time_elements_pubdate_itemprop_and_abbr() {
        let html = r#"<article><header><time datetime="2023-09-13T14:05:00+07:00" pubdate>Rabu</time>
            <time datetime="2023-09-14">Kamis</time></header></article>"#;
        assert_eq!(
            published(html, None).as_deref(),
            Some("2023-09-13T14:05:00+07:00")
        );
        let html = r#"<time datetime="2023-09-10">a</time><span itemprop="datePublished" content="2023-09-13">13 Sep</span>
            <span itemprop="dateModified">14 September 2023</span>"#;
        let d = both(html, None);
        assert_eq!(d.published.as_deref(), Some("2023-09-13"));
        assert_eq!(d.modified.as_deref(), Some("2023-09-14"));
        let html = r#"<abbr class="published" title="2019-03-02T06:22:28+01:00">2 March</abbr>"#;
        assert_eq!(
            published(html, None).as_deref(),
            Some("2019-03-02T06:22:28+01:00")
        );
        let html = r#"<div><time>Rabu, 13 September 2023 14:05 WIB</time></div>"#;
        assert_eq!(
            published(html, None).as_deref(),
            Some("2023-09-13T14:05:00+07:00")
        );
    }

    #[test]
    fn arabic_and_dutch_month_names() {
        assert_eq!(
            find_date_in_text("الأربعاء، 07 أكتوبر 2020 - 12:09 م")
                .as_deref()
                .map(|s| &s[..10]),
            Some("2020-10-07")
        );
        assert_eq!(
            find_date_in_text("Gepubliceerd op 3 maart 2021").as_deref(),
            Some("2021-03-03")
        );
    }

    #[test]
    fn us_machine_values_are_month_first() {
        let p = |v: &str| parse_machine(v).map(|s| s.iso());
        assert_eq!(
            p("11/01/2023 12:43:42").as_deref().map(|s| &s[..10]),
            Some("2023-11-01")
        );
        assert_eq!(
            p("25/01/2023").as_deref().map(|s| &s[..10]),
            Some("2023-01-25")
        );
        assert_eq!(p("2023-11-01").as_deref(), Some("2023-11-01"));
    }

    #[test]
    fn url_dates() {
        let d = |u: &str| url_date(u).map(|s| s.iso());
        assert_eq!(
            d("https://x.id/2023/09/13/kim-tiba").as_deref(),
            Some("2023-09-13")
        );
        assert_eq!(
            d("https://x.id/news/2023-09-13/kim").as_deref(),
            Some("2023-09-13")
        );
        assert_eq!(
            d("https://x.id/read/20230913/kim-tiba").as_deref(),
            Some("2023-09-13")
        );
        assert_eq!(
            d("https://x.id/berita/13-09-2023").as_deref(),
            Some("2023-09-13")
        );
        assert_eq!(
            d("https://x.id/2017/7/12/unter-uns").as_deref(),
            Some("2017-07-12")
        );
        assert_eq!(d("https://x.id/2023/09/kim"), None);
        assert_eq!(d("https://x.id/2023/13/45/kim"), None);
        assert_eq!(d("https://20230913.example.com/a"), None);
        let html = "<p>Tanpa tanggal.</p>";
        assert_eq!(
            published(html, Some("https://x.id/2023/09/13/a")).as_deref(),
            Some("2023-09-13")
        );
        // A machine time one day off the URL day is the same moment in UTC.
        let html = r#"<meta property="article:published_time" content="2020-02-18T02:18:11Z">"#;
        assert_eq!(
            published(html, Some("https://x.com/2020/02/17/story/")).as_deref(),
            Some("2020-02-17")
        );
    }

    #[test]
    fn visible_text_fallback() {
        let html = "<html><body><nav>Arsip 1 Januari 2020</nav><h1>Kim tiba di Rusia</h1>\
                    <p>Oleh Ana</p><p>Rabu, 13 September 2023 14:05 WIB</p><p>Isi berita.</p></body></html>";
        assert_eq!(
            published(html, None).as_deref(),
            Some("2023-09-13T14:05:00+07:00")
        );
        // A labelled publication date beats the first one on the page.
        let html = "<div>Letzte Änderung: 31.10.2023<br>Erschienen am: 01.11.2023</div>";
        assert_eq!(published(html, None).as_deref(), Some("2023-11-01"));
        // Dates inside elements whose class names a date come before free text.
        let html = r#"<p>Lihat juga 2 Mei 2022</p><span class="post-date">13/09/2023</span>"#;
        assert_eq!(published(html, None).as_deref(), Some("2023-09-13"));
        assert_eq!(published("<p>No dates at all.</p>", None), None);
    }

    #[test]
    fn shown_date_picks_between_machine_dates() {
        // The page shows its modification day; the JSON-LD has both.
        let html = r#"<script type="application/ld+json">{"@type":"Article",
            "datePublished":"2019-10-15T16:59:59Z","dateModified":"2020-03-12T14:42:17Z"}</script>
            <div class="timestamp published-date">Updated Mar 12, 2020 @ 10:42 am</div>"#;
        assert_eq!(
            published(html, None).as_deref(),
            Some("2020-03-12T14:42:17Z")
        );
    }

    #[test]
    fn entities_and_case_in_markup() {
        let html = r#"<META NAME="Article:Published_Time" CONTENT="2023-09-13"><TIME DATETIME="2020-01-01">x</TIME>"#;
        assert_eq!(published(html, None).as_deref(), Some("2023-09-13"));
        let html = r#"<span class="date">13&nbsp;September&nbsp;2023</span>"#;
        assert_eq!(published(html, None).as_deref(), Some("2023-09-13"));
    }

    #[test]
    fn non_utf8_pages_are_decoded() {
        let mut bytes = b"<meta charset=windows-1252><span class=\"date\">13. M".to_vec();
        bytes.push(0xe4);
        bytes.extend_from_slice(b"rz 2023</span>");
        let doc = RawDoc {
            input: "t".into(),
            bytes,
            ..RawDoc::default()
        };
        assert_eq!(find_dates(&doc).published.as_deref(), Some("2023-03-13"));
    }
}
