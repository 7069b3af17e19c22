//! `warta eval`: quality and speed figures on evaluation sets.
//!
//! The metrics are the benchmarks' own definitions, reimplemented so the
//! figures come out of the same binary that users run:
//! - extraction: precision, recall and F1 over multisets of 4-token shingles
//!   (tokens are maximal runs of word characters), averaged over pages as in
//!   the Article Extraction Benchmark (F1 is the harmonic mean of the two means);
//! - dates: accuracy, precision, recall and F1 to the day, as htmldate's
//!   comparison defines them.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use cpu_time::ProcessTime;
use rayon::prelude::*;
use serde::Deserialize;
use warta_core::RawDoc;
use warta_extract::input::read_input;

/// Evaluation sets.
#[derive(Debug, Subcommand)]
pub(crate) enum EvalCommand {
    /// Article-body extraction on a set with `html/<id>.html` and `truth.jsonl`
    /// (`{id, articleBody}`); prints precision, recall, F1 and pages per CPU-second.
    Extraction(SetArgs),
    /// Publication dates on a set with `html/<id>.html.gz` and `truth.jsonl`
    /// (`{id, date}`); prints accuracy, precision, recall, F1 and pages/s.
    Dates(SetArgs),
    /// Quote attribution on a gold set of text (JSON lines; format in
    /// `crates/nlp/tests/fixtures/quotes/README.md`); prints span and speaker
    /// precision, recall and F1, last the speaker F1 on direct quotes.
    Quotes(crate::eval_text::GoldArgs),
    /// Time expressions on a gold set of text (JSON lines; format in
    /// `crates/nlp/tests/fixtures/times/README.md`); prints finding and value
    /// precision, recall and F1, last the value F1.
    Times(crate::eval_text::GoldArgs),
    /// Named entities on a labelled file (`token<TAB>tag` or CoNLL columns, tag last);
    /// prints entity-level precision, recall and F1 per type and overall, and tokens/s.
    Ner(crate::ner::EvalArgs),
    /// Duplicate detection on labelled pairs (JSON lines; format in
    /// `warta_dedup::eval`); prints precision, recall and F1 of the duplicate
    /// class, last the F1. `--generate` makes pairs from article bodies instead.
    Dedup(crate::eval_dedup::DedupArgs),
}

/// Options shared by the evaluation commands.
#[derive(Debug, Args)]
pub(crate) struct SetArgs {
    /// The set directory.
    set_dir: PathBuf,
    /// Also write the predictions as JSON lines, for the benchmark's own scorer.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Worker threads [default: 1, so pages per CPU-second is clean].
    #[arg(long, short, default_value_t = 1)]
    jobs: usize,
    /// List the N worst pages.
    #[arg(long, default_value_t = 0)]
    worst: usize,
    /// Do not give the extractor each page's URL from `truth.jsonl` (as peers that take none).
    #[arg(long)]
    no_url: bool,
    /// Time the run this many times and keep the fastest, as the peers' runner does.
    #[arg(long, default_value_t = 1)]
    repeat: usize,
}

#[derive(Deserialize)]
struct TruthLine {
    id: serde_json::Value,
    #[serde(rename = "articleBody")]
    article_body: Option<String>,
    date: Option<String>,
    url: Option<String>,
}

fn id_string(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn load_truth(dir: &Path) -> Result<Vec<TruthLine>> {
    let path = dir.join("truth.jsonl");
    let f = File::open(&path).with_context(|| {
        format!(
            "cannot open {}: an evaluation set has html/ and truth.jsonl",
            path.display()
        )
    })?;
    let mut out = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: not a truth record", path.display(), n + 1))?,
        );
    }
    if out.is_empty() {
        bail!("{} has no records", path.display());
    }
    Ok(out)
}

/// Finds `html/<id>.<ext>` for the first extension that exists.
fn page_path(dir: &Path, id: &str) -> Option<PathBuf> {
    ["html", "htm", "html.gz", "htm.gz", "txt"]
        .iter()
        .map(|ext| dir.join("html").join(format!("{id}.{ext}")))
        .find(|p| p.exists())
}

/// Runs an evaluation command.
pub(crate) fn run(cmd: &EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Extraction(a) => extraction(a),
        EvalCommand::Dates(a) => dates(a),
        EvalCommand::Quotes(a) => crate::eval_text::quotes(a),
        EvalCommand::Times(a) => crate::eval_text::times(a),
        EvalCommand::Ner(a) => crate::ner::eval(a),
        EvalCommand::Dedup(a) => crate::eval_dedup::run(a),
    }
}

struct Loaded {
    id: String,
    /// The page, with its URL unless `--no-url`.
    doc: Option<RawDoc>,
}

fn load_pages(args: &SetArgs, truth: &[TruthLine]) -> Vec<Loaded> {
    truth
        .iter()
        .map(|t| {
            let id = id_string(&t.id);
            let url = if args.no_url { None } else { t.url.clone() };
            let doc = page_path(&args.set_dir, &id)
                .and_then(|p| read_input(&p.to_string_lossy(), 64 << 20).ok())
                .map(|d| RawDoc {
                    url: url.clone(),
                    ..d
                });
            Loaded { id, doc }
        })
        .collect()
}

/// Times `f` over the pages (in parallel with `jobs` threads), returning results with wall and CPU seconds.
/// With `repeat` > 1 the fastest wall and CPU times are kept, each on its own.
fn timed<T: Send>(
    args: &SetArgs,
    pages: &[Loaded],
    f: impl Fn(&Loaded) -> T + Sync,
) -> Result<(Vec<T>, f64, f64)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.max(1))
        .build()?;
    let (mut best_wall, mut best_cpu) = (f64::MAX, f64::MAX);
    let mut out = Vec::new();
    for _ in 0..args.repeat.max(1) {
        let cpu = ProcessTime::now();
        let wall = Instant::now();
        out = pool.install(|| pages.par_iter().map(&f).collect());
        best_wall = best_wall.min(wall.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(cpu.elapsed().as_secs_f64());
    }
    Ok((out, best_wall, best_cpu))
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !is_word(c))
        .filter(|t| !t.is_empty())
        .collect()
}

fn shingles<'a>(toks: &[&'a str]) -> HashMap<Vec<&'a str>, u32> {
    let mut m = HashMap::new();
    if toks.is_empty() {
        return m;
    }
    if toks.len() < 4 {
        m.insert(toks.to_vec(), 1);
        return m;
    }
    for w in toks.windows(4) {
        *m.entry(w.to_vec()).or_insert(0) += 1;
    }
    m
}

/// (tp, fp, fn, exact) for one page, as the benchmark counts them.
fn page_counts(truth: &str, pred: &str) -> (u32, u32, u32, bool) {
    let tt = tokens(truth);
    let pt = tokens(pred);
    let ts = shingles(&tt);
    let ps = shingles(&pt);
    let tp: u32 = ps
        .iter()
        .map(|(k, &v)| v.min(*ts.get(k).unwrap_or(&0)))
        .sum();
    let fp = ps.values().sum::<u32>() - tp;
    let fnn = ts.values().sum::<u32>() - tp;
    (tp, fp, fnn, tt == pt)
}

fn extraction(args: &SetArgs) -> Result<ExitCode> {
    let truth = load_truth(&args.set_dir)?;
    let pages = load_pages(args, &truth);
    let missing = pages.iter().filter(|p| p.doc.is_none()).count();
    let (preds, wall, cpu) = timed(args, &pages, |p| {
        warta_extract::extract(p.doc.as_ref()?).ok().map(|a| a.text)
    })?;
    let mut precs = Vec::new();
    let mut recs = Vec::new();
    let mut exact = 0usize;
    let mut per_page = Vec::new();
    for ((t, p), pred) in truth.iter().zip(&pages).zip(&preds) {
        let gold = t.article_body.as_deref().unwrap_or("");
        let pred = pred.as_deref().unwrap_or("");
        let (tp, fp, fnn, ex) = page_counts(gold, pred);
        if tp + fp > 0 {
            precs.push(f64::from(tp) / f64::from(tp + fp));
        }
        if tp + fnn > 0 {
            recs.push(f64::from(tp) / f64::from(tp + fnn));
        }
        exact += usize::from(ex);
        let f1 = if tp == 0 {
            0.0
        } else {
            let pp = f64::from(tp) / f64::from(tp + fp);
            let rr = f64::from(tp) / f64::from(tp + fnn);
            2.0 * pp * rr / (pp + rr)
        };
        per_page.push((f1, p.id.clone(), tp, fp, fnn));
    }
    if let Some(path) = &args.predictions {
        let mut w = BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        );
        for (p, pred) in pages.iter().zip(&preds) {
            serde_json::to_writer(
                &mut w,
                &serde_json::json!({"id": p.id, "articleBody": pred.as_deref().unwrap_or("")}),
            )?;
            writeln!(w)?;
        }
        w.flush()?;
    }
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let (p, r) = (mean(&precs), mean(&recs));
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    if args.worst > 0 {
        per_page.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (f, id, tp, fp, fnn) in per_page.iter().take(args.worst) {
            println!("worst {f:.3} {id} tp={tp} fp={fp} fn={fnn}");
        }
    }
    let n = pages.len();
    println!("pages {n} (missing {missing}), jobs {}", args.jobs);
    println!(
        "speed {:.0} pages per CPU-second, {:.0} pages/s wall ({cpu:.3} CPU-s, {wall:.3} s)",
        n as f64 / cpu.max(1e-9),
        n as f64 / wall.max(1e-9)
    );
    println!(
        "precision {p:.3} recall {r:.3} accuracy {:.3}",
        exact as f64 / n as f64
    );
    println!("F1 {f1:.3}");
    Ok(ExitCode::SUCCESS)
}

fn day(v: Option<&str>) -> Option<&str> {
    let v = v?.trim();
    let b = v.as_bytes();
    (b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && v[..4].chars().all(|c| c.is_ascii_digit()))
        .then(|| &v[..10])
}

fn dates(args: &SetArgs) -> Result<ExitCode> {
    let truth = load_truth(&args.set_dir)?;
    let pages = load_pages(args, &truth);
    let (preds, wall, cpu) = timed(args, &pages, |p| {
        Some(warta_extract::find_dates(p.doc.as_ref()?).published).flatten()
    })?;
    let (mut tp, mut fp, mut fnn, mut tn) = (0u32, 0u32, 0u32, 0u32);
    let mut errors = Vec::new();
    for ((t, p), pred) in truth.iter().zip(&pages).zip(&preds) {
        let gold = day(t.date.as_deref());
        let got = day(pred.as_deref());
        match (gold, got) {
            (None, None) => tn += 1,
            (None, Some(_)) => fp += 1,
            (Some(_), None) => {
                fnn += 1;
                errors.push((p.id.clone(), gold.map(str::to_string), None));
            }
            (Some(g), Some(x)) if g == x => tp += 1,
            (Some(_), Some(x)) => {
                fp += 1;
                errors.push((p.id.clone(), gold.map(str::to_string), Some(x.to_string())));
            }
        }
    }
    if let Some(path) = &args.predictions {
        let mut w = BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        );
        for (p, pred) in pages.iter().zip(&preds) {
            serde_json::to_writer(&mut w, &serde_json::json!({"id": p.id, "date": pred}))?;
            writeln!(w)?;
        }
        w.flush()?;
    }
    for (id, g, x) in errors.iter().take(args.worst) {
        println!(
            "error {id} gold={} got={}",
            g.as_deref().unwrap_or("-"),
            x.as_deref().unwrap_or("-")
        );
    }
    let n = f64::from(tp + fp + fnn + tn);
    let ratio = |a: u32, b: u32| {
        if b == 0 {
            0.0
        } else {
            f64::from(a) / f64::from(b)
        }
    };
    println!(
        "pages {} (tp {tp} fp {fp} fn {fnn} tn {tn}), jobs {}",
        pages.len(),
        args.jobs
    );
    println!(
        "speed {:.0} pages per CPU-second, {:.0} pages/s wall ({cpu:.3} CPU-s, {wall:.3} s)",
        n / cpu.max(1e-9),
        n / wall.max(1e-9)
    );
    println!(
        "precision {:.3} recall {:.3} F1 {:.3}",
        ratio(tp, tp + fp),
        ratio(tp, tp + fnn),
        ratio(2 * tp, 2 * tp + fp + fnn)
    );
    println!("accuracy {:.3}", f64::from(tp + tn) / n.max(1.0));
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingle_counts_match_the_benchmark_definition() {
        assert_eq!(page_counts("a b c d e", "a b c d e"), (2, 0, 0, true));
        assert_eq!(page_counts("a b c d e", "a b c d"), (1, 0, 1, false));
        assert_eq!(page_counts("a b", "a b"), (1, 0, 0, true));
        assert_eq!(page_counts("", "x y z w"), (0, 1, 0, false));
        assert_eq!(
            tokens("Halo, dunia! it's 2023_x"),
            vec!["Halo", "dunia", "it", "s", "2023_x"]
        );
    }

    #[test]
    fn days_are_compared_on_the_first_ten_characters() {
        assert_eq!(day(Some("2023-09-13T14:05:00+07:00")), Some("2023-09-13"));
        assert_eq!(day(Some("13/9/2023")), None);
        assert_eq!(day(None), None);
    }
}
