//! The JSON API: thin handlers over the store, each documented for the OpenAPI document.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use warta_store::{
    ArticleFilter, ArticleSummary, Cooccurrence, EntityRecord, FacetCount, MonthCount, QuoteFilter,
    SearchRequest, SearchResult, SearchSort, Stats, StoredArticle, StoredQuote,
};

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, WriteAccess};
use crate::{AppState, IngestError, IngestReport, IngestRequest, blocking};

/// Most hits one page of search results holds.
pub const MAX_PAGE: usize = 100;
/// Deepest offset a search may ask for.
pub const MAX_OFFSET: usize = 10_000;

/// Parameters of a search (`GET /api/search`).
#[derive(Debug, Default, Clone, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query: words (all required), `"phrases"`, `AND`, `OR`, `NOT`, `-word`,
    /// parentheses. Entity names ("Korut", "North Korea") also find articles naming the
    /// entity however they wrote it. Empty: all articles, newest first.
    #[serde(default)]
    pub q: String,
    /// Only articles in this language (`id`, `en`, …).
    pub lang: Option<String>,
    /// Only articles naming this entity (an id such as `country:KP`, or a name).
    pub entity: Option<String>,
    /// Only articles from this site.
    pub site: Option<String>,
    /// Only articles quoting this speaker (entity id or part of the name).
    pub speaker: Option<String>,
    /// Published on or after (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub since: Option<String>,
    /// Published on or before (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub until: Option<String>,
    /// `relevance` (default) or `date`.
    pub sort: Option<SearchSort>,
    /// Hits per page (1–100, default 20).
    pub limit: Option<usize>,
    /// Hits to skip (at most 10,000).
    pub offset: Option<usize>,
    /// Count matches by language, site, entity and month (default true).
    pub facets: Option<bool>,
    /// A passage of each hit with the matched words marked (default true).
    pub highlights: Option<bool>,
}

/// A count with a display name (entity facets).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NamedCount {
    /// The entity id.
    pub value: String,
    /// Its canonical name.
    pub name: String,
    /// Matching articles naming it.
    pub count: u64,
}

/// Facets of a search.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SearchFacets {
    /// By language.
    pub language: Vec<FacetCount>,
    /// By site.
    pub site: Vec<FacetCount>,
    /// By entity (the 20 most frequent).
    pub entity: Vec<NamedCount>,
    /// By month (`YYYY-MM`), oldest first.
    pub month: Vec<FacetCount>,
}

/// An entity the query was understood to name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueryEntity {
    /// The words of the query.
    pub words: String,
    /// The entity id.
    pub id: String,
    /// Its canonical name.
    pub name: String,
}

/// One page of search results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The query as given.
    pub query: String,
    /// Matching articles in all.
    pub total: u64,
    /// Hits skipped.
    pub offset: usize,
    /// Page size.
    pub limit: usize,
    /// This page.
    pub hits: Vec<SearchResult>,
    /// Counts over all matches (unless `facets=false`).
    pub facets: Option<SearchFacets>,
    /// Entities the query names (its words also match articles naming them).
    pub entities: Vec<QueryEntity>,
    /// Quotes by the people the query names (at most 10).
    pub quotes: Vec<StoredQuote>,
}

fn check_date(name: &str, value: &Option<String>) -> Result<(), ApiError> {
    if let Some(v) = value {
        let ok = matches!(v.len(), 4 | 7 | 10)
            && v.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !ok {
            return Err(ApiError::invalid(format!(
                "{name} must be a date: YYYY-MM-DD, YYYY-MM or YYYY"
            )));
        }
    }
    Ok(())
}

/// Runs a search as the API and the UI do: validates, resolves entity names, searches,
/// names the facets, adds the quotes of people the query names.
pub fn run_search(state: &AppState, p: &SearchParams) -> Result<SearchResponse, ApiError> {
    let limit = p.limit.unwrap_or(20);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::invalid(format!("limit must be 1 to {MAX_PAGE}")));
    }
    let offset = p.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(ApiError::invalid(format!(
            "offset must be at most {MAX_OFFSET}"
        )));
    }
    if p.q.len() > 1000 {
        return Err(ApiError::invalid("q must be at most 1000 bytes"));
    }
    let blank = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
    check_date("since", &blank(&p.since))?;
    check_date("until", &blank(&p.until))?;
    let entity = match blank(&p.entity) {
        Some(e) if !e.contains(':') => {
            Some(state.resolver.lookup(&e)?.into_iter().next().unwrap_or(e))
        }
        other => other,
    };
    let request = state.resolver.request(SearchRequest {
        query: p.q.trim().to_string(),
        filter: ArticleFilter {
            entity,
            site: blank(&p.site),
            language: blank(&p.lang),
            speaker: blank(&p.speaker),
            since: blank(&p.since),
            until: blank(&p.until),
            limit,
            offset,
            ..ArticleFilter::default()
        },
        sort: p.sort.unwrap_or_default(),
        facets: p.facets.unwrap_or(true),
        highlights: p.highlights.unwrap_or(true),
        ..SearchRequest::default()
    })?;
    let page = state.store.search_page(&request)?;
    let mut wanted: Vec<String> = request
        .expansions
        .iter()
        .flat_map(|e| e.entities.iter().cloned())
        .collect();
    if let Some(f) = &page.facets {
        wanted.extend(f.entity.iter().map(|c| c.value.clone()));
    }
    let names: HashMap<String, String> = state.resolver.names(&wanted)?.into_iter().collect();
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let entities: Vec<QueryEntity> = request
        .expansions
        .iter()
        .flat_map(|e| {
            e.entities.iter().map(|id| QueryEntity {
                words: e.words.clone(),
                id: id.clone(),
                name: name(id),
            })
        })
        .collect();
    let mut quotes = Vec::new();
    for e in entities.iter().filter(|e| e.id.starts_with("person:")) {
        quotes.extend(state.resolver.quotes_by(&e.id)?);
    }
    quotes.truncate(10);
    Ok(SearchResponse {
        query: p.q.clone(),
        total: page.total,
        offset,
        limit,
        hits: page.hits,
        facets: page.facets.map(|f| SearchFacets {
            language: f.language,
            site: f.site,
            entity: f
                .entity
                .into_iter()
                .map(|c| NamedCount {
                    name: name(&c.value),
                    value: c.value,
                    count: c.count,
                })
                .collect(),
            month: f.month,
        }),
        entities,
        quotes,
    })
}

/// Full-text search over title and text, with filters, facets and highlights.
#[utoipa::path(get, path = "/api/search", tag = "search", params(SearchParams),
    responses(
        (status = 200, description = "One page of results", body = SearchResponse),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub(crate) async fn search(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, ApiError> {
    blocking(move || run_search(&state, &p)).await.map(Json)
}

/// One stored article: the full record, its revision, and its copies.
#[utoipa::path(get, path = "/api/articles/{id}", tag = "articles",
    params(("id" = String, Path, description = "Article id")),
    responses(
        (status = 200, description = "The article", body = StoredArticle),
        (status = 404, description = "No such article", body = ErrorBody),
    ))]
pub(crate) async fn article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<StoredArticle>, ApiError> {
    blocking(move || {
        state
            .store
            .article(&id)?
            .ok_or(ApiError::NotFound("article"))
    })
    .await
    .map(Json)
}

/// Parameters of `GET /api/entities`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntitiesParams {
    /// Part of a name, an alias (`Korut`) or an id.
    #[serde(default)]
    pub q: String,
    /// At most this many (1–100, default 20).
    pub limit: Option<usize>,
}

/// Finds entities by name, alias or id, most mentioned first.
pub fn find_entities(
    state: &AppState,
    q: &str,
    limit: usize,
) -> Result<Vec<EntityRecord>, ApiError> {
    let mut out: Vec<EntityRecord> = Vec::new();
    if !q.trim().is_empty() {
        for id in state.resolver.lookup(q.trim())? {
            if let Some(e) = state.store.entity(&id)? {
                out.push(e);
            }
        }
    }
    for e in state.store.find_entities(q.trim(), limit)? {
        if !out.iter().any(|x| x.id == e.id) {
            out.push(e);
        }
    }
    out.truncate(limit);
    Ok(out)
}

/// Entities whose name contains the words, or that an alias names.
#[utoipa::path(get, path = "/api/entities", tag = "entities", params(EntitiesParams),
    responses(
        (status = 200, description = "Matching entities", body = Vec<EntityRecord>),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub(crate) async fn entities(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<EntitiesParams>,
) -> Result<Json<Vec<EntityRecord>>, ApiError> {
    let limit = p.limit.unwrap_or(20);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::invalid(format!("limit must be 1 to {MAX_PAGE}")));
    }
    blocking(move || find_entities(&state, &p.q, limit))
        .await
        .map(Json)
}

/// An entity with its articles over time, co-occurring entities and quotes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityDetail {
    /// The entity with its totals.
    pub entity: EntityRecord,
    /// Articles naming it, month by month.
    pub timeline: Vec<MonthCount>,
    /// Entities named in the same articles (the 20 most shared).
    pub cooccurring: Vec<Cooccurrence>,
    /// Quotes by it (people; the 50 newest).
    pub quotes: Vec<StoredQuote>,
    /// The 20 newest articles naming it.
    pub articles: Vec<ArticleSummary>,
}

/// Everything the entity view shows.
pub fn entity_detail(state: &AppState, id: &str) -> Result<EntityDetail, ApiError> {
    let entity = state
        .store
        .entity(id)?
        .ok_or(ApiError::NotFound("entity"))?;
    let quotes = if entity.kind == "person" {
        state.store.quotes(&QuoteFilter {
            speaker: Some(entity.id.clone()),
            limit: 50,
            ..QuoteFilter::default()
        })?
    } else {
        Vec::new()
    };
    Ok(EntityDetail {
        timeline: state.store.entity_timeline(id)?,
        cooccurring: state.store.cooccurring(id, 20)?,
        articles: state.store.articles(&ArticleFilter {
            entity: Some(entity.id.clone()),
            limit: 20,
            ..ArticleFilter::default()
        })?,
        quotes,
        entity,
    })
}

/// One entity: its totals, articles per month, co-occurring entities, and quotes.
#[utoipa::path(get, path = "/api/entities/{id}", tag = "entities",
    params(("id" = String, Path, description = "Entity id, e.g. `country:KP`")),
    responses(
        (status = 200, description = "The entity", body = EntityDetail),
        (status = 404, description = "No such entity", body = ErrorBody),
    ))]
pub(crate) async fn entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EntityDetail>, ApiError> {
    blocking(move || entity_detail(&state, &id)).await.map(Json)
}

/// Parameters of `GET /api/quotes`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuotesParams {
    /// Speaker: entity id or part of the name.
    pub speaker: Option<String>,
    /// Words the quote contains.
    pub q: Option<String>,
    /// At most this many (1–100, default 50).
    pub limit: Option<usize>,
}

/// Quotes by speaker and words, newest article first.
pub fn find_quotes(state: &AppState, p: &QuotesParams) -> Result<Vec<StoredQuote>, ApiError> {
    let limit = p.limit.unwrap_or(50);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::invalid(format!("limit must be 1 to {MAX_PAGE}")));
    }
    let blank = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
    Ok(state.store.quotes(&QuoteFilter {
        speaker: blank(&p.speaker),
        contains: blank(&p.q),
        limit,
        ..QuoteFilter::default()
    })?)
}

/// Quotes, by speaker and words.
#[utoipa::path(get, path = "/api/quotes", tag = "quotes", params(QuotesParams),
    responses(
        (status = 200, description = "Matching quotes", body = Vec<StoredQuote>),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub(crate) async fn quotes(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<QuotesParams>,
) -> Result<Json<Vec<StoredQuote>>, ApiError> {
    blocking(move || find_quotes(&state, &p)).await.map(Json)
}

/// Store totals.
#[utoipa::path(get, path = "/api/stats", tag = "store",
    responses((status = 200, description = "Totals", body = Stats)))]
pub(crate) async fn stats(State(state): State<AppState>) -> Result<Json<Stats>, ApiError> {
    blocking(move || Ok(state.store.stats()?)).await.map(Json)
}

/// Liveness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: &'static str,
}

/// The server is up.
#[utoipa::path(get, path = "/healthz", tag = "store",
    responses((status = 200, description = "Up", body = Health)))]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Ingests one page (by URL, fetched politely, or its HTML). Needs the bearer token.
#[utoipa::path(post, path = "/api/ingest", tag = "store", request_body = IngestRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What storing it did", body = IngestReport),
        (status = 400, description = "The body is invalid", body = ErrorBody),
        (status = 401, description = "No or wrong bearer token", body = ErrorBody),
        (status = 403, description = "Writes are disabled", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "No article in the page", body = ErrorBody),
    ))]
pub(crate) async fn ingest(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiJson(body): ApiJson<IngestRequest>,
) -> Result<Json<IngestReport>, ApiError> {
    match (&body.url, &body.html) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(ApiError::BadRequest {
                code: "invalid_body",
                message: "give either `url` or `html`".into(),
            });
        }
        _ => {}
    }
    let Some(ingester) = state.ingest.clone() else {
        return Err(ApiError::WritesDisabled);
    };
    let resolver = state.resolver.clone();
    blocking(move || {
        let report = ingester.ingest(&body).map_err(|e| match e {
            IngestError::Rejected(message) => ApiError::NotIngested(message),
            IngestError::Failed(detail) => ApiError::Internal(detail),
        })?;
        resolver.clear();
        Ok(report)
    })
    .await
    .map(Json)
}
