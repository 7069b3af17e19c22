//! Words and sentences, with offsets into the text they came from.
//!
//! Tokens follow the conventions of the Indonesian NER corpora the entity model is
//! trained on: words, numbers and each punctuation mark are separate tokens, but a
//! number keeps its inner separators (`13/9/2023`, `10.000`, `3,5`, `14.05`), a word
//! keeps inner hyphens and apostrophes (`anak-anak`, `Jum'at`), a name written
//! with dots keeps them (`andalpost.com`, `a.n.`, `U.S.`), and a known abbreviation
//! keeps its final dot (`Dr.`, `Jl.`, `dll.`), so none of them ends a sentence.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets
//! after it) when what follows starts a new sentence: a capital, a digit, an
//! opening quote or bracket, or the end of the text. Sentences longer than
//! [`MAX_SENTENCE_TOKENS`] are cut, so text without punctuation still yields
//! bounded pieces.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

/// Sentences are cut after this many tokens even without punctuation.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// One word, number or punctuation mark: `[start, end)` in bytes of the text tokenized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just after the last character.
    pub end: usize,
}

impl Token {
    /// The token's text within `text`.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// One sentence: its tokens (indices into the token list) and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Indices of the sentence's tokens in the token list.
    pub tokens: Range<usize>,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just after the last character.
    pub end: usize,
}

/// Splits text into tokens and sentences, knowing which dotted words are abbreviations.
#[derive(Debug)]
pub struct Segmenter {
    abbreviations: HashSet<String>,
}

/// Abbreviations after which a capital may still start a new sentence (`… dan lain-lain, dll.`).
const MAY_END_SENTENCE: &[&str] = &[
    "dll", "dsb", "dst", "dkk", "etc", "inc", "ltd", "co", "corp",
];

impl Segmenter {
    /// The segmenter with warta's built-in abbreviation list (Indonesian and English).
    pub fn shared() -> &'static Segmenter {
        static SHARED: OnceLock<Segmenter> = OnceLock::new();
        SHARED.get_or_init(|| {
            Segmenter::with_abbreviations(include_str!("../data/abbreviations.txt").lines())
        })
    }

    /// A segmenter knowing these abbreviations (written without their final dot,
    /// any case; `#` lines and blank lines are ignored).
    pub fn with_abbreviations<'a>(list: impl IntoIterator<Item = &'a str>) -> Segmenter {
        let abbreviations = list
            .into_iter()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.trim_end_matches('.').to_lowercase())
            .collect();
        Segmenter { abbreviations }
    }

    /// True when `word` (without its final dot) is a known abbreviation.
    pub fn is_abbreviation(&self, word: &str) -> bool {
        if word.len() > 12 {
            return false;
        }
        if word.bytes().all(|b| !b.is_ascii_uppercase()) {
            return self.abbreviations.contains(word);
        }
        self.abbreviations.contains(&word.to_lowercase())
    }

    /// Appends the tokens of `text` to `out`.
    pub fn tokenize(&self, text: &str, out: &mut Vec<Token>) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < text.len() {
            let c = char_at(text, i);
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            let start = i;
            if is_word_char(c) {
                i = self.word_end(text, i);
            } else if matches!(c, '.' | '!' | '?') {
                // `...`, `?!`: one token.
                while i < bytes.len() && matches!(bytes[i], b'.' | b'!' | b'?') {
                    i += 1;
                }
            } else if c == '-' && text[i..].starts_with("--") {
                while i < bytes.len() && bytes[i] == b'-' {
                    i += 1;
                }
            } else {
                i += c.len_utf8();
            }
            out.push(Token { start, end: i });
        }
    }

    /// Where the word starting at `start` ends, inner joiners and an abbreviation dot included.
    fn word_end(&self, text: &str, start: usize) -> usize {
        let mut i = start;
        let mut dotted = false;
        loop {
            // A run of letters, digits and marks.
            while i < text.len() {
                let c = char_at(text, i);
                if is_word_char(c) {
                    i += c.len_utf8();
                } else {
                    break;
                }
            }
            if i >= text.len() {
                return i;
            }
            let joiner = char_at(text, i);
            let after = i + joiner.len_utf8();
            let Some(next) = text[after..].chars().next() else {
                break;
            };
            let prev = text[..i].chars().next_back().unwrap_or(' ');
            let joins = match joiner {
                // Thousands and decimals, dates, times: between digits.
                ',' | '/' | ':' => prev.is_ascii_digit() && next.is_ascii_digit(),
                // Dots join anything written without a space: numbers, web
                // addresses, dotted abbreviations.
                '.' if is_word_char(next) => {
                    dotted = true;
                    true
                }
                '-' | '\'' | '’' => prev.is_alphanumeric() && next.is_alphanumeric(),
                '&' => prev.is_uppercase() && next.is_uppercase(),
                _ => false,
            };
            if !joins {
                break;
            }
            i = after;
        }
        // A final dot belongs to the word when the word is an abbreviation or an initial.
        if text[i..].starts_with('.') && !text[i..].starts_with("..") {
            let word = &text[start..i];
            let mut chars = word.chars();
            let initial =
                matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
            let is_number = word.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            if !is_number && (initial || (dotted && word.len() <= 8) || self.is_abbreviation(word))
            {
                i += 1;
            }
        }
        i
    }

    /// Splits `tokens` of `text` into sentences, appending them to `out`.
    pub fn sentences(&self, text: &str, tokens: &[Token], out: &mut Vec<SentenceSpan>) {
        let mut first = 0;
        let mut i = 0;
        while i < tokens.len() {
            let t = tokens[i].text(text);
            let mut end_here = false;
            let mut last = i;
            if ends_sentence(t) {
                // Closing quotes and brackets stay with the sentence they close.
                while last + 1 < tokens.len() && is_closer(text, tokens, last + 1) {
                    last += 1;
                }
                end_here = match tokens.get(last + 1) {
                    None => true,
                    Some(next) => starts_sentence(next.text(text)),
                };
            } else if t.len() > 1 && t.ends_with('.') {
                let word = &t[..t.len() - 1];
                end_here = MAY_END_SENTENCE.contains(&word.to_lowercase().as_str())
                    && tokens.get(i + 1).is_some_and(|n| {
                        n.text(text).chars().next().is_some_and(char::is_uppercase)
                    });
            }
            if !end_here && last + 1 - first >= MAX_SENTENCE_TOKENS {
                end_here = true;
            }
            if end_here || last + 1 == tokens.len() {
                out.push(SentenceSpan {
                    tokens: first..last + 1,
                    start: tokens[first].start,
                    end: tokens[last].end,
                });
                first = last + 1;
            }
            i = last + 1;
        }
    }
}

/// The character at byte `i` (which must be a char boundary).
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or(' ')
}

/// Letters, digits and combining marks make words.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Combining marks (accents written separately, Thai and Indic vowel signs).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0DFF | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E)
        && !c.is_alphanumeric()
}

/// A token that ends a sentence when a new one follows.
fn ends_sentence(t: &str) -> bool {
    t == "…" || (!t.is_empty() && t.bytes().all(|b| matches!(b, b'.' | b'!' | b'?')))
}

/// True when token `i` closes a quote or bracket opened before it: `”`, `’`, `)`, `]`,
/// or a straight quote written right after the previous token.
fn is_closer(text: &str, tokens: &[Token], i: usize) -> bool {
    match tokens[i].text(text) {
        "”" | "’" | ")" | "]" | "»" => true,
        "\"" | "'" => tokens[i].start == tokens[i - 1].end,
        _ => false,
    }
}

/// A token that can open a sentence.
fn starts_sentence(t: &str) -> bool {
    let Some(c) = t.chars().next() else {
        return false;
    };
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(
            c,
            '"' | '“' | '‘' | '\'' | '(' | '[' | '«' | '—' | '–' | '-' | '•'
        )
        || (c.is_alphabetic() && !c.is_lowercase())
}

/// Converts byte offsets of one text into character offsets, cheaply when asked in order.
#[derive(Debug)]
pub struct CharOffsets<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
    ascii: bool,
}

impl<'t> CharOffsets<'t> {
    /// A converter for `text`.
    pub fn new(text: &'t str) -> CharOffsets<'t> {
        CharOffsets {
            text,
            byte: 0,
            chars: 0,
            ascii: text.is_ascii(),
        }
    }

    /// The character offset of byte offset `byte` (a char boundary of the text).
    pub fn of(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg() -> Segmenter {
        Segmenter::with_abbreviations(["dr", "jl", "no", "a.n", "dll", "prof", "kab"])
    }

    fn tokens(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        seg().tokenize(text, &mut out);
        out.iter().map(|t| t.text(text)).collect()
    }

    fn sentences(text: &str) -> Vec<&str> {
        let s = seg();
        let mut toks = Vec::new();
        s.tokenize(text, &mut toks);
        let mut out = Vec::new();
        s.sentences(text, &toks, &mut out);
        out.iter().map(|x| &text[x.start..x.end]).collect()
    }

    #[test]
    fn tokens_follow_the_corpus_conventions() {
        assert_eq!(
            tokens("Rabu (13/9/2023), Rp10.000 dan 3,5 persen pukul 14.05 WIB."),
            [
                "Rabu",
                "(",
                "13/9/2023",
                ")",
                ",",
                "Rp10.000",
                "dan",
                "3,5",
                "persen",
                "pukul",
                "14.05",
                "WIB",
                "."
            ]
        );
        assert_eq!(
            tokens("“Anak-anak,” kata Dr. Budi di Jl. Sudirman No. 5 a.n. ANDALPOST.COM —"),
            [
                "“",
                "Anak-anak",
                ",",
                "”",
                "kata",
                "Dr.",
                "Budi",
                "di",
                "Jl.",
                "Sudirman",
                "No.",
                "5",
                "a.n.",
                "ANDALPOST.COM",
                "—"
            ]
        );
        assert_eq!(
            tokens("J. Smith's U.S. trip..."),
            ["J.", "Smith's", "U.S.", "trip", "..."]
        );
    }

    #[test]
    fn sentences_survive_abbreviations_numbers_and_quotes() {
        assert_eq!(
            sentences(
                "Dr. Budi tinggal di Jl. Sudirman No. 5, Kab. Bogor. Ia lahir 13.9.2023 pukul 14.05. \
                 “Kami siap,” kata dia. “Semua aman.” Lalu dia pergi."
            ),
            [
                "Dr. Budi tinggal di Jl. Sudirman No. 5, Kab. Bogor.",
                "Ia lahir 13.9.2023 pukul 14.05.",
                "“Kami siap,” kata dia.",
                "“Semua aman.”",
                "Lalu dia pergi."
            ]
        );
        assert_eq!(
            sentences("Harga naik 2,5 persen. 10 orang tewas! Benarkah? ya."),
            ["Harga naik 2,5 persen.", "10 orang tewas!", "Benarkah? ya."]
        );
    }

    #[test]
    fn text_without_punctuation_is_cut_into_bounded_sentences() {
        let text = "kata ".repeat(1000);
        let s = sentences(&text);
        assert_eq!(s.len(), 5);
    }

    #[test]
    fn char_offsets_count_characters() {
        let text = "Kim — “Putin” tiba";
        let mut c = CharOffsets::new(text);
        let b = text.find("Putin").expect("present");
        assert_eq!(c.of(b), 7);
        assert_eq!(c.of(text.len()), text.chars().count());
        assert_eq!(c.of(0), 0);
    }
}
