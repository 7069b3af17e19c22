//! The real fetcher: ureq underneath, with redirects, decompression, robots.txt, the
//! address policy, politeness and retries done here.

use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime};

use url::Url;

use crate::body::{self, BodyError};
use crate::config::{FetchConfig, ROBOTS_AGENT};
use crate::error::FetchError;
use crate::hosts::Hosts;
use crate::policy::{PolicyResolver, Refused};
use crate::retry::{Jitter, parse_retry_after};
use crate::robots::{RobotsCache, Rules};
use crate::{Fetch, Fetched, FetchedPage, NotModified, Validators, charset_param};

/// What the fetcher asks for: pages and feeds first, anything else last.
const ACCEPT: &str = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5";

/// The polite, safe fetcher. Share one per crawl across threads (`Arc<Fetcher>` or
/// `&Fetcher`): the per-host slots, robots.txt cache and connection pool live in it.
#[derive(Debug)]
pub struct Fetcher {
    config: FetchConfig,
    agent: ureq::Agent,
    hosts: Hosts,
    robots: RobotsCache,
    jitter: Jitter,
}

/// Size limits for one request chain.
#[derive(Debug, Clone, Copy)]
struct Limits {
    wire: u64,
    decoded: u64,
    /// Cut a body at `decoded` bytes instead of refusing it (robots.txt).
    truncate: bool,
}

/// One HTTP exchange, body read when 2xx.
#[derive(Debug)]
struct Exchange {
    status: u16,
    location: Option<String>,
    content_type: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

/// A failed exchange, and whether trying again may help.
#[derive(Debug)]
struct Failure {
    error: FetchError,
    retryable: bool,
}

impl Fetcher {
    /// Builds a fetcher with these settings.
    pub fn new(config: FetchConfig) -> Self {
        let header = Some(config.header_timeout);
        let agent_config = ureq::Agent::config_builder()
            // Statuses, redirects and content codings are handled here, not by ureq.
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .proxy(None)
            .user_agent(config.user_agent_header())
            .accept_encoding("gzip, deflate, br")
            .timeout_resolve(Some(config.connect_timeout))
            .timeout_connect(Some(config.connect_timeout))
            .timeout_send_request(header)
            .timeout_recv_response(header)
            .timeout_recv_body(Some(config.body_timeout))
            .max_response_header_size(config.max_header_bytes)
            .build();
        let agent = ureq::Agent::with_parts(
            agent_config,
            ureq::unversioned::transport::DefaultConnector::default(),
            PolicyResolver::new(config.allow_private),
        );
        Self {
            jitter: Jitter::new(config.jitter_seed),
            config,
            agent,
            hosts: Hosts::default(),
            robots: RobotsCache::default(),
        }
    }

    /// The settings in force.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Follows redirects from `url`, checking each hop's scheme (and robots.txt when
    /// `robots`), and returns the final answer.
    fn chain(
        &self,
        url: &Url,
        validators: &Validators,
        robots: bool,
        limits: Limits,
    ) -> Result<Fetched, FetchError> {
        let deadline = Instant::now() + self.config.total_timeout;
        let mut current = url.clone();
        let mut seen = HashSet::from([without_fragment(&current)]);
        let mut redirects = Vec::new();
        loop {
            check_url(&current)?;
            if robots {
                self.check_robots(&current)?;
            }
            let ex = self.exchange_with_retries(&current, validators, limits, deadline)?;
            match ex.status {
                301 | 302 | 303 | 307 | 308 => {
                    let next = redirect_target(&current, ex.location.as_deref())?;
                    if !seen.insert(without_fragment(&next)) {
                        return Err(FetchError::RedirectLoop {
                            url: url.to_string(),
                            target: next.to_string(),
                        });
                    }
                    if redirects.len() >= self.config.max_redirects {
                        return Err(FetchError::TooManyRedirects {
                            url: url.to_string(),
                            limit: self.config.max_redirects,
                        });
                    }
                    redirects.push(next.clone());
                    current = next;
                }
                304 => {
                    return Ok(Fetched::NotModified(NotModified {
                        url: current,
                        requested_url: url.clone(),
                        etag: ex.etag,
                        last_modified: ex.last_modified,
                        fetched_at: SystemTime::now(),
                        redirects,
                    }));
                }
                200..=299 => {
                    return Ok(Fetched::Page(FetchedPage {
                        url: current,
                        requested_url: url.clone(),
                        status: ex.status,
                        charset: ex.content_type.as_deref().and_then(charset_param),
                        content_type: ex.content_type,
                        etag: ex.etag,
                        last_modified: ex.last_modified,
                        body: ex.body,
                        fetched_at: SystemTime::now(),
                        redirects,
                    }));
                }
                status => {
                    return Err(FetchError::Http {
                        url: current.to_string(),
                        status,
                        retry_after: ex.retry_after,
                    });
                }
            }
        }
    }

    /// Refuses `url` when its origin's robots.txt disallows it (fetching the robots.txt
    /// first when it is not cached).
    fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        if url.path() == "/robots.txt" {
            return Ok(());
        }
        let origin = url.origin().ascii_serialization();
        let rules = self.robots.rules(&origin, || self.fetch_robots(url))?;
        match &*rules {
            Rules::AllowAll => Ok(()),
            Rules::Unavailable(detail) => Err(FetchError::RobotsUnavailable {
                url: url.to_string(),
                detail: detail.clone(),
            }),
            Rules::Parsed(robot) if robot.allowed(url.as_str()) => Ok(()),
            Rules::Parsed(_) => Err(FetchError::RobotsDisallowed {
                url: url.to_string(),
            }),
        }
    }

    /// Fetches and reads the robots.txt of `url`'s origin, returning the rules and how long
    /// to keep them (see the `robots` module for what each answer means). Only a refused
    /// address is an error: the page itself would be refused the same way.
    fn fetch_robots(&self, url: &Url) -> Result<(Rules, Duration), FetchError> {
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        let limits = Limits {
            wire: self.config.max_robots_bytes.saturating_mul(4),
            decoded: self.config.max_robots_bytes,
            truncate: true,
        };
        let ok_ttl = self.config.robots_ttl;
        let err_ttl = self.config.robots_error_ttl;
        let (rules, ttl) = match self.chain(&robots_url, &Validators::none(), false, limits) {
            Ok(Fetched::Page(mut page)) => {
                // Like Google, read the first `max_robots_bytes` and ignore the rest, from
                // the last complete line on.
                if page.body.len() as u64 >= self.config.max_robots_bytes {
                    let end = page.body.iter().rposition(|&b| b == b'\n').unwrap_or(0);
                    page.body.truncate(end);
                }
                (Rules::parse(ROBOTS_AGENT, &page.body), ok_ttl)
            }
            Ok(Fetched::NotModified(_)) => (Rules::AllowAll, ok_ttl),
            // Reported for the page asked for, not its robots.txt.
            Err(FetchError::PrivateAddress { addr, range, .. }) => {
                return Err(FetchError::PrivateAddress {
                    url: url.to_string(),
                    addr,
                    range,
                });
            }
            Err(FetchError::Http { status, .. })
                if (400..500).contains(&status) && status != 429 =>
            {
                (Rules::AllowAll, ok_ttl)
            }
            // A robots.txt that is absurdly compressed or redirects endlessly is treated as
            // absent, as Google treats too many redirects.
            Err(
                FetchError::TooLarge { .. }
                | FetchError::DecompressionBomb { .. }
                | FetchError::TooManyRedirects { .. }
                | FetchError::RedirectLoop { .. },
            ) => (Rules::AllowAll, ok_ttl),
            Err(e) => (Rules::Unavailable(e.to_string()), err_ttl),
        };
        if let Some(host) = url.host_str() {
            let delay = rules
                .crawl_delay()
                .map(|d| d.min(self.config.max_crawl_delay));
            self.hosts
                .set_crawl_delay(&host.to_ascii_lowercase(), delay);
        }
        Ok((rules, ttl))
    }

    /// One request with the host's slot held, retried after 429, 5xx and failed
    /// connections while attempts remain and the wait asked for is acceptable.
    fn exchange_with_retries(
        &self,
        url: &Url,
        validators: &Validators,
        limits: Limits,
        deadline: Instant,
    ) -> Result<Exchange, FetchError> {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut slot = self.hosts.acquire(&host, self.config.delay);
            let result = self.exchange(url, validators, limits, deadline);
            let asked = match &result {
                Ok(ex) if is_retryable_status(ex.status) => ex.retry_after,
                Err(f) if f.retryable => None,
                _ => return result.map_err(|f| f.error),
            };
            let wait = self
                .jitter
                .backoff(attempt, self.config.backoff, self.config.max_backoff)
                .max(asked.unwrap_or_default());
            let give_up = attempt >= self.config.max_attempts.max(1)
                || asked.is_some_and(|a| a > self.config.max_retry_wait)
                || Instant::now() + wait >= deadline;
            if give_up {
                return result.map_err(|f| f.error);
            }
            slot.wait_after(wait);
        }
    }

    /// One HTTP request and, for a 2xx answer, its body.
    fn exchange(
        &self,
        url: &Url,
        validators: &Validators,
        limits: Limits,
        deadline: Instant,
    ) -> Result<Exchange, Failure> {
        let now = Instant::now();
        let remaining = deadline.saturating_duration_since(now);
        if remaining.is_zero() {
            return Err(Failure {
                error: FetchError::Timeout {
                    url: url.to_string(),
                    phase: "total",
                },
                retryable: false,
            });
        }
        let mut request = self
            .agent
            .get(url.as_str())
            .config()
            .timeout_global(Some(remaining))
            .build()
            .header("Accept", ACCEPT);
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(lm) = &validators.last_modified {
            request = request.header("If-Modified-Since", lm);
        }
        let response = request.call().map_err(|e| failure(url, e))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
        };
        let mut ex = Exchange {
            status,
            location: header("location"),
            content_type: header("content-type"),
            etag: header("etag"),
            last_modified: header("last-modified"),
            retry_after: header("retry-after")
                .and_then(|v| parse_retry_after(&v, SystemTime::now())),
            body: Vec::new(),
        };
        if !(200..300).contains(&status) {
            return Ok(ex);
        }
        let encoding = header("content-encoding");
        let length = header("content-length").and_then(|v| v.parse::<u64>().ok());
        if !limits.truncate && length.is_some_and(|n| n > limits.wire) {
            return Err(Failure {
                error: FetchError::TooLarge {
                    url: url.to_string(),
                    limit: limits.wire,
                },
                retryable: false,
            });
        }
        let body_deadline = deadline.min(Instant::now() + self.config.body_timeout);
        let reader = response.into_body().into_reader();
        ex.body = body::read_body(
            reader,
            encoding.as_deref(),
            limits.wire,
            limits.decoded,
            limits.truncate,
            body_deadline,
        )
        .map_err(|e| body_failure(url, e, limits))?;
        Ok(ex)
    }
}

impl Fetch for Fetcher {
    fn fetch(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        let limits = Limits {
            wire: self.config.max_body_bytes,
            decoded: self.config.max_decompressed_bytes,
            truncate: false,
        };
        self.chain(url, validators, self.config.respect_robots, limits)
    }
}

/// The URL as a key for loop detection: fragments never reach the server.
fn without_fragment(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.into()
}

/// Only http and https URLs with a host are fetched.
fn check_url(url: &Url) -> Result<(), FetchError> {
    let reason = if !matches!(url.scheme(), "http" | "https") {
        format!("the scheme `{}` is not http or https", url.scheme())
    } else if url.host_str().is_none_or(str::is_empty) {
        "it has no host".to_string()
    } else {
        return Ok(());
    };
    Err(FetchError::InvalidUrl {
        url: url.to_string(),
        reason,
    })
}

fn redirect_target(from: &Url, location: Option<&str>) -> Result<Url, FetchError> {
    let bad = |detail: String| FetchError::BadRedirect {
        url: from.to_string(),
        detail,
    };
    let location = location
        .filter(|l| !l.is_empty())
        .ok_or_else(|| bad("no Location header".into()))?;
    let mut next = from
        .join(location)
        .map_err(|e| bad(format!("Location `{location}` is not a URL ({e})")))?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(bad(format!(
            "redirects to {next}, which is not an http or https address"
        )));
    }
    // A redirect without a fragment keeps the original one (RFC 9110 §10.2.2).
    if next.fragment().is_none() {
        next.set_fragment(from.fragment());
    }
    Ok(next)
}

fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

fn is_retryable_io(kind: std::io::ErrorKind) -> bool {
    use std::io::ErrorKind as K;
    matches!(
        kind,
        K::ConnectionRefused | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe
    )
}

fn failure(url: &Url, e: ureq::Error) -> Failure {
    let retryable = match &e {
        ureq::Error::Io(io) => is_retryable_io(io.kind()),
        ureq::Error::ConnectionFailed => true,
        _ => false,
    };
    Failure {
        error: map_ureq(url, e),
        retryable,
    }
}

fn map_ureq(url: &Url, e: ureq::Error) -> FetchError {
    let url = url.to_string();
    match e {
        ureq::Error::Timeout(t) => FetchError::Timeout {
            url,
            phase: timeout_phase(t),
        },
        ureq::Error::HostNotFound => FetchError::HostNotFound { url },
        ureq::Error::Other(inner) => match inner.downcast::<Refused>() {
            Ok(r) => FetchError::PrivateAddress {
                url,
                addr: r.addr,
                range: r.range,
            },
            Err(other) => FetchError::Transport {
                url,
                detail: other.to_string(),
            },
        },
        ureq::Error::LargeResponseHeader(_, limit) => FetchError::Transport {
            url,
            detail: format!("the response header is larger than {limit} bytes"),
        },
        ureq::Error::Protocol(p) => FetchError::Transport {
            url,
            detail: format!("not a valid HTTP response ({p})"),
        },
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            FetchError::Timeout { url, phase: "read" }
        }
        ureq::Error::Io(io) => FetchError::Transport {
            url,
            detail: format!("connection failed ({io})"),
        },
        other => FetchError::Transport {
            url,
            detail: other.to_string(),
        },
    }
}

fn timeout_phase(t: ureq::Timeout) -> &'static str {
    match t {
        ureq::Timeout::Resolve | ureq::Timeout::Connect => "connect",
        ureq::Timeout::SendRequest | ureq::Timeout::RecvResponse => "headers",
        ureq::Timeout::RecvBody => "body",
        ureq::Timeout::PerRead => "read",
        ureq::Timeout::Global => "total",
        _ => "request",
    }
}

fn body_failure(url: &Url, e: BodyError, limits: Limits) -> Failure {
    let u = url.to_string();
    let (error, retryable) = match e {
        BodyError::TooLarge => (
            FetchError::TooLarge {
                url: u,
                limit: limits.wire,
            },
            false,
        ),
        BodyError::Bomb { encoding } => (
            FetchError::DecompressionBomb {
                url: u,
                encoding,
                limit: limits.decoded,
            },
            false,
        ),
        BodyError::Decoding { encoding, detail } => (
            FetchError::Decoding {
                url: u,
                encoding,
                detail,
            },
            false,
        ),
        BodyError::Deadline => (
            FetchError::Timeout {
                url: u,
                phase: "body",
            },
            false,
        ),
        BodyError::Transport(io) => {
            let retryable = is_retryable_io(io.kind());
            return Failure {
                error: map_ureq(url, ureq::Error::from(io)),
                retryable,
            };
        }
    };
    Failure { error, retryable }
}
