//! Telegram messages in the Bot API's HTML parse mode: `&`, `<` and `>` escaped (and `"`
//! inside attributes), links only to `http(s)`, and never more than
//! [`TELEGRAM_LIMIT`] characters, texts being cut at a character boundary with `…`
//! rather than the message being cut mid-tag.

use crate::story::Story;

/// The Bot API's limit on a message's length, in characters.
pub const TELEGRAM_LIMIT: usize = 4096;

/// `&`, `<`, `>` (and `"`) as HTML entities: the only escaping Telegram's HTML mode needs.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// `s` cut to at most `max` characters (ending in `…` when cut), whitespace trimmed.
fn cut(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    // Prefer a word boundary when one is near.
    if let Some(space) = out.rfind(char::is_whitespace)
        && out[space..].chars().count() < 20
    {
        out.truncate(space);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

fn link(url: Option<&str>) -> Option<&str> {
    url.filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

fn render_story(story: &Story, title_max: usize, quote_max: usize) -> String {
    let mut out = format!("🔔 <b>{}</b>\n", escape_html(&cut(&story.watch, 100)));
    let title = cut(story.title.as_deref().unwrap_or("(untitled)"), title_max);
    match link(story.url.as_deref()) {
        Some(u) if u.chars().count() <= 1000 => out.push_str(&format!(
            "<b><a href=\"{}\">{}</a></b>\n",
            escape_html(u),
            escape_html(&title)
        )),
        _ => out.push_str(&format!("<b>{}</b>\n", escape_html(&title))),
    }
    let mut line: Vec<String> = Vec::new();
    if let Some(site) = &story.site {
        line.push(escape_html(&cut(site, 100)));
    }
    if let Some(date) = &story.published {
        line.push(escape_html(&cut(date, 40)));
    }
    if !line.is_empty() {
        out.push_str(&format!("<i>{}</i>\n", line.join(" · ")));
    }
    if !story.entities.is_empty() {
        let names: Vec<String> = story
            .entities
            .iter()
            .map(|e| escape_html(&cut(e, 80)))
            .collect();
        out.push_str(&format!("👤 {}\n", names.join(", ")));
    }
    if let Some(q) = &story.quote
        && quote_max > 0
    {
        out.push_str(&format!(
            "<blockquote>{}",
            escape_html(&cut(&q.text, quote_max))
        ));
        if let Some(s) = &q.speaker {
            out.push_str(&format!("\n— {}", escape_html(&cut(s, 100))));
        }
        out.push_str("</blockquote>\n");
    }
    if let Some(u) = link(story.url.as_deref()) {
        out.push_str(&escape_html(&cut(u, 1000)));
    }
    out.trim_end().to_string()
}

/// One story as a Telegram message (HTML parse mode), within [`TELEGRAM_LIMIT`].
pub fn telegram_message(story: &Story) -> String {
    let (mut title_max, mut quote_max) = (600, 1200);
    loop {
        let msg = render_story(story, title_max, quote_max);
        if msg.chars().count() <= TELEGRAM_LIMIT || (title_max <= 20 && quote_max == 0) {
            return msg;
        }
        if quote_max > 0 {
            quote_max /= 2;
            if quote_max < 40 {
                quote_max = 0;
            }
        } else {
            title_max = (title_max / 2).max(20);
        }
    }
}

/// A digest: one message listing the stories (as many as fit in [`TELEGRAM_LIMIT`],
/// then how many more there are).
pub fn telegram_digest(watch: &str, period: &str, stories: &[Story]) -> String {
    let mut out = format!(
        "🗞 <b>{}</b> — {} digest, {} {}\n",
        escape_html(&cut(watch, 100)),
        escape_html(period),
        stories.len(),
        if stories.len() == 1 {
            "story"
        } else {
            "stories"
        }
    );
    // Room kept for the "and N more" line.
    let reserve = 40;
    for (i, s) in stories.iter().enumerate() {
        let title = escape_html(&cut(s.title.as_deref().unwrap_or("(untitled)"), 200));
        let mut item = match link(s.url.as_deref()) {
            Some(u) if u.chars().count() <= 1000 => {
                format!("\n• <a href=\"{}\">{title}</a>", escape_html(u))
            }
            _ => format!("\n• {title}"),
        };
        let meta: Vec<String> = [s.site.as_deref(), s.published.as_deref()]
            .into_iter()
            .flatten()
            .map(|m| escape_html(&cut(m, 60)))
            .collect();
        if !meta.is_empty() {
            item.push_str(&format!(" <i>({})</i>", meta.join(", ")));
        }
        if out.chars().count() + item.chars().count() + reserve > TELEGRAM_LIMIT {
            out.push_str(&format!("\n… and {} more", stories.len() - i));
            break;
        }
        out.push_str(&item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::StoryQuote;

    fn story() -> Story {
        Story {
            watch: "Banjir & <longsor>".into(),
            article_id: "a1".into(),
            title: Some("Banjir <b>bandang</b> & longsor".into()),
            url: Some("https://kompas.com/berita?a=1&b=\"2\"".into()),
            site: Some("kompas.com".into()),
            published: Some("2024-03-01".into()),
            language: "id".into(),
            entities: vec!["BNPB".into(), "Jawa Tengah".into()],
            quote: Some(StoryQuote {
                text: "Air naik <2 meter> & deras".into(),
                speaker: Some("Abdul Muhari".into()),
            }),
            matched_at: "2024-03-01T10:00:00Z".into(),
        }
    }

    #[test]
    fn escapes_and_shows_everything() {
        let m = telegram_message(&story());
        assert!(m.contains("<b>Banjir &amp; &lt;longsor&gt;</b>"), "{m}");
        assert!(m.contains(
            "<a href=\"https://kompas.com/berita?a=1&amp;b=&quot;2&quot;\">Banjir &lt;b&gt;bandang&lt;/b&gt; &amp; longsor</a>"
        ), "{m}");
        assert!(m.contains("kompas.com · 2024-03-01"));
        assert!(m.contains("BNPB, Jawa Tengah"));
        assert!(m.contains("Air naik &lt;2 meter&gt; &amp; deras\n— Abdul Muhari"));
    }

    #[test]
    fn never_exceeds_the_limit() {
        let mut s = story();
        s.title = Some("judul & panjang ".repeat(800));
        s.quote.as_mut().unwrap().text = "<kutipan> ".repeat(3000);
        s.entities = (0..500).map(|i| format!("Entitas {i}")).collect();
        s.entities.truncate(8);
        let m = telegram_message(&s);
        assert!(m.chars().count() <= TELEGRAM_LIMIT, "{}", m.chars().count());
        assert!(m.contains('…'));
        // Cut cleanly: no broken entity or tag.
        assert!(!m.contains("&am…") && !m.contains("&l…"));
        assert_eq!(
            m.matches("<blockquote>").count(),
            m.matches("</blockquote>").count()
        );
        let stories: Vec<Story> = (0..200).map(|_| s.clone()).collect();
        let d = telegram_digest("banjir", "hourly", &stories);
        assert!(d.chars().count() <= TELEGRAM_LIMIT);
        assert!(d.contains("more"));
    }
}
