//! warta-fetch against a hostile local server: every misbehaviour ends in its own error,
//! in bounded time, and the rest of the batch is fetched.

mod server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use server::{Log, Robots, Server};
use warta_fetch::{Fetch, FetchConfig, FetchError, Fetched, FetchedPage, Fetcher, Url, Validators};

/// Small limits so every hostile case ends fast.
fn config() -> FetchConfig {
    FetchConfig {
        allow_private: true,
        delay: Duration::ZERO,
        connect_timeout: Duration::from_secs(2),
        header_timeout: Duration::from_millis(700),
        body_timeout: Duration::from_secs(1),
        max_body_bytes: 1 << 20,
        max_decompressed_bytes: 2 << 20,
        max_header_bytes: 16 << 10,
        max_redirects: 5,
        max_attempts: 3,
        backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_retry_wait: Duration::from_secs(2),
        jitter_seed: Some(1),
        ..FetchConfig::default()
    }
}

fn get(f: &impl Fetch, url: &Url) -> Result<FetchedPage, FetchError> {
    f.fetch(url, &Validators::none())
        .map(|r| r.page().expect("a page, not NotModified"))
}

/// Fetches `path` and returns the error, checking the time it took.
fn fails(f: &impl Fetch, server: &Server, path: &str, within: Duration) -> FetchError {
    let started = Instant::now();
    let result = get(f, &server.url(path));
    let took = started.elapsed();
    assert!(took < within, "{path} took {took:?}");
    match result {
        Ok(p) => panic!("{path}: expected an error, got {} bytes", p.body.len()),
        Err(e) => {
            assert!(
                e.to_string().contains(path),
                "{path}: error does not name the URL: {e}"
            );
            e
        }
    }
}

const SHORT: Duration = Duration::from_secs(5);

#[test]
fn the_real_fetcher_conforms() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    warta_fetch::conformance::check(&fetcher, &server.url("/"));
    // The conditional fetches sent their validators.
    let reqs = server.log.requests.lock().unwrap().clone();
    assert!(
        reqs.iter()
            .any(|r| r.headers.get("if-none-match").map(String::as_str)
                == Some(warta_fetch::conformance::PAGE_ETAG))
    );
    assert!(
        reqs.iter()
            .any(|r| r.headers.contains_key("if-modified-since"))
    );
}

#[test]
fn sends_a_user_agent_naming_warta_and_the_contact() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(FetchConfig {
        contact: Some("https://news.example/bot".into()),
        ..config()
    });
    get(&fetcher, &server.url("/page")).unwrap();
    let reqs = server.log.requests.lock().unwrap().clone();
    let ua = &reqs.last().unwrap().headers["user-agent"];
    assert!(
        ua.starts_with("warta/") && ua.ends_with("(+https://news.example/bot)"),
        "{ua}"
    );
    let ae = &reqs.last().unwrap().headers["accept-encoding"];
    assert!(ae.contains("gzip") && ae.contains("br"), "{ae}");
}

#[test]
fn slow_bodies_are_cut_by_the_body_deadline() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    let e = fails(&fetcher, &server, "/slow", Duration::from_secs(4));
    assert!(
        matches!(e, FetchError::Timeout { phase: "body", .. }),
        "{e}"
    );
}

#[test]
fn the_total_deadline_bounds_a_whole_fetch() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(FetchConfig {
        body_timeout: Duration::from_secs(30),
        total_timeout: Duration::from_millis(800),
        ..config()
    });
    let e = fails(&fetcher, &server, "/slow", Duration::from_secs(3));
    assert!(matches!(e, FetchError::Timeout { .. }), "{e}");
    // A retry that would end past the deadline is not waited for.
    let started = Instant::now();
    let e = fails(&fetcher, &server, "/retry-after", SHORT);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(e, FetchError::Http { status: 429, .. }), "{e}");
    assert_eq!(server.log.count("/retry-after"), 1);
}

#[test]
fn slow_headers_time_out() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    let e = fails(&fetcher, &server, "/slow-headers", Duration::from_secs(3));
    assert!(
        matches!(
            e,
            FetchError::Timeout {
                phase: "headers",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn redirect_loops_and_endless_chains_stop() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    let e = fails(&fetcher, &server, "/loop/a", SHORT);
    assert!(matches!(e, FetchError::RedirectLoop { .. }), "{e}");
    let e = fails(&fetcher, &server, "/chain/0", SHORT);
    assert!(
        matches!(e, FetchError::TooManyRedirects { limit: 5, .. }),
        "{e}"
    );
    // The first request and five redirects followed; the sixth is not.
    assert_eq!(
        server
            .log
            .paths()
            .iter()
            .filter(|p| p.starts_with("/chain/"))
            .count(),
        6
    );
    let e = fails(&fetcher, &server, "/to-file", SHORT);
    assert!(matches!(e, FetchError::BadRedirect { .. }), "{e}");
    let e = fails(&fetcher, &server, "/no-location", SHORT);
    assert!(matches!(e, FetchError::BadRedirect { .. }), "{e}");
}

#[test]
fn gzip_and_brotli_are_decoded() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    assert_eq!(
        get(&fetcher, &server.url("/gzip")).unwrap().body,
        b"<p>gzipped</p>"
    );
    assert_eq!(
        get(&fetcher, &server.url("/br")).unwrap().body,
        b"<p>brotli</p>"
    );
    let e = fails(&fetcher, &server, "/bad-gzip", SHORT);
    assert!(matches!(e, FetchError::Decoding { .. }), "{e}");
}

#[test]
fn decompression_bombs_are_refused() {
    server::warm_bombs();
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    for path in ["/bomb.gz", "/bomb.br"] {
        let e = fails(&fetcher, &server, path, SHORT);
        assert!(
            matches!(e, FetchError::DecompressionBomb { limit, .. } if limit == 2 << 20),
            "{path}: {e}"
        );
    }
}

#[test]
fn huge_bodies_are_refused() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    for path in ["/huge", "/huge-unannounced"] {
        let e = fails(&fetcher, &server, path, SHORT);
        assert!(
            matches!(e, FetchError::TooLarge { limit, .. } if limit == 1 << 20),
            "{path}: {e}"
        );
    }
    let e = fails(&fetcher, &server, "/big-header", SHORT);
    assert!(matches!(e, FetchError::Transport { .. }), "{e}");
}

#[test]
fn retries_honour_retry_after() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    let page = get(&fetcher, &server.url("/retry-after")).unwrap();
    assert_eq!(page.body, b"<p>finally</p>");
    let times = server.log.times("/retry-after");
    assert_eq!(times.len(), 2);
    assert!(
        times[1] - times[0] >= Duration::from_secs(1),
        "{:?}",
        times[1] - times[0]
    );

    // A wait longer than max_retry_wait is not waited for: the caller is told.
    let e = fails(&fetcher, &server, "/retry-after-long", SHORT);
    assert!(
        matches!(e, FetchError::Http { status: 429, retry_after: Some(d), .. } if d.as_secs() == 3600),
        "{e}"
    );
    assert!(e.to_string().contains("3600"), "{e}");
    assert_eq!(server.log.count("/retry-after-long"), 1);
}

#[test]
fn server_errors_are_retried_with_backoff() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    assert_eq!(
        get(&fetcher, &server.url("/flaky")).unwrap().body,
        b"<p>finally</p>"
    );
    assert_eq!(server.log.count("/flaky"), 2);
    let e = fails(&fetcher, &server, "/always-503", SHORT);
    assert!(matches!(e, FetchError::Http { status: 503, .. }), "{e}");
    assert_eq!(server.log.count("/always-503"), 3, "max_attempts");
    let times = server.log.times("/always-503");
    // Backoff 10 ms then 20 ms, each at least halved by jitter.
    assert!(times[1] - times[0] >= Duration::from_millis(5));
    assert!(times[2] - times[1] >= Duration::from_millis(10));
}

#[test]
fn robots_txt_is_obeyed() {
    let server = Server::start(Robots::Text(
        "User-agent: *\nDisallow: /private\n\nUser-agent: otherbot\nDisallow: /\n",
    ));
    let fetcher = Fetcher::new(config());
    let e = fails(&fetcher, &server, "/private/x", SHORT);
    assert!(matches!(e, FetchError::RobotsDisallowed { .. }), "{e}");
    get(&fetcher, &server.url("/public")).unwrap();
    get(&fetcher, &server.url("/page")).unwrap();
    assert_eq!(
        server.log.count("/private/x"),
        0,
        "a disallowed page is never requested"
    );
    assert_eq!(server.log.count("/robots.txt"), 1, "robots.txt is cached");

    // A group naming warta wins over `*`.
    let server = Server::start(Robots::Text(
        "User-agent: warta\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
    ));
    let fetcher = Fetcher::new(config());
    let e = fails(&fetcher, &server, "/page", SHORT);
    assert!(matches!(e, FetchError::RobotsDisallowed { .. }), "{e}");

    // Turned off, robots.txt is not even fetched.
    let fetcher = Fetcher::new(FetchConfig {
        respect_robots: false,
        ..config()
    });
    get(&fetcher, &server.url("/page")).unwrap();
    assert_eq!(server.log.count("/robots.txt"), 1);
}

#[test]
fn an_oversized_robots_txt_is_read_up_to_the_limit() {
    let server = Server::start(Robots::Padded("User-agent: *\nDisallow: /private\n"));
    let fetcher = Fetcher::new(FetchConfig {
        max_robots_bytes: 1000,
        ..config()
    });
    let e = fails(&fetcher, &server, "/private/x", SHORT);
    assert!(matches!(e, FetchError::RobotsDisallowed { .. }), "{e}");
    get(&fetcher, &server.url("/page")).unwrap();
}

#[test]
fn unavailable_robots_txt_blocks_the_site_and_missing_allows_it() {
    let server = Server::start(Robots::Status(503));
    let fetcher = Fetcher::new(config());
    let e = fails(&fetcher, &server, "/page", SHORT);
    assert!(matches!(e, FetchError::RobotsUnavailable { .. }), "{e}");
    assert!(e.to_string().contains("503"), "{e}");
    assert_eq!(server.log.count("/page"), 0);
    let server = Server::start(Robots::Status(403));
    get(&Fetcher::new(config()), &server.url("/page")).unwrap();
}

#[test]
fn crawl_delay_spaces_requests() {
    let server = Server::start(Robots::Text("User-agent: *\nCrawl-delay: 0.3\n"));
    let fetcher = Fetcher::new(config());
    for _ in 0..3 {
        get(&fetcher, &server.url("/page")).unwrap();
    }
    let times = server.log.times("/page");
    for w in times.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(300),
            "{:?}",
            w[1] - w[0]
        );
    }
    // And the configured delay alone spaces requests too.
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(FetchConfig {
        delay: Duration::from_millis(200),
        ..config()
    });
    for _ in 0..3 {
        get(&fetcher, &server.url("/page")).unwrap();
    }
    let times = server.log.times("/page");
    for w in times.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(200),
            "{:?}",
            w[1] - w[0]
        );
    }
}

#[test]
fn one_request_at_a_time_per_host_but_hosts_in_parallel() {
    let server = Server::start(Robots::Missing);
    let fetcher = Arc::new(Fetcher::new(config()));
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let (f, url) = (Arc::clone(&fetcher), server.url("/hold"));
            std::thread::spawn(move || get(&f, &url).unwrap())
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(server.log.count("/hold"), 3);
    assert_eq!(
        server
            .log
            .max_holding
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );

    // Two hosts (127.0.0.1 and 127.0.0.2) sharing a log: each request waits until the
    // other is in, which only happens if they run at the same time.
    let log = Arc::new(Log::default());
    let a = Server::start_on("127.0.0.1", Robots::Missing, Arc::clone(&log));
    let b = Server::start_on("127.0.0.2", Robots::Missing, Arc::clone(&log));
    let fetcher = Arc::new(Fetcher::new(FetchConfig {
        header_timeout: Duration::from_secs(5),
        ..config()
    }));
    let threads: Vec<_> = [a.url("/rendezvous"), b.url("/rendezvous")]
        .into_iter()
        .map(|url| {
            let f = Arc::clone(&fetcher);
            std::thread::spawn(move || get(&f, &url))
        })
        .collect();
    for t in threads {
        let page = t.join().unwrap().unwrap();
        assert_eq!(page.body, b"met");
    }
}

#[test]
fn wrong_content_types_are_reported_not_refused() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    let pdf = get(&fetcher, &server.url("/pdf")).unwrap();
    assert_eq!(pdf.media_type().as_deref(), Some("application/pdf"));
    let untyped = get(&fetcher, &server.url("/no-type")).unwrap();
    assert_eq!(untyped.content_type, None);
    let doc = get(&fetcher, &server.url("/page")).unwrap().into_raw_doc();
    assert_eq!(
        doc.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(doc.url.as_deref(), Some(server.url("/page").as_str()));
}

#[test]
fn private_addresses_are_refused_without_allow_private() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(FetchConfig {
        allow_private: false,
        ..config()
    });
    let e = fails(&fetcher, &server, "/page", SHORT);
    assert!(
        matches!(
            e,
            FetchError::PrivateAddress {
                range: "loopback",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("--allow-private"), "{e}");
    let url = Url::parse(&format!("http://localhost:{}/page", server.addr.port())).unwrap();
    let e = get(&fetcher, &url).unwrap_err();
    assert!(matches!(e, FetchError::PrivateAddress { .. }), "{e}");
    assert!(
        server.log.paths().is_empty(),
        "nothing may reach the server"
    );
}

#[test]
fn conditional_get_gives_not_modified() {
    let server = Server::start(Robots::Missing);
    let fetcher = Fetcher::new(config());
    let url = server.url(&format!("/{}", warta_fetch::conformance::PAGE));
    let page = get(&fetcher, &url).unwrap();
    match fetcher.fetch(&url, &page.validators()).unwrap() {
        Fetched::NotModified(nm) => {
            assert_eq!(nm.url, url);
            assert_eq!(nm.etag, page.etag);
        }
        Fetched::Page(_) => panic!("expected NotModified"),
    }
}

/// The issue's promise: a batch of hostile URLs ends with one clear error each, in bounded
/// time, and the good pages in it are fetched.
#[test]
fn a_hostile_batch_ends_with_an_error_per_item_and_the_rest_fetched() {
    server::warm_bombs();
    let server = Server::start(Robots::Text("User-agent: *\nDisallow: /private\n"));
    let fetcher = Fetcher::new(config());
    let batch = [
        ("/page", None),
        ("/slow", Some("timeout")),
        ("/loop/a", Some("redirect_loop")),
        ("/chain/0", Some("too_many_redirects")),
        ("/bomb.gz", Some("decompression_bomb")),
        ("/huge-unannounced", Some("too_large")),
        ("/private/x", Some("robots_disallowed")),
        ("/always-503", Some("http")),
        ("/pdf", None),
        ("/gzip", None),
    ];
    let started = Instant::now();
    for (path, want) in batch {
        match (get(&fetcher, &server.url(path)), want) {
            (Ok(_), None) => {}
            (Err(e), Some(kind)) => assert_eq!(e.kind(), kind, "{path}: {e}"),
            (Ok(_), Some(kind)) => panic!("{path}: expected {kind}"),
            (Err(e), None) => panic!("{path}: {e}"),
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}
