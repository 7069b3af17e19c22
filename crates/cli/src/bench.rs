//! `warta bench`: throughput of pipeline stages, measured in CPU time on one core.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use cpu_time::ThreadTime;
use rayon::prelude::*;
use warta_core::{Analyzer, Article, Extractor};
use warta_extract::ArticleExtractor;
use warta_extract::input::{DEFAULT_MAX_BYTES, expand_inputs, read_input};
use warta_nlp::segment::Segmenter;
use warta_nlp::{AnalyzeOptions, TextAnalyzer};

/// Stages to measure.
#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {
    /// The analysis stage (language, sentences, entities) on extracted articles:
    /// prints tokens per CPU-second on one core and the peak memory.
    Analyze(BenchArgs),
}

/// Inputs to measure on.
#[derive(Debug, Args)]
pub(crate) struct BenchArgs {
    /// Pages or text dumps (files or directories), e.g. `../shared/bench/extraction/dev/html`.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Time the run this many times and keep the fastest.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
}

/// Runs `warta bench`.
pub(crate) fn run(cmd: &BenchCommand) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Analyze(args) => analyze(args),
    }
}

fn analyze(args: &BenchArgs) -> Result<ExitCode> {
    let inputs = expand_inputs(&args.inputs);
    if inputs.is_empty() {
        bail!("no documents found in {:?}", args.inputs);
    }
    // Extraction is not what is measured: do it first, in parallel.
    let extractor = ArticleExtractor::new();
    let articles: Vec<Article> = inputs
        .par_iter()
        .filter_map(|i| {
            let doc = read_input(i, DEFAULT_MAX_BYTES).ok()?;
            extractor.extract(&doc).ok()
        })
        .collect();
    let segmenter = Segmenter::shared();
    let mut tokens = 0usize;
    let mut toks = Vec::new();
    for a in &articles {
        for text in std::iter::once(a.text.as_str())
            .chain(a.title.as_deref())
            .chain(a.captions.iter().map(|c| c.text.as_str()))
        {
            toks.clear();
            segmenter.tokenize(text, &mut toks);
            tokens += toks.len();
        }
    }
    let full = TextAnalyzer::new(AnalyzeOptions::default());
    let entities_only = TextAnalyzer::new(AnalyzeOptions {
        quotes: false,
        times: false,
        ..AnalyzeOptions::default()
    });
    // Load the models before the clock starts.
    full.analyze(&mut articles[0].clone());
    let (base, _) = time_analysis(&entities_only, &articles, args.repeat);
    let (best, entities) = time_analysis(&full, &articles, args.repeat);
    println!(
        "{} articles, {tokens} tokens, {entities} entities, {best:.3} CPU-s on one core, peak memory {}",
        articles.len(),
        peak_memory()
    );
    println!(
        "without quotes and times: {base:.3} CPU-s; quotes and times add {:.1} %",
        (best / base.max(1e-9) - 1.0) * 100.0
    );
    println!("tokens/s/core {:.0}", tokens as f64 / best.max(1e-9));
    Ok(ExitCode::SUCCESS)
}

/// The process's peak resident memory, as `/proc` reports it (Linux only).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// The fastest of `repeat` runs of `analyzer` over copies of `articles`, in CPU
/// seconds of this thread, and the entities found.
fn time_analysis(analyzer: &TextAnalyzer, articles: &[Article], repeat: usize) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut entities = 0;
    for _ in 0..repeat.max(1) {
        let mut batch = articles.to_vec();
        let started = ThreadTime::now();
        for a in &mut batch {
            analyzer.analyze(a);
        }
        best = best.min(started.elapsed().as_secs_f64());
        entities = batch
            .iter()
            .map(|a| a.entities.as_ref().map_or(0, Vec::len))
            .sum();
    }
    (best, entities)
}
