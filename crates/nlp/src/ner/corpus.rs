//! Reading labelled NER files: one token per line with its tag last, a blank
//! line between sentences.
//!
//! - `indonlu`: `token<TAB>tag` (NERGrit, NERP);
//! - `conll`: whitespace-separated columns, tag last (idner-news-2k's
//!   `token POS tag`); CRLF line ends are tolerated in both.

use std::path::Path;

use super::NerError;

/// How a labelled file separates its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusFormat {
    /// `token<TAB>tag` lines (IndoNLU's NERGrit and NERP).
    Indonlu,
    /// Whitespace-separated columns with the tag last (CoNLL style, idner-news-2k).
    Conll,
}

impl CorpusFormat {
    /// The separator written between columns in this format.
    pub fn separator(self) -> &'static str {
        match self {
            Self::Indonlu => "\t",
            Self::Conll => " ",
        }
    }
}

/// One labelled sentence, with the lines it was read from.
#[derive(Debug, Clone, Default)]
pub struct LabelledSentence {
    /// The tokens, as written.
    pub tokens: Vec<String>,
    /// The gold tag of each token (as written: IOB2 or IOB1).
    pub tags: Vec<String>,
    /// Each token's line as read, without its line end.
    pub lines: Vec<String>,
}

/// A labelled file.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The sentences in file order.
    pub sentences: Vec<LabelledSentence>,
    /// The format it was read in.
    pub format: CorpusFormat,
    /// Whether its lines ended with CRLF.
    pub crlf: bool,
}

impl Corpus {
    /// Reads a labelled file; `format` `None` guesses it (a tab anywhere means `indonlu`).
    pub fn read(path: &Path, format: Option<CorpusFormat>) -> Result<Self, NerError> {
        let bytes = std::fs::read(path).map_err(|e| NerError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let text = String::from_utf8_lossy(&bytes);
        Self::parse(&text, format).map_err(|e| match e {
            NerError::Line { line, message, .. } => NerError::Line {
                path: path.display().to_string(),
                line,
                message,
            },
            other => other,
        })
    }

    /// Parses labelled text (see [`Corpus::read`]).
    pub fn parse(text: &str, format: Option<CorpusFormat>) -> Result<Self, NerError> {
        let format = format.unwrap_or(if text.contains('\t') {
            CorpusFormat::Indonlu
        } else {
            CorpusFormat::Conll
        });
        let crlf = text.contains("\r\n");
        let mut sentences = Vec::new();
        let mut cur = LabelledSentence::default();
        for (n, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                if !cur.tokens.is_empty() {
                    sentences.push(std::mem::take(&mut cur));
                }
                continue;
            }
            let (token, tag) = match format {
                CorpusFormat::Indonlu => {
                    let mut cols = line.split('\t');
                    let token = cols.next().unwrap_or("");
                    (token, cols.next_back())
                }
                CorpusFormat::Conll => {
                    let mut cols = line.split_whitespace();
                    let token = cols.next().unwrap_or("");
                    (token, cols.next_back())
                }
            };
            let Some(tag) = tag.map(str::trim).filter(|t| !t.is_empty()) else {
                return Err(NerError::Line {
                    path: String::new(),
                    line: n + 1,
                    message: "a token line needs a tag as its last column".into(),
                });
            };
            cur.tokens.push(token.to_owned());
            cur.tags.push(tag.to_owned());
            cur.lines.push(line.to_owned());
        }
        if !cur.tokens.is_empty() {
            sentences.push(cur);
        }
        Ok(Self {
            sentences,
            format,
            crlf,
        })
    }

    /// The entity types its tags use, sorted.
    pub fn entity_types(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .sentences
            .iter()
            .flat_map(|s| &s.tags)
            .filter_map(|t| split_tag(t).1)
            .map(str::to_owned)
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Number of tokens.
    pub fn n_tokens(&self) -> usize {
        self.sentences.iter().map(|s| s.tokens.len()).sum()
    }
}

/// Splits a tag into its prefix (`B`, `I`, …) and type; `O` has no type.
/// A tag without a prefix counts as `I-` of its type.
pub fn split_tag(tag: &str) -> (&str, Option<&str>) {
    if tag == "O" || tag.is_empty() {
        return ("O", None);
    }
    match tag.split_once('-') {
        Some((p, t)) if !t.is_empty() && p.len() <= 2 => (p, Some(t)),
        _ => ("I", Some(tag)),
    }
}

/// Rewrites IOB1 (or sloppy) tags as IOB2: an `I-X` that does not continue an `X`
/// chunk becomes `B-X`; anything else keeps its meaning.
pub fn to_iob2<S: AsRef<str>>(tags: &[S]) -> Vec<String> {
    let mut out = Vec::with_capacity(tags.len());
    let mut prev: Option<&str> = None;
    for t in tags {
        let (p, ty) = split_tag(t.as_ref());
        match ty {
            None => {
                out.push("O".to_owned());
                prev = None;
            }
            Some(ty) => {
                let begin = p != "I" || prev != Some(ty);
                out.push(format!("{}-{ty}", if begin { "B" } else { "I" }));
                prev = Some(ty);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_formats_and_crlf() {
        let c = Corpus::parse("Joko\tB-PERSON\nke\tO\n\nBali\tB-PLACE\n", None).unwrap();
        assert_eq!(c.format, CorpusFormat::Indonlu);
        assert_eq!(c.sentences.len(), 2);
        assert_eq!(c.sentences[0].tags, ["B-PERSON", "O"]);
        let c = Corpus::parse("Joko PROPN B-PER\r\nke ADP O\r\n\r\n", None).unwrap();
        assert_eq!(c.format, CorpusFormat::Conll);
        assert!(c.crlf);
        assert_eq!(c.sentences[0].tokens, ["Joko", "ke"]);
        assert_eq!(c.sentences[0].lines[1], "ke ADP O");
        assert_eq!(c.entity_types(), ["PER"]);
        assert!(Corpus::parse("Joko\n", Some(CorpusFormat::Indonlu)).is_err());
    }

    #[test]
    fn iob1_becomes_iob2() {
        assert_eq!(
            to_iob2(&["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]),
            ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "B-ORG"]
        );
    }
}
