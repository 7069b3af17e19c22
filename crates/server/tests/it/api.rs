//! The JSON API.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use warta_server::{AppState, Ingest, IngestError, IngestReport, IngestRequest, app};

use crate::{fixture_app, get_json, send};

fn ids(v: &Value) -> BTreeSet<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn korut_north_korea_and_korea_utara_find_the_same_articles() {
    let (_dir, app, _) = fixture_app();
    let mut found = Vec::new();
    for q in ["Korut", "North%20Korea", "Korea%20Utara", "korea%20utara"] {
        let (status, v) = get_json(&app, &format!("/api/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["entities"][0]["id"], "country:KP", "{q}: {v}");
        found.push(ids(&v));
    }
    assert_eq!(
        found[0],
        set(&["kim-tiba", "kim-meets-putin", "spy-satellite"])
    );
    assert!(found.iter().all(|f| f == &found[0]), "{found:?}");
}

#[tokio::test]
async fn tertitskiy_finds_his_quotes() {
    let (_dir, app, _) = fixture_app();
    let (_, v) = get_json(&app, "/api/search?q=Tertitskiy").await;
    assert_eq!(ids(&v), set(&["kim-tiba", "kim-meets-putin"]));
    let speakers: BTreeSet<&str> = v["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["speaker"].as_str().unwrap())
        .collect();
    assert_eq!(speakers, BTreeSet::from(["Fyodor Tertitskiy"]));
    assert_eq!(v["quotes"].as_array().unwrap().len(), 2);
    let (_, q) = get_json(&app, "/api/quotes?speaker=Tertitskiy").await;
    assert_eq!(q.as_array().unwrap().len(), 2);
    let (_, q) = get_json(&app, "/api/quotes?speaker=Tertitskiy&q=shells").await;
    assert_eq!(q.as_array().unwrap().len(), 1);
    assert_eq!(q[0]["article_id"], "kim-meets-putin");
}

#[tokio::test]
async fn indonesian_words_match_by_their_root() {
    let (_dir, app, _) = fixture_app();
    // "meluncurkan" and "peluncuran" share the root "luncur".
    let (_, v) = get_json(&app, "/api/search?q=meluncurkan").await;
    assert_eq!(ids(&v), set(&["beras-murah"]));
    // English stemming: "meets" / "meeting".
    let (_, v) = get_json(&app, "/api/search?q=meeting&lang=en").await;
    assert_eq!(ids(&v), set(&["kim-meets-putin"]));
}

#[tokio::test]
async fn phrases_and_boolean_operators() {
    let (_dir, app, _) = fixture_app();
    let (_, v) = get_json(&app, "/api/search?q=%22kereta%20lapis%20baja%22").await;
    assert_eq!(ids(&v), set(&["kim-tiba"]));
    let (_, v) = get_json(&app, "/api/search?q=%22baja%20lapis%22").await;
    assert_eq!(ids(&v), set(&[]));
    let (_, v) = get_json(&app, "/api/search?q=Putin%20AND%20NOT%20spaceport").await;
    assert_eq!(ids(&v), set(&["kim-tiba"]));
    let (_, v) = get_json(&app, "/api/search?q=satellite%20OR%20beras").await;
    assert_eq!(ids(&v), set(&["spy-satellite", "beras-murah"]));
    // Unbalanced syntax is read leniently, not refused.
    let (status, _) = get_json(&app, "/api/search?q=%22kereta%20(").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn filters_narrow_the_results() {
    let (_dir, app, _) = fixture_app();
    let (_, v) = get_json(&app, "/api/search?q=Korut&lang=en").await;
    assert_eq!(ids(&v), set(&["kim-meets-putin", "spy-satellite"]));
    let (_, v) = get_json(&app, "/api/search?q=Korut&site=www.andalpost.test").await;
    assert_eq!(ids(&v), set(&["kim-tiba"]));
    let (_, v) = get_json(&app, "/api/search?q=Korut&since=2023-09-14&until=2023-10").await;
    assert_eq!(ids(&v), set(&["kim-meets-putin"]));
    let (_, v) = get_json(&app, "/api/search?entity=Vladimir%20Putin").await;
    assert_eq!(ids(&v), set(&["kim-tiba", "kim-meets-putin"]));
    let (_, v) = get_json(&app, "/api/search?speaker=Joko").await;
    assert_eq!(ids(&v), set(&["beras-murah"]));
    let (_, v) = get_json(&app, "/api/search?entity=country:KR").await;
    assert_eq!(ids(&v), set(&["spy-satellite"]));
}

#[tokio::test]
async fn facets_highlights_sorting_and_pages() {
    let (_dir, app, _) = fixture_app();
    let (_, v) = get_json(&app, "/api/search?q=Korut").await;
    assert_eq!(v["total"], 3);
    let f = &v["facets"];
    assert_eq!(
        f["language"],
        json!([{"value": "en", "count": 2}, {"value": "id", "count": 1}])
    );
    assert_eq!(
        f["month"],
        json!([{"value": "2023-09", "count": 2}, {"value": "2023-11", "count": 1}])
    );
    let kp = f["entity"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["value"] == "country:KP")
        .unwrap();
    assert_eq!(kp["name"], "North Korea");
    assert_eq!(kp["count"], 3);
    // Highlights mark the matched words.
    let (_, v) = get_json(&app, "/api/search?q=sekutu").await;
    let h = &v["hits"][0]["highlight"];
    let text: Vec<char> = h["text"].as_str().unwrap().chars().collect();
    let r = &h["ranges"][0];
    let marked: String = text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize]
        .iter()
        .collect();
    assert_eq!(marked.to_lowercase(), "sekutu");
    // Newest first, then pages.
    let (_, v) = get_json(&app, "/api/search?q=Korut&sort=date").await;
    let order: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["spy-satellite", "kim-meets-putin", "kim-tiba"]);
    let (_, v) = get_json(&app, "/api/search?q=Korut&sort=date&limit=1&offset=1").await;
    assert_eq!(v["hits"][0]["id"], "kim-meets-putin");
    assert_eq!(v["total"], 3);
    // No query: everything, newest first; copies are not separate hits.
    let (_, v) = get_json(&app, "/api/search?facets=false").await;
    assert_eq!(v["total"], 5);
    assert!(v["facets"].is_null());
}

#[tokio::test]
async fn bad_parameters_are_json_errors_with_a_code() {
    let (_dir, app, _) = fixture_app();
    for uri in [
        "/api/search?q=x&limit=1000",
        "/api/search?q=x&limit=0",
        "/api/search?q=x&offset=999999",
        "/api/search?q=x&since=yesterday",
        "/api/search?q=x&sort=random",
        "/api/search?q=x&limit=abc",
        "/api/entities?limit=500",
    ] {
        let (status, v) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(v["error"]["code"], "invalid_parameter", "{uri}: {v}");
    }
    let (status, v) = get_json(&app, "/api/articles/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
    let (status, v) = get_json(&app, "/api/nothing/here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
}

#[tokio::test]
async fn articles_entities_quotes_and_stats() {
    let (_dir, app, _) = fixture_app();
    let (status, v) = get_json(&app, "/api/articles/kim-tiba").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v["article"]["title"],
        "Kim Jong Un Tiba di Rusia dengan Kereta Lapis Baja"
    );
    assert_eq!(v["copies"][0]["id"], "kim-tiba-copy");
    let (_, v) = get_json(&app, "/api/entities?q=Korut").await;
    assert_eq!(v[0]["id"], "country:KP");
    let (status, v) = get_json(&app, "/api/entities/person:fyodor-tertitskiy").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["entity"]["name"], "Fyodor Tertitskiy");
    assert_eq!(v["quotes"].as_array().unwrap().len(), 2);
    assert_eq!(v["timeline"], json!([{"month": "2023-09", "articles": 2}]));
    let co: Vec<&str> = v["cooccurring"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(
        co.contains(&"country:KP") && co.contains(&"person:vladimir-putin"),
        "{co:?}"
    );
    let (_, v) = get_json(&app, "/api/entities/country:KP").await;
    assert!(v["quotes"].as_array().unwrap().is_empty());
    assert_eq!(v["articles"].as_array().unwrap().len(), 3);
    let (status, _) = get_json(&app, "/api/entities/person:nobody").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, v) = get_json(&app, "/api/stats").await;
    assert_eq!(v["articles"], 5);
    assert_eq!(v["copies"], 1);
    let (status, v) = get_json(&app, "/healthz").await;
    assert_eq!((status, v), (StatusCode::OK, json!({"status": "ok"})));
}

#[derive(Debug)]
struct FakeIngest;

impl Ingest for FakeIngest {
    fn ingest(&self, request: &IngestRequest) -> Result<IngestReport, IngestError> {
        if request.html.as_deref() == Some("") {
            return Err(IngestError::Rejected("no article in the page".into()));
        }
        Ok(IngestReport {
            outcome: "new".into(),
            id: Some("x".into()),
            title: Some("T".into()),
            reason: None,
        })
    }
}

fn post(body: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::post("/api/ingest").header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn writes_need_the_bearer_token() {
    let (_dir, read_only, state) = fixture_app();
    let (status, _, body) = send(&read_only, post(r#"{"html": "<p>x</p>"}"#, Some("t"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("writes_disabled"));

    let mut state: AppState = state.with_writes("s3cret", Arc::new(FakeIngest));
    state.limits.body_bytes = 1024;
    let app = app(state);
    for token in [None, Some("wrong"), Some("s3cret2")] {
        let (status, _, body) = send(&app, post(r#"{"html": "<p>x</p>"}"#, token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert!(body.contains("\"unauthorized\""));
    }
    let (status, _, body) = send(&app, post(r#"{"html": "<p>x</p>"}"#, Some("s3cret"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("\"new\""));
    let (status, _, body) = send(&app, post(r#"{"html": ""}"#, Some("s3cret"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("not_ingested"));
    let (status, _, body) = send(&app, post(r#"{"nope": 1}"#, Some("s3cret"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("invalid_body"));
    let (status, _, body) = send(
        &app,
        post(r#"{"url": "https://a.test", "html": "x"}"#, Some("s3cret")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let big = format!(r#"{{"html": "{}"}}"#, "x".repeat(4096));
    let (status, _, body) = send(&app, post(&big, Some("s3cret"))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("body_too_large"));
}

#[tokio::test]
async fn openapi_document_lists_every_handler() {
    let (_dir, app, _) = fixture_app();
    let (status, v) = get_json(&app, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    let paths: BTreeSet<&str> = v["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        paths,
        BTreeSet::from([
            "/api/search",
            "/api/articles/{id}",
            "/api/entities",
            "/api/entities/{id}",
            "/api/quotes",
            "/api/stats",
            "/healthz",
            "/api/ingest",
            "/api/watches",
            "/api/watches/{name}",
        ])
    );
    assert!(v["paths"]["/api/ingest"]["post"]["security"].is_array());
    let params: Vec<&str> = v["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "q", "lang", "entity", "site", "speaker", "since", "until", "sort", "limit", "offset",
    ] {
        assert!(params.contains(&p), "{p} missing from {params:?}");
    }
    // Every path the document names answers (not the fallback's "route not found").
    for path in [
        "/api/search",
        "/api/stats",
        "/healthz",
        "/api/entities",
        "/api/quotes",
    ] {
        let (status, _) = get_json(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
}
