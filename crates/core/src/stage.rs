//! The contract of each pipeline stage.

use crate::Article;

/// One fetched page or text file, as bytes, with what is known about where it came from.
#[derive(Debug, Clone, Default)]
pub struct RawDoc {
    /// Where it came from: a path, `-`, or a URL. Copied to [`Article::input`].
    pub input: String,
    /// The address it was fetched from, when known.
    pub url: Option<String>,
    /// The `Content-Type` it was served with, when known (carries the charset).
    pub content_type: Option<String>,
    /// The raw bytes, already decompressed.
    pub bytes: Vec<u8>,
    /// True when `bytes` were cut at a size limit.
    pub truncated: bool,
}

/// Why a page could not be turned into an article.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The input has no bytes, or only whitespace.
    #[error("{input}: the input is empty")]
    Empty {
        /// The input named.
        input: String,
    },
    /// The input is not text (an image, an archive, random bytes).
    #[error("{input}: this is not text or HTML ({reason}); give a page or a text file")]
    NotText {
        /// The input named.
        input: String,
        /// What gave it away.
        reason: String,
    },
    /// The page has text but nothing that reads like an article body.
    #[error("{input}: no article body found on this page (is it an index or a login page?)")]
    NoArticle {
        /// The input named.
        input: String,
    },
}

/// Finds the article in one fetched page or text dump: body, title, byline, dates,
/// captions and pagination.
pub trait Extractor: Send + Sync {
    /// Turns one document into an article record.
    ///
    /// # Errors
    /// [`ExtractError::NoArticle`] when the page is not an article, and the other
    /// variants when the input is unusable. Recoverable problems are reported as
    /// [`Article::warnings`] instead.
    fn extract(&self, doc: &RawDoc) -> Result<Article, ExtractError>;
}

/// Reads an extracted article and adds what the text says: language, sentences,
/// entities, quotes, times. Enrichment never fails: what cannot be found is left out.
pub trait Analyzer: Send + Sync {
    /// Fills the analysis fields of `article` in place.
    fn analyze(&self, article: &mut Article);
}
