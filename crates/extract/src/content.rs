//! Finding the article body in a page.
//!
//! One bottom-up pass gives every element its text length, link-text length and
//! comma count. Paragraph-like elements then vote for their ancestors as in
//! Arc90's Readability (more text and more commas, fewer links ⇒ more votes),
//! weighted by what the markup says (`<article>`, `itemprop=articleBody`,
//! class and id words such as `content` or `comment`). The best candidate and
//! its strong siblings are the article; walking them in order gives the body
//! blocks, with navigation, share bars, related-link lists, promos, bylines and
//! captions left out (captions are collected on the side).

use std::sync::LazyLock;

use regex::Regex;
use url::Url;
use warta_core::{Caption, Image};

use crate::boiler::{self, Boiler};
use crate::caption::{credit_without_label, split_caption_credit};
use crate::dom::{Dom, NONE, NodeData, NodeId, ROOT, Tag};
use crate::meta::{absolute, squash};

/// Class/id words that mark page furniture (dropped before scoring).
static UNLIKELY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"-ad-|\bads?\b|ad-slot|adslot|advert|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|cookie|consent|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|\\bpager\\b|popup|modal|newsletter|subscribe|signup|paywall|share|sharing|sosmed|baca-?juga|bacajuga|read-?also|recommend|rekomendasi|terkait|populer|trending|most-?read|outbrain|taboola|widget|toolbar|tags?\b|topic-?list|author-?(bio|box|info)|byline|print-only|visually-?hidden|sr-only|screen-?reader",
    )
    .expect("valid regex")
});

/// Words that keep an element despite an unlikely word (`main-sidebar-content` stays).
static MAYBE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"and|article|body|column|content|main|shadow|story|entry|post-?text|detail|isi|text",
    )
    .expect("valid regex")
});

static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|detail|isi|konten|berita|read",
    )
    .expect("valid regex")
});

static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"-ad-|hidden|\bhid\b|banner|combx|comment|com-|contact|foot|footnote|gdpr|masthead|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|recommend|caption|credit|byline|author|date|time|nav|menu",
    )
    .expect("valid regex")
});

/// Class/id words for small blocks inside the article that are not story text.
static INNER_FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"byline|author|dateline|timestamp|\bdate\b|published|updated|caption|credit|copyright|share|social|related|newsletter|subscribe|promo|\bads?\b|advert|tags?\b|breadcrumb|read-?more|baca-?juga|recommend|comment|toolbar|print|kicker|eyebrow|rating|disclaimer",
    )
    .expect("valid regex")
});

static CAPTION_CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"caption|keterangan|wp-caption-text").expect("valid regex"));

static CREDIT_CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"credit|copyright|source|photographer").expect("valid regex"));

/// One block of body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) heading: bool,
    pub(crate) text: String,
}

/// What the content stage found.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub(crate) blocks: Vec<Block>,
    pub(crate) captions: Vec<Caption>,
    pub(crate) images: Vec<Image>,
    /// A "continued on the next page" line was seen.
    pub(crate) continues: bool,
}

#[derive(Clone, Copy, Default)]
struct Stats {
    text: u32,
    links: u32,
    /// Link text of links to the same site (menus, teasers), a part of `links`.
    internal_links: u32,
    commas: u32,
}

struct Ctx<'a> {
    dom: &'a Dom,
    stats: Vec<Stats>,
    /// Dropped before scoring: furniture by tag, class/id or hiding.
    unlikely: Vec<bool>,
    base: Option<Url>,
    title: Option<String>,
}

fn is_hidden(el: &crate::dom::Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    el.attr("style").is_some_and(|style| {
        declares(style, "display", "none") || declares(style, "visibility", "hidden")
    })
}

/// True when an inline style sets `property: value` (any case, any spacing), without
/// allocating: most elements carry a style that says neither.
fn declares(style: &str, property: &str, value: &str) -> bool {
    let b = style.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&b[from..], property.as_bytes()).or_else(|| {
        // Rare upper-case spellings.
        b[from..]
            .windows(property.len())
            .position(|w| w.eq_ignore_ascii_case(property.as_bytes()))
    }) {
        let rest = style[from + i + property.len()..].trim_start();
        if let Some(v) = rest.strip_prefix(':') {
            let v = v.trim_start().as_bytes();
            if v.len() >= value.len() && v[..value.len()].eq_ignore_ascii_case(value.as_bytes()) {
                return true;
            }
        }
        from += i + property.len();
    }
    false
}

/// Characters that are not ASCII whitespace (UTF-8 continuation bytes are not
/// counted, so a character counts once) and commas (`,` plus the CJK and Arabic ones).
fn count_text(t: &str) -> (u32, u32) {
    let mut chars = 0u32;
    let mut commas = 0u32;
    for &b in t.as_bytes() {
        chars += u32::from(!b.is_ascii_whitespace() && (b & 0xC0) != 0x80);
        commas += u32::from(b == b',');
    }
    if !t.is_ascii() {
        // `，`, `、` and `،`: found by their UTF-8 lead bytes, then matched whole.
        let b = t.as_bytes();
        commas += memchr::memchr3_iter(0xef, 0xe3, 0xd8, b)
            .filter(|&i| {
                matches!(
                    &b[i..],
                    [0xef, 0xbc, 0x8c, ..] | [0xe3, 0x80, 0x81, ..] | [0xd8, 0x8c, ..]
                )
            })
            .count() as u32;
    }
    (chars, commas)
}

/// Per-page working vectors, kept by each thread for its next page.
#[derive(Default)]
struct Scratch {
    stats: Vec<Stats>,
    unlikely: Vec<bool>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Largest working vectors a thread keeps between pages.
const SCRATCH_MAX: usize = 1 << 18;

impl Drop for Ctx<'_> {
    fn drop(&mut self) {
        if self.stats.capacity() > SCRATCH_MAX {
            return;
        }
        let stats = std::mem::take(&mut self.stats);
        let unlikely = std::mem::take(&mut self.unlikely);
        SCRATCH.with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                *s = Scratch { stats, unlikely };
            }
        });
    }
}

impl<'a> Ctx<'a> {
    fn new(dom: &'a Dom, base: Option<Url>, title: Option<String>) -> Self {
        let n = dom.nodes.len();
        let Scratch {
            mut stats,
            mut unlikely,
        } = SCRATCH.with(|s| {
            s.try_borrow_mut()
                .map(|mut s| std::mem::take(&mut *s))
                .unwrap_or_default()
        });
        stats.clear();
        stats.resize(n, Stats::default());
        unlikely.clear();
        unlikely.resize(n, false);
        // Bottom-up: text statistics (children come after their parents in the arena).
        for i in (1..n).rev() {
            let node = &dom.nodes[i];
            if let NodeData::Text(t) = &node.data {
                if !node.hidden_text {
                    let (c, k) = count_text(t);
                    stats[i].text += c;
                    stats[i].commas += k;
                }
            }
            if let NodeData::Element(el) = &node.data {
                if el.tag == Tag::A {
                    stats[i].links = stats[i].text;
                    if internal_href(site_host(base.as_ref()), el.attr("href")) {
                        stats[i].internal_links = stats[i].text;
                    }
                }
            }
            let p = node.parent;
            if p != NONE {
                let s = stats[i];
                let ps = &mut stats[p as usize];
                ps.text += s.text;
                ps.links += s.links;
                ps.internal_links += s.internal_links;
                ps.commas += s.commas;
            }
        }
        let root = stats[ROOT as usize];
        // The page's prose: text that is not link text.
        let total_prose = root.text.saturating_sub(root.links).max(1);
        // Top-down: furniture flags. A wrapper holding much of the page's text is never
        // furniture, whatever its class says (`container penci_sidebar`, `pagebuilder`).
        for i in 1..n {
            let node = &dom.nodes[i];
            let parent_bad = node.parent != NONE && unlikely[node.parent as usize];
            let st = stats[i];
            let big = st.text.saturating_sub(st.links) * 10 > total_prose * 3;
            let own = !parent_bad
                && match &node.data {
                    NodeData::Element(el) => {
                        is_hidden(el)
                            || (!big
                                && (matches!(
                                    el.tag,
                                    Tag::Nav
                                        | Tag::Aside
                                        | Tag::Footer
                                        | Tag::Dialog
                                        | Tag::Menu
                                        | Tag::Head
                                ) || el.attr("role").is_some_and(|r| {
                                    matches!(
                                        r,
                                        "navigation"
                                            | "complementary"
                                            | "contentinfo"
                                            | "banner"
                                            | "dialog"
                                            | "menu"
                                    )
                                }) || (!el.id_class.is_empty()
                                    && !matches!(
                                        el.tag,
                                        Tag::Body | Tag::Html | Tag::Article | Tag::Main
                                    )
                                    && UNLIKELY.is_match(&el.id_class)
                                    && !MAYBE.is_match(&el.id_class))))
                    }
                    NodeData::Text(_) => node.hidden_text,
                    NodeData::Document => false,
                };
            unlikely[i] = parent_bad || own;
        }
        Ctx {
            dom,
            stats,
            unlikely,
            base,
            title,
        }
    }

    /// True when `href` points at a page of the same site (or is relative).
    fn is_internal(&self, href: Option<&str>) -> bool {
        internal_href(site_host(self.base.as_ref()), href)
    }

    /// Share of the text under `id` that links to the same site.
    fn internal_link_density(&self, id: NodeId) -> f32 {
        let s = self.stats[id as usize];
        share(s.internal_links, s.text)
    }

    /// Share of the text under `id` that is link text.
    fn link_density(&self, id: NodeId) -> f32 {
        let s = self.stats[id as usize];
        share(s.links, s.text)
    }

    fn class_weight(&self, id: NodeId) -> f32 {
        let Some(el) = self.dom.element(id) else {
            return 0.0;
        };
        let mut w = 0.0;
        if !el.id_class.is_empty() {
            if NEGATIVE.is_match(&el.id_class) {
                w -= 25.0;
            }
            if POSITIVE.is_match(&el.id_class) {
                w += 25.0;
            }
        }
        if el
            .attr("itemprop")
            .is_some_and(|p| p.contains("articleBody") || p.contains("articlebody"))
        {
            w += 60.0;
        }
        w
    }

    fn tag_weight(tag: Tag) -> f32 {
        match tag {
            Tag::Article => 15.0,
            Tag::Main => 5.0,
            Tag::Div | Tag::Section => 5.0,
            Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
            Tag::Address
            | Tag::Ol
            | Tag::Ul
            | Tag::Dl
            | Tag::Dd
            | Tag::Dt
            | Tag::Li
            | Tag::Form => -3.0,
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 | Tag::Th => -5.0,
            _ => 0.0,
        }
    }

    /// Text directly inside `id` (not in child elements), in characters.
    fn direct_text(&self, id: NodeId) -> u32 {
        self.dom
            .children(id)
            .filter(|&c| matches!(self.dom.nodes[c as usize].data, NodeData::Text(_)))
            .map(|c| self.stats[c as usize].text)
            .sum()
    }

    /// What tag and class/id say of a candidate. It counts in full only for elements
    /// holding a real amount of text: a one-line `div.image-text` must not outscore
    /// the story.
    fn markup_weight(&self, id: NodeId) -> f32 {
        let weight =
            Self::tag_weight(self.dom.tag(id).unwrap_or(Tag::Other)) + self.class_weight(id);
        let trust = (self.stats[id as usize].text as f32 / 300.0).min(1.0);
        weight * trust
    }

    /// Readability scoring; returns the best candidate.
    fn best_candidate(&self) -> Option<(NodeId, Vec<f32>)> {
        let n = self.dom.nodes.len();
        let mut score = vec![f32::NAN; n];
        for i in 1..n {
            let id = i as NodeId;
            if self.unlikely[i] {
                continue;
            }
            let Some(el) = self.dom.element(id) else {
                continue;
            };
            let scorable = match el.tag {
                Tag::P | Tag::Pre | Tag::Td | Tag::Blockquote => true,
                Tag::Div
                | Tag::Section
                | Tag::Article
                | Tag::Span
                | Tag::Li
                | Tag::Font
                | Tag::Center => self.direct_text(id) >= 60,
                _ => false,
            };
            if !scorable {
                continue;
            }
            let s = self.stats[i];
            if s.text < 25 || self.link_density(id) > 0.5 {
                continue;
            }
            let votes = 1.0 + s.commas.min(20) as f32 + (s.text as f32 / 100.0).min(3.0);
            for (level, anc) in self.dom.ancestors(id).enumerate() {
                if anc == ROOT || level > 4 {
                    break;
                }
                let a = anc as usize;
                if score[a].is_nan() {
                    score[a] = self.markup_weight(anc);
                }
                let div = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f32 * 3.0,
                };
                score[a] += votes / div;
            }
        }
        let mut best: Option<(NodeId, f32)> = None;
        for (i, s) in score.iter_mut().enumerate() {
            if s.is_nan() {
                continue;
            }
            if self.unlikely[i] {
                *s = f32::NAN;
                continue;
            }
            let id = i as NodeId;
            *s *= 1.0 - self.link_density(id);
            if best.is_none_or(|(_, b)| *s > b) {
                best = Some((i as NodeId, *s));
            }
        }
        let (mut top, top_score) = best?;
        // Climb while the candidate is its parent's only substantial child, or when a
        // parent scores nearly as well (the article is split over several wrappers).
        loop {
            let p = self.dom.nodes[top as usize].parent;
            if p == NONE
                || p == ROOT
                || matches!(self.dom.tag(p), Some(Tag::Body | Tag::Html) | None)
            {
                break;
            }
            if self.unlikely[p as usize] {
                break;
            }
            let only_child = self
                .dom
                .children(p)
                .filter(|&c| self.stats[c as usize].text > 0)
                .count()
                == 1;
            let ps = score[p as usize];
            if only_child || (!ps.is_nan() && ps >= top_score * 0.9) {
                top = p;
            } else {
                break;
            }
        }
        Some((top, score))
    }
}

/// Finds the article body, its captions and images.
pub(crate) fn extract(dom: &Dom, base: Option<Url>, title: Option<&str>) -> Body {
    let ctx = Ctx::new(dom, base, title.map(|t| squash(t).to_lowercase()));
    let mut body = Body::default();
    let Some((top, score)) = ctx.best_candidate() else {
        return body;
    };
    let top_score = score[top as usize];
    let threshold = (top_score * 0.2).max(10.0);
    let parent = dom.nodes[top as usize].parent;
    let mut roots = Vec::new();
    if parent == NONE {
        roots.push(top);
    } else {
        for sib in dom.children(parent) {
            if sib == top {
                roots.push(sib);
                continue;
            }
            if ctx.unlikely[sib as usize] {
                continue;
            }
            let s = score[sib as usize];
            let st = ctx.stats[sib as usize];
            let ld = ctx.link_density(sib);
            let prose = ctx.class_weight(sib) >= 0.0
                && !matches!(
                    dom.tag(sib),
                    Some(Tag::Ul | Tag::Ol | Tag::Table | Tag::Form) | None
                )
                && ((st.text > 80 && ld < 0.25)
                    || (st.text > 0 && ld == 0.0 && ends_sentence(dom, sib)));
            let append = (!s.is_nan() && s >= threshold && ld < 0.3) || prose;
            if append {
                roots.push(sib);
            }
        }
    }
    let mut w = Walker {
        ctx: &ctx,
        body: &mut body,
        cur: String::new(),
        cur_heading: false,
        cur_link: 0,
        in_link: 0,
        stopped: false,
    };
    for r in roots {
        w.walk(r);
        w.flush();
    }
    // Captions of the story's figures sit outside the text column on many pages:
    // look in the candidate's parent too.
    let scope = if parent != NONE && parent != ROOT {
        parent
    } else {
        top
    };
    collect_captions(&ctx, scope, &mut body);
    body
}

fn ends_sentence(dom: &Dom, id: NodeId) -> bool {
    let t = dom.text_of(id);
    let t = t.trim_end();
    t.ends_with('.') || t.ends_with('”') || t.ends_with('"')
}

struct Walker<'c, 'a> {
    ctx: &'c Ctx<'a>,
    body: &'c mut Body,
    cur: String,
    cur_heading: bool,
    /// Bytes of `cur` that are link text.
    cur_link: usize,
    /// Depth of `<a>` elements the walk is inside.
    in_link: u32,
    /// Set once a line that closes the story ("You may also like", "Comments") was seen.
    stopped: bool,
}

/// Lines after which a page has no more story: related-story rails, comment sections.
static STORY_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(you (may|might) (also )?like|you may be interested|related( articles| stories| posts| news| coverage| content)?|more (from|stories|on this|news|articles|in)\b.*|more\b.{0,40}\b(stories|articles|news|reads|coverage|videos)|(top|latest|other|related|popular) (stories|articles|news|videos)( from .*)?|recommended( for you| stories| articles)?|read next|what to read next|up next|trending( now| stories)?|most (read|popular|viewed)|popular (stories|posts|now)|comments?|\d+ comments?|leave a (comment|reply)|post a comment|join the (conversation|discussion)|tell us what you think.*|sign up for.*newsletter.*|artikel terkait|berita terkait|berita lainnya|baca berita lainnya|rekomendasi( untuk anda)?|terpopuler|berita terpopuler|komentar|tulis komentar|lihat juga|topik terkait|share this (article|story|post))[\s.:!…]*$",
    )
    .expect("valid regex")
});

/// Short lines that only say when (`Marcus Doe 2019-11-20 17:27`, `Monday, 22 January 2018 at 0:13`).
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(19|20)\d{2}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|\b(19|20)\d{2}\b")
        .expect("valid regex")
});

fn is_date_line(t: &str) -> bool {
    t.len() < 80
        && t.split_whitespace().count() <= 9
        && !t.ends_with('.')
        && DATE_LINE.find_iter(t).count() >= 2
}

impl Walker<'_, '_> {
    fn flush(&mut self) {
        let text = squash(&self.cur);
        let link_share = if self.cur.trim().is_empty() {
            0.0
        } else {
            self.cur_link as f32 / self.cur.trim().len() as f32
        };
        self.cur.clear();
        self.cur_link = 0;
        let heading = std::mem::take(&mut self.cur_heading);
        if text.is_empty() {
            return;
        }
        match boiler::classify_line(&text) {
            Some(Boiler::Continuation) => {
                self.body.continues = true;
                return;
            }
            Some(_) => return,
            None => {}
        }
        if self.stopped {
            return;
        }
        if self.body.blocks.len() >= 2 && text.len() < 80 && STORY_END.is_match(&text) {
            self.stopped = true;
            return;
        }
        if is_furniture_text(&text) || is_date_line(&text) {
            return;
        }
        // A short paragraph that is nothing but a link is a teaser for another story.
        if link_share > 0.7 && (text.len() < 160 || is_shouting(&text)) {
            return;
        }
        if heading {
            if let Some(t) = &self.ctx.title {
                if text.to_lowercase() == *t {
                    return;
                }
            }
        }
        self.body.blocks.push(Block { heading, text });
    }

    fn skip_element(&self, id: NodeId, el: &crate::dom::Element) -> bool {
        let ctx = self.ctx;
        if ctx.unlikely[id as usize] {
            return true;
        }
        if matches!(
            el.tag,
            Tag::Figure
                | Tag::Figcaption
                | Tag::Iframe
                | Tag::Video
                | Tag::Audio
                | Tag::Picture
                | Tag::Img
                | Tag::Form
                | Tag::Button
                | Tag::Input
                | Tag::Select
                | Tag::Textarea
                | Tag::Script
                | Tag::Style
                | Tag::Noscript
                | Tag::Svg
                | Tag::Canvas
                | Tag::Object
                | Tag::Embed
        ) {
            return true;
        }
        let st = ctx.stats[id as usize];
        if el.tag == Tag::Header && st.text < 600 {
            return true;
        }
        if !el.id_class.is_empty()
            && st.text < 400
            && INNER_FURNITURE.is_match(&el.id_class)
            && !MAYBE.is_match(&el.id_class)
        {
            return true;
        }
        if !el.id_class.is_empty() && CAPTION_CLASS.is_match(&el.id_class) && st.text < 600 {
            return true;
        }
        // Lists and blocks that are mostly links: related stories, tag clouds, menus.
        let ld = ctx.link_density(id);
        if matches!(el.tag, Tag::Table | Tag::Div | Tag::Section | Tag::Span) && ld > 0.5 {
            return true;
        }
        // Lists of links to the site's own pages are menus and related stories; lists
        // of links elsewhere (where to buy, sources, documents) are part of the story.
        if matches!(el.tag, Tag::Ul | Tag::Ol | Tag::Dl)
            && (ctx.internal_link_density(id) > 0.5 || (ld > 0.5 && ctx.base.is_none()))
        {
            return true;
        }
        if el.tag.is_heading() && ld > 0.6 {
            return true;
        }
        if el.tag == Tag::H1 {
            return true;
        }
        false
    }

    fn walk(&mut self, id: NodeId) {
        let dom = self.ctx.dom;
        match &dom.nodes[id as usize].data {
            NodeData::Text(t) => {
                if !dom.nodes[id as usize].hidden_text {
                    self.cur.push_str(t);
                    if self.in_link > 0 {
                        self.cur_link += t.trim().len();
                    }
                }
            }
            NodeData::Document => {
                for c in dom.children(id) {
                    self.walk(c);
                }
            }
            NodeData::Element(el) => {
                if self.skip_element(id, el) {
                    // A skipped inline element still separates words.
                    self.cur.push(' ');
                    return;
                }
                let block = el.tag.is_block() || el.tag == Tag::Br;
                if block {
                    self.flush();
                }
                if el.tag.is_heading() {
                    self.cur_heading = true;
                }
                // Only links to the same site count: teasers for the site's other stories.
                // Links elsewhere (shops, sources) are part of what the story says.
                let link = el.tag == Tag::A && self.ctx.is_internal(el.attr("href"));
                self.in_link += u32::from(link);
                for c in dom.children(id) {
                    self.walk(c);
                }
                self.in_link -= u32::from(link);
                if block {
                    self.flush();
                } else if matches!(el.tag, Tag::Td | Tag::Th | Tag::Li) {
                    self.cur.push(' ');
                }
            }
        }
    }
}

/// Short stock lines that are page furniture in any layout.
fn is_furniture_text(t: &str) -> bool {
    // Every stock line below is short.
    if t.len() > 64 {
        return false;
    }
    let l = t.to_lowercase();
    let l = l.trim_matches(|c: char| !c.is_alphanumeric());
    matches!(
        l,
        "advertisement"
            | "advertisment"
            | "iklan"
            | "ads"
            | "scroll to continue"
            | "scroll to continue with content"
            | "story continues below advertisement"
            | "continue reading below"
            | "share"
            | "share this"
            | "share this article"
            | "bagikan"
            | "bagikan artikel"
            | "tweet"
            | "print"
            | "email"
            | "comments"
            | "komentar"
            | "loading"
            | "sponsored"
            | "click to enlarge"
            | "enlarge this image"
            | "toggle caption"
            | "hide caption"
            | "close"
            | "more"
            | "read more"
            | "baca selengkapnya"
            | "this slideshow requires javascript"
            | "skip advertisement"
            | "advertisement continue reading below"
    )
}

/// `part / whole`, 0 for an empty whole.
fn share(part: u32, whole: u32) -> f32 {
    if whole == 0 {
        0.0
    } else {
        part as f32 / whole as f32
    }
}

/// The host of `base` without a leading `www.`: what [`internal_href`] compares with.
fn site_host(base: Option<&Url>) -> Option<&str> {
    let host = base?.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host))
}

/// True when `href` points at a page of the same site as `base` (or is relative);
/// `base` is the page's host as [`site_host`] gives it.
fn internal_href(base: Option<&str>, href: Option<&str>) -> bool {
    let Some(href) = href.map(str::trim) else {
        return false;
    };
    if href.starts_with('#') || href.starts_with("javascript:") || href.starts_with("mailto:") {
        return false;
    }
    if !(href.starts_with("http://") || href.starts_with("https://") || href.starts_with("//")) {
        return true;
    }
    let Some(base) = base else {
        return false;
    };
    let rest = strip_all(strip_all(strip_all(href, "https://"), "http://"), "//");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    host == base || is_subdomain(host, base) || is_subdomain(base, host)
}

/// `s` without any number of leading `prefix`es, as `trim_start_matches` gives it
/// (which builds a substring searcher per call).
fn strip_all<'a>(mut s: &'a str, prefix: &str) -> &'a str {
    while let Some(rest) = s.strip_prefix(prefix) {
        s = rest;
    }
    s
}

/// True when `host` ends with `.parent`.
fn is_subdomain(host: &str, parent: &str) -> bool {
    host.len() > parent.len()
        && host.ends_with(parent)
        && host.as_bytes()[host.len() - parent.len() - 1] == b'.'
}

/// True when most letters are capitals (a shouted promo line).
fn is_shouting(t: &str) -> bool {
    let (mut upper, mut letters) = (0, 0);
    for c in t.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if c.is_uppercase() {
            upper += 1;
        }
    }
    letters >= 12 && upper * 10 >= letters * 8
}

fn image_src(el: &crate::dom::Element) -> Option<&str> {
    for a in ["data-src", "data-lazy-src", "data-original", "src"] {
        if let Some(v) = el.attr(a) {
            if !v.starts_with("data:") && !v.trim().is_empty() {
                return Some(v);
            }
        }
    }
    el.attr("srcset")
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.split_whitespace().next())
}

fn collect_captions(ctx: &Ctx<'_>, scope: NodeId, body: &mut Body) {
    let dom = ctx.dom;
    let mut seen_caption_nodes: Vec<NodeId> = Vec::new();
    for id in dom.descendants(scope) {
        let Some(el) = dom.element(id) else { continue };
        if ctx.unlikely[id as usize] {
            continue;
        }
        let is_caption = el.tag == Tag::Figcaption
            || (!el.id_class.is_empty()
                && CAPTION_CLASS.is_match(&el.id_class)
                && !matches!(el.tag, Tag::Figure | Tag::Img | Tag::Picture)
                && ctx.stats[id as usize].text < 600);
        if !is_caption
            || seen_caption_nodes
                .iter()
                .any(|&s| dom.ancestors(id).any(|a| a == s))
        {
            continue;
        }
        seen_caption_nodes.push(id);
        // A credit in its own element inside the caption.
        let mut credit = None;
        let mut text = String::new();
        for d in dom.descendants(id) {
            if d == id {
                continue;
            }
            if let Some(e) = dom.element(d) {
                if !e.id_class.is_empty() && CREDIT_CLASS.is_match(&e.id_class) && credit.is_none()
                {
                    let c = squash(&dom.text_of(d));
                    if !c.is_empty() {
                        credit = Some(c);
                    }
                }
            }
        }
        for d in dom.descendants(id) {
            if let NodeData::Text(t) = &dom.nodes[d as usize].data {
                let inside_credit = credit.is_some()
                    && dom.ancestors(d).take_while(|&a| a != id).any(|a| {
                        dom.element(a).is_some_and(|e| {
                            !e.id_class.is_empty() && CREDIT_CLASS.is_match(&e.id_class)
                        })
                    });
                if !inside_credit && !dom.nodes[d as usize].hidden_text {
                    text.push_str(t);
                    text.push(' ');
                }
            }
        }
        let mut text = squash(&text);
        if let Some((t, c)) = split_caption_credit(&text) {
            text = t;
            credit = credit.or(Some(c));
        }
        let credit = credit.map(|c| credit_without_label(&c));
        if text.is_empty() && credit.is_none() {
            continue;
        }
        // The image this caption belongs to: inside the same figure, if any.
        let figure = std::iter::once(id)
            .chain(dom.ancestors(id))
            .take(4)
            .find(|&a| dom.tag(a) == Some(Tag::Figure));
        if let Some(f) = figure {
            if let Some(img) = dom.descendants(f).find(|&d| dom.tag(d) == Some(Tag::Img)) {
                if let Some(e) = dom.element(img) {
                    if let Some(src) = image_src(e).and_then(|s| absolute(ctx.base.as_ref(), s)) {
                        body.images.push(Image {
                            src,
                            alt: e.attr("alt").map(squash).filter(|a| !a.is_empty()),
                            caption: (!text.is_empty()).then(|| text.clone()),
                            credit: credit.clone(),
                        });
                    }
                }
            }
        }
        if !body.captions.iter().any(|c| c.text == text) {
            body.captions.push(Caption { text, credit });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::parse;

    const PAGE: &str = r##"<html><body>
      <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
      <div class="sidebar"><p>Popular: a very long list of things that are not the story, with commas, many, many.</p></div>
      <article><h1>The headline</h1>
        <div class="byline">By Jane Doe</div>
        <div class="article-body">
          <p>First paragraph of the story, which is long enough to count, with a comma or two, and more words.</p>
          <figure><img src="/a.jpg" alt="A"><figcaption>A man walks. (Photo: Jane Roe/Agency)</figcaption></figure>
          <p>Second paragraph, also long enough to count as text, with commas, clauses, and so on and so forth.</p>
          <h2>A subheading</h2>
          <p>Third paragraph after the heading: still the story, still with commas, still long enough to score.</p>
          <div class="share-bar"><a href="#">Share</a> <a href="#">Tweet</a></div>
          <ul class="list"><li><a href="/1">Related one</a></li><li><a href="/2">Related two</a></li></ul>
        </div>
      </article>
      <footer><p>Copyright, all rights reserved, and other footer text that goes on and on.</p></footer>
    </body></html>"##;

    #[test]
    fn finds_the_story_and_leaves_the_furniture() {
        let dom = parse(PAGE);
        let body = extract(
            &dom,
            Url::parse("https://example.org/x").ok(),
            Some("The headline"),
        );
        let texts: Vec<&str> = body.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert!(texts[0].starts_with("First paragraph"));
        assert_eq!(texts[2], "A subheading");
        assert!(body.blocks[2].heading);
        assert!(texts[3].starts_with("Third paragraph"));
        assert_eq!(body.captions.len(), 1);
        assert_eq!(body.images.len(), 1);
        assert_eq!(body.images[0].src, "https://example.org/a.jpg");
    }

    #[test]
    fn commas_of_other_scripts_count() {
        assert_eq!(count_text("a, b，c、d،e ｅ"), (10, 4));
        assert_eq!(count_text("x ﹐y ㄅz"), (5, 0));
    }

    #[test]
    fn inline_styles_that_hide() {
        assert!(declares("color:red; display : NONE", "display", "none"));
        assert!(declares("Visibility:hidden", "visibility", "hidden"));
        assert!(!declares(
            "display:block; --x-display:none-ish",
            "display",
            "block-x"
        ));
        assert!(!declares("display: flex", "display", "none"));
    }

    #[test]
    fn lists_of_links_elsewhere_stay_lists_of_own_links_go() {
        let html = r#"<html><body><article>
          <p>The controller is the most popular one this year, with a matte finish, long battery life, and a price cut.</p>
          <ul><li><a href="https://shop.example.com/item/1">Get it at the shop for $39.99</a></li></ul>
          <p>The console bundle also dropped in price for the holidays, and it ships with two games, a case and a code.</p>
          <ul><li><a href="/news/other-story">Another story on this site</a></li><li><a href="/news/more">More news here</a></li></ul>
        </article></body></html>"#;
        let dom = parse(html);
        let body = extract(
            &dom,
            Url::parse("https://news.example.org/deals").ok(),
            None,
        );
        let text: Vec<&str> = body.blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(text.contains(&"Get it at the shop for $39.99"), "{text:?}");
        assert!(
            !text.iter().any(|t| t.contains("Another story")),
            "{text:?}"
        );
    }
}
