//! Stable identifiers for articles.

use sha2::{Digest, Sha256};

/// Returns the first 16 hex digits of the SHA-256 of `bytes`: a stable,
/// collision-resistant content fingerprint.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(16);
    for b in &digest[..8] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Returns the stable id of an article: derived from its canonical URL when one
/// is known (so every fetch of the same story gets the same id), otherwise from
/// its title and body text.
///
/// Ids from URLs start with `u`, ids from content with `c`, so the two can never
/// collide.
pub fn article_id(canonical_url: Option<&str>, title: Option<&str>, text: &str) -> String {
    match canonical_url {
        Some(url) if !url.is_empty() => format!("u{}", content_hash(url.as_bytes())),
        _ => {
            let mut h = Sha256::new();
            h.update(title.unwrap_or("").as_bytes());
            h.update([0u8]);
            h.update(text.as_bytes());
            let digest = h.finalize();
            let mut out = String::from("c");
            for b in &digest[..8] {
                out.push_str(&format!("{b:02x}"));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_ids_are_stable_and_distinct_from_content_ids() {
        let a = article_id(Some("https://example.org/a"), None, "x");
        let b = article_id(Some("https://example.org/a"), Some("t"), "y");
        assert_eq!(a, b);
        assert!(a.starts_with('u'));
        let c = article_id(None, Some("t"), "y");
        assert!(c.starts_with('c'));
        assert_eq!(c.len(), 17);
        assert_ne!(c, article_id(None, Some("t"), "z"));
    }
}
