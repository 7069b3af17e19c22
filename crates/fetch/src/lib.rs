//! The polite, safe HTTP fetcher the crawler and feed ingest use.
//!
//! Every page warta reads from the web comes through [`Fetch`]. The real implementation,
//! [`Fetcher`], is built so a crawl can be pointed at any list of URLs — including hostile
//! ones — and each URL ends in a page or a clear [`FetchError`] within bounded time and
//! memory:
//!
//! - **Polite**: robots.txt obeyed ([`texting_robots`], cached per origin); one request at a
//!   time per host with a pause between them (`delay`, raised by `Crawl-delay`); a
//!   `User-Agent` naming warta and how to reach its operator.
//! - **Safe**: addresses in loopback, private, link-local, CGNAT and other non-public ranges
//!   refused unless `allow_private`, checked on the very addresses connected to and on every
//!   redirect hop; deadlines for connecting, for the response header, for the whole body and
//!   for the whole fetch; caps on the wire body, on the decoded body (gzip, deflate and brotli
//!   are decoded here, never by the HTTP client, so the cap holds) and on the header;
//!   redirects followed by hand with a limit and loop detection.
//! - **Resilient**: 429, 5xx and failed connections retried with exponential backoff and
//!   jitter, honouring `Retry-After`.
//! - **Cheap to poll**: conditional GET ([`Validators`] in, [`Fetched::NotModified`] out).
//!
//! The fetcher does not decode text: it returns the bytes with the `Content-Type` (and the
//! charset parameter read from it) so the extractor, which also sees BOMs and `<meta>`,
//! decides the encoding ([`FetchedPage::into_raw_doc`]).
//!
//! [`MemoryFetcher`] is the in-memory twin for other crates' tests, and [`conformance`]
//! holds the checks both implementations pass.

mod body;
mod config;
pub mod conformance;
mod error;
mod fetcher;
mod hosts;
mod memory;
mod policy;
mod retry;
mod robots;

use std::time::SystemTime;

pub use config::{FetchConfig, ROBOTS_AGENT};
pub use error::FetchError;
pub use fetcher::Fetcher;
pub use memory::{MemoryFetcher, MemoryResponse};
pub use policy::non_public_range;
pub use url::Url;

/// Fetches one URL. Implementations are shared across threads; a call blocks until the
/// page (or the error) is there.
pub trait Fetch: Send + Sync + std::fmt::Debug {
    /// Fetches `url`, following redirects. With `validators` from an earlier fetch the
    /// request is conditional, and an unchanged resource comes back as
    /// [`Fetched::NotModified`].
    ///
    /// # Errors
    /// A [`FetchError`] naming the URL and the reason: refused by policy or robots.txt,
    /// timed out, too large, a redirect problem, an HTTP error status, a transport failure.
    fn fetch(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError>;
}

impl<T: Fetch + ?Sized> Fetch for std::sync::Arc<T> {
    fn fetch(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        (**self).fetch(url, validators)
    }
}

/// What an earlier fetch said about the resource, sent back to ask "only if changed".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` received, sent as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` received, sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

impl Validators {
    /// No validators: an unconditional fetch.
    pub fn none() -> Self {
        Self::default()
    }

    /// True when there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// The result of a successful fetch.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// A 2xx response with its body.
    Page(FetchedPage),
    /// 304: the resource has not changed since the validators were issued.
    NotModified(NotModified),
}

impl Fetched {
    /// The page, or `None` for [`Fetched::NotModified`].
    pub fn page(self) -> Option<FetchedPage> {
        match self {
            Self::Page(p) => Some(p),
            Self::NotModified(_) => None,
        }
    }
}

/// A fetched page: the body as bytes (decompressed, not decoded to text) and what the
/// response said about it.
#[derive(Debug, Clone)]
pub struct FetchedPage {
    /// The final URL, after redirects.
    pub url: Url,
    /// The URL asked for.
    pub requested_url: Url,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The `Content-Type` header as sent. Not checked: a page served as `image/png` or
    /// without a type is returned, and the caller decides.
    pub content_type: Option<String>,
    /// The `charset` parameter of `Content-Type`, lower-cased, when there is one. The
    /// extractor weighs it against the BOM and `<meta>`.
    pub charset: Option<String>,
    /// The `ETag` header, for the next conditional fetch.
    pub etag: Option<String>,
    /// The `Last-Modified` header, for the next conditional fetch.
    pub last_modified: Option<String>,
    /// The body, with content codings (gzip, deflate, brotli) undone.
    pub body: Vec<u8>,
    /// When the response was received.
    pub fetched_at: SystemTime,
    /// Each redirect target in order (empty when there was no redirect); the last is `url`.
    pub redirects: Vec<Url>,
}

impl FetchedPage {
    /// The media type of `content_type` (`text/html`), lower-cased, without parameters.
    pub fn media_type(&self) -> Option<String> {
        media_type(self.content_type.as_deref()?)
    }

    /// Validators for fetching this page again conditionally.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }

    /// The page as the extractor's input: the final URL, the `Content-Type` (with its
    /// charset) and the bytes.
    pub fn into_raw_doc(self) -> warta_core::RawDoc {
        warta_core::RawDoc {
            input: self.url.to_string(),
            url: Some(self.url.to_string()),
            content_type: self.content_type,
            bytes: self.body,
            truncated: false,
        }
    }
}

/// A 304 answer to a conditional fetch.
#[derive(Debug, Clone)]
pub struct NotModified {
    /// The final URL, after redirects.
    pub url: Url,
    /// The URL asked for.
    pub requested_url: Url,
    /// The `ETag` sent with the 304, if any (else keep the old one).
    pub etag: Option<String>,
    /// The `Last-Modified` sent with the 304, if any (else keep the old one).
    pub last_modified: Option<String>,
    /// When the answer was received.
    pub fetched_at: SystemTime,
    /// Each redirect target in order.
    pub redirects: Vec<Url>,
}

/// The media type of a `Content-Type` value, lower-cased, without parameters.
fn media_type(content_type: &str) -> Option<String> {
    let t = content_type.split(';').next()?.trim().to_ascii_lowercase();
    (!t.is_empty()).then_some(t)
}

/// The `charset` parameter of a `Content-Type` value, unquoted and lower-cased.
pub(crate) fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let v = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (!v.is_empty()).then(|| v.to_ascii_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_parts() {
        assert_eq!(
            charset_param("text/html; Charset=\"ISO-8859-1\"").as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(charset_param("text/html;charset=").as_deref(), None);
        assert_eq!(charset_param("text/html").as_deref(), None);
        assert_eq!(
            media_type(" Text/HTML ; charset=utf-8").as_deref(),
            Some("text/html")
        );
    }
}
