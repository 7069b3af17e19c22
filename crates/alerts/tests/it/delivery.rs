//! Delivery to the fake Telegram Bot API and the webhook receiver: formatting and
//! escaping, the 4096 limit, 429 `retry_after`, retries with backoff, order, signatures,
//! digests, the Atom feed, and the crash case.

use std::time::{Duration, Instant};

use warta_alerts::{
    Alerts, AlertsConfig, TELEGRAM_LIMIT, WebhookBody, atom_feed, verify_signature, watch_stories,
};
use warta_store::conformance::sample_article;
use warta_store::{
    Channel, Digest, MemoryStore, NewArticle, NotificationStatus, SqliteStore, Store, Watch,
    WatchSpec, WatchStore, now_ms,
};

use crate::fake::FakeServer;
use crate::matching::with_entity;

const TOKEN: &str = "123456:SECRET-bot-token";
const TELEGRAM_OK: &str = r#"{"ok":true,"result":{"message_id":7}}"#;

fn config(telegram: Option<&FakeServer>) -> AlertsConfig {
    AlertsConfig {
        telegram_token: Some(TOKEN.into()),
        telegram_api: telegram.map_or("http://127.0.0.1:9".into(), |t| t.url.clone()),
        backoff_base: Duration::from_millis(50),
        backoff_max: Duration::from_millis(400),
        timeout: Duration::from_secs(5),
        ..AlertsConfig::default()
    }
}

fn add_watch(store: &dyn Store, name: &str, query: &str, channels: Vec<Channel>) -> Watch {
    store
        .add_watch(
            name,
            &WatchSpec {
                query: query.into(),
                channels,
                ..WatchSpec::default()
            },
        )
        .unwrap()
}

/// One unsigned webhook channel posting to `url`.
fn hook_channel(url: impl Into<String>) -> Vec<Channel> {
    vec![Channel::Webhook {
        url: url.into(),
        secret: None,
    }]
}

fn put(store: &dyn Store, n: u32, words: &str) -> String {
    let a = sample_article(n, "kompas.com", "2024-03-01", words);
    let id = a.id.clone();
    store.put_articles(&[NewArticle::new(a)]).unwrap();
    id
}

/// Delivers until nothing is pending (or the deadline passes).
fn drain(alerts: &Alerts<'_>, store: &dyn Store, deadline: Duration) {
    let start = Instant::now();
    while start.elapsed() < deadline {
        alerts.match_new().unwrap();
        alerts.deliver_due().unwrap();
        if store.pending_notifications(0).unwrap().is_empty() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn telegram_message_is_escaped_and_complete() {
    let tg = FakeServer::start(TELEGRAM_OK);
    let store = MemoryStore::new();
    add_watch(
        &store,
        "Banjir & <longsor>",
        "banjir",
        vec![Channel::Telegram {
            chat_id: "-100200".into(),
        }],
    );
    let mut a = with_entity(
        sample_article(
            1,
            "kompas.com",
            "2024-03-01",
            "Banjir <besar> & deras di Demak.",
        ),
        "bnpb",
        "BNPB",
    );
    a.title = Some("Banjir <b>bandang</b> & longsor".into());
    a.quotes = Some(vec![warta_core::Quote {
        text: "Banjir setinggi <2 meter>".into(),
        speaker: Some("Abdul Muhari".into()),
        speaker_entity: None,
        speaker_description: None,
        direct: true,
        cue: None,
        start: 0,
        end: 0,
    }]);
    store.put_articles(&[NewArticle::new(a.clone())]).unwrap();
    let alerts = Alerts::new(&store, config(Some(&tg)));
    alerts.match_new().unwrap();
    let report = alerts.deliver_due().unwrap();
    assert_eq!(report.delivered, 1, "{report:?}");
    let got = tg.requests();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].path, format!("/bot{TOKEN}/sendMessage"));
    let body = got[0].json();
    assert_eq!(body["chat_id"], -100200);
    assert_eq!(body["parse_mode"], "HTML");
    let text = body["text"].as_str().unwrap();
    assert!(
        text.contains("<b>Banjir &amp; &lt;longsor&gt;</b>"),
        "{text}"
    );
    assert!(
        text.contains(">Banjir &lt;b&gt;bandang&lt;/b&gt; &amp; longsor</a>"),
        "{text}"
    );
    assert!(
        text.contains("href=\"https://www.kompas.com/berita/1\""),
        "{text}"
    );
    assert!(text.contains("kompas.com · 2024-03-01"), "{text}");
    assert!(text.contains("BNPB"), "{text}");
    assert!(
        text.contains("Banjir setinggi &lt;2 meter&gt;\n— Abdul Muhari"),
        "{text}"
    );
    let sent = store.notifications(1, 0).unwrap();
    assert_eq!(sent[0].status, NotificationStatus::Delivered);
    assert_eq!(sent[0].detail.as_deref(), Some("telegram message 7"));
    let record: warta_alerts::Story =
        serde_json::from_str(sent[0].sent.as_deref().expect("what was sent is kept")).unwrap();
    assert_eq!(
        record.quote.unwrap().speaker.as_deref(),
        Some("Abdul Muhari")
    );
}

#[test]
fn telegram_limit_and_rate_limit() {
    let tg = FakeServer::start(TELEGRAM_OK);
    tg.script(&[(
        429,
        r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}"#.into(),
    )]);
    let store = MemoryStore::new();
    add_watch(
        &store,
        "panjang",
        "banjir",
        vec![Channel::Telegram {
            chat_id: "@warta".into(),
        }],
    );
    let mut a = sample_article(1, "kompas.com", "2024-03-01", "Banjir.");
    a.title = Some("Judul <sangat> panjang & ".repeat(400));
    a.quotes = Some(vec![warta_core::Quote {
        text: "kutipan & <panjang> ".repeat(600),
        speaker: Some("Juru bicara".into()),
        speaker_entity: None,
        speaker_description: None,
        direct: true,
        cue: None,
        start: 0,
        end: 0,
    }]);
    store.put_articles(&[NewArticle::new(a)]).unwrap();
    let alerts = Alerts::new(&store, config(Some(&tg)));
    alerts.match_new().unwrap();
    let first = alerts.deliver_due().unwrap();
    assert_eq!(first.retried, 1);
    // The wait Telegram asked for is honoured: not before a second.
    let pending = store.pending_notifications(0).unwrap();
    assert!(pending[0].due_ms >= now_ms() + 800, "{pending:?}");
    assert!(
        !pending[0].detail.as_deref().unwrap_or("").contains(TOKEN),
        "the token never appears in errors"
    );
    assert_eq!(alerts.deliver_due().unwrap().sent, 0);
    drain(&alerts, &store, Duration::from_secs(5));
    let got = tg.requests();
    assert_eq!(got.len(), 2);
    assert!(got[1].at.duration_since(got[0].at) >= Duration::from_millis(950));
    let text = got[1].json()["text"].as_str().unwrap().to_string();
    assert!(
        text.chars().count() <= TELEGRAM_LIMIT,
        "{}",
        text.chars().count()
    );
    assert!(text.contains('…'));
    assert_eq!(got[1].json()["chat_id"], "@warta");
}

#[test]
fn telegram_errors_never_show_the_token() {
    let store = MemoryStore::new();
    add_watch(
        &store,
        "x",
        "banjir",
        vec![Channel::Telegram {
            chat_id: "1".into(),
        }],
    );
    put(&store, 1, "Banjir.");
    // Nothing listens on port 9 of loopback: a transport error naming the URL.
    let alerts = Alerts::new(&store, config(None));
    alerts.match_new().unwrap();
    assert_eq!(alerts.deliver_due().unwrap().retried, 1);
    let n = &store.pending_notifications(0).unwrap()[0];
    let detail = n.detail.clone().unwrap();
    assert!(!detail.contains(TOKEN), "{detail}");
    assert!(!format!("{alerts:?}").contains(TOKEN));
}

/// A notification still failing `give_up_after` after it was queued is marked failed
/// with its last error instead of being retried forever.
#[test]
fn a_channel_failing_too_long_is_given_up() {
    let hook = FakeServer::start("{}");
    hook.script(&[(503, String::new())]);
    let store = MemoryStore::new();
    let w = add_watch(
        &store,
        "banjir",
        "banjir",
        hook_channel(format!("{}/hook", hook.url)),
    );
    put(&store, 1, "Banjir.");
    let alerts = Alerts::new(
        &store,
        AlertsConfig {
            give_up_after: Duration::ZERO,
            ..config(None)
        },
    );
    alerts.match_new().unwrap();
    let report = alerts.deliver_due().unwrap();
    assert_eq!((report.failed, report.retried), (1, 0), "{report:?}");
    let n = &store.notifications(w.id, 0).unwrap()[0];
    assert_eq!(n.status, NotificationStatus::Failed);
    let detail = n.detail.as_deref().unwrap();
    assert!(
        detail.contains("given up") && detail.contains("503"),
        "{detail}"
    );
    assert!(store.pending_notifications(0).unwrap().is_empty());
}

/// A channel whose server accepts and never answers does not hold up another watch's
/// channel: channels are delivered side by side.
#[test]
fn a_hanging_channel_does_not_hold_up_the_others() {
    let hole = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hole_url = format!("http://{}/hook", hole.local_addr().unwrap());
    let (release, released) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        // Holds the first connection open, unanswered, until released.
        let held = hole.accept();
        let _ = released.recv();
        drop(held);
    });
    let hook = FakeServer::start("{}");
    let store = MemoryStore::new();
    add_watch(&store, "macet", "banjir", hook_channel(hole_url));
    add_watch(
        &store,
        "lancar",
        "banjir",
        hook_channel(format!("{}/hook", hook.url)),
    );
    put(&store, 1, "Banjir.");
    let alerts = Alerts::new(
        &store,
        AlertsConfig {
            timeout: Duration::from_secs(60),
            ..config(None)
        },
    );
    alerts.match_new().unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let pass = scope.spawn(|| {
            let r = alerts.deliver_due().unwrap();
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            r
        });
        let start = Instant::now();
        while hook.requests().is_empty() && start.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(
            hook.requests().len(),
            1,
            "the working channel got its story"
        );
        assert!(
            !done.load(std::sync::atomic::Ordering::SeqCst),
            "while the other still waits for an answer"
        );
        release.send(()).unwrap();
        let report = pass.join().unwrap();
        assert_eq!((report.delivered, report.retried), (1, 1), "{report:?}");
    });
}

#[test]
fn webhook_is_signed_retried_with_backoff_and_in_order() {
    let hook = FakeServer::start("{}");
    hook.script(&[(503, String::new()), (500, String::new())]);
    let store = MemoryStore::new();
    let w = add_watch(
        &store,
        "banjir",
        "banjir",
        vec![Channel::Webhook {
            url: format!("{}/hook", hook.url),
            secret: Some("rahasia".into()),
        }],
    );
    let ids: Vec<String> = (1..=3)
        .map(|n| put(&store, n, &format!("Banjir ke-{n}.")))
        .collect();
    let alerts = Alerts::new(&store, config(None));
    drain(&alerts, &store, Duration::from_secs(10));
    let got = hook.requests();
    assert_eq!(got.len(), 5, "two failures, then three deliveries");
    // Backoff: 50 ms, then 100 ms.
    assert!(got[1].at.duration_since(got[0].at) >= Duration::from_millis(45));
    assert!(got[2].at.duration_since(got[1].at) >= Duration::from_millis(95));
    let mut order = Vec::new();
    for r in &got {
        assert_eq!(r.path, "/hook");
        let sig = r.header("x-warta-signature").expect("signed");
        assert!(verify_signature("rahasia", &r.body, sig));
        assert!(!verify_signature("salah", &r.body, sig));
        let body: WebhookBody = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(r.header("x-warta-idempotency-key"), Some(body.key.as_str()));
        assert_eq!(body.watch, "banjir");
        assert_eq!(body.stories.len(), 1);
        order.push(body.stories[0].article_id.clone());
    }
    assert_eq!(order[..3], [ids[0].clone(), ids[0].clone(), ids[0].clone()]);
    assert_eq!(order[2..], ids[..]);
    let sent = store.notifications(w.id, 0).unwrap();
    assert!(
        sent.iter()
            .all(|n| n.status == NotificationStatus::Delivered)
    );
    assert_eq!(sent.last().unwrap().attempts, 3);
}

#[test]
fn webhook_refusal_is_final_and_others_go_on() {
    let hook = FakeServer::start("{}");
    hook.script(&[(410, String::new())]);
    let store = MemoryStore::new();
    let w = add_watch(&store, "banjir", "banjir", hook_channel(hook.url.clone()));
    put(&store, 1, "Banjir satu.");
    put(&store, 2, "Banjir dua.");
    let alerts = Alerts::new(&store, config(None));
    drain(&alerts, &store, Duration::from_secs(5));
    let statuses: Vec<NotificationStatus> = store
        .notifications(w.id, 0)
        .unwrap()
        .into_iter()
        .rev()
        .map(|n| n.status)
        .collect();
    assert_eq!(
        statuses,
        [NotificationStatus::Failed, NotificationStatus::Delivered]
    );
    assert!(hook.requests()[1].header("x-warta-signature").is_none());
}

#[test]
fn a_crash_between_match_and_delivery_loses_nothing() {
    let hook = FakeServer::start("{}");
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String>;
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        add_watch(
            &store,
            "banjir",
            "banjir",
            vec![Channel::Webhook {
                url: hook.url.clone(),
                secret: Some("k".into()),
            }],
        );
        ids = (1..=3)
            .map(|n| put(&store, n, &format!("Banjir ke-{n}.")))
            .collect();
        let alerts = Alerts::new(&store, config(None));
        assert_eq!(alerts.match_new().unwrap().queued, 3);
        // "Crash": the process ends before delivering anything.
    }
    assert!(hook.requests().is_empty());
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        let alerts = Alerts::new(&store, config(None));
        // Matching again after the restart queues nothing twice.
        assert_eq!(alerts.match_new().unwrap().queued, 0);
        let report = alerts.deliver_due().unwrap();
        assert_eq!(report.delivered, 3, "{report:?}");
        assert_eq!(alerts.deliver_due().unwrap(), Default::default());
    }
    let got: Vec<String> = hook
        .requests()
        .iter()
        .map(|r| {
            serde_json::from_slice::<WebhookBody>(&r.body)
                .unwrap()
                .stories[0]
                .article_id
                .clone()
        })
        .collect();
    assert_eq!(got, ids, "each delivered once, in order");
    // Articles matched but not yet queued when the process died are found again: the
    // cursor moves only with the queue.
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        put(&store, 4, "Banjir ke-4.");
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    let alerts = Alerts::new(&store, config(None));
    assert_eq!(alerts.match_new().unwrap().queued, 1);
}

#[test]
fn digest_sends_one_message_per_period() {
    let tg = FakeServer::start(TELEGRAM_OK);
    let hook = FakeServer::start("{}");
    let store = MemoryStore::new();
    store
        .add_watch(
            "harian",
            &WatchSpec {
                query: "banjir".into(),
                channels: vec![
                    Channel::Telegram {
                        chat_id: "5".into(),
                    },
                    Channel::Webhook {
                        url: hook.url.clone(),
                        secret: None,
                    },
                ],
                digest: Some(Digest::Hourly),
                ..WatchSpec::default()
            },
        )
        .unwrap();
    for n in 1..=3 {
        put(&store, n, &format!("Banjir ke-{n}."));
    }
    let alerts = Alerts::new(&store, config(Some(&tg)));
    alerts.match_new().unwrap();
    // Before the hour ends: nothing.
    assert_eq!(alerts.deliver_due().unwrap().sent, 0);
    let report = alerts.deliver_due_at(now_ms() + 3_600_000).unwrap();
    assert_eq!(report.sent, 2);
    assert_eq!(report.delivered, 6);
    let text = tg.requests()[0].json()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("hourly digest, 3 stories"), "{text}");
    assert_eq!(text.matches("\n• ").count(), 3);
    let body: WebhookBody = serde_json::from_slice(&hook.requests()[0].body).unwrap();
    assert_eq!(body.digest.as_deref(), Some("hourly"));
    assert_eq!(body.stories.len(), 3);
    assert!(store.pending_notifications(0).unwrap().is_empty());
}

#[test]
fn atom_feed_is_valid() {
    let store = MemoryStore::new();
    let w = add_watch(&store, "banjir & <co>", "banjir", Vec::new());
    let mut a = sample_article(1, "kompas.com", "2024-03-01", "Banjir <besar>.");
    a.title = Some("Banjir & \"longsor\" <Demak>".into());
    store.put_articles(&[NewArticle::new(a)]).unwrap();
    let newest = put(&store, 2, "Banjir lagi.");
    let alerts = Alerts::new(&store, config(None));
    let report = alerts.match_new().unwrap();
    assert_eq!(
        (report.matches, report.queued),
        (2, 0),
        "no channel: feed only"
    );
    let stories = watch_stories(&store, &w, &[], 0).unwrap();
    let xml = atom_feed(&w, &stories, Some("http://localhost/feeds/banjir.atom"));
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("valid Atom");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.title.unwrap().content, "warta watch: banjir & <co>");
    assert_eq!(feed.entries.len(), 2);
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert!(
        titles.contains(&"Banjir & \"longsor\" <Demak>".to_string()),
        "{titles:?}"
    );
    assert!(feed.entries.iter().all(|e| e.updated.is_some()));
    assert!(
        feed.entries[0].links[0]
            .href
            .starts_with("https://www.kompas.com/")
    );
    assert_eq!(stories[0].watch, "banjir & <co>");
    assert_eq!(stories[0].article_id, newest, "newest first");
}
