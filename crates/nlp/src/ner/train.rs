//! `warta train ner`: retrains every model from the labelled sets, reproducibly,
//! and reports each one's validation figures.
//!
//! Models:
//! - `<set>-base`: a CRF on one set's train split alone (word, shape, affix,
//!   window, cue-word and capitalised-run features);
//! - `<set>`: the same features plus the predictions of the *other* sets' base
//!   models (stacking: those never saw this set, so their output on its train
//!   split is as honest as on new text) — the models `warta eval ner` uses;
//! - `news`: the production recognizer (PER/ORG/LOC), one CRF over NERGrit and
//!   idner-news-2k mapped to PER/ORG/LOC plus NERP's people and places as
//!   partial labels (NERP has no organisations, so its O tokens may be O or ORG).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::NerError;
use super::corpus::{Corpus, CorpusFormat, split_tag, to_iob2};
use super::crf::Crf;
use super::features::{domain_hash, lower_hash};
use super::learn::{Example, LearnOptions, train};
use super::score::EntityScores;

/// One labelled data set under the data directory.
#[derive(Debug, Clone, Copy)]
pub struct DataSet {
    /// Model name (`nergrit`, `nerp`, `idner2k`).
    pub name: &'static str,
    /// Train split, relative to the data directory.
    pub train: &'static str,
    /// Validation split, relative to the data directory.
    pub valid: &'static str,
    /// File format.
    pub format: CorpusFormat,
}

/// The three labelled sets `warta train ner` knows.
pub const DATA_SETS: [DataSet; 3] = [
    DataSet {
        name: "nergrit",
        train: "nergrit/train_preprocess.txt",
        valid: "nergrit/valid_preprocess.txt",
        format: CorpusFormat::Indonlu,
    },
    DataSet {
        name: "nerp",
        train: "nerp/train_preprocess.txt",
        valid: "nerp/valid_preprocess.txt",
        format: CorpusFormat::Indonlu,
    },
    DataSet {
        name: "idner2k",
        train: "idner2k/train.txt",
        valid: "idner2k/dev.txt",
        format: CorpusFormat::Conll,
    },
];

/// Name of the joint model over all three sets.
pub const JOINT_MODEL: &str = "joint";

/// The entity types of the joint model.
const JOINT_TYPES: [&str; 6] = ["EVT", "FNB", "IND", "LOC", "ORG", "PER"];

/// How a set's own entity types correspond to the joint ones: (joint, own).
pub(crate) fn set_view(set: &str) -> &'static [(&'static str, &'static str)] {
    match set {
        "nergrit" => &[("PER", "PERSON"), ("ORG", "ORGANISATION"), ("LOC", "PLACE")],
        "nerp" => &[
            ("PER", "PPL"),
            ("LOC", "PLC"),
            ("IND", "IND"),
            ("EVT", "EVT"),
            ("FNB", "FNB"),
        ],
        _ => &[("PER", "PER"), ("ORG", "ORG"), ("LOC", "LOC")],
    }
}

/// The joint model seen as one set's tagger: that set's feature copies, its
/// types only, its tag names.
#[derive(Debug, Clone)]
pub(crate) struct SetView {
    pub(crate) crf: Arc<Crf>,
    pub(crate) domain: u64,
    pub(crate) allowed: u16,
    /// The set's own tag for each joint label.
    pub(crate) names: Vec<String>,
}

impl SetView {
    pub(crate) fn new(crf: Arc<Crf>, set: &str) -> Self {
        let view = set_view(set);
        let mut allowed = 0u16;
        let mut names = Vec::new();
        for (k, l) in crf.labels.iter().enumerate() {
            let (p, ty) = split_tag(l);
            match ty {
                None => {
                    allowed |= 1 << k;
                    names.push("O".to_owned());
                }
                Some(ty) => match view.iter().find(|(j, _)| *j == ty) {
                    Some((_, own)) => {
                        allowed |= 1 << k;
                        names.push(format!("{p}-{own}"));
                    }
                    None => names.push("O".to_owned()),
                },
            }
        }
        let domain = if crf.domains.iter().any(|d| d == set) {
            domain_hash(set)
        } else {
            0
        };
        Self {
            crf,
            domain,
            allowed,
            names,
        }
    }

    /// Label indices (of the joint model) for each token.
    pub(crate) fn indices<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<u8> {
        self.crf
            .tag(&self.crf.token_info(tokens), &[], self.domain, self.allowed)
    }

    /// The set's own tags for each token.
    pub(crate) fn tag<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<&str> {
        self.indices(tokens)
            .into_iter()
            .map(|y| self.names[y as usize].as_str())
            .collect()
    }
}

/// Name of the production model.
pub const NEWS_MODEL: &str = "news";

/// Settings of `warta train ner`.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// L1 penalty (sparsity) of the CRFs.
    pub c1: f64,
    /// L2 penalty of the CRFs.
    pub c2: f64,
    /// Most L-BFGS iterations per model.
    pub max_iterations: usize,
    /// Threads for the gradient.
    pub threads: usize,
    /// Train only the models whose name starts with this (for quick experiments).
    pub only: Option<String>,
    /// Give each per-set model the other sets' models' predictions as features
    /// (then `<set>-base` models are trained first).
    pub stacking: bool,
    /// Train the joint model over all three sets (per-set feature copies), which
    /// serves the per-set taggers.
    pub joint: bool,
    /// Also train one plain model per set (`nergrit`, `nerp`, `idner2k` files,
    /// which then take precedence over the joint model's views).
    pub per_set: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            c1: 0.02,
            c2: 0.2,
            max_iterations: 250,
            threads: 2,
            only: None,
            stacking: false,
            joint: true,
            per_set: false,
        }
    }
}

/// What training one model gave.
#[derive(Debug, Clone)]
pub struct ModelReport {
    /// Model name.
    pub model: String,
    /// The validation file it was scored on.
    pub validated_on: String,
    /// Entity-level validation scores.
    pub scores: EntityScores,
    /// Number of weights kept.
    pub weights: usize,
    /// Size of the model file in bytes.
    pub bytes: usize,
    /// Training time in seconds.
    pub seconds: f64,
}

fn label_set(types: &[String]) -> Vec<String> {
    let mut labels = vec!["O".to_owned()];
    for t in types {
        labels.push(format!("B-{t}"));
        labels.push(format!("I-{t}"));
    }
    labels
}

fn label_index(labels: &[String]) -> HashMap<&str, usize> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect()
}

/// Folds of the joint model's training sentences for their entity-word classes.
const CLASS_FOLDS: usize = 5;
/// A word gets an entity-word class bit from this many name occurrences …
const CLASS_MIN_SPANS: u32 = 2;
/// … when they are at least this fraction (1/n) of all its occurrences.
const CLASS_MIN_SHARE: u32 = 3;

/// Entity-word classes learned from labelled examples: for each lowercased word
/// that is often part of a name, a bit per label it carries there (label index
/// − 1: a joint type × first or later token of the name). A bit is set when the
/// word carries that label at least [`CLASS_MIN_SPANS`] times and in at least
/// 1/[`CLASS_MIN_SHARE`] of all its occurrences; partially labelled tokens
/// count as occurrences only. The map holds the bit set of every word with one.
fn entity_word_classes<'a>(examples: impl Iterator<Item = &'a Example>) -> HashMap<u64, u32> {
    let mut total: HashMap<u64, u32> = HashMap::new();
    let mut named: HashMap<u64, [u32; 15]> = HashMap::new();
    for ex in examples {
        for (tok, &allowed) in ex.tokens.iter().zip(&ex.allowed) {
            let h = lower_hash(tok);
            *total.entry(h).or_insert(0) += 1;
            if allowed.count_ones() == 1 && allowed > 1 {
                let y = allowed.trailing_zeros() as usize;
                named.entry(h).or_insert([0; 15])[y - 1] += 1;
            }
        }
    }
    let mut classes = HashMap::new();
    for (h, counts) in named {
        let all = total[&h];
        let mut bits = 0u32;
        for (b, &c) in counts.iter().enumerate() {
            if c >= CLASS_MIN_SPANS && c * CLASS_MIN_SHARE >= all {
                bits |= 1 << b;
            }
        }
        if bits != 0 {
            classes.insert(h, bits);
        }
    }
    classes
}

/// Runs a model (with its helpers) over tokens: label indices.
pub(crate) fn run_model<S: AsRef<str>>(crf: &Crf, helpers: &[Arc<Crf>], tokens: &[S]) -> Vec<u8> {
    let stack: Vec<Vec<u8>> = helpers
        .iter()
        .map(|h| h.tag(&h.token_info(tokens), &[], 0, u16::MAX))
        .collect();
    crf.tag(&crf.token_info(tokens), &stack, 0, u16::MAX)
}

/// One set's train split as fully labelled examples (with the helpers' predictions).
fn set_examples(train: &Corpus, labels: &[String], helpers: &[Arc<Crf>]) -> Vec<Example> {
    let index = label_index(labels);
    train
        .sentences
        .iter()
        .map(|sent| Example {
            tokens: sent.tokens.clone(),
            allowed: to_iob2(&sent.tags)
                .iter()
                .map(|t| 1u16 << index.get(t.as_str()).copied().unwrap_or(0))
                .collect(),
            stack: helper_predictions(helpers, &sent.tokens),
            domain: 0,
            clusters: None,
        })
        .collect()
}

fn helper_predictions<S: AsRef<str>>(helpers: &[Arc<Crf>], tokens: &[S]) -> Vec<Vec<u8>> {
    helpers
        .iter()
        .map(|h| h.tag(&h.token_info(tokens), &[], 0, u16::MAX))
        .collect()
}

/// Scores a model on a labelled corpus whose tags are mapped by `map`.
fn validate(
    crf: &Crf,
    helpers: &[Arc<Crf>],
    corpus: &Corpus,
    map: &dyn Fn(&str) -> String,
) -> EntityScores {
    let mut scores = EntityScores::default();
    for s in &corpus.sentences {
        let pred = run_model(crf, helpers, &s.tokens);
        let pred: Vec<&str> = pred
            .iter()
            .map(|&y| crf.labels[y as usize].as_str())
            .collect();
        let gold: Vec<String> = s.tags.iter().map(|t| map(t)).collect();
        scores.add(&gold, &pred);
    }
    scores
}

/// Maps a tag of any set to the production PER/ORG/LOC tag set (other types → O).
pub(crate) fn news_tag(tag: &str) -> String {
    let (p, ty) = split_tag(tag);
    let ty = match ty {
        Some("PER" | "PERSON" | "PPL") => "PER",
        Some("ORG" | "ORGANISATION" | "ORGANIZATION") => "ORG",
        Some("LOC" | "PLACE" | "PLC") => "LOC",
        _ => return "O".to_owned(),
    };
    format!("{p}-{ty}")
}

struct Loaded {
    set: DataSet,
    train: Corpus,
    valid: Corpus,
}

fn load(data: &Path) -> Result<Vec<Loaded>, NerError> {
    DATA_SETS
        .iter()
        .map(|set| {
            Ok(Loaded {
                set: *set,
                train: Corpus::read(&data.join(set.train), Some(set.format))?,
                valid: Corpus::read(&data.join(set.valid), Some(set.format))?,
            })
        })
        .collect()
}

fn write_model(out: &Path, crf: &Crf) -> Result<usize, NerError> {
    let bytes = crf.to_bytes();
    let path: PathBuf = out.join(format!("{}.wner", crf.name));
    std::fs::write(&path, &bytes).map_err(|e| NerError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    Ok(bytes.len())
}

/// Retrains every model from `data` into `out` and returns each one's validation report.
pub fn train_all(
    data: &Path,
    out: &Path,
    opts: &TrainOptions,
    log: &mut dyn FnMut(&str),
) -> Result<Vec<ModelReport>, NerError> {
    let sets = load(data)?;
    std::fs::create_dir_all(out).map_err(|e| NerError::Io {
        path: out.display().to_string(),
        source: e,
    })?;
    let learn = LearnOptions {
        c1: opts.c1,
        c2: opts.c2,
        max_iterations: opts.max_iterations,
        threads: opts.threads,
        ..LearnOptions::default()
    };
    let wanted = |name: &str| opts.only.as_deref().is_none_or(|o| name.starts_with(o));
    let clusters = HashMap::new();
    let mut reports = Vec::new();
    let identity = |t: &str| t.to_owned();

    // Base models: one per set, no stacking.
    let mut bases: Vec<Option<Arc<Crf>>> = Vec::new();
    for s in &sets {
        let name = if opts.stacking {
            format!("{}-base", s.set.name)
        } else {
            s.set.name.to_owned()
        };
        let path = out.join(format!("{name}.wner"));
        let need_stacked = opts.stacking
            && DATA_SETS
                .iter()
                .any(|d| d.name != s.set.name && wanted(d.name));
        if (!opts.per_set && !opts.stacking) || (!wanted(&name) && !need_stacked) {
            bases.push(None);
            continue;
        }
        if !wanted(&name) && path.exists() {
            // Reuse the base model already there (for quick experiments on one set).
            let bytes = std::fs::read(&path).map_err(|e| NerError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
            bases.push(Some(Arc::new(Crf::from_bytes(&bytes)?)));
            continue;
        }
        let t0 = Instant::now();
        let labels = label_set(&s.train.entity_types());
        let examples = set_examples(&s.train, &labels, &[]);
        log(&format!("training {name}"));
        let note = format!(
            "{name}: linear-chain CRF trained on {} ({} sentences), c1 {}, c2 {}",
            s.set.train,
            examples.len(),
            learn.c1,
            learn.c2
        );
        let crf = train(
            &name,
            &note,
            &labels,
            &[],
            &[],
            &clusters,
            &examples,
            &learn,
            log,
        );
        let scores = validate(&crf, &[], &s.valid, &identity);
        let bytes = write_model(out, &crf)?;
        reports.push(ModelReport {
            model: name,
            validated_on: s.set.valid.to_owned(),
            scores,
            weights: crf.n_weights(),
            bytes,
            seconds: t0.elapsed().as_secs_f64(),
        });
        log(&summary(reports.last().expect("just pushed")));
        bases.push(Some(Arc::new(crf)));
    }

    // Stacked per-set models: the other sets' base models as helpers.
    for (k, s) in sets.iter().enumerate() {
        let name = s.set.name.to_owned();
        if !opts.stacking || !wanted(&name) {
            continue;
        }
        let t0 = Instant::now();
        let helpers: Vec<Arc<Crf>> = (0..sets.len())
            .filter(|&j| j != k)
            .filter_map(|j| bases[j].clone())
            .collect();
        let helper_names: Vec<String> = helpers.iter().map(|h| h.name.clone()).collect();
        let labels = label_set(&s.train.entity_types());
        let examples = set_examples(&s.train, &labels, &helpers);
        log(&format!(
            "training {name} (helpers: {})",
            helper_names.join(", ")
        ));
        let note = format!(
            "{name}: linear-chain CRF trained on {} ({} sentences) with the predictions of {} as features, c1 {}, c2 {}",
            s.set.train,
            examples.len(),
            helper_names.join(" and "),
            learn.c1,
            learn.c2
        );
        let crf = train(
            &name,
            &note,
            &labels,
            &helper_names,
            &[],
            &clusters,
            &examples,
            &learn,
            log,
        );
        let scores = validate(&crf, &helpers, &s.valid, &identity);
        let bytes = write_model(out, &crf)?;
        reports.push(ModelReport {
            model: name,
            validated_on: s.set.valid.to_owned(),
            scores,
            weights: crf.n_weights(),
            bytes,
            seconds: t0.elapsed().as_secs_f64(),
        });
        log(&summary(reports.last().expect("just pushed")));
    }

    if opts.joint && wanted(JOINT_MODEL) {
        let t0 = Instant::now();
        let labels = label_set(
            &JOINT_TYPES
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        );
        let index = label_index(&labels);
        let mut examples: Vec<Example> = Vec::new();
        let mut parts = Vec::new();
        for s in &sets {
            let domain = domain_hash(s.set.name);
            // A set without organisations (NERP) says O where it may be ORG. (Products,
            // events and food are rarely names the other sets would tag, so their O stays O.)
            let view = set_view(s.set.name);
            let mut unannotated = 0u16;
            if view.iter().all(|(joint, _)| *joint != "ORG") {
                unannotated = 1 << index["B-ORG"] | 1 << index["I-ORG"];
            }
            for sent in &s.train.sentences {
                let allowed = to_iob2(&sent.tags)
                    .iter()
                    .map(|t| {
                        let (p, ty) = split_tag(t);
                        let joint = ty.and_then(|ty| {
                            view.iter().find(|(_, own)| *own == ty).map(|(j, _)| *j)
                        });
                        match joint.and_then(|j| index.get(format!("{p}-{j}").as_str())) {
                            Some(&i) => 1u16 << i,
                            None => 1 | unannotated,
                        }
                    })
                    .collect();
                examples.push(Example {
                    tokens: sent.tokens.clone(),
                    allowed,
                    stack: Vec::new(),
                    domain,
                    clusters: None,
                });
            }
            parts.push(format!(
                "{} ({} sentences)",
                s.set.train,
                s.train.sentences.len()
            ));
        }
        // Entity-word classes from the train splits' names; each training sentence
        // sees the classes of the other folds only.
        let classes = entity_word_classes(examples.iter());
        let folds: Vec<Arc<HashMap<u64, u32>>> = (0..CLASS_FOLDS)
            .map(|k| {
                Arc::new(entity_word_classes(
                    examples
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % CLASS_FOLDS != k)
                        .map(|(_, e)| e),
                ))
            })
            .collect();
        for (i, ex) in examples.iter_mut().enumerate() {
            ex.clusters = Some(Arc::clone(&folds[i % CLASS_FOLDS]));
        }
        log(&format!(
            "training {JOINT_MODEL} ({} entity-word classes)",
            classes.len()
        ));
        let note = format!(
            "{JOINT_MODEL}: linear-chain CRF over the joint tag set with per-set feature copies and {} entity-word classes from the train splits ({CLASS_FOLDS} folds), trained on {}, c1 {}, c2 {}",
            classes.len(),
            parts.join(", "),
            learn.c1,
            learn.c2
        );
        let domains: Vec<String> = sets.iter().map(|s| s.set.name.to_owned()).collect();
        let crf = train(
            JOINT_MODEL,
            &note,
            &labels,
            &[],
            &domains,
            &classes,
            &examples,
            &learn,
            log,
        );
        let bytes = write_model(out, &crf)?;
        let secs = t0.elapsed().as_secs_f64();
        let crf = Arc::new(crf);
        for s in &sets {
            let view = SetView::new(Arc::clone(&crf), s.set.name);
            let mut scores = EntityScores::default();
            for sent in &s.valid.sentences {
                scores.add(&sent.tags, &view.tag(&sent.tokens));
            }
            reports.push(ModelReport {
                model: format!("{JOINT_MODEL}:{}", s.set.name),
                validated_on: s.set.valid.to_owned(),
                scores,
                weights: crf.n_weights(),
                bytes,
                seconds: secs,
            });
            log(&summary(reports.last().expect("just pushed")));
        }
    }

    if wanted(NEWS_MODEL) {
        let t0 = Instant::now();
        let types: Vec<String> = ["LOC", "ORG", "PER"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let labels = label_set(&types);
        let index = label_index(&labels);
        let or_org = 1u16 | 1 << index["B-ORG"] | 1 << index["I-ORG"];
        let mut examples = Vec::new();
        let mut parts = Vec::new();
        for s in &sets {
            let partial = s.set.name == "nerp";
            for sent in &s.train.sentences {
                let tags = to_iob2(&sent.tags);
                let allowed = tags
                    .iter()
                    .map(|t| {
                        let m = news_tag(t);
                        match index.get(m.as_str()) {
                            Some(&i) if i != 0 => 1u16 << i,
                            _ if partial => or_org,
                            _ => 1,
                        }
                    })
                    .collect();
                examples.push(Example {
                    tokens: sent.tokens.clone(),
                    allowed,
                    stack: Vec::new(),
                    domain: 0,
                    clusters: None,
                });
            }
            parts.push(format!(
                "{} ({} sentences{})",
                s.set.train,
                s.train.sentences.len(),
                if partial {
                    ", people and places only"
                } else {
                    ""
                }
            ));
        }
        log(&format!("training {NEWS_MODEL}"));
        let note = format!(
            "{NEWS_MODEL}: production PER/ORG/LOC linear-chain CRF trained on {}, c1 {}, c2 {}",
            parts.join(", "),
            learn.c1,
            learn.c2
        );
        let crf = train(
            NEWS_MODEL,
            &note,
            &labels,
            &[],
            &[],
            &clusters,
            &examples,
            &learn,
            log,
        );
        let bytes = write_model(out, &crf)?;
        let secs = t0.elapsed().as_secs_f64();
        for s in sets.iter().filter(|s| s.set.name != "nerp") {
            let scores = validate(&crf, &[], &s.valid, &news_tag);
            reports.push(ModelReport {
                model: NEWS_MODEL.to_owned(),
                validated_on: s.set.valid.to_owned(),
                scores,
                weights: crf.n_weights(),
                bytes,
                seconds: secs,
            });
            log(&summary(reports.last().expect("just pushed")));
        }
    }
    Ok(reports)
}

/// One line about a model's validation figures.
pub fn summary(r: &ModelReport) -> String {
    let o = r.scores.overall();
    format!(
        "{:<14} on {:<32} P {:.3} R {:.3} F1 {:.3}  ({} weights, {:.1} MB, {:.0} s)",
        r.model,
        r.validated_on,
        o.precision(),
        o.recall(),
        o.f1(),
        r.weights,
        r.bytes as f64 / 1e6,
        r.seconds
    )
}
