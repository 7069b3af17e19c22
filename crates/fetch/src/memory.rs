//! The in-memory twin of [`Fetcher`](crate::Fetcher), for tests of the crates that fetch.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use url::Url;

use crate::{Fetch, FetchError, Fetched, FetchedPage, NotModified, Validators, charset_param};

/// What [`MemoryFetcher`] answers for one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoryResponse {
    /// A 200 page.
    Page {
        /// The `Content-Type`, if any.
        content_type: Option<String>,
        /// The body.
        body: Vec<u8>,
        /// The `ETag`; a fetch whose `If-None-Match` equals it gets `NotModified`.
        etag: Option<String>,
        /// The `Last-Modified`; a fetch whose `If-Modified-Since` equals it gets
        /// `NotModified`.
        last_modified: Option<String>,
    },
    /// A 301 to this address (relative to the URL).
    Redirect(String),
    /// An error status.
    Status(u16),
    /// A server too slow to answer: [`FetchError::Timeout`] (phase `body`).
    Timeout,
    /// Disallowed by robots.txt: [`FetchError::RobotsDisallowed`].
    RobotsDisallowed,
    /// A body over the limit: [`FetchError::TooLarge`] with this limit.
    TooLarge(u64),
}

impl MemoryResponse {
    /// A 200 page with this type and body, without validators.
    pub fn page(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::Page {
            content_type: Some(content_type.to_string()),
            body: body.into(),
            etag: None,
            last_modified: None,
        }
    }
}

/// A [`Fetch`] that answers from a map of URL → [`MemoryResponse`] (pages, redirects,
/// statuses and a few failures, for testing how callers handle each) and records what was
/// asked. Unknown URLs are 404. Redirects are followed as the real fetcher does (limit 5,
/// loops detected); there is no robots.txt, politeness or network.
#[derive(Debug, Default)]
pub struct MemoryFetcher {
    responses: Mutex<HashMap<String, MemoryResponse>>,
    requests: Mutex<Vec<String>>,
}

/// Redirects followed by [`MemoryFetcher`], as the real fetcher's default.
const MAX_REDIRECTS: usize = 5;

impl MemoryFetcher {
    /// An empty fetcher: every URL is 404.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the answer for `url` (parsed and normalised as [`Url`] does; fragments
    /// ignored).
    ///
    /// # Panics
    /// When `url` is not an absolute URL: a test bug.
    pub fn insert(&self, url: &str, response: MemoryResponse) {
        let url = Url::parse(url).unwrap_or_else(|e| panic!("MemoryFetcher::insert({url}): {e}"));
        self.lock_responses().insert(key(&url), response);
    }

    /// Builder form of [`insert`](Self::insert).
    pub fn with(self, url: &str, response: MemoryResponse) -> Self {
        self.insert(url, response);
        self
    }

    /// Every URL requested so far (redirect hops included), in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn lock_responses(&self) -> std::sync::MutexGuard<'_, HashMap<String, MemoryResponse>> {
        self.responses
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

fn key(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.into()
}

impl Fetch for MemoryFetcher {
    fn fetch(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut current = url.clone();
        let mut seen = HashSet::from([key(&current)]);
        let mut redirects = Vec::new();
        loop {
            if !matches!(current.scheme(), "http" | "https") {
                return Err(FetchError::InvalidUrl {
                    url: current.to_string(),
                    reason: format!("the scheme `{}` is not http or https", current.scheme()),
                });
            }
            self.requests
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(current.to_string());
            let response = self.lock_responses().get(&key(&current)).cloned();
            match response {
                None => {
                    return Err(FetchError::Http {
                        url: current.to_string(),
                        status: 404,
                        retry_after: None,
                    });
                }
                Some(MemoryResponse::Status(status)) => {
                    return Err(FetchError::Http {
                        url: current.to_string(),
                        status,
                        retry_after: None,
                    });
                }
                Some(MemoryResponse::Timeout) => {
                    return Err(FetchError::Timeout {
                        url: current.to_string(),
                        phase: "body",
                    });
                }
                Some(MemoryResponse::RobotsDisallowed) => {
                    return Err(FetchError::RobotsDisallowed {
                        url: current.to_string(),
                    });
                }
                Some(MemoryResponse::TooLarge(limit)) => {
                    return Err(FetchError::TooLarge {
                        url: current.to_string(),
                        limit,
                    });
                }
                Some(MemoryResponse::Redirect(to)) => {
                    let next = current.join(&to).map_err(|e| FetchError::BadRedirect {
                        url: current.to_string(),
                        detail: format!("Location `{to}` is not a URL ({e})"),
                    })?;
                    if !seen.insert(key(&next)) {
                        return Err(FetchError::RedirectLoop {
                            url: url.to_string(),
                            target: next.to_string(),
                        });
                    }
                    if redirects.len() >= MAX_REDIRECTS {
                        return Err(FetchError::TooManyRedirects {
                            url: url.to_string(),
                            limit: MAX_REDIRECTS,
                        });
                    }
                    redirects.push(next.clone());
                    current = next;
                }
                Some(MemoryResponse::Page {
                    content_type,
                    body,
                    etag,
                    last_modified,
                }) => {
                    let etag_match = validators.etag.is_some() && validators.etag == etag;
                    let date_match = validators.last_modified.is_some()
                        && validators.last_modified == last_modified;
                    if etag_match || (validators.etag.is_none() && date_match) {
                        return Ok(Fetched::NotModified(NotModified {
                            url: current,
                            requested_url: url.clone(),
                            etag,
                            last_modified,
                            fetched_at: SystemTime::now(),
                            redirects,
                        }));
                    }
                    return Ok(Fetched::Page(FetchedPage {
                        url: current,
                        requested_url: url.clone(),
                        status: 200,
                        charset: content_type.as_deref().and_then(charset_param),
                        content_type,
                        etag,
                        last_modified,
                        body,
                        fetched_at: SystemTime::now(),
                        redirects,
                    }));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulated_failures_have_their_own_kinds() {
        let f = MemoryFetcher::new()
            .with("https://a.example/slow", MemoryResponse::Timeout)
            .with("https://a.example/no", MemoryResponse::RobotsDisallowed)
            .with("https://a.example/big", MemoryResponse::TooLarge(10))
            .with(
                "https://a.example/ok",
                MemoryResponse::page("text/html", "<p>x</p>"),
            );
        let kind = |u: &str| {
            f.fetch(&Url::parse(u).unwrap(), &Validators::none())
                .map_or_else(|e| e.kind(), |_| "ok")
        };
        assert_eq!(kind("https://a.example/slow"), "timeout");
        assert_eq!(kind("https://a.example/no"), "robots_disallowed");
        assert_eq!(kind("https://a.example/big"), "too_large");
        assert_eq!(kind("https://a.example/ok"), "ok");
        assert_eq!(kind("https://a.example/none"), "http");
        assert_eq!(f.requests().len(), 5);
    }
}
