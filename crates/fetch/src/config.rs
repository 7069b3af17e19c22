//! The fetcher's settings, with defaults meant for polite news crawling.

use std::time::Duration;

/// How the fetcher behaves: identity, politeness, limits and retries.
///
/// `FetchConfig::default()` is what a crawl should use; tests shrink the limits and delays.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// How to reach whoever runs this crawler (an e-mail address or a web page), sent in
    /// the `User-Agent` as `warta/<version> (+<contact>)`. Set it for real crawls so site
    /// owners can write before they block.
    pub contact: Option<String>,
    /// Replaces the whole `User-Agent` header when set (the contact is then not added).
    pub user_agent: Option<String>,
    /// Least time between the end of one request and the start of the next to the same
    /// host (`--delay`). A robots.txt `Crawl-delay` can only raise it.
    pub delay: Duration,
    /// Largest `Crawl-delay` honoured; longer ones are cut to this so one site cannot hold
    /// a worker for hours.
    pub max_crawl_delay: Duration,
    /// Most time for resolving the host name, and again for opening the connection (TCP
    /// and TLS).
    pub connect_timeout: Duration,
    /// Most time for sending the request, and again from then to having the whole
    /// response header (a server that accepts and then stalls ends here).
    pub header_timeout: Duration,
    /// Most time for the whole body, however slowly it trickles in: a server that sends a
    /// byte a second is cut off when this runs out, not kept alive by each byte.
    pub body_timeout: Duration,
    /// Most time for one whole fetch: every redirect hop, retry and wait between retries,
    /// and waiting for the host's turn. Bounds what a hostile server can cost per URL;
    /// a retry that would end past it is not made.
    pub total_timeout: Duration,
    /// Largest body accepted as sent on the wire (compressed), in bytes. A larger
    /// `Content-Length` is refused before reading; a body without one is cut when it
    /// passes this.
    pub max_body_bytes: u64,
    /// Largest body accepted after gzip/brotli/deflate decoding, in bytes; past this the
    /// response is a decompression bomb and refused.
    pub max_decompressed_bytes: u64,
    /// Largest response header (status line and fields), in bytes.
    pub max_header_bytes: usize,
    /// Most redirects followed for one fetch.
    pub max_redirects: usize,
    /// Most tries of one request: the first plus retries after 429, 5xx or a failed
    /// connection.
    pub max_attempts: u32,
    /// First retry wait; it doubles with each retry (with jitter) up to `max_backoff`.
    pub backoff: Duration,
    /// Longest wait between retries from backoff alone.
    pub max_backoff: Duration,
    /// Longest `Retry-After` waited for. A server asking for more makes the fetch fail with
    /// [`FetchError::Http`](crate::FetchError::Http) carrying the asked wait, so the caller
    /// can come back later instead of holding a worker.
    pub max_retry_wait: Duration,
    /// Seed of the retry jitter. `None` seeds from the process's randomness; tests set it
    /// to make waits reproducible.
    pub jitter_seed: Option<u64>,
    /// Fetch addresses in loopback, private, link-local, CGNAT and other non-public ranges
    /// (`--allow-private`). Off by default so a crawl cannot be pointed at the local
    /// network; tests turn it on to reach their server on 127.0.0.1.
    pub allow_private: bool,
    /// Obey robots.txt (on by default). Turning it off is for fetching pages a person asked
    /// for by hand, never for crawling.
    pub respect_robots: bool,
    /// How long a fetched robots.txt is reused before it is fetched again.
    pub robots_ttl: Duration,
    /// How long a robots.txt that could not be fetched (5xx, 429, unreachable) blocks its
    /// site before it is tried again.
    pub robots_error_ttl: Duration,
    /// Largest robots.txt read, in bytes; the rest is ignored (Google reads 500 KiB).
    pub max_robots_bytes: u64,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            contact: None,
            user_agent: None,
            delay: Duration::from_secs(2),
            max_crawl_delay: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(20),
            body_timeout: Duration::from_secs(60),
            total_timeout: Duration::from_secs(180),
            max_body_bytes: 10 << 20,
            max_decompressed_bytes: 20 << 20,
            max_header_bytes: 64 << 10,
            max_redirects: 5,
            max_attempts: 3,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            max_retry_wait: Duration::from_secs(120),
            jitter_seed: None,
            allow_private: false,
            respect_robots: true,
            robots_ttl: Duration::from_secs(24 * 3600),
            robots_error_ttl: Duration::from_secs(600),
            max_robots_bytes: 500 << 10,
        }
    }
}

/// The product token robots.txt groups are matched against.
pub const ROBOTS_AGENT: &str = "warta";

impl FetchConfig {
    /// The `User-Agent` sent: `user_agent` if set, else `warta/<version>` with
    /// `(+<contact>)` when a contact is set.
    pub fn user_agent_header(&self) -> String {
        if let Some(ua) = &self.user_agent {
            return ua.clone();
        }
        let base = format!("{ROBOTS_AGENT}/{}", env!("CARGO_PKG_VERSION"));
        match &self.contact {
            Some(c) if !c.trim().is_empty() => format!("{base} (+{})", c.trim()),
            _ => base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_warta_and_the_contact() {
        let mut c = FetchConfig::default();
        assert!(c.user_agent_header().starts_with("warta/"));
        c.contact = Some("news@example.org".into());
        assert!(c.user_agent_header().ends_with(" (+news@example.org)"));
        c.user_agent = Some("custom".into());
        assert_eq!(c.user_agent_header(), "custom");
    }
}
