//! Page metadata: JSON-LD, OpenGraph and other meta tags, `<link>`, `<title>`.
//!
//! Each field is taken from the most trusted source that has it: JSON-LD
//! (`NewsArticle` and kin) first, then OpenGraph/Twitter/Dublin Core meta tags,
//! then plain meta tags and `<title>`.

use serde_json::Value;
use url::Url;
use warta_core::{Article, article_id};

use crate::dom::{Dom, ROOT, Tag};

/// What the page says about itself.
#[derive(Debug, Default, Clone)]
pub(crate) struct PageMeta {
    pub(crate) title: Option<String>,
    pub(crate) html_title: Option<String>,
    pub(crate) og_title: Option<String>,
    pub(crate) site_name: Option<String>,
    pub(crate) canonical: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) authors: Vec<String>,
    pub(crate) section: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) next_link: Option<String>,
    /// JSON-LD `articleBody`, when the page carries one.
    pub(crate) ld_body: Option<String>,
    pub(crate) ld_image: Option<String>,
    pub(crate) og_image: Option<String>,
    /// Every JSON-LD object on the page, `@graph`s flattened.
    pub(crate) json_ld: Vec<Value>,
}

/// Schema.org types that describe the page's own article (its headline, dates, author).
pub(crate) const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "ScholarlyArticle",
    "SocialMediaPosting",
    "TechArticle",
    "Blog",
    "Review",
    "Recipe",
    "HowTo",
];

/// True when a JSON-LD object's `@type` (a string or a list) is one of `types`.
pub(crate) fn has_type(v: &Value, types: &[&str]) -> bool {
    match v.get("@type") {
        Some(Value::String(s)) => types.contains(&s.as_str()),
        Some(Value::Array(a)) => a
            .iter()
            .any(|t| t.as_str().is_some_and(|s| types.contains(&s))),
        _ => false,
    }
}

fn flatten(v: Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten(i, out)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten(graph, out);
            }
            if !map.is_empty() {
                out.push(Value::Object(map));
            }
        }
        _ => {}
    }
}

/// Parses the page's JSON-LD blocks, tolerating the usual breakage (trailing
/// semicolons, HTML comments, raw newlines in strings).
pub(crate) fn parse_json_ld(blocks: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    for raw in blocks {
        let t = raw
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim();
        let t = t.trim_end_matches(';');
        let v = serde_json::from_str::<Value>(t).or_else(|_| {
            let cleaned: String = t
                .chars()
                .map(|c| {
                    if c == '\n' || c == '\r' || c == '\t' {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            serde_json::from_str::<Value>(&cleaned)
        });
        if let Ok(v) = v {
            flatten(v, &mut out);
        }
    }
    out
}

/// Text of a JSON-LD value that may be a string, an object with `name`, or a list.
fn names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Object(m) => {
            if let Some(Value::String(s)) = m.get("name") {
                out.push(s.clone());
            }
        }
        Value::Array(a) => a.iter().for_each(|x| names(x, out)),
        _ => {}
    }
}

fn str_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(|x| x.as_str().map(str::to_string)),
        Value::Object(m) => m
            .get("@id")
            .or_else(|| m.get("url"))
            .or_else(|| m.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

/// Collapses runs of whitespace to one space and trims.
pub(crate) fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    squash_into(s, &mut out);
    out
}

/// Appends the words of `s` (split as [`str::split_whitespace`] splits) to `out`,
/// one space between words (and before the first when `out` is not empty).
///
/// Scans bytes rather than decoding characters: the only bytes that can start a
/// whitespace character are ASCII spaces and the lead bytes of U+0080–U+00BF,
/// U+1680, U+2000–U+20FF and U+3000, so every other byte is part of a word.
pub(crate) fn squash_into(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let n = b.len();
    // Copies runs of words separated by single ASCII spaces (most of any text) whole.
    let mut i = skip_spaces(s, 0);
    let mut run = i;
    while i < n {
        if !MAY_START_SPACE[usize::from(b[i])] {
            i += 1;
            continue;
        }
        let l = space_len(s, i);
        if l == 0 {
            i += 1;
            continue;
        }
        let next = i + 1;
        if b[i] == b' '
            && next < n
            && (!MAY_START_SPACE[usize::from(b[next])] || space_len(s, next) == 0)
        {
            i = next;
            continue;
        }
        push_words(out, &s[run..i]);
        i = skip_spaces(s, i);
        run = i;
    }
    if run < n {
        push_words(out, &s[run..n]);
    }
}

/// The number of words in `s`, as `s.split_whitespace().count()` counts them (with
/// the byte scan of [`squash_into`]).
pub(crate) fn word_count(s: &str) -> usize {
    let b = s.as_bytes();
    let mut words = 0;
    let mut i = skip_spaces(s, 0);
    while i < b.len() {
        words += 1;
        // To the end of the word, then past the whitespace after it.
        while i < b.len() && (!MAY_START_SPACE[usize::from(b[i])] || space_len(s, i) == 0) {
            i += 1;
        }
        i = skip_spaces(s, i);
    }
    words
}

/// Appends `words` (not empty, no whitespace at either end) to `out`, after a space
/// when `out` already holds words.
fn push_words(out: &mut String, words: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(words);
}

/// Where the whitespace starting at byte `i` of `s` ends.
fn skip_spaces(s: &str, mut i: usize) -> usize {
    while i < s.len() {
        match space_len(s, i) {
            0 => break,
            l => i += l,
        }
    }
    i
}

/// Bytes that may start a whitespace character (see [`squash_into`]).
const MAY_START_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = matches!(i, 0x09..=0x0d | 0x20 | 0xc2 | 0xe1 | 0xe2 | 0xe3);
        i += 1;
    }
    t
};

/// The length of the whitespace character at byte `i` of `s`, 0 when there is none
/// there (also inside a multi-byte character).
fn space_len(s: &str, i: usize) -> usize {
    match s.as_bytes()[i] {
        0x09..=0x0d | b' ' => 1,
        // Lead bytes, so `i` is a character boundary.
        0xc2 | 0xe1 | 0xe2 | 0xe3 => s[i..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| squash(&s)).filter(|s| !s.is_empty())
}

/// Reads the page's metadata.
pub(crate) fn collect(dom: &Dom) -> PageMeta {
    let mut m = PageMeta {
        json_ld: parse_json_ld(&dom.json_ld),
        ..PageMeta::default()
    };
    let mut meta_author: Vec<String> = Vec::new();
    let mut twitter_title = None;
    let mut plain_title = None;
    let mut plain_description = None;
    for id in dom.descendants(ROOT) {
        let Some(el) = dom.element(id) else { continue };
        match el.tag {
            Tag::Meta => {
                let key = meta_key(el).unwrap_or("").to_ascii_lowercase();
                let Some(content) = el.attr("content").map(str::to_string) else {
                    continue;
                };
                match key.as_str() {
                    "og:title" => m.og_title = m.og_title.take().or(Some(content)),
                    "twitter:title" => twitter_title = twitter_title.or(Some(content)),
                    "title" | "dc.title" | "headline" | "sailthru.title" | "parsely-title" => {
                        plain_title = plain_title.or(Some(content))
                    }
                    "og:site_name" | "application-name" => {
                        m.site_name = m.site_name.take().or(Some(content))
                    }
                    "og:url" => m.canonical = m.canonical.take().or(Some(content)),
                    "og:description" | "description" | "twitter:description" => {
                        plain_description = plain_description.or(Some(content))
                    }
                    "author" | "article:author" | "dc.creator" | "sailthru.author"
                    | "parsely-author" | "byl" | "content_author"
                        if !content.starts_with("http") =>
                    {
                        meta_author.push(content);
                    }
                    "article:section" | "section" | "parsely-section" => {
                        m.section = m.section.take().or(Some(content))
                    }
                    "og:image" | "twitter:image" => {
                        m.og_image = m.og_image.take().or(Some(content))
                    }
                    "og:locale" | "content-language" | "language" => {
                        m.language = m.language.take().or(Some(content))
                    }
                    _ => {}
                }
            }
            Tag::Link => {
                let rel = el.attr("rel").unwrap_or("").to_ascii_lowercase();
                let href = el.attr("href").map(str::to_string);
                if rel.split_whitespace().any(|r| r == "canonical") {
                    // The <link rel=canonical> beats og:url.
                    if href.is_some() {
                        m.canonical = href;
                    }
                } else if rel.split_whitespace().any(|r| r == "next") {
                    m.next_link = m.next_link.take().or(href);
                }
            }
            Tag::Html => {
                if let Some(lang) = el.attr("lang") {
                    m.language = Some(lang.to_string());
                }
            }
            _ => {}
        }
    }
    // JSON-LD first.
    let article = m
        .json_ld
        .iter()
        .find(|v| has_type(v, ARTICLE_TYPES))
        .cloned();
    if let Some(a) = &article {
        m.title = nonempty(str_of(a.get("headline")).or_else(|| str_of(a.get("name"))));
        let mut authors = Vec::new();
        if let Some(v) = a.get("author").or_else(|| a.get("creator")) {
            names(v, &mut authors);
        }
        m.authors = authors;
        if let Some(p) = a.get("publisher") {
            let mut pubs = Vec::new();
            names(p, &mut pubs);
            if let Some(name) = pubs.into_iter().next() {
                m.site_name = m.site_name.take().or(Some(name));
            }
        }
        if let Some(s) = str_of(a.get("articleSection")) {
            m.section = Some(s);
        }
        if let Some(d) = str_of(a.get("description")) {
            plain_description = plain_description.or(Some(d));
        }
        if m.canonical.is_none() {
            m.canonical = str_of(a.get("url")).or_else(|| str_of(a.get("mainEntityOfPage")));
        }
        m.ld_body = nonempty(str_of(a.get("articleBody")));
        m.ld_image = str_of(a.get("image"));
        if m.language.is_none() {
            m.language = str_of(a.get("inLanguage"));
        }
    }
    m.html_title = nonempty(dom.title.clone());
    m.og_title = nonempty(m.og_title.take());
    if m.title.is_none() {
        m.title = m
            .og_title
            .clone()
            .or_else(|| nonempty(twitter_title))
            .or_else(|| nonempty(plain_title));
    }
    if m.authors.is_empty() {
        m.authors = meta_author;
    }
    m.authors = clean_authors(&m.authors);
    m.description = nonempty(plain_description);
    m.site_name = nonempty(m.site_name.take());
    m.section = nonempty(m.section.take());
    m
}

/// What a `<meta>` tag names: `property`, `name`, `itemprop` or `http-equiv`, first found.
pub(crate) fn meta_key(el: &crate::dom::Element) -> Option<&str> {
    el.attr("property")
        .or_else(|| el.attr("name"))
        .or_else(|| el.attr("itemprop"))
        .or_else(|| el.attr("http-equiv"))
}

/// Cleans byline names: drops "By"/"Oleh", roles, URLs, duplicates; splits "A and B".
pub(crate) fn clean_authors(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in raw {
        let r = squash(r);
        let r = r.trim();
        let lower = r.to_lowercase();
        let r = [
            "by ",
            "oleh ",
            "oleh: ",
            "by: ",
            "penulis: ",
            "penulis ",
            "reporter: ",
            "author: ",
        ]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(r, |p| r[p.len()..].trim());
        if r.is_empty() || r.starts_with("http") || r.len() > 80 {
            continue;
        }
        for part in r
            .split([',', '&', ';', '|'])
            .flat_map(|p| p.split(" and "))
            .flat_map(|p| p.split(" dan "))
        {
            let name = part.trim().trim_end_matches('.').trim();
            if name.is_empty() || name.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            if !out.iter().any(|o| o.eq_ignore_ascii_case(name)) {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// Resolves a link against the page address.
pub(crate) fn absolute(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with("javascript:") || href.starts_with("data:") {
        return None;
    }
    match base {
        Some(b) => b.join(href).ok().map(String::from),
        None => Url::parse(href).ok().map(String::from),
    }
}

/// Host of a URL without `www.`.
pub(crate) fn site_of(url: &str) -> Option<String> {
    let u = Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// Fills the derived fields every record has: `site`, `id`, `language` placeholder.
pub(crate) fn finish(a: &mut Article) {
    if a.site.is_none() {
        a.site = a
            .canonical_url
            .as_deref()
            .or(a.url.as_deref())
            .and_then(site_of);
    }
    if a.language.is_empty() {
        a.language = "und".to_string();
    }
    if a.pages == 0 {
        a.pages = 1;
    }
    a.id = article_id(a.canonical_url.as_deref(), a.title.as_deref(), &a.text);
}

/// Byline names shown on the page (`itemprop=author`, `rel=author`, `class~=byline|author`),
/// for pages whose metadata names no author.
pub(crate) fn byline_from_dom(dom: &Dom) -> Vec<String> {
    for id in dom.descendants(ROOT) {
        let Some(el) = dom.element(id) else { continue };
        let marked = el.attr("itemprop").is_some_and(|p| p.contains("author"))
            || el
                .attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|x| x == "author"))
            || (!el.id_class.is_empty()
                && (el.id_class.contains("byline")
                    || el.id_class.split([' ', '-', '_']).any(|w| w == "author")));
        if !marked {
            continue;
        }
        let text = squash(&dom.text_of(id));
        if text.is_empty()
            || text.len() > 100
            || text.chars().filter(|c| c.is_ascii_digit()).count() > 2
        {
            continue;
        }
        let names = clean_authors(&[text]);
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// Text of the first `<h1>` in the page, if any.
pub(crate) fn first_h1(dom: &Dom) -> Option<String> {
    let id = dom
        .descendants(ROOT)
        .find(|&n| dom.tag(n) == Some(Tag::H1))?;
    let t = squash(&dom.text_of(id));
    (!t.is_empty()).then_some(t)
}

/// Removes a trailing or leading site name from a `<title>` ("Story | Site").
pub(crate) fn strip_site_from_title(
    title: &str,
    site_name: Option<&str>,
    site: Option<&str>,
) -> String {
    const SEPS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · "];
    let mut best = title.to_string();
    for sep in SEPS {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail_l = tail.to_lowercase();
            let names_site = site_name.is_some_and(|n| tail_l.contains(&n.to_lowercase()))
                || site.is_some_and(|s| {
                    let root = s.split('.').next().unwrap_or(s);
                    tail_l.replace(' ', "").contains(root)
                });
            if names_site
                || tail.split_whitespace().count() <= 3 && head.split_whitespace().count() >= 4
            {
                best = head.trim().to_string();
                break;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::parse;

    #[test]
    fn json_ld_beats_meta_tags() {
        let dom = parse(
            r#"<head><title>Old | Site</title><meta property="og:title" content="OG title">
            <meta name="author" content="Meta Person">
            <link rel="canonical" href="https://example.org/a">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"X"},
              {"@type":"NewsArticle","headline":"LD headline","author":[{"@type":"Person","name":"Ana Putri"},{"name":"Budi"}],
               "publisher":{"name":"Example News"},"articleSection":"World"}]}</script></head>"#,
        );
        let m = collect(&dom);
        assert_eq!(m.title.as_deref(), Some("LD headline"));
        assert_eq!(m.authors, vec!["Ana Putri", "Budi"]);
        assert_eq!(m.site_name.as_deref(), Some("Example News"));
        assert_eq!(m.canonical.as_deref(), Some("https://example.org/a"));
        assert_eq!(m.section.as_deref(), Some("World"));
    }

    #[test]
    fn bylines_are_cleaned() {
        let v = clean_authors(&[
            "By Jane Doe and John Roe".into(),
            "Oleh: Siti".into(),
            "https://x/y".into(),
        ]);
        assert_eq!(v, vec!["Jane Doe", "John Roe", "Siti"]);
    }

    #[test]
    fn site_suffix_is_removed_from_titles() {
        assert_eq!(
            strip_site_from_title("Kim tiba di Rusia | Andalpost", None, Some("andalpost.com")),
            "Kim tiba di Rusia"
        );
        assert_eq!(strip_site_from_title("A - B", None, None), "A - B");
    }

    proptest::proptest! {
        #[test]
        fn squash_splits_as_split_whitespace_does(s in "(\\PC|\\s|\u{a0}|\u{3000}|\u{2009}|\u{85}|\u{1680}|\u{200b})*") {
            let words: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(squash(&s), words.join(" "));
            proptest::prop_assert_eq!(word_count(&s), words.len());
        }
    }
}
