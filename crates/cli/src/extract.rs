//! `warta extract`: pages and text dumps to article records.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use warta_core::{Analyzer, Article, Extractor};
use warta_extract::ArticleExtractor;
use warta_extract::input::{DEFAULT_MAX_BYTES, expand_inputs, read_input};

use crate::output::{Format, open_output, worker_pool, write_record};

/// Options of `warta extract`.
#[derive(Debug, Args)]
pub(crate) struct ExtractArgs {
    /// Files (.html, .htm, .txt, optionally .gz), directories (walked), or `-` for stdin.
    #[arg(required = true)]
    pub(crate) inputs: Vec<String>,
    /// The page's address, for a single input (resolves links, gives the site).
    #[arg(long)]
    url: Option<String>,
    /// Output format [default: json for one input, jsonl for several].
    #[arg(long, value_enum)]
    pub(crate) format: Option<Format>,
    /// Write records to this file instead of stdout.
    #[arg(long, short)]
    pub(crate) out: Option<PathBuf>,
    /// Documents processed in parallel [default: number of cores].
    #[arg(long, short)]
    pub(crate) jobs: Option<usize>,
    /// Largest document read, in bytes after decompression; longer ones are cut with a warning.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// No progress bar or summary line.
    #[arg(long, short)]
    pub(crate) quiet: bool,
}

/// Runs `warta extract`.
pub(crate) fn run(args: &ExtractArgs) -> Result<ExitCode> {
    run_pipeline(args, None)
}

/// Reads, extracts and (when `analyzer` is given) analyzes every input, writing
/// records in input order. Shared by `warta extract` and `warta analyze`.
pub(crate) fn run_pipeline(
    args: &ExtractArgs,
    analyzer: Option<&dyn Analyzer>,
) -> Result<ExitCode> {
    let inputs = expand_inputs(&args.inputs);
    if inputs.is_empty() {
        bail!(
            "no documents found in {:?}: give .html, .htm or .txt files (optionally .gz), a directory of them, or -",
            args.inputs
        );
    }
    if args.url.is_some() && inputs.len() > 1 {
        bail!(
            "--url applies to a single input, but {} were given",
            inputs.len()
        );
    }
    let format = args.format.unwrap_or(if inputs.len() == 1 {
        Format::Json
    } else {
        Format::Jsonl
    });
    let mut out = open_output(args.out.as_deref())?;
    let pool = worker_pool(args.jobs)?;
    let show_bar = !args.quiet && inputs.len() > 20 && std::io::stderr().is_terminal();
    let bar = if show_bar {
        let b = ProgressBar::new(inputs.len() as u64);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} {bar:40} {pos}/{len} documents · {per_sec} · eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let extractor = ArticleExtractor::new();
    let started = Instant::now();
    let (mut ok, mut errors) = (0usize, 0usize);
    let json_array = format == Format::Json && inputs.len() > 1;
    if json_array {
        writeln!(out, "[")?;
    }
    // Work in bounded chunks so memory stays flat however many inputs there are,
    // while records are written in input order.
    for chunk in inputs.chunks(256) {
        let results: Vec<Result<Article, String>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|input| {
                    let r = read_input(input, args.max_bytes)
                        .map_err(|e| e.to_string())
                        .and_then(|mut doc| {
                            doc.url = args.url.clone();
                            extractor.extract(&doc).map_err(|e| e.to_string())
                        })
                        .map(|mut article| {
                            if let Some(a) = analyzer {
                                a.analyze(&mut article);
                            }
                            article
                        });
                    bar.inc(1);
                    r
                })
                .collect()
        });
        for r in results {
            match r {
                Ok(article) => {
                    if json_array && ok > 0 {
                        writeln!(out, ",")?;
                    }
                    write_record(&mut out, &article, format)?;
                    ok += 1;
                }
                Err(e) => {
                    bar.suspend(|| eprintln!("error: {e}"));
                    errors += 1;
                }
            }
        }
    }
    if json_array {
        writeln!(out, "]")?;
    }
    out.flush()?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    if !args.quiet && (inputs.len() > 1 || errors > 0) {
        eprintln!(
            "{} documents, {ok} articles, {errors} errors, {secs:.2} s, {:.0} pages/s",
            inputs.len(),
            (ok + errors) as f64 / secs.max(1e-9)
        );
    }
    Ok(if ok == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
