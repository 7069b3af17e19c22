//! The web UI in a real browser: Debian's headless chromium driven by chromedriver over
//! the W3C WebDriver protocol (a few plain HTTP calls, no client library). It types a
//! search, follows a result to the article, follows an entity to its page, opens the
//! quotes page, checks what a person sees on each, and saves a screenshot of each page
//! under `target/screenshots/` for review.
//!
//! Needs `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the
//! test fails, unless `WARTA_SKIP_BROWSER` is set, when it says so and passes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// chromedriver, ended when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

/// One WebDriver call: method, path, JSON body; returns the response's `value`.
fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to chromedriver");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reader = BufReader::new(s);
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut raw = Vec::new();
    match length {
        Some(n) => {
            raw.resize(n, 0);
            reader.read_exact(&mut raw).unwrap();
        }
        None => {
            reader.read_to_end(&mut raw).unwrap();
        }
    }
    let v: Value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    if let Some(err) = v["value"]["error"].as_str() {
        panic!(
            "WebDriver {method} {path}: {err}: {}",
            v["value"]["message"]
        );
    }
    v["value"].clone()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_driver(chromedriver: &Path) -> Driver {
    let port = free_port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

/// Starts the app over the fixture store on a free port, on its own thread.
fn start_server() -> (SocketAddr, tempfile::TempDir) {
    let (dir, store) = crate::fixtures::store();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let app = warta_server::app(warta_server::AppState::new(store));
            axum::serve(listener, app).await.unwrap();
        });
    });
    (rx.recv().unwrap(), dir)
}

/// A browser session.
struct Session {
    port: u16,
    id: String,
}

impl Session {
    fn new(driver: &Driver, chromium: &Path) -> Session {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,1100",
                         "--lang=en-US"]
            }
        }}});
        let v = call(driver.port, "POST", "/session", Some(&caps));
        Session {
            port: driver.port,
            id: v["sessionId"].as_str().expect("session id").to_string(),
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        call(
            self.port,
            method,
            &format!("/session/{}{path}", self.id),
            body,
        )
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(&json!({ "url": url })));
    }

    /// The element matching a CSS selector, waiting up to 10 s for it.
    fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.cmd(
                "POST",
                "/elements",
                Some(&json!({"using": "css selector", "value": css})),
            );
            if let Some(first) = v.as_array().and_then(|a| a.first()) {
                let (_, id) = first.as_object().unwrap().iter().next().unwrap();
                return id.as_str().unwrap().to_string();
            }
            assert!(
                Instant::now() < deadline,
                "no element {css} on {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.cmd("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), Some(&json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/clear"), Some(&json!({})));
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(&json!({ "text": text })),
        );
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn page_text(&self) -> String {
        self.text("body")
    }

    fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = base64(b64.as_str().expect("screenshot data"));
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| {
            call(self.port, "DELETE", &format!("/session/{}", self.id), None)
        });
    }
}

/// Standard base64 (the screenshot's encoding).
fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn screenshots_dir() -> PathBuf {
    // crates/server → the workspace's target/screenshots.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
}

#[test]
fn a_person_searches_reads_an_article_and_follows_an_entity() {
    let (Some(chromium), Some(chromedriver)) = (find("chromium"), find("chromedriver")) else {
        if std::env::var_os("WARTA_SKIP_BROWSER").is_some() {
            eprintln!(
                "SKIPPED browser test: chromium or chromedriver not found and WARTA_SKIP_BROWSER is set"
            );
            return;
        }
        panic!(
            "the browser test needs Debian's chromium and chromium-driver \
             (apt-get install chromium chromium-driver); set WARTA_SKIP_BROWSER=1 to skip it"
        );
    };
    let (addr, _dir) = start_server();
    let driver = start_driver(&chromedriver);
    let s = Session::new(&driver, &chromium);
    let shots = screenshots_dir();
    let base = format!("http://{addr}");

    // Search: type a query into the form and submit it.
    s.go(&format!("{base}/?lang=en"));
    s.type_into("input[name=q]", "Korut");
    s.click("form.search button[type=submit]");
    let total = s.text("#total");
    assert_eq!(total, "3 articles", "on {}", s.url());
    let page = s.page_text();
    assert!(
        page.contains("Also finding articles that name North Korea"),
        "{page}"
    );
    assert!(page.contains("Kim Jong Un Tiba di Rusia dengan Kereta Lapis Baja"));
    assert!(page.contains("Seoul says Pyongyang put a spy satellite into orbit"));
    s.screenshot(&shots.join("search.png"));

    // Open the Indonesian article from the results.
    s.click("a[href^='/articles/kim-tiba?']");
    assert_eq!(
        s.text("#title"),
        "Kim Jong Un Tiba di Rusia dengan Kereta Lapis Baja"
    );
    let text = s.text("#text");
    assert!(text.contains("Kunjungan ini menunjukkan bahwa Pyongyang membutuhkan sekutu"));
    assert!(
        text.contains("— Fyodor Tertitskiy"),
        "speaker shown: {text}"
    );
    let entities = s.text("#entities");
    assert!(entities.contains("North Korea") && entities.contains("Fyodor Tertitskiy"));
    assert!(
        s.page_text().contains("sindikasi.test"),
        "the copy is listed"
    );
    s.screenshot(&shots.join("article.png"));

    // Follow the speaker to his entity page.
    s.click("#entities a[href^='/entities/person:fyodor-tertitskiy']");
    assert_eq!(s.text("#title"), "Fyodor Tertitskiy");
    s.find("#timeline svg.timeline");
    let quotes = s.text("#quotes");
    assert!(quotes.contains("Moscow needs shells, Pyongyang needs technology"));
    assert!(s.text("#cooccurring").contains("North Korea"));
    s.screenshot(&shots.join("entity.png"));

    // The quotes page, in Indonesian.
    s.go(&format!("{base}/quotes?speaker=Tertitskiy&lang=id"));
    let page = s.page_text();
    assert!(page.contains("2 kutipan"), "{page}");
    s.screenshot(&shots.join("quotes.png"));
    eprintln!("screenshots in {}", shots.display());
}
