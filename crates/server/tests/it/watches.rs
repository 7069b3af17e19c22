//! `/api/watches` and `/feeds/{watch}.atom`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use warta_alerts::{Alerts, AlertsConfig};
use warta_server::{AppState, Ingest, IngestError, IngestReport, IngestRequest, app};
use warta_store::conformance::sample_article;
use warta_store::{MemoryStore, NewArticle, Store};

use crate::send;

#[derive(Debug)]
struct NoIngest;

impl Ingest for NoIngest {
    fn ingest(&self, _: &IngestRequest) -> Result<IngestReport, IngestError> {
        Err(IngestError::Rejected("not in this test".into()))
    }
}

fn request(method: &str, uri: &str, body: Option<&str>, token: Option<&str>) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if body.is_some() {
        r = r.header(header::CONTENT_TYPE, "application/json");
    }
    r.body(Body::from(body.unwrap_or("").to_string())).unwrap()
}

const WATCH: &str = r#"{"name": "banjir", "query": "banjir OR longsor", "site": "kompas.com",
    "telegram": ["-100200"],
    "webhook": [{"url": "https://example.invalid/hook", "secret": "very-secret"}]}"#;

#[tokio::test]
async fn watches_need_the_token_and_never_show_secrets() {
    let store = Arc::new(MemoryStore::new());
    let read_only = app(AppState::new(store.clone()));
    let (status, _, _) = send(&read_only, request("GET", "/api/watches", None, Some("t"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let app = app(AppState::new(store.clone()).with_writes("tok", Arc::new(NoIngest)));
    for (method, uri, body) in [
        ("GET", "/api/watches", None),
        ("POST", "/api/watches", Some(WATCH)),
        ("GET", "/api/watches/banjir", None),
        ("DELETE", "/api/watches/banjir", None),
    ] {
        for token in [None, Some("wrong")] {
            let (status, _, text) = send(&app, request(method, uri, body, token)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri}: {text}");
        }
    }

    let (status, _, text) = send(
        &app,
        request("POST", "/api/watches", Some(WATCH), Some("tok")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    assert!(!text.contains("very-secret"), "{text}");
    let created: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(created["name"], "banjir");
    assert_eq!(created["channels"][0]["kind"], "telegram");
    assert_eq!(created["channels"][1]["signed"], true);
    assert_eq!(created["feed"], "/feeds/banjir.atom");

    let (status, _, text) = send(
        &app,
        request("POST", "/api/watches", Some(WATCH), Some("tok")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    assert!(text.contains("\"conflict\""));
    let bad = r#"{"name": "x", "webhook": [{"url": "file:///etc/passwd"}]}"#;
    let (status, _, _) = send(
        &app,
        request("POST", "/api/watches", Some(bad), Some("tok")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let bad = r#"{"name": "x", "digest": "weekly"}"#;
    let (status, _, _) = send(
        &app,
        request("POST", "/api/watches", Some(bad), Some("tok")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, _, text) = send(&app, request("GET", "/api/watches", None, Some("tok"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!text.contains("very-secret"));
    let list: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    // A story arrives and is matched: the watch shows its notifications, the feed its entry.
    let a = sample_article(1, "kompas.com", "2024-03-01", "Banjir & longsor di Demak.");
    store.put_articles(&[NewArticle::new(a.clone())]).unwrap();
    Alerts::new(&*store, AlertsConfig::default())
        .match_new()
        .unwrap();
    let (status, _, text) = send(
        &app,
        request("GET", "/api/watches/banjir", None, Some("tok")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(!text.contains("very-secret"));
    let detail: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(detail["notifications"].as_array().unwrap().len(), 2);
    assert_eq!(detail["notifications"][0]["status"], "pending");

    let (status, headers, xml) = send(&app, request("GET", "/feeds/banjir.atom", None, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("valid Atom");
    assert_eq!(feed.entries.len(), 1);
    assert_eq!(
        feed.entries[0].title.as_ref().unwrap().content,
        "Judul berita 1"
    );
    assert!(!xml.contains("very-secret") && !xml.contains("-100200"));
    let (status, _, _) = send(&app, request("GET", "/feeds/nope.atom", None, None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _, _) = send(
        &app,
        request("DELETE", "/api/watches/banjir", None, Some("tok")),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = send(
        &app,
        request("GET", "/api/watches/banjir", None, Some("tok")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = send(
        &app,
        request("DELETE", "/api/watches/banjir", None, Some("tok")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn watches_are_in_the_openapi_document() {
    let doc = serde_json::to_value(warta_server::openapi()).unwrap();
    let paths = &doc["paths"];
    for (path, method) in [
        ("/api/watches", "get"),
        ("/api/watches", "post"),
        ("/api/watches/{name}", "get"),
        ("/api/watches/{name}", "delete"),
    ] {
        assert!(paths[path][method].is_object(), "{path} {method}");
        assert!(
            paths[path][method]["security"].is_array(),
            "{path} {method}"
        );
    }
}
