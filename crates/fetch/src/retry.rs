//! Retry waits: exponential backoff with jitter, and the server's `Retry-After`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Reads a `Retry-After` value: a number of seconds or an HTTP date (a date in the past
/// means no wait).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The source of jitter: splitmix64 over an atomic counter, so threads share it without a
/// lock and a fixed seed gives fixed waits.
#[derive(Debug)]
pub(crate) struct Jitter(AtomicU64);

impl Jitter {
    pub(crate) fn new(seed: Option<u64>) -> Self {
        let seed = seed.unwrap_or_else(|| {
            use std::hash::{BuildHasher, Hasher};
            // std's per-process random keys: randomness without a dependency.
            std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish()
        });
        Self(AtomicU64::new(seed))
    }

    /// A number in [0, 1).
    fn next(&self) -> f64 {
        let mut z = self
            .0
            .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed)
            .wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The wait before retry number `retry` (1 for the first): `base · 2^(retry-1)`, capped
    /// at `max`, then scaled by a random factor in [0.5, 1) so clients that failed together
    /// do not come back together.
    pub(crate) fn backoff(&self, retry: u32, base: Duration, max: Duration) -> Duration {
        let exp = base.saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        exp.min(max).mul_f64(0.5 + self.next() / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::ZERO)
        );
        let earlier = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777 - 30);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", earlier),
            Some(Duration::from_secs(30))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn backoff_grows_is_capped_and_reproducible() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        let (a, b) = (Jitter::new(Some(7)), Jitter::new(Some(7)));
        for retry in 1..8 {
            let w = a.backoff(retry, base, max);
            assert_eq!(w, b.backoff(retry, base, max));
            let full = base.saturating_mul(1 << (retry - 1)).min(max);
            assert!(w >= full / 2 && w < full, "{retry}: {w:?}");
        }
    }
}
