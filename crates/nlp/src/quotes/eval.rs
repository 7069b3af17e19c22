//! Scoring quote attribution against a hand-written gold set.
//!
//! The gold format is JSON lines, one document a line:
//! `{"id", "language", "published", "text", "quotes": [{"text", "speaker", "direct"}]}`
//! where a quote's `text` is an exact substring of the document (for direct
//! quotes, what stands inside the quote marks) and `speaker` is the speaker's
//! full name, or null when no careful reader could name one.
//!
//! A predicted quote *finds* a gold quote when their spans overlap (each gold and
//! each predicted quote is used once, the largest overlap first); it is *exact*
//! when the two texts are equal once quote marks, punctuation at the ends and
//! spacing are set aside. A *speaker* is right when the quote is found and the
//! names agree: equal, or one is the other with words left out (`Sri Mulyani`
//! for `Sri Mulyani Indrawati`). Speaker precision counts predicted quotes with
//! a speaker, recall gold quotes with one.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use warta_core::Quote;

/// One document of the gold set.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDoc {
    /// Its id.
    pub id: String,
    /// Its language (`id`, `en`).
    #[serde(default)]
    pub language: Option<String>,
    /// Its publication date, `YYYY-MM-DD`.
    #[serde(default)]
    pub published: Option<String>,
    /// The text, paragraphs separated by blank lines.
    pub text: String,
    /// The quotes a careful reader finds.
    #[serde(default)]
    pub quotes: Vec<GoldQuote>,
}

/// One quote of the gold set.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldQuote {
    /// The words quoted or reported, exactly as in the document.
    pub text: String,
    /// The speaker's full name, or null.
    pub speaker: Option<String>,
    /// Whether the quote is in quote marks.
    pub direct: bool,
}

/// Why a gold file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A line is not a gold document.
    #[error(
        "{path}:{line}: not a gold document ({message}); each line must be {{\"id\", \"text\", \"quotes\": [{{\"text\", \"speaker\", \"direct\"}}]}}"
    )]
    Line {
        /// The file.
        path: String,
        /// The line number, from 1.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// Reads a gold set of JSON lines.
///
/// # Errors
/// When the file cannot be read, a line is not valid, or a quote is not in its document.
pub fn read_gold(path: &Path) -> Result<Vec<GoldDoc>, GoldError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Read {
        path: name.clone(),
        source,
    })?;
    let mut docs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let doc: GoldDoc = serde_json::from_str(line).map_err(|e| GoldError::Line {
            path: name.clone(),
            line: n + 1,
            message: e.to_string(),
        })?;
        if let Some(q) = doc.quotes.iter().find(|q| !doc.text.contains(&q.text)) {
            return Err(GoldError::Line {
                path: name,
                line: n + 1,
                message: format!("quote {:?} is not in the text", q.text),
            });
        }
        docs.push(doc);
    }
    Ok(docs)
}

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    /// Predictions that were right.
    pub correct: usize,
    /// Predictions made.
    pub predicted: usize,
    /// Gold items.
    pub gold: usize,
}

impl Prf {
    /// Correct among predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    /// Correct among gold (counted on the gold side: gold items matched).
    pub fn recall(&self) -> f64 {
        ratio(self.correct.min(self.gold), self.gold)
    }
    /// Harmonic mean of the two.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

impl fmt::Display for Prf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "P {:.3}  R {:.3}  F1 {:.3}  ({} right of {} predicted, {} gold)",
            self.precision(),
            self.recall(),
            self.f1(),
            self.correct,
            self.predicted,
            self.gold
        )
    }
}

/// The figures of one run over a gold set.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// Quotes found (spans overlap).
    pub found: Prf,
    /// Quotes found with the exact span.
    pub exact: Prf,
    /// Quotes found with the right speaker (all quotes).
    pub speaker: Prf,
    /// Quotes found with the right speaker, direct quotes only: the headline figure.
    pub direct_speaker: Prf,
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "quote span (overlap)   {}", self.found)?;
        writeln!(f, "quote span (exact)     {}", self.exact)?;
        writeln!(f, "speaker, all quotes    {}", self.speaker)?;
        write!(f, "speaker, direct quotes {}", self.direct_speaker)
    }
}

/// Scores predicted quotes (one list per gold document, same order).
pub fn score(gold: &[GoldDoc], predicted: &[Vec<Quote>]) -> Scores {
    let mut s = Scores::default();
    for (doc, pred) in gold.iter().zip(predicted) {
        score_doc(doc, pred, &mut s);
    }
    s
}

fn score_doc(doc: &GoldDoc, pred: &[Quote], s: &mut Scores) {
    // Gold spans in characters.
    let gold: Vec<(usize, usize)> = doc
        .quotes
        .iter()
        .map(|q| {
            let b = doc.text.find(&q.text).unwrap_or(0);
            let start = doc.text[..b].chars().count();
            (start, start + q.text.chars().count())
        })
        .collect();
    // Pairs by overlap, largest first, each side used once.
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (g, &(gs, ge)) in gold.iter().enumerate() {
        for (p, q) in pred.iter().enumerate() {
            let overlap = ge.min(q.end).saturating_sub(gs.max(q.start));
            if overlap > 0 {
                pairs.push((overlap, g, p));
            }
        }
    }
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0));
    let mut gold_used = vec![None; gold.len()];
    let mut pred_used = vec![false; pred.len()];
    for (_, g, p) in pairs {
        if gold_used[g].is_none() && !pred_used[p] {
            gold_used[g] = Some(p);
            pred_used[p] = true;
        }
    }
    s.found.gold += gold.len();
    s.exact.gold += gold.len();
    s.found.predicted += pred.len();
    s.exact.predicted += pred.len();
    s.speaker.predicted += pred.iter().filter(|q| q.speaker.is_some()).count();
    s.direct_speaker.predicted += pred
        .iter()
        .filter(|q| q.speaker.is_some() && q.direct)
        .count();
    for (g, gq) in doc.quotes.iter().enumerate() {
        if gq.speaker.is_some() {
            s.speaker.gold += 1;
            if gq.direct {
                s.direct_speaker.gold += 1;
            }
        }
        let Some(p) = gold_used[g] else { continue };
        let pq = &pred[p];
        s.found.correct += 1;
        if bare(&gq.text) == bare(&pq.text) {
            s.exact.correct += 1;
        }
        if let (Some(gs), Some(ps)) = (&gq.speaker, &pq.speaker)
            && same_person(gs, ps)
        {
            s.speaker.correct += 1;
            if gq.direct && pq.direct {
                s.direct_speaker.correct += 1;
            }
        }
    }
}

/// A quote's words without quote marks, end punctuation or spacing differences.
fn bare(text: &str) -> String {
    text.trim_matches(|c: char| !c.is_alphanumeric())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Two names of one person: equal, or one is the other with words left out.
fn same_person(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    !short.is_empty() && short.iter().all(|w| long.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(text: &str, doc: &str, speaker: Option<&str>, direct: bool) -> Quote {
        let b = doc.find(text).expect("in doc");
        let start = doc[..b].chars().count();
        Quote {
            text: text.to_string(),
            speaker: speaker.map(str::to_string),
            speaker_entity: None,
            speaker_description: None,
            direct,
            cue: None,
            start,
            end: start + text.chars().count(),
        }
    }

    #[test]
    fn overlap_exact_and_speaker_are_counted_separately() {
        let text =
            "“Kami siap bekerja keras,” kata Sri Mulyani. Harga naik, kata seorang pedagang.";
        let doc = GoldDoc {
            id: "t".into(),
            language: None,
            published: None,
            text: text.into(),
            quotes: vec![
                GoldQuote {
                    text: "Kami siap bekerja keras,".into(),
                    speaker: Some("Sri Mulyani".into()),
                    direct: true,
                },
                GoldQuote {
                    text: "Harga naik".into(),
                    speaker: None,
                    direct: false,
                },
            ],
        };
        let pred = vec![
            quote(
                "Kami siap bekerja",
                text,
                Some("Sri Mulyani Indrawati"),
                true,
            ),
            quote("pedagang", text, Some("Budi"), false),
        ];
        let s = score(&[doc], &[pred]);
        assert_eq!(s.found.correct, 1);
        assert_eq!(s.exact.correct, 0);
        assert_eq!(
            (s.speaker.correct, s.speaker.predicted, s.speaker.gold),
            (1, 2, 1)
        );
        assert!((s.direct_speaker.f1() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn names_agree_when_one_leaves_words_out() {
        assert!(same_person("Sri Mulyani", "Sri Mulyani Indrawati"));
        assert!(!same_person("Sri Mulyani", "Retno Marsudi"));
    }
}
