//! What an article record contributes to the store's tables and index, computed once
//! and shared by every implementation so they agree.

use warta_core::Article;

use crate::days;

/// The hash that decides whether an article's content changed: its title and text.
pub(crate) fn content_hash(article: &Article) -> String {
    let mut bytes = Vec::with_capacity(article.text.len() + 64);
    bytes.extend_from_slice(article.title.as_deref().unwrap_or("").as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(article.text.as_bytes());
    warta_core::content_hash(&bytes)
}

/// A site name for filtering: lowercase host without `www.`.
pub(crate) fn site_key(site: &str) -> String {
    let s = site.trim().to_lowercase();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(&s);
    let s = s.split('/').next().unwrap_or(s);
    s.strip_prefix("www.").unwrap_or(s).to_string()
}

/// The article's site key: its `site`, else the host of its URL.
pub(crate) fn article_site(article: &Article) -> Option<String> {
    article
        .site
        .as_deref()
        .or(article.canonical_url.as_deref())
        .or(article.url.as_deref())
        .map(site_key)
        .filter(|s| !s.is_empty())
}

/// `YYYY-MM-DD` of the publication date, when it is a date.
pub(crate) fn published_day(article: &Article) -> Option<String> {
    article.published.as_deref().and_then(days::first_day)
}

/// The distinct ids of the entities an article is about (photo credits left out),
/// sorted: what the index and the facets count once per article.
pub(crate) fn subject_entity_ids(article: &Article) -> Vec<&str> {
    let mut ids: Vec<&str> = article
        .entities
        .iter()
        .flatten()
        .filter(|e| e.role.as_deref() != Some("credit"))
        .map(|e| e.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Normalises a date filter bound to `YYYY-MM-DD` (the first day it covers for
/// `since`, the last for `until`).
pub(crate) fn bound(value: &str, last: bool) -> Option<String> {
    days::day_range(value).map(|(a, b)| days::format_day(if last { b } else { a }))
}

/// The article's URL as shown: canonical, else fetched.
pub(crate) fn display_url(article: &Article) -> Option<String> {
    article
        .canonical_url
        .clone()
        .or_else(|| article.url.clone())
}

/// Lowercased words of a text, for the in-memory twin's search and filters.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_keys() {
        assert_eq!(site_key("www.Kompas.com"), "kompas.com");
        assert_eq!(
            site_key("https://www.antaranews.com/berita/1"),
            "antaranews.com"
        );
        assert_eq!(site_key("detik.com"), "detik.com");
    }
}
