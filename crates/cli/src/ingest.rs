//! `warta ingest`, `warta run`, `warta sources`, `warta check`, `warta reindex` and
//! `warta export`: the commands that fill, keep and read the store.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use warta_core::Article;
use warta_extract::ArticleExtractor;
use warta_fetch::{FetchConfig, Fetcher, Validators};
use warta_ingest::pipeline::Options;
use warta_ingest::{ItemReport, MinHashCopies, Outcome, Pipeline, RunOptions, Runner};
use warta_nlp::{AnalyzeOptions, TextAnalyzer};
use warta_store::{
    ArticleFilter, FetchRecord, SourceKind, SourcePoll, SqliteStore, Store, now_rfc3339,
};

use crate::output::open_output;

/// Where the store lives.
#[derive(Debug, Args, Clone)]
pub(crate) struct DataArgs {
    /// The data directory (SQLite database and full-text index).
    #[arg(long, env = "WARTA_DATA", default_value = "warta-data")]
    pub(crate) data: PathBuf,
}

impl DataArgs {
    pub(crate) fn open(&self) -> Result<SqliteStore> {
        SqliteStore::open(&self.data)
            .with_context(|| format!("cannot open the store in {}", self.data.display()))
    }
}

/// How the crawler behaves.
#[derive(Debug, Args, Clone)]
pub(crate) struct CrawlArgs {
    /// Seconds between two requests to the same host (raised by robots.txt Crawl-delay).
    #[arg(long, default_value_t = 1.0)]
    delay: f64,
    /// How site owners can reach you (an e-mail address or web page), sent in the
    /// User-Agent.
    #[arg(long, env = "WARTA_CONTACT")]
    contact: Option<String>,
    /// Fetch addresses in private, loopback and link-local ranges (refused by default).
    #[arg(long)]
    allow_private: bool,
    /// Crawl from page URLs to links on the same site.
    #[arg(long)]
    follow: bool,
    /// How many links deep `--follow` goes.
    #[arg(long, default_value_t = 2)]
    depth: u32,
    /// Most pages fetched per crawl, feed or sitemap.
    #[arg(long, default_value_t = 1000)]
    max_pages: usize,
    /// Most pages stitched into one multi-page article.
    #[arg(long, default_value_t = 20)]
    max_pages_per_article: usize,
    /// Largest page read, in bytes after decompression.
    #[arg(long, default_value_t = 10 << 20)]
    max_bytes: u64,
    /// Seconds allowed for one fetch (connect, headers, body, redirects, retries).
    #[arg(long, default_value_t = 120)]
    timeout: u64,
}

impl CrawlArgs {
    pub(crate) fn fetcher(&self) -> Fetcher {
        let config = FetchConfig {
            contact: self.contact.clone(),
            delay: Duration::from_secs_f64(self.delay.max(0.0)),
            allow_private: self.allow_private,
            max_body_bytes: self.max_bytes,
            max_decompressed_bytes: self.max_bytes.saturating_mul(2),
            total_timeout: Duration::from_secs(self.timeout.max(1)),
            ..FetchConfig::default()
        };
        Fetcher::new(config)
    }

    pub(crate) fn run_options(&self, batch: usize) -> RunOptions {
        RunOptions {
            max_bytes: self.max_bytes,
            batch,
            follow: self.follow,
            depth: self.depth,
            max_pages: self.max_pages,
            max_pages_per_article: self.max_pages_per_article,
            ..RunOptions::default()
        }
    }
}

/// Options of `warta ingest`.
#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// Files and directories (HTML, text, gzip), WARC files, feed or sitemap files, and
    /// URLs of pages, feeds and sitemaps.
    #[arg(required = true)]
    sources: Vec<String>,
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    crawl: CrawlArgs,
    /// Documents per batch (one transaction each).
    #[arg(long, default_value_t = 256)]
    batch: usize,
    /// Read inputs again even when they were ingested before unchanged.
    #[arg(long)]
    force: bool,
    /// Worker threads for extraction and analysis [default: number of cores].
    #[arg(long, short)]
    jobs: Option<usize>,
    /// List every failed or skipped input on stderr.
    #[arg(long, short)]
    verbose: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

fn progress(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents · {per_sec} · {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The stages an ingest runs, built once.
pub(crate) struct Stages {
    extractor: ArticleExtractor,
    analyzer: TextAnalyzer,
    copies: MinHashCopies,
}

impl Stages {
    pub(crate) fn new() -> Self {
        Self {
            extractor: ArticleExtractor::new(),
            analyzer: TextAnalyzer::new(AnalyzeOptions::default()),
            copies: MinHashCopies::default(),
        }
    }

    pub(crate) fn pipeline<'a>(&'a self, store: &'a dyn Store, force: bool) -> Pipeline<'a> {
        Pipeline {
            extractor: &self.extractor,
            analyzer: &self.analyzer,
            copies: &self.copies,
            store,
            options: Options { force },
        }
    }
}

/// Collects fetch-log entries and failures while a run goes.
#[derive(Default)]
struct Log {
    records: Mutex<Vec<FetchRecord>>,
}

impl Log {
    fn note(&self, report: &ItemReport, verbose: bool) {
        let error = match &report.outcome {
            Outcome::Failed { error } => Some(error.clone()),
            _ => None,
        };
        if verbose {
            match &report.outcome {
                Outcome::Failed { error } => eprintln!("error: {error}"),
                Outcome::Skipped { reason } => eprintln!("skipped {}: {reason}", report.key),
                _ => {}
            }
        }
        if report.key.contains("://") {
            let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
            records.push(FetchRecord {
                url: report.key.clone(),
                at: now_rfc3339(),
                status: None,
                outcome: report.outcome.name().to_string(),
                error,
                bytes: 0,
                millis: 0,
            });
        }
    }

    fn save(&self, store: &dyn Store) -> Result<()> {
        let records = std::mem::take(&mut *self.records.lock().unwrap_or_else(|e| e.into_inner()));
        store.log_fetches(&records)?;
        Ok(())
    }
}

/// Runs `warta ingest`.
pub(crate) fn run_ingest(args: &IngestArgs) -> Result<ExitCode> {
    let store = args.data.open()?;
    let stages = Stages::new();
    let fetcher = args.crawl.fetcher();
    let pool = crate::output::worker_pool(args.jobs)?;
    let bar = progress(args.quiet);
    let log = Log::default();
    let on_item = |r: &ItemReport| {
        bar.inc(1);
        if matches!(r.outcome, Outcome::Failed { .. }) {
            bar.set_message("some errors (see summary)");
        }
        log.note(r, args.verbose);
    };
    let started = Instant::now();
    let totals = pool.install(|| -> Result<_> {
        let mut runner = Runner::new(
            stages.pipeline(&store, args.force),
            Some(&fetcher),
            args.crawl.run_options(args.batch),
            &on_item,
        );
        for source in &args.sources {
            runner.add(source)?;
        }
        Ok(runner.finish()?)
    })?;
    log.save(&store)?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "ingested {} documents in {secs:.1} s ({:.0}/s): {totals}; store {} now holds {} articles",
        totals.total(),
        totals.total() as f64 / secs.max(1e-9),
        args.data.data.display(),
        store.article_count()?
    );
    Ok(if totals.errors > 0 && totals.errors == totals.total() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `warta sources …`.
#[derive(Debug, Subcommand)]
pub(crate) enum SourcesCommand {
    /// Register a feed, sitemap or page for `warta run` to poll.
    Add {
        /// The address.
        url: String,
        /// How often to poll it: `90s`, `15m`, `2h`, `1d`.
        #[arg(long, default_value = "15m", value_parser = parse_every)]
        every: u64,
        /// What it is.
        #[arg(long, value_enum, default_value_t = KindArg::Feed)]
        kind: KindArg,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List registered sources.
    List {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Unregister a source by id.
    Remove {
        /// The source's id (`warta sources list`).
        id: i64,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// What a registered source is.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum KindArg {
    /// RSS, Atom or JSON feed.
    Feed,
    /// Sitemap or sitemap index.
    Sitemap,
    /// A page (crawled with `--follow` in `warta run`).
    Page,
}

fn parse_every(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}`: give a number and a unit, e.g. 15m"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("`{s}`: the unit is s, m, h or d")),
    };
    if secs < 10 {
        return Err(format!("`{s}`: poll at most every 10 seconds"));
    }
    Ok(secs)
}

/// Runs `warta sources …`.
pub(crate) fn run_sources(cmd: &SourcesCommand) -> Result<ExitCode> {
    match cmd {
        SourcesCommand::Add {
            url,
            every,
            kind,
            data,
        } => {
            if !warta_ingest::sources::detect::is_url(url) {
                bail!("{url}: give an http:// or https:// address");
            }
            let kind = match kind {
                KindArg::Feed => SourceKind::Feed,
                KindArg::Sitemap => SourceKind::Sitemap,
                KindArg::Page => SourceKind::Page,
            };
            let s = data.open()?.add_source(url, kind, *every)?;
            println!("source {} added: {} every {} s", s.id, s.url, s.every_secs);
        }
        SourcesCommand::List { data } => {
            let sources = data.open()?.sources()?;
            if sources.is_empty() {
                println!("no sources (add one with `warta sources add URL --every 15m`)");
            }
            for s in sources {
                println!(
                    "{:>4}  {:<8} every {:>6} s  {}  last: {} {}",
                    s.id,
                    s.kind.as_str(),
                    s.every_secs,
                    s.url,
                    s.last_polled.as_deref().unwrap_or("never"),
                    s.last_status.as_deref().unwrap_or("")
                );
            }
        }
        SourcesCommand::Remove { id, data } => {
            if !data.open()?.remove_source(*id)? {
                bail!("no source with id {id} (`warta sources list` shows them)");
            }
            println!("source {id} removed");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Options of `warta run`.
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    crawl: CrawlArgs,
    /// Poll every source once, deliver what is due, and stop (for cron jobs and tests).
    #[arg(long)]
    once: bool,
    #[command(flatten)]
    delivery: crate::watch::DeliveryArgs,
    /// Milliseconds between two passes of the alerts loop (match new articles,
    /// deliver what is due).
    #[arg(long, default_value_t = 100)]
    alerts_every_ms: u64,
    /// List every failed input on stderr.
    #[arg(long, short)]
    verbose: bool,
}

/// Runs `warta run`: polls registered sources on their schedules until Ctrl-C.
pub(crate) fn run_run(args: &RunArgs) -> Result<ExitCode> {
    let store = Arc::new(args.data.open()?);
    let stages = Stages::new();
    let fetcher = args.crawl.fetcher();
    let stop = Arc::new(AtomicBool::new(false));
    // Watches: match new articles and deliver alerts beside the polling.
    let alerts_config = args.delivery.config();
    let alerts = (!args.once).then(|| {
        let (store, stop, config) = (Arc::clone(&store), Arc::clone(&stop), alerts_config.clone());
        let every = Duration::from_millis(args.alerts_every_ms.max(1));
        std::thread::spawn(move || crate::watch::alerts_loop(&*store, config, &stop, every))
    });
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .context("cannot install the Ctrl-C handler")?;
    }
    let log = Log::default();
    let on_item = |r: &ItemReport| log.note(r, args.verbose);
    let mut next_due: std::collections::HashMap<i64, Instant> = Default::default();
    eprintln!(
        "warta run: polling the sources in {} and delivering alerts ({}); Ctrl-C stops",
        args.data.data.display(),
        crate::watch::describe_delivery(&alerts_config)
    );
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        for source in store.sources()? {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            if next_due.get(&source.id).is_some_and(|due| *due > now) {
                continue;
            }
            next_due.insert(
                source.id,
                now + Duration::from_secs(source.every_secs.max(10)),
            );
            let mut options = args.crawl.run_options(64);
            options.follow = source.kind == SourceKind::Page && args.crawl.follow;
            let mut runner = Runner::new(
                stages.pipeline(&*store, false),
                Some(&fetcher),
                options,
                &on_item,
            );
            let validators = Validators {
                etag: source.etag.clone(),
                last_modified: source.last_modified.clone(),
            };
            let polled = runner.poll(&source.url, &validators)?;
            let totals = runner.finish()?;
            let (status, validators) = match polled {
                Ok(p) if p.not_modified => ("not_modified".to_string(), p.validators),
                Ok(p) => ("ok".to_string(), p.validators),
                Err(e) => (e.to_string(), Validators::none()),
            };
            store.record_poll(
                source.id,
                &SourcePoll {
                    etag: validators.etag,
                    last_modified: validators.last_modified,
                    polled_at: now_rfc3339(),
                    status: status.clone(),
                },
            )?;
            log.save(&*store)?;
            eprintln!("{}: {status}; {totals}", source.url);
        }
        if args.once {
            break;
        }
        for _ in 0..10 {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    if let Some(thread) = alerts {
        stop.store(true, Ordering::SeqCst);
        let _ = thread.join();
    } else {
        let alerts = crate::watch::alerts(&*store, alerts_config);
        let m = alerts.match_new()?;
        let d = alerts.deliver_due()?;
        eprintln!(
            "alerts: {} queued; sent {} ({} delivered, {} to retry, {} failed)",
            m.queued, d.sent, d.delivered, d.retried, d.failed
        );
    }
    eprintln!("warta run: stopped");
    Ok(ExitCode::SUCCESS)
}

/// Runs `warta check`.
pub(crate) fn run_check(data: &DataArgs) -> Result<ExitCode> {
    let report = data.open()?.check()?;
    let s = &report.stats;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} articles, {} copies, {} entities, {} quotes, {} sources, {} fetches; {} indexed",
        s.articles, s.copies, s.entities, s.quotes, s.sources, s.fetches, report.indexed
    )?;
    if report.is_clean() {
        writeln!(out, "store is sound")?;
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &report.problems {
            writeln!(out, "problem: {p}")?;
        }
        Ok(ExitCode::FAILURE)
    }
}

/// Runs `warta reindex`.
pub(crate) fn run_reindex(data: &DataArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let n = data.open()?.reindex()?;
    eprintln!(
        "reindexed {n} articles in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// One JSON record a line, with entities, quotes, times, copies.
    Jsonl,
    /// One row an article: id, url, canonical_url, site, title, published, language,
    /// pages, duplicate_of, copies, entities, text.
    Csv,
    /// An Apache Parquet file (needs `--out`): one row an article, with authors,
    /// entities, quotes, times and copies as typed lists.
    Parquet,
}

/// Options of `warta export`.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    format: ExportFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Only articles naming this entity id.
    #[arg(long)]
    entity: Option<String>,
    /// Only articles from this site.
    #[arg(long)]
    site: Option<String>,
    /// Only articles in this language.
    #[arg(long)]
    lang: Option<String>,
    /// Only articles quoting this speaker.
    #[arg(long)]
    speaker: Option<String>,
    /// Published on or after (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Published on or before (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Include copies (with `duplicate_of`) as records of their own.
    #[arg(long)]
    copies: bool,
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Runs `warta export`.
pub(crate) fn run_export(args: &ExportArgs) -> Result<ExitCode> {
    let store = args.data.open()?;
    let filter = ArticleFilter {
        entity: args.entity.clone(),
        site: args.site.clone(),
        language: args.lang.clone(),
        speaker: args.speaker.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
        include_copies: args.copies,
        ..ArticleFilter::default()
    };
    if args.format == ExportFormat::Parquet {
        return export_parquet(args, &store, &filter);
    }
    let mut out = open_output(args.out.as_deref())?;
    if args.format == ExportFormat::Csv {
        writeln!(
            out,
            "id,url,canonical_url,site,title,published,language,pages,duplicate_of,copies,entities,text"
        )?;
    }
    let mut n = 0usize;
    for summary in store.articles(&filter)? {
        let Some(stored) = store.article(&summary.id)? else {
            continue;
        };
        n += 1;
        let a: &Article = &stored.article;
        match args.format {
            ExportFormat::Jsonl => {
                let mut value = serde_json::to_value(a)?;
                if let Some(obj) = value.as_object_mut() {
                    obj.insert("revision".into(), stored.revision.into());
                    match &stored.duplicate_of {
                        Some(of) => {
                            obj.insert("duplicate_of".into(), of.clone().into());
                        }
                        None => {
                            obj.insert("copies".into(), serde_json::to_value(&stored.copies)?);
                        }
                    }
                }
                serde_json::to_writer(&mut out, &value)?;
                writeln!(out)?;
            }
            ExportFormat::Parquet => unreachable!("written by export_parquet"),
            ExportFormat::Csv => {
                let entities: Vec<&str> = a
                    .entities
                    .iter()
                    .flatten()
                    .filter(|e| e.role.as_deref() != Some("credit"))
                    .map(|e| e.id.as_str())
                    .collect();
                let copies: Vec<&str> = stored.copies.iter().map(|c| c.id.as_str()).collect();
                let fields = [
                    a.id.clone(),
                    a.url.clone().unwrap_or_default(),
                    a.canonical_url.clone().unwrap_or_default(),
                    summary.site.clone().unwrap_or_default(),
                    a.title.clone().unwrap_or_default(),
                    a.published.clone().unwrap_or_default(),
                    a.language.clone(),
                    a.pages.to_string(),
                    stored.duplicate_of.clone().unwrap_or_default(),
                    copies.join(" "),
                    entities.join(" "),
                    a.text.clone(),
                ];
                let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                writeln!(out, "{}", row.join(","))?;
            }
        }
    }
    out.flush()?;
    eprintln!("exported {n} articles");
    Ok(ExitCode::SUCCESS)
}

/// `warta export --format parquet`: streams the matching articles into a Parquet file.
fn export_parquet(
    args: &ExportArgs,
    store: &SqliteStore,
    filter: &ArticleFilter,
) -> Result<ExitCode> {
    let Some(path) = args.out.as_deref() else {
        bail!("Parquet is a binary file format: give the file to write with --out FILE.parquet");
    };
    let mut out = crate::parquet_export::ParquetExport::create(path)?;
    let mut n = 0usize;
    for summary in store.articles(filter)? {
        if let Some(stored) = store.article(&summary.id)? {
            out.push(&stored, summary.site.as_deref())?;
            n += 1;
        }
    }
    out.finish()?;
    eprintln!("exported {n} articles to {}", path.display());
    Ok(ExitCode::SUCCESS)
}
