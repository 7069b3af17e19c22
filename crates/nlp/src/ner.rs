//! Named-entity recognition: a linear-chain CRF trained here (`warta train ner`)
//! from the labelled Indonesian sets under `../shared/data/ner/`, written in
//! pure Rust (no C dependencies) and embedded in the binary.
//!
//! [`Recognizer::embedded`] is the production recognizer: people,
//! organisations and places in one sentence given as tokens. The per-set models
//! (NERGrit, NERP, idner-news-2k tag sets) are there for `warta eval ner`
//! through [`Recognizer::for_model`].
//!
//! Token conventions the models learned (the training sets' own): every
//! punctuation mark is its own token (quotes, parentheses, commas, a hyphen
//! between words as in `sumber - sumber`), reduplications written with a hyphen
//! inside one token (`undang-undang`) also occur; enclitics (`-nya`, `-lah`)
//! stay attached to their word.

mod corpus;
mod crf;
mod embedded;
mod features;
mod learn;
mod lexicon;
mod memo;
mod score;
mod train;

use std::sync::Arc;

pub use corpus::{Corpus, CorpusFormat, LabelledSentence, split_tag, to_iob2};
pub use score::{Chunk, Counts, EntityScores, chunks};
pub use train::{
    DATA_SETS, DataSet, JOINT_MODEL, ModelReport, NEWS_MODEL, TrainOptions, summary, train_all,
};

use crf::Crf;

/// What can go wrong loading models or reading labelled files.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A labelled file has a malformed line.
    #[error("{path}:{line}: {message}")]
    Line {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The bytes are not a warta NER model.
    #[error("not a warta NER model (bad magic)")]
    NotAModel,
    /// The model was written by another version of the format or features.
    #[error(
        "model format {format}/features {features}, this build reads {expected_format}/{expected_features}: retrain with `warta train ner`"
    )]
    Version {
        /// Format version in the file.
        format: u32,
        /// Feature version in the file.
        features: u32,
        /// Format version this build reads.
        expected_format: u32,
        /// Feature version this build computes.
        expected_features: u32,
    },
    /// The model file ends early.
    #[error("model file truncated")]
    Truncated,
    /// The model file is inconsistent.
    #[error("model file corrupt: {0}")]
    Corrupt(&'static str),
    /// No model by that name.
    #[error("no NER model named {0:?} (known: news, nergrit, nerp, idner2k)")]
    UnknownModel(String),
    /// A stacked model's helper is missing.
    #[error("model {model:?} needs helper model {helper:?}")]
    MissingHelper {
        /// The model.
        model: String,
        /// The helper it names.
        helper: String,
    },
}

/// The three entity types the pipeline links (countries are decided later by
/// the linker from gazetteers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NerLabel {
    /// A person.
    Person,
    /// An organisation: company, party, ministry, club, school …
    Organization,
    /// A place: country, region, city, street, landmark …
    Place,
}

impl NerLabel {
    /// The label of an entity type in any of the training tag sets (`PER`,
    /// `PERSON`, `PPL`, `ORG`, `ORGANISATION`, `LOC`, `PLACE`, `PLC`); other
    /// types (products, events, food) have none.
    pub fn from_type(kind: &str) -> Option<Self> {
        match kind {
            "PER" | "PERSON" | "PPL" => Some(Self::Person),
            "ORG" | "ORGANISATION" | "ORGANIZATION" => Some(Self::Organization),
            "LOC" | "PLACE" | "PLC" => Some(Self::Place),
            _ => None,
        }
    }
}

/// One recognised name: tokens `[start, end)` of the sentence given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NerSpan {
    /// First token of the name.
    pub start: usize,
    /// One past its last token.
    pub end: usize,
    /// What it names.
    pub label: NerLabel,
}

/// A named-entity recognizer: one CRF, plus the models whose predictions it
/// takes as features (for the stacked per-set models).
#[derive(Debug, Clone)]
pub struct Recognizer {
    crf: Arc<Crf>,
    helpers: Vec<Arc<Crf>>,
    /// Which data set's feature copies to use (0: shared features only).
    domain: u64,
    /// The labels it may output (bit set over the CRF's labels).
    allowed: u16,
    /// The tag it reports for each CRF label.
    names: Vec<String>,
    /// The tags it can report, in order.
    tag_set: Vec<String>,
    /// For each label, the entity it opens or continues (None for O and unlinked types).
    label_kinds: Vec<Option<(bool, NerLabel)>>,
    /// Names already found in sentences seen before (shared by clones).
    seen: Arc<memo::SentenceMemo>,
}

impl Recognizer {
    fn new(crf: Arc<Crf>, helpers: Vec<Arc<Crf>>) -> Self {
        let n = crf.labels.len();
        let names = crf.labels.clone();
        Self::assemble(crf, helpers, 0, ((1u32 << n) - 1) as u16, names)
    }

    /// The joint model seen as one data set's tagger.
    fn set_view(crf: Arc<Crf>, set: &str) -> Self {
        let v = train::SetView::new(crf, set);
        Self::assemble(v.crf, Vec::new(), v.domain, v.allowed, v.names)
    }

    fn assemble(
        crf: Arc<Crf>,
        helpers: Vec<Arc<Crf>>,
        domain: u64,
        allowed: u16,
        names: Vec<String>,
    ) -> Self {
        let label_kinds = names
            .iter()
            .map(|l| {
                let (p, ty) = split_tag(l);
                ty.and_then(NerLabel::from_type).map(|k| (p == "B", k))
            })
            .collect();
        let mut tag_set: Vec<String> = Vec::new();
        for (k, l) in names.iter().enumerate() {
            if allowed & (1 << k) != 0 && !tag_set.contains(l) {
                tag_set.push(l.clone());
            }
        }
        Self {
            crf,
            helpers,
            domain,
            allowed,
            names,
            tag_set,
            label_kinds,
            seen: Arc::default(),
        }
    }

    /// The production model embedded in the binary (loaded once, on first use).
    pub fn embedded() -> &'static Recognizer {
        embedded::recognizer(NEWS_MODEL)
            .unwrap_or_else(|e| panic!("the embedded NER model does not load: {e}"))
    }

    /// An embedded model by name: `news` (production), `nergrit`, `nerp` or
    /// `idner2k` (one per training tag set, for evaluation).
    pub fn for_model(name: &str) -> Result<&'static Recognizer, NerError> {
        embedded::recognizer(name)
    }

    /// Loads a model and its helpers from model files (as `warta train ner` writes them)
    /// in `dir`, e.g. to evaluate a freshly trained model without rebuilding.
    pub fn from_dir(dir: &std::path::Path, name: &str) -> Result<Recognizer, NerError> {
        let read = |n: &str| -> Result<Arc<Crf>, NerError> {
            let path = dir.join(format!("{n}.wner"));
            let bytes = std::fs::read(&path).map_err(|e| NerError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
            Ok(Arc::new(Crf::from_bytes(&bytes)?))
        };
        if name != train::JOINT_MODEL
            && DATA_SETS.iter().any(|d| d.name == name)
            && !dir.join(format!("{name}.wner")).exists()
            && dir.join(format!("{}.wner", train::JOINT_MODEL)).exists()
        {
            return Ok(Self::set_view(read(train::JOINT_MODEL)?, name));
        }
        let crf = read(name)?;
        let helpers = crf
            .helpers
            .iter()
            .map(|h| read(h))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::new(crf, helpers))
    }

    /// The model's name.
    pub fn name(&self) -> &str {
        &self.crf.name
    }

    /// The data set whose tag set and feature copies it uses, for a joint model.
    pub fn data_set(&self) -> Option<&str> {
        self.crf
            .domains
            .iter()
            .find(|d| features::domain_hash(d) == self.domain)
            .map(String::as_str)
    }

    /// What the model was trained on, as recorded in its file.
    pub fn note(&self) -> &str {
        &self.crf.note
    }

    /// The tags it predicts (`O`, `B-X`, `I-X` …).
    pub fn tag_set(&self) -> &[String] {
        &self.tag_set
    }

    /// The entity types of its tag set.
    pub fn entity_types(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.tag_set.iter().filter_map(|l| split_tag(l).1).collect();
        v.dedup();
        v
    }

    fn label_indices<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<u8> {
        let stack: Vec<Vec<u8>> = self
            .helpers
            .iter()
            .map(|h| h.tag(&h.token_info(tokens), &[], 0, u16::MAX))
            .collect();
        self.crf.tag(
            &self.crf.token_info(tokens),
            &stack,
            self.domain,
            self.allowed,
        )
    }

    /// The IOB2 tag of every token, in the model's own tag set.
    pub fn tag<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<&str> {
        self.label_indices(tokens)
            .into_iter()
            .map(|y| self.names[y as usize].as_str())
            .collect()
    }

    /// Names in one sentence given as tokens: people, organisations and places
    /// (other types a per-set model knows are left out).
    ///
    /// A sentence seen before (syndicated copies of a story, a site's repeated
    /// boilerplate) is answered from a bounded memo instead of tagged again: the
    /// answer depends on the tokens alone.
    pub fn recognize(&self, tokens: &[&str]) -> Vec<NerSpan> {
        self.seen
            .get_or_insert(tokens, || self.recognize_afresh(tokens))
    }

    fn recognize_afresh(&self, tokens: &[&str]) -> Vec<NerSpan> {
        let labels = self.label_indices(tokens);
        let mut out: Vec<NerSpan> = Vec::new();
        let mut open: Option<NerSpan> = None;
        for (i, &y) in labels.iter().enumerate() {
            let kind = self.label_kinds[y as usize];
            match (kind, open.as_mut()) {
                (Some((false, k)), Some(span)) if span.label == k => span.end = i + 1,
                (Some((_, k)), _) => {
                    out.extend(open.take());
                    open = Some(NerSpan {
                        start: i,
                        end: i + 1,
                        label: k,
                    });
                }
                (None, _) => out.extend(open.take()),
            }
        }
        out.extend(open);
        merge_org_led(tokens, &mut out);
        for span in &mut out {
            trim_person_titles(tokens, span);
        }
        out
    }
}

/// Drops the titles (and a demonym before them) that lead a person's name:
/// "Russian President Arkady Voronin" names Arkady Voronin.
fn trim_person_titles(tokens: &[&str], span: &mut NerSpan) {
    if span.label != NerLabel::Person {
        return;
    }
    let gaz = crate::gazetteer::Gazetteer::shared();
    let lower: Vec<String> = tokens[span.start..span.end]
        .iter()
        .map(|t| t.to_lowercase())
        .collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    let mut s = 0;
    for k in [2, 1] {
        if s + k < lower.len()
            && gaz
                .demonym_before(&tokens[span.start..span.start + k])
                .is_some()
            && gaz.title_len(&lower[k..]) > 0
        {
            s = k;
            break;
        }
    }
    loop {
        let t = gaz.title_len(&lower[s..]);
        if t == 0 || s + t >= lower.len() {
            break;
        }
        s += t;
    }
    if s > 0 && s < lower.len() {
        span.start += s;
    }
}

/// Joins a name led by an organisation word (`Institut`, `Universitas`, `Bank` …)
/// with an organisation name right after it into one organisation:
/// "Institut Studi Korea" + "Universitas Kookmin" is one name, whatever type
/// the tagger gave its first part.
fn merge_org_led(tokens: &[&str], spans: &mut Vec<NerSpan>) {
    let org_led = |s: &NerSpan| {
        features::TokenInfo::new(tokens[s.start], None).cue == features::Cue::OrgWord as u8
    };
    let mut k = 0;
    while k + 1 < spans.len() {
        let (a, b) = (spans[k], spans[k + 1]);
        if a.end == b.start && b.label == NerLabel::Organization && org_led(&a) {
            spans[k] = NerSpan {
                start: a.start,
                end: b.end,
                label: NerLabel::Organization,
            };
            spans.remove(k + 1);
        } else {
            k += 1;
        }
    }
}

#[cfg(test)]
mod tests;
