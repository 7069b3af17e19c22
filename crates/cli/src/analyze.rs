//! `warta analyze`: article records enriched with language, sentences, entities
//! and quotes; from pages and text dumps, or from JSON lines of pre-extracted text.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Deserialize;
use warta_core::{Analyzer, Article};
use warta_nlp::{AnalyzeOptions, TextAnalyzer};

use crate::extract::{ExtractArgs, run_pipeline};
use crate::output::{Format, open_output, worker_pool, write_record};

/// What the inputs of `warta analyze` are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InputFormat {
    /// Pages (HTML) and plain-text dumps, extracted first, as `warta extract` reads them.
    Page,
    /// JSON lines of pre-extracted text: `{id, text, published?, language?, title?}`.
    Jsonl,
}

/// Options of `warta analyze`: those of `warta extract`, plus what to read and write.
#[derive(Debug, Args)]
pub(crate) struct AnalyzeArgs {
    #[command(flatten)]
    input: ExtractArgs,
    /// What the inputs are.
    #[arg(long, value_enum, default_value_t = InputFormat::Page)]
    input_format: InputFormat,
    /// Publication date (YYYY-MM-DD) for inputs that do not give one; relative
    /// times are resolved against it.
    #[arg(long, value_parser = parse_date)]
    published: Option<String>,
    /// Also list every sentence's tokens as character ranges.
    #[arg(long)]
    tokens: bool,
}

/// One line of `--input-format jsonl`.
#[derive(Debug, Deserialize)]
struct TextRecord {
    id: Option<String>,
    text: String,
    published: Option<String>,
    language: Option<String>,
    title: Option<String>,
}

/// Runs `warta analyze`.
pub(crate) fn run(args: &AnalyzeArgs) -> Result<ExitCode> {
    let analyzer = WithDefaults {
        inner: TextAnalyzer::new(AnalyzeOptions {
            tokens: args.tokens,
            ..AnalyzeOptions::default()
        }),
        published: args.published.clone(),
    };
    match args.input_format {
        InputFormat::Page => run_pipeline(&args.input, Some(&analyzer)),
        InputFormat::Jsonl => run_jsonl(args, &analyzer),
    }
}

/// The analyzer, after filling in what the command line supplies (`--published`).
#[derive(Debug)]
struct WithDefaults {
    inner: TextAnalyzer,
    published: Option<String>,
}

impl Analyzer for WithDefaults {
    fn analyze(&self, article: &mut Article) {
        if article.published.is_none() {
            article.published.clone_from(&self.published);
        }
        self.inner.analyze(article);
    }
}

/// `--published` must be a calendar date.
fn parse_date(s: &str) -> Result<String, String> {
    let parts: Vec<&str> = s.split('-').collect();
    let ok = parts.len() == 3
        && parts[0].len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && matches!(parts[1].parse::<u32>(), Ok(1..=12))
        && matches!(parts[2].parse::<u32>(), Ok(1..=31));
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "{s:?} is not a date: write it as YYYY-MM-DD, e.g. 2023-09-13"
        ))
    }
}

/// Analyzes JSON lines of text, in bounded parallel chunks, keeping input order.
fn run_jsonl(args: &AnalyzeArgs, analyzer: &WithDefaults) -> Result<ExitCode> {
    let opts = &args.input;
    let format = opts.format.unwrap_or(Format::Jsonl);
    if format == Format::Json {
        bail!(
            "--input-format jsonl writes one record per line: use --format jsonl, text or markdown"
        );
    }
    let mut out = open_output(opts.out.as_deref())?;
    let pool = worker_pool(opts.jobs)?;
    let started = Instant::now();
    let (mut ok, mut errors) = (0usize, 0usize);
    for input in &opts.inputs {
        let reader: Box<dyn BufRead> = if input == "-" {
            Box::new(BufReader::new(std::io::stdin().lock()))
        } else {
            Box::new(BufReader::new(
                File::open(input).with_context(|| format!("cannot open {input}"))?,
            ))
        };
        let mut lines = reader.lines().enumerate().peekable();
        while lines.peek().is_some() {
            let chunk: Vec<(usize, std::io::Result<String>)> = lines.by_ref().take(256).collect();
            let results: Vec<Result<Article, String>> = pool.install(|| {
                chunk
                    .into_par_iter()
                    .filter(|(_, l)| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
                    .map(|(n, line)| {
                        let line = line.map_err(|e| format!("{input}:{}: {e}", n + 1))?;
                        let r: TextRecord = serde_json::from_str(&line).map_err(|e| {
                            format!(
                                "{input}:{}: not a text record ({e}); each line must be {{\"id\", \"text\", \"published\"?, \"language\"?, \"title\"?}}",
                                n + 1
                            )
                        })?;
                        let mut a = Article::from_text(r.id, input, r.title, &r.text);
                        a.published = r.published;
                        if let Some(l) = r.language {
                            a.language = l;
                        }
                        analyzer.analyze(&mut a);
                        Ok(a)
                    })
                    .collect()
            });
            for r in results {
                match r {
                    Ok(a) => {
                        write_record(&mut out, &a, format)?;
                        ok += 1;
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        errors += 1;
                    }
                }
            }
        }
    }
    out.flush()?;
    if !opts.quiet && (ok + errors > 1 || errors > 0) {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "{} records, {ok} analyzed, {errors} errors, {secs:.2} s, {:.0} records/s",
            ok + errors,
            (ok + errors) as f64 / secs.max(1e-9)
        );
    }
    Ok(if ok == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
