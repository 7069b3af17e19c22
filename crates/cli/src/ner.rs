//! `warta train ner` and `warta eval ner`: retraining the named-entity models
//! and scoring them entity by entity (exact span and type, as conlleval does).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use cpu_time::ProcessTime;
use warta_nlp::ner::{Corpus, CorpusFormat, EntityScores, Recognizer, TrainOptions};

/// Options of `warta train ner`.
#[derive(Debug, Args)]
pub(crate) struct TrainArgs {
    /// The labelled sets (nergrit/, nerp/, idner2k/ as in the shared data).
    #[arg(long, default_value = "../shared/data/ner")]
    data: PathBuf,
    /// Where the model files go (the build embeds crates/nlp/models/).
    #[arg(long, default_value = "crates/nlp/models")]
    out: PathBuf,
    /// L1 penalty of the CRFs (higher: smaller models).
    #[arg(long, default_value_t = 0.02)]
    c1: f64,
    /// L2 penalty of the CRFs.
    #[arg(long, default_value_t = 0.2)]
    c2: f64,
    /// Most optimiser iterations per model (the committed models: 200 for news, 250 for joint).
    #[arg(long, default_value_t = 200)]
    iterations: usize,
    /// Threads for training (the models do not depend on it beyond rounding).
    #[arg(long, short, default_value_t = 2)]
    jobs: usize,
    /// Train only the models whose name starts with this (quick experiments;
    /// other sets' base models are reused from --out when there).
    #[arg(long)]
    only: Option<String>,
    /// Give each per-set model the other sets' predictions as features
    /// (stacking; slower, and it did not help on the validation splits).
    #[arg(long)]
    stacking: bool,
    /// Skip the joint model over all three sets (per-set feature copies; it
    /// serves `eval ner --model nergrit|nerp|idner2k`; about 13 minutes on two cores).
    #[arg(long)]
    no_joint: bool,
    /// Also train one plain model per set (they then take precedence over the joint model).
    #[arg(long)]
    per_set: bool,
}

/// Runs `warta train ner`.
pub(crate) fn train(args: &TrainArgs) -> Result<ExitCode> {
    if !args.data.is_dir() {
        bail!(
            "{} is not a directory: --data names the folder with nergrit/, nerp/ and idner2k/",
            args.data.display()
        );
    }
    let opts = TrainOptions {
        c1: args.c1,
        c2: args.c2,
        max_iterations: args.iterations,
        threads: args.jobs.max(1),
        only: args.only.clone(),
        stacking: args.stacking,
        joint: !args.no_joint,
        per_set: args.per_set,
    };
    let reports = warta_nlp::ner::train_all(&args.data, &args.out, &opts, &mut |line| {
        eprintln!("{line}");
    })?;
    println!("validation (entity-level exact span and type):");
    for r in &reports {
        println!("{}", warta_nlp::ner::summary(r));
    }
    Ok(ExitCode::SUCCESS)
}

/// File layouts `warta eval ner` reads.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FormatArg {
    /// `token<TAB>tag` (NERGrit, NERP).
    Indonlu,
    /// Whitespace-separated columns, tag last (idner-news-2k; CRLF tolerated).
    Conll,
}

/// Options of `warta eval ner`.
#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// A labelled file: one token per line with its gold tag last, blank line between sentences.
    file: PathBuf,
    /// Its layout [default: guessed: a tab means indonlu].
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Which model: auto picks the one whose tag set the file uses.
    #[arg(long, default_value = "auto")]
    model: String,
    /// Load models from this directory instead of the embedded ones (after `warta train ner`).
    #[arg(long)]
    model_dir: Option<PathBuf>,
    /// Write the file again with the predicted tag appended to each token line.
    #[arg(long)]
    predictions: Option<PathBuf>,
}

/// The model whose tag set matches the file's entity types.
fn pick_model(types: &[String]) -> &'static str {
    let has = |t: &str| types.iter().any(|x| x == t);
    if has("PERSON") || has("PLACE") || has("ORGANISATION") {
        "nergrit"
    } else if has("PPL") || has("PLC") || has("IND") || has("EVT") || has("FNB") {
        "nerp"
    } else {
        "idner2k"
    }
}

/// Runs `warta eval ner`.
pub(crate) fn eval(args: &EvalArgs) -> Result<ExitCode> {
    let format = args.format.map(|f| match f {
        FormatArg::Indonlu => CorpusFormat::Indonlu,
        FormatArg::Conll => CorpusFormat::Conll,
    });
    let corpus = Corpus::read(&args.file, format)?;
    let name = if args.model == "auto" {
        pick_model(&corpus.entity_types())
    } else {
        args.model.as_str()
    };
    let owned;
    let model: &Recognizer = match &args.model_dir {
        Some(dir) => {
            owned = Recognizer::from_dir(dir, name)
                .with_context(|| format!("loading model {name} from {}", dir.display()))?;
            &owned
        }
        None => Recognizer::for_model(name)?,
    };
    let cpu = ProcessTime::now();
    let predicted: Vec<Vec<&str>> = corpus
        .sentences
        .iter()
        .map(|s| model.tag(&s.tokens))
        .collect();
    let seconds = cpu.elapsed().as_secs_f64();
    let mut scores = EntityScores::default();
    for (s, p) in corpus.sentences.iter().zip(&predicted) {
        scores.add(&s.tags, p);
    }
    if let Some(path) = &args.predictions {
        let mut w = BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        );
        let sep = corpus.format.separator();
        let eol = if corpus.crlf { "\r\n" } else { "\n" };
        for (s, p) in corpus.sentences.iter().zip(&predicted) {
            for (line, tag) in s.lines.iter().zip(p) {
                write!(w, "{line}{sep}{tag}{eol}")?;
            }
            write!(w, "{eol}")?;
        }
        w.flush()?;
    }
    let n_tokens = corpus.n_tokens();
    println!(
        "model {} on {} ({} sentences, {n_tokens} tokens)",
        model.name(),
        args.file.display(),
        corpus.sentences.len()
    );
    println!(
        "speed {:.0} tokens per CPU-second ({seconds:.3} CPU-s)",
        n_tokens as f64 / seconds.max(1e-9)
    );
    for (kind, c) in &scores.by_type {
        println!(
            "{kind:<14} precision {:.3} recall {:.3} F1 {:.3}  (gold {}, predicted {}, correct {})",
            c.precision(),
            c.recall(),
            c.f1(),
            c.gold,
            c.predicted,
            c.correct
        );
    }
    let o = scores.overall();
    println!(
        "{:<14} precision {:.3} recall {:.3} F1 {:.3}  (gold {}, predicted {}, correct {})",
        "overall",
        o.precision(),
        o.recall(),
        o.f1(),
        o.gold,
        o.predicted,
        o.correct
    );
    println!("F1 {:.3}", o.f1());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_model_from_the_tag_set() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(pick_model(&t(&["ORGANISATION", "PERSON"])), "nergrit");
        assert_eq!(pick_model(&t(&["FNB", "PPL"])), "nerp");
        assert_eq!(pick_model(&t(&["LOC", "PER"])), "idner2k");
    }
}
