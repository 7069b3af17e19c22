//! Scoring the time finder against a gold set (`warta eval times <FILE.jsonl>`).
//!
//! The gold format is JSON lines, one paragraph a line:
//!
//! ```json
//! {"id": "id-001", "language": "id", "published": "2023-09-13",
//!  "text": "Kim tiba pada Selasa pagi.", "times": [{"text": "Selasa pagi", "value": "2023-09-12"}]}
//! ```
//!
//! `published` may be `null` or absent. Each gold time is located in `text` by
//! searching for its `text`, starting after the previous gold time: list them in
//! the order they appear. Blank lines and lines starting with `//` are skipped.
//!
//! **Finding** counts a predicted expression as found when its span *overlaps* a
//! gold one (not exact match: annotators differ on whether `pada`, `sekitar` or a
//! part of the day belong to the span, and the value is what matters). Each gold
//! and each prediction is matched at most once; among the overlapping
//! predictions one with the gold value is preferred. **Value** counts a matched
//! pair only when the values are equal strings, so value precision and recall
//! are over all predictions and all gold times.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use warta_core::TimeExpression;

use super::{Date, find_times};

/// One gold paragraph: its text, publication date and the times in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldDoc {
    /// Identifier of the paragraph (`id-001`).
    pub id: String,
    /// Language code (`id`, `en`).
    pub language: String,
    /// The publication date relative expressions resolve against.
    pub published: Option<Date>,
    /// The paragraph.
    pub text: String,
    /// The time expressions a reader finds in it, in text order.
    pub times: Vec<GoldTime>,
}

/// One gold time expression, with its place in the paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldTime {
    /// The words as written.
    pub text: String,
    /// The ISO 8601 value it should resolve to.
    pub value: String,
    /// Start, in characters, within the paragraph.
    pub start: usize,
    /// End (exclusive), in characters, within the paragraph.
    pub end: usize,
}

/// Why a gold file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// The file cannot be read.
    #[error("cannot read gold file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A line is not a gold record.
    #[error("gold line {line}: {source}")]
    Json {
        /// Line number, from 1.
        line: usize,
        /// What the JSON parser said.
        source: serde_json::Error,
    },
    /// A publication date is not `YYYY-MM-DD`.
    #[error("gold line {line}: publication date {value:?} is not YYYY-MM-DD")]
    Published {
        /// Line number, from 1.
        line: usize,
        /// The date as written.
        value: String,
    },
    /// A gold time's text is not in the paragraph (after the previous one).
    #[error(
        "gold line {line}: time {text:?} not found in the text after the previous time (list times in text order)"
    )]
    NotInText {
        /// Line number, from 1.
        line: usize,
        /// The time's text.
        text: String,
    },
}

#[derive(Deserialize)]
struct RawDoc {
    id: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    published: Option<String>,
    text: String,
    #[serde(default)]
    times: Vec<RawTime>,
}

#[derive(Deserialize)]
struct RawTime {
    text: String,
    value: String,
}

/// Reads a gold file of JSON lines; errors name the line that failed.
pub fn read_gold(path: &Path) -> Result<Vec<GoldDoc>, GoldError> {
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_gold(&text)
}

/// Parses gold JSON lines (the contents of a gold file).
pub fn parse_gold(jsonl: &str) -> Result<Vec<GoldDoc>, GoldError> {
    let mut docs = Vec::new();
    for (n, line) in jsonl.lines().enumerate() {
        let line_no = n + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let raw: RawDoc = serde_json::from_str(line).map_err(|source| GoldError::Json {
            line: line_no,
            source,
        })?;
        let published = match raw.published.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(Date::parse(p).ok_or_else(|| GoldError::Published {
                line: line_no,
                value: p.to_string(),
            })?),
        };
        let mut times = Vec::with_capacity(raw.times.len());
        let mut from_byte = 0;
        for t in raw.times {
            let not_found = || GoldError::NotInText {
                line: line_no,
                text: t.text.clone(),
            };
            if t.text.is_empty() {
                return Err(not_found());
            }
            let at = raw.text[from_byte..]
                .find(&t.text)
                .map(|b| b + from_byte)
                .ok_or_else(not_found)?;
            let start = raw.text[..at].chars().count();
            let end = start + t.text.chars().count();
            from_byte = at + t.text.len();
            times.push(GoldTime {
                text: t.text,
                value: t.value,
                start,
                end,
            });
        }
        docs.push(GoldDoc {
            id: raw.id,
            language: raw.language,
            published,
            text: raw.text,
            times,
        });
    }
    Ok(docs)
}

/// Runs [`find_times`] on every gold paragraph.
pub fn predict(gold: &[GoldDoc]) -> Vec<Vec<TimeExpression>> {
    gold.iter()
        .map(|d| find_times(&d.text, d.published, &d.language))
        .collect()
}

/// Matched, predicted and gold counts, and the precision, recall and F1 they give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predictions matched to a gold expression.
    pub matched: usize,
    /// All predictions.
    pub predicted: usize,
    /// All gold expressions.
    pub gold: usize,
}

impl Counts {
    /// Matched / predicted (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }

    /// Matched / gold (1 when there is no gold).
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }

    /// Harmonic mean of precision and recall.
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
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Scores for finding time expressions and for resolving their values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scores {
    /// Paragraphs scored.
    pub documents: usize,
    /// A prediction overlapping a gold expression.
    pub found: Counts,
    /// A prediction overlapping a gold expression with the same value.
    pub value: Counts,
}

impl fmt::Display for Scores {
    /// A few lines of figures; the last line is `F1 0.xxx`, the value F1.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "times: {} documents, {} gold, {} predicted",
            self.documents, self.found.gold, self.found.predicted
        )?;
        for (name, c) in [("found", self.found), ("value", self.value)] {
            writeln!(
                f,
                "{name:<6} P {:.3}  R {:.3}  F1 {:.3}  ({} matched)",
                c.precision(),
                c.recall(),
                c.f1(),
                c.matched
            )?;
        }
        write!(f, "F1 {:.3}", self.value.f1())
    }
}

/// Pairs each gold expression of one paragraph with at most one overlapping
/// prediction (preferring one with the same value): `(gold index, prediction index)`.
fn pairs(gold: &[GoldTime], predicted: &[TimeExpression]) -> Vec<(usize, usize)> {
    let mut used = vec![false; predicted.len()];
    let mut out = Vec::new();
    for (g, gt) in gold.iter().enumerate() {
        let overlapping = |p: &usize| {
            let pt = &predicted[*p];
            !used[*p] && pt.start < gt.end && gt.start < pt.end
        };
        let best = (0..predicted.len())
            .filter(overlapping)
            .find(|p| predicted[*p].value == gt.value)
            .or_else(|| (0..predicted.len()).find(overlapping));
        if let Some(p) = best {
            used[p] = true;
            out.push((g, p));
        }
    }
    out
}

/// Scores predictions (one list per gold paragraph, in the same order) against
/// the gold set. Missing prediction lists count as empty.
pub fn score(gold: &[GoldDoc], predicted: &[Vec<TimeExpression>]) -> Scores {
    let mut s = Scores {
        documents: gold.len(),
        ..Scores::default()
    };
    for (i, doc) in gold.iter().enumerate() {
        let pred: &[TimeExpression] = predicted.get(i).map_or(&[], Vec::as_slice);
        let matched = pairs(&doc.times, pred);
        let same_value = matched
            .iter()
            .filter(|(g, p)| doc.times[*g].value == pred[*p].value)
            .count();
        for c in [&mut s.found, &mut s.value] {
            c.predicted += pred.len();
            c.gold += doc.times.len();
        }
        s.found.matched += matched.len();
        s.value.matched += same_value;
    }
    s
}

/// One line per disagreement between gold and predictions (missed, spurious,
/// wrong value), for reading what went wrong.
pub fn differences(gold: &[GoldDoc], predicted: &[Vec<TimeExpression>]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, doc) in gold.iter().enumerate() {
        let pred: &[TimeExpression] = predicted.get(i).map_or(&[], Vec::as_slice);
        let matched = pairs(&doc.times, pred);
        for (g, gt) in doc.times.iter().enumerate() {
            match matched.iter().find(|(mg, _)| *mg == g) {
                None => out.push(format!("{}: missed {:?} = {}", doc.id, gt.text, gt.value)),
                Some((_, p)) if pred[*p].value != gt.value => out.push(format!(
                    "{}: {:?} gave {} ({:?}), gold {}",
                    doc.id, gt.text, pred[*p].value, pred[*p].text, gt.value
                )),
                Some(_) => {}
            }
        }
        for (p, pt) in pred.iter().enumerate() {
            if !matched.iter().any(|(_, mp)| *mp == p) {
                out.push(format!(
                    "{}: spurious {:?} = {} ({})",
                    doc.id, pt.text, pt.value, pt.kind
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn te(start: usize, end: usize, value: &str) -> TimeExpression {
        TimeExpression {
            text: String::new(),
            value: value.to_string(),
            start,
            end,
            kind: "date".to_string(),
        }
    }

    fn doc(times: &[(usize, usize, &str)]) -> GoldDoc {
        GoldDoc {
            id: "t".into(),
            language: "id".into(),
            published: None,
            text: String::new(),
            times: times
                .iter()
                .map(|(s, e, v)| GoldTime {
                    text: String::new(),
                    value: v.to_string(),
                    start: *s,
                    end: *e,
                })
                .collect(),
        }
    }

    #[test]
    fn overlap_finds_and_equal_value_resolves() {
        let gold = vec![doc(&[
            (0, 5, "2023-09-12"),
            (10, 20, "2019"),
            (30, 35, "2022"),
        ])];
        // Overlaps the first with the right value, the second with a wrong one,
        // misses the third, and adds a spurious one.
        let pred = vec![vec![
            te(2, 8, "2023-09-12"),
            te(15, 25, "2018"),
            te(40, 45, "2020"),
        ]];
        let s = score(&gold, &pred);
        assert_eq!(
            s.found,
            Counts {
                matched: 2,
                predicted: 3,
                gold: 3
            }
        );
        assert_eq!(s.value.matched, 1);
        assert!((s.found.f1() - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.value.precision() - 1.0 / 3.0).abs() < 1e-9);
        let shown = s.to_string();
        assert!(shown.ends_with("F1 0.333"), "{shown}");
        assert_eq!(differences(&gold, &pred).len(), 3);
    }

    #[test]
    fn touching_spans_do_not_overlap_and_each_prediction_counts_once() {
        let gold = vec![doc(&[(0, 5, "a"), (5, 9, "b")])];
        let pred = vec![vec![te(0, 9, "b")]];
        let s = score(&gold, &pred);
        assert_eq!(s.found.matched, 1);
        assert_eq!(
            s.value.matched, 0,
            "the first gold takes the only prediction"
        );
        let s = score(&gold, &[vec![te(5, 6, "b")]]);
        assert_eq!((s.found.matched, s.value.matched), (1, 1));
        let s = score(&gold, &[]);
        assert_eq!((s.found.recall(), s.found.precision()), (0.0, 1.0));
    }

    #[test]
    fn gold_lines_are_located_and_errors_name_the_line() {
        let ok = "\n{\"id\":\"a\",\"language\":\"id\",\"published\":\"2023-09-13\",\"text\":\"Senin dan Senin lagi\",\"times\":[{\"text\":\"Senin\",\"value\":\"x\"},{\"text\":\"Senin\",\"value\":\"y\"}]}\n";
        let docs = parse_gold(ok).unwrap();
        assert_eq!((docs[0].times[1].start, docs[0].times[1].end), (10, 15));
        assert_eq!(docs[0].published, Date::new(2023, 9, 13));
        let bad = format!(
            "{ok}{{\"id\":\"b\",\"text\":\"x\",\"times\":[{{\"text\":\"Rabu\",\"value\":\"z\"}}]}}\n"
        );
        let e = parse_gold(&bad).unwrap_err();
        assert!(e.to_string().starts_with("gold line 3:"), "{e}");
        let e = parse_gold("{\"id\": 1}").unwrap_err();
        assert!(e.to_string().starts_with("gold line 1:"), "{e}");
        let e = parse_gold("{\"id\":\"c\",\"published\":\"13/9/2023\",\"text\":\"\"}").unwrap_err();
        assert!(matches!(e, GoldError::Published { line: 1, .. }));
    }
}
