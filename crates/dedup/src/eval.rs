//! Evaluation on pairs: the pair file format, scoring, and pair generation.
//!
//! # Pair files
//!
//! JSON lines, one pair a line:
//!
//! ```json
//! {"id": "p01", "a": {"title": "…", "text": "…", "url": "https://…"}, "b": {…}, "duplicate": true}
//! ```
//!
//! - `id`: a string or a number, for reports;
//! - `a`, `b`: the two articles; `text` (the body, paragraphs separated by blank
//!   lines or line breaks) is required, `title` and `url` are optional; other
//!   fields (`site`, `note`) are ignored;
//! - `duplicate`: `true` when `b` is a copy of the same story as `a` (syndicated,
//!   re-headlined, lightly edited, truncated or extended by a paragraph), `false`
//!   for different stories, including stories on the same topic with the same
//!   people and places, and follow-ups with new facts.
//!
//! # Scoring
//!
//! Each pair is judged as the pipeline would: `a` is added to an empty
//! [`MemoryDuplicateIndex`] and `b` looked up in it (so LSH candidate selection
//! counts, not only the pairwise rule). The duplicate class is the positive
//! class: precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic
//! mean.
//!
//! # Generated pairs
//!
//! [`generate`] makes pairs from article bodies: positives by syndication
//! transforms of one body, negatives between different bodies (the most similar
//! other bodies by shared words, with the same outlet boilerplate on both sides,
//! and follow-ups that reuse one background paragraph). It is deterministic.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::DedupError;
use crate::decide::{Decision, DedupConfig};
use crate::fingerprint::Fingerprint;
use crate::hash::{sha64, splitmix64};
use crate::index::{DuplicateIndex, MemoryDuplicateIndex};
use crate::normalize::normalize_text;

/// One article of a pair.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairSide {
    /// The headline (not used by the fingerprint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The body.
    pub text: String,
    /// The page's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Two articles and whether they are copies of one story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    /// The pair's name in reports.
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    /// The article seen first.
    pub a: PairSide,
    /// The article looked up.
    pub b: PairSide,
    /// True when `b` is a copy of `a`'s story.
    pub duplicate: bool,
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

/// Reads a pair file (JSON lines; blank lines are skipped).
///
/// # Errors
/// [`DedupError::PairLine`] for a line that is not a pair.
pub fn read_pairs(text: &str) -> Result<Vec<Pair>, DedupError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).map_err(|e| DedupError::PairLine {
                line: n + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// The fingerprint of one side: its text and URL.
fn side_fingerprint(s: &PairSide) -> Fingerprint {
    let fp = Fingerprint::of_text(&s.text);
    match &s.url {
        Some(u) => fp.with_url(u),
        None => fp,
    }
}

/// Judges one pair: `a` added to an empty in-memory index, then `b` looked up.
pub fn judge(pair: &Pair, config: &DedupConfig) -> Decision {
    let mut idx = MemoryDuplicateIndex::new();
    let Ok(_) = idx.add("a", &side_fingerprint(&pair.a), config);
    let Ok(d) = idx.find(&side_fingerprint(&pair.b), config);
    d
}

/// Counts of judged pairs, the duplicate class being positive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Duplicates found.
    pub true_positives: usize,
    /// Different stories called duplicates.
    pub false_positives: usize,
    /// Duplicates missed.
    pub false_negatives: usize,
    /// Different stories kept apart.
    pub true_negatives: usize,
}

impl Counts {
    /// Adds one judgement.
    pub fn add(&mut self, gold: bool, predicted: bool) {
        match (gold, predicted) {
            (true, true) => self.true_positives += 1,
            (false, true) => self.false_positives += 1,
            (true, false) => self.false_negatives += 1,
            (false, false) => self.true_negatives += 1,
        }
    }

    /// TP / (TP + FP), 0 when nothing was called a duplicate.
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// TP / (TP + FN), 0 when there are no duplicates.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        ratio(
            2 * self.true_positives,
            2 * self.true_positives + self.false_positives + self.false_negatives,
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pairs {} (duplicates {}, different {}): tp {} fp {} fn {} tn {}\n\
             precision {:.3} recall {:.3}",
            self.true_positives + self.false_positives + self.false_negatives + self.true_negatives,
            self.true_positives + self.false_negatives,
            self.false_positives + self.true_negatives,
            self.true_positives,
            self.false_positives,
            self.false_negatives,
            self.true_negatives,
            self.precision(),
            self.recall()
        )
    }
}

/// Judges every pair; returns the counts and each pair's decision, in order.
pub fn score(pairs: &[Pair], config: &DedupConfig) -> (Counts, Vec<Decision>) {
    let mut counts = Counts::default();
    let decisions: Vec<Decision> = pairs
        .iter()
        .map(|p| {
            let d = judge(p, config);
            counts.add(p.duplicate, d.is_duplicate());
            d
        })
        .collect();
    (counts, decisions)
}

/// An article body to generate pairs from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Its id (pair ids are built from it).
    pub id: String,
    /// Its headline, when known.
    pub title: Option<String>,
    /// The body; paragraphs separated by line breaks.
    pub text: String,
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let (s, v) = splitmix64(self.0);
        self.0 = s;
        v
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// Openings outlets put before agency copy.
const DATELINES: &[&str] = &[
    "JAKARTA, KOMPAS.com -",
    "Jakarta, CNN Indonesia --",
    "JAKARTA (ANTARA) -",
    "Liputan6.com, Jakarta -",
    "Bisnis.com, JAKARTA —",
    "WASHINGTON (Reuters) -",
    "LONDON (AP) —",
    "NEW YORK, Nov 26 (Reuters) -",
];

/// Lines outlets insert into a story.
const INSERTS: &[&str] = &[
    "Baca juga: {}",
    "BACA JUGA: {}",
    "Read more: {}",
    "Related: {}",
    "ADVERTISEMENT",
    "SCROLL TO CONTINUE WITH CONTENT",
    "Simak berita dan artikel lainnya di Google News.",
    "Dapatkan update berita pilihan dan breaking news setiap hari. Klik di sini.",
    "Sign up for our morning newsletter to get the day's top stories.",
];

/// Lines outlets end a story with.
const ENDINGS: &[&str] = &[
    "(ant/rdk)",
    "Editor: Rina Susanti",
    "Pewarta: Dimas Pratama\nEditor: Agus Setiawan\nCOPYRIGHT © ANTARA 2024",
    "Reporting by Jane Holloway; Editing by Mark Tennant",
    "Copyright 2024 The Associated Press. All rights reserved.",
    "Artikel ini telah tayang di Kompas.com dengan judul \"{}\".",
    "Ikuti kami di Instagram dan TikTok untuk berita terbaru.",
];

/// Lead sentences a re-writing desk puts first.
const LEADS: &[&str] = &[
    "Kabar ini menjadi perhatian publik sejak pagi tadi.",
    "Berikut laporan selengkapnya.",
    "The news drew wide attention on Monday.",
    "Here is what we know so far.",
];

fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn fill(template: &str, title: &str) -> String {
    template.replace("{}", title)
}

/// A headline for `s`: its own, else its first eight words.
fn headline(s: &Source) -> String {
    s.title.clone().unwrap_or_else(|| {
        s.text
            .split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Adds a dateline, one or two inserted lines and an ending (an outlet's boilerplate).
fn add_boilerplate(paras: &mut Vec<String>, rng: &mut Rng, other_title: &str) {
    if let Some(first) = paras.first_mut() {
        *first = format!("{} {first}", rng.pick(DATELINES));
    }
    for _ in 0..1 + rng.below(2) {
        let at = 1 + rng.below(paras.len().max(1));
        let line = fill(rng.pick(INSERTS), other_title);
        paras.insert(at.min(paras.len()), line);
    }
    paras.push(fill(rng.pick(ENDINGS), other_title));
}

/// Light edits: about `rate` of the words deleted, repeated, or swapped with the next.
fn edit_words(paras: &mut [String], rng: &mut Rng, rate: f64) {
    for p in paras.iter_mut() {
        let mut words: Vec<&str> = p.split_whitespace().collect();
        let mut i = 0;
        while i < words.len() {
            if rng.chance(rate) {
                match rng.below(3) {
                    0 => {
                        words.remove(i);
                        continue;
                    }
                    1 => words.insert(i, words[i]),
                    _ if i + 1 < words.len() => words.swap(i, i + 1),
                    _ => {}
                }
                i += 1;
            }
            i += 1;
        }
        *p = words.join(" ");
    }
}

/// Re-wraps: joins neighbouring paragraphs, or breaks lines in the middle of one.
fn rewrap(paras: &mut Vec<String>, rng: &mut Rng) {
    let mut out: Vec<String> = Vec::new();
    for p in paras.drain(..) {
        match (rng.below(3), out.last_mut()) {
            (0, Some(last)) => {
                last.push(' ');
                last.push_str(&p);
            }
            (1, _) => {
                let words: Vec<&str> = p.split_whitespace().collect();
                let mid = words.len() / 2;
                out.push(words[..mid].join(" "));
                out.push(words[mid..].join(" "));
            }
            _ => out.push(p),
        }
    }
    out.retain(|p| !p.is_empty());
    *paras = out;
}

/// Replaces the first sentence with a desk's own lead.
fn new_lead(paras: &mut [String], rng: &mut Rng) {
    if let Some(first) = paras.first_mut() {
        let rest = match first.find(". ") {
            Some(i) => first[i + 2..].to_string(),
            None => String::new(),
        };
        *first = format!("{} {rest}", rng.pick(LEADS)).trim().to_string();
    }
}

/// Keeps about `share` of the words, cut at a word boundary.
fn truncate(paras: &mut Vec<String>, share: f64) {
    let total: usize = paras.iter().map(|p| p.split_whitespace().count()).sum();
    let mut left = ((total as f64) * share).ceil() as usize;
    let mut out = Vec::new();
    for p in paras.drain(..) {
        if left == 0 {
            break;
        }
        let words: Vec<&str> = p.split_whitespace().collect();
        let take = words.len().min(left);
        left -= take;
        out.push(words[..take].join(" "));
    }
    *paras = out;
}

fn side(paras: &[String], title: String) -> PairSide {
    PairSide {
        title: Some(title),
        text: paras.join("\n\n"),
        url: None,
    }
}

/// The set of lowercased words of a text, for picking hard negatives.
fn word_set(text: &str) -> Vec<String> {
    let mut w: Vec<String> = normalize_text(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    w.sort_unstable();
    w.dedup();
    w
}

fn jaccard(a: &[String], b: &[String]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

/// Generates labelled pairs from article bodies, deterministically (the same
/// sources give the same pairs). Per source with at least 20 words:
/// - positives: (1) outlet boilerplate and another headline; (2) a new lead
///   sentence, light word edits (3 %) and re-wrapped paragraphs; (3) the last
///   paragraph dropped and a credit added; (4) cut to 60 % of the words, for
///   bodies of 150 words or more; (5) everything at once, with 5 % edits, against
///   the source carrying another outlet's boilerplate;
/// - negatives: the two most similar other sources by shared words (the first
///   with the same outlet boilerplate on both sides); and for sources of four
///   paragraphs or more, a follow-up: the most similar other source with one
///   background paragraph of this one inserted.
pub fn generate(sources: &[Source]) -> Vec<Pair> {
    let sources: Vec<&Source> = sources
        .iter()
        .filter(|s| s.text.split_whitespace().count() >= 20)
        .collect();
    let sets: Vec<Vec<String>> = sources.iter().map(|s| word_set(&s.text)).collect();
    let mut out = Vec::new();
    let mut seen_neg = std::collections::HashSet::new();
    for (i, s) in sources.iter().enumerate() {
        let mut rng = Rng(sha64(s.id.as_bytes()));
        let base = paragraphs(&s.text);
        let title = headline(s);
        let other = |rng: &mut Rng| {
            headline(sources[(i + 1 + rng.below(sources.len() - 1)) % sources.len()])
        };
        let words: usize = base.iter().map(|p| p.split_whitespace().count()).sum();
        let orig = side(&base, title.clone());
        let mut pos = |name: &str, a: PairSide, b: Vec<String>, t: String| {
            out.push(Pair {
                id: format!("{}/{name}", s.id),
                a,
                b: side(&b, t),
                duplicate: true,
            });
        };
        // (1) boilerplate and another headline
        let mut p = base.clone();
        let ot = other(&mut rng);
        add_boilerplate(&mut p, &mut rng, &ot);
        pos("boilerplate", orig.clone(), p, format!("{title} (update)"));
        // (2) lead, edits, re-wrap
        let mut p = base.clone();
        new_lead(&mut p, &mut rng);
        edit_words(&mut p, &mut rng, 0.03);
        rewrap(&mut p, &mut rng);
        pos("edited", orig.clone(), p, ot.clone());
        // (3) last paragraph dropped, credit added
        let mut p = base.clone();
        if p.len() >= 3 {
            p.pop();
            p.push(fill(rng.pick(ENDINGS), &title));
            pos("shortened", orig.clone(), p, title.clone());
        }
        // (4) cut to 60 %
        if words >= 150 {
            let mut p = base.clone();
            truncate(&mut p, 0.6);
            p.push("Baca selengkapnya di sini.".to_string());
            pos("truncated", orig.clone(), p, title.clone());
        }
        // (5) everything, against another outlet's copy
        let mut a = base.clone();
        let ot2 = other(&mut rng);
        add_boilerplate(&mut a, &mut rng, &ot2);
        let mut p = base.clone();
        add_boilerplate(&mut p, &mut rng, &ot);
        new_lead(&mut p, &mut rng);
        edit_words(&mut p, &mut rng, 0.05);
        if p.len() >= 4 {
            p.remove(p.len() - 2);
        }
        rewrap(&mut p, &mut rng);
        pos("syndicated", side(&a, title.clone()), p, ot2);

        // Negatives: the most similar other sources.
        let mut near: Vec<(f64, usize)> = (0..sources.len())
            .filter(|&j| j != i)
            .map(|j| (jaccard(&sets[i], &sets[j]), j))
            .collect();
        near.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        for (rank, &(_, j)) in near.iter().take(2).enumerate() {
            if !seen_neg.insert((i.min(j), i.max(j))) {
                continue;
            }
            let mut a = base.clone();
            let mut b = paragraphs(&sources[j].text);
            if rank == 0 {
                let mut r1 = Rng(rng.0);
                let ot = other(&mut rng);
                add_boilerplate(&mut a, &mut r1, &ot);
                let mut r2 = Rng(rng.0);
                add_boilerplate(&mut b, &mut r2, &ot);
            }
            out.push(Pair {
                id: format!("{}~{}", s.id, sources[j].id),
                a: side(&a, title.clone()),
                b: side(&b, headline(sources[j])),
                duplicate: false,
            });
        }
        if base.len() >= 4 {
            if let Some(&(_, j)) = near.first() {
                let mut b = paragraphs(&sources[j].text);
                let background = base[1 + rng.below(base.len() - 1)].clone();
                let at = 1.min(b.len());
                b.insert(at, background);
                out.push(Pair {
                    id: format!("{}/follow-up", s.id),
                    a: orig.clone(),
                    b: side(&b, headline(sources[j])),
                    duplicate: false,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_with_string_or_number_ids() {
        let p = read_pairs(
            "{\"id\": 3, \"a\": {\"text\": \"x\"}, \"b\": {\"text\": \"x\", \"site\": \"s\"}, \"duplicate\": true}\n\n",
        )
        .unwrap();
        assert_eq!(p[0].id, "3");
        assert!(read_pairs("{\"id\": 1}").is_err());
    }

    #[test]
    fn counts_follow_the_definitions() {
        let mut c = Counts::default();
        for (g, p) in [
            (true, true),
            (true, true),
            (true, false),
            (false, true),
            (false, false),
        ] {
            c.add(g, p);
        }
        assert!((c.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.recall() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.f1() - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn generation_is_deterministic() {
        let sources: Vec<Source> = (0..4)
            .map(|n| Source {
                id: format!("s{n}"),
                title: None,
                text: (0..6)
                    .map(|p| format!("Paragraph {p} of story {n} with words {} and more words here to pad it out a bit further.", n * p))
                    .collect::<Vec<_>>()
                    .join("\n"),
            })
            .collect();
        let a = generate(&sources);
        assert_eq!(a, generate(&sources));
        assert!(a.iter().any(|p| p.duplicate) && a.iter().any(|p| !p.duplicate));
    }
}
