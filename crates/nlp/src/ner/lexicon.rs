//! Gazetteer evidence for the tagger, from the curated tables in `data/`
//! (the same files the linker embeds): which tokens start or continue a known
//! country, place (by kind), organisation or person name, a title, or a word
//! that is never a name on its own.
//!
//! Unlike the linker's matcher, this one ignores case (NERP is partly
//! lowercased text); the templates pair each hit with the token's own
//! capitalisation so the model learns how much to trust a lowercase hit.
//! Matching is on lowercased token hashes, longest match first, left to right,
//! without overlaps; it allocates nothing per token.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::features::lower_hash;
use crate::segment::{Segmenter, Token};

/// Kinds of gazetteer phrase (stored in [`Lexicon`] entries; 0 = none).
pub(crate) const COUNTRY: u8 = 1;
pub(crate) const ORG: u8 = 2;
pub(crate) const PERSON: u8 = 3;
pub(crate) const TITLE: u8 = 4;
/// Places: `PLACE + index in PLACE_KINDS`.
pub(crate) const PLACE: u8 = 5;
const PLACE_KINDS: &[&str] = &[
    "capital", "city", "province", "state", "region", "island", "sea", "landmark",
];

/// Per-token result of [`Lexicon::annotate`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LexTag {
    /// Kind of the phrase covering the token (0: none).
    pub(crate) kind: u8,
    /// 0: single-token phrase, 1: first, 2: inside, 3: last token.
    pub(crate) pos: u8,
    /// The token occurs in a known person's name.
    pub(crate) name_word: bool,
    /// The token (alone) is listed as never being an entity.
    pub(crate) not_entity: bool,
}

/// Keys that are already well-mixed 64-bit hashes need no further hashing.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// A map keyed by a feature hash.
pub(crate) type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;
type HashSetKeyed = HashSet<u64, BuildHasherDefault<IdHasher>>;

/// A phrase's lowercased token hashes and its kind.
type Phrase = (Box<[u64]>, u8);

#[derive(Default)]
pub(crate) struct Lexicon {
    /// Phrases by the hash of their first lowercased token: (token hashes, kind),
    /// longest first.
    phrases: HashKeyed<Vec<Phrase>>,
    name_words: HashSetKeyed,
    not_entities: HashSetKeyed,
}

impl Lexicon {
    /// The embedded tables.
    pub(crate) fn shared() -> &'static Lexicon {
        static SHARED: OnceLock<Lexicon> = OnceLock::new();
        SHARED.get_or_init(|| {
            let mut lx = Lexicon::default();
            lx.load_tsv(include_str!("../../data/countries.tsv"), 1, 2, |_| COUNTRY);
            lx.load_tsv(
                include_str!("../../data/country-aliases.tsv"),
                99,
                1,
                |_| COUNTRY,
            );
            lx.load_tsv(include_str!("../../data/places.tsv"), 0, 3, |row| {
                let kind = row.get(1).copied().unwrap_or("");
                PLACE
                    + PLACE_KINDS
                        .iter()
                        .position(|k| *k == kind)
                        .unwrap_or(PLACE_KINDS.len() - 1) as u8
            });
            lx.load_tsv(include_str!("../../data/organizations.tsv"), 0, 2, |_| ORG);
            lx.load_tsv(include_str!("../../data/people.tsv"), 0, 2, |_| PERSON);
            for line in lines(include_str!("../../data/titles.txt")) {
                lx.add(line, TITLE);
            }
            for line in lines(include_str!("../../data/not-entities.txt")) {
                lx.not_entities.insert(lower_hash(line));
            }
            for v in lx.phrases.values_mut() {
                v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
                v.dedup_by(|a, b| a.0 == b.0);
            }
            lx
        })
    }

    /// Loads a `.tsv` table: column `name_col` (99: none) and the `|`-separated
    /// aliases of column `alias_col`, each a phrase of kind `kind(row)`.
    fn load_tsv(
        &mut self,
        tsv: &str,
        name_col: usize,
        alias_col: usize,
        kind: impl Fn(&[&str]) -> u8,
    ) {
        for line in lines(tsv) {
            let row: Vec<&str> = line.split('\t').collect();
            let k = kind(&row);
            if let Some(name) = row.get(name_col) {
                self.add(name, k);
            }
            if let Some(aliases) = row.get(alias_col) {
                for a in aliases.split('|') {
                    self.add(a, k);
                }
            }
        }
    }

    fn add(&mut self, phrase: &str, kind: u8) {
        let phrase = phrase.trim();
        if phrase.is_empty() {
            return;
        }
        let mut toks: Vec<Token> = Vec::new();
        Segmenter::shared().tokenize(phrase, &mut toks);
        let hashes: Box<[u64]> = toks.iter().map(|t| lower_hash(t.text(phrase))).collect();
        if hashes.is_empty() {
            return;
        }
        if kind == PERSON {
            for (t, &h) in toks.iter().zip(hashes.iter()) {
                if t.text(phrase).chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                    self.name_words.insert(h);
                }
            }
        }
        self.phrases
            .entry(hashes[0])
            .or_default()
            .push((hashes, kind));
    }

    /// Tags every token given its lowercased hash.
    pub(crate) fn annotate(&self, lower: &[u64], out: &mut [LexTag]) {
        let mut i = 0;
        while i < lower.len() {
            out[i].name_word = self.name_words.contains(&lower[i]);
            out[i].not_entity = self.not_entities.contains(&lower[i]);
            i += 1;
        }
        let mut i = 0;
        while i < lower.len() {
            let hit = self.phrases.get(&lower[i]).and_then(|cands| {
                cands.iter().find(|(p, _)| {
                    i + p.len() <= lower.len() && p.iter().zip(&lower[i..]).all(|(a, b)| a == b)
                })
            });
            match hit {
                Some((p, kind)) => {
                    let n = p.len();
                    for (k, slot) in out[i..i + n].iter_mut().enumerate() {
                        slot.kind = *kind;
                        slot.pos = if n == 1 {
                            0
                        } else if k == 0 {
                            1
                        } else if k + 1 == n {
                            3
                        } else {
                            2
                        };
                    }
                    i += n;
                }
                None => i += 1,
            }
        }
    }
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(words: &[&str]) -> Vec<LexTag> {
        let h: Vec<u64> = words.iter().map(|w| lower_hash(w)).collect();
        let mut out = vec![LexTag::default(); h.len()];
        Lexicon::shared().annotate(&h, &mut out);
        out
    }

    #[test]
    fn known_names_are_found_whatever_the_case() {
        let t = tags(&["presiden", "joko", "widodo", "tiba", "di", "Jawa", "Timur"]);
        assert_eq!(t[0].kind, TITLE);
        assert_eq!((t[1].kind, t[1].pos), (PERSON, 1));
        assert_eq!((t[2].kind, t[2].pos), (PERSON, 3));
        assert!(t[1].name_word);
        assert_eq!(t[3].kind, 0);
        assert!(t[5].kind >= PLACE);
        let t = tags(&["Korut", "dan", "korea", "selatan"]);
        assert_eq!(t[0].kind, COUNTRY);
        assert_eq!((t[2].kind, t[3].pos), (COUNTRY, 3));
    }
}
