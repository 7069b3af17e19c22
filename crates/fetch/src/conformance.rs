//! Checks every [`Fetch`] implementation passes, and the small site they are run against.
//!
//! A backend under test serves [`fixtures`] under some base URL (the real fetcher from a
//! local HTTP server, [`MemoryFetcher::conformance`] from memory); [`check`] then fetches
//! them and asserts what every implementation must agree on: final URL and redirect list,
//! body bytes, `Content-Type` and its charset, validators and `NotModified`, and which
//! error kind a missing page, an error status and a redirect loop give.

use url::Url;

use crate::{Fetch, FetchError, Fetched, MemoryFetcher, MemoryResponse, Validators};

/// A page with a declared charset and validators.
pub const PAGE: &str = "conformance/page.html";
/// Redirects to [`PAGE`] through one more hop.
pub const MOVED: &str = "conformance/moved";
/// Not served: 404.
pub const MISSING: &str = "conformance/missing";
/// Answers 410 Gone.
pub const GONE: &str = "conformance/gone";
/// Redirects to [`LOOP_B`], which redirects back.
pub const LOOP_A: &str = "conformance/loop-a";
/// Redirects to [`LOOP_A`].
pub const LOOP_B: &str = "conformance/loop-b";
/// Served as an image: the type is reported, not an error.
pub const IMAGE: &str = "conformance/image.png";

/// The body of [`PAGE`]: Latin-1 bytes, so a decoder that ignores the charset shows.
pub const PAGE_BODY: &[u8] =
    b"<html><head><title>Caf\xe9</title></head><body><p>Kopi di caf\xe9.</p></body></html>";
/// The `ETag` of [`PAGE`].
pub const PAGE_ETAG: &str = "\"conformance-1\"";
/// The `Last-Modified` of [`PAGE`].
pub const PAGE_LAST_MODIFIED: &str = "Tue, 03 Mar 2026 10:00:00 GMT";

/// What a backend must serve, as paths relative to the base URL (a missing path is 404).
pub fn fixtures() -> Vec<(&'static str, MemoryResponse)> {
    vec![
        (
            PAGE,
            MemoryResponse::Page {
                content_type: Some("text/html; charset=ISO-8859-1".into()),
                body: PAGE_BODY.to_vec(),
                etag: Some(PAGE_ETAG.into()),
                last_modified: Some(PAGE_LAST_MODIFIED.into()),
            },
        ),
        (MOVED, MemoryResponse::Redirect("moved-again".into())),
        (
            "conformance/moved-again",
            MemoryResponse::Redirect("page.html".into()),
        ),
        (GONE, MemoryResponse::Status(410)),
        (LOOP_A, MemoryResponse::Redirect("loop-b".into())),
        (LOOP_B, MemoryResponse::Redirect("loop-a".into())),
        (
            IMAGE,
            MemoryResponse::page("image/png", b"\x89PNG\r\n\x1a\n".to_vec()),
        ),
    ]
}

impl MemoryFetcher {
    /// A memory fetcher serving [`fixtures`] under `base` (which should end in `/`).
    pub fn conformance(base: &Url) -> Self {
        let fetcher = Self::new();
        for (path, response) in fixtures() {
            fetcher.insert(join(base, path).as_str(), response);
        }
        fetcher
    }
}

fn join(base: &Url, path: &str) -> Url {
    base.join(path)
        .unwrap_or_else(|e| panic!("conformance: cannot join {path} to {base}: {e}"))
}

fn page(fetcher: &dyn Fetch, url: &Url, validators: &Validators) -> Fetched {
    fetcher
        .fetch(url, validators)
        .unwrap_or_else(|e| panic!("conformance: fetching {url} failed: {e}"))
}

/// Runs the conformance checks against `fetcher`, which serves [`fixtures`] under `base`.
///
/// # Panics
/// On the first check that fails, saying which.
pub fn check(fetcher: &dyn Fetch, base: &Url) {
    let page_url = join(base, PAGE);

    // A plain page: bytes untouched, type and charset reported, validators kept.
    let Fetched::Page(p) = page(fetcher, &page_url, &Validators::none()) else {
        panic!("conformance: an unconditional fetch gave NotModified");
    };
    assert_eq!(p.url, page_url, "final URL");
    assert_eq!(p.requested_url, page_url, "requested URL");
    assert!(p.redirects.is_empty(), "no redirects expected");
    assert_eq!(p.status, 200);
    assert_eq!(p.body, PAGE_BODY, "body bytes");
    assert_eq!(p.media_type().as_deref(), Some("text/html"));
    assert_eq!(
        p.charset.as_deref(),
        Some("iso-8859-1"),
        "charset from Content-Type"
    );
    assert_eq!(p.etag.as_deref(), Some(PAGE_ETAG));
    assert_eq!(p.last_modified.as_deref(), Some(PAGE_LAST_MODIFIED));

    // Conditional GET: by ETag, and by date alone.
    let validators = p.validators();
    assert!(
        matches!(
            page(fetcher, &page_url, &validators),
            Fetched::NotModified(_)
        ),
        "If-None-Match with the current ETag must give NotModified"
    );
    let by_date = Validators {
        etag: None,
        last_modified: Some(PAGE_LAST_MODIFIED.into()),
    };
    assert!(
        matches!(page(fetcher, &page_url, &by_date), Fetched::NotModified(_)),
        "If-Modified-Since with the current date must give NotModified"
    );
    let stale = Validators {
        etag: Some("\"old\"".into()),
        last_modified: None,
    };
    assert!(
        matches!(page(fetcher, &page_url, &stale), Fetched::Page(_)),
        "a stale ETag must give the page"
    );

    // Redirects: followed, listed in order, final URL reported.
    let moved = join(base, MOVED);
    let Fetched::Page(p) = page(fetcher, &moved, &Validators::none()) else {
        panic!("conformance: redirect gave NotModified");
    };
    assert_eq!(p.url, page_url, "final URL after redirects");
    assert_eq!(p.requested_url, moved);
    assert_eq!(
        p.redirects,
        [join(base, "conformance/moved-again"), page_url.clone()],
        "redirect list"
    );
    assert_eq!(p.body, PAGE_BODY);

    // A wrong type is reported, not refused.
    let Fetched::Page(p) = page(fetcher, &join(base, IMAGE), &Validators::none()) else {
        panic!("conformance: image gave NotModified");
    };
    assert_eq!(p.media_type().as_deref(), Some("image/png"));

    // Errors, each its own kind.
    let err = |path: &str| match fetcher.fetch(&join(base, path), &Validators::none()) {
        Ok(_) => panic!("conformance: {path} should fail"),
        Err(e) => e,
    };
    assert!(
        matches!(err(MISSING), FetchError::Http { status: 404, .. }),
        "missing page: 404"
    );
    assert!(
        matches!(err(GONE), FetchError::Http { status: 410, .. }),
        "gone page: 410"
    );
    let e = err(LOOP_A);
    assert!(matches!(e, FetchError::RedirectLoop { .. }), "loop: {e}");
    assert!(e.to_string().contains(LOOP_A), "error names the URL: {e}");
    let e = fetcher
        .fetch(
            &Url::parse("ftp://example.invalid/x").expect("static URL"),
            &Validators::none(),
        )
        .expect_err("ftp must be refused");
    assert!(matches!(e, FetchError::InvalidUrl { .. }), "ftp: {e}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_fetcher_conforms() {
        let base = Url::parse("https://news.example/").unwrap();
        let fetcher = MemoryFetcher::conformance(&base);
        check(&fetcher, &base);
        assert!(
            fetcher
                .requests()
                .contains(&"https://news.example/conformance/moved-again".to_string())
        );
    }
}
