//! Text normalisation for fingerprints.
//!
//! Two copies of a story differ in ways that say nothing about the story:
//! letter case, punctuation and quote styles, whitespace and line wrapping,
//! `1.000` against `1,000`. Fingerprints are therefore taken over *words*: maximal
//! runs of letters and digits (Unicode, so Indonesian, Cyrillic or Thai text
//! works the same way), lowercased with Unicode's full lowercase mapping.
//! Combining marks (U+0300–U+036F) stay inside their word. Digits are kept:
//! "3 tewas" and "5 tewas" are different facts. Everything else separates words.
//!
//! No boilerplate is stripped here: a dateline, a "Baca juga: …" line or a credit
//! changes only the few shingles it touches, and measurement on the pair sets
//! showed shingling alone keeps such copies above the threshold (see the crate
//! documentation).

/// True for characters that belong to a word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Calls `f` with each normalised word of `text`, in order.
///
/// `buf` is scratch space (cleared before each word) so no allocation happens per word.
pub(crate) fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    for c in text.chars() {
        if is_word_char(c) {
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        } else if !buf.is_empty() {
            f(buf);
            buf.clear();
        }
    }
    if !buf.is_empty() {
        f(buf);
        buf.clear();
    }
}

/// Returns `text` as fingerprints see it: its normalised words joined by single spaces.
///
/// ```
/// assert_eq!(
///     warta_dedup::normalize_text("Harga BBM naik—lagi!\n\n“Rp 10.000,” katanya."),
///     "harga bbm naik lagi rp 10 000 katanya"
/// );
/// ```
pub fn normalize_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut buf = String::new();
    for_each_word(text, &mut buf, |w| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_punctuation_and_space() {
        assert_eq!(normalize_text("  Ünïcode   ÇA\tva  "), "ünïcode ça va");
        assert_eq!(
            normalize_text("JAKARTA, KOMPAS.com --"),
            "jakarta kompas com"
        );
        assert_eq!(normalize_text("e\u{301}te\u{301}"), "e\u{301}te\u{301}");
        assert_eq!(normalize_text("…—!?"), "");
        assert_eq!(normalize_text("İstanbul"), "i\u{307}stanbul");
    }
}
