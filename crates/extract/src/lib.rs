//! Article extraction: one fetched page (HTML) or one plain-text dump in, one
//! clean [`Article`] out.
//!
//! The work is generic: no rule names a site. HTML pages are parsed once into a
//! compact tree ([`dom`]); the main content is found by scoring blocks for text
//! density, link density, markup and position ([`content`]); metadata comes from
//! JSON-LD, OpenGraph, meta tags, `<time>`, the URL and visible text, in that
//! order of trust ([`meta`], [`date`]). Plain-text dumps are read line by line
//! with the same boilerplate, caption and date rules ([`text`]).

mod boiler;
mod caption;
mod content;
mod date;
mod decode;
mod dom;
pub mod input;
mod meta;
mod page;
mod text;

pub use date::{DateFindings, find_dates};
pub use input::{InputError, read_input};

use warta_core::{Article, ExtractError, Extractor, RawDoc};

/// The default extractor: HTML when the bytes look like HTML, plain text otherwise.
#[derive(Debug, Clone, Default)]
pub struct ArticleExtractor {
    _private: (),
}

impl ArticleExtractor {
    /// Creates the extractor with default settings.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Extractor for ArticleExtractor {
    fn extract(&self, doc: &RawDoc) -> Result<Article, ExtractError> {
        extract(doc)
    }
}

/// Extracts the article from one document (see [`ArticleExtractor`]).
///
/// # Errors
/// See [`ExtractError`]: empty input, bytes that are not text, or a page with no article.
pub fn extract(doc: &RawDoc) -> Result<Article, ExtractError> {
    let decoded = decode::decode(doc)?;
    let mut article = if decoded.is_html {
        page::extract_html(doc, &decoded.text)?
    } else {
        text::extract_text(doc, &decoded.text)?
    };
    if let Some(w) = decoded.warning {
        article.warnings.insert(0, w);
    }
    if doc.truncated {
        article.warn(
            "truncated",
            "the input was larger than the size limit; only its start was read",
        );
    }
    Ok(article)
}
