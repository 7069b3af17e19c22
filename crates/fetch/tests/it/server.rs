//! A small hostile HTTP server on the loopback interface, written for these tests: each
//! path misbehaves in one way. One thread per connection, `Connection: close` always.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use warta_fetch::{MemoryResponse, conformance};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) path: String,
    pub(crate) headers: HashMap<String, String>,
    pub(crate) at: Instant,
}

/// What the server saw, shared by the servers of one test.
#[derive(Debug, Default)]
pub(crate) struct Log {
    pub(crate) requests: Mutex<Vec<Seen>>,
    pub(crate) active: AtomicUsize,
    pub(crate) max_active: AtomicUsize,
    /// Requests to `/hold` between arrival and answer (the answer's bytes excluded, as the
    /// client may start its next request as soon as it has them).
    pub(crate) holding: AtomicUsize,
    pub(crate) max_holding: AtomicUsize,
    /// Requests to `/rendezvous` waiting for a partner.
    pub(crate) meeting: AtomicUsize,
}

impl Log {
    pub(crate) fn paths(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.path.clone())
            .collect()
    }

    pub(crate) fn count(&self, path: &str) -> usize {
        self.paths().iter().filter(|p| *p == path).count()
    }

    pub(crate) fn times(&self, path: &str) -> Vec<Instant> {
        let reqs = self.requests.lock().unwrap();
        reqs.iter()
            .filter(|r| r.path == path)
            .map(|r| r.at)
            .collect()
    }
}

#[derive(Debug)]
pub(crate) struct Server {
    pub(crate) addr: SocketAddr,
    pub(crate) log: Arc<Log>,
    stop: Arc<AtomicBool>,
}

/// What `/robots.txt` answers.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Robots {
    Missing,
    Text(&'static str),
    /// The text followed by 100 KB of comment lines.
    Padded(&'static str),
    Status(u16),
}

impl Server {
    pub(crate) fn start(robots: Robots) -> Self {
        Self::start_on("127.0.0.1", robots, Arc::default())
    }

    pub(crate) fn start_on(ip: &str, robots: Robots, log: Arc<Log>) -> Self {
        let listener = TcpListener::bind((ip, 0)).expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (log2, stop2) = (Arc::clone(&log), Arc::clone(&stop));
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let log = Arc::clone(&log2);
                thread::spawn(move || handle(stream, robots, &log));
            }
        });
        Self { addr, log, stop }
    }

    pub(crate) fn url(&self, path: &str) -> warta_fetch::Url {
        warta_fetch::Url::parse(&format!("http://{}{path}", self.addr)).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn read_request(stream: &TcpStream) -> Option<(String, HashMap<String, String>)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    Some((path, headers))
}

fn head(stream: &mut TcpStream, status: u16, headers: &[(&str, String)]) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes())
}

fn respond(stream: &mut TcpStream, status: u16, headers: &[(&str, String)], body: &[u8]) {
    let mut all = headers.to_vec();
    all.push(("Content-Length", body.len().to_string()));
    let _ = head(stream, status, &all).and_then(|()| stream.write_all(body));
}

fn redirect(stream: &mut TcpStream, to: &str) {
    respond(stream, 301, &[("Location", to.to_string())], b"");
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

struct Active<'a>(&'a Log);

impl<'a> Active<'a> {
    fn enter(log: &'a Log) -> Self {
        let now = log.active.fetch_add(1, Ordering::SeqCst) + 1;
        log.max_active.fetch_max(now, Ordering::SeqCst);
        Self(log)
    }
}

impl Drop for Active<'_> {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Compresses the bombs before a test asks for them, so a loaded machine does not turn a
/// bomb into a timeout.
pub(crate) fn warm_bombs() {
    gzip_member_of_zeros();
    brotli_of_zeros();
}

fn gzip_member_of_zeros() -> &'static [u8] {
    static MEMBER: OnceLock<Vec<u8>> = OnceLock::new();
    MEMBER.get_or_init(|| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        stream_out(&mut e, &[0; 1 << 16], 16 << 20);
        e.finish().unwrap()
    })
}

fn brotli_of_zeros() -> &'static [u8] {
    static STREAM: OnceLock<Vec<u8>> = OnceLock::new();
    STREAM.get_or_init(|| {
        let mut out = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut out, 1 << 16, 1, 22);
            stream_out(&mut w, &[0; 1 << 16], 64 << 20);
        }
        out
    })
}

fn handle(mut s: TcpStream, robots: Robots, log: &Log) {
    let Some((path, headers)) = read_request(&s) else {
        return;
    };
    let seen_before = log.count(&path);
    log.requests.lock().unwrap().push(Seen {
        path: path.clone(),
        headers: headers.clone(),
        at: Instant::now(),
    });
    let _active = Active::enter(log);
    let html = || ("Content-Type", "text/html; charset=utf-8".to_string());
    let s = &mut s;
    match path.as_str() {
        "/robots.txt" => match robots {
            Robots::Missing => respond(s, 404, &[], b"not found"),
            Robots::Text(t) => respond(
                s,
                200,
                &[("Content-Type", "text/plain".into())],
                t.as_bytes(),
            ),
            Robots::Padded(t) => {
                let body = format!("{t}{}", "# padding padding padding\n".repeat(4000));
                respond(
                    s,
                    200,
                    &[("Content-Type", "text/plain".into())],
                    body.as_bytes(),
                );
            }
            Robots::Status(code) => respond(s, code, &[], b""),
        },
        "/page" | "/private/x" | "/public" => respond(s, 200, &[html()], b"<p>hello</p>"),
        "/no-type" => respond(s, 200, &[], b"<p>untyped</p>"),
        "/pdf" => respond(
            s,
            200,
            &[("Content-Type", "application/pdf".into())],
            b"%PDF-1.4",
        ),
        // A body that trickles: each byte arrives well within any per-read timeout.
        "/slow" => {
            if head(s, 200, &[html(), ("Content-Length", "1000".into())]).is_ok() {
                for _ in 0..1000 {
                    if s.write_all(b"x").is_err() {
                        return;
                    }
                    thread::sleep(Duration::from_millis(200));
                }
            }
        }
        "/slow-headers" => {
            thread::sleep(Duration::from_secs(3));
            respond(s, 200, &[html()], b"late");
        }
        "/loop/a" => redirect(s, "/loop/b"),
        "/loop/b" => redirect(s, "/loop/a"),
        "/to-file" => redirect(s, "file:///etc/passwd"),
        "/no-location" => respond(s, 302, &[], b""),
        p if p.starts_with("/chain/") => {
            let n: u64 = p["/chain/".len()..].parse().unwrap_or(0);
            redirect(s, &format!("/chain/{}", n + 1));
        }
        "/gzip" => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(b"<p>gzipped</p>").unwrap();
            let body = e.finish().unwrap();
            respond(
                s,
                200,
                &[html(), ("Content-Encoding", "gzip".into())],
                &body,
            );
        }
        "/br" => {
            let mut body = Vec::new();
            {
                let mut w = brotli::CompressorWriter::new(&mut body, 4096, 5, 22);
                w.write_all(b"<p>brotli</p>").unwrap();
            }
            respond(s, 200, &[html(), ("Content-Encoding", "br".into())], &body);
        }
        "/bad-gzip" => respond(
            s,
            200,
            &[html(), ("Content-Encoding", "gzip".into())],
            b"this is not gzip",
        ),
        // 10 GB of zeros as 640 gzip members of 16 MiB each (gzip allows members one after
        // another), streamed: cheap to send however loaded the machine is, and the client
        // must stop at its cap.
        "/bomb.gz" => {
            if head(s, 200, &[html(), ("Content-Encoding", "gzip".into())]).is_ok() {
                let member = gzip_member_of_zeros();
                for _ in 0..640 {
                    if s.write_all(member).is_err() {
                        return;
                    }
                }
            }
        }
        // 64 MiB of zeros in one brotli stream, compressed once per test run.
        "/bomb.br" => {
            if head(s, 200, &[html(), ("Content-Encoding", "br".into())]).is_ok() {
                let _ = s.write_all(brotli_of_zeros());
            }
        }
        // 100 MB, announced.
        "/huge" => {
            if head(
                s,
                200,
                &[html(), ("Content-Length", (100u64 << 20).to_string())],
            )
            .is_ok()
            {
                stream_out(s, &[b'a'; 1 << 16], 100 << 20);
            }
        }
        // 100 MB, not announced (ends when the connection closes).
        "/huge-unannounced" => {
            if head(s, 200, &[html()]).is_ok() {
                stream_out(s, &[b'a'; 1 << 16], 100 << 20);
            }
        }
        "/big-header" => respond(s, 200, &[("X-Junk", "j".repeat(200_000))], b"x"),
        "/retry-after" if seen_before == 0 => {
            respond(s, 429, &[("Retry-After", "1".into())], b"slow down");
        }
        "/retry-after-long" => respond(s, 429, &[("Retry-After", "3600".into())], b""),
        "/flaky" if seen_before == 0 => respond(s, 503, &[], b"busy"),
        "/retry-after" | "/flaky" => respond(s, 200, &[html()], b"<p>finally</p>"),
        "/always-503" => respond(s, 503, &[], b"down"),
        "/hold" => {
            let now = log.holding.fetch_add(1, Ordering::SeqCst) + 1;
            log.max_holding.fetch_max(now, Ordering::SeqCst);
            thread::sleep(Duration::from_millis(150));
            log.holding.fetch_sub(1, Ordering::SeqCst);
            respond(s, 200, &[html()], b"held");
        }
        // Answers once two requests to it are in at the same time (on any server of this log).
        "/rendezvous" => {
            log.meeting.fetch_add(1, Ordering::SeqCst);
            let start = Instant::now();
            while log.meeting.load(Ordering::SeqCst) < 2 && start.elapsed() < Duration::from_secs(3)
            {
                thread::sleep(Duration::from_millis(5));
            }
            let ok = log.meeting.load(Ordering::SeqCst) >= 2;
            respond(s, if ok { 200 } else { 500 }, &[html()], b"met");
        }
        p => serve_fixture(s, p, &headers),
    }
}

fn serve_fixture(s: &mut TcpStream, path: &str, headers: &HashMap<String, String>) {
    let fixture = conformance::fixtures()
        .into_iter()
        .find(|(p, _)| path.strip_prefix('/') == Some(*p));
    match fixture.map(|(_, r)| r) {
        None => respond(s, 404, &[], b"not found"),
        Some(MemoryResponse::Status(code)) => respond(s, code, &[], b""),
        Some(
            MemoryResponse::Timeout
            | MemoryResponse::RobotsDisallowed
            | MemoryResponse::TooLarge(_),
        ) => unreachable!("not among the conformance fixtures"),
        Some(MemoryResponse::Redirect(to)) => redirect(s, &to),
        Some(MemoryResponse::Page {
            content_type,
            body,
            etag,
            last_modified,
        }) => {
            let inm = headers.get("if-none-match");
            let ims = headers.get("if-modified-since");
            let not_modified = match (inm, ims) {
                (Some(v), _) => Some(v) == etag.as_ref(),
                (None, Some(v)) => Some(v) == last_modified.as_ref(),
                (None, None) => false,
            };
            let mut h = Vec::new();
            if let Some(e) = etag {
                h.push(("ETag", e));
            }
            if let Some(l) = last_modified {
                h.push(("Last-Modified", l));
            }
            if not_modified {
                respond(s, 304, &h, b"");
                return;
            }
            if let Some(t) = content_type {
                h.push(("Content-Type", t));
            }
            respond(s, 200, &h, &body);
        }
    }
}
