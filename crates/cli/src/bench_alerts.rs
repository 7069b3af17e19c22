//! `warta bench alerts`: what watches cost. Ingests a corpus into a fresh store without
//! watches and again into a fresh store with N watches followed by the matching pass
//! `warta run` makes (wall and CPU time of each), then measures, on loopback, the time
//! from an article's commit to its webhook POST with the alerts loop of `warta run`
//! running.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use clap::Args;
use cpu_time::ProcessTime;
use warta_alerts::AlertsConfig;
use warta_ingest::{ItemReport, RunOptions, Runner};
use warta_store::{Channel, NewArticle, SqliteStore, Store, WatchSpec, WatchStore};

use crate::ingest::Stages;

/// Options of `warta bench alerts`.
#[derive(Debug, Args)]
pub(crate) struct AlertsBenchArgs {
    /// Directories or files to ingest (e.g. /tmp/warta-ingest-10k-distinct).
    #[arg(required = true)]
    inputs: Vec<String>,
    /// How many watches.
    #[arg(long, default_value_t = 1000)]
    watches: usize,
    /// Articles written one by one for the latency measurement.
    #[arg(long, default_value_t = 200)]
    latency_articles: usize,
    /// Where the temporary stores go (removed afterwards).
    #[arg(long, default_value = "/tmp")]
    scratch: PathBuf,
    /// Skip the ingest without watches (when only the latency is wanted).
    #[arg(long)]
    latency_only: bool,
}

/// Wall and CPU seconds of a piece of work.
struct Timing {
    wall: f64,
    cpu: f64,
}

fn timed<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, Timing)> {
    let (wall, cpu) = (Instant::now(), ProcessTime::now());
    let out = f()?;
    Ok((
        out,
        Timing {
            wall: wall.elapsed().as_secs_f64(),
            cpu: cpu.elapsed().as_secs_f64(),
        },
    ))
}

fn ingest(store: &SqliteStore, inputs: &[String]) -> Result<u64> {
    let stages = Stages::new();
    let on_item = |_: &ItemReport| {};
    let mut runner = Runner::new(
        stages.pipeline(store, false),
        None,
        RunOptions::default(),
        &on_item,
    );
    for i in inputs {
        runner.add(i)?;
    }
    Ok(runner.finish()?.total())
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1) as u64) as usize
    }
}

/// `n` watches with queries built from the corpus's own title words that appear in 2 to
/// 30 titles (topics and names, as people watch; not function words): single words,
/// conjunctions, disjunctions, phrases, exclusions, some with a site or language filter.
fn make_watches(store: &dyn Store, n: usize) -> Result<Vec<(String, WatchSpec)>> {
    let mut words: Vec<String> = Vec::new();
    let mut phrases: Vec<String> = Vec::new();
    let mut sites: Vec<String> = Vec::new();
    for c in store.articles_after(0, 5_000)? {
        let title = c.article.title.clone().unwrap_or_default();
        let ws: Vec<String> = title
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| w.chars().count() >= 5)
            .map(str::to_lowercase)
            .collect();
        if ws.len() >= 2 {
            phrases.push(format!("\"{} {}\"", ws[0], ws[1]));
        }
        words.extend(ws);
        if let Some(s) = warta_store::analysis::article_site(&c.article) {
            sites.push(s);
        }
    }
    words.sort();
    let mut counted: Vec<(String, usize)> = Vec::new();
    for w in words {
        match counted.last_mut() {
            Some((last, n)) if *last == w => *n += 1,
            _ => counted.push((w, 1)),
        }
    }
    let words: Vec<String> = counted
        .into_iter()
        .filter(|(_, n)| (2..=30).contains(n))
        .map(|(w, _)| w)
        .collect();
    sites.sort();
    sites.dedup();
    if words.is_empty() {
        bail!("the corpus gave no title words to build watches from");
    }
    let mut rng = Rng(0x5eed);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut w = || words[rng.below(words.len())].clone();
        let query = match i % 6 {
            0 => w(),
            1 => format!("{} {}", w(), w()),
            2 => format!("{} OR {} OR {}", w(), w(), w()),
            3 if !phrases.is_empty() => phrases[i % phrases.len()].clone(),
            4 => format!("{} -{}", w(), w()),
            _ => format!("({} OR {}) AND {}", w(), w(), w()),
        };
        let mut spec = WatchSpec {
            query,
            ..WatchSpec::default()
        };
        if i % 10 == 7 && !sites.is_empty() {
            spec.site = Some(sites[i % sites.len()].clone());
        }
        if i % 10 == 3 {
            spec.language = Some("id".into());
        }
        out.push((format!("bench-{i}"), spec));
    }
    Ok(out)
}

/// Runs `warta bench alerts`.
pub(crate) fn run(args: &AlertsBenchArgs) -> Result<ExitCode> {
    let scratch = tempfile::Builder::new()
        .prefix("warta-bench-alerts")
        .tempdir_in(&args.scratch)?;
    let with_dir = scratch.path().join("with");
    let store_with = SqliteStore::open(&with_dir)?;
    if !args.latency_only {
        let without = SqliteStore::open(scratch.path().join("without"))?;
        let (docs, t0) = timed(|| ingest(&without, &args.inputs))?;
        let canonical = without.article_count()?;
        println!(
            "ingest without watches: {docs} documents ({canonical} canonical articles) in {:.1} s wall, {:.1} s CPU",
            t0.wall, t0.cpu
        );
        let watches = make_watches(&without, args.watches)?;
        drop(without);
        for (name, spec) in &watches {
            store_with.add_watch(name, spec)?;
        }
        let (_, t1) = timed(|| ingest(&store_with, &args.inputs))?;
        let alerts = crate::watch::alerts(&store_with, AlertsConfig::default());
        let (report, tm) = timed(|| Ok(alerts.match_new()?))?;
        println!(
            "ingest with {} watches: {:.1} s wall, {:.1} s CPU; then matching {} articles: {} matches in {:.2} s wall, {:.2} s CPU ({:.0} µs CPU per article)",
            args.watches,
            t1.wall,
            t1.cpu,
            report.articles,
            report.matches,
            tm.wall,
            tm.cpu,
            tm.cpu * 1e6 / report.articles.max(1) as f64
        );
        println!(
            "matching adds {:.1} % to ingest CPU time and {:.1} % to wall time (ingest + matching with watches vs ingest without: {:+.1} % wall, {:+.1} % CPU)",
            100.0 * tm.cpu / t0.cpu,
            100.0 * tm.wall / t0.wall,
            100.0 * ((t1.wall + tm.wall) / t0.wall - 1.0),
            100.0 * ((t1.cpu + tm.cpu) / t0.cpu - 1.0),
        );
    } else {
        ingest(&store_with, &args.inputs)?;
        let watches = make_watches(&store_with, args.watches)?;
        for (name, spec) in &watches {
            store_with.add_watch(name, spec)?;
        }
    }
    latency(&store_with, args.latency_articles)?;
    Ok(ExitCode::SUCCESS)
}

/// A loopback webhook receiver noting when each article's POST arrived.
/// When each article's POST arrived: (article id, instant).
type Arrivals = Arc<Mutex<Vec<(String, Instant)>>>;

fn receiver() -> Result<(String, Arrivals)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let arrivals: Arrivals = Arc::default();
    let seen = Arc::clone(&arrivals);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Ok(clone) = stream.try_clone() else {
                continue;
            };
            let mut reader = BufReader::new(clone);
            let mut len = 0usize;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if line.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = line.split_once(':')
                    && k.eq_ignore_ascii_case("content-length")
                {
                    len = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; len];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let at = Instant::now();
            if let Ok(b) = serde_json::from_slice::<warta_alerts::WebhookBody>(&body) {
                let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
                for s in b.stories {
                    seen.push((s.article_id, at));
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    Ok((url, arrivals))
}

fn latency(store: &SqliteStore, n: usize) -> Result<()> {
    let (url, arrivals) = receiver()?;
    store.add_watch(
        "bench-latency",
        &WatchSpec {
            query: String::new(),
            channels: vec![Channel::Webhook {
                url,
                secret: Some("bench".into()),
            }],
            ..WatchSpec::default()
        },
    )?;
    let samples: Vec<warta_core::Article> = store
        .articles_after(0, n.max(1))?
        .into_iter()
        .map(|c| c.article)
        .collect();
    if samples.is_empty() {
        bail!("no articles to write for the latency measurement");
    }
    let stop = AtomicBool::new(false);
    let mut committed: Vec<(String, Instant)> = Vec::with_capacity(n);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(|| {
            crate::watch::alerts_loop(
                store,
                AlertsConfig::default(),
                &stop,
                Duration::from_millis(100),
            )
        });
        for i in 0..n {
            let mut a = samples[i % samples.len()].clone();
            a.id = format!("latency-{i}");
            a.url = Some(format!("https://bench.invalid/latency/{i}"));
            a.canonical_url = a.url.clone();
            a.text.push_str(&format!(" (latency sample {i})"));
            store.put_articles(&[NewArticle::new(a)])?;
            committed.push((format!("latency-{i}"), Instant::now()));
            // Arrivals spread over the polling period.
            std::thread::sleep(Duration::from_millis(37 + (i as u64 * 53) % 150));
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while arrivals.lock().unwrap_or_else(|e| e.into_inner()).len() < n
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    })?;
    let arrived = arrivals.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut ms: Vec<f64> = committed
        .iter()
        .filter_map(|(id, at)| {
            arrived
                .iter()
                .find(|(a, _)| a == id)
                .map(|(_, got)| got.duration_since(*at).as_secs_f64() * 1000.0)
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    if ms.is_empty() {
        bail!("no webhook POST arrived");
    }
    let pct = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    println!(
        "commit → webhook POST on loopback ({} of {n} arrived; alerts loop every 100 ms, {} watches): p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        ms.len(),
        store.watches()?.len(),
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
    Ok(())
}
