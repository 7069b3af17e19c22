//! The per-host scheduler: one request at a time per host, and a pause between them.
//!
//! Each host has a slot. A thread that wants to fetch from a host waits until the slot is
//! free and the host's pause has passed, holds the slot for the whole exchange (headers and
//! body), and on release sets when the host may be asked next. Threads fetching from other
//! hosts do not wait on each other.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
struct Host {
    busy: bool,
    /// Earliest start of the next request.
    next: Option<Instant>,
    /// The host's pause between requests when longer than the configured delay
    /// (robots.txt `Crawl-delay`).
    delay: Option<Duration>,
}

/// Per-host slots, shared by all threads using one fetcher.
#[derive(Debug, Default)]
pub(crate) struct Hosts {
    hosts: Mutex<HashMap<String, Host>>,
    freed: Condvar,
}

/// A held slot; released (with the default pause) when dropped.
#[derive(Debug)]
pub(crate) struct Slot<'a> {
    hosts: &'a Hosts,
    host: String,
    pause: Duration,
    /// A longer wait asked for on release (retry backoff, `Retry-After`).
    wait: Option<Duration>,
}

impl Hosts {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Host>> {
        self.hosts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Raises the pause between requests to `host` (a robots.txt `Crawl-delay`).
    pub(crate) fn set_crawl_delay(&self, host: &str, delay: Option<Duration>) {
        self.lock().entry(host.to_string()).or_default().delay = delay;
    }

    /// Waits until `host` is free and its pause has passed, then holds it. `delay` is the
    /// configured pause; the host's crawl delay wins when longer.
    pub(crate) fn acquire(&self, host: &str, delay: Duration) -> Slot<'_> {
        let mut map = self.lock();
        loop {
            let entry = map.entry(host.to_string()).or_default();
            if entry.busy {
                map = self.freed.wait(map).unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            let now = Instant::now();
            match entry.next {
                Some(next) if next > now => {
                    // Sleep without holding the lock; others may take the slot meanwhile,
                    // which is fine: they see the same `next` and wait too.
                    drop(map);
                    std::thread::sleep(next - now);
                    map = self.lock();
                }
                _ => {
                    entry.busy = true;
                    let pause = entry.delay.map_or(delay, |d| d.max(delay));
                    return Slot {
                        hosts: self,
                        host: host.to_string(),
                        pause,
                        wait: None,
                    };
                }
            }
        }
    }
}

impl Slot<'_> {
    /// Asks that the host not be contacted again for at least `wait` after release.
    pub(crate) fn wait_after(&mut self, wait: Duration) {
        self.wait = Some(self.wait.map_or(wait, |w| w.max(wait)));
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut map = self.hosts.lock();
        let entry = map.entry(std::mem::take(&mut self.host)).or_default();
        entry.busy = false;
        let pause = self.wait.map_or(self.pause, |w| w.max(self.pause));
        entry.next = Some(Instant::now() + pause);
        drop(map);
        self.hosts.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn one_at_a_time_per_host_with_a_pause() {
        let hosts = Arc::new(Hosts::default());
        let active = Arc::new(AtomicUsize::new(0));
        let starts = Arc::new(Mutex::new(Vec::new()));
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let (hosts, active, starts) = (hosts.clone(), active.clone(), starts.clone());
                std::thread::spawn(move || {
                    let _slot = hosts.acquire("a.example", Duration::from_millis(30));
                    assert_eq!(active.fetch_add(1, Ordering::SeqCst), 0, "overlap");
                    starts.lock().unwrap().push(Instant::now());
                    std::thread::sleep(Duration::from_millis(10));
                    active.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let mut s = starts.lock().unwrap().clone();
        s.sort();
        for w in s.windows(2) {
            assert!(w[1] - w[0] >= Duration::from_millis(40));
        }
    }

    #[test]
    fn other_hosts_do_not_wait() {
        let hosts = Hosts::default();
        let _a = hosts.acquire("a.example", Duration::from_secs(60));
        let t = Instant::now();
        let _b = hosts.acquire("b.example", Duration::from_secs(60));
        assert!(t.elapsed() < Duration::from_secs(1));
    }
}
