//! warta's HTTP server: a JSON API and a server-rendered web UI over a [`Store`].
//!
//! The server holds no domain logic: handlers validate parameters, call the store (on
//! the blocking pool: the store is synchronous), and shape the answer. Query
//! understanding (entity names in a query) is [`QueryResolver`], shared with the CLI's
//! `warta search`. Writes (`POST /api/ingest`) go through an [`Ingest`] the caller
//! provides (the CLI wires the extraction and analysis pipeline), and only with the
//! bearer token the server was started with; without a token writes are off.
//!
//! Every error is JSON with a stable `code` ([`ApiError`]); internal failures are logged,
//! never sent. Bodies, page sizes and request time are capped ([`Limits`]). The OpenAPI
//! document at `/api/openapi.json` is generated from the handlers' annotations.

mod api;
mod error;
mod extract;
mod query;
mod svg;
mod ui;
mod watches;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use warta_store::Store;

pub use api::{
    EntitiesParams, EntityDetail, Health, MAX_OFFSET, MAX_PAGE, NamedCount, QueryEntity,
    QuotesParams, SearchFacets, SearchParams, SearchResponse, entity_detail, find_entities,
    find_quotes, run_search,
};
pub use error::{ApiError, ErrorBody, ErrorDetail};
pub use query::{QueryResolver, entity_expansions};
pub use watches::{
    ChannelView, NotificationView, WatchDetail, WatchRequest, WatchView, WebhookRequest,
};

/// What `POST /api/ingest` takes: a page's address (fetched politely) or its HTML.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IngestRequest {
    /// The page's address.
    pub url: Option<String>,
    /// The page's HTML (with `url`'s absence; `base_url` names where it came from).
    pub html: Option<String>,
    /// Where the HTML came from, when `html` is given.
    pub base_url: Option<String>,
}

/// What an ingest did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IngestReport {
    /// `new`, `updated`, `unchanged`, `duplicate` or `skipped`.
    pub outcome: String,
    /// The stored article's id.
    pub id: Option<String>,
    /// Its headline.
    pub title: Option<String>,
    /// Why it was skipped, for `skipped`.
    pub reason: Option<String>,
}

/// Why an ingest gave nothing.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The input is not something to store (no article, unreachable page); the message
    /// is shown to the client.
    #[error("{0}")]
    Rejected(String),
    /// Something failed inside (the store); logged, not shown.
    #[error("{0}")]
    Failed(String),
}

/// Turns a page into a stored article (the CLI provides the real pipeline).
pub trait Ingest: Send + Sync + std::fmt::Debug {
    /// Fetches (for a URL), extracts, analyses and stores one page.
    fn ingest(&self, request: &IngestRequest) -> Result<IngestReport, IngestError>;
}

/// Caps on what one request may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body, in bytes.
    pub body_bytes: usize,
    /// Longest a request may take.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 4 << 20,
            timeout: Duration::from_secs(30),
        }
    }
}

/// What every handler sees.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store.
    pub store: Arc<dyn Store>,
    /// Entity names in queries.
    pub resolver: QueryResolver,
    /// The bearer token writes need; `None`: writes are off.
    pub token: Option<Arc<str>>,
    /// How pages are ingested; `None`: `POST /api/ingest` answers `writes_disabled`.
    pub ingest: Option<Arc<dyn Ingest>>,
    /// Request caps.
    pub limits: Limits,
}

impl AppState {
    /// A read-only server over a store.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            resolver: QueryResolver::new(store.clone()),
            store,
            token: None,
            ingest: None,
            limits: Limits::default(),
        }
    }

    /// Allows writes with this bearer token, through this ingester.
    pub fn with_writes(mut self, token: impl Into<Arc<str>>, ingest: Arc<dyn Ingest>) -> Self {
        self.token = Some(token.into());
        self.ingest = Some(ingest);
        self
    }
}

/// Runs store work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(format!("worker failed: {e}")))?
}

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "warta", description = "Search and read a warta news store."),
    modifiers(&BearerScheme),
    components(schemas(ErrorBody, ErrorDetail))
)]
struct ApiDoc;

/// The API routes and the OpenAPI document they produce.
fn api_router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(api::search))
        .routes(routes!(api::article))
        .routes(routes!(api::entities))
        .routes(routes!(api::entity))
        .routes(routes!(api::quotes))
        .routes(routes!(api::stats))
        .routes(routes!(api::healthz))
        .routes(routes!(api::ingest))
        .routes(routes!(watches::list_watches, watches::add_watch))
        .routes(routes!(watches::get_watch, watches::remove_watch))
        .split_for_parts()
}

/// The OpenAPI document of the API, as served at `/api/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().1
}

/// Caps request time, answers over-time requests with a JSON error, and sets the
/// headers every response carries.
async fn guard(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let mut response = match tokio::time::timeout(limits.timeout, next.run(request)).await {
        Ok(r) => r,
        Err(_) => ApiError::Timeout.into_response(),
    };
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

async fn api_not_found() -> ApiError {
    ApiError::NotFound("route")
}

/// The whole application: API, OpenAPI document, web UI, limits.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api_router();
    let doc = Arc::new(doc);
    let limits = state.limits;
    Router::new()
        .merge(api)
        .route(
            "/api/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { axum::Json((*doc).clone()) }
            }),
        )
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .route("/feeds/{file}", get(watches::feed))
        .merge(ui::routes())
        .fallback(ui::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(middleware::from_fn_with_state(limits, guard))
}

/// Serves the application on `addr` until Ctrl-C.
///
/// # Errors
/// When the address cannot be bound.
pub async fn serve(addr: SocketAddr, state: AppState) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// Binds a listener (`127.0.0.1:0` picks a free port; the listener tells which).
///
/// # Errors
/// When the address cannot be bound.
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

/// Serves on a bound listener until Ctrl-C.
///
/// # Errors
/// When accepting fails.
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
