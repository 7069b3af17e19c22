//! A watch as an Atom 1.0 feed (RFC 4287), for any feed reader: one entry per matched
//! story, newest first.

use warta_store::Watch;

use crate::format::escape_html;
use crate::story::Story;

/// Text for element content and double-quoted attributes: the markup characters
/// escaped as for Telegram's HTML ([`escape_html`]), and the control characters
/// XML 1.0 does not allow dropped.
fn xml(s: &str) -> String {
    let not_xml = |c: char| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r');
    if s.contains(not_xml) {
        escape_html(&s.replace(not_xml, ""))
    } else {
        escape_html(s)
    }
}

/// The Atom document of `watch` with the `stories` it matched (newest first, as
/// [`crate::watch_stories`] gives them). `self_url` is the feed's own address, when
/// known.
pub fn atom_feed(watch: &Watch, stories: &[Story], self_url: Option<&str>) -> String {
    let updated = stories
        .first()
        .map_or(watch.created.as_str(), |s| s.matched_at.as_str());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!(
        "  <id>urn:warta:watch:{}</id>\n  <title>warta watch: {}</title>\n",
        watch.id,
        xml(&watch.name)
    ));
    out.push_str(&format!("  <updated>{}</updated>\n", xml(updated)));
    out.push_str("  <author><name>warta</name></author>\n");
    out.push_str("  <generator>warta</generator>\n");
    if let Some(u) = self_url {
        out.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            xml(u)
        ));
    }
    for story in stories {
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <id>urn:warta:watch:{}:article:{}</id>\n",
            watch.id,
            xml(&story.article_id)
        ));
        out.push_str(&format!(
            "    <title>{}</title>\n",
            xml(story.title.as_deref().unwrap_or("(untitled)"))
        ));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            xml(&story.matched_at)
        ));
        if let Some(u) = story
            .url
            .as_deref()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        {
            out.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                xml(u)
            ));
        }
        let mut summary: Vec<String> = Vec::new();
        if let Some(s) = &story.site {
            summary.push(s.clone());
        }
        if let Some(p) = &story.published {
            summary.push(p.clone());
        }
        if !story.entities.is_empty() {
            summary.push(story.entities.join(", "));
        }
        if let Some(q) = &story.quote {
            summary.push(match &q.speaker {
                Some(s) => format!("“{}” — {s}", q.text),
                None => format!("“{}”", q.text),
            });
        }
        if !summary.is_empty() {
            out.push_str(&format!(
                "    <summary>{}</summary>\n",
                xml(&summary.join(" · "))
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
