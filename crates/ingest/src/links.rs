//! Links of a page, for crawling: every `<a href>` that stays on the page's site.

use lol_html::{HtmlRewriter, Settings, element};
use warta_fetch::Url;

/// Most links read from one page.
const MAX_LINKS: usize = 2_000;

/// The absolute http(s) links of a page (`<base href>` honoured) on the same host as
/// `page`, fragments removed, in page order without repeats.
pub fn same_site_links(html: &[u8], page: &Url) -> Vec<Url> {
    let mut hrefs: Vec<String> = Vec::new();
    let mut base: Option<String> = None;
    {
        let mut rewriter = HtmlRewriter::new(
            Settings {
                element_content_handlers: vec![
                    element!("base[href]", |el| {
                        if base.is_none() {
                            base = el.get_attribute("href");
                        }
                        Ok(())
                    }),
                    element!("a[href]", |el| {
                        if hrefs.len() < MAX_LINKS
                            && let Some(h) = el.get_attribute("href")
                        {
                            hrefs.push(h);
                        }
                        Ok(())
                    }),
                ],
                ..Settings::new()
            },
            |_: &[u8]| {},
        );
        // Malformed HTML is read as browsers read it; a rewriter error (memory limit)
        // just ends the list.
        if rewriter.write(html).is_ok() {
            let _ = rewriter.end();
        }
    }
    let base_url = base
        .and_then(|b| page.join(b.trim()).ok())
        .unwrap_or_else(|| page.clone());
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for h in hrefs {
        let Ok(mut u) = base_url.join(h.trim()) else {
            continue;
        };
        if !matches!(u.scheme(), "http" | "https") || u.host_str() != page.host_str() {
            continue;
        }
        u.set_fragment(None);
        if seen.insert(u.to_string()) {
            out.push(u);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_stay_on_the_site() {
        let page = Url::parse("https://berita.example/nasional/1").unwrap();
        let html = br#"<html><body>
            <a href="/nasional/2">dua</a> <a href="3#komentar">tiga</a>
            <a href="https://lain.example/x">lain</a> <a href="mailto:r@berita.example">surat</a>
            <a href="/nasional/2">lagi</a> <a href="javascript:void(0)">js</a>
            <p><a href=/tanpa-kutip>tanpa kutip</a></body>"#;
        let got: Vec<String> = same_site_links(html, &page)
            .into_iter()
            .map(|u| u.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "https://berita.example/nasional/2",
                "https://berita.example/nasional/3",
                "https://berita.example/tanpa-kutip"
            ]
        );
    }

    #[test]
    fn base_href_is_honoured() {
        let page = Url::parse("https://berita.example/a/b").unwrap();
        let html = br#"<head><base href="https://berita.example/arsip/"></head><a href="x">x</a>"#;
        let got = same_site_links(html, &page);
        assert_eq!(got[0].as_str(), "https://berita.example/arsip/x");
    }
}
