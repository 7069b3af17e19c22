//! The fast path: one pass of a minimal tag scanner over the raw page.
//!
//! It does not build a tree. It jumps from `<` to `<` with `memchr`, reads the
//! attributes of the few elements that carry dates (`meta`, `link`, `time`,
//! `abbr`, JSON-LD `script`, elements with `itemprop` or a date-like class or id),
//! gathers text only inside those elements, skips raw-text elements (`script`,
//! `style`, …) and comments, and notes where the visible text runs are so that
//! the text fallback needs no second pass. It feeds the same [`Candidates`] as
//! the tree walk in [`super::dates_from_dom`].

use memchr::{memchr, memmem};

use super::{Candidates, Mark, TextFeed};
use crate::dom::decode_entities;

/// Most text gathered for one marked element.
const CAPTURE: usize = 300;

/// An element whose text is gathered until its end tag.
struct Open<'a> {
    serial: u32,
    name: String,
    /// Same-name elements opened inside it and not yet closed.
    depth: u32,
    mark: Mark,
    machine: Option<&'a str>,
    text: String,
}

/// One piece of the page's visible text, in order.
#[derive(Clone, Copy)]
enum Piece {
    Text(usize, usize),
    Block,
    H1Start,
    H1End,
    Article,
}

/// What the scan found besides the candidates it fed.
pub(super) struct Scanned<'a> {
    html: &'a str,
    pieces: Vec<Piece>,
    /// The `<link rel=canonical>` address.
    pub(super) canonical: Option<String>,
}

impl Scanned<'_> {
    /// The page's visible text, for the text fallback.
    pub(super) fn text_feed(&self) -> TextFeed {
        let mut t = TextFeed::default();
        for p in &self.pieces {
            match *p {
                Piece::Text(a, b) => t.push(&decode_entities(&self.html[a..b])),
                Piece::Block => t.block(),
                Piece::H1Start => t.h1_start(),
                Piece::H1End => t.h1_end(),
                Piece::Article => t.article_start(),
            }
        }
        t
    }
}

/// What the scanner needs to know about an element name.
#[derive(Clone, Copy, Default)]
struct Kind {
    /// Content is raw text (never markup, never shown as text): jump to the end tag.
    raw: bool,
    /// Content is markup whose text is not shown to readers.
    hidden: bool,
    /// Its boundaries separate blocks of text (as [`crate::dom::Tag::is_block`]).
    block: bool,
    /// It never has content.
    void: bool,
}

/// Packs a lowercase tag name of up to 16 bytes into one number for matching.
const fn pack(name: &str) -> u128 {
    let b = name.as_bytes();
    let mut buf = [0u8; 16];
    let mut i = 0;
    while i < b.len() && i < 16 {
        buf[i] = b[i];
        i += 1;
    }
    u128::from_le_bytes(buf)
}

macro_rules! kinds {
    ($($kind:ident: $($name:literal)|+;)*) => {
        fn kind(packed: u128) -> Kind {
            let k = Kind::default();
            $(
                {
                    const NAMES: &[u128] = &[$(pack($name)),+];
                    if NAMES.contains(&packed) {
                        return kinds!(@make $kind, k);
                    }
                }
            )*
            k
        }
    };
    (@make raw, $k:ident) => { Kind { raw: true, ..$k } };
    (@make hidden, $k:ident) => { Kind { hidden: true, ..$k } };
    (@make block, $k:ident) => { Kind { block: true, ..$k } };
    (@make block_void, $k:ident) => { Kind { block: true, void: true, ..$k } };
    (@make void, $k:ident) => { Kind { void: true, ..$k } };
}

kinds! {
    block: "div" | "p" | "li" | "td" | "tr" | "ul" | "section" | "article" | "table" | "h1" | "h2"
        | "h3" | "h4" | "h5" | "h6" | "header" | "footer" | "nav" | "aside" | "ol" | "form" | "figure"
        | "figcaption" | "blockquote" | "main" | "dl" | "dd" | "dt" | "th" | "tbody" | "thead"
        | "tfoot" | "body" | "html" | "pre" | "address" | "center" | "details" | "dialog"
        | "fieldset" | "menu" | "summary" | "caption" | "video" | "audio" | "picture";
    void: "img" | "meta" | "link" | "input" | "source" | "area" | "base" | "col" | "embed" | "param"
        | "track" | "wbr";
    block_void: "br" | "hr";
    raw: "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes"
        | "noscript";
    hidden: "svg" | "template" | "select" | "option" | "button" | "object" | "canvas";
}

/// Scans the page into `c` and returns what the text fallback needs.
pub(super) fn scan<'a>(html: &'a str, c: &mut Candidates) -> Scanned<'a> {
    let b = html.as_bytes();
    let mut out = Scanned {
        html,
        pieces: Vec::new(),
        canonical: None,
    };
    let mut json_ld: Vec<String> = Vec::new();
    let mut metas: Vec<(&str, &str)> = Vec::new();
    let mut open: Vec<Open<'_>> = Vec::new();
    let mut done: Vec<(u32, Mark, Option<&str>, String)> = Vec::new();
    let mut serial = 0u32;
    let mut hidden = 0u32;
    let mut attrs: Vec<(&str, &str)> = Vec::with_capacity(16);
    let mut name_buf = [0u8; 16];
    let mut text_from = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let lt = i + off;
        let next = b.get(lt + 1).copied().unwrap_or(b' ');
        let is_markup = next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?');
        if !is_markup {
            i = lt + 1;
            continue;
        }
        // The text run before this tag.
        if lt > text_from {
            if hidden == 0 {
                out.pieces.push(Piece::Text(text_from, lt));
            }
            if !open.is_empty() {
                let t = &html[text_from..lt];
                for o in open.iter_mut() {
                    if o.text.len() < CAPTURE {
                        o.text.push_str(t);
                        o.text.push(' ');
                    }
                }
            }
        }
        match next {
            b'!' => {
                let end = if b[lt..].starts_with(b"<!--") {
                    memmem::find(&b[lt + 4..], b"-->").map_or(b.len(), |p| lt + 4 + p + 3)
                } else {
                    memchr(b'>', &b[lt..]).map_or(b.len(), |p| lt + p + 1)
                };
                i = end;
                text_from = end;
                continue;
            }
            b'?' => {
                let end = memchr(b'>', &b[lt..]).map_or(b.len(), |p| lt + p + 1);
                i = end;
                text_from = end;
                continue;
            }
            b'/' => {
                let (name, after) = read_name(b, lt + 2, &mut name_buf);
                let end = memchr(b'>', &b[after..]).map_or(b.len(), |p| after + p + 1);
                i = end;
                text_from = end;
                let name = std::str::from_utf8(name).unwrap_or("");
                if name.is_empty() {
                    continue;
                }
                let k = kind(pack(name));
                if k.hidden {
                    hidden = hidden.saturating_sub(1);
                }
                if k.block {
                    out.pieces.push(Piece::Block);
                }
                if name == "h1" {
                    out.pieces.push(Piece::H1End);
                }
                if let Some(pos) = open.iter().rposition(|o| o.name == name) {
                    if open[pos].depth > 0 {
                        open[pos].depth -= 1;
                    } else {
                        let o = open.remove(pos);
                        done.push((o.serial, o.mark, o.machine, o.text));
                    }
                }
                continue;
            }
            _ => {}
        }
        // A start tag.
        let (name_bytes, mut p) = read_name(b, lt + 1, &mut name_buf);
        let name_len = name_bytes.len();
        let mut lname = [0u8; 16];
        lname[..name_len].copy_from_slice(name_bytes);
        let name = std::str::from_utf8(&lname[..name_len]).unwrap_or("");
        attrs.clear();
        // Attributes.
        let tag_end;
        loop {
            while p < b.len() && (b[p].is_ascii_whitespace() || b[p] == b'/') {
                p += 1;
            }
            if p >= b.len() {
                tag_end = b.len();
                break;
            }
            if b[p] == b'>' {
                tag_end = p + 1;
                break;
            }
            let ns = p;
            while p < b.len()
                && !matches!(
                    b[p],
                    b'=' | b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
                )
            {
                p += 1;
            }
            let an = &html[ns..p];
            while p < b.len() && b[p].is_ascii_whitespace() {
                p += 1;
            }
            let mut val = "";
            if p < b.len() && b[p] == b'=' {
                p += 1;
                while p < b.len() && b[p].is_ascii_whitespace() {
                    p += 1;
                }
                if p < b.len() && (b[p] == b'"' || b[p] == b'\'') {
                    let q = b[p];
                    let vs = p + 1;
                    let ve = memchr(q, &b[vs..]).map_or(b.len(), |x| vs + x);
                    val = &html[vs..ve];
                    p = (ve + 1).min(b.len());
                } else {
                    let vs = p;
                    while p < b.len() && !b[p].is_ascii_whitespace() && b[p] != b'>' {
                        p += 1;
                    }
                    val = &html[vs..p];
                }
            }
            if attrs.len() < 32 {
                attrs.push((an, val));
            }
        }
        i = tag_end;
        text_from = tag_end;
        if name.is_empty() {
            continue;
        }
        let attr = |n: &str| {
            attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|&(_, v)| v)
        };
        let k = kind(u128::from_le_bytes(lname));
        if k.raw {
            // Jump to the matching end tag.
            let close = find_end_tag(b, tag_end, name);
            if name == "script"
                && attr("type").is_some_and(|t| t.contains("ld+json"))
                && json_ld.len() < 64
            {
                json_ld.push(html[tag_end..close].to_string());
            }
            let end = memchr(b'>', &b[close..]).map_or(b.len(), |x| close + x + 1);
            i = end;
            text_from = end;
            continue;
        }
        if k.hidden && !b[..tag_end].ends_with(b"/>") {
            hidden += 1;
        }
        if k.block {
            out.pieces.push(Piece::Block);
        }
        if name == "h1" {
            out.pieces.push(Piece::H1Start);
        }
        if name == "article" {
            out.pieces.push(Piece::Article);
        }
        for o in open.iter_mut() {
            if o.name == name {
                o.depth += 1;
            }
        }
        match name {
            "meta" => {
                let key = attr("property")
                    .or_else(|| attr("name"))
                    .or_else(|| attr("itemprop"));
                if let (Some(k), Some(v)) = (key.or_else(|| attr("http-equiv")), attr("content")) {
                    metas.push((k, v));
                }
                continue;
            }
            "link" => {
                if out.canonical.is_none()
                    && attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    out.canonical = attr("href").map(|h| decode_entities(h).into_owned());
                }
                continue;
            }
            _ => {}
        }
        let is_time = name == "time";
        let is_abbr = name == "abbr";
        let itemprop = attr("itemprop");
        let (id, class) = (attr("id"), attr("class"));
        if !is_time && !is_abbr && itemprop.is_none() && id.is_none() && class.is_none() {
            continue;
        }
        let id_class = [id.unwrap_or(""), class.unwrap_or("")];
        let mark = Mark::of(
            is_time,
            is_abbr,
            itemprop,
            attr("pubdate").is_some(),
            &id_class,
        );
        if !mark.is_interesting() {
            continue;
        }
        let machine = if is_time {
            attr("datetime")
        } else if is_abbr {
            attr("title")
        } else if mark.itemprop.is_some() {
            attr("content").or_else(|| attr("datetime"))
        } else {
            None
        };
        serial += 1;
        let needs_text = machine.is_none() || mark.date_class;
        if needs_text && !k.void && !b[..tag_end].ends_with(b"/>") {
            open.push(Open {
                serial,
                name: name.to_string(),
                depth: 0,
                mark,
                machine,
                text: String::new(),
            });
        } else {
            done.push((serial, mark, machine, String::new()));
        }
    }
    if text_from < b.len() && hidden == 0 {
        out.pieces.push(Piece::Text(text_from, b.len()));
    }
    for o in open.drain(..) {
        done.push((o.serial, o.mark, o.machine, o.text));
    }
    let parsed = crate::meta::parse_json_ld(&json_ld);
    c.json_ld(&parsed);
    c.json_ld_raw(&json_ld);
    for (k, v) in metas {
        c.meta(k, &decode_entities(v));
    }
    done.sort_by_key(|d| d.0);
    for (_, mark, machine, text) in &done {
        let machine = machine.map(decode_entities);
        c.element(mark, machine.as_deref(), &decode_entities(text));
    }
    out
}

/// Reads a tag name at `at`, lowercased into `buf` (names longer than it come back empty).
fn read_name<'b>(b: &[u8], at: usize, buf: &'b mut [u8; 16]) -> (&'b [u8], usize) {
    let mut p = at;
    let mut n = 0;
    while p < b.len() && (b[p].is_ascii_alphanumeric() || b[p] == b'-' || b[p] == b':') {
        if n < buf.len() {
            buf[n] = b[p].to_ascii_lowercase();
        }
        n += 1;
        p += 1;
    }
    if n > buf.len() {
        n = 0;
    }
    (&buf[..n], p)
}

/// Position of `</name` (any case) at or after `from`, or the end of the page.
fn find_end_tag(b: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(off) = memmem::find(&b[i..], b"</") {
        let lt = i + off;
        let n = &b[(lt + 2).min(b.len())..(lt + 2 + name.len()).min(b.len())];
        if n.eq_ignore_ascii_case(name.as_bytes()) {
            return lt;
        }
        i = lt + 2;
    }
    b.len()
}
