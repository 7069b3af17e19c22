//! `warta eval quotes|times`: the analysis stage against hand-written gold sets
//! of text (JSON lines), with the metric definitions documented in
//! `warta_nlp::quotes::eval` and `warta_nlp::times::eval`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use rayon::prelude::*;
use warta_core::{Analyzer, Article};
use warta_nlp::TextAnalyzer;
use warta_nlp::quotes::eval as quote_eval;
use warta_nlp::times::eval as time_eval;

/// A gold file of text documents.
#[derive(Debug, Args)]
pub(crate) struct GoldArgs {
    /// The gold set: JSON lines, one document a line.
    file: PathBuf,
    /// List each document's misses and false alarms.
    #[arg(long, short)]
    verbose: bool,
}

/// The analysis of one gold document's text, as `warta analyze --input-format jsonl` would do it.
fn analyze(id: &str, text: &str, published: Option<&str>, language: Option<&str>) -> Article {
    let mut a = Article::from_text(Some(id.to_string()), id, None, text);
    a.published = published.map(str::to_string);
    if let Some(l) = language {
        a.language = l.to_string();
    }
    TextAnalyzer::default().analyze(&mut a);
    a
}

/// Runs `warta eval quotes`.
pub(crate) fn quotes(args: &GoldArgs) -> Result<ExitCode> {
    let gold = quote_eval::read_gold(&args.file)
        .with_context(|| format!("cannot use {} as a quote gold set", args.file.display()))?;
    let predicted: Vec<Vec<warta_core::Quote>> = gold
        .par_iter()
        .map(|d| {
            analyze(
                &d.id,
                &d.text,
                d.published.as_deref(),
                d.language.as_deref(),
            )
            .quotes
            .unwrap_or_default()
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if args.verbose {
        for (d, p) in gold.iter().zip(&predicted) {
            let one = quote_eval::score(std::slice::from_ref(d), std::slice::from_ref(p));
            if one.speaker.correct < one.speaker.gold.max(one.speaker.predicted)
                || one.found.correct < one.found.gold.max(one.found.predicted)
            {
                writeln!(out, "== {}", d.id)?;
                for q in &d.quotes {
                    writeln!(out, "  gold  {:?} — {}", q.speaker, q.text)?;
                }
                for q in p {
                    writeln!(
                        out,
                        "  found {:?} — {} [{}]",
                        q.speaker,
                        q.text,
                        q.cue.as_deref().unwrap_or("")
                    )?;
                }
            }
        }
    }
    let s = quote_eval::score(&gold, &predicted);
    writeln!(
        out,
        "{} documents, {} gold quotes",
        gold.len(),
        s.found.gold
    )?;
    writeln!(out, "{s}")?;
    writeln!(out, "F1 {:.3}", s.direct_speaker.f1())?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `warta eval times`: time expressions found and resolved through the
/// whole analysis stage, as `warta analyze` reports them.
pub(crate) fn times(args: &GoldArgs) -> Result<ExitCode> {
    let gold = time_eval::read_gold(&args.file)
        .with_context(|| format!("cannot use {} as a time gold set", args.file.display()))?;
    let predicted: Vec<Vec<warta_core::TimeExpression>> = gold
        .par_iter()
        .map(|d| {
            let published = d.published.map(|p| p.to_string());
            analyze(&d.id, &d.text, published.as_deref(), Some(&d.language))
                .times
                .unwrap_or_default()
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if args.verbose {
        for line in time_eval::differences(&gold, &predicted) {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out, "{}", time_eval::score(&gold, &predicted))?;
    Ok(ExitCode::SUCCESS)
}
