//! URL normalisation: one address per story however it was linked.
//!
//! The same article is reached under many addresses: with tracking parameters
//! from a newsletter or a social network, with a `#comments` fragment, over
//! `http` or `https`, on `www.` or the mobile `m.` host, or as its AMP
//! rendition. [`normalize_url`] maps them to one form; [`url_key`] hashes that
//! form for storage. The rules are deliberately conservative: a rule that merges
//! two different pages would fold two stories into one, which is worse than
//! missing an exact duplicate (the text fingerprint still finds it).

use url::Url;

use crate::hash::sha64;

/// Query parameters that only track where a reader came from. Parameters starting
/// with `utm_` are dropped too.
const TRACKING: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "spm",
    "ocid",
    "cmpid",
    "__twitter_impression",
];

/// Query parameters that ask for the AMP rendition: `amp`, `amp=1`, `outputType=amp`.
fn is_amp_param(key: &str, value: &str) -> bool {
    (key.eq_ignore_ascii_case("amp") && matches!(value, "" | "1" | "true" | "yes"))
        || (key.eq_ignore_ascii_case("outputtype") && value.eq_ignore_ascii_case("amp"))
}

/// Host prefixes that name another rendition of the same site.
const HOST_PREFIXES: &[&str] = &["www.", "m.", "amp.", "mobile."];

/// Returns the normalised form of an http(s) address, or `None` for anything
/// else (other schemes, relative or unparsable addresses).
///
/// Rules, in order:
/// - the scheme becomes `https` (`http` and `https` serve the same story);
/// - the host is lowercased (IDNA, by the URL parser) and loses one leading `www.`,
///   `m.`, `amp.` or `mobile.` when at least two labels remain (`m.detik.com` →
///   `detik.com`, but `m.co` stays); a trailing dot goes; default ports go; user
///   and password go;
/// - the fragment goes;
/// - tracking parameters go (`utm_*`, `fbclid`, `gclid`, `msclkid`, `igshid`,
///   `mc_cid`, … see the list in the source) and AMP switches (`amp`, `amp=1`,
///   `outputType=amp`); the remaining parameters are sorted by name (stable, so
///   repeated names keep their order); an empty query goes;
/// - AMP paths become the plain path: a first or last path segment `amp`
///   (`/amp/news/x`, `/news/x/amp/`) is removed, and a last segment ending in
///   `.amp` or `.amp.html` loses the `.amp` (`/x.amp.html` → `/x.html`);
/// - a trailing slash goes, except for the root path (`/news/x/` → `/news/x`);
///   letter case in the path and query is kept (servers may tell it apart).
///
/// ```
/// use warta_dedup::normalize_url;
/// assert_eq!(
///     normalize_url("http://WWW.Example.com/amp/news/a-b/?utm_source=x&id=3#top").as_deref(),
///     Some("https://example.com/news/a-b?id=3")
/// );
/// ```
pub fn normalize_url(url: &str) -> Option<String> {
    let u = Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = u.host_str()?.trim_end_matches('.').to_lowercase();
    let host = HOST_PREFIXES
        .iter()
        .find_map(|p| {
            host.strip_prefix(p)
                .filter(|rest| rest.contains('.') && !rest.ends_with('.'))
        })
        .unwrap_or(&host)
        .to_string();
    let mut out = String::with_capacity(url.len());
    out.push_str("https://");
    out.push_str(&host);
    if let Some(port) = u.port().filter(|&p| p != 80 && p != 443) {
        out.push(':');
        out.push_str(&port.to_string());
    }
    out.push_str(&normalize_path(u.path()));
    let mut params: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, v)| {
            let lk = k.to_ascii_lowercase();
            !lk.starts_with("utm_") && !TRACKING.contains(&lk.as_str()) && !is_amp_param(k, v)
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !params.is_empty() {
        params.sort_by(|a, b| a.0.cmp(&b.0));
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        out.push('?');
        out.push_str(&query);
    }
    Some(out)
}

/// The path without AMP segments and without a trailing slash (`/` for the root).
fn normalize_path(path: &str) -> String {
    let mut segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segs.first().is_some_and(|s| s.eq_ignore_ascii_case("amp")) {
        segs.remove(0);
    }
    if segs.last().is_some_and(|s| s.eq_ignore_ascii_case("amp")) {
        segs.pop();
    }
    let mut out = String::with_capacity(path.len());
    for (i, s) in segs.iter().enumerate() {
        out.push('/');
        if i + 1 == segs.len() {
            if let Some(stem) = s.strip_suffix(".amp.html") {
                out.push_str(stem);
                out.push_str(".html");
                continue;
            }
            if let Some(stem) = s.strip_suffix(".amp").filter(|st| !st.is_empty()) {
                out.push_str(stem);
                continue;
            }
        }
        out.push_str(s);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// The stable 64-bit key of an address: the first 8 bytes (big-endian) of the
/// SHA-256 of [`normalize_url`]; `None` when the address is not http(s).
pub fn url_key(url: &str) -> Option<u64> {
    normalize_url(url).map(|n| sha64(n.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(u: &str) -> String {
        normalize_url(u).unwrap_or_else(|| "-".into())
    }

    #[test]
    fn variants_of_one_story_meet() {
        let want = "https://kompas.com/read/2023/09/13/berita-a";
        for u in [
            "https://kompas.com/read/2023/09/13/berita-a",
            "http://www.kompas.com/read/2023/09/13/berita-a/",
            "https://amp.kompas.com/read/2023/09/13/berita-a",
            "https://m.kompas.com/read/2023/09/13/berita-a#komentar",
            "https://KOMPAS.com./read/2023/09/13/berita-a?utm_source=twitter&utm_medium=social",
            "https://kompas.com/read/2023/09/13/berita-a?fbclid=IwAR0&amp=1",
            "https://kompas.com/amp/read/2023/09/13/berita-a",
            "https://kompas.com/read/2023/09/13/berita-a/amp/",
            "https://kompas.com:443/read/2023/09/13/berita-a?outputType=amp",
        ] {
            assert_eq!(n(u), want, "{u}");
        }
        assert_eq!(n("https://x.com/a/b.amp.html"), "https://x.com/a/b.html");
        assert_eq!(n("https://x.com/a/b.amp"), "https://x.com/a/b");
    }

    #[test]
    fn different_pages_stay_apart() {
        assert_ne!(n("https://x.com/a?id=1"), n("https://x.com/a?id=2"));
        assert_ne!(n("https://x.com/News/A"), n("https://x.com/news/a"));
        assert_ne!(n("https://x.com/a?page=2"), n("https://x.com/a"));
        assert_ne!(n("https://news.x.com/a"), n("https://x.com/a"));
        // `amp` inside the path is a word, not a rendition.
        assert_eq!(n("https://x.com/news/amp/a"), "https://x.com/news/amp/a");
        assert_eq!(n("https://m.co/a"), "https://m.co/a");
        assert_eq!(n("https://x.com/a?amp=0"), "https://x.com/a?amp=0");
        assert_eq!(
            n("https://x.com/a?b=2&a=1&b=1"),
            "https://x.com/a?a=1&b=2&b=1"
        );
        assert_eq!(n("https://x.com:8080/"), "https://x.com:8080/");
    }

    #[test]
    fn only_web_addresses() {
        assert_eq!(normalize_url("ftp://x.com/a"), None);
        assert_eq!(normalize_url("/relative/path"), None);
        assert_eq!(normalize_url("mailto:a@b.c"), None);
        assert_eq!(url_key("nonsense"), None);
        assert_eq!(url_key("http://x.com/a/"), url_key("https://www.x.com/a"));
    }
}
