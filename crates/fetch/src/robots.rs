//! robots.txt: fetched once per origin, parsed by `texting_robots`, cached for a while.
//!
//! What a robots.txt answer means follows Google's documented rules: a 2xx body is
//! parsed (an unparsable one allows everything); a 4xx other than 429 means there are no
//! rules, so everything is allowed; a 429, a 5xx or no answer at all (timeout, connection
//! failure) means the site is not crawled for now — the failure is cached for
//! `robots_error_ttl` and the robots.txt tried again after that.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use texting_robots::Robot;

/// The rules of one origin.
#[derive(Debug)]
pub(crate) enum Rules {
    /// No robots.txt (4xx) or an unreadable one: everything allowed.
    AllowAll,
    /// robots.txt could not be fetched: nothing allowed for now.
    Unavailable(String),
    /// The parsed file.
    Parsed(Box<Robot>),
}

impl Rules {
    /// Parses a robots.txt body for warta's product token.
    pub(crate) fn parse(agent: &str, body: &[u8]) -> Self {
        match Robot::new(agent, body) {
            Ok(robot) => Self::Parsed(Box::new(robot)),
            Err(_) => Self::AllowAll,
        }
    }

    /// The `Crawl-delay` for warta, if any.
    pub(crate) fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Self::Parsed(r) => r
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d.min(86_400.0))),
            _ => None,
        }
    }
}

#[derive(Debug)]
struct Entry {
    rules: Arc<Rules>,
    expires: Instant,
}

/// Rules per origin. Each origin has its own lock, so threads wanting the same robots.txt
/// wait for the one fetching it instead of fetching it again.
#[derive(Debug, Default)]
pub(crate) struct RobotsCache {
    origins: Mutex<HashMap<String, Arc<Mutex<Option<Entry>>>>>,
}

impl RobotsCache {
    /// The rules for `origin`, calling `fetch` (which returns the rules and how long to keep
    /// them) when there are none or they have expired. An `Err` from `fetch` is passed on
    /// and not cached.
    pub(crate) fn rules<E>(
        &self,
        origin: &str,
        fetch: impl FnOnce() -> Result<(Rules, Duration), E>,
    ) -> Result<Arc<Rules>, E> {
        let cell = {
            let mut map = self.origins.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(map.entry(origin.to_string()).or_default())
        };
        let mut entry = cell.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(e) = entry.as_ref().filter(|e| e.expires > Instant::now()) {
            return Ok(Arc::clone(&e.rules));
        }
        let (rules, ttl) = fetch()?;
        let rules = Arc::new(rules);
        *entry = Some(Entry {
            rules: Arc::clone(&rules),
            expires: Instant::now() + ttl,
        });
        Ok(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsed_rules_and_crawl_delay() {
        let txt = b"User-agent: *\nDisallow: /private\nCrawl-delay: 1.5\n";
        let rules = Rules::parse("warta", txt);
        let Rules::Parsed(robot) = &rules else {
            panic!("not parsed")
        };
        assert!(!robot.allowed("https://a.example/private/x"));
        assert!(robot.allowed("https://a.example/public"));
        assert_eq!(rules.crawl_delay(), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn cached_until_expiry() {
        let cache = RobotsCache::default();
        let mut calls = 0;
        for _ in 0..3 {
            cache
                .rules::<()>("https://a.example", || {
                    calls += 1;
                    Ok((Rules::AllowAll, Duration::from_secs(60)))
                })
                .unwrap();
        }
        assert_eq!(calls, 1);
        cache
            .rules::<()>("https://b.example", || {
                Ok((Rules::AllowAll, Duration::ZERO))
            })
            .unwrap();
        cache
            .rules::<()>("https://b.example", || {
                calls += 1;
                Ok((Rules::AllowAll, Duration::ZERO))
            })
            .unwrap();
        assert_eq!(calls, 2);
    }
}
