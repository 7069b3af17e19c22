//! The ingest runner end to end against a hostile loopback HTTP server: a real
//! [`Fetcher`] (with `allow_private` for 127.0.0.1), the real extractor, a store, and a
//! trivial analyser. Every misbehaviour ends as one failed or skipped item naming its
//! URL, in bounded time, and the rest of the batch is stored.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use warta_core::{Analyzer, Article};
use warta_extract::ArticleExtractor;
use warta_fetch::{FetchConfig, Fetcher};
use warta_ingest::pipeline::Options;
use warta_ingest::{ExactCopies, ItemReport, Outcome, Pipeline, RunOptions, Runner, Totals};
use warta_store::{ArticleFilter, MemoryStore, SqliteStore, Store};

use crate::gz;

// ---------------------------------------------------------------------------------------
// A small loopback server: one thread per connection, `Connection: close` always, the
// answer chosen by a route function per test.

/// Answers one request: the path (with its query) and the stream to write to.
type Route = dyn Fn(&str, &mut TcpStream) + Send + Sync;

struct Server {
    addr: SocketAddr,
    paths: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(route: impl Fn(&str, &mut TcpStream) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let paths: Arc<Mutex<Vec<String>>> = Arc::default();
        let route: Arc<Route> = Arc::new(route);
        let (stop2, paths2) = (Arc::clone(&stop), Arc::clone(&paths));
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let (route, paths) = (Arc::clone(&route), Arc::clone(&paths2));
                thread::spawn(move || {
                    let Some(path) = read_request(&stream) else {
                        return;
                    };
                    paths.lock().unwrap().push(path.clone());
                    if path == "/robots.txt" {
                        respond(&mut stream, 404, &[], b"not found");
                    } else {
                        route(&path, &mut stream);
                    }
                });
            }
        });
        Self { addr, paths, stop }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Requests whose path starts with `prefix`.
    fn count(&self, prefix: &str) -> usize {
        let paths = self.paths.lock().unwrap();
        paths.iter().filter(|p| p.starts_with(prefix)).count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn read_request(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_string();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 || h == "\r\n" {
            break;
        }
    }
    Some(path)
}

fn head(s: &mut TcpStream, status: u16, headers: &[(&str, String)]) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    s.write_all(out.as_bytes())
}

fn respond(s: &mut TcpStream, status: u16, headers: &[(&str, String)], body: &[u8]) {
    let mut all = headers.to_vec();
    all.push(("Content-Length", body.len().to_string()));
    let _ = head(s, status, &all).and_then(|()| s.write_all(body));
}

fn html_type() -> (&'static str, String) {
    ("Content-Type", "text/html; charset=utf-8".to_string())
}

fn html(s: &mut TcpStream, body: &str) {
    respond(s, 200, &[html_type()], body.as_bytes());
}

/// Writes `chunk` until `total` bytes are out or the client hangs up.
fn stream_out(w: &mut impl Write, chunk: &[u8], total: u64) {
    let mut sent = 0u64;
    while sent < total {
        if w.write_all(chunk).is_err() {
            return;
        }
        sent += chunk.len() as u64;
    }
}

/// One gzip member of 16 MiB of zeros, compressed once per test run.
fn gzip_member_of_zeros() -> &'static [u8] {
    static MEMBER: OnceLock<Vec<u8>> = OnceLock::new();
    MEMBER.get_or_init(|| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        stream_out(&mut e, &[0; 1 << 16], 16 << 20);
        e.finish().unwrap()
    })
}

/// The hostile answers shared by the tests; `None` when `path` is not one of them.
fn hostile(path: &str, s: &mut TcpStream) -> Option<()> {
    match path {
        // A body that trickles a byte every 200 ms: only a whole-body timeout ends it.
        "/slow" => {
            if head(s, 200, &[html_type(), ("Content-Length", "1000".into())]).is_ok() {
                for _ in 0..1000 {
                    if s.write_all(b"x").is_err() {
                        break;
                    }
                    thread::sleep(Duration::from_millis(200));
                }
            }
        }
        // 10 GB of zeros as 640 gzip members.
        "/bomb.gz" => {
            if head(s, 200, &[html_type(), ("Content-Encoding", "gzip".into())]).is_ok() {
                for _ in 0..640 {
                    if s.write_all(gzip_member_of_zeros()).is_err() {
                        break;
                    }
                }
            }
        }
        // 100 MB, announced.
        "/huge" => {
            let len = ("Content-Length", (100u64 << 20).to_string());
            if head(s, 200, &[html_type(), len]).is_ok() {
                stream_out(s, &[b'a'; 1 << 16], 100 << 20);
            }
        }
        // 100 MB, not announced (ends when the connection closes).
        "/huge-unannounced" => {
            if head(s, 200, &[html_type()]).is_ok() {
                stream_out(s, &[b'a'; 1 << 16], 100 << 20);
            }
        }
        "/loop/a" => respond(s, 301, &[("Location", "/loop/b".into())], b""),
        "/loop/b" => respond(s, 301, &[("Location", "/loop/a".into())], b""),
        p if p.starts_with("/chain/") => {
            let n: u64 = p["/chain/".len()..].parse().unwrap_or(0);
            respond(s, 302, &[("Location", format!("/chain/{}", n + 1))], b"");
        }
        "/image.png" => respond(
            s,
            200,
            &[("Content-Type", "image/png".into())],
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0",
        ),
        "/missing" => respond(s, 404, &[], b"not found"),
        _ => return None,
    }
    Some(())
}

// ---------------------------------------------------------------------------------------
// Pages, the pipeline and the runner.

/// A news page the extractor takes as an article; `n` makes its text unique, `head`
/// goes into `<head>` and `tail` after the article.
fn article_page(n: &str, head: &str, tail: &str) -> String {
    format!(
        "<!doctype html><html lang=id><head><meta charset=utf-8><title>Berita {n}</title>{head}</head>\
         <body><article><h1>Berita nomor {n} dari kota</h1>\
         <p>Warga kampung {n} bergotong royong membersihkan saluran air setelah banjir \
         melanda permukiman mereka pada pekan lalu, kata kepala desa kepada wartawan.</p>\
         <p>Bagian {n}: petugas kecamatan membagikan bantuan beras dan air bersih kepada \
         keluarga yang rumahnya terendam, sementara sekolah diliburkan dua hari.</p>\
         </article>{tail}</body></html>"
    )
}

/// Marks the article's language so the store accepts it; nothing else.
#[derive(Debug)]
struct NoAnalysis;

impl Analyzer for NoAnalysis {
    fn analyze(&self, article: &mut Article) {
        article.language = "id".into();
    }
}

/// Small limits so every hostile case ends fast.
fn fetch_config() -> FetchConfig {
    FetchConfig {
        allow_private: true,
        delay: Duration::ZERO,
        connect_timeout: Duration::from_secs(2),
        header_timeout: Duration::from_millis(700),
        body_timeout: Duration::from_secs(1),
        total_timeout: Duration::from_secs(3),
        max_body_bytes: 1 << 20,
        max_decompressed_bytes: 2 << 20,
        max_redirects: 5,
        max_attempts: 2,
        backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
        max_retry_wait: Duration::from_secs(1),
        jitter_seed: Some(1),
        ..FetchConfig::default()
    }
}

/// What one run did: the totals and every item report, in order.
struct Run {
    totals: Totals,
    reports: Vec<ItemReport>,
    took: Duration,
}

impl Run {
    /// The reports about `path` (in the key or the message).
    fn about(&self, path: &str) -> Vec<&ItemReport> {
        self.reports
            .iter()
            .filter(|r| r.key.ends_with(path) || message(r).contains(path))
            .collect()
    }

    /// Asserts `path` ended as one failed or skipped item whose message names it.
    fn refused(&self, path: &str) {
        let about = self.about(path);
        assert!(
            !about.is_empty(),
            "no report about {path}: {:#?}",
            self.reports
        );
        for r in about {
            assert!(
                matches!(r.outcome, Outcome::Failed { .. } | Outcome::Skipped { .. }),
                "{path}: {r:?}"
            );
            assert!(
                r.key.contains(path) || message(r).contains(path),
                "{path}: the report names neither: {r:?}"
            );
        }
    }
}

fn message(r: &ItemReport) -> &str {
    match &r.outcome {
        Outcome::Failed { error } => error,
        Outcome::Skipped { reason } => reason,
        _ => "",
    }
}

/// Runs `sources` through a runner over `store` with `options`.
fn run(store: &dyn Store, options: RunOptions, sources: &[String]) -> Run {
    let extractor = ArticleExtractor::new();
    let fetcher = Fetcher::new(fetch_config());
    let reports = Mutex::new(Vec::new());
    let on_item = |r: &ItemReport| reports.lock().unwrap().push(r.clone());
    let pipeline = Pipeline {
        extractor: &extractor,
        analyzer: &NoAnalysis,
        copies: &ExactCopies,
        store,
        options: Options::default(),
    };
    let started = Instant::now();
    let mut runner = Runner::new(pipeline, Some(&fetcher), options, &on_item);
    for s in sources {
        runner.add(s).unwrap();
    }
    let totals = runner.finish().unwrap();
    let took = started.elapsed();
    Run {
        totals,
        reports: reports.into_inner().unwrap(),
        took,
    }
}

fn small_batches() -> RunOptions {
    RunOptions {
        batch: 2,
        ..RunOptions::default()
    }
}

/// The stored canonical articles' URLs.
fn stored_urls(store: &dyn Store) -> Vec<String> {
    let mut urls: Vec<String> = store
        .articles(&ArticleFilter::default())
        .unwrap()
        .into_iter()
        .filter_map(|a| a.url)
        .collect();
    urls.sort();
    urls
}

fn only_article(store: &dyn Store) -> Article {
    let all = store.articles(&ArticleFilter::default()).unwrap();
    assert_eq!(all.len(), 1, "{all:#?}");
    store.article(&all[0].id).unwrap().unwrap().article
}

// ---------------------------------------------------------------------------------------
// Multi-page stories.

/// `/story?page=N` always links to page N+1: the story stops at the per-article limit.
#[test]
fn endless_pagination_stops_at_max_pages_per_article() {
    let server = Server::start(|path, s| {
        let Some(n) = path.strip_prefix("/story?page=") else {
            return respond(s, 404, &[], b"");
        };
        let n: u64 = n.parse().unwrap_or(1);
        let next = format!("<link rel=\"next\" href=\"/story?page={}\">", n + 1);
        html(s, &article_page(&format!("halaman {n}"), &next, ""));
    });
    let store = MemoryStore::new();
    let options = RunOptions {
        max_pages_per_article: 5,
        ..small_batches()
    };
    let r = run(&store, options, &[server.url("/story?page=1")]);
    assert_eq!(r.totals.new, 1, "{:#?}", r.reports);
    assert_eq!(r.totals.errors, 0, "{:#?}", r.reports);
    let article = only_article(&store);
    assert_eq!(article.pages, 5);
    assert!(article.text.contains("halaman 1") && article.text.contains("halaman 5"));
    assert!(!article.text.contains("halaman 6"));
    // The story was cut, so it still continues.
    assert!(article.continues);
    assert_eq!(server.count("/story"), 5);
    assert!(r.took < Duration::from_secs(10), "{:?}", r.took);
}

/// Page 2 links back to page 1: the loop is seen and the story has two pages.
#[test]
fn a_pagination_loop_stops_after_two_pages() {
    let server = Server::start(|path, s| {
        let next = match path {
            "/loop?page=1" => "/loop?page=2",
            "/loop?page=2" => "/loop?page=1",
            _ => return respond(s, 404, &[], b""),
        };
        let head = format!("<link rel=\"next\" href=\"{next}\">");
        html(s, &article_page(&path[1..], &head, ""));
    });
    let store = MemoryStore::new();
    let r = run(&store, small_batches(), &[server.url("/loop?page=1")]);
    assert_eq!(r.totals.new, 1, "{:#?}", r.reports);
    assert_eq!(only_article(&store).pages, 2);
    assert_eq!(server.count("/loop"), 2);
}

// ---------------------------------------------------------------------------------------
// Feeds.

fn rss(items: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Berita</title><link>http://news.test/</link><description>d</description>\n",
    );
    for (i, url) in items.iter().enumerate() {
        out.push_str(&format!(
            "<item><title>Item {i}</title><link>{url}</link>\
             <pubDate>Mon, 06 May 2024 07:08:09 GMT</pubDate></item>\n"
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

const BAD: &[&str] = &[
    "/slow",
    "/bomb.gz",
    "/huge",
    "/huge-unannounced",
    "/loop/a",
    "/chain/0",
    "/missing",
    "/image.png",
];

/// A feed listing good articles between every kind of hostile page: the good ones are
/// stored, each bad one is one failed or skipped item naming its URL, and the whole run
/// stays bounded by the fetch timeouts.
#[test]
fn a_hostile_feed_stores_the_good_pages_and_reports_each_bad_one() {
    gzip_member_of_zeros();
    let addr: Arc<OnceLock<String>> = Arc::default();
    let addr2 = Arc::clone(&addr);
    let server = Server::start(move |path, s| {
        if path == "/feed.xml" {
            let base = addr2.get().unwrap();
            let mut items = Vec::new();
            for (i, bad) in BAD.iter().enumerate() {
                items.push(format!("{base}/good/{i}"));
                items.push(format!("{base}{bad}"));
            }
            let body = rss(&items);
            return respond(
                s,
                200,
                &[("Content-Type", "application/rss+xml".into())],
                body.as_bytes(),
            );
        }
        if let Some(n) = path.strip_prefix("/good/") {
            return html(s, &article_page(&format!("baik {n}"), "", ""));
        }
        if hostile(path, s).is_none() {
            respond(s, 404, &[], b"");
        }
    });
    addr.set(server.url("")).unwrap();
    let store = MemoryStore::new();
    let r = run(&store, small_batches(), &[server.url("/feed.xml")]);
    let good: Vec<String> = (0..BAD.len())
        .map(|i| server.url(&format!("/good/{i}")))
        .collect();
    let mut want = good.clone();
    want.sort();
    assert_eq!(stored_urls(&store), want, "{:#?}", r.reports);
    assert_eq!(r.totals.new, BAD.len() as u64);
    for bad in BAD {
        r.refused(bad);
    }
    assert_eq!(
        r.totals.errors + r.totals.skipped,
        BAD.len() as u64,
        "{:#?}",
        r.reports
    );
    // Each hostile page costs at most one fetch's time budget, most far less.
    assert!(r.took < Duration::from_secs(10), "{:?}", r.took);
}

/// A feed cut off in the middle of an item: the complete items are ingested and the
/// feed itself is reported as broken.
#[test]
fn a_truncated_feed_keeps_its_complete_items() {
    let addr: Arc<OnceLock<String>> = Arc::default();
    let addr2 = Arc::clone(&addr);
    let server = Server::start(move |path, s| {
        if path == "/feed.xml" {
            let base = addr2.get().unwrap();
            let items: Vec<String> = (0..4).map(|i| format!("{base}/good/{i}")).collect();
            let full = rss(&items);
            // Cut inside the last item.
            let cut = full.rfind("<item>").unwrap() + 20;
            let body = &full.as_bytes()[..cut];
            return respond(
                s,
                200,
                &[("Content-Type", "application/rss+xml".into())],
                body,
            );
        }
        match path.strip_prefix("/good/") {
            Some(n) => html(s, &article_page(&format!("baik {n}"), "", "")),
            None => respond(s, 404, &[], b""),
        }
    });
    addr.set(server.url("")).unwrap();
    let store = MemoryStore::new();
    let feed = server.url("/feed.xml");
    let r = run(&store, small_batches(), std::slice::from_ref(&feed));
    let want: Vec<String> = (0..3).map(|i| server.url(&format!("/good/{i}"))).collect();
    assert_eq!(stored_urls(&store), want, "{:#?}", r.reports);
    let broken: Vec<&ItemReport> = r.reports.iter().filter(|x| x.key == feed).collect();
    assert_eq!(broken.len(), 1, "{:#?}", r.reports);
    assert!(matches!(broken[0].outcome, Outcome::Failed { .. }));
    assert_eq!(server.count("/good/3"), 0);
}

// ---------------------------------------------------------------------------------------
// Files.

/// One WARC response record for `uri` carrying `body`.
fn warc_response(uri: &str, body: &[u8]) -> Vec<u8> {
    let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
    block.extend_from_slice(body);
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\n\
         WARC-Date: 2024-05-06T07:08:09Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(&block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// A directory with good HTML files and a `.warc.gz` whose last record is cut off: the
/// files and the complete record are stored (in SQLite), the cut record is reported at
/// its offset.
#[test]
fn a_truncated_warc_record_fails_alone_in_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    write(&root, "a.html", article_page("berkas a", "", "").as_bytes());
    write(
        &root,
        "c/b.html",
        article_page("berkas b", "", "").as_bytes(),
    );
    let mut warc = gz(&warc_response(
        "https://arsip.example/1",
        article_page("arsip 1", "", "").as_bytes(),
    ));
    let second = gz(&warc_response(
        "https://arsip.example/2",
        article_page("arsip 2", "", "").as_bytes(),
    ));
    warc.extend_from_slice(&second[..second.len() / 2]);
    write(&root, "b/crawl.warc.gz", &warc);
    // Bytes that are not a WARC at all under a WARC name.
    write(&root, "b/junk.warc.gz", &gz(b"WARC/1.1\r\nWARC-Type: resp"));

    let store = SqliteStore::open(dir.path().join("data")).unwrap();
    let source = root.to_string_lossy().into_owned();
    let r = run(&store, small_batches(), &[source]);
    assert_eq!(r.totals.new, 3, "{:#?}", r.reports);
    assert_eq!(store.article_count().unwrap(), 3);
    let urls = stored_urls(&store);
    assert!(
        urls.contains(&"https://arsip.example/1".to_string()),
        "{urls:?}"
    );
    let failed: Vec<&ItemReport> = r
        .reports
        .iter()
        .filter(|x| matches!(x.outcome, Outcome::Failed { .. }))
        .collect();
    assert_eq!(failed.len(), 2, "{:#?}", r.reports);
    assert!(failed[0].key.contains("crawl.warc.gz#"), "{failed:#?}");
    assert!(failed[1].key.contains("junk.warc.gz#"), "{failed:#?}");
    assert!(store.check().unwrap().is_clean(), "{:?}", store.check());

    // A second run adds nothing and fails the same way.
    let again = run(
        &store,
        small_batches(),
        &[root.to_string_lossy().into_owned()],
    );
    assert_eq!(again.totals.new, 0);
    assert_eq!(again.totals.errors, 2);
    assert_eq!(store.article_count().unwrap(), 3);
}

// ---------------------------------------------------------------------------------------
// Crawls.

/// A link farm: every `/farm/N` is an article linking to 50 new pages.
fn farm() -> Server {
    Server::start(|path, s| {
        let Some(n) = path.strip_prefix("/farm/") else {
            return respond(s, 404, &[], b"");
        };
        let n: u64 = n.parse().unwrap_or(0);
        let links: String = (1..=50)
            .map(|i| {
                let m = n * 50 + i;
                format!("<li><a href=\"/farm/{m}\">Baca juga cerita {m} di sini</a></li>")
            })
            .collect();
        let tail = format!("<ul class=related>{links}</ul>");
        html(s, &article_page(&format!("ladang {n}"), "", &tail));
    })
}

fn crawl_options(depth: u32, max_pages: usize) -> RunOptions {
    RunOptions {
        follow: true,
        depth,
        max_pages,
        batch: 8,
        ..RunOptions::default()
    }
}

#[test]
fn a_crawl_of_a_link_farm_stops_at_max_pages() {
    let server = farm();
    let store = MemoryStore::new();
    let r = run(&store, crawl_options(10, 20), &[server.url("/farm/0")]);
    assert_eq!(server.count("/farm/"), 20);
    assert_eq!(r.totals.new, 20, "{:#?}", r.reports);
    assert_eq!(r.totals.errors, 0);
    assert!(r.took < Duration::from_secs(10), "{:?}", r.took);
}

#[test]
fn a_crawl_of_a_link_farm_stops_at_its_depth() {
    let server = farm();
    let store = MemoryStore::new();
    // Depth 1: the start page and the 50 pages it links to, none of theirs.
    let r = run(&store, crawl_options(1, 1_000), &[server.url("/farm/0")]);
    assert_eq!(server.count("/farm/"), 51);
    assert_eq!(r.totals.new, 51, "{:#?}", r.reports);
    assert_eq!(server.count("/farm/51"), 0);

    // Depth 0: the start page only.
    let server = farm();
    let store = MemoryStore::new();
    let r = run(&store, crawl_options(0, 1_000), &[server.url("/farm/0")]);
    assert_eq!(server.count("/farm/"), 1);
    assert_eq!(r.totals.new, 1, "{:#?}", r.reports);
}

/// Every page of this site is a story with endless further pages and links to
/// other stories: the further pages count against the crawl's page limit.
#[test]
fn a_crawl_counts_further_pages_against_max_pages() {
    let server = Server::start(|path, s| {
        let Some(rest) = path.strip_prefix("/paged/") else {
            return respond(s, 404, &[], b"");
        };
        let (story, page) = rest.split_once("?page=").unwrap_or((rest, "1"));
        let page: u64 = page.parse().unwrap_or(1);
        let n: u64 = story.parse().unwrap_or(0);
        let next = format!("<link rel=\"next\" href=\"/paged/{n}?page={}\">", page + 1);
        let tail = format!(
            "<a href=\"/paged/{}\">Baca juga cerita berikutnya</a>",
            n + 1
        );
        html(
            s,
            &article_page(&format!("cerita {n} halaman {page}"), &next, &tail),
        );
    });
    let store = MemoryStore::new();
    let options = RunOptions {
        max_pages_per_article: 4,
        ..crawl_options(10, 10)
    };
    let r = run(&store, options, &[server.url("/paged/0")]);
    assert_eq!(server.count("/paged/"), 10, "{:#?}", r.reports);
    assert_eq!(r.totals.errors, 0, "{:#?}", r.reports);
    // Two whole stories of four pages and the two pages of the third the limit allows.
    assert_eq!(r.totals.new, 3, "{:#?}", r.reports);
}

/// A feed of paginated stories: the feed source's page limit covers further pages.
#[test]
fn a_feed_counts_further_pages_against_max_pages() {
    let server = Server::start(|path, s| {
        if path == "/feed.xml" {
            let items: Vec<String> = (0..10).map(|n| format!("/story{n}?page=1")).collect();
            return respond(
                s,
                200,
                &[("Content-Type", "application/rss+xml".into())],
                rss(&items).as_bytes(),
            );
        }
        let Some((story, page)) = path[1..].split_once("?page=") else {
            return respond(s, 404, &[], b"");
        };
        let page: u64 = page.parse().unwrap_or(1);
        let next = format!("<link rel=\"next\" href=\"/{story}?page={}\">", page + 1);
        html(
            s,
            &article_page(&format!("{story} halaman {page}"), &next, ""),
        );
    });
    let store = MemoryStore::new();
    let options = RunOptions {
        max_pages: 6,
        max_pages_per_article: 3,
        ..small_batches()
    };
    let r = run(&store, options, &[server.url("/feed.xml")]);
    assert_eq!(server.count("/story"), 6, "{:#?}", r.reports);
    assert_eq!(r.totals.new, 2, "{:#?}", r.reports);
}
