//! `warta eval dedup`: duplicate detection on labelled pairs, and the generation of
//! pairs from benchmark article bodies. The pair format, the scoring and the
//! generation rules are documented in `warta_dedup::eval`: JSON lines of
//! `{"id", "a": {"title"?, "text", "url"?}, "b": {…}, "duplicate": true|false}`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Deserialize;
use warta_dedup::DedupConfig;
use warta_dedup::eval::{Source, generate, read_pairs, score};

/// Options of `warta eval dedup`.
#[derive(Debug, Args)]
pub(crate) struct DedupArgs {
    /// The pair file (JSON lines).
    #[arg(required_unless_present = "generate")]
    pairs: Option<PathBuf>,
    /// List the misjudged pairs.
    #[arg(long)]
    errors: bool,
    /// Instead of scoring, generate pairs from article bodies in these JSON-lines
    /// files (`{id, articleBody|text, headline|title?}`, e.g. a benchmark's truth.jsonl).
    #[arg(long, num_args = 1.., conflicts_with = "pairs", requires = "out")]
    generate: Vec<PathBuf>,
    /// Where `--generate` writes the pairs.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Near-duplicate similarity threshold [default: the library's].
    #[arg(long)]
    near: Option<f32>,
    /// Containment threshold [default: the library's].
    #[arg(long)]
    containment: Option<f32>,
    /// Smallest size ratio for containment [default: the library's].
    #[arg(long)]
    min_ratio: Option<f32>,
}

#[derive(Deserialize)]
struct BodyLine {
    id: serde_json::Value,
    #[serde(rename = "articleBody", alias = "text")]
    body: Option<String>,
    #[serde(alias = "title")]
    headline: Option<String>,
}

/// Reads article bodies from JSON-lines files (lines without a body are skipped).
pub(crate) fn read_sources(files: &[PathBuf]) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    for f in files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let l: BodyLine = serde_json::from_str(line).with_context(|| {
                format!("{}:{}: not a JSON record with an id", f.display(), n + 1)
            })?;
            let id = match l.id {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            if let Some(body) = l.body.filter(|b| !b.trim().is_empty()) {
                out.push(Source {
                    id,
                    title: l.headline,
                    text: body,
                });
            }
        }
    }
    if out.is_empty() {
        bail!("no article bodies in {files:?}");
    }
    Ok(out)
}

/// Runs `warta eval dedup`.
pub(crate) fn run(args: &DedupArgs) -> Result<ExitCode> {
    if !args.generate.is_empty() {
        let sources = read_sources(&args.generate)?;
        let pairs = generate(&sources);
        let Some(out) = &args.out else {
            bail!("--generate needs --out FILE");
        };
        let mut w = BufWriter::new(
            File::create(out).with_context(|| format!("cannot create {}", out.display()))?,
        );
        for p in &pairs {
            serde_json::to_writer(&mut w, p)?;
            writeln!(w)?;
        }
        w.flush()?;
        let dups = pairs.iter().filter(|p| p.duplicate).count();
        eprintln!(
            "{} pairs ({dups} duplicates, {} different) from {} articles written to {}",
            pairs.len(),
            pairs.len() - dups,
            sources.len(),
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = &args.pairs else {
        bail!("give a pair file, or --generate");
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let pairs = read_pairs(&text).with_context(|| format!("in {}", path.display()))?;
    let defaults = DedupConfig::default();
    let config = DedupConfig {
        near_similarity: args.near.unwrap_or(defaults.near_similarity),
        containment: args.containment.unwrap_or(defaults.containment),
        min_size_ratio: args.min_ratio.unwrap_or(defaults.min_size_ratio),
    };
    let (counts, decisions) = score(&pairs, &config);
    let mut out = std::io::stdout().lock();
    if args.errors {
        for (p, d) in pairs.iter().zip(&decisions) {
            if p.duplicate != d.is_duplicate() {
                let what = if p.duplicate { "missed" } else { "false" };
                let fa = warta_dedup::Fingerprint::of_text(&p.a.text);
                let fb = warta_dedup::Fingerprint::of_text(&p.b.text);
                writeln!(
                    out,
                    "{what} {}: similarity {:.3} containment {:.3} shingles {}/{} ({d:?})",
                    p.id,
                    warta_dedup::estimated_similarity(&fa, &fb),
                    warta_dedup::estimated_containment(&fa, &fb),
                    fa.shingles,
                    fb.shingles
                )?;
            }
        }
    }
    writeln!(out, "{counts}")?;
    writeln!(out, "F1 {:.3}", counts.f1())?;
    Ok(ExitCode::SUCCESS)
}
