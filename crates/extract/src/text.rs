//! Plain-text dumps of news pages.
//! (Stub until the text-dump work lands.)

use warta_core::{Article, ExtractError, RawDoc};

/// Reads a plain-text dump of a news page into an article record.
pub(crate) fn extract_text(doc: &RawDoc, text: &str) -> Result<Article, ExtractError> {
    let mut a = Article { input: doc.input.clone(), url: doc.url.clone(), pages: 1, ..Article::default() };
    a.set_body(text.split("\n\n").map(|p| (false, p.trim().to_string())));
    crate::meta::finish(&mut a);
    Ok(a)
}
