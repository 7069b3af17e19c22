//! The web UI: server-rendered pages (maud, escaped by default), no JavaScript. Search
//! with filters and facets; an article with its entities, quotes and time expressions
//! marked in the text; an entity with its timeline, co-occurring entities and quotes;
//! quotes by speaker. English or Indonesian by `?lang=` or `Accept-Language`.
//!
//! Article text is hostile input: everything from the store goes through maud's
//! escaping or [`esc`]; links out are made only for `http(s)` addresses.

use std::fmt::Write;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;
use warta_core::Article;
use warta_store::{Highlight, SearchSort, StoredArticle};

use crate::api::{self, QuotesParams, SearchParams};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::{AppState, blocking};

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query or path value (everything but unreserved characters and
/// `:`, which entity ids hold and both places allow).
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// An address safe to link to: `http` or `https` only.
fn safe_href(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(url)
}

/// The UI's language: English or Indonesian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tr {
    id: bool,
}

impl Tr {
    fn pick(lang: Option<&str>, headers: &HeaderMap) -> Tr {
        match lang {
            Some("id") => return Tr { id: true },
            Some("en") => return Tr { id: false },
            _ => {}
        }
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for part in accept.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("id") || tag.starts_with("ms") {
                return Tr { id: true };
            }
            if tag.starts_with("en") {
                return Tr { id: false };
            }
        }
        Tr { id: false }
    }

    /// The English or the Indonesian text.
    fn s(self, en: &'static str, id: &'static str) -> &'static str {
        if self.id { id } else { en }
    }

    fn code(self) -> &'static str {
        if self.id { "id" } else { "en" }
    }
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa;line-height:1.5}
header{background:#14213d;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header .brand{font-weight:700;font-size:1.2rem}
header .langs{margin-left:auto;font-size:.9rem}
main{display:flex;gap:1.5rem;padding:1rem 1.2rem;max-width:1200px;margin:auto;flex-wrap:wrap}
.content{flex:3;min-width:300px}.side{flex:1;min-width:220px;font-size:.92rem}
form.search{display:flex;flex-wrap:wrap;gap:.4rem;margin-bottom:1rem}
form.search input[type=search]{flex:1 1 320px;font-size:1.05rem;padding:.4rem}
form.search input,form.search select{padding:.3rem}
.hit{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:.7rem .9rem;margin-bottom:.7rem}
.hit h3{margin:0 0 .2rem 0;font-size:1.1rem}.meta{color:#666;font-size:.85rem}
mark{background:#ffe08a}
.ent{background:#e3f2fd;border-bottom:2px solid #64b5f6;text-decoration:none;color:inherit}
.ent.person{background:#fce4ec;border-color:#f06292}.ent.country,.ent.place{background:#e8f5e9;border-color:#81c784}
.quote{background:#fff8e1;border-left:3px solid #ffb300;padding:0 .15rem}
.speaker{font-size:.8rem;color:#8d6e00;margin-left:.2rem}
.time{background:#ede7f6;border-bottom:2px dotted #7e57c2}
.facet h4{margin:.8rem 0 .2rem 0}.facet ul{list-style:none;padding:0;margin:0}
.facet li a{text-decoration:none}.count{color:#888}
blockquote{margin:.5rem 0;padding:.4rem .8rem;background:#fff;border-left:4px solid #ffb300}
figure{margin:.6rem 0;padding:.4rem;background:#fff;border:1px solid #eee}figcaption .credit{color:#666;font-size:.85rem}
svg.timeline{width:100%;max-width:640px;height:auto;background:#fff;border:1px solid #eee}
.understood{background:#eef6ff;padding:.4rem .6rem;border-radius:4px;margin-bottom:.6rem}
nav.pages a{margin-right:1rem}
"#;

fn page(tr: Tr, title: &str, here: &str, body: &Markup) -> Markup {
    let switch = |code: &str| {
        let sep = if here.contains('?') { '&' } else { '?' };
        format!("{here}{sep}lang={code}")
    };
    html! {
        (DOCTYPE)
        html lang=(tr.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · warta" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    a.brand href={ "/?lang=" (tr.code()) } { "warta" }
                    a href={ "/?lang=" (tr.code()) } { (tr.s("Search", "Cari")) }
                    a href={ "/entities?lang=" (tr.code()) } { (tr.s("Entities", "Entitas")) }
                    a href={ "/quotes?lang=" (tr.code()) } { (tr.s("Quotes", "Kutipan")) }
                    span.langs {
                        a href=(switch("id")) hreflang="id" { "Bahasa Indonesia" }
                        " · "
                        a href=(switch("en")) hreflang="en" { "English" }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// The path and query of this page without `lang` (for the language switch).
fn here(path: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let mut s = path.to_string();
    let mut first = true;
    for (k, v) in pairs {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            s.push(if first { '?' } else { '&' });
            first = false;
            let _ = write!(s, "{k}={}", enc(v));
        }
    }
    s
}

fn error_page(tr: Tr, e: &ApiError) -> Response {
    let (title, message) = match e {
        ApiError::NotFound(_) => (
            tr.s("Not found", "Tidak ditemukan"),
            tr.s(
                "There is nothing at this address.",
                "Tidak ada apa pun di alamat ini.",
            )
            .to_string(),
        ),
        ApiError::Internal(_) => (
            tr.s("Something went wrong", "Terjadi kesalahan"),
            tr.s("Please try again later.", "Silakan coba lagi nanti.")
                .to_string(),
        ),
        other => (
            tr.s("Invalid request", "Permintaan tidak valid"),
            other.to_string(),
        ),
    };
    if let ApiError::Internal(detail) = e {
        tracing::error!(error = %detail, "Page failed.");
    }
    let body = html! { div.content { h1 { (title) } p { (message) } } };
    (e.status(), page(tr, title, "/", &body)).into_response()
}

/// 404 for any unknown address outside `/api`.
pub(crate) async fn not_found(headers: HeaderMap) -> Response {
    error_page(Tr::pick(None, &headers), &ApiError::NotFound("page"))
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(search_page))
        .route("/articles/{id}", get(article_page))
        .route("/entities", get(entities_page))
        .route("/entities/{id}", get(entity_page))
        .route("/quotes", get(quotes_page))
}

/// Parameters of the search page (`lang` is the UI's language; `language` filters).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct UiSearch {
    #[serde(default)]
    q: String,
    lang: Option<String>,
    language: Option<String>,
    entity: Option<String>,
    site: Option<String>,
    speaker: Option<String>,
    since: Option<String>,
    until: Option<String>,
    sort: Option<String>,
    offset: Option<usize>,
}

impl UiSearch {
    fn pairs(&self) -> Vec<(&'static str, Option<&str>)> {
        vec![
            ("q", Some(self.q.as_str())),
            ("language", self.language.as_deref()),
            ("entity", self.entity.as_deref()),
            ("site", self.site.as_deref()),
            ("speaker", self.speaker.as_deref()),
            ("since", self.since.as_deref()),
            ("until", self.until.as_deref()),
            ("sort", self.sort.as_deref()),
        ]
    }

    /// This search's URL with one parameter replaced (or removed with `None`).
    fn with(&self, tr: Tr, key: &str, value: Option<&str>) -> String {
        self.with_all(tr, &[(key, value)])
    }

    /// This search's URL with parameters replaced (or removed with `None`).
    fn with_all(&self, tr: Tr, changes: &[(&str, Option<&str>)]) -> String {
        let mut pairs: Vec<(&str, Option<&str>)> = self
            .pairs()
            .into_iter()
            .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
            .collect();
        pairs.extend_from_slice(changes);
        pairs.push(("lang", Some(tr.code())));
        here("/", &pairs)
    }

    fn has_any(&self) -> bool {
        self.pairs()
            .iter()
            .any(|(_, v)| v.is_some_and(|v| !v.is_empty()))
    }
}

fn highlight(h: &Highlight) -> Markup {
    let chars: Vec<char> = h.text.chars().collect();
    let mut s = String::new();
    let mut at = 0;
    for &[a, b] in &h.ranges {
        if a < at || b > chars.len() || a >= b {
            continue;
        }
        s.push_str(&esc(&chars[at..a].iter().collect::<String>()));
        s.push_str("<mark>");
        s.push_str(&esc(&chars[a..b].iter().collect::<String>()));
        s.push_str("</mark>");
        at = b;
    }
    s.push_str(&esc(&chars[at..].iter().collect::<String>()));
    PreEscaped(s)
}

async fn search_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<UiSearch>,
) -> Response {
    let tr = Tr::pick(p.lang.as_deref(), &headers);
    let params = SearchParams {
        q: p.q.clone(),
        lang: p.language.clone(),
        entity: p.entity.clone(),
        site: p.site.clone(),
        speaker: p.speaker.clone(),
        since: p.since.clone(),
        until: p.until.clone(),
        sort: match p.sort.as_deref() {
            Some("date") => Some(SearchSort::Date),
            _ => None,
        },
        limit: Some(20),
        offset: p.offset,
        ..SearchParams::default()
    };
    let searched = p.has_any();
    let result = if searched {
        let s = state.clone();
        match blocking(move || api::run_search(&s, &params)).await {
            Ok(r) => Some(r),
            Err(e) => return error_page(tr, &e),
        }
    } else {
        None
    };
    let sel = |v: &Option<String>, x: &str| v.as_deref() == Some(x);
    let body = html! {
        div.content {
            form.search method="get" action="/" role="search" {
                input type="hidden" name="lang" value=(tr.code());
                input type="search" name="q" value=(p.q) autofocus
                    placeholder=(tr.s("Search news: words, \"phrases\", names", "Cari berita: kata, \"frasa\", nama"))
                    aria-label=(tr.s("Search", "Cari"));
                select name="language" aria-label=(tr.s("Language", "Bahasa")) {
                    option value="" { (tr.s("Any language", "Semua bahasa")) }
                    option value="id" selected[sel(&p.language, "id")] { "Bahasa Indonesia" }
                    option value="en" selected[sel(&p.language, "en")] { "English" }
                }
                select name="sort" aria-label=(tr.s("Order", "Urutan")) {
                    option value="relevance" { (tr.s("Best match", "Paling cocok")) }
                    option value="date" selected[sel(&p.sort, "date")] { (tr.s("Newest", "Terbaru")) }
                }
                input type="text" name="site" value=(p.site.clone().unwrap_or_default())
                    placeholder=(tr.s("site", "situs")) size="12" aria-label=(tr.s("Site", "Situs"));
                input type="text" name="speaker" value=(p.speaker.clone().unwrap_or_default())
                    placeholder=(tr.s("speaker", "pembicara")) size="12" aria-label=(tr.s("Speaker", "Pembicara"));
                input type="date" name="since" value=(p.since.clone().unwrap_or_default()) aria-label=(tr.s("From", "Dari"));
                input type="date" name="until" value=(p.until.clone().unwrap_or_default()) aria-label=(tr.s("Until", "Sampai"));
                @if let Some(e) = &p.entity { input type="hidden" name="entity" value=(e); }
                button type="submit" { (tr.s("Search", "Cari")) }
            }
            @if let Some(r) = &result {
                @if !r.entities.is_empty() {
                    p.understood {
                        (tr.s("Also finding articles that name ", "Juga mencari artikel yang menyebut "))
                        @for (i, e) in r.entities.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href={ "/entities/" (enc(&e.id)) "?lang=" (tr.code()) } { (e.name) }
                            " (“" (e.words) "”)"
                        }
                    }
                }
                @if let Some(e) = &p.entity {
                    p.understood {
                        (tr.s("Only articles naming ", "Hanya artikel yang menyebut ")) strong { (e) } " · "
                        a href=(p.with(tr, "entity", None)) { (tr.s("remove", "hapus")) }
                    }
                }
                p.meta #total { (r.total) " " (tr.s("articles", "artikel")) }
                @if !r.quotes.is_empty() {
                    section.quotes {
                        h2 { (tr.s("Quotes", "Kutipan")) }
                        @for q in &r.quotes {
                            blockquote {
                                "“" (q.text) "”"
                                br;
                                span.speaker { "— " (q.speaker.clone().unwrap_or_default())
                                    " · " a href={ "/articles/" (enc(&q.article_id)) "?lang=" (tr.code()) } { (tr.s("article", "artikel")) } }
                            }
                        }
                    }
                }
                @for h in &r.hits {
                    article.hit {
                        h3 { a href={ "/articles/" (enc(&h.id)) "?lang=" (tr.code()) } {
                            (h.title.clone().unwrap_or_else(|| tr.s("(untitled)", "(tanpa judul)").to_string())) } }
                        div.meta {
                            (h.site.clone().unwrap_or_default())
                            @if let Some(d) = &h.published { " · " (d.get(..10).unwrap_or(d)) }
                            " · " (h.language)
                        }
                        @if let Some(hl) = &h.highlight { p.snippet { (highlight(hl)) } }
                    }
                }
                nav.pages {
                    @let off = r.offset;
                    @if off > 0 {
                        a href=(p.with(tr, "offset", Some(&off.saturating_sub(r.limit).to_string()))) { "← " (tr.s("Previous", "Sebelumnya")) }
                    }
                    @if (off + r.limit) < r.total as usize && off + r.limit <= api::MAX_OFFSET {
                        a href=(p.with(tr, "offset", Some(&(off + r.limit).to_string()))) { (tr.s("Next", "Berikutnya")) " →" }
                    }
                }
            } @else {
                p { (tr.s("Search the articles in this store: words, \"phrases\", AND, OR, NOT, names in any language (Korut, North Korea, Korea Utara).",
                          "Cari artikel di penyimpanan ini: kata, \"frasa\", AND, OR, NOT, nama dalam bahasa apa pun (Korut, North Korea, Korea Utara).")) }
            }
        }
        @if let Some(f) = result.as_ref().and_then(|r| r.facets.as_ref()) {
            aside.side {
                div.facet {
                    h4 { (tr.s("Language", "Bahasa")) }
                    ul { @for c in &f.language { li { a href=(p.with(tr, "language", Some(&c.value))) { (c.value) } " " span.count { (c.count) } } } }
                    h4 { (tr.s("Site", "Situs")) }
                    ul { @for c in f.site.iter().take(10) { li { a href=(p.with(tr, "site", Some(&c.value))) { (c.value) } " " span.count { (c.count) } } } }
                    h4 { (tr.s("Entities", "Entitas")) }
                    ul { @for c in &f.entity { li { a href=(p.with(tr, "entity", Some(&c.value))) { (c.name) } " " span.count { (c.count) } } } }
                    h4 { (tr.s("Month", "Bulan")) }
                    ul { @for c in f.month.iter().rev().take(24) { li {
                        a href=(p.with_all(tr, &[("since", Some(&c.value)), ("until", Some(&c.value))])) { (c.value) } " " span.count { (c.count) } } } }
                }
            }
        }
    };
    let title = if p.q.is_empty() {
        tr.s("Search", "Cari").to_string()
    } else {
        p.q.clone()
    };
    page(tr, &title, &here("/", &p.pairs()), &body).into_response()
}

/// One marked range of the article text.
#[derive(Debug, Clone)]
struct Mark {
    start: usize,
    end: usize,
    open: String,
    close: &'static str,
}

/// Article text as paragraphs with entity mentions, time expressions and quotes marked.
fn marked_text(a: &Article, tr: Tr) -> Markup {
    let chars: Vec<char> = a.text.chars().collect();
    let n = chars.len();
    // Quotes: outer marks.
    let mut quotes: Vec<Mark> = Vec::new();
    for q in a.quotes.iter().flatten() {
        if q.start < q.end && q.end <= n {
            let who = q.speaker.clone().unwrap_or_default();
            quotes.push(Mark {
                start: q.start,
                end: q.end,
                open: format!(
                    r#"<span class="quote" title="{}">"#,
                    esc(&format!("{}: {who}", tr.s("Quote", "Kutipan")))
                ),
                close: "</span>",
            });
        }
    }
    quotes.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut outer: Vec<Mark> = Vec::new();
    for m in quotes {
        if outer.last().is_none_or(|l| m.start >= l.end) {
            outer.push(m);
        }
    }
    // Mentions and times: inner marks, not crossing a quote's edge.
    let mut inner: Vec<Mark> = Vec::new();
    for e in a.entities.iter().flatten() {
        let kind = format!("{:?}", e.kind).to_lowercase();
        for m in e.mentions.iter().filter(|m| m.field == "text") {
            inner.push(Mark {
                start: m.start,
                end: m.end,
                open: format!(
                    r#"<a class="ent {kind}" href="/entities/{}?lang={}" title="{}">"#,
                    esc(&enc(&e.id)),
                    tr.code(),
                    esc(&e.name)
                ),
                close: "</a>",
            });
        }
    }
    for t in a.times.iter().flatten() {
        inner.push(Mark {
            start: t.start,
            end: t.end,
            open: format!(
                r#"<time class="time" datetime="{0}" title="{0}">"#,
                esc(&t.value)
            ),
            close: "</time>",
        });
    }
    inner.retain(|m| {
        m.start < m.end
            && m.end <= n
            && !outer.iter().any(|q| {
                (m.start < q.start && m.end > q.start) || (m.start < q.end && m.end > q.end)
            })
    });
    inner.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut kept: Vec<Mark> = Vec::new();
    for m in inner {
        if kept.last().is_none_or(|l| m.start >= l.end) {
            kept.push(m);
        }
    }
    // Walk the text paragraph by paragraph.
    let mut html = String::new();
    let mut pos = 0;
    let text: String = chars.iter().collect();
    for para in text.split("\n\n") {
        let len = para.chars().count();
        let (ps, pe) = (pos, pos + len);
        pos = pe + 2;
        if para.trim().is_empty() {
            continue;
        }
        let heading = a.headings.iter().any(|h| h == para);
        html.push_str(if heading { "<h3>" } else { "<p>" });
        let mut bounds: Vec<usize> = vec![ps, pe];
        for m in outer.iter().chain(&kept) {
            for b in [m.start, m.end] {
                if b > ps && b < pe {
                    bounds.push(b);
                }
            }
        }
        bounds.sort_unstable();
        bounds.dedup();
        for w in bounds.windows(2) {
            let (a0, b0) = (w[0], w[1]);
            let q = outer.iter().find(|m| m.start <= a0 && a0 < m.end);
            let i = kept.iter().find(|m| m.start <= a0 && a0 < m.end);
            let mut piece = String::new();
            if let Some(q) = q {
                piece.push_str(&q.open);
            }
            if let Some(i) = i {
                piece.push_str(&i.open);
            }
            piece.push_str(&esc(&chars[a0..b0].iter().collect::<String>()));
            if let Some(i) = i {
                piece.push_str(i.close);
            }
            if let Some(q) = q {
                piece.push_str(q.close);
                if q.end == b0 {
                    let who = a
                        .quotes
                        .iter()
                        .flatten()
                        .find(|x| x.start == q.start && x.end == q.end)
                        .and_then(|x| x.speaker.clone());
                    if let Some(who) = who {
                        let _ = write!(piece, r#"<span class="speaker">— {}</span>"#, esc(&who));
                    }
                }
            }
            html.push_str(&piece);
        }
        html.push_str(if heading { "</h3>" } else { "</p>" });
    }
    PreEscaped(html)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LangOnly {
    lang: Option<String>,
}

async fn article_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<LangOnly>,
) -> Response {
    let tr = Tr::pick(q.lang.as_deref(), &headers);
    let store = state.store.clone();
    let look = id.clone();
    let stored: StoredArticle =
        match blocking(move || store.article(&look)?.ok_or(ApiError::NotFound("article"))).await {
            Ok(s) => s,
            Err(e) => return error_page(tr, &e),
        };
    let a = &stored.article;
    let title = a
        .title
        .clone()
        .unwrap_or_else(|| tr.s("(untitled)", "(tanpa judul)").into());
    let mut entities: Vec<&warta_core::Entity> = a
        .entities
        .iter()
        .flatten()
        .filter(|e| e.role.as_deref() != Some("credit"))
        .collect();
    entities.sort_by(|x, y| {
        y.mentions
            .len()
            .cmp(&x.mentions.len())
            .then(x.name.cmp(&y.name))
    });
    let lang = tr.code();
    let body = html! {
        article.content {
            h1 #title { (title) }
            p.meta {
                (a.site_name.clone().or(a.site.clone()).unwrap_or_default())
                @if let Some(d) = &a.published { " · " time datetime=(d) { (d) } }
                " · " (a.language)
                @if !a.authors.is_empty() { " · " (a.authors.join(", ")) }
                @if let Some(u) = a.canonical_url.as_deref().or(a.url.as_deref()).and_then(safe_href) {
                    " · " a href=(u) rel="noopener noreferrer nofollow" { (tr.s("source", "sumber")) }
                }
            }
            @if let Some(d) = &a.description { p { em { (d) } } }
            @for c in &a.captions {
                figure { figcaption { (c.text) @if let Some(cr) = &c.credit { " " span.credit { "(" (tr.s("Photo: ", "Foto: ")) (cr) ")" } } } }
            }
            div #text { (marked_text(a, tr)) }
            @if let Some(of) = &stored.duplicate_of {
                p.meta { (tr.s("A copy of ", "Salinan dari ")) a href={ "/articles/" (enc(of)) "?lang=" (lang) } { (of) } }
            }
            @if !stored.copies.is_empty() {
                section #copies {
                    h2 { (tr.s("Also published as", "Juga terbit sebagai")) }
                    ul { @for c in &stored.copies { li {
                        (c.title.clone().unwrap_or_default()) " · " (c.site.clone().unwrap_or_default()) " "
                        @if let Some(u) = c.url.as_deref().and_then(safe_href) {
                            a href=(u) rel="noopener noreferrer nofollow" { (tr.s("source", "sumber")) }
                        }
                    } } }
                }
            }
        }
        aside.side {
            h2 { (tr.s("Named here", "Disebut di sini")) }
            ul #entities { @for e in &entities { li {
                a href={ "/entities/" (enc(&e.id)) "?lang=" (lang) } { (e.name) }
                " " span.count { (format!("{:?}", e.kind).to_lowercase()) " · " (e.mentions.len()) }
            } } }
            @if a.quotes.as_ref().is_some_and(|q| !q.is_empty()) {
                h2 { (tr.s("Quotes", "Kutipan")) }
                @for q in a.quotes.iter().flatten() {
                    blockquote {
                        "“" (q.text) "”" br;
                        span.speaker { "— " (q.speaker.clone().unwrap_or_else(|| tr.s("unknown speaker", "pembicara tak diketahui").into()))
                            @if let Some(d) = &q.speaker_description { ", " (d) } }
                    }
                }
            }
            @if a.times.as_ref().is_some_and(|t| !t.is_empty()) {
                h2 { (tr.s("Dates", "Waktu")) }
                ul { @for t in a.times.iter().flatten() { li { (t.text) " → " code { (t.value) } } } }
            }
        }
    };
    page(tr, &title, &format!("/articles/{}", enc(&id)), &body).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct UiEntities {
    #[serde(default)]
    q: String,
    lang: Option<String>,
}

async fn entities_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<UiEntities>,
) -> Response {
    let tr = Tr::pick(p.lang.as_deref(), &headers);
    let s = state.clone();
    let q = p.q.clone();
    let found = match blocking(move || api::find_entities(&s, &q, 50)).await {
        Ok(f) => f,
        Err(e) => return error_page(tr, &e),
    };
    let body = html! {
        div.content {
            form.search method="get" action="/entities" {
                input type="hidden" name="lang" value=(tr.code());
                input type="search" name="q" value=(p.q) placeholder=(tr.s("Name or alias", "Nama atau alias")) aria-label=(tr.s("Entity", "Entitas"));
                button type="submit" { (tr.s("Find", "Temukan")) }
            }
            ul #found { @for e in &found { li {
                a href={ "/entities/" (enc(&e.id)) "?lang=" (tr.code()) } { (e.name) }
                " " span.count { (e.kind) " · " (e.articles) " " (tr.s("articles", "artikel")) }
            } } }
        }
    };
    page(
        tr,
        tr.s("Entities", "Entitas"),
        &here("/entities", &[("q", Some(&p.q))]),
        &body,
    )
    .into_response()
}

async fn entity_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<LangOnly>,
) -> Response {
    let tr = Tr::pick(q.lang.as_deref(), &headers);
    let s = state.clone();
    let look = id.clone();
    let d = match blocking(move || api::entity_detail(&s, &look)).await {
        Ok(d) => d,
        Err(e) => return error_page(tr, &e),
    };
    let lang = tr.code();
    let chart = crate::svg::timeline(
        &d.timeline,
        &format!(
            "{}: {}",
            tr.s("Articles per month", "Artikel per bulan"),
            d.entity.name
        ),
    );
    let body = html! {
        div.content {
            h1 #title { (d.entity.name) }
            p.meta { (d.entity.kind) @if let Some(c) = &d.entity.country { " · " (c) }
                " · " (d.entity.articles) " " (tr.s("articles", "artikel")) " · " (d.entity.mentions) " " (tr.s("mentions", "sebutan")) }
            p { a href={ "/?entity=" (enc(&d.entity.id)) "&lang=" (lang) } { (tr.s("Search within its articles", "Cari di artikel-artikelnya")) } }
            h2 { (tr.s("Articles per month", "Artikel per bulan")) }
            div #timeline { (PreEscaped(chart)) }
            @if !d.quotes.is_empty() {
                h2 { (tr.s("Quotes", "Kutipan")) }
                div #quotes { @for q in &d.quotes { blockquote {
                    "“" (q.text) "”" br;
                    span.speaker { (q.published.clone().unwrap_or_default().get(..10).unwrap_or_default()) " · "
                        a href={ "/articles/" (enc(&q.article_id)) "?lang=" (lang) } { (tr.s("article", "artikel")) } }
                } } }
            }
            h2 { (tr.s("Latest articles", "Artikel terbaru")) }
            ul #articles { @for a in &d.articles { li {
                a href={ "/articles/" (enc(&a.id)) "?lang=" (lang) } { (a.title.clone().unwrap_or_default()) }
                " " span.count { (a.site.clone().unwrap_or_default()) " · " (a.published.clone().unwrap_or_default().get(..10).unwrap_or_default()) }
            } } }
        }
        aside.side {
            h2 { (tr.s("Named with", "Disebut bersama")) }
            ul #cooccurring { @for c in &d.cooccurring { li {
                a href={ "/entities/" (enc(&c.id)) "?lang=" (lang) } { (c.name) } " " span.count { (c.articles) }
            } } }
        }
    };
    page(
        tr,
        &d.entity.name,
        &format!("/entities/{}", enc(&id)),
        &body,
    )
    .into_response()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct UiQuotes {
    speaker: Option<String>,
    q: Option<String>,
    lang: Option<String>,
}

async fn quotes_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<UiQuotes>,
) -> Response {
    let tr = Tr::pick(p.lang.as_deref(), &headers);
    let s = state.clone();
    let params = QuotesParams {
        speaker: p.speaker.clone(),
        q: p.q.clone(),
        limit: Some(100),
    };
    let found = match blocking(move || api::find_quotes(&s, &params)).await {
        Ok(f) => f,
        Err(e) => return error_page(tr, &e),
    };
    let lang = tr.code();
    let body = html! {
        div.content {
            form.search method="get" action="/quotes" {
                input type="hidden" name="lang" value=(lang);
                input type="text" name="speaker" value=(p.speaker.clone().unwrap_or_default()) placeholder=(tr.s("Speaker", "Pembicara")) aria-label=(tr.s("Speaker", "Pembicara"));
                input type="search" name="q" value=(p.q.clone().unwrap_or_default()) placeholder=(tr.s("Words", "Kata")) aria-label=(tr.s("Words", "Kata"));
                button type="submit" { (tr.s("Find quotes", "Cari kutipan")) }
            }
            p.meta { (found.len()) " " (tr.s("quotes", "kutipan")) }
            @for q in &found { blockquote {
                "“" (q.text) "”" br;
                span.speaker { "— "
                    @if let Some(e) = &q.speaker_entity {
                        a href={ "/entities/" (enc(e)) "?lang=" (lang) } { (q.speaker.clone().unwrap_or_default()) }
                    } @else { (q.speaker.clone().unwrap_or_else(|| tr.s("unknown speaker", "pembicara tak diketahui").into())) }
                    @if let Some(d) = &q.speaker_description { ", " (d) }
                    " · " a href={ "/articles/" (enc(&q.article_id)) "?lang=" (lang) } { (q.published.clone().unwrap_or_default().get(..10).unwrap_or_default()) " " (tr.s("article", "artikel")) }
                }
            } }
        }
    };
    page(
        tr,
        tr.s("Quotes", "Kutipan"),
        &here(
            "/quotes",
            &[("speaker", p.speaker.as_deref()), ("q", p.q.as_deref())],
        ),
        &body,
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_links() {
        assert_eq!(
            esc(r#"<a href="x">'&"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
        );
        assert_eq!(enc("country:KP a/b"), "country:KP%20a%2Fb");
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href(" JAVASCRIPT:alert(1)").is_none());
        assert_eq!(safe_href("https://x.test/a"), Some("https://x.test/a"));
    }
}
