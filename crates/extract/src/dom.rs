//! A compact document tree built from lol_html's streaming tokenizer.
//!
//! lol_html gives us a spec-conformant, fast tokenizer (it handles raw text in
//! `<script>`/`<style>`, RCDATA in `<title>`/`<textarea>`, comments, CDATA and
//! character references in attributes). It does not build a tree, so this module
//! does: it keeps one arena of nodes, applies HTML's implied-end-tag rules for
//! the elements news pages leave open (`p`, `li`, `td`, `tr`, `option`, …), and
//! closes everything opened inside an element when that element's end tag comes.
//! Only attributes that extraction reads are kept, which keeps the tree small.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use lol_html::errors::RewritingError;
use lol_html::html_content::DocumentEnd;
use lol_html::{
    AsciiCompatibleEncoding, LocalName, Namespace, SharedMemoryLimiter, StartTag,
    StartTagHandlingResult, Token, TokenCaptureFlags, TransformController, TransformStream,
    TransformStreamSettings,
};

/// Index of a node in [`Dom::nodes`].
pub(crate) type NodeId = u32;
/// Marks "no node".
pub(crate) const NONE: NodeId = u32::MAX;
/// The document node is always node 0.
pub(crate) const ROOT: NodeId = 0;

/// Largest number of nodes a tree may hold; beyond it the rest of the page is ignored.
const MAX_NODES: usize = 1_500_000;

macro_rules! tags {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// The HTML elements extraction cares about; the rest are `Other`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub(crate) enum Tag { $($variant,)* Other }
        /// Each known name packed into an integer (see [`pack_name`]).
        #[allow(non_upper_case_globals)]
        mod packed_names {
            $(pub(super) const $variant: u128 = super::pack_name($name.as_bytes());)*
        }
        impl Tag {
            /// The tag of an element name, given lowercase.
            #[allow(dead_code)]
            fn from_name(name: &str) -> Tag {
                if name.len() > 16 {
                    return Tag::Other;
                }
                Tag::from_packed(pack_name(name.as_bytes()))
            }
            /// The tag of a lowercase name of at most 16 bytes packed by [`pack_name`].
            fn from_packed(packed: u128) -> Tag {
                match packed { $(packed_names::$variant => Tag::$variant,)* _ => Tag::Other }
            }
            /// The lowercase element name (`other` for unknown elements).
            #[allow(dead_code)]
            pub(crate) fn name(self) -> &'static str {
                match self { $(Tag::$variant => $name,)* Tag::Other => "other" }
            }
        }
    };
}

/// Packs a name of at most 16 bytes into an integer, for matching names with a
/// few integer comparisons instead of a string comparison per known name.
const fn pack_name(name: &[u8]) -> u128 {
    let mut v: u128 = 0;
    let mut i = 0;
    while i < name.len() && i < 16 {
        v |= (name[i] as u128) << (8 * i);
        i += 1;
    }
    v
}

tags! {
    A = "a", Abbr = "abbr", Address = "address", Area = "area", Article = "article",
    Aside = "aside", Audio = "audio", B = "b", Base = "base", Blockquote = "blockquote",
    Body = "body", Br = "br", Button = "button", Canvas = "canvas", Caption = "caption",
    Center = "center", Cite = "cite", Code = "code", Col = "col", Dd = "dd", Del = "del",
    Details = "details", Dialog = "dialog", Div = "div", Dl = "dl", Dt = "dt", Em = "em",
    Embed = "embed", Fieldset = "fieldset", Figcaption = "figcaption", Figure = "figure",
    Font = "font", Footer = "footer", Form = "form", H1 = "h1", H2 = "h2", H3 = "h3",
    H4 = "h4", H5 = "h5", H6 = "h6", Head = "head", Header = "header", Hr = "hr",
    Html = "html", I = "i", Iframe = "iframe", Img = "img", Input = "input", Ins = "ins",
    Label = "label", Li = "li", Link = "link", Main = "main", Mark = "mark", Menu = "menu",
    Meta = "meta", Nav = "nav", Noscript = "noscript", Object = "object", Ol = "ol",
    Optgroup = "optgroup", Option = "option", P = "p", Param = "param", Picture = "picture",
    Pre = "pre", Q = "q", S = "s", Script = "script", Section = "section", Select = "select",
    Small = "small", Source = "source", Span = "span", Strong = "strong", Style = "style",
    Sub = "sub", Summary = "summary", Sup = "sup", Svg = "svg", Table = "table",
    Tbody = "tbody", Td = "td", Template = "template", Textarea = "textarea",
    Tfoot = "tfoot", Th = "th", Thead = "thead", Time = "time", Title = "title", Tr = "tr",
    Track = "track", U = "u", Ul = "ul", Video = "video", Wbr = "wbr",
}

impl Tag {
    /// Elements that never have content.
    fn is_void(self) -> bool {
        matches!(
            self,
            Tag::Area
                | Tag::Base
                | Tag::Br
                | Tag::Col
                | Tag::Embed
                | Tag::Hr
                | Tag::Img
                | Tag::Input
                | Tag::Link
                | Tag::Meta
                | Tag::Param
                | Tag::Source
                | Tag::Track
                | Tag::Wbr
        )
    }

    /// Elements whose start tag closes an open `<p>` (HTML's tree-construction rules).
    fn closes_p(self) -> bool {
        matches!(
            self,
            Tag::Address
                | Tag::Article
                | Tag::Aside
                | Tag::Blockquote
                | Tag::Center
                | Tag::Details
                | Tag::Dialog
                | Tag::Div
                | Tag::Dl
                | Tag::Fieldset
                | Tag::Figcaption
                | Tag::Figure
                | Tag::Footer
                | Tag::Form
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::H5
                | Tag::H6
                | Tag::Header
                | Tag::Hr
                | Tag::Li
                | Tag::Dd
                | Tag::Dt
                | Tag::Main
                | Tag::Menu
                | Tag::Nav
                | Tag::Ol
                | Tag::P
                | Tag::Pre
                | Tag::Section
                | Tag::Summary
                | Tag::Table
                | Tag::Ul
        )
    }

    /// Elements whose text is never reader-visible article text.
    fn hides_text(self) -> bool {
        matches!(
            self,
            Tag::Script
                | Tag::Style
                | Tag::Svg
                | Tag::Template
                | Tag::Noscript
                | Tag::Iframe
                | Tag::Select
                | Tag::Option
                | Tag::Textarea
                | Tag::Button
                | Tag::Object
                | Tag::Canvas
        )
    }

    /// Block-level elements: their boundaries separate paragraphs.
    pub(crate) fn is_block(self) -> bool {
        self.closes_p()
            || matches!(
                self,
                Tag::Body
                    | Tag::Html
                    | Tag::Table
                    | Tag::Tbody
                    | Tag::Thead
                    | Tag::Tfoot
                    | Tag::Tr
                    | Tag::Td
                    | Tag::Th
                    | Tag::Caption
                    | Tag::Br
                    | Tag::Video
                    | Tag::Audio
                    | Tag::Picture
                    | Tag::Iframe
                    | Tag::Form
            )
    }

    /// Headings `h1`–`h6`.
    pub(crate) fn is_heading(self) -> bool {
        matches!(
            self,
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6
        )
    }
}

/// An element with the attributes extraction reads.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub(crate) tag: Tag,
    /// `id` and `class` joined with a space, lowercased: what class/id heuristics look at.
    pub(crate) id_class: Box<str>,
    /// Other kept attributes, names lowercase (one of a fixed list, so not allocated).
    pub(crate) attrs: Vec<(&'static str, Box<str>)>,
}

impl Element {
    /// The value of a kept attribute.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| &**v)
    }
}

/// What a node holds.
#[derive(Debug, Clone)]
pub(crate) enum NodeData {
    Document,
    Element(Element),
    /// Text with character references already decoded.
    /// Whitespace-only text is kept as one shared space: it only separates words.
    Text(std::borrow::Cow<'static, str>),
}

/// One node of the arena.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) parent: NodeId,
    pub(crate) first_child: NodeId,
    pub(crate) last_child: NodeId,
    pub(crate) next: NodeId,
    /// True when the node is inside an element whose text is never shown (script, style, …).
    pub(crate) hidden_text: bool,
    pub(crate) data: NodeData,
}

/// A parsed page.
#[derive(Debug, Clone)]
pub(crate) struct Dom {
    pub(crate) nodes: Vec<Node>,
    /// The text of `<title>`.
    pub(crate) title: Option<String>,
    /// The raw text of each JSON-LD block.
    pub(crate) json_ld: Vec<String>,
    /// True when the page had more nodes than [`MAX_NODES`] and the rest was dropped.
    pub(crate) truncated: bool,
}

/// Largest node storage a thread keeps for its next page (about 16 MB).
const SPARE_NODES_MAX: usize = 1 << 18;

thread_local! {
    /// The node storage of the last tree this thread dropped, reused for the next page:
    /// a fresh multi-megabyte vector per page costs page faults and zeroing.
    static SPARE_NODES: RefCell<Vec<Node>> = const { RefCell::new(Vec::new()) };
}

impl Drop for Dom {
    fn drop(&mut self) {
        let mut nodes = std::mem::take(&mut self.nodes);
        if nodes.capacity() > SPARE_NODES_MAX {
            return;
        }
        nodes.clear();
        SPARE_NODES.with(|spare| {
            if let Ok(mut spare) = spare.try_borrow_mut() {
                if spare.capacity() < nodes.capacity() {
                    *spare = nodes;
                }
            }
        });
    }
}

const KEPT_ATTRS: &[&str] = &[
    "href",
    "src",
    "data-src",
    "data-lazy-src",
    "data-original",
    "srcset",
    "alt",
    "rel",
    "itemprop",
    "itemtype",
    "property",
    "name",
    "content",
    "datetime",
    "type",
    "role",
    "hidden",
    "aria-hidden",
    "style",
    "lang",
    "charset",
    "http-equiv",
    "title",
    "pubdate",
    "data-testid",
    "aria-label",
];

/// An element that is open while the page is read.
#[derive(Clone, Copy)]
struct Open {
    id: NodeId,
    tag: Tag,
    /// Hash of the lowercase name, for matching end tags of `Tag::Other` elements.
    name_hash: u64,
    /// What text directly inside this element is used for.
    kind: Pending,
    hidden_text: bool,
}

/// How the tokenizer reads the content of a raw-text element.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RawKind {
    /// `<script>`: raw text with the `<!--` escapes of script data.
    Script,
    /// `<style>`, `<iframe>`, `<noscript>`, `<xmp>`, `<noembed>`, `<noframes>`: raw text.
    RawText,
    /// `<title>`, `<textarea>`: text with character references, but no markup.
    RcData,
    /// `<plaintext>`: everything up to the end of the page is text.
    PlainText,
}

/// A raw-text element whose content is being read: nothing in it is markup.
#[derive(Clone, Copy)]
struct Raw {
    kind: RawKind,
    /// Lowercase element name, which its end tag must repeat.
    name: &'static [u8],
    /// What the content is used for.
    keep: Pending,
    /// Whether the element is on the open-element stack (see [`MAX_DEPTH`]).
    opened: bool,
}

/// Deepest the open-element stack may grow: elements opened deeper are attached to
/// the innermost open element but not opened, so the tree's depth stays bounded and
/// the recursive walks over it cannot overflow the stack.
const MAX_DEPTH: usize = 512;

/// Raw text larger than this is dropped (text runs are capped at this size too).
const MAX_TEXT: usize = 8 << 20;

/// Builds the tree from lol_html's events.
///
/// Only start tags and comments are reported by lol_html (see [`Feed`]), each with
/// its byte range in the source. End tags and text would cost a token per tag and
/// per chunk, together more than the rest of the parse, so neither is asked for:
/// every byte between two reported
/// ranges (a "gap") is text, end tags or the doctype (or CDATA in SVG/MathML), and
/// is read here. The content of raw-text elements (`script`, `style`, `title`, …),
/// where lol_html reports no tokens, is one gap up to the element's end tag, which is
/// found as HTML's tokenizer does.
struct Builder<'h> {
    html: &'h str,
    dom: Dom,
    /// Open elements, innermost last; the document is always at the bottom.
    stack: Vec<Open>,
    /// End of the last range read (reported by lol_html or read from a gap).
    cursor: usize,
    /// The raw-text element whose content starts at `cursor`, if any.
    raw: Option<Raw>,
    /// The text being gathered for the next text node (raw, with references) is
    /// `html[pending.0..pending.1]` while it is one run of source; text split by a
    /// comment or a stray end tag is copied to `pending_split`.
    pending: (usize, usize),
    pending_split: String,
    /// How many elements of each tag are on `stack` (the document entry is not counted).
    open_tags: [u32; TAG_SLOTS],
}

/// Room for every [`Tag`] as an index.
const TAG_SLOTS: usize = Tag::Other as usize + 1;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pending {
    Data,
    Title,
    JsonLd,
    Skip,
}

/// HTML whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// HTML whitespace and the other bytes that end a tag name.
fn ends_tag_name(b: u8) -> bool {
    is_space(b) || matches!(b, b'/' | b'>')
}

/// The tag of an element name and, for `Tag::Other`, a hash of its lowercase form.
fn classify(name: &[u8]) -> (Tag, u64) {
    if name.len() <= 16 {
        let mut bytes = [0u8; 16];
        bytes[..name.len()].copy_from_slice(name);
        let tag = Tag::from_packed(ascii_lowercase_packed(u128::from_le_bytes(bytes)));
        if tag != Tag::Other {
            return (tag, 0);
        }
    }
    (Tag::Other, name_hash(name))
}

/// ASCII-lowercases the 16 bytes packed in `v` at once (bytes outside `A`–`Z` are
/// left as they are).
fn ascii_lowercase_packed(v: u128) -> u128 {
    const LOW7: u128 = u128::from_le_bytes([0x7f; 16]);
    const HIGH: u128 = u128::from_le_bytes([0x80; 16]);
    let h = v & LOW7;
    // A byte's high bit is set by `+ 0x3f` when it is at least `A`, by `+ 0x25` when
    // it is past `Z` (no carries: `h` has no high bits); bytes with the high bit of
    // their own (non-ASCII) are not letters.
    let upper =
        (h + u128::from_le_bytes([0x3f; 16])) & !(h + u128::from_le_bytes([0x25; 16])) & !v & HIGH;
    v | (upper >> 2)
}

/// FNV-1a over the ASCII-lowercased name.
fn name_hash(name: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in name {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// How the content of an HTML element named `name` is tokenized, when it is raw text.
fn raw_kind(tag: Tag, name: &[u8]) -> Option<(RawKind, &'static [u8])> {
    Some(match tag {
        Tag::Script => (RawKind::Script, b"script"),
        Tag::Style => (RawKind::RawText, b"style"),
        Tag::Iframe => (RawKind::RawText, b"iframe"),
        Tag::Noscript => (RawKind::RawText, b"noscript"),
        Tag::Title => (RawKind::RcData, b"title"),
        Tag::Textarea => (RawKind::RcData, b"textarea"),
        Tag::Other => {
            let n: &'static [u8] = match name.len() {
                3 => b"xmp",
                7 => b"noembed",
                8 => b"noframes",
                9 => b"plaintext",
                _ => return None,
            };
            if !name.eq_ignore_ascii_case(n) {
                return None;
            }
            (
                if n == b"plaintext" {
                    RawKind::PlainText
                } else {
                    RawKind::RawText
                },
                n,
            )
        }
        _ => return None,
    })
}

/// Where the tag whose name ends at `i` ends: just past its `>`, skipping quoted
/// attribute values as the tokenizer does; `b.len()` when the tag is cut off.
fn tag_end(b: &[u8], mut i: usize) -> usize {
    let n = b.len();
    loop {
        // Before an attribute name (a `/` not before `>` is skipped the same way).
        while i < n && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= n {
            return n;
        }
        if b[i] == b'>' {
            return i + 1;
        }
        // The name: its first byte may be anything, even `=`.
        i += 1;
        while i < n && !ends_tag_name(b[i]) && b[i] != b'=' {
            i += 1;
        }
        while i < n && is_space(b[i]) {
            i += 1;
        }
        if i < n && b[i] == b'=' {
            i += 1;
            while i < n && is_space(b[i]) {
                i += 1;
            }
            match b.get(i) {
                None => return n,
                Some(&q @ (b'"' | b'\'')) => match memchr::memchr(q, &b[i + 1..]) {
                    Some(p) => i += p + 2,
                    None => return n,
                },
                Some(b'>') => return i + 1,
                Some(_) => {
                    while i < n && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                }
            }
        }
    }
}

/// Whether `b[i..]` starts with `name` (lowercase) in any case, followed by a byte
/// that ends a tag name.
fn names(b: &[u8], i: usize, name: &[u8]) -> bool {
    b.get(i..i + name.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(name))
        && b.get(i + name.len()).is_some_and(|&c| ends_tag_name(c))
}

/// If `b[p..]` is the end tag `</name …>`, where it ends.
fn end_tag_named(b: &[u8], p: usize, name: &[u8]) -> Option<usize> {
    (b.get(p + 1) == Some(&b'/') && names(b, p + 2, name)).then(|| tag_end(b, p + 2 + name.len()))
}

/// The first end tag `</name …>` in `b[from..]`: where it starts and ends.
fn raw_text_end(b: &[u8], from: usize, name: &[u8]) -> Option<(usize, usize)> {
    let mut i = from;
    loop {
        let p = i + memchr::memchr(b'<', &b[i..])?;
        if let Some(e) = end_tag_named(b, p, name) {
            return Some((p, e));
        }
        i = p + 1;
    }
}

/// The end tag of a `<script>` whose content starts at `from`: where it starts and
/// ends. Follows the tokenizer's script data states: inside `<!--` … `-->`, a
/// `<script>` start tag hides the next `</script>`.
fn script_end(b: &[u8], from: usize) -> Option<(usize, usize)> {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    let mut i = from;
    loop {
        if state == State::Data {
            let p = i + memchr::memchr(b'<', &b[i..])?;
            if b[p + 1..].starts_with(b"!--") {
                state = State::Escaped;
                // The dashes of `<!--` may also end the escape (`<!-->`).
                i = p + 2;
            } else if let Some(e) = end_tag_named(b, p, b"script") {
                return Some((p, e));
            } else {
                i = p + 1;
            }
            continue;
        }
        let p = i + memchr::memchr2(b'<', b'-', &b[i..])?;
        if b[p] == b'-' {
            if b[p..].starts_with(b"-->") {
                state = State::Data;
                i = p + 3;
            } else {
                i = p + 1;
            }
        } else if state == State::Escaped {
            if let Some(e) = end_tag_named(b, p, b"script") {
                return Some((p, e));
            }
            if names(b, p + 1, b"script") {
                state = State::DoubleEscaped;
                i = p + 7;
            } else {
                i = p + 1;
            }
        } else if b.get(p + 1) == Some(&b'/') && names(b, p + 2, b"script") {
            state = State::Escaped;
            i = p + 8;
        } else {
            i = p + 1;
        }
    }
}

/// The attributes of a start tag as the tokenizer reads them: the name and value
/// ranges in `b`, from `i` (just after the tag name) to the tag's `>`. Values are as
/// written (character references not decoded); a name without `=` has an empty value.
struct AttrRanges<'a> {
    b: &'a [u8],
    i: usize,
}

impl AttrRanges<'_> {
    fn next(&mut self) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let b = self.b;
        let n = b.len();
        let mut i = self.i;
        // Before an attribute name (a `/` not before `>` is skipped the same way).
        while i < n && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= n || b[i] == b'>' {
            self.i = n;
            return None;
        }
        // The name: its first byte may be anything, even `=`.
        let name_start = i;
        i += 1;
        while i < n && !ends_tag_name(b[i]) && b[i] != b'=' {
            i += 1;
        }
        let name = name_start..i;
        while i < n && is_space(b[i]) {
            i += 1;
        }
        let mut value = i..i;
        if i < n && b[i] == b'=' {
            i += 1;
            while i < n && is_space(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, &b[i + 1..]).map_or(n, |p| i + 1 + p);
                    value = i + 1..end;
                    i = (end + 1).min(n);
                }
                Some(b'>') | None => value = i..i,
                Some(_) => {
                    let start = i;
                    while i < n && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    value = start..i;
                }
            }
        }
        self.i = i;
        Some((name, value))
    }
}

/// `parts` lowercased and joined with spaces, allocated once.
fn join_lowercase(parts: &[&str]) -> Box<str> {
    if parts.is_empty() {
        return Box::default();
    }
    let len = parts.iter().map(|p| p.len() + 1).sum::<usize>() - 1;
    let mut s = String::with_capacity(len);
    for p in parts {
        // As the values are joined one by one: a space after anything non-empty.
        if !s.is_empty() {
            s.push(' ');
        }
        if p.is_ascii() {
            let start = s.len();
            s.push_str(p);
            s[start..].make_ascii_lowercase();
        } else {
            s.push_str(&p.to_lowercase());
        }
    }
    s.into_boxed_str()
}

/// [`KEPT_ATTRS`] packed by [`pack_name`], in the same order.
const KEPT_PACKED: [u128; KEPT_ATTRS.len()] = {
    let mut packed = [0; KEPT_ATTRS.len()];
    let mut i = 0;
    while i < KEPT_ATTRS.len() {
        packed[i] = pack_name(KEPT_ATTRS[i].as_bytes());
        i += 1;
    }
    packed
};

/// The kept attribute named `name` (any case), as its lowercase static name.
fn kept_attr(name: &[u8]) -> Option<&'static str> {
    // Kept names are 3 to 13 bytes long.
    if !(3..=13).contains(&name.len()) {
        return None;
    }
    let mut bytes = [0u8; 16];
    bytes[..name.len()].copy_from_slice(name);
    let v = ascii_lowercase_packed(u128::from_le_bytes(bytes));
    // (The length check keeps a name with NUL bytes from matching a shorter one.)
    let i = KEPT_PACKED.iter().position(|&k| k == v)?;
    (KEPT_ATTRS[i].len() == name.len()).then_some(KEPT_ATTRS[i])
}

impl<'h> Builder<'h> {
    fn new(html: &'h str) -> Self {
        let root = Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next: NONE,
            hidden_text: false,
            data: NodeData::Document,
        };
        let mut nodes = SPARE_NODES.with(|spare| {
            spare
                .try_borrow_mut()
                .map(|mut v| std::mem::take(&mut *v))
                .unwrap_or_default()
        });
        nodes.reserve(html.len() / 96 + 16);
        nodes.push(root);
        Builder {
            html,
            dom: Dom {
                nodes,
                title: None,
                json_ld: Vec::new(),
                truncated: false,
            },
            stack: vec![Open {
                id: ROOT,
                tag: Tag::Other,
                name_hash: 0,
                kind: Pending::Data,
                hidden_text: false,
            }],
            cursor: 0,
            raw: None,
            pending: (0, 0),
            pending_split: String::new(),
            open_tags: [0; TAG_SLOTS],
        }
    }

    fn top(&self) -> &Open {
        // The document entry is never popped.
        &self.stack[self.stack.len() - 1]
    }

    fn append(&mut self, data: NodeData, hidden_text: bool) -> Option<NodeId> {
        if self.dom.nodes.len() >= MAX_NODES {
            self.dom.truncated = true;
            return None;
        }
        let parent = self.top().id;
        let id = self.dom.nodes.len() as NodeId;
        self.dom.nodes.push(Node {
            parent,
            first_child: NONE,
            last_child: NONE,
            next: NONE,
            hidden_text,
            data,
        });
        let p = &mut self.dom.nodes[parent as usize];
        let last = p.last_child;
        p.last_child = id;
        if last == NONE {
            p.first_child = id;
        } else {
            self.dom.nodes[last as usize].next = id;
        }
        Some(id)
    }

    /// Pops open elements up to and including the innermost one with a tag in `tags`,
    /// but not past any element with a tag in `stop`.
    fn close_implied(&mut self, tags: &[Tag], stop: &[Tag]) {
        // Most start tags that imply an end tag (every `<div>` may close a `<p>`) find
        // none open: then there is no need to search the stack.
        if tags.iter().all(|&t| self.open_tags[t as usize] == 0) {
            return;
        }
        for i in (1..self.stack.len()).rev() {
            let t = self.stack[i].tag;
            if tags.contains(&t) {
                self.flush_text();
                self.pop_to(i);
                return;
            }
            if stop.contains(&t) {
                return;
            }
        }
    }

    /// Adds `html[start..end]` (text as written, with references) to the pending text.
    fn add_text(&mut self, start: usize, end: usize) {
        if start >= end || self.top().kind == Pending::Skip {
            return;
        }
        let (ps, pe) = self.pending;
        if pe - ps + self.pending_split.len() >= MAX_TEXT {
            return;
        }
        if self.pending_split.is_empty() {
            if ps == pe {
                self.pending = (start, end);
                return;
            }
            if pe == start {
                self.pending.1 = end;
                return;
            }
            self.pending_split.push_str(&self.html[ps..pe]);
            self.pending = (0, 0);
        }
        self.pending_split.push_str(&self.html[start..end]);
    }

    fn flush_text(&mut self) {
        let (start, end) = self.pending;
        if start == end && self.pending_split.is_empty() {
            return;
        }
        self.pending = (0, 0);
        let split = std::mem::take(&mut self.pending_split);
        let raw: &str = if split.is_empty() {
            self.html.get(start..end).unwrap_or_default()
        } else {
            &split
        };
        let top = *self.top();
        match top.kind {
            Pending::Data => {
                let text = decode_entities(raw);
                // Merge with a preceding text sibling (text split by a dropped comment).
                let last = self.dom.nodes[top.id as usize].last_child;
                if last != NONE {
                    if let NodeData::Text(prev) = &mut self.dom.nodes[last as usize].data {
                        prev.to_mut().push_str(&text);
                        self.reuse_split(split);
                        return;
                    }
                }
                let text = if text.bytes().all(|b| b.is_ascii_whitespace()) {
                    std::borrow::Cow::Borrowed(" ")
                } else {
                    std::borrow::Cow::Owned(text.into_owned())
                };
                self.append(NodeData::Text(text), top.hidden_text);
            }
            Pending::Title => self.set_title(raw),
            Pending::JsonLd => self.add_json_ld(raw),
            Pending::Skip => {}
        }
        self.reuse_split(split);
    }

    /// Keeps the text of the first non-empty `<title>`.
    fn set_title(&mut self, raw: &str) {
        if self.dom.title.is_none() && !raw.is_empty() {
            self.dom.title = Some(decode_entities(raw).into_owned());
        }
    }

    fn add_json_ld(&mut self, raw: &str) {
        if self.dom.json_ld.len() < 64 && !raw.is_empty() {
            self.dom.json_ld.push(raw.to_owned());
        }
    }

    /// Keeps the buffer for split text for the next time.
    fn reuse_split(&mut self, mut split: String) {
        split.clear();
        self.pending_split = split;
    }

    /// Reads the source between the last range read and `upto`, where lol_html
    /// reported nothing: raw-text content, text, end tags, the doctype, CDATA.
    fn gap(&mut self, upto: usize) {
        let from = self.cursor;
        if upto <= from || upto > self.html.len() {
            return;
        }
        self.cursor = upto;
        let from = match self.raw {
            Some(raw) => match self.raw_content(raw, from, upto) {
                Some(next) => next,
                None => return,
            },
            None => from,
        };
        self.markup(from, upto);
    }

    /// Reads the content of the raw-text element `raw`, from `from` (just after its
    /// start tag) to its end tag if that comes before `upto`. Returns where the source
    /// after the end tag starts, or `None` when the whole gap was raw text.
    fn raw_content(&mut self, raw: Raw, from: usize, upto: usize) -> Option<usize> {
        let b = &self.html.as_bytes()[..upto];
        let end = match raw.kind {
            RawKind::PlainText => {
                self.add_text(from, upto);
                return None;
            }
            RawKind::Script => script_end(b, from),
            RawKind::RawText | RawKind::RcData => raw_text_end(b, from, raw.name),
        };
        let (content_end, next) = match end {
            Some(e) => e,
            // Unclosed at the end of the page: the content runs to it.
            None if upto == self.html.len() => (upto, upto),
            // lol_html reported a token before any end tag, so it did not read this
            // element as raw text (a case the checks in `start` missed): nor do we.
            None => {
                self.raw = None;
                return Some(from);
            }
        };
        self.raw = None;
        let html = self.html;
        let content = &html[from..content_end];
        if content.len() < MAX_TEXT {
            match raw.keep {
                Pending::Title => self.set_title(content),
                Pending::JsonLd => self.add_json_ld(content),
                Pending::Data | Pending::Skip => {}
            }
        }
        if raw.opened {
            self.end(raw.name);
        }
        Some(next)
    }

    /// Reads text, end tags, the doctype and CDATA sections in `html[from..upto]`.
    fn markup(&mut self, from: usize, upto: usize) {
        let html = self.html;
        let b = &html.as_bytes()[..upto];
        let mut text = from;
        let mut i = from;
        while let Some(p) = memchr::memchr(b'<', &b[i..]) {
            let p = i + p;
            let next = match b.get(p + 1) {
                Some(b'/') => match b.get(p + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let start = p + 2;
                        let len = b[start..]
                            .iter()
                            .position(|&c| ends_tag_name(c))
                            .unwrap_or(b.len() - start);
                        self.add_text(text, p);
                        self.end(&b[start..start + len]);
                        tag_end(b, start + len)
                    }
                    // `</>` is dropped.
                    Some(b'>') => {
                        self.add_text(text, p);
                        p + 3
                    }
                    // Text (`</` at the end); other `</…` are bogus comments, reported.
                    _ => {
                        i = p + 1;
                        continue;
                    }
                },
                // The doctype, or CDATA in SVG/MathML (comments are reported).
                Some(b'!') => {
                    self.add_text(text, p);
                    if b[p..].starts_with(b"<![CDATA[") {
                        memchr::memmem::find(&b[p + 9..], b"]]>").map_or(b.len(), |e| p + 9 + e + 3)
                    } else {
                        memchr::memchr(b'>', &b[p..]).map_or(b.len(), |e| p + e + 1)
                    }
                }
                // A start tag lol_html did not report: one cut off by the end of the page.
                Some(c) if c.is_ascii_alphabetic() => {
                    self.add_text(text, p);
                    b.len()
                }
                // `<` in text.
                _ => {
                    i = p + 1;
                    continue;
                }
            };
            text = next;
            i = next;
            if i >= b.len() {
                break;
            }
        }
        self.add_text(text, b.len());
    }

    fn start(&mut self, el: &StartTag<'_>) {
        let loc = el.source_location().bytes();
        self.gap(loc.start);
        self.cursor = self.cursor.max(loc.end);
        let html = self.html.as_bytes();
        // The name from the source (lol_html's would be a new `String`).
        let owned_name;
        let (name, in_source): (&[u8], bool) = match html.get(loc.start..loc.end) {
            Some([b'<', rest @ ..]) => {
                let len = rest
                    .iter()
                    .position(|&b| ends_tag_name(b))
                    .unwrap_or(rest.len());
                (&rest[..len], true)
            }
            _ => {
                owned_name = el.name();
                (owned_name.as_bytes(), false)
            }
        };
        let (tag, name_hash) = classify(name);
        // Implied end tags.
        if tag.closes_p() {
            self.close_implied(&[Tag::P], &[Tag::Button, Tag::Table, Tag::Td, Tag::Th]);
        }
        match tag {
            Tag::Li => self.close_implied(&[Tag::Li], &[Tag::Ul, Tag::Ol, Tag::Menu]),
            Tag::Dd | Tag::Dt => self.close_implied(&[Tag::Dd, Tag::Dt], &[Tag::Dl]),
            Tag::Td | Tag::Th => self.close_implied(&[Tag::Td, Tag::Th], &[Tag::Tr, Tag::Table]),
            Tag::Tr => self.close_implied(&[Tag::Tr], &[Tag::Table]),
            Tag::Tbody | Tag::Thead | Tag::Tfoot => {
                self.close_implied(&[Tag::Tbody, Tag::Thead, Tag::Tfoot], &[Tag::Table])
            }
            Tag::Option => self.close_implied(&[Tag::Option], &[Tag::Select]),
            Tag::A => self.close_implied(&[Tag::A], &[Tag::Div, Tag::Td, Tag::Li, Tag::Table]),
            _ => {}
        }
        self.flush_text();
        // `id` and `class` values (at most a few; more are dropped), read from the
        // source: asking lol_html for the attributes would build a list of them first.
        let mut id_class_parts: [&str; 4] = [""; 4];
        let mut id_class_n = 0;
        let mut attrs = Vec::new();
        let mut add = |name: &[u8], value: &'h str| {
            if name.eq_ignore_ascii_case(b"id") || name.eq_ignore_ascii_case(b"class") {
                if id_class_n < id_class_parts.len() {
                    id_class_parts[id_class_n] = value;
                    id_class_n += 1;
                }
            } else if let Some(kept) = kept_attr(name) {
                if attrs.len() < 24 {
                    let v: Box<str> = match decode_entities(value) {
                        std::borrow::Cow::Borrowed(v) => v.into(),
                        std::borrow::Cow::Owned(v) => v.into_boxed_str(),
                    };
                    attrs.push((kept, v));
                }
            }
        };
        // (The tag is always in the source: lol_html is given the whole page at once.)
        if in_source {
            let src = self.html;
            let mut it = AttrRanges {
                b: &html[..loc.end],
                i: loc.start + 1 + name.len(),
            };
            while let Some((n, v)) = it.next() {
                add(&html[n], &src[v]);
            }
        }
        let id_class = join_lowercase(&id_class_parts[..id_class_n]);
        let json_ld = tag == Tag::Script
            && attrs
                .iter()
                .any(|(n, v)| *n == "type" && v.contains("ld+json"));
        let parent_hidden = self.top().hidden_text;
        let hidden_text = parent_hidden || tag.hides_text();
        let element = Element {
            tag,
            id_class,
            attrs,
        };
        let Some(id) = self.append(NodeData::Element(element), hidden_text) else {
            return;
        };
        let kind = match tag {
            Tag::Title => Pending::Title,
            Tag::Script if json_ld => Pending::JsonLd,
            _ if hidden_text => Pending::Skip,
            _ => Pending::Data,
        };
        let mut opened = false;
        if !tag.is_void() && can_have_content(el, name) && self.stack.len() < MAX_DEPTH {
            self.push(Open {
                id,
                tag,
                name_hash,
                kind,
                hidden_text,
            });
            opened = true;
        }
        // Raw text only in HTML content: in SVG and MathML `<style>`, `<script>` and
        // `<title>` hold markup (lol_html reports `<svg><title>` as HTML).
        if let Some((raw, raw_name)) = raw_kind(tag, name) {
            if el.namespace_uri() == HTML_NS
                && !(tag == Tag::Title && self.stack.iter().any(|o| o.tag == Tag::Svg))
            {
                self.raw = Some(Raw {
                    kind: raw,
                    name: raw_name,
                    keep: kind,
                    opened,
                });
            }
        }
    }

    /// An end tag named `name`: closes the innermost open element of that name, if any.
    fn end(&mut self, name: &[u8]) {
        let (tag, hash) = classify(name);
        let found = self.stack[1..]
            .iter()
            .rposition(|o| o.tag == tag && o.name_hash == hash)
            .map(|i| i + 1);
        if let Some(pos) = found {
            self.flush_text();
            self.pop_to(pos);
        }
    }

    /// Opens an element: pushes it on the stack.
    fn push(&mut self, open: Open) {
        self.open_tags[open.tag as usize] += 1;
        self.stack.push(open);
    }

    /// Closes the open elements above the first `len` of the stack.
    fn pop_to(&mut self, len: usize) {
        for o in &self.stack[len..] {
            self.open_tags[o.tag as usize] -= 1;
        }
        self.stack.truncate(len);
    }

    fn comment(&mut self, c: &lol_html::html_content::Comment<'_>) {
        let loc = c.source_location().bytes();
        self.gap(loc.start);
        self.cursor = self.cursor.max(loc.end);
    }
}

/// The namespace lol_html gives HTML elements.
const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// Decodes HTML character references when there are any.
pub(crate) fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'&', s.as_bytes()).is_none() {
        std::borrow::Cow::Borrowed(s)
    } else {
        html_escape::decode_html_entities(s)
    }
}

/// Whether an element can have content, as lol_html's rewriter decides it: HTML's
/// void elements cannot, nor can self-closed (`<path/>`) SVG and MathML elements.
fn can_have_content(el: &StartTag<'_>, name: &[u8]) -> bool {
    if el.namespace_uri() == HTML_NS {
        !(name.eq_ignore_ascii_case(b"basefont")
            || name.eq_ignore_ascii_case(b"bgsound")
            || name.eq_ignore_ascii_case(b"keygen"))
    } else {
        !el.self_closing()
    }
}

/// What lol_html is asked to report: start tags and comments, nothing else.
const CAPTURE: TokenCaptureFlags =
    TokenCaptureFlags::NEXT_START_TAG.union(TokenCaptureFlags::COMMENTS);

/// Hands lol_html's start tags and comments to the [`Builder`].
///
/// This drives lol_html's tokenizer through its transform stream directly (exposed
/// by its `integration_test` feature, so the version is pinned) rather than through
/// `HtmlRewriter`: the rewriter would run its CSS selector engine for `*` on every
/// start and end tag, wrap each tag in an `Element` for a boxed handler and keep
/// its own stack of open elements, all to report what this controller reports
/// directly. That was about a third of lol_html's cost on news pages.
struct Feed<'b, 'h> {
    builder: &'b mut Builder<'h>,
}

impl TransformController for Feed<'_, '_> {
    fn initial_capture_flags(&self) -> TokenCaptureFlags {
        CAPTURE
    }

    fn handle_start_tag(&mut self, _: LocalName<'_>, _: Namespace) -> StartTagHandlingResult<Self> {
        Ok(CAPTURE)
    }

    fn handle_end_tag(&mut self, _: LocalName<'_>) -> TokenCaptureFlags {
        CAPTURE
    }

    fn handle_token(&mut self, token: &mut Token<'_>) -> Result<(), RewritingError> {
        match token {
            Token::StartTag(tag) => self.builder.start(tag),
            Token::Comment(comment) => self.builder.comment(comment),
            _ => {}
        }
        Ok(())
    }

    fn handle_end(&mut self, _: &mut DocumentEnd<'_>) -> Result<(), RewritingError> {
        Ok(())
    }

    fn should_emit_content(&self) -> bool {
        true
    }
}

/// Parses a page (already decoded to UTF-8) into a tree.
pub(crate) fn parse(html: &str) -> Dom {
    let mut builder = Builder::new(html);
    let complete = {
        // The settings `HtmlRewriter` uses by default.
        let mut stream = TransformStream::new(TransformStreamSettings {
            transform_controller: Feed {
                builder: &mut builder,
            },
            output_sink: |_: &[u8]| {},
            preallocated_parsing_buffer_size: 1024,
            memory_limiter: SharedMemoryLimiter::new(usize::MAX),
            encoding: AsciiCompatibleEncoding::utf_8(),
            next_encoding: Arc::new(OnceLock::new()),
            strict: true,
        });
        // lol_html only fails on handler errors (ours return none) or memory limits;
        // whatever was parsed before a failure is kept.
        stream.write(html.as_bytes()).is_ok() && stream.end().is_ok()
    };
    if complete {
        // The text and end tags after the last reported range.
        builder.gap(html.len());
    }
    builder.flush_text();
    builder.dom
}

impl Dom {
    /// The element at `id`, if it is one.
    pub(crate) fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes[id as usize].data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    /// The tag of the node at `id` (`None` for text and the document).
    pub(crate) fn tag(&self, id: NodeId) -> Option<Tag> {
        self.element(id).map(|e| e.tag)
    }

    /// Iterates over the children of `id`.
    pub(crate) fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// All nodes in document order (pre-order), starting at `id` inclusive.
    pub(crate) fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            root: id,
            next: id,
        }
    }

    /// The ancestors of `id`, innermost first (excluding `id`).
    pub(crate) fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut cur = self.nodes[id as usize].parent;
        std::iter::from_fn(move || {
            if cur == NONE {
                None
            } else {
                let c = cur;
                cur = self.nodes[c as usize].parent;
                Some(c)
            }
        })
    }

    /// All visible text under `id`, concatenated as-is.
    pub(crate) fn text_of(&self, id: NodeId) -> String {
        let mut s = String::new();
        for n in self.descendants(id) {
            if let NodeData::Text(t) = &self.nodes[n as usize].data {
                if !self.nodes[n as usize].hidden_text {
                    s.push_str(t);
                }
            }
        }
        s
    }
}

/// Iterator over a node's children.
#[derive(Debug)]
pub(crate) struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id as usize].next;
        Some(id)
    }
}

/// Pre-order iterator over a subtree.
#[derive(Debug)]
pub(crate) struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: NodeId,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        let n = &self.dom.nodes[id as usize];
        self.next = if n.first_child != NONE {
            n.first_child
        } else {
            let mut cur = id;
            loop {
                if cur == self.root {
                    break NONE;
                }
                let c = &self.dom.nodes[cur as usize];
                if c.next != NONE {
                    break c.next;
                }
                cur = c.parent;
                if cur == NONE || cur == self.root {
                    break NONE;
                }
            }
        };
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lol_html::{HtmlRewriter, Settings, element};

    fn outline(dom: &Dom, id: NodeId, out: &mut String) {
        match &dom.nodes[id as usize].data {
            NodeData::Document => {}
            NodeData::Element(e) => {
                out.push('<');
                out.push_str(e.tag.name());
                out.push('>');
            }
            NodeData::Text(t) => out.push_str(t),
        }
        for c in dom.children(id) {
            outline(dom, c, out);
        }
        if let NodeData::Element(e) = &dom.nodes[id as usize].data {
            out.push_str("</");
            out.push_str(e.tag.name());
            out.push('>');
        }
    }

    fn shape(html: &str) -> String {
        let dom = parse(html);
        let mut s = String::new();
        outline(&dom, ROOT, &mut s);
        s
    }

    #[test]
    fn packed_names_lowercase_ascii_letters_only() {
        for b in 0..=255u8 {
            let mut bytes = [b; 16];
            bytes[3] = b'Q';
            let folded = ascii_lowercase_packed(u128::from_le_bytes(bytes)).to_le_bytes();
            let mut want = bytes;
            want.make_ascii_lowercase();
            assert_eq!(folded, want, "{b:#x}");
        }
    }

    #[test]
    fn open_paragraphs_and_list_items_close_themselves() {
        assert_eq!(
            shape("<div><p>one<p>two</div><ul><li>a<li>b</ul>"),
            "<div><p>one</p><p>two</p></div><ul><li>a</li><li>b</li></ul>"
        );
    }

    #[test]
    fn script_text_is_kept_out_but_json_ld_is_kept() {
        let dom = parse(
            "<script>if (a<b) document.write('<div>x</div>')</script><p>t</p>\
             <script type=\"application/ld+json\">{\"a\":1}</script>",
        );
        assert_eq!(dom.text_of(ROOT), "t");
        assert_eq!(dom.json_ld, vec!["{\"a\":1}".to_string()]);
    }

    #[test]
    fn entities_are_decoded_in_text_and_attributes() {
        let dom = parse("<title>A &amp; B</title><a href=\"/x?a=1&amp;b=2\">C&nbsp;&#233;</a>");
        assert_eq!(dom.title.as_deref(), Some("A & B"));
        assert_eq!(dom.text_of(ROOT), "C\u{a0}é");
        let a = dom
            .descendants(ROOT)
            .find(|&n| dom.tag(n) == Some(Tag::A))
            .unwrap();
        assert_eq!(dom.element(a).unwrap().attr("href"), Some("/x?a=1&b=2"));
    }

    #[test]
    fn comments_do_not_split_text_and_stray_end_tags_are_harmless() {
        assert_eq!(shape("<p>a<!-- x -->b</span></p>"), "<p>ab</p>");
    }

    #[test]
    fn end_tags_close_the_innermost_open_element_of_their_name() {
        assert_eq!(
            shape("<div><span>a</span>b<a href=x>c<b>d</a>e</div>f"),
            "<div><span>a</span>b<a>c<b>d</b></a>e</div>f"
        );
        // Any case, with whitespace or attributes before `>`.
        assert_eq!(
            shape("<DIV><P>a</p\n>b</Div class=x>c"),
            "<div><p>a</p>b</div>c"
        );
        // Unknown (custom) elements are matched by name.
        assert_eq!(
            shape("<my-card><x-a>a</x-a>b</my-card>c"),
            "<other><other>a</other>b</other>c"
        );
        assert_eq!(
            shape("<my-card><x-a>a</my-card>b"),
            "<other><other>a</other></other>b"
        );
    }

    #[test]
    fn end_tags_inside_comments_scripts_and_attributes_are_not_end_tags() {
        assert_eq!(
            shape("<div><!-- </div> -->a<script>x='</div>'</script>b<p title='</div>'>c</div>d"),
            "<div>a<script></script>b<p>c</p></div>d"
        );
        assert_eq!(
            shape("<div><textarea></div></textarea>x</div>y"),
            "<div><textarea></textarea>x</div>y"
        );
        assert_eq!(
            shape("<title>a</div>b</title><div>c</div>"),
            "<title></title><div>c</div>"
        );
        assert_eq!(
            parse("<title>a</div>b</title>").title.as_deref(),
            Some("a</div>b")
        );
    }

    #[test]
    fn text_keeps_its_order_around_inline_elements_and_links() {
        let dom = parse("<p>one <a href=/x>two <em>three</em></a> four<br>five</p>");
        assert_eq!(dom.text_of(ROOT), "one two three fourfive");
        let a = dom
            .descendants(ROOT)
            .find(|&n| dom.tag(n) == Some(Tag::A))
            .unwrap();
        assert_eq!(dom.text_of(a), "two three");
        assert_eq!(dom.element(a).unwrap().attr("href"), Some("/x"));
    }

    #[test]
    fn svg_content_is_hidden_and_closed_by_its_end_tag() {
        let dom = parse(
            "<div><svg><title>icon</title><path d=x /><g><text>t</text></g></svg>after</div>",
        );
        assert_eq!(dom.text_of(ROOT), "after");
        assert_eq!(dom.title, Some("icon".to_string()));
        let div = dom
            .descendants(ROOT)
            .find(|&n| dom.tag(n) == Some(Tag::Div))
            .unwrap();
        let kids: Vec<_> = dom.children(div).map(|c| dom.tag(c)).collect();
        assert_eq!(kids, vec![Some(Tag::Svg), None]);
    }

    #[test]
    fn ids_classes_and_kept_attributes_are_read_in_any_case() {
        let dom = parse(
            "<DIV ID=Main Class='Story BODY' DATA-SRC=a.jpg onclick=x HREF='a&amp;b'>t</DIV>",
        );
        let div = dom
            .descendants(ROOT)
            .find(|&n| dom.tag(n) == Some(Tag::Div))
            .unwrap();
        let el = dom.element(div).unwrap();
        assert_eq!(&*el.id_class, "main story body");
        assert_eq!(el.attr("data-src"), Some("a.jpg"));
        assert_eq!(el.attr("href"), Some("a&b"));
        assert_eq!(el.attr("onclick"), None);
        for name in KEPT_ATTRS {
            assert_eq!(kept_attr(name.to_ascii_uppercase().as_bytes()), Some(*name));
        }
        assert_eq!(kept_attr(b"alt\0"), None);
        assert_eq!(kept_attr(b"hrefs"), None);
    }

    #[test]
    fn unclosed_elements_end_with_the_document() {
        assert_eq!(
            shape("<div><p>a<span>b"),
            "<div><p>a<span>b</span></p></div>"
        );
        // Whitespace-only text is kept as one shared space.
        assert_eq!(shape("<p>a</p></body></html>\n"), "<p>a</p> ");
    }

    #[test]
    fn text_around_end_tags_is_kept_in_order() {
        assert_eq!(
            shape("<div>a<b>b</b>c</div>d<p>e</P >f"),
            "<div>a<b>b</b>c</div>d<p>e</p>f"
        );
        assert_eq!(shape("<p>x</span >y</p>"), "<p>xy</p>");
        assert_eq!(shape("<div>a</div title='>' x=\"<b>\">b"), "<div>a</div>b");
    }

    #[test]
    fn less_than_signs_in_text_are_text() {
        // `</` not followed by a letter is no end tag: a bogus comment up to `>`, or
        // text at the end.
        assert_eq!(shape("<p>a </ b> c</p>"), "<p>a  c</p>");
        assert_eq!(shape("<p>a </3 </p>b"), "<p>a b</p>");
        assert_eq!(shape("<p>a </"), "<p>a </</p>");
        assert_eq!(shape("<p>1 < 2 <3 <</p>"), "<p>1 < 2 <3 <</p>");
        assert_eq!(shape("<p>a</>b</p>"), "<p>ab</p>");
        assert_eq!(shape("<p>x &lt;y&gt; &amp; z</p>"), "<p>x <y> & z</p>");
        // A page cut off inside a tag or after `<`.
        assert_eq!(shape("<p>a <"), "<p>a <</p>");
        assert_eq!(shape("<p>a <span class='x"), "<p>a </p>");
        assert_eq!(shape("<p>a</p"), "<p>a</p>");
    }

    #[test]
    fn script_content_is_not_markup() {
        assert_eq!(
            shape("<div><script>var s = '</div><p>no</p><!--';</script>a</div>b"),
            "<div><script></script>a</div>b"
        );
        // Inside `<!--`, a `<script>` hides the next `</script>`.
        assert_eq!(
            shape("<p><script><!-- document.write('<script>x</script>'); //--></script>a</p>"),
            "<p><script></script>a</p>"
        );
        assert_eq!(shape("<script><!--></script>a"), "<script></script>a");
        assert_eq!(
            shape("<p><STYLE>p > a { x: '</p>' }</Style>a<noscript><img src=x></noscript>b"),
            "<p><style></style>a<noscript></noscript>b</p>"
        );
        assert_eq!(
            shape("<div><script>never closed </div>"),
            "<div><script></script></div>"
        );
        assert_eq!(shape("<xmp><b>x</b></xmp>y"), "<other></other>y");
        assert_eq!(shape("<iframe><p>x</p></iframe>y"), "<iframe></iframe>y");
        assert_eq!(shape("<script></scripts></script >a"), "<script></script>a");
        assert_eq!(
            shape("<p>a<plaintext></p><b>b"),
            "<p>a<other></p><b>b</other></p>"
        );
    }

    #[test]
    fn title_text_is_decoded_and_not_markup() {
        let dom = parse(
            "<head><title>Tom &amp; Jerry &lt;b&gt; <b>x</b> &#8211; News</title></head><p>t</p>",
        );
        assert_eq!(
            dom.title.as_deref(),
            Some("Tom & Jerry <b> <b>x</b> – News")
        );
        assert_eq!(dom.text_of(ROOT), "t");
        // The first non-empty title counts.
        assert_eq!(
            parse("<title></title><title>b</title>").title.as_deref(),
            Some("b")
        );
        assert_eq!(
            parse("<title>a</title><title>b</title>").title.as_deref(),
            Some("a")
        );
        assert_eq!(parse("<title>cut off").title.as_deref(), Some("cut off"));
    }

    #[test]
    fn json_ld_is_captured_as_written() {
        let dom = parse(
            "<script type='application/ld+json'>{\"a\":\"<b>&amp;</b>\"}</script>\
             <script type=\"text/javascript\">var x = 1;</script>\
             <SCRIPT TYPE=\"application/ld+json\">\n[1]\n</SCRIPT>",
        );
        assert_eq!(
            dom.json_ld,
            vec![
                "{\"a\":\"<b>&amp;</b>\"}".to_string(),
                "\n[1]\n".to_string()
            ]
        );
        assert_eq!(dom.text_of(ROOT), "");
    }

    #[test]
    fn doctype_and_cdata_are_not_text() {
        assert_eq!(
            shape("<!DOCTYPE html>\n<html><p>a</p>"),
            " <html><p>a</p></html>"
        );
        assert_eq!(
            shape("<p>a<svg><style><![CDATA[ x</p>y ]]></style></svg>b</p>"),
            "<p>a<svg><style></style></svg>b</p>"
        );
        // Outside SVG and MathML, CDATA is a (bogus) comment.
        assert_eq!(shape("<p>a<![CDATA[ x ]]>b</p>"), "<p>ab</p>");
        assert_eq!(shape("<p>a<?php x ?>b</p>"), "<p>ab</p>");
    }

    #[test]
    fn uppercase_end_tags_close_elements() {
        assert_eq!(
            shape("<DIV><SPAN>a</SPAN>b</DIV>c"),
            "<div><span>a</span>b</div>c"
        );
        assert_eq!(shape("<Script>x</SCRIPT>a"), "<script></script>a");
        assert_eq!(shape("<my-Card>a</MY-CARD>b"), "<other>a</other>b");
    }

    #[test]
    fn attributes_are_read_as_lol_html_reads_them() {
        let tags = [
            "<a href = \"x y\" title=a/b class=X id='Y' data-src= >",
            "<img/src=a.jpg/alt=\"a>b\"/>",
            "<p =x a=\"1\"b='2' c d = e f=g\"h' hidden>",
            "<div class=\"\" id class='a' CLASS=B>",
            "<x a='unterminated>",
            "<meta content=\"&amp;&quot;\" Name=\"x\"\t\nproperty\x0c=\x0c'og:t'>",
        ];
        for tag in tags {
            let seen = RefCell::new(Vec::new());
            let mut rw = HtmlRewriter::new(
                Settings {
                    element_content_handlers: vec![element!("*", |el| {
                        let loc = el.source_location().bytes();
                        let name_len = el.tag_name().len();
                        let mine: Vec<(String, String)> = {
                            let mut it = AttrRanges {
                                b: &tag.as_bytes()[..loc.end],
                                i: loc.start + 1 + name_len,
                            };
                            std::iter::from_fn(|| it.next())
                                .map(|(n, v)| (tag[n].to_ascii_lowercase(), tag[v].to_string()))
                                .collect()
                        };
                        let theirs: Vec<(String, String)> = el
                            .attributes()
                            .iter()
                            .map(|a| {
                                let v = a
                                    .value_source_location()
                                    .map_or(String::new(), |v| tag[v.bytes()].to_string());
                                (a.name(), v)
                            })
                            .collect();
                        seen.borrow_mut().push((mine, theirs));
                        Ok(())
                    })],
                    ..Settings::new()
                },
                |_: &[u8]| {},
            );
            rw.write(tag.as_bytes()).unwrap();
            rw.end().unwrap();
            for (mine, theirs) in seen.into_inner() {
                assert_eq!(mine, theirs, "{tag}");
            }
        }
        let dom = parse("<img/src='a.jpg'/alt=\"a>b\"/><div CLASS=\"Lead\" id=Top>t</div>");
        let img = dom
            .descendants(ROOT)
            .find(|&n| dom.tag(n) == Some(Tag::Img))
            .unwrap();
        assert_eq!(dom.element(img).unwrap().attr("alt"), Some("a>b"));
        assert_eq!(dom.element(img).unwrap().attr("src"), Some("a.jpg"));
        let div = dom
            .descendants(ROOT)
            .find(|&n| dom.tag(n) == Some(Tag::Div))
            .unwrap();
        assert_eq!(&*dom.element(div).unwrap().id_class, "lead top");
    }

    #[test]
    fn deep_nesting_is_capped() {
        let html = "<div>".repeat(5000) + "x" + &"</div>".repeat(5000) + "y";
        let dom = parse(&html);
        let deepest = (0..dom.nodes.len() as NodeId)
            .map(|n| dom.ancestors(n).count())
            .max()
            .unwrap();
        assert!(deepest <= MAX_DEPTH, "{deepest}");
        assert_eq!(dom.text_of(ROOT), "xy");
    }
}

/// Times `parse` alone over a directory of pages (`WARTA_PARSE_BENCH_DIR`, default the
/// dev extraction benchmark). Run with
/// `cargo test --release -p warta-extract --lib dom::bench -- --ignored --nocapture`.
#[cfg(test)]
mod bench {
    use super::*;

    /// CPU seconds this thread has used (Linux; 0 elsewhere). Wall time is useless
    /// on a shared machine.
    pub(super) fn cpu_secs() -> f64 {
        // The first field of schedstat is the time run on a CPU, in nanoseconds.
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(0.0, |ns| ns / 1e9)
    }

    #[test]
    #[ignore = "benchmark; needs the benchmark pages"]
    fn parse_speed() {
        let dir = std::env::var("WARTA_PARSE_BENCH_DIR")
            .unwrap_or_else(|_| "/work/shared/bench/extraction/dev/html".to_string());
        let Ok(rd) = std::fs::read_dir(&dir) else {
            eprintln!("no pages in {dir}");
            return;
        };
        let mut pages: Vec<String> = rd
            .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect();
        pages.sort();
        let bytes: usize = pages.iter().map(String::len).sum();
        let repeat: usize = std::env::var("WARTA_PARSE_BENCH_REPEAT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(5);
        let mut best = f64::MAX;
        let mut cpu = f64::MAX;
        let mut nodes = 0usize;
        for _ in 0..repeat {
            let t = std::time::Instant::now();
            let c = cpu_secs();
            nodes = 0;
            for p in &pages {
                let dom = parse(p);
                nodes += dom.nodes.len();
            }
            cpu = cpu.min(cpu_secs() - c);
            best = best.min(t.elapsed().as_secs_f64());
        }
        eprintln!(
            "parse: {} pages, {:.1} MB, {} nodes; least CPU {:.3} ms/page = {:.0} pages per CPU-s; \
             best wall {:.3} ms/page",
            pages.len(),
            bytes as f64 / 1e6,
            nodes,
            cpu * 1e3 / pages.len() as f64,
            pages.len() as f64 / cpu,
            best * 1e3 / pages.len() as f64,
        );
    }
}
