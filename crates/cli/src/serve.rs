//! `warta search` (the store's search from the command line) and `warta serve` (the HTTP
//! API and web UI, with `POST /api/ingest` wired to the ingest pipeline).

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use warta_fetch::Fetcher;
use warta_ingest::{Document, ItemReport, Outcome, Runner};
use warta_server::{
    AppState, Ingest, IngestError, IngestReport, IngestRequest, Limits, SearchParams,
};
use warta_store::{SearchSort, Store};

use crate::ingest::{CrawlArgs, DataArgs, Stages};

/// Output formats of `warta search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SearchFormat {
    /// A readable table.
    Table,
    /// The whole answer (hits, facets, entities, quotes) as one JSON object.
    Json,
    /// One hit a line.
    Jsonl,
    /// One hit a row: id, score, published, site, language, title, url.
    Csv,
}

/// Orders of `warta search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest first.
    Date,
}

/// Options of `warta search`.
#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// Words (all required), "phrases", AND, OR, NOT, -word, parentheses. Entity names
    /// (Korut, North Korea, Korea Utara) also find articles naming the entity.
    #[arg(default_value = "")]
    query: String,
    #[command(flatten)]
    data: DataArgs,
    /// Only articles in this language (id, en, …).
    #[arg(long)]
    lang: Option<String>,
    /// Only articles naming this entity (an id such as country:KP, or a name).
    #[arg(long)]
    entity: Option<String>,
    /// Only articles from this site.
    #[arg(long)]
    site: Option<String>,
    /// Only articles quoting this speaker (entity id or part of the name).
    #[arg(long)]
    speaker: Option<String>,
    /// Published on or after (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long)]
    since: Option<String>,
    /// Published on or before (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long)]
    until: Option<String>,
    /// Most hits shown (1–100).
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Hits skipped first.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Order of the hits.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
    format: SearchFormat,
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Cuts to `n` characters, with an ellipsis when cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Runs `warta search`.
pub(crate) fn run_search(args: &SearchArgs) -> Result<ExitCode> {
    let store: Arc<dyn Store> = Arc::new(args.data.open()?);
    let state = AppState::new(store);
    let params = SearchParams {
        q: args.query.clone(),
        lang: args.lang.clone(),
        entity: args.entity.clone(),
        site: args.site.clone(),
        speaker: args.speaker.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
        sort: Some(match args.sort {
            SortArg::Relevance => SearchSort::Relevance,
            SortArg::Date => SearchSort::Date,
        }),
        limit: Some(args.limit),
        offset: Some(args.offset),
        facets: Some(args.format == SearchFormat::Json),
        highlights: Some(args.format == SearchFormat::Json),
    };
    let r = warta_server::run_search(&state, &params).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut out = std::io::stdout().lock();
    match args.format {
        SearchFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &r)?;
            writeln!(out)?;
        }
        SearchFormat::Jsonl => {
            for h in &r.hits {
                serde_json::to_writer(&mut out, h)?;
                writeln!(out)?;
            }
        }
        SearchFormat::Csv => {
            writeln!(out, "id,score,published,site,language,title,url")?;
            for h in &r.hits {
                let row = [
                    h.id.clone(),
                    format!("{:.3}", h.score),
                    h.published.clone().unwrap_or_default(),
                    h.site.clone().unwrap_or_default(),
                    h.language.clone(),
                    h.title.clone().unwrap_or_default(),
                    h.url.clone().unwrap_or_default(),
                ];
                let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
                writeln!(out, "{}", row.join(","))?;
            }
        }
        SearchFormat::Table => {
            for e in &r.entities {
                writeln!(
                    out,
                    "\"{}\" also finds articles naming {} ({})",
                    e.words, e.name, e.id
                )?;
            }
            writeln!(
                out,
                "{:>3}  {:<10}  {:<18}  {:<2}  {:<60}  id",
                "#", "date", "site", "la", "title"
            )?;
            for (i, h) in r.hits.iter().enumerate() {
                let date = h.published.as_deref().unwrap_or("").get(..10).unwrap_or("");
                writeln!(
                    out,
                    "{:>3}  {:<10}  {:<18}  {:<2}  {:<60}  {}",
                    r.offset + i + 1,
                    date,
                    cut(h.site.as_deref().unwrap_or(""), 18),
                    cut(&h.language, 2),
                    cut(h.title.as_deref().unwrap_or("(untitled)"), 60),
                    h.id
                )?;
            }
            writeln!(
                out,
                "{} of {} articles",
                r.hits.len().min(r.total as usize),
                r.total
            )?;
            if !r.quotes.is_empty() {
                writeln!(out, "\nquotes:")?;
                for q in &r.quotes {
                    writeln!(
                        out,
                        "  “{}” — {} ({})",
                        cut(&q.text, 100),
                        q.speaker.as_deref().unwrap_or("?"),
                        q.article_id
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Options of `warta serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Bearer token that writes (POST /api/ingest) need; without one, writes are off.
    #[arg(long, env = "WARTA_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Seconds a request may take.
    #[arg(long, default_value_t = 30)]
    request_timeout: u64,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 4 << 20)]
    max_body: usize,
    /// Worker threads (default: number of cores).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    crawl: CrawlArgs,
}

/// `POST /api/ingest` through the ingest pipeline.
struct PipelineIngest {
    store: Arc<dyn Store>,
    stages: Stages,
    fetcher: Fetcher,
    crawl: CrawlArgs,
}

impl std::fmt::Debug for PipelineIngest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PipelineIngest").finish_non_exhaustive()
    }
}

fn report(r: ItemReport) -> Result<IngestReport, IngestError> {
    let reason = match &r.outcome {
        Outcome::Failed { error } => return Err(IngestError::Rejected(error.clone())),
        Outcome::Skipped { reason } => Some(reason.clone()),
        _ => None,
    };
    Ok(IngestReport {
        outcome: r.outcome.name().to_string(),
        id: r.article_id,
        title: None,
        reason,
    })
}

impl Ingest for PipelineIngest {
    fn ingest(&self, request: &IngestRequest) -> Result<IngestReport, IngestError> {
        let pipeline = self.stages.pipeline(&*self.store, false);
        let item = if let Some(html) = &request.html {
            let doc = Document {
                key: request.base_url.clone().unwrap_or_else(|| {
                    format!("api:{}", warta_core::content_hash(html.as_bytes()))
                }),
                url: request.base_url.clone(),
                content_type: Some("text/html; charset=utf-8".into()),
                bytes: html.as_bytes().to_vec(),
                ..Document::default()
            };
            pipeline
                .ingest(&[doc])
                .map_err(|e| IngestError::Failed(e.to_string()))?
                .into_iter()
                .next()
        } else if let Some(url) = &request.url {
            let seen = std::sync::Mutex::new(None);
            let on_item = |r: &ItemReport| {
                let mut s = seen.lock().unwrap_or_else(|e| e.into_inner());
                if s.is_none() {
                    *s = Some(r.clone());
                }
            };
            let mut options = self.crawl.run_options(1);
            options.follow = false;
            let mut runner = Runner::new(pipeline, Some(&self.fetcher), options, &on_item);
            runner
                .add(url)
                .map_err(|e| IngestError::Failed(e.to_string()))?;
            runner
                .finish()
                .map_err(|e| IngestError::Failed(e.to_string()))?;
            seen.into_inner().unwrap_or_else(|e| e.into_inner())
        } else {
            None
        };
        let item = item.ok_or_else(|| IngestError::Rejected("nothing was read".into()))?;
        let mut out = report(item)?;
        if let Some(id) = &out.id {
            out.title = self
                .store
                .article(id)
                .map_err(|e| IngestError::Failed(e.to_string()))?
                .and_then(|a| a.article.title);
        }
        Ok(out)
    }
}

/// Runs `warta serve`.
pub(crate) fn run_serve(args: &ServeArgs) -> Result<ExitCode> {
    let store: Arc<dyn Store> = Arc::new(args.data.open()?);
    let mut state = AppState::new(store.clone());
    state.limits = Limits {
        body_bytes: args.max_body,
        timeout: Duration::from_secs(args.request_timeout.max(1)),
    };
    if let Some(token) = args.token.as_deref().filter(|t| !t.is_empty()) {
        let ingest = PipelineIngest {
            store,
            stages: Stages::new(),
            fetcher: args.crawl.fetcher(),
            crawl: args.crawl.clone(),
        };
        state = state.with_writes(token, Arc::new(ingest));
    }
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    let workers = args.threads.unwrap_or(cores).max(1);
    runtime.worker_threads(workers);
    // Store work (searches, article reads) runs on the blocking pool. More threads than
    // a few per core add no throughput, only memory (each keeps its own allocator
    // heap and index caches): 50 concurrent clients grew 110 threads and 560 MB.
    runtime.max_blocking_threads((2 * workers).max(4));
    let runtime = runtime.enable_all().build()?;
    runtime.block_on(async {
        let listener = warta_server::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        eprintln!(
            "warta serving {} on http://{addr}/ (writes {})",
            args.data.data.display(),
            if state.token.is_some() { "on" } else { "off" }
        );
        warta_server::serve_on(listener, state).await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
