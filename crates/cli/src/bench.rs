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
    /// Duplicate detection: fingerprints per CPU-second and index lookups per
    /// CPU-second on texts composed from article bodies (JSON lines with
    /// `articleBody` or `text`, e.g. the extraction benchmark's truth.jsonl), at
    /// several corpus sizes, so the cost per lookup can be seen not to grow.
    Dedup(DedupBenchArgs),
    /// Fill a store with synthetic articles composed from article bodies (JSON lines),
    /// for the search benchmark (`scripts/bench-search.sh`).
    Store(crate::bench_store::StoreBenchArgs),
    /// Watches: ingest time without and with N watches (matching pass included), and
    /// commit → webhook POST latency on loopback with the alerts loop of `warta run`.
    Alerts(crate::bench_alerts::AlertsBenchArgs),
}

/// Inputs of `warta bench dedup`.
#[derive(Debug, Args)]
pub(crate) struct DedupBenchArgs {
    /// JSON-lines files of article bodies.
    #[arg(required = true)]
    inputs: Vec<std::path::PathBuf>,
    /// How many texts to compose (each of 6 paragraphs drawn from the bodies).
    #[arg(long, default_value_t = 10_000)]
    count: usize,
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
        BenchCommand::Dedup(args) => dedup(args),
        BenchCommand::Store(args) => crate::bench_store::run(args),
        BenchCommand::Alerts(args) => crate::bench_alerts::run(args),
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

/// `warta bench dedup`: one thread, CPU time of this thread, on two corpora made
/// from the bodies: texts of six paragraphs drawn from all bodies' paragraphs
/// (news-like, but texts often share a paragraph, so they overlap for real), and
/// texts of words drawn from all bodies' words (the same word frequencies, no
/// shared passages: what unrelated stories look like to the index).
fn dedup(args: &DedupBenchArgs) -> Result<ExitCode> {
    let sources = crate::eval_dedup::read_sources(&args.inputs)?;
    let pool: Vec<&str> = sources
        .iter()
        .flat_map(|s| s.text.lines())
        .map(str::trim)
        .filter(|l| l.split_whitespace().count() >= 8)
        .collect();
    let vocabulary: Vec<&str> = pool.iter().flat_map(|p| p.split_whitespace()).collect();
    if pool.len() < 10 {
        bail!("too few paragraphs in {:?}", args.inputs);
    }
    // Deterministic composition (xorshift).
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let by_paragraph: Vec<String> = (0..args.count)
        .map(|_| {
            (0..6)
                .map(|_| pool[next(pool.len())])
                .collect::<Vec<_>>()
                .join("\n\n")
        })
        .collect();
    let by_word: Vec<String> = (0..args.count)
        .map(|_| {
            (0..230)
                .map(|_| vocabulary[next(vocabulary.len())])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    println!(
        "{} paragraphs, {} words in the pool; {} texts per corpus",
        pool.len(),
        vocabulary.len(),
        args.count
    );
    bench_dedup_corpus("paragraph-composed", &by_paragraph);
    bench_dedup_corpus("word-sampled", &by_word);
    Ok(ExitCode::SUCCESS)
}

/// Fingerprints `texts`, then for a quarter, half and all of them: adds them to a
/// fresh in-memory index, and looks each up again without its content hash (so
/// the lookup takes the LSH path: band keys, candidates, similarity).
fn bench_dedup_corpus(label: &str, texts: &[String]) {
    use warta_dedup::{DedupConfig, DuplicateIndex, Fingerprint, MemoryDuplicateIndex};
    let bytes: usize = texts.iter().map(String::len).sum();
    let started = ThreadTime::now();
    let fps: Vec<Fingerprint> = texts.iter().map(|t| Fingerprint::of_text(t)).collect();
    let fp_secs = started.elapsed().as_secs_f64();
    println!(
        "{label}: {:.1} MB; fingerprints/s {:.0} ({:.1} MB/s, {fp_secs:.3} CPU-s)",
        bytes as f64 / 1e6,
        texts.len() as f64 / fp_secs.max(1e-9),
        bytes as f64 / 1e6 / fp_secs.max(1e-9)
    );
    let cfg = DedupConfig::default();
    for n in [texts.len() / 4, texts.len() / 2, texts.len()] {
        let mut idx = MemoryDuplicateIndex::new();
        let started = ThreadTime::now();
        let mut dups = 0usize;
        for (i, fp) in fps[..n].iter().enumerate() {
            let Ok(d) = idx.add(&i.to_string(), fp, &cfg);
            dups += usize::from(d.is_duplicate());
        }
        let add_secs = started.elapsed().as_secs_f64();
        let probes: Vec<Fingerprint> = fps[..n]
            .iter()
            .map(|fp| Fingerprint {
                content: None,
                ..fp.clone()
            })
            .collect();
        let started = ThreadTime::now();
        for fp in &probes {
            let Ok(_) = idx.find(fp, &cfg);
        }
        let find_secs = started.elapsed().as_secs_f64();
        let candidates: usize = fps[..n]
            .iter()
            .map(|fp| idx.candidates(fp).map_or(0, |c| c.len()))
            .sum();
        println!(
            "  index of {n}: adds/s {:.0}, lookups/s {:.0} ({:.1} µs each, {:.2} candidates per lookup); {dups} texts judged copies",
            n as f64 / add_secs.max(1e-9),
            n as f64 / find_secs.max(1e-9),
            find_secs / n as f64 * 1e6,
            candidates as f64 / n as f64
        );
    }
}
