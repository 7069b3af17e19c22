//! warta-server end to end without a socket (`tower::ServiceExt::oneshot`), and in a
//! real headless browser (`browser`).

mod api;
mod browser;
mod fixtures;
mod ui;
mod watches;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use warta_server::{AppState, app};

/// The application over the fixture store (the directory lives as long as the router).
pub fn fixture_app() -> (tempfile::TempDir, Router, AppState) {
    let (dir, store) = fixtures::store();
    let state = AppState::new(store);
    (dir, app(state.clone()), state)
}

/// Sends one request; returns the status, the headers and the body as text.
pub async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 16 << 20)
        .await
        .unwrap();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

/// GET as JSON.
pub async fn get_json(app: &Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let (status, _, body) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: {e}: {body}"));
    (status, value)
}

/// GET as text.
pub async fn get_text(app: &Router, uri: &str) -> (StatusCode, String) {
    let (status, _, body) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (status, body)
}
