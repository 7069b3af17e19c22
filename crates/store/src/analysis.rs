//! The full-text index's analysis, for code that must agree with it: the alerts stage
//! matches new articles against saved queries with exactly the words `warta search`
//! would find them by.

use std::cell::RefCell;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use warta_core::Article;

use crate::{rows, search};

thread_local! {
    /// The Indonesian (also every other non-English language) and English analysers.
    static ANALYZERS: RefCell<(TextAnalyzer, TextAnalyzer)> =
        RefCell::new((search::analyzer("id"), search::analyzer("en")));
}

/// The terms the index keeps for `text` in an article of `language`, in order:
/// lowercased, ASCII-folded and stemmed by that language's rules (English: Snowball;
/// any other language: the Indonesian stemmer). A query word analysed the same way
/// matches where the index would match it.
pub fn index_terms(language: &str, text: &str) -> Vec<String> {
    ANALYZERS.with(|cell| {
        let mut pair = cell.borrow_mut();
        let analyzer = if language == "en" {
            &mut pair.1
        } else {
            &mut pair.0
        };
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    })
}

/// A site name as filters compare it: lowercase host without scheme, path or `www.`.
pub fn site_key(site: &str) -> String {
    rows::site_key(site)
}

/// The article's site as filters compare it: its `site`, else the host of its URL.
pub fn article_site(article: &Article) -> Option<String> {
    rows::article_site(article)
}

/// The distinct ids of the entities an article is about (photo credits left out),
/// sorted: what the entity filter matches.
pub fn subject_entity_ids(article: &Article) -> Vec<&str> {
    rows::subject_entity_ids(article)
}
