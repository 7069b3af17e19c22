//! HTML pages: parse once, then metadata, body, dates and pagination.

use url::Url;
use warta_core::{Article, ExtractError, RawDoc};

use crate::content::{self};
use crate::dom::{self, Dom, ROOT, Tag};
use crate::meta::{self, absolute, squash, squash_into};

/// Extracts the article from an HTML page.
pub(crate) fn extract_html(doc: &RawDoc, html: &str) -> Result<Article, ExtractError> {
    let dom = dom::parse(html);
    let m = meta::collect(&dom);
    let mut a = Article {
        input: doc.input.clone(),
        url: doc.url.clone(),
        pages: 1,
        ..Article::default()
    };
    let page_url = doc.url.as_deref().and_then(|u| Url::parse(u).ok());
    a.canonical_url = m
        .canonical
        .as_deref()
        .and_then(|c| absolute(page_url.as_ref(), c))
        .or_else(|| doc.url.clone());
    let base = page_url
        .clone()
        .or_else(|| a.canonical_url.as_deref().and_then(|u| Url::parse(u).ok()));
    a.site = a
        .canonical_url
        .as_deref()
        .or(doc.url.as_deref())
        .and_then(meta::site_of);
    a.site_name = m.site_name.clone();
    // Title: JSON-LD/OpenGraph, else the page's <h1>, else <title> without the site name.
    let h1 = meta::first_h1(&dom);
    a.title = m
        .title
        .clone()
        .map(|t| meta::strip_site_from_title(&t, m.site_name.as_deref(), a.site.as_deref()))
        .or_else(|| h1.clone())
        .or_else(|| {
            m.html_title
                .as_deref()
                .map(|t| meta::strip_site_from_title(t, m.site_name.as_deref(), a.site.as_deref()))
        });
    a.description = m.description.clone();
    a.authors = if m.authors.is_empty() {
        meta::byline_from_dom(&dom)
    } else {
        m.authors.clone()
    };
    a.section = m.section.clone();
    a.language = m
        .language
        .as_deref()
        .map(|l| {
            l.split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        })
        .filter(|l| (2..=3).contains(&l.len()))
        .unwrap_or_default();
    let body = content::extract(&dom, base.clone(), a.title.as_deref());
    let mut blocks: Vec<(bool, String)> = body
        .blocks
        .into_iter()
        .map(|b| (b.heading, b.text))
        .collect();
    let found: usize = blocks.iter().map(|(_, t)| t.len()).sum();
    if let Some(ld) = &m.ld_body {
        // The page's own JSON-LD body is a second opinion when the layout defeats scoring.
        if found * 10 < ld.len() * 6 {
            blocks = ld
                .split('\n')
                .map(|p| (false, squash(p)))
                .filter(|(_, p)| !p.is_empty())
                .collect();
            a.warn(
                "body_from_json_ld",
                "the page layout gave little text; used the page's JSON-LD articleBody",
            );
        }
    }
    a.set_body(blocks);
    a.dateline = a
        .paragraphs
        .first()
        .and_then(|p| crate::text::dateline(p))
        .map(|d| d.text);
    a.captions = body.captions;
    a.images = body.images;
    if a.images.is_empty() {
        if let Some(src) = m
            .ld_image
            .as_deref()
            .or(m.og_image.as_deref())
            .and_then(|s| absolute(base.as_ref(), s))
        {
            a.images.push(warta_core::Image {
                src,
                alt: None,
                caption: None,
                credit: None,
            });
        }
    }
    let dates = crate::date::dates_from_dom(
        &dom,
        &m.json_ld,
        a.canonical_url.as_deref().or(doc.url.as_deref()),
    );
    a.published = dates.published;
    a.modified = dates.modified;
    a.next_page = next_page(
        &dom,
        m.next_link.as_deref(),
        base.as_ref(),
        a.canonical_url.as_deref(),
    );
    a.continues = a.next_page.is_some() || body.continues;
    if a.text.is_empty() {
        return Err(ExtractError::NoArticle {
            input: doc.input.clone(),
        });
    }
    if a.title.is_none() {
        a.warn("no_title", "no headline found on the page");
    }
    if a.published.is_none() {
        a.warn("no_date", "no publication date found on the page");
    }
    if a.text.chars().count() < 200 {
        a.warn(
            "short_text",
            "the article body is under 200 characters; the page may not be an article",
        );
    }
    meta::finish(&mut a);
    Ok(a)
}

const NEXT_WORDS: &[&str] = &[
    "halaman berikutnya",
    "halaman selanjutnya",
    "selanjutnya",
    "berikutnya",
    "next page",
    "next",
    "next »",
    "next ›",
    "›",
    "»",
    "lanjut",
    "lanjutkan",
    "page suivante",
    "siguiente",
];

/// The address of the story's next page: `rel=next`, a "next page" link, or the
/// numbered page link after the current one.
fn next_page(
    dom: &Dom,
    rel_next: Option<&str>,
    base: Option<&Url>,
    canonical: Option<&str>,
) -> Option<String> {
    let current = canonical.and_then(|c| Url::parse(c).ok());
    let same_site = |u: &str| -> bool {
        match (&current, Url::parse(u)) {
            (Some(c), Ok(n)) => c.host_str() == n.host_str() && c.as_str() != n.as_str(),
            (None, Ok(_)) => true,
            _ => false,
        }
    };
    if let Some(href) = rel_next.and_then(|h| absolute(base, h)) {
        if same_site(&href) {
            return Some(href);
        }
    }
    let mut numbered: Vec<(u32, String)> = Vec::new();
    // Buffers reused for every link: most pages have hundreds of links, and only the
    // few with a short "next"/page-number text matter.
    let (mut raw, mut text) = (String::new(), String::new());
    for id in dom.descendants(ROOT) {
        let Some(el) = dom.element(id) else { continue };
        if el.tag != Tag::A {
            continue;
        }
        let Some(href) = el.attr("href") else {
            continue;
        };
        let rel_next = el
            .attr("rel")
            .is_some_and(|rel| rel.split_whitespace().any(|r| r == "next"));
        // Pagination links are short: skip the text of long links without building it.
        if !short_text(dom, id, 40, &mut raw, &mut text) {
            continue;
        }
        let is_next = rel_next
            || (text.len() < 40 && NEXT_WORDS.contains(&text.as_str()) && in_pagination(dom, id));
        if is_next {
            if let Some(u) = absolute(base, href) {
                if same_site(&u) {
                    return Some(u);
                }
            }
        }
        if let Ok(n) = text.parse::<u32>() {
            if (2..100).contains(&n) && in_pagination(dom, id) {
                if let Some(u) = absolute(base, href) {
                    numbered.push((n, u));
                }
            }
        }
    }
    // Page 1 links to page 2 first.
    numbered.sort();
    numbered
        .into_iter()
        .find(|(n, u)| *n == 2 && same_site(u))
        .map(|(_, u)| u)
}

/// Puts the squashed, lowercased text under `id` in `out` and returns true when it is
/// at most `max` bytes (`raw` is scratch space; both are reused across calls).
fn short_text(dom: &Dom, id: u32, max: usize, raw: &mut String, out: &mut String) -> bool {
    raw.clear();
    out.clear();
    for n in dom.descendants(id) {
        if let crate::dom::NodeData::Text(t) = &dom.nodes[n as usize].data {
            if raw.len() + t.len() > max * 4 {
                return false;
            }
            raw.push_str(t);
        }
    }
    squash_into(raw, out);
    if out.is_ascii() {
        out.make_ascii_lowercase();
    } else {
        *out = out.to_lowercase();
    }
    out.len() <= max
}

/// True when a link sits in a pagination block (by class/id or aria-label).
fn in_pagination(dom: &Dom, id: u32) -> bool {
    std::iter::once(id)
        .chain(dom.ancestors(id))
        .take(5)
        .any(|a| {
            dom.element(a).is_some_and(|e| {
                let s = &e.id_class;
                s.contains("pag")
                    || s.contains("halaman")
                    || s.contains("page-nav")
                    || s.contains("next")
                    || e.attr("aria-label")
                        .is_some_and(|l| l.to_lowercase().contains("pag"))
            })
        })
}
