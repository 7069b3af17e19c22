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
use std::rc::Rc;

use lol_html::html_content::{Element as LolElement, TextType};
use lol_html::{HtmlRewriter, Settings, doc_text, element};

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
        impl Tag {
            fn from_name(name: &str) -> Tag {
                match name { $($name => Tag::$variant,)* _ => Tag::Other }
            }
            /// The lowercase element name (`other` for unknown elements).
            #[allow(dead_code)]
            pub(crate) fn name(self) -> &'static str {
                match self { $(Tag::$variant => $name,)* Tag::Other => "other" }
            }
        }
    };
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
        matches!(self, Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6)
    }
}

/// An element with the attributes extraction reads.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub(crate) tag: Tag,
    /// `id` and `class` joined with a space, lowercased: what class/id heuristics look at.
    pub(crate) id_class: Box<str>,
    /// Other kept attributes, names lowercase.
    pub(crate) attrs: Vec<(Box<str>, Box<str>)>,
    /// True for `script` elements holding JSON-LD, whose text is kept.
    pub(crate) json_ld: bool,
}

impl Element {
    /// The value of a kept attribute.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| &**n == name).map(|(_, v)| &**v)
    }
}

/// What a node holds.
#[derive(Debug, Clone)]
pub(crate) enum NodeData {
    Document,
    Element(Element),
    /// Text with character references already decoded.
    Text(String),
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

struct Builder {
    dom: Dom,
    /// Open elements, innermost last.
    stack: Vec<NodeId>,
    /// Text gathered for the text node being read (raw, with references).
    pending: String,
    pending_kind: Pending,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pending {
    Data,
    Title,
    JsonLd,
    Skip,
}

impl Builder {
    fn new() -> Self {
        let root = Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next: NONE,
            hidden_text: false,
            data: NodeData::Document,
        };
        Builder {
            dom: Dom { nodes: vec![root], title: None, json_ld: Vec::new(), truncated: false },
            stack: vec![ROOT],
            pending: String::new(),
            pending_kind: Pending::Skip,
        }
    }

    fn current(&self) -> NodeId {
        *self.stack.last().unwrap_or(&ROOT)
    }

    fn tag_of(&self, id: NodeId) -> Option<Tag> {
        match &self.dom.nodes[id as usize].data {
            NodeData::Element(e) => Some(e.tag),
            _ => None,
        }
    }

    fn append(&mut self, data: NodeData, hidden_text: bool) -> Option<NodeId> {
        if self.dom.nodes.len() >= MAX_NODES {
            self.dom.truncated = true;
            return None;
        }
        let parent = self.current();
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
        if p.last_child == NONE {
            p.first_child = id;
        } else {
            let last = p.last_child;
            self.dom.nodes[last as usize].next = id;
        }
        self.dom.nodes[parent as usize].last_child = id;
        Some(id)
    }

    /// Pops open elements up to and including the innermost one with a tag in `tags`,
    /// but not past any element with a tag in `stop`.
    fn close_implied(&mut self, tags: &[Tag], stop: &[Tag]) {
        for i in (1..self.stack.len()).rev() {
            let Some(t) = self.tag_of(self.stack[i]) else { continue };
            if tags.contains(&t) {
                self.stack.truncate(i);
                return;
            }
            if stop.contains(&t) {
                return;
            }
        }
    }

    fn flush_text(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let raw = std::mem::take(&mut self.pending);
        match self.pending_kind {
            Pending::Data => {
                let text = decode_entities(&raw);
                let hidden = self.dom.nodes[self.current() as usize].hidden_text;
                // Merge with a preceding text sibling (text split by a dropped comment).
                let cur = self.current();
                let last = self.dom.nodes[cur as usize].last_child;
                if last != NONE {
                    if let NodeData::Text(prev) = &mut self.dom.nodes[last as usize].data {
                        prev.push_str(&text);
                        return;
                    }
                }
                self.append(NodeData::Text(text.into_owned()), hidden);
            }
            Pending::Title => {
                if self.dom.title.is_none() {
                    self.dom.title = Some(decode_entities(&raw).into_owned());
                }
            }
            Pending::JsonLd => {
                if self.dom.json_ld.len() < 64 {
                    self.dom.json_ld.push(raw);
                }
            }
            Pending::Skip => {}
        }
    }

    fn start(&mut self, el: &LolElement<'_, '_>) -> Option<NodeId> {
        self.flush_text();
        let name = el.tag_name();
        let tag = Tag::from_name(&name);
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
        let mut id_class = String::new();
        let mut attrs = Vec::new();
        for a in el.attributes() {
            let n = a.name();
            match n.as_str() {
                "id" | "class" => {
                    if !id_class.is_empty() {
                        id_class.push(' ');
                    }
                    id_class.push_str(&a.value().to_lowercase());
                }
                other => {
                    if KEPT_ATTRS.contains(&other) && attrs.len() < 24 {
                        let v = a.value();
                        let v = match decode_entities(&v) {
                            std::borrow::Cow::Borrowed(_) => v,
                            std::borrow::Cow::Owned(o) => o,
                        };
                        attrs.push((n.into_boxed_str(), v.into_boxed_str()));
                    }
                }
            }
        }
        let json_ld = tag == Tag::Script
            && attrs.iter().any(|(n, v)| &**n == "type" && v.contains("ld+json"));
        let parent_hidden = self.dom.nodes[self.current() as usize].hidden_text;
        let hidden_text = parent_hidden || tag.hides_text();
        let element = Element { tag, id_class: id_class.into_boxed_str(), attrs, json_ld };
        let id = self.append(NodeData::Element(element), hidden_text)?;
        if !tag.is_void() && el.can_have_content() {
            self.stack.push(id);
            // Deeply nested garbage must not grow the stack without bound.
            if self.stack.len() > 4096 {
                self.stack.remove(1);
            }
            self.pending_kind = match tag {
                Tag::Title => Pending::Title,
                Tag::Script if json_ld => Pending::JsonLd,
                _ if hidden_text => Pending::Skip,
                _ => Pending::Data,
            };
            Some(id)
        } else {
            None
        }
    }

    fn end(&mut self, id: NodeId) {
        self.flush_text();
        if let Some(pos) = self.stack.iter().rposition(|&n| n == id) {
            self.stack.truncate(pos);
        }
        let cur = self.current();
        let hidden = self.dom.nodes[cur as usize].hidden_text;
        self.pending_kind = if hidden { Pending::Skip } else { Pending::Data };
    }

    fn text(&mut self, chunk: &str, kind: TextType) {
        match kind {
            TextType::Data | TextType::RCData | TextType::PlainText => {}
            TextType::ScriptData | TextType::RawText | TextType::CDataSection => {
                if self.pending_kind != Pending::JsonLd {
                    return;
                }
            }
        }
        if self.pending_kind == Pending::Skip {
            return;
        }
        if self.pending.len() < 8 << 20 {
            self.pending.push_str(chunk);
        }
    }
}

/// Decodes HTML character references when there are any.
pub(crate) fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'&', s.as_bytes()).is_none() {
        std::borrow::Cow::Borrowed(s)
    } else {
        html_escape::decode_html_entities(s)
    }
}

/// Parses a page (already decoded to UTF-8) into a tree.
pub(crate) fn parse(html: &str) -> Dom {
    let builder = Rc::new(RefCell::new(Builder::new()));
    {
        let b_el = Rc::clone(&builder);
        let b_text = Rc::clone(&builder);
        let mut rewriter = HtmlRewriter::new(
            Settings {
                element_content_handlers: vec![element!("*", move |el| {
                    let id = b_el.borrow_mut().start(el);
                    if let Some(id) = id {
                        if let Some(handlers) = el.end_tag_handlers() {
                            let b_end = Rc::clone(&b_el);
                            let handler: lol_html::EndTagHandler<'static> =
                                Box::new(move |_end| {
                                    b_end.borrow_mut().end(id);
                                    Ok(())
                                });
                            handlers.push(handler);
                        }
                    }
                    Ok(())
                })],
                document_content_handlers: vec![doc_text!(move |t| {
                    b_text.borrow_mut().text(t.as_str(), t.text_type());
                    Ok(())
                })],
                ..Settings::new()
            },
            |_: &[u8]| {},
        );
        // lol_html only fails on handler errors (ours return none) or memory limits;
        // whatever was parsed before a failure is kept.
        let _ = rewriter.write(html.as_bytes());
        let _ = rewriter.end();
    }
    let mut b = match Rc::try_unwrap(builder) {
        Ok(cell) => cell.into_inner(),
        Err(rc) => {
            let mut guard = rc.borrow_mut();
            std::mem::replace(&mut *guard, Builder::new())
        }
    };
    b.flush_text();
    b.dom
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
        Children { dom: self, next: self.nodes[id as usize].first_child }
    }

    /// All nodes in document order (pre-order), starting at `id` inclusive.
    pub(crate) fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants { dom: self, root: id, next: id }
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
        let a = dom.descendants(ROOT).find(|&n| dom.tag(n) == Some(Tag::A)).unwrap();
        assert_eq!(dom.element(a).unwrap().attr("href"), Some("/x?a=1&b=2"));
    }

    #[test]
    fn comments_do_not_split_text_and_stray_end_tags_are_harmless() {
        assert_eq!(shape("<p>a<!-- x -->b</span></p>"), "<p>ab</p>");
    }
}
