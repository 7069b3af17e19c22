//! Entity linking: from names found in sentences to one entity per person,
//! organisation, place or country in the article.
//!
//! Each sentence brings two kinds of evidence: the statistical recogniser's spans
//! (which find names nobody listed) and gazetteer hits (which know that `Korut` is
//! North Korea and that `Moskow` is a place in Russia). [`Linker::add_sentence`]
//! reconciles them; [`Linker::finish`] then joins mentions across the article —
//! `Putin` after `Vladimir Putin`, `Kim` after `Kim Jong Un` — and names each
//! entity. Titles (`Presiden`, `pemimpin`) are cut from names and give a person
//! their country when one stands between title and name (`Presiden Rusia Vladimir
//! Putin`). Names in photo credits are entities with role `credit`.

use std::collections::HashMap;

use warta_core::{Entity, EntityKind, Mention};

use crate::gazetteer::{Gazetteer, Hit, slug};
use crate::ner::{NerLabel, NerSpan};
use crate::segment::{CharOffsets, Segmenter, Token};

/// One field of the record that names things: `title`, `text`, `captions[0].text` …
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    /// Its name in the record, used in [`Mention::field`].
    pub name: &'a str,
    /// Its text.
    pub text: &'a str,
}

/// A name found in one sentence, before linking.
#[derive(Debug, Clone)]
struct Found {
    field: usize,
    /// Byte range within the field's text.
    start: usize,
    end: usize,
    kind: EntityKind,
    known: Option<u32>,
    /// Lowercased words of the name (for joining short forms to full names).
    words: Vec<String>,
    /// A country named right before the person (`Presiden Rusia …`).
    country_hint: Option<String>,
    credit: bool,
}

/// Collects the names of one article and links them into entities.
#[derive(Debug)]
pub struct Linker<'a> {
    gazetteer: &'a Gazetteer,
    fields: Vec<Field<'a>>,
    found: Vec<Found>,
    /// Capitalised words no name covered: `(field, start, end, lowercase)`; they
    /// become mentions when they repeat part of a person's full name.
    loose: Vec<(usize, usize, usize, String)>,
}

/// A span of one sentence's tokens with what it names.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    kind: EntityKind,
    known: Option<u32>,
    country_hint: Option<u32>,
}

impl<'a> Linker<'a> {
    /// A linker using `gazetteer`.
    pub fn new(gazetteer: &'a Gazetteer) -> Linker<'a> {
        Linker {
            gazetteer,
            fields: Vec::new(),
            found: Vec::new(),
            loose: Vec::new(),
        }
    }

    /// Registers a field; returns its index for [`Linker::add_sentence`].
    pub fn add_field(&mut self, field: Field<'a>) -> usize {
        self.fields.push(field);
        self.fields.len() - 1
    }

    /// Reconciles one sentence's recogniser spans and gazetteer hits.
    ///
    /// `tokens` are the sentence's tokens (byte offsets in the field's text),
    /// `words` their text and `lower` the same lowercased.
    pub fn add_sentence(
        &mut self,
        field: usize,
        tokens: &[Token],
        words: &[&str],
        lower: &[&str],
        ner: &[NerSpan],
        hits: &[Hit],
    ) {
        let g = self.gazetteer;
        let mut spans: Vec<Span> = Vec::new();
        let mut used = vec![false; hits.len()];
        for s in ner {
            let (start, end) = self.clean_span(words, lower, s.start, s.end.min(words.len()));
            if start >= end {
                continue;
            }
            let kind = match s.label {
                NerLabel::Person => EntityKind::Person,
                NerLabel::Organization => EntityKind::Organization,
                NerLabel::Place => EntityKind::Place,
            };
            let inner: Vec<usize> = (0..hits.len())
                .filter(|&h| hits[h].start < end && hits[h].end > start)
                .collect();
            if inner.is_empty() {
                if end - start == 1 && g.is_not_entity(lower[start]) {
                    continue;
                }
                spans.push(Span {
                    start,
                    end,
                    kind,
                    known: None,
                    country_hint: None,
                });
                continue;
            }
            let inside = |h: &Hit| h.start >= start && h.end <= end;
            // The recogniser and the gazetteer agree on the words.
            if let Some(&h) = inner
                .iter()
                .find(|&&h| hits[h].start == start && hits[h].end == end)
            {
                used[h] = true;
                continue;
            }
            // An organisation ending in a known one is that one
            // (`Institut Studi Korea Universitas Kookmin`).
            // (The recogniser sometimes calls such a name a place; the known
            // organisation at its end says what it is.)
            if matches!(kind, EntityKind::Organization | EntityKind::Place)
                && let Some(&h) = inner.iter().find(|&&h| {
                    hits[h].end == end && g.entity(hits[h].entity).kind == EntityKind::Organization
                })
            {
                for &i in &inner {
                    used[i] = true;
                }
                spans.push(Span {
                    start,
                    end,
                    kind: EntityKind::Organization,
                    known: Some(hits[h].entity),
                    country_hint: None,
                });
                continue;
            }
            // A person starting with a country or place (`Rusia Vladimir Putin`):
            // the place is itself a mention, the rest is the person. After a
            // title the same holds whatever the recogniser called the span
            // (`Presiden [Korea Utara Han Kwang Sok]`).
            let after_title = start > 0 && title_ending_at(g, lower, start) > 0;
            let titled_person = kind != EntityKind::Person
                && after_title
                && g.entity(hits[inner[0]].entity).kind == EntityKind::Country
                && hits[inner[0]].end + 2 <= end
                && (hits[inner[0]].end..end).all(|t| starts_upper(words[t]));
            let kind = if titled_person {
                EntityKind::Person
            } else {
                kind
            };
            if kind == EntityKind::Person
                && hits[inner[0]].start == start
                && inside(&hits[inner[0]])
            {
                let h = inner[0];
                used[h] = true;
                let rest = hits[h].end;
                if rest < end && inner.len() == 1 {
                    let known = g.entity(hits[h].entity);
                    spans.push(Span {
                        start: rest,
                        end,
                        kind,
                        known: None,
                        country_hint: (known.kind == EntityKind::Country).then_some(hits[h].entity),
                    });
                }
                continue;
            }
            // The rest of the span is generic words (`Kota Surabaya`, `Provinsi Jawa Timur`):
            // the known names are what it names.
            let generic = (start..end).all(|t| {
                inner.iter().any(|&h| hits[h].start <= t && t < hits[h].end)
                    || !starts_upper(words[t])
                    || g.title_len(&lower[t..t + 1]) == 1
                    || GENERIC_PLACE_WORDS.contains(&lower[t])
            });
            if generic || inner.iter().any(|&h| !inside(&hits[h])) {
                // Partial overlaps: the gazetteer knows better than a cut-off span.
                continue;
            }
            // A new name containing known ones (`Kementerian Luar Negeri Rusia`):
            // the span wins; a country inside says where it belongs.
            for &i in &inner {
                used[i] = true;
            }
            let country = inner
                .iter()
                .map(|&h| hits[h].entity)
                .find(|&e| g.entity(e).kind == EntityKind::Country);
            spans.push(Span {
                start,
                end,
                kind,
                known: None,
                country_hint: country,
            });
        }
        for (i, h) in hits.iter().enumerate() {
            let agreed = used[i] && spans.iter().all(|s| s.end <= h.start || s.start >= h.end);
            let unclaimed = !used[i]
                && !h.ambiguous
                && spans.iter().all(|s| s.end <= h.start || s.start >= h.end);
            if agreed || unclaimed {
                let k = g.entity(h.entity);
                spans.push(Span {
                    start: h.start,
                    end: h.end,
                    kind: k.kind,
                    known: Some(h.entity),
                    country_hint: None,
                });
            }
        }
        spans.sort_by_key(|s| s.start);
        // A person after `title + country` (`Presiden Rusia Vladimir Putin`) or
        // `country + title` (`Russian President Vladimir Putin`, `Korea Utara
        // pemimpin …`) belongs to that country.
        for i in 0..spans.len() {
            if spans[i].kind != EntityKind::Person || spans[i].country_hint.is_some() {
                continue;
            }
            let start = spans[i].start;
            let country_before = |at: usize| {
                spans[..i]
                    .iter()
                    .rev()
                    .find(|s| s.end == at)
                    .and_then(|s| s.known)
                    .filter(|&c| g.entity(c).kind == EntityKind::Country)
            };
            if let Some(c) = country_before(start)
                && let Some(cs) = spans[..i].iter().rev().find(|s| s.end == start)
                && cs.start > 0
                && g.title_len(&lower[cs.start - 1..cs.start]) == 1
            {
                spans[i].country_hint = Some(c);
                continue;
            }
            let mut j = start;
            while j > 0 {
                let n = title_ending_at(g, lower, j);
                if n == 0 {
                    break;
                }
                j -= n;
            }
            if j < start {
                spans[i].country_hint = country_before(j).or_else(|| g.demonym_before(&words[..j]));
            }
        }
        let mut covered = spans.iter().map(|s| s.start..s.end).peekable();
        for (t, w) in words.iter().enumerate() {
            while covered.peek().is_some_and(|r| r.end <= t) {
                covered.next();
            }
            if covered.peek().is_some_and(|r| r.start <= t) {
                continue;
            }
            if w.len() >= 2
                && starts_upper(w)
                && w.chars().all(char::is_alphabetic)
                && !g.is_not_entity(lower[t])
            {
                self.loose
                    .push((field, tokens[t].start, tokens[t].end, lower[t].to_string()));
            }
        }
        for s in spans {
            self.found.push(Found {
                field,
                start: tokens[s.start].start,
                end: tokens[s.end - 1].end,
                kind: s.kind,
                known: s.known,
                words: lower[s.start..s.end]
                    .iter()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .map(|w| (*w).to_string())
                    .collect(),
                country_hint: s.country_hint.and_then(|c| g.entity(c).country.clone()),
                credit: false,
            });
        }
    }

    /// Cuts titles, lowercase words and punctuation from the edges of a span.
    fn clean_span(
        &self,
        words: &[&str],
        lower: &[&str],
        mut start: usize,
        mut end: usize,
    ) -> (usize, usize) {
        loop {
            if start >= end {
                return (start, end);
            }
            let t = self.gazetteer.title_len(&lower[start..end]);
            let possessive =
                end - start > 1 && (words[start].ends_with("'s") || words[start].ends_with("’s"));
            if t > 0 && t < end - start {
                start += t;
            } else if possessive || (!starts_upper(words[start]) && !starts_digit(words[start])) {
                // `Japan's Naomi Tanaka`: the country says whose, not who.
                start += 1;
            } else {
                break;
            }
        }
        while end > start && !words[end - 1].chars().any(char::is_alphanumeric) {
            end -= 1;
        }
        // Names are written with capitals but for small joining words
        // (`Badan Meteorologi, Klimatologi, dan Geofisika`, `Javier de la Torre`);
        // a span with other lowercase words is a tagging error
        // (`Tuesday that new flood pumps had`).
        let stray = (start..end).any(|t| {
            let w = words[t];
            let head = lower[t].split(['-', '\'', '’']).next().unwrap_or("");
            w.chars().next().is_some_and(char::is_lowercase)
                && !NAME_JOINERS.contains(&lower[t])
                && !NAME_JOINERS.contains(&head)
        });
        if stray {
            return (start, start);
        }
        (start, end)
    }

    /// Adds the names in a photo credit (`Alexey Nikolsky/SPUTNIK/AFP via Getty Images`):
    /// agencies and photographers, all with role `credit`.
    pub fn add_credit(&mut self, field: usize) {
        let text = self.fields[field].text;
        let g = self.gazetteer;
        for (start, end) in credit_parts(text) {
            let part = &text[start..end];
            let words: Vec<&str> = part.split_whitespace().collect();
            let (kind, known) = match g.lookup(part) {
                Some(e) => (g.entity(e).kind, Some(e)),
                None => {
                    if !words.iter().all(|w| starts_upper(w)) || words.len() > 5 {
                        continue;
                    }
                    let caps = words.iter().all(|w| w.chars().all(|c| !c.is_lowercase()));
                    if words.len() >= 2 && !caps {
                        (EntityKind::Person, None)
                    } else {
                        (EntityKind::Organization, None)
                    }
                }
            };
            self.found.push(Found {
                field,
                start,
                end,
                kind,
                known,
                words: words.iter().map(|w| w.to_lowercase()).collect(),
                country_hint: None,
                credit: true,
            });
        }
    }

    /// Capitalised words the recogniser passed over that repeat a word of a
    /// person's full name in this article (`Wang` after `Wang Yi`).
    fn short_forms(&mut self) {
        let mut names: HashMap<String, usize> = HashMap::new();
        for f in &self.found {
            if f.kind == EntityKind::Person && f.words.len() >= 2 && !f.credit {
                // Any part of the name that is a name itself (`Mendieta` of `Carlos
                // Mendieta Ruiz`), not a joining word.
                for w in f.words.iter().filter(|w| w.chars().count() >= 3) {
                    if !NAME_JOINERS.contains(&w.as_str()) {
                        *names.entry(w.clone()).or_default() += 1;
                    }
                }
            }
        }
        // A lone word the recogniser typed as a place or organisation that is part
        // of a person's full name here is that person (`Theresia` of `Theresia
        // Lumban Gaol`).
        for f in &mut self.found {
            if f.known.is_none()
                && f.kind != EntityKind::Person
                && f.words.len() == 1
                && !f.credit
                && names.contains_key(f.words[0].as_str())
            {
                f.kind = EntityKind::Person;
            }
        }
        let extra: Vec<Found> = self
            .loose
            .iter()
            .filter(|(_, _, _, w)| names.contains_key(w.as_str()))
            .map(|(field, start, end, w)| Found {
                field: *field,
                start: *start,
                end: *end,
                kind: EntityKind::Person,
                known: None,
                words: vec![w.clone()],
                country_hint: None,
                credit: false,
            })
            .collect();
        self.found.extend(extra);
    }

    /// Joins the mentions into entities and names them.
    pub fn finish(mut self) -> Vec<Entity> {
        self.short_forms();
        let g = self.gazetteer;
        // Entity keys: known entities by id; unknown ones by kind and words.
        let mut cluster_of: Vec<usize> = vec![usize::MAX; self.found.len()];
        let mut clusters: Vec<Cluster> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        // Longest names first, so that short forms find the full name they belong to.
        let mut order: Vec<usize> = (0..self.found.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(self.found[i].words.len()), i));
        for &i in &order {
            let f = &self.found[i];
            let key = match f.known {
                Some(e) => g.entity(e).id.clone(),
                None => format!("{:?}:{}", f.kind, f.words.join(" ")),
            };
            if let Some(&c) = by_key.get(&key) {
                cluster_of[i] = c;
                continue;
            }
            // A person named by part of a fuller name already seen joins it.
            if f.kind == EntityKind::Person && f.known.is_none() {
                let cands: Vec<usize> = clusters
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.kind == EntityKind::Person && c.words.len() > f.words.len())
                    .filter(|(_, c)| contains_run(&c.words, &f.words))
                    .map(|(n, _)| n)
                    .collect();
                if let Some(c) = pick_nearest(&cands, &clusters, &self.found, i) {
                    cluster_of[i] = c;
                    by_key.insert(key, c);
                    continue;
                }
            }
            let words = match f.known {
                Some(e) => g
                    .entity(e)
                    .name
                    .to_lowercase()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
                None => f.words.clone(),
            };
            clusters.push(Cluster {
                kind: f.kind,
                known: f.known,
                words,
            });
            cluster_of[i] = clusters.len() - 1;
            by_key.insert(key, clusters.len() - 1);
        }
        // Build the entities in order of first appearance.
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); clusters.len()];
        for (i, &c) in cluster_of.iter().enumerate() {
            members[c].push(i);
        }
        let mut offsets: Vec<CharOffsets<'_>> = self
            .fields
            .iter()
            .map(|f| CharOffsets::new(f.text))
            .collect();
        let mut entities: Vec<(usize, Entity)> = Vec::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        for (c, cluster) in clusters.iter().enumerate() {
            let mut ms = members[c].clone();
            ms.sort_by_key(|&i| (self.found[i].field, self.found[i].start));
            let first = ms[0];
            let texts: Vec<&str> = ms
                .iter()
                .map(|&i| {
                    &self.fields[self.found[i].field].text[self.found[i].start..self.found[i].end]
                })
                .collect();
            let (name, kind, mut country, id) = match cluster.known {
                Some(e) => {
                    let k = g.entity(e);
                    (k.name.clone(), k.kind, k.country.clone(), k.id.clone())
                }
                None => {
                    let name = best_name(&texts, cluster.kind);
                    let id = format!("{}:{}", cluster.kind.as_str(), slug(&name));
                    (name, cluster.kind, None, id)
                }
            };
            if country.is_none() {
                country = ms.iter().find_map(|&i| self.found[i].country_hint.clone());
            }
            let credit_only = ms.iter().all(|&i| self.found[i].credit);
            let mut mentions = Vec::with_capacity(ms.len());
            for (&i, text) in ms.iter().zip(&texts) {
                let f = &self.found[i];
                let o = &mut offsets[f.field];
                mentions.push(Mention {
                    text: (*text).to_string(),
                    field: self.fields[f.field].name.to_string(),
                    start: o.of(f.start),
                    end: o.of(f.end),
                });
            }
            let mut id = id;
            if let Some(n) = ids.get_mut(&id) {
                *n += 1;
                id = format!("{id}-{n}");
            } else {
                ids.insert(id.clone(), 1);
            }
            entities.push((
                self.found[first].field * 1_000_000_000 + self.found[first].start,
                Entity {
                    id,
                    name,
                    kind,
                    country,
                    role: credit_only.then(|| "credit".to_string()),
                    mentions,
                },
            ));
        }
        entities.sort_by_key(|(pos, _)| *pos);
        entities.into_iter().map(|(_, e)| e).collect()
    }
}

/// Small words that may stand lowercase inside a name.
const NAME_JOINERS: &[&str] = &[
    "dan", "and", "of", "the", "for", "de", "la", "le", "del", "della", "da", "do", "dos", "van",
    "von", "der", "den", "ter", "bin", "binti", "al", "el", "ibn", "di", "ke", "dari", "untuk",
    "y", "e", "du", "des", "bint", "br", "boru", "on", "in", "at", "upon", "an", "und",
];

/// Words inside place names that say what kind of place it is, not which.
const GENERIC_PLACE_WORDS: &[&str] = &[
    "kota",
    "kabupaten",
    "kab",
    "provinsi",
    "prov",
    "pulau",
    "desa",
    "kecamatan",
    "kelurahan",
    "city",
    "province",
    "island",
    "county",
    "region",
    "state",
    "negara",
    "republik",
    "kepulauan",
    "pelabuhan",
    "selat",
    "laut",
    "teluk",
    "gunung",
    "sungai",
    "danau",
];

#[derive(Debug)]
struct Cluster {
    kind: EntityKind,
    known: Option<u32>,
    words: Vec<String>,
}

/// True when the words of `run` occur in `words` in the same order (`Teuku
/// Faisal` in `Teuku Muhammad Faisal`, `Putin` in `Vladimir Putin`).
fn contains_run(words: &[String], run: &[String]) -> bool {
    let mut rest = words.iter();
    !run.is_empty() && run.iter().all(|w| rest.any(|x| x == w))
}

/// Of several full names a short form could belong to, the one mentioned last
/// before it (else the first one mentioned).
fn pick_nearest(
    cands: &[usize],
    clusters: &[Cluster],
    found: &[Found],
    at: usize,
) -> Option<usize> {
    if cands.len() <= 1 {
        return cands.first().copied();
    }
    let pos = |i: usize| (found[i].field, found[i].start);
    let here = pos(at);
    // The cluster's own mentions are not tracked here; use the words' first match.
    let mut best: Option<(usize, (usize, usize))> = None;
    for &c in cands {
        for (j, f) in found.iter().enumerate() {
            if f.kind == EntityKind::Person
                && f.words == clusters[c].words
                && pos(j) < here
                && best.is_none_or(|(_, p)| pos(j) > p)
            {
                best = Some((c, pos(j)));
            }
        }
    }
    best.map(|(c, _)| c).or_else(|| cands.first().copied())
}

/// The name an unknown entity goes by: for people the longest form, otherwise
/// the most frequent (then longest).
fn best_name(texts: &[&str], kind: EntityKind) -> String {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for t in texts {
        *counts.entry(t).or_default() += 1;
    }
    let best = if kind == EntityKind::Person {
        texts
            .iter()
            .max_by_key(|t| (t.split_whitespace().count(), t.len()))
            .copied()
    } else {
        counts
            .iter()
            .max_by_key(|(t, n)| (**n, t.len()))
            .map(|(t, _)| *t)
    };
    best.unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The parts of a photo credit: `A/B/C via D`, `A, B`, `A dan B`, without labels.
fn credit_parts(text: &str) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let lower = text.to_lowercase();
    let mut start = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    let push = |parts: &mut Vec<(usize, usize)>, s: usize, e: usize| {
        let seg = &text[s..e];
        let lead = seg.len() - seg.trim_start().len();
        let seg_t = seg.trim();
        // Labels such as `Foto:`, `Photo:`, `Dok.`
        let (skip, rest) = match seg_t.find(':') {
            Some(c) if c < 12 => (c + 1, &seg_t[c + 1..]),
            _ => (0, seg_t),
        };
        let lead2 = rest.len() - rest.trim_start().len();
        let rest = rest.trim().trim_end_matches(['.', ')', ']']).trim();
        if !rest.is_empty() {
            let s2 = s + lead + skip + lead2;
            parts.push((s2, s2 + rest.len()));
        }
    };
    while i < bytes.len() {
        if !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let sep = if matches!(bytes[i], b'/' | b',' | b';' | b'&' | b'|') {
            1
        } else if lower.len() == text.len() && lower.is_char_boundary(i) {
            [" via ", " dan ", " and "]
                .iter()
                .find(|s| lower[i..].starts_with(*s))
                .map_or(0, |s| s.len())
        } else {
            0
        };
        if sep > 0 {
            push(&mut parts, start, i);
            i += sep;
            start = i;
        } else {
            i += 1;
        }
    }
    push(&mut parts, start, text.len());
    parts
}

/// The length in tokens of a title (`Menteri`, `Foreign Minister`, `Wakil
/// Presiden`) ending just before token `end`, or 0.
fn title_ending_at(g: &Gazetteer, lower: &[&str], end: usize) -> usize {
    (1..=end.min(4))
        .rev()
        .find(|&n| g.title_len(&lower[end - n..end]) == n)
        .unwrap_or(0)
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn starts_digit(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Tokens and their lowercase forms for one text, kept to avoid reallocating.
#[derive(Debug, Default)]
pub struct Words {
    /// The tokens, byte offsets into the text.
    pub tokens: Vec<Token>,
    lower: Vec<String>,
}

impl Words {
    /// Tokenizes `text` with `segmenter`, replacing what was there.
    pub fn fill(&mut self, segmenter: &Segmenter, text: &str) {
        self.tokens.clear();
        segmenter.tokenize(text, &mut self.tokens);
        self.lower.clear();
        self.lower
            .extend(self.tokens.iter().map(|t| t.text(text).to_lowercase()));
    }

    /// The lowercase form of each token.
    pub fn lower(&self) -> Vec<&str> {
        self.lower.iter().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_split_into_names() {
        let t = "Alexey Nikolsky/SPUTNIK/AFP via Getty Images";
        let parts: Vec<&str> = credit_parts(t).iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(parts, ["Alexey Nikolsky", "SPUTNIK", "AFP", "Getty Images"]);
        let t = "Foto: KCNA via AFP";
        let parts: Vec<&str> = credit_parts(t).iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(parts, ["KCNA", "AFP"]);
    }

    #[test]
    fn short_forms_join_the_full_name() {
        let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert!(contains_run(&words("kim jong un"), &words("kim")));
        assert!(contains_run(&words("vladimir putin"), &words("putin")));
        assert!(!contains_run(&words("vladimir putin"), &words("vlad")));
        assert!(contains_run(
            &words("teuku muhammad faisal"),
            &words("teuku faisal")
        ));
        assert!(!contains_run(
            &words("teuku muhammad faisal"),
            &words("faisal teuku")
        ));
    }
}
