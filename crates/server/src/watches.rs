//! `/api/watches`: saved queries and where they send (bearer token required: a watch
//! shows channel settings; webhook secrets are never returned), and `/feeds/{watch}.atom`,
//! a watch's matches as an Atom feed.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use warta_store::{Channel, Digest, Notification, StoreError, Watch, WatchSpec};

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, WriteAccess};
use crate::{AppState, blocking};

/// A webhook channel to add.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    /// The `http(s)` address POSTed to.
    pub url: String,
    /// Key of the HMAC-SHA256 signature (`X-Warta-Signature`); unsigned when absent.
    pub secret: Option<String>,
}

/// A watch to add.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchRequest {
    /// Its name (unique; no `/`).
    pub name: String,
    /// Full-text query, as for search; empty: every article passing the filters.
    #[serde(default)]
    pub query: String,
    /// Only articles naming this entity id.
    pub entity: Option<String>,
    /// Only articles in this language.
    pub lang: Option<String>,
    /// Only articles from this site.
    pub site: Option<String>,
    /// Only articles quoting this speaker (entity id or part of the name).
    pub speaker: Option<String>,
    /// Telegram chat ids to send to.
    #[serde(default)]
    pub telegram: Vec<String>,
    /// Webhooks to POST to.
    #[serde(default)]
    pub webhook: Vec<WebhookRequest>,
    /// `hourly` or `daily`: one message per period listing the stories.
    pub digest: Option<String>,
}

/// A channel as shown (secrets left out).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChannelView {
    /// `telegram` or `webhook`.
    pub kind: &'static str,
    /// The Telegram chat id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<String>,
    /// The webhook address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Whether webhook POSTs are signed (the secret itself is never shown).
    pub signed: bool,
}

/// A watch as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WatchView {
    /// Its name.
    pub name: String,
    /// Full-text query.
    pub query: String,
    /// Entity filter.
    pub entity: Option<String>,
    /// Language filter.
    pub lang: Option<String>,
    /// Site filter.
    pub site: Option<String>,
    /// Speaker filter.
    pub speaker: Option<String>,
    /// `hourly`, `daily`, or absent.
    pub digest: Option<String>,
    /// Where it sends.
    pub channels: Vec<ChannelView>,
    /// When it was added (RFC 3339).
    pub created: String,
    /// Its Atom feed.
    pub feed: String,
}

/// A notification as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationView {
    /// Idempotency key.
    pub key: String,
    /// Index of the channel in `channels`.
    pub channel: u32,
    /// The article.
    pub article_id: String,
    /// `pending`, `delivered` or `failed`.
    pub status: &'static str,
    /// Attempts made.
    pub attempts: u32,
    /// When it was queued.
    pub created: String,
    /// When it was delivered or given up.
    pub finished: Option<String>,
    /// The last error, or what the channel answered.
    pub detail: Option<String>,
}

/// A watch with what it sent lately.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WatchDetail {
    /// The watch.
    pub watch: WatchView,
    /// Its latest notifications, newest first (at most 50).
    pub notifications: Vec<NotificationView>,
}

fn view(w: &Watch) -> WatchView {
    let s = &w.spec;
    WatchView {
        name: w.name.clone(),
        query: s.query.clone(),
        entity: s.entity.clone(),
        lang: s.language.clone(),
        site: s.site.clone(),
        speaker: s.speaker.clone(),
        digest: s.digest.map(|d| d.as_str().to_string()),
        channels: s
            .channels
            .iter()
            .map(|c| match c {
                Channel::Telegram { chat_id } => ChannelView {
                    kind: "telegram",
                    chat_id: Some(chat_id.clone()),
                    url: None,
                    signed: false,
                },
                Channel::Webhook { url, secret } => ChannelView {
                    kind: "webhook",
                    chat_id: None,
                    url: Some(url.clone()),
                    signed: secret.is_some(),
                },
            })
            .collect(),
        created: w.created.clone(),
        feed: format!("/feeds/{}.atom", w.name),
    }
}

fn notification_view(n: Notification) -> NotificationView {
    NotificationView {
        key: n.key,
        channel: n.channel,
        article_id: n.article_id,
        status: n.status.as_str(),
        attempts: n.attempts,
        created: n.created,
        finished: n.finished,
        detail: n.detail,
    }
}

fn invalid_body(message: impl Into<String>) -> ApiError {
    ApiError::BadRequest {
        code: "invalid_body",
        message: message.into(),
    }
}

fn spec_of(req: &WatchRequest) -> Result<WatchSpec, ApiError> {
    if req.name.trim().is_empty() || req.name.contains('/') || req.name.chars().count() > 100 {
        return Err(invalid_body(
            "`name` must be 1 to 100 characters, without `/`",
        ));
    }
    let mut channels: Vec<Channel> = req
        .telegram
        .iter()
        .map(|c| Channel::Telegram { chat_id: c.clone() })
        .collect();
    for w in &req.webhook {
        if !(w.url.starts_with("http://") || w.url.starts_with("https://")) {
            return Err(invalid_body(format!(
                "webhook `{}`: give an http:// or https:// URL",
                w.url
            )));
        }
        channels.push(Channel::Webhook {
            url: w.url.clone(),
            secret: w.secret.clone().filter(|s| !s.is_empty()),
        });
    }
    let digest = match req.digest.as_deref() {
        None => None,
        Some("hourly") => Some(Digest::Hourly),
        Some("daily") => Some(Digest::Daily),
        Some(other) => {
            return Err(invalid_body(format!(
                "`digest` is `hourly` or `daily`, not `{other}`"
            )));
        }
    };
    Ok(WatchSpec {
        query: req.query.clone(),
        entity: req.entity.clone(),
        language: req.lang.clone(),
        site: req.site.clone(),
        speaker: req.speaker.clone(),
        channels,
        digest,
    })
}

/// Lists the watches. Needs the bearer token.
#[utoipa::path(get, path = "/api/watches", tag = "watches",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The watches, oldest first", body = Vec<WatchView>),
        (status = 401, description = "No or wrong bearer token", body = ErrorBody),
        (status = 403, description = "The server has no token", body = ErrorBody),
    ))]
pub(crate) async fn list_watches(
    State(state): State<AppState>,
    _access: WriteAccess,
) -> Result<Json<Vec<WatchView>>, ApiError> {
    let store = state.store.clone();
    blocking(move || Ok(Json(store.watches()?.iter().map(view).collect()))).await
}

/// Adds a watch: new articles matching it are sent to its channels and listed in its
/// feed. Needs the bearer token.
#[utoipa::path(post, path = "/api/watches", tag = "watches", request_body = WatchRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = WatchView),
        (status = 400, description = "The body is invalid", body = ErrorBody),
        (status = 401, description = "No or wrong bearer token", body = ErrorBody),
        (status = 403, description = "The server has no token", body = ErrorBody),
        (status = 409, description = "A watch with this name exists", body = ErrorBody),
    ))]
pub(crate) async fn add_watch(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiJson(body): ApiJson<WatchRequest>,
) -> Result<(StatusCode, Json<WatchView>), ApiError> {
    let spec = spec_of(&body)?;
    let store = state.store.clone();
    blocking(move || match store.add_watch(&body.name, &spec) {
        Ok(w) => Ok((StatusCode::CREATED, Json(view(&w)))),
        Err(StoreError::Invalid(m)) => Err(ApiError::Conflict(m)),
        Err(e) => Err(e.into()),
    })
    .await
}

/// One watch with its latest notifications. Needs the bearer token.
#[utoipa::path(get, path = "/api/watches/{name}", tag = "watches",
    security(("bearer" = [])),
    params(("name" = String, Path, description = "The watch's name")),
    responses(
        (status = 200, description = "The watch", body = WatchDetail),
        (status = 401, description = "No or wrong bearer token", body = ErrorBody),
        (status = 403, description = "The server has no token", body = ErrorBody),
        (status = 404, description = "No such watch", body = ErrorBody),
    ))]
pub(crate) async fn get_watch(
    State(state): State<AppState>,
    _access: WriteAccess,
    Path(name): Path<String>,
) -> Result<Json<WatchDetail>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let w = store.watch(&name)?.ok_or(ApiError::NotFound("watch"))?;
        let notifications = store
            .notifications(w.id, 50)?
            .into_iter()
            .map(notification_view)
            .collect();
        Ok(Json(WatchDetail {
            watch: view(&w),
            notifications,
        }))
    })
    .await
}

/// Removes a watch with its queue and feed. Needs the bearer token.
#[utoipa::path(delete, path = "/api/watches/{name}", tag = "watches",
    security(("bearer" = [])),
    params(("name" = String, Path, description = "The watch's name")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No or wrong bearer token", body = ErrorBody),
        (status = 403, description = "The server has no token", body = ErrorBody),
        (status = 404, description = "No such watch", body = ErrorBody),
    ))]
pub(crate) async fn remove_watch(
    State(state): State<AppState>,
    _access: WriteAccess,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        if store.remove_watch(&name)? {
            Ok(StatusCode::NO_CONTENT)
        } else {
            Err(ApiError::NotFound("watch"))
        }
    })
    .await
}

/// `/feeds/{watch}.atom`: the watch's latest 100 matches as Atom 1.0. Shows headlines
/// and links only (no query, no channel settings), so feed readers need no token.
pub(crate) async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let Some(name) = file.strip_suffix(".atom").map(str::to_string) else {
        return Err(ApiError::NotFound("feed"));
    };
    let store = state.store.clone();
    blocking(move || {
        let w = store.watch(&name)?.ok_or(ApiError::NotFound("feed"))?;
        let expansions = state.resolver.expansions(&w.spec.query)?;
        let stories = warta_alerts::watch_stories(store.as_ref(), &w, &expansions, 100)?;
        let xml = warta_alerts::atom_feed(&w, &stories, None);
        Ok((
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            xml,
        )
            .into_response())
    })
    .await
}
