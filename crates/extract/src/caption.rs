//! Photo captions and their credits.
//!
//! A credit closes the caption: in brackets (`(Foto: KCNA via AFP)`,
//! `[Photo: Reuters/Jane Doe]`, `(ANTARA FOTO/Name)`, `(Dok. Humas)`,
//! `(Instagram/@user)`), after a label (`Foto: X`, `| Photo: X`, `Photo by X`),
//! as an agency slug (`REUTERS/Name`, `AP Photo/Name`) or after a dash
//! (`— Reuters`). [`split_credit`] takes any of them off a text already known to be
//! a caption; [`looks_like_caption`] decides, for plain-text dumps, whether a line
//! is a caption at all, and so accepts only the unambiguous forms.

use std::sync::LazyLock;

use regex::Regex;

/// Captions longer than this (bytes) are not searched for a credit.
const MAX_CAPTION_BYTES: usize = 4000;

/// Longest credit we accept, in words.
const MAX_CREDIT_WORDS: usize = 12;

/// A label opening a bracketed credit: `Foto:`, `Photo by`, `Dok.`, `Sumber:`, `©`.
static BRACKET_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            (?:image|photo|foto|picture)\s+(?:credit|credits|courtesy|source|by)\s*:?
          | (?:photographed|illustrated|illustration|image|photo|picture)\s+by
          | foto\s+oleh | dok(?:umentasi)?\s+oleh | sumber\s+(?:foto|gambar)\s*:?
          | courtesy(?:\s+of)?
          | (?:fotos?|photos?|photograph|images?|gambar|picture|pic|pics|credits?|kredit|
             ilustrasi|illustration|sumber|source|grafis|graphic|infografis|video)\s*[:：]
          | (?:fotos?|photos?)\s*/
          | dok(?:umentasi)?\s*[.:]
          | doc\s*[.:]
          | ©
          | \(c\)
        )\s*",
    )
    .expect("valid regex")
});

/// A label opening a credit at the end of an unbracketed caption.
static TRAILING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)(?:^|[\s|•·/\-–—,;.])
        (?:
            (?:image|photo|foto)\s+credit\s*:
          | (?:photographed|photo|picture|image)\s+by\s
          | foto\s+oleh\s
          | sumber\s+foto\s*:
          | (?:fotos?|photos?|images?|credits?|kredit|ilustrasi|illustration)\s*[:：]
          | ©
        )\s*",
    )
    .expect("valid regex")
});

/// An agency slug: `ANTARA FOTO/Name`, `AP Photo/Name`, `REUTERS/Name`, `Instagram/@user`.
static SLUG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{Lu}[\p{L}\d.&'\-]*(?:\s+[\p{L}\d.&'\-]+){0,3})\s*/\s*[@\p{L}\d]")
        .expect("valid regex")
});

/// An agency slug closing an unbracketed caption: `… in Kyiv. REUTERS/Valentyn Ogirenko`.
static TRAILING_SLUG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s|•·(\-–—])((?:\p{Lu}{2,}(?:\s+(?:FOTO|PHOTO|Foto|Photo))?|\p{Lu}[\p{L}.]+\s+(?:FOTO|PHOTO|Foto|Photo|Images))\s*/\s*[@\p{L}][^/]{0,80}(?:/[^/]{1,40}){0,3})$",
    )
    .expect("valid regex")
});

/// Agencies and stock libraries that may stand alone as a credit: `(AFP)`, `— Reuters`.
const AGENCIES: &[&str] = &[
    "afp",
    "ap",
    "reuters",
    "antara",
    "antara foto",
    "getty",
    "getty images",
    "epa",
    "epa-efe",
    "efe",
    "xinhua",
    "bloomberg",
    "shutterstock",
    "istock",
    "istockphoto",
    "unsplash",
    "pexels",
    "freepik",
    "pixabay",
    "ist",
    "ist.",
    "istimewa",
    "handout",
    "kcna",
    "yonhap",
    "bernama",
    "anadolu",
    "anadolu agency",
    "ap photo",
    "reuters photo",
    "sputnik",
    "tass",
    "dpa",
    "ansa",
    "kyodo",
    "pa",
    "pa media",
    "alamy",
    "net",
    "dok",
    "dok.",
    "courtesy",
];

/// How sure a credit found at the end of a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// `— Reuters`, `(AFP)`: a credit when we already know the text is a caption.
    Weak,
    /// A label (`Foto:`) or a slug (`REUTERS/Name`): a caption wherever it stands.
    Strong,
}

/// Splits a caption into its text and its credit, e.g.
/// `"Kim Jong Un dan Putin (Foto: Alexey Nikolsky/SPUTNIK/AFP via Getty Images)"` →
/// `("Kim Jong Un dan Putin", "Alexey Nikolsky/SPUTNIK/AFP via Getty Images")`.
/// Returns `None` when the text carries no credit.
pub(crate) fn split_credit(caption: &str) -> Option<(String, String)> {
    find_credit(caption).map(|(t, c, _)| (t, c))
}

/// Splits text that is known to be a caption (a `<figcaption>`, a caption line):
/// besides what [`split_credit`] reads, a closing bracketed group that reads as names
/// is the credit there (`Kondisi tambang (Auriga Nusantara)` → `Auriga Nusantara`).
pub(crate) fn split_caption_credit(caption: &str) -> Option<(String, String)> {
    if let Some(found) = split_credit(caption) {
        return Some(found);
    }
    let t = caption.trim();
    let inner_start = t.strip_suffix(')')?.rfind('(')?;
    let inner = t[inner_start + 1..t.len() - 1].trim();
    let text = trim_text(&t[..inner_start]);
    let words = inner.split_whitespace().count();
    if text.is_empty()
        || words == 0
        || words > MAX_CREDIT_WORDS
        || inner.ends_with('.')
        || !name_like(inner)
    {
        return None;
    }
    Some((text, clean_credit(inner)))
}

/// The text of a credit element (`<span class=credit>Photo: Jane Doe/Agency</span>`, or a
/// credit already split from its caption) without brackets and without its label.
pub(crate) fn credit_without_label(credit: &str) -> String {
    let t = credit.trim().trim_matches(['(', ')', '[', ']']).trim();
    let t = BRACKET_LABEL.find(t).map_or(t, |m| &t[m.end()..]);
    clean_credit(t)
}

/// True when a line of a text dump is a photo caption: it ends with an unambiguous
/// credit (`(Foto: …)`, `[Photo: …]`, `(ANTARA FOTO/…)`, `REUTERS/…`, `| Photo: …`).
pub(crate) fn looks_like_caption(line: &str) -> bool {
    let line = line.trim();
    if line.len() > 1500 || line.split_whitespace().nth(80).is_some() {
        return false;
    }
    find_credit(line).is_some_and(|(_, _, s)| s == Strength::Strong)
}

fn find_credit(caption: &str) -> Option<(String, String, Strength)> {
    let t = caption.trim();
    if t.is_empty() || t.len() > MAX_CAPTION_BYTES {
        return None;
    }
    let found = bracketed(t)
        .or_else(|| trailing_label(t))
        .or_else(|| trailing_slug(t))
        .or_else(|| trailing_dash(t))?;
    let (text, credit, strength) = found;
    let credit = clean_credit(&credit);
    if credit.is_empty() || credit.split_whitespace().count() > MAX_CREDIT_WORDS {
        return None;
    }
    Some((trim_text(text), credit, strength))
}

/// `… (Foto: X)`, `… [Photo: X]`, `… (ANTARA FOTO/X)`, `… (AFP)`.
fn bracketed(t: &str) -> Option<(&str, String, Strength)> {
    let close = t.chars().next_back()?;
    let open = match close {
        ')' => '(',
        ']' => '[',
        '）' => '（',
        _ => return None,
    };
    // The matching opener, allowing nested brackets inside the credit.
    let mut depth = 0usize;
    let mut start = None;
    for (i, c) in t.char_indices().rev() {
        if c == close {
            depth += 1;
        } else if c == open {
            depth -= 1;
            if depth == 0 {
                start = Some(i);
                break;
            }
        }
        if t.len() - i > 300 {
            return None;
        }
    }
    let start = start?;
    let inner = t[start + open.len_utf8()..t.len() - close.len_utf8()].trim();
    let text = &t[..start];
    if inner.is_empty() {
        return None;
    }
    if let Some(m) = BRACKET_LABEL.find(inner) {
        let mut credit = inner[m.end()..].trim();
        // "(Foto: Dok. Pemkot)": a second label names the same holder.
        if let Some(m2) = BRACKET_LABEL.find(credit) {
            if m2.end() < credit.len() {
                credit = credit[m2.end()..].trim();
            }
        }
        // "(Dok.)", "(Foto: )" name no one.
        if credit.is_empty() {
            return None;
        }
        // "(Sumber: BPS)" also closes story sentences that cite data: a credit only
        // when the text is already known to be a caption.
        let label = m.as_str().to_lowercase();
        let strength =
            if label.starts_with("sumber") && !label.contains("foto") && !label.contains("gambar")
                || label.starts_with("source")
            {
                Strength::Weak
            } else {
                Strength::Strong
            };
        return Some((text, credit.to_string(), strength));
    }
    let words = inner.split_whitespace().count();
    if words <= MAX_CREDIT_WORDS && SLUG.is_match(inner) && !inner.ends_with('.') {
        return Some((text, inner.to_string(), Strength::Strong));
    }
    if (2..=8).contains(&words) && inner.contains(" via ") && inner.starts_with(char::is_uppercase)
    {
        return Some((text, inner.to_string(), Strength::Strong));
    }
    if AGENCIES.contains(&inner.to_lowercase().as_str()) && !text.trim().is_empty() {
        return Some((text, inner.to_string(), Strength::Weak));
    }
    None
}

/// `… Foto: X`, `… | Photo: X`, `… Photo by X`.
fn trailing_label(t: &str) -> Option<(&str, String, Strength)> {
    // The credit is short: only the end of the caption can hold its label.
    let mut from = t.len().saturating_sub(200);
    while !t.is_char_boundary(from) {
        from -= 1;
    }
    let tail = &t[from..];
    let m = TRAILING_LABEL.find_iter(tail).last()?;
    let credit = tail[m.end()..].trim();
    if credit.is_empty()
        || credit.split_whitespace().count() > MAX_CREDIT_WORDS
        || credit.contains(". ")
        || credit.ends_with(['?', '!', '”', '"'])
        || !name_like(credit)
    {
        return None;
    }
    // Keep the separator that opened the match out of the credit, in the text.
    let text = &t[..from + m.start()];
    Some((text, credit.to_string(), Strength::Strong))
}

/// A credit reads as names: it starts with a capital (or `@`, a digit) and most of
/// its words do ("KCNA via AFP", "Jane Doe"); "a cat on the desk." does not.
fn name_like(credit: &str) -> bool {
    let mut words = 0;
    let mut caps = 0;
    for w in credit.split_whitespace() {
        words += 1;
        if w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '@')
            || w.contains('/')
        {
            caps += 1;
        }
    }
    credit.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '@')
        && caps * 2 >= words
}

/// `… REUTERS/Name`, `… AP Photo/Name`.
fn trailing_slug(t: &str) -> Option<(&str, String, Strength)> {
    let mut from = t.len().saturating_sub(160);
    while !t.is_char_boundary(from) {
        from -= 1;
    }
    let tail = &t[from..];
    // A slug has a slash; most captions have none, and the Unicode-heavy reverse
    // search is the costliest rule here.
    if !tail.contains('/') {
        return None;
    }
    let caps = TRAILING_SLUG.captures(tail)?;
    let m = caps.get(1)?;
    let credit = m.as_str();
    if credit.split_whitespace().count() > MAX_CREDIT_WORDS
        || credit.ends_with(['.', '?', '!', '”', '"', ','])
        || credit.contains(". ")
    {
        return None;
    }
    Some((&t[..from + m.start()], credit.to_string(), Strength::Strong))
}

/// `… — Reuters`, `… - AFP/Jane Doe`.
fn trailing_dash(t: &str) -> Option<(&str, String, Strength)> {
    let (pos, sep) = [" — ", " – ", " - ", "—", "–"]
        .iter()
        .filter_map(|s| t.rfind(s).map(|p| (p, *s)))
        .max_by_key(|(p, _)| *p)?;
    let credit = t[pos + sep.len()..].trim();
    let text = &t[..pos];
    if text.trim().is_empty() || credit.is_empty() {
        return None;
    }
    let lower = credit.trim_end_matches('.').to_lowercase();
    let agency = AGENCIES.contains(&lower.as_str())
        || (SLUG.is_match(credit) && credit.split_whitespace().count() <= 6);
    agency.then(|| (text, credit.to_string(), Strength::Weak))
}

/// The credit without brackets, labels or closing punctuation.
fn clean_credit(c: &str) -> String {
    let c = crate::meta::squash(c);
    let c = c.trim_matches(|ch: char| {
        ch.is_whitespace() || matches!(ch, ',' | ';' | ':' | '|' | '-' | '–' | '—')
    });
    c.strip_suffix('.').unwrap_or(c).trim().to_string()
}

/// The caption text without the separators that stood before the credit.
fn trim_text(t: &str) -> String {
    let t = t.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '|' | '-' | '–' | '—' | ':' | ',' | ';' | '•' | '·' | '/' | '(' | '['
            )
    });
    crate::meta::squash(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Option<(String, String)> {
        split_credit(s)
    }

    fn pair(t: &str, c: &str) -> Option<(String, String)> {
        Some((t.to_string(), c.to_string()))
    }

    #[test]
    fn bracketed_credits() {
        assert_eq!(
            split(
                "Presiden Rusia dan pemimpin Korea Utara bersulang pada tahun 2019. (Foto: KCNA via AFP)"
            ),
            pair(
                "Presiden Rusia dan pemimpin Korea Utara bersulang pada tahun 2019.",
                "KCNA via AFP"
            )
        );
        assert_eq!(
            split("Kim Jong Un dan Putin (Foto: Alexey Nikolsky/SPUTNIK/AFP via Getty Images)"),
            pair(
                "Kim Jong Un dan Putin",
                "Alexey Nikolsky/SPUTNIK/AFP via Getty Images"
            )
        );
        assert_eq!(
            split("A man walks. (Photo: Reuters/Jane Doe)"),
            pair("A man walks.", "Reuters/Jane Doe")
        );
        assert_eq!(
            split("Warga antre beras. (ANTARA FOTO/Budi Santoso)"),
            pair("Warga antre beras.", "ANTARA FOTO/Budi Santoso")
        );
        assert_eq!(
            split("Banjir di Medan [Foto: Andi Lubis]"),
            pair("Banjir di Medan", "Andi Lubis")
        );
        assert_eq!(
            split("Rapat kabinet. (Dok. Humas Setkab)"),
            pair("Rapat kabinet.", "Humas Setkab")
        );
        assert_eq!(
            split("Jembatan baru (Foto: Dok. Pemkot)"),
            pair("Jembatan baru", "Pemkot")
        );
        assert_eq!(
            split("Grafik inflasi (Sumber: BPS)"),
            pair("Grafik inflasi", "BPS")
        );
        assert_eq!(
            split("The launch pad (Image credit: NASA/Joel Kowsky)"),
            pair("The launch pad", "NASA/Joel Kowsky")
        );
        assert_eq!(
            split("Protesters march (AP Photo/Evan Vucci)"),
            pair("Protesters march", "AP Photo/Evan Vucci")
        );
        assert_eq!(
            split("Sang aktris berpose (Instagram/@contoh.akun)"),
            pair("Sang aktris berpose", "Instagram/@contoh.akun")
        );
        assert_eq!(
            split("Foto bersama (Foto/Istimewa)"),
            pair("Foto bersama", "Istimewa")
        );
        assert_eq!(split("Leaders meet (AFP)"), pair("Leaders meet", "AFP"));
        assert_eq!(
            split("Harbour at dusk (© Jane Doe)"),
            pair("Harbour at dusk", "Jane Doe")
        );
    }

    #[test]
    fn trailing_credits() {
        assert_eq!(
            split("Petugas memeriksa dokumen. Foto: Humas Polri"),
            pair("Petugas memeriksa dokumen.", "Humas Polri")
        );
        assert_eq!(
            split("A ship in the harbour | Photo: Jane Doe"),
            pair("A ship in the harbour", "Jane Doe")
        );
        assert_eq!(
            split("A ship in the harbour. Photo by Jane Doe"),
            pair("A ship in the harbour.", "Jane Doe")
        );
        assert_eq!(
            split("Smoke rises over the city — Reuters"),
            pair("Smoke rises over the city", "Reuters")
        );
        assert_eq!(
            split("A man stands near a damaged building in Kyiv. REUTERS/Valentyn Ogirenko"),
            pair(
                "A man stands near a damaged building in Kyiv.",
                "REUTERS/Valentyn Ogirenko"
            )
        );
        assert_eq!(
            split("Protesters march AP Photo/Evan Vucci"),
            pair("Protesters march", "AP Photo/Evan Vucci")
        );
        assert_eq!(split("(Foto: Jane Doe)"), pair("", "Jane Doe"));
    }

    #[test]
    fn no_credit() {
        for s in [
            "Kim tiba di Rusia",
            "China dianggap menjadi kunci, Rabu (13/9/2023)",
            "Menteri itu berbicara di Jakarta (13/9).",
            "The speed was 120 km (75 miles)",
            "Harga naik (and/or stays flat)",
            "He said it would happen (eventually)",
            "Kim tiba di perbatasan - kata pejabat",
            "(Foto: )",
            "",
        ] {
            assert_eq!(split(s), None, "{s}");
        }
    }

    #[test]
    fn captions_in_text_dumps() {
        assert!(looks_like_caption(
            "Kim Jong Un dan Putin (Foto: Alexey Nikolsky/SPUTNIK/AFP via Getty Images)"
        ));
        assert!(looks_like_caption(
            "A man stands in Kyiv. REUTERS/Valentyn Ogirenko"
        ));
        assert!(looks_like_caption(
            "Warga antre beras. (ANTARA FOTO/Budi Santoso)"
        ));
        assert!(!looks_like_caption("Smoke rises over the city — Reuters"));
        assert!(!looks_like_caption("Leaders meet (AFP)"));
        assert!(!looks_like_caption(
            "Inflasi naik 3 persen pada Agustus (Sumber: BPS)"
        ));
        assert!(!looks_like_caption(
            "He posted a photo: a cat sitting on the desk."
        ));
        assert!(!looks_like_caption(
            "ANDALPOST.COM — China dianggap menjadi kunci untuk mencegah potensi kesepakatan, Rabu (13/9/2023)."
        ));
        assert!(!looks_like_caption(
            "WASHINGTON (Reuters) - The talks went on."
        ));
        assert!(!looks_like_caption(&"kata ".repeat(200_000)));
    }

    #[test]
    fn known_captions_take_a_closing_name_group_as_credit() {
        assert_eq!(
            split_caption_credit("Kondisi Tambang di Raja Ampat(Auriga Nusantara)"),
            Some((
                "Kondisi Tambang di Raja Ampat".into(),
                "Auriga Nusantara".into()
            ))
        );
        assert_eq!(
            split_caption_credit("Harga naik tiga kali (lihat tabel)."),
            None
        );
        assert_eq!(split_caption_credit("Warga antre (foto bersama)"), None);
    }

    #[test]
    fn credit_elements_lose_brackets_and_labels() {
        assert_eq!(
            credit_without_label("Photo: Anna de Vries/Harbour Wire"),
            "Anna de Vries/Harbour Wire"
        );
        assert_eq!(credit_without_label("(Foto oleh Budi)"), "Budi");
        assert_eq!(credit_without_label("© Getty Images"), "Getty Images");
        assert_eq!(credit_without_label("KCNA via AFP"), "KCNA via AFP");
    }
}
