//! Why a fetch failed: one variant per kind, each message naming the URL and what to do.

use std::net::IpAddr;
use std::time::Duration;

/// Why a URL could not be fetched. Each kind is its own variant so callers can count and
/// react to them (retry later, drop the URL, report it).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL cannot be fetched at all (no host, not http/https).
    #[error("{url}: cannot fetch this URL: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The host resolves only to addresses in a non-public range.
    #[error("refused {addr} for {url}: {range} address; pass --allow-private to fetch it")]
    PrivateAddress {
        /// The URL whose host resolved there.
        url: String,
        /// The first refused address.
        addr: IpAddr,
        /// The range it is in (`loopback`, `private`, `link-local`, …).
        range: &'static str,
    },
    /// The host name does not resolve.
    #[error("{url}: host not found; check the address")]
    HostNotFound {
        /// The URL.
        url: String,
    },
    /// robots.txt disallows the URL for warta.
    #[error("{url}: disallowed by the site's robots.txt; not fetched")]
    RobotsDisallowed {
        /// The URL.
        url: String,
    },
    /// robots.txt could not be fetched (5xx, 429 or unreachable), so the whole site is
    /// treated as disallowed for now (Google's rule).
    #[error(
        "{url}: the site's robots.txt could not be fetched ({detail}); not crawling it until it can, try again later"
    )]
    RobotsUnavailable {
        /// The URL that was to be fetched.
        url: String,
        /// What happened to the robots.txt request.
        detail: String,
    },
    /// A connect, header or body deadline passed.
    #[error("{url}: timed out ({phase}); the server is too slow, try again later")]
    Timeout {
        /// The URL.
        url: String,
        /// Which deadline: `connect`, `headers`, `body`, …
        phase: &'static str,
    },
    /// The body is larger than `max_body_bytes` on the wire.
    #[error("{url}: the body is larger than the {limit}-byte limit; not read")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The decoded body would pass `max_decompressed_bytes`.
    #[error(
        "{url}: the {encoding} body decompresses past the {limit}-byte limit (a decompression bomb?); not read"
    )]
    DecompressionBomb {
        /// The URL.
        url: String,
        /// The content coding (`gzip`, `br`, `deflate`).
        encoding: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The body is compressed with a coding warta does not read, or the compressed data is
    /// corrupt.
    #[error("{url}: cannot decode the {encoding} body: {detail}")]
    Decoding {
        /// The URL.
        url: String,
        /// The content coding.
        encoding: String,
        /// What went wrong.
        detail: String,
    },
    /// A redirect led back to an address already visited in this fetch.
    #[error("{url}: redirect loop back to {target}; the site is misconfigured")]
    RedirectLoop {
        /// The URL first asked for.
        url: String,
        /// The address seen twice.
        target: String,
    },
    /// More redirects than `max_redirects`.
    #[error("{url}: more than {limit} redirects; not followed further")]
    TooManyRedirects {
        /// The URL first asked for.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// A redirect without a usable `Location`.
    #[error("{url}: bad redirect: {detail}")]
    BadRedirect {
        /// The URL that answered with the redirect.
        url: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The server answered with an error status (after the retries for 429 and 5xx).
    #[error("{url}: HTTP {status}{}", retry_hint(*.retry_after))]
    Http {
        /// The URL that answered.
        url: String,
        /// The status code.
        status: u16,
        /// The server's `Retry-After`, when it asked for a wait longer than
        /// `max_retry_wait` (or on the last try).
        retry_after: Option<Duration>,
    },
    /// The connection failed or broke, TLS failed, or the response was not valid HTTP.
    #[error("{url}: {detail}")]
    Transport {
        /// The URL.
        url: String,
        /// What happened.
        detail: String,
    },
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!("; the server asks to retry after {} s", d.as_secs()),
        None => String::new(),
    }
}

impl FetchError {
    /// The URL the error is about.
    pub fn url(&self) -> &str {
        match self {
            Self::InvalidUrl { url, .. }
            | Self::PrivateAddress { url, .. }
            | Self::HostNotFound { url }
            | Self::RobotsDisallowed { url }
            | Self::RobotsUnavailable { url, .. }
            | Self::Timeout { url, .. }
            | Self::TooLarge { url, .. }
            | Self::DecompressionBomb { url, .. }
            | Self::Decoding { url, .. }
            | Self::RedirectLoop { url, .. }
            | Self::TooManyRedirects { url, .. }
            | Self::BadRedirect { url, .. }
            | Self::Http { url, .. }
            | Self::Transport { url, .. } => url,
        }
    }

    /// A short stable name of the kind (`timeout`, `too_large`, `http`, …), for counting
    /// failures in a batch summary.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InvalidUrl { .. } => "invalid_url",
            Self::PrivateAddress { .. } => "private_address",
            Self::HostNotFound { .. } => "host_not_found",
            Self::RobotsDisallowed { .. } => "robots_disallowed",
            Self::RobotsUnavailable { .. } => "robots_unavailable",
            Self::Timeout { .. } => "timeout",
            Self::TooLarge { .. } => "too_large",
            Self::DecompressionBomb { .. } => "decompression_bomb",
            Self::Decoding { .. } => "decoding",
            Self::RedirectLoop { .. } => "redirect_loop",
            Self::TooManyRedirects { .. } => "too_many_redirects",
            Self::BadRedirect { .. } => "bad_redirect",
            Self::Http { .. } => "http",
            Self::Transport { .. } => "transport",
        }
    }
}
