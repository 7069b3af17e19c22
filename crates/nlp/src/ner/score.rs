//! Entity-level scoring as conlleval does it: chunks are read from IOB tags
//! (an `I-X` that does not continue an `X` chunk starts one), and a predicted
//! chunk counts only when its span and type both match a gold chunk.

use std::collections::{BTreeMap, HashSet};

use super::corpus::split_tag;

/// One entity chunk: tokens `[start, end)` of a sentence and its type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Chunk {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The entity type (`PER`, `PLACE`, …).
    pub kind: String,
}

/// The chunks of a tagged sentence, in order.
pub fn chunks<S: AsRef<str>>(tags: &[S]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (p, ty) = split_tag(t.as_ref());
        let continues = matches!((open, ty), (Some((_, o)), Some(ty)) if p == "I" && o == ty);
        if continues {
            continue;
        }
        if let Some((s, o)) = open.take() {
            out.push(Chunk {
                start: s,
                end: i,
                kind: o.to_owned(),
            });
        }
        if let Some(ty) = ty {
            open = Some((i, ty));
        }
    }
    if let Some((s, o)) = open {
        out.push(Chunk {
            start: s,
            end: tags.len(),
            kind: o.to_owned(),
        });
    }
    out
}

/// Counts for one entity type (or all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted chunks that match a gold chunk exactly.
    pub correct: usize,
    /// Predicted chunks.
    pub predicted: usize,
    /// Gold chunks.
    pub gold: usize,
}

impl Counts {
    /// Share of predicted chunks that are right (0 when none were predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    /// Share of gold chunks found (0 when there are none).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
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
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Entity-level scores accumulated over sentences.
#[derive(Debug, Clone, Default)]
pub struct EntityScores {
    /// Per entity type.
    pub by_type: BTreeMap<String, Counts>,
}

impl EntityScores {
    /// Adds one sentence's gold and predicted tags.
    pub fn add<S: AsRef<str>, T: AsRef<str>>(&mut self, gold: &[S], predicted: &[T]) {
        let g = chunks(gold);
        let p = chunks(predicted);
        let gs: HashSet<&Chunk> = g.iter().collect();
        for c in &g {
            self.by_type.entry(c.kind.clone()).or_default().gold += 1;
        }
        for c in &p {
            let e = self.by_type.entry(c.kind.clone()).or_default();
            e.predicted += 1;
            if gs.contains(c) {
                e.correct += 1;
            }
        }
    }

    /// Counts over all types.
    pub fn overall(&self) -> Counts {
        self.by_type
            .values()
            .fold(Counts::default(), |a, c| Counts {
                correct: a.correct + c.correct,
                predicted: a.predicted + c.predicted,
                gold: a.gold + c.gold,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_follow_conlleval() {
        let c = chunks(&[
            "B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG", "B-PER",
        ]);
        let spans: Vec<_> = c
            .iter()
            .map(|c| (c.start, c.end, c.kind.as_str()))
            .collect();
        assert_eq!(
            spans,
            [
                (0, 2, "PER"),
                (3, 5, "LOC"),
                (5, 6, "LOC"),
                (6, 7, "ORG"),
                (7, 8, "PER")
            ]
        );
        assert!(chunks(&["O", "O"]).is_empty());
        assert_eq!(chunks(&["I-PER"]).len(), 1);
    }

    #[test]
    fn exact_span_and_type_count() {
        let mut s = EntityScores::default();
        // Gold: PER [0,2), LOC [3,4). Predicted: PER [0,1) (wrong span), LOC [3,4) (right).
        s.add(
            &["B-PER", "I-PER", "O", "B-LOC"],
            &["B-PER", "O", "O", "I-LOC"],
        );
        let o = s.overall();
        assert_eq!((o.correct, o.predicted, o.gold), (1, 2, 2));
        assert!((o.f1() - 0.5).abs() < 1e-12);
        assert_eq!(s.by_type["LOC"].f1(), 1.0);
        assert_eq!(s.by_type["PER"].correct, 0);
        // Right span, wrong type does not count.
        let mut s = EntityScores::default();
        s.add(&["B-PER"], &["B-ORG"]);
        assert_eq!(s.overall().correct, 0);
        assert_eq!(EntityScores::default().overall().f1(), 0.0);
    }
}
