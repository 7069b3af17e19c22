//! The address policy: which IP addresses a crawl may connect to.
//!
//! Names are resolved by the fetcher's own resolver, which drops every address in a
//! non-public range (unless `allow_private`), and the connection is made to one of the
//! addresses that passed. The check and the connection use the same lookup, so a name
//! cannot pass with a public address and then connect to a private one (DNS rebinding).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// The non-public range `ip` is in (`loopback`, `private`, `link-local`, `CGNAT`, …), or
/// `None` for an ordinary public address. IPv4 addresses embedded in IPv6 (mapped,
/// compatible, NAT64, 6to4) are judged by the IPv4 address.
pub fn non_public_range(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_range(v4),
        IpAddr::V6(v6) => v6_range(v6),
    }
}

fn v4_range(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    let range = match (a, b, c) {
        _ if ip.is_unspecified() => "unspecified",
        _ if ip.is_broadcast() => "broadcast",
        (0, _, _) => "this-network",
        (127, _, _) => "loopback",
        (10, _, _) => "private",
        (172, 16..=31, _) => "private",
        (192, 168, _) => "private",
        (169, 254, _) => "link-local",
        (100, 64..=127, _) => "CGNAT (shared)",
        (192, 0, 0) => "IETF protocol",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (198, 18..=19, _) => "benchmarking",
        (224..=239, _, _) => "multicast",
        (240..=255, _, _) => "reserved",
        _ => return None,
    };
    Some(range)
}

fn v6_range(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = embedded_v4(ip) {
        return v4_range(v4);
    }
    let seg = ip.segments();
    let range = match seg[0] {
        _ if ip.is_unspecified() => "unspecified",
        _ if ip.is_loopback() => "loopback",
        0xfc00..=0xfdff => "private (ULA)",
        0xfe80..=0xfebf => "link-local",
        0xfec0..=0xfeff => "site-local",
        0xff00..=0xffff => "multicast",
        0x2001 if seg[1] == 0x0db8 => "documentation",
        0x0100 if seg[1..4] == [0, 0, 0] => "discard",
        _ => return None,
    };
    Some(range)
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
/// (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) or 6to4 (`2002:aabb:ccdd::`) address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(tail()),
        // ::1 and :: are IPv6's own loopback and unspecified, not embedded IPv4.
        [0, 0, 0, 0, 0, 0, hi, lo] if hi != 0 || lo > 1 => Some(tail()),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(tail()),
        [0x2002, hi, lo, ..] => Some(Ipv4Addr::new(
            (hi >> 8) as u8,
            hi as u8,
            (lo >> 8) as u8,
            lo as u8,
        )),
        _ => None,
    }
}

/// An address the policy refused; travels inside `ureq::Error::Other` from the resolver.
#[derive(Debug)]
pub(crate) struct Refused {
    pub(crate) addr: IpAddr,
    pub(crate) range: &'static str,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "refused {}: {} address", self.addr, self.range)
    }
}

impl std::error::Error for Refused {}

/// ureq's resolver with the policy applied: non-public addresses are dropped, and a host
/// with nothing left is refused.
#[derive(Debug, Default)]
pub(crate) struct PolicyResolver {
    pub(crate) allow_private: bool,
    inner: DefaultResolver,
}

impl PolicyResolver {
    pub(crate) fn new(allow_private: bool) -> Self {
        Self {
            allow_private,
            inner: DefaultResolver::default(),
        }
    }
}

impl Resolver for PolicyResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        // A failed lookup is a host that does not resolve, whatever the OS called it.
        let found = self
            .inner
            .resolve(uri, config, timeout)
            .map_err(|e| match e {
                ureq::Error::Io(_) => ureq::Error::HostNotFound,
                other => other,
            })?;
        if self.allow_private {
            return Ok(found);
        }
        let mut kept = self.empty();
        let mut refused = None;
        for addr in found.iter() {
            match non_public_range(addr.ip()) {
                None => kept.push(*addr),
                Some(range) => {
                    refused.get_or_insert(Refused {
                        addr: addr.ip(),
                        range,
                    });
                }
            }
        }
        match refused {
            Some(r) if kept.is_empty() => Err(ureq::Error::Other(Box::new(r))),
            _ => Ok(kept),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(s: &str) -> Option<&'static str> {
        non_public_range(s.parse().unwrap())
    }

    #[test]
    fn non_public_ranges_are_named() {
        for (ip, want) in [
            ("127.0.0.1", "loopback"),
            ("127.255.0.9", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.64.0.1", "CGNAT (shared)"),
            ("0.0.0.0", "unspecified"),
            ("255.255.255.255", "broadcast"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fc00::1", "private (ULA)"),
            ("fd12:3456::1", "private (ULA)"),
            ("fe80::1", "link-local"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.0.0.1", "private"),
            ("::ffff:169.254.1.1", "link-local"),
            ("64:ff9b::a00:1", "private"),
            ("2002:c0a8:101::1", "private"),
        ] {
            assert_eq!(range(ip), Some(want), "{ip}");
        }
    }

    fn resolve(resolver: &PolicyResolver, uri: &str) -> Result<Vec<IpAddr>, ureq::Error> {
        let uri: Uri = uri.parse().unwrap();
        let config = ureq::config::Config::default();
        let found = resolver.resolve(&uri, &config, NextTimeout::default())?;
        Ok(found.iter().map(|a| a.ip()).collect())
    }

    /// Only names that resolve locally (`/etc/hosts`, literals): no packet leaves.
    #[test]
    fn the_resolver_refuses_loopback_unless_allowed() {
        let strict = PolicyResolver::new(false);
        for uri in [
            "http://127.0.0.1:9/",
            "http://[::1]:9/",
            "http://localhost:9/",
        ] {
            let Err(ureq::Error::Other(e)) = resolve(&strict, uri) else {
                panic!("{uri} was not refused");
            };
            let refused = e.downcast_ref::<Refused>().expect("a Refused error");
            assert_eq!(refused.range, "loopback", "{uri}");
        }
        let open = PolicyResolver::new(true);
        assert_eq!(
            resolve(&open, "http://127.0.0.1:9/").unwrap(),
            [IpAddr::from([127, 0, 0, 1])]
        );
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert_eq!(range(ip), None, "{ip}");
        }
    }
}
