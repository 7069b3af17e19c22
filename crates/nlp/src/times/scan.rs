//! Splits text into the pieces the time finder looks at: words, numbers (with
//! their inner separators, `13/9/2023`, `14.05`, `1.000`), and punctuation marks,
//! each with byte and character offsets.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Letters, with inner hyphens and apostrophes (`anak-anak`, `Jum'at`).
    Word,
    /// Digits, with inner `.` `,` `/` `:` `-` `–` between digits.
    Number,
    /// Letters and digits run together (`G20`, `Rp2019`, `3x`): never a time.
    Mixed,
    /// One punctuation mark or symbol.
    Punct(char),
}

/// What follows a number's digits without a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Suffix {
    /// Nothing.
    #[default]
    None,
    /// `st`, `nd`, `rd`, `th`.
    Ordinal,
    /// `am`.
    Am,
    /// `pm`.
    Pm,
    /// `s` or `an` (`1990s`, `1990an`).
    Decade,
}

/// The digit groups of a number and the separators between them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Digits {
    /// Up to four groups: (value, number of digits).
    pub(crate) groups: [(u32, u8); 4],
    /// The separator before group 1, 2, 3.
    pub(crate) seps: [char; 3],
    /// How many groups; 0 when the number has more than four or a group is too long.
    pub(crate) len: u8,
    /// What the digits run into.
    pub(crate) suffix: Suffix,
}

impl Digits {
    /// The single group's value and digit count, when the number has one group.
    pub(crate) fn single(&self) -> Option<(u32, u8)> {
        (self.len == 1).then_some(self.groups[0])
    }
}

/// One token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) shape: Shape,
    /// Byte range in the text.
    pub(crate) byte_start: usize,
    pub(crate) byte_end: usize,
    /// Character range in the text.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Whitespace before this token.
    pub(crate) spaced: bool,
    /// The first letter is a capital.
    pub(crate) capital: bool,
    /// Sentence number (a sentence ends at `.`, `!`, `?`, `;` or a line break).
    pub(crate) sentence: u32,
    key: [u8; KEY_LEN],
    key_len: u8,
    /// For numbers.
    pub(crate) digits: Digits,
}

const KEY_LEN: usize = 15;

impl Token {
    /// The word in ASCII lower case with `’` as `'`; empty when it has other
    /// non-ASCII letters or is longer than the longest word the finder knows.
    pub(crate) fn key(&self) -> &str {
        std::str::from_utf8(&self.key[..self.key_len as usize]).unwrap_or("")
    }

    /// The punctuation mark, if this is one.
    pub(crate) fn punct(&self) -> Option<char> {
        match self.shape {
            Shape::Punct(c) => Some(c),
            _ => None,
        }
    }
}

fn is_number_sep(c: char) -> bool {
    matches!(c, '.' | ',' | '/' | ':' | '-' | '–')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Splits `text` into tokens.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |i: usize| if i < n { chars[i].0 } else { text.len() };
    let mut out = Vec::with_capacity(n / 5 + 1);
    let mut i = 0;
    let mut spaced = true;
    let mut sentence = 0u32;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            if c == '\n' {
                sentence += 1;
            }
            spaced = true;
            i += 1;
            continue;
        }
        let start = i;
        let mut tok = Token {
            shape: Shape::Punct(c),
            byte_start: byte_at(start),
            byte_end: 0,
            start,
            end: 0,
            spaced,
            capital: c.is_uppercase(),
            sentence,
            key: [0; KEY_LEN],
            key_len: 0,
            digits: Digits::default(),
        };
        if c.is_ascii_digit() {
            // Digit groups joined by single separators.
            let mut d = Digits::default();
            let mut ok = true;
            let mut groups = 0usize;
            loop {
                let g_start = i;
                let mut value: u64 = 0;
                while i < n && chars[i].1.is_ascii_digit() {
                    value = value
                        .saturating_mul(10)
                        .saturating_add(u64::from(chars[i].1 as u32 - '0' as u32));
                    i += 1;
                }
                let len = i - g_start;
                if groups < 4 && len <= 9 {
                    d.groups[groups] = (value as u32, len as u8);
                } else {
                    ok = false;
                }
                groups += 1;
                if i + 1 < n && is_number_sep(chars[i].1) && chars[i + 1].1.is_ascii_digit() {
                    if groups <= 3 {
                        d.seps[groups - 1] = chars[i].1;
                    }
                    i += 1;
                } else {
                    break;
                }
            }
            d.len = if ok { groups as u8 } else { 0 };
            tok.shape = Shape::Number;
            if i < n && chars[i].1.is_alphanumeric() {
                let s_start = i;
                while i < n && chars[i].1.is_alphanumeric() {
                    i += 1;
                }
                let suffix: String = chars[s_start..i]
                    .iter()
                    .map(|(_, c)| c.to_ascii_lowercase())
                    .collect();
                d.suffix = match suffix.as_str() {
                    "st" | "nd" | "rd" | "th" => Suffix::Ordinal,
                    "am" => Suffix::Am,
                    "pm" => Suffix::Pm,
                    "s" | "an" => Suffix::Decade,
                    _ => {
                        tok.shape = Shape::Mixed;
                        Suffix::None
                    }
                };
            }
            tok.digits = d;
        } else if c.is_alphabetic() {
            let mut has_digit = false;
            let mut key_len = 0usize;
            let mut key_ok = true;
            while i < n {
                let ch = chars[i].1;
                let joined = (ch == '-' || is_apostrophe(ch))
                    && i + 1 < n
                    && chars[i + 1].1.is_alphabetic()
                    && i > start
                    && chars[i - 1].1.is_alphabetic();
                if !(ch.is_alphanumeric() || joined) {
                    break;
                }
                has_digit |= ch.is_numeric();
                let k = if is_apostrophe(ch) {
                    '\''
                } else {
                    ch.to_ascii_lowercase()
                };
                if k.is_ascii() && key_len < KEY_LEN {
                    tok.key[key_len] = k as u8;
                    key_len += 1;
                } else {
                    key_ok = false;
                }
                i += 1;
            }
            // `Tuesday's concert`: the possessive is not part of the word.
            if key_len > 3 && tok.key[key_len - 2..key_len] == *b"'s" {
                key_len -= 2;
            }
            tok.key_len = if key_ok && !has_digit {
                key_len as u8
            } else {
                0
            };
            tok.shape = if has_digit { Shape::Mixed } else { Shape::Word };
        } else {
            i += 1;
            if matches!(c, '.' | '!' | '?' | ';' | '…') {
                // The token itself belongs to the sentence it ends.
                sentence += 1;
            }
        }
        tok.end = i;
        tok.byte_end = byte_at(i);
        spaced = false;
        out.push(tok);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_numbers_words_and_marks() {
        let t = tokens("Rabu (13/9/2023) pukul 14.05 WIB, Jum’at 1.000 G20 13th");
        let shapes: Vec<Shape> = t.iter().map(|t| t.shape).collect();
        assert_eq!(shapes[0], Shape::Word);
        assert_eq!(shapes[1], Shape::Punct('('));
        assert_eq!(shapes[2], Shape::Number);
        assert_eq!(t[2].digits.len, 3);
        assert_eq!(t[2].digits.groups[2], (2023, 4));
        assert_eq!(t[2].digits.seps[..2], ['/', '/']);
        assert_eq!(t[5].digits.groups[..2], [(14, 2), (5, 2)]);
        assert_eq!(t[6].key(), "wib");
        assert_eq!(t[8].key(), "jum'at");
        assert_eq!(t[9].digits.groups[..2], [(1, 1), (0, 3)]);
        assert_eq!(t[10].shape, Shape::Mixed);
        assert_eq!(t[11].digits.suffix, Suffix::Ordinal);
        assert_eq!((t[11].start, t[11].end), (51, 55));
    }
}
