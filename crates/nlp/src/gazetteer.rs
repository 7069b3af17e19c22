//! Known entities and the names the press uses for them.
//!
//! Countries (ISO 3166-1 names in English, Indonesian and Malay, generated from
//! Debian's iso-codes, merged there with the curated press forms such as `Korut`, `AS`,
//! `RRT`, `Tiongkok`), places (capitals, cities, provinces, regions), organisations
//! and people often in the news, all embedded in the binary from `data/`. Also the
//! word lists the linker needs: titles that precede names and capitalised words
//! that never name anything on their own.
//!
//! Matching works on tokens. An acronym written in capitals (`AS`, `KCNA`) or an
//! alias flagged `cs` matches only with the same case; any other alias matches
//! whatever the case, but a one-word alias needs a capital in the text and a
//! longer one at least one capitalised word, so `as` or `timur` never match.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use warta_core::EntityKind;

use crate::segment::{Segmenter, Token};

/// One entity the gazetteer knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// Stable id (`country:KP`, `place:moscow`, `organization:reuters`, `person:joko-widodo`).
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// What it is.
    pub kind: EntityKind,
    /// ISO 3166-1 alpha-2 code of the country it is or belongs to.
    pub country: Option<String>,
    /// For places: `capital`, `city`, `province`, `region`, …
    pub place_kind: Option<String>,
}

#[derive(Debug, Clone)]
struct Alias {
    /// The alias's tokens as written.
    tokens: Box<[String]>,
    /// The same, lowercased.
    lower: Box<[String]>,
    /// Index of the entity in `Gazetteer::known`.
    entity: u32,
    /// Match only with the same case.
    case_sensitive: bool,
    /// Only when a recogniser also saw a name there.
    ambiguous: bool,
}

/// A gazetteer hit: tokens `[start, end)` name `entity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Index into [`Gazetteer::entity`].
    pub entity: u32,
    /// The alias is ambiguous: trust it only when a recogniser agrees.
    pub ambiguous: bool,
}

/// The embedded tables of known entities and name words.
#[derive(Debug, Default)]
pub struct Gazetteer {
    known: Vec<Known>,
    by_id: HashMap<String, u32>,
    /// Aliases by their first token, lowercased.
    aliases: HashMap<String, Vec<Alias>>,
    titles: HashSet<String>,
    max_title_tokens: usize,
    not_entities: HashSet<String>,
    /// English demonyms (`Russian`, `North Korean`) to the country's entity.
    demonyms: HashMap<String, u32>,
}

impl Gazetteer {
    /// The tables embedded in the binary.
    pub fn shared() -> &'static Gazetteer {
        static SHARED: OnceLock<Gazetteer> = OnceLock::new();
        SHARED.get_or_init(|| {
            let mut g = Gazetteer::default();
            g.load_countries(include_str!("../data/countries.tsv"));
            g.load_places(include_str!("../data/places.tsv"));
            g.load_named(
                include_str!("../data/organizations.tsv"),
                EntityKind::Organization,
            );
            g.load_named(include_str!("../data/people.tsv"), EntityKind::Person);
            g.load_words(include_str!("../data/titles.txt"), true);
            g.load_words(include_str!("../data/not-entities.txt"), false);
            g.load_demonyms(include_str!("../data/demonyms.tsv"));
            g
        })
    }

    /// The known entity at `index` (from a [`Hit`]).
    pub fn entity(&self, index: u32) -> &Known {
        &self.known[index as usize]
    }

    /// The known entity with this id.
    pub fn by_id(&self, id: &str) -> Option<&Known> {
        self.by_id.get(id).map(|&i| &self.known[i as usize])
    }

    /// The country entity with this ISO 3166-1 alpha-2 code.
    pub fn country(&self, code: &str) -> Option<&Known> {
        self.by_id(&format!("country:{}", code.to_ascii_uppercase()))
    }

    /// True when `words` (lowercased, space-separated) is a title such as `presiden`
    /// or `wakil presiden` that precedes a name but is not part of it.
    pub fn is_title(&self, words: &str) -> bool {
        self.titles.contains(words)
    }

    /// The longest title among the tokens starting at `lower[0]`, in tokens (0 if none).
    pub fn title_len(&self, lower: &[&str]) -> usize {
        let mut key = String::new();
        let mut best = 0;
        for (n, w) in lower.iter().take(self.max_title_tokens).enumerate() {
            if n > 0 {
                key.push(' ');
            }
            key.push_str(w.trim_end_matches('.'));
            if self.titles.contains(&key) {
                best = n + 1;
            }
        }
        best
    }

    /// True when a capitalised word such as `Rabu`, `Timur` or `Namun` never names
    /// an entity on its own.
    pub fn is_not_entity(&self, lower: &str) -> bool {
        self.not_entities.contains(lower) || self.titles.contains(lower)
    }

    /// The entity an exact name refers to (any case), e.g. a photo credit part.
    pub fn lookup(&self, name: &str) -> Option<u32> {
        let mut toks = Vec::new();
        Segmenter::shared().tokenize(name, &mut toks);
        let words: Vec<&str> = toks.iter().map(|t| t.text(name)).collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let first = lower.first()?;
        self.aliases
            .get(first)?
            .iter()
            .find(|a| {
                a.lower.len() == lower.len() && a.lower.iter().zip(&lower).all(|(x, y)| x == y)
            })
            .map(|a| a.entity)
    }

    /// Known names in one sentence, longest first, not overlapping, left to right.
    /// `words` are the tokens as written and `lower` the same lowercased.
    pub fn find(&self, words: &[&str], lower: &[&str], out: &mut Vec<Hit>) {
        let mut i = 0;
        while i < words.len() {
            let mut best: Option<Hit> = None;
            if let Some(cands) = self.aliases.get(lower[i]) {
                for a in cands {
                    let n = a.lower.len();
                    if i + n > words.len() || best.is_some_and(|b| b.end - b.start >= n) {
                        continue;
                    }
                    if self.matches(a, &words[i..i + n], &lower[i..i + n]) {
                        best = Some(Hit {
                            start: i,
                            end: i + n,
                            entity: a.entity,
                            ambiguous: a.ambiguous,
                        });
                    }
                }
            }
            match best {
                Some(hit) => {
                    out.push(hit);
                    i = hit.end;
                }
                None => i += 1,
            }
        }
    }

    fn matches(&self, a: &Alias, words: &[&str], lower: &[&str]) -> bool {
        if a.lower.iter().zip(lower).any(|(x, y)| x != y) {
            return false;
        }
        if a.case_sensitive {
            return a.tokens.iter().zip(words).all(|(x, y)| x == y);
        }
        let capital = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
        if words.len() == 1 {
            capital(&words[0])
        } else {
            words.iter().any(capital)
        }
    }

    fn add_entity(&mut self, known: Known) -> u32 {
        if let Some(&i) = self.by_id.get(&known.id) {
            return i;
        }
        let i = self.known.len() as u32;
        self.by_id.insert(known.id.clone(), i);
        self.known.push(known);
        i
    }

    /// Registers `alias` for entity `entity`; `flags` is the row's flag column
    /// (`ambiguous`, `cs`, `ci`, each for the row or as `flag:NAME` for one name).
    fn add_alias(&mut self, entity: u32, alias: &str, flags: &str) {
        let alias = alias.trim();
        if alias.is_empty() {
            return;
        }
        let mut toks: Vec<Token> = Vec::new();
        Segmenter::shared().tokenize(alias, &mut toks);
        if toks.is_empty() {
            return;
        }
        let tokens: Box<[String]> = toks.iter().map(|t| t.text(alias).to_string()).collect();
        let lower: Box<[String]> = tokens.iter().map(|t| t.to_lowercase()).collect();
        let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
        let acronym = tokens.len() == 1
            && letters.len() >= 2
            && letters.len() <= 6
            && letters.iter().all(|c| c.is_uppercase());
        // `flag` applies to the whole row, `flag:NAME` to that name only.
        let has = |flag: &str| {
            flags
                .split('|')
                .map(str::trim)
                .any(|f| match f.split_once(':') {
                    Some((name, only)) => name == flag && only.trim() == alias,
                    None => f == flag,
                })
        };
        let case_sensitive = (has("cs") || acronym) && !has("ci");
        let ambiguous = has("ambiguous");
        let list = self.aliases.entry(lower[0].clone()).or_default();
        if list
            .iter()
            .any(|a| a.entity == entity && a.tokens == tokens && a.case_sensitive == case_sensitive)
        {
            return;
        }
        if let Some(other) = list
            .iter_mut()
            .find(|a| a.lower == lower && a.entity != entity)
        {
            // Two entities share this spelling: keep the first, never guess between them.
            other.ambiguous |= !case_sensitive && !other.case_sensitive;
            return;
        }
        list.push(Alias {
            tokens,
            lower,
            entity,
            case_sensitive,
            ambiguous,
        });
    }

    /// Registers an entity's own name and its `|`-separated aliases, with the row's flags.
    fn add_names(&mut self, entity: u32, name: &str, aliases: Option<&&str>, flags: Option<&&str>) {
        let flags = flags.copied().unwrap_or("");
        self.add_alias(entity, name, flags);
        for alias in aliases.copied().unwrap_or("").split('|') {
            self.add_alias(entity, alias, flags);
        }
    }

    fn load_countries(&mut self, tsv: &str) {
        for cols in rows(tsv) {
            let (Some(code), Some(name)) = (cols.first(), cols.get(1)) else {
                continue;
            };
            let e = self.add_entity(Known {
                id: format!("country:{code}"),
                name: (*name).to_string(),
                kind: EntityKind::Country,
                country: Some((*code).to_string()),
                place_kind: None,
            });
            self.add_names(e, name, cols.get(2), cols.get(3));
        }
    }

    fn load_places(&mut self, tsv: &str) {
        for cols in rows(tsv) {
            let (Some(name), Some(kind)) = (cols.first(), cols.get(1)) else {
                continue;
            };
            // Several countries are listed primary first (`Borneo ID|MY|BN`).
            let country = cols
                .get(2)
                .and_then(|c| c.split('|').next())
                .filter(|c| !c.is_empty())
                .map(str::to_string);
            let e = self.add_entity(Known {
                id: format!("place:{}", slug(name)),
                name: (*name).to_string(),
                kind: EntityKind::Place,
                country,
                place_kind: Some((*kind).to_string()),
            });
            self.add_names(e, name, cols.get(3), cols.get(4));
        }
    }

    fn load_named(&mut self, tsv: &str, kind: EntityKind) {
        let prefix = match kind {
            EntityKind::Person => "person",
            _ => "organization",
        };
        for cols in rows(tsv) {
            let Some(name) = cols.first() else { continue };
            let country = cols
                .get(1)
                .filter(|c| !c.is_empty())
                .map(|c| (*c).to_string());
            let e = self.add_entity(Known {
                id: format!("{prefix}:{}", slug(name)),
                name: (*name).to_string(),
                kind,
                country,
                place_kind: None,
            });
            self.add_names(e, name, cols.get(2), cols.get(3));
        }
    }

    fn load_demonyms(&mut self, tsv: &str) {
        for cols in rows(tsv) {
            let Some(&e) = cols
                .first()
                .and_then(|c| self.by_id.get(&format!("country:{c}")))
            else {
                continue;
            };
            for d in cols
                .get(1)
                .map_or("", |s| s)
                .split('|')
                .filter(|d| !d.is_empty())
            {
                let mut toks = Vec::new();
                Segmenter::shared().tokenize(d, &mut toks);
                let key: Vec<&str> = toks.iter().map(|t| t.text(d)).collect();
                self.demonyms.insert(key.join(" "), e);
            }
        }
    }

    /// The country whose demonym ends the given words (`… North Korean`), if any.
    pub fn demonym_before(&self, words: &[&str]) -> Option<u32> {
        (1..=2.min(words.len())).rev().find_map(|n| {
            self.demonyms
                .get(&words[words.len() - n..].join(" "))
                .copied()
        })
    }

    fn load_words(&mut self, list: &str, titles: bool) {
        for line in list.lines() {
            let w = line.trim();
            if w.is_empty() || w.starts_with('#') {
                continue;
            }
            let w = w.trim_end_matches('.').to_lowercase();
            if titles {
                self.max_title_tokens = self.max_title_tokens.max(w.split(' ').count());
                self.titles.insert(w);
            } else {
                self.not_entities.insert(w);
            }
        }
    }
}

/// The non-comment rows of a TSV table, split into columns.
fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// A lowercase ASCII id part: `Kim Jong Un` → `kim-jong-un`, `Zürich` → `zurich`.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Latin letters with diacritics to their base letter (enough for names in ids).
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => 'A',
        'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' => 'E',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => 'I',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => 'O',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' => 'U',
        'ç' | 'č' | 'ć' => 'c',
        'Ç' | 'Č' | 'Ć' => 'C',
        'ñ' | 'ń' => 'n',
        'Ñ' | 'Ń' => 'N',
        'š' | 'ś' | 'ş' => 's',
        'Š' | 'Ś' | 'Ş' => 'S',
        'ž' | 'ź' | 'ż' => 'z',
        'Ž' | 'Ź' | 'Ż' => 'Z',
        'ý' | 'ÿ' => 'y',
        'ğ' => 'g',
        'ł' => 'l',
        'Ł' => 'L',
        'ß' => 's',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str) -> Vec<(String, String)> {
        let g = Gazetteer::shared();
        let mut toks = Vec::new();
        Segmenter::shared().tokenize(text, &mut toks);
        let words: Vec<&str> = toks.iter().map(|t| t.text(text)).collect();
        let lower_owned: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let lower: Vec<&str> = lower_owned.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        g.find(&words, &lower, &mut out);
        out.iter()
            .map(|h| {
                (
                    words[h.start..h.end].join(" "),
                    g.entity(h.entity).id.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn press_forms_of_one_country_are_one_entity() {
        for name in ["Korea Utara", "Korut", "North Korea", "DPRK"] {
            let h = hits(&format!("Pemimpin {name} tiba di sana."));
            assert_eq!(h.len(), 1, "{name}: {h:?}");
            assert_eq!(h[0].1, "country:KP", "{name}");
        }
        for name in ["China", "Tiongkok", "RRT", "Cina"] {
            assert_eq!(
                hits(&format!("kata {name} hari ini"))[0].1,
                "country:CN",
                "{name}"
            );
        }
        for name in ["AS", "Amerika Serikat", "United States"] {
            assert_eq!(
                hits(&format!("kata {name} hari ini"))[0].1,
                "country:US",
                "{name}"
            );
        }
        for name in ["Rusia", "Russia", "Federasi Rusia"] {
            assert_eq!(
                hits(&format!("kata {name} hari ini"))[0].1,
                "country:RU",
                "{name}"
            );
        }
    }

    #[test]
    fn case_rules_keep_common_words_out() {
        assert!(hits("as long as it takes, timur dan barat").is_empty());
        assert_eq!(hits("di timur jauh Rusia")[0].1, "place:russian-far-east");
    }

    #[test]
    fn capitals_are_places_in_their_country() {
        let g = Gazetteer::shared();
        let h = hits("Moskow dan Pyongyang");
        assert_eq!(h.len(), 2);
        let moscow = g.by_id(&h[0].1).expect("known");
        assert_eq!(moscow.kind, EntityKind::Place);
        assert_eq!(moscow.country.as_deref(), Some("RU"));
        assert_eq!(
            g.by_id(&h[1].1).and_then(|k| k.country.as_deref()),
            Some("KP")
        );
    }

    #[test]
    fn titles_and_non_names_are_known() {
        let g = Gazetteer::shared();
        assert_eq!(g.title_len(&["wakil", "presiden", "gibran"]), 2);
        assert_eq!(g.title_len(&["presiden", "rusia"]), 1);
        assert!(g.is_not_entity("rabu"));
        assert!(g.is_not_entity("timur"));
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Kim Jong Un"), "kim-jong-un");
        assert_eq!(slug("Agence France-Presse"), "agence-france-presse");
        assert_eq!(slug("Zürich"), "zurich");
    }
}
