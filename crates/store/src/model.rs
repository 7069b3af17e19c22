//! What the store keeps and what it answers, independent of how it keeps it.

use serde::{Deserialize, Serialize};
use warta_core::Article;

/// One article handed to the store by the ingest pipeline, with what the store needs to
/// fold duplicates and to skip unchanged inputs on the next run.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// The analysed record. Its `id` is the key: the same canonical URL always gives the
    /// same id, so a re-ingest updates rather than adds.
    pub article: Article,
    /// When this is a syndicated or exact copy of an article already stored, that
    /// article's id (decided by the dedup stage). Copies are kept, with their URL and
    /// site, but are not searched separately.
    pub duplicate_of: Option<String>,
    /// Near-duplicate fingerprint of the text, kept so later articles can be compared
    /// with this one.
    pub fingerprint: Option<Fingerprint>,
    /// Where the bytes came from (a path, URL or WARC record) and the hash of those raw
    /// bytes: an input seen before with the same hash is skipped before extraction.
    pub input: Option<InputSeen>,
    /// The registered source (feed, sitemap) that led to it, if any.
    pub source_id: Option<i64>,
}

impl NewArticle {
    /// An article with nothing else known about it.
    pub fn new(article: Article) -> Self {
        Self {
            article,
            duplicate_of: None,
            fingerprint: None,
            input: None,
            source_id: None,
        }
    }
}

/// A near-duplicate fingerprint as the store keeps it: opaque to the store except for
/// its lookup keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Hash of the normalised text: equal hashes are exact copies.
    pub exact: u64,
    /// Locality-sensitive lookup keys (one per LSH band, band index mixed in): an
    /// article sharing any key with another is a candidate copy of it.
    pub keys: Vec<u64>,
    /// The full signature, compared by the dedup stage to confirm a candidate.
    pub signature: Vec<u8>,
}

/// A raw input already read: its key (path, URL, `warc:file#offset`) and the hash of
/// its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSeen {
    /// Path, URL or WARC record reference.
    pub key: String,
    /// Hash of the raw bytes (any stable hash; compared for equality only).
    pub hash: String,
}

/// What storing one article did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PutOutcome {
    /// First time this article is stored.
    New,
    /// The article was stored before with different content; the old content is kept as
    /// revision `previous`.
    Updated {
        /// Revision number of the content that was replaced.
        previous: u32,
    },
    /// Stored before with the same content: nothing changed.
    Unchanged,
    /// Stored as a copy of another article.
    Duplicate {
        /// The canonical article's id.
        of: String,
    },
}

/// A stored article: the record plus what the store knows about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredArticle {
    /// The record as analysed (see `docs/article.schema.json`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub article: Article,
    /// Content revision, starting at 1.
    pub revision: u32,
    /// The canonical article this one is a copy of.
    pub duplicate_of: Option<String>,
    /// Copies of this article (when it is canonical).
    pub copies: Vec<Copy>,
    /// When it was first stored (RFC 3339, UTC).
    pub first_seen: String,
    /// When its content last changed (RFC 3339, UTC).
    pub updated: String,
}

/// One syndicated or exact copy of an article, as other outlets ran it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Copy {
    /// The copy's article id.
    pub id: String,
    /// Where the copy was found.
    pub url: Option<String>,
    /// The copy's site (host).
    pub site: Option<String>,
    /// The copy's own headline.
    pub title: Option<String>,
}

/// A short view of an article for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleSummary {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: Option<String>,
    /// Canonical (or fetched) URL.
    pub url: Option<String>,
    /// Site (host).
    pub site: Option<String>,
    /// Publication date as the record gives it.
    pub published: Option<String>,
    /// Language code.
    pub language: String,
    /// The canonical article, when this is a copy.
    pub duplicate_of: Option<String>,
}

/// Which articles a listing returns. Empty filter: all canonical articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleFilter {
    /// Only articles naming this entity id.
    pub entity: Option<String>,
    /// Only articles from this site (host, `www.` ignored).
    pub site: Option<String>,
    /// Only articles in this language.
    pub language: Option<String>,
    /// Only articles quoting this speaker (entity id or name, case-insensitive).
    pub speaker: Option<String>,
    /// Published on or after this date (`YYYY-MM-DD` or a full timestamp).
    pub since: Option<String>,
    /// Published on or before this date (inclusive of the whole day).
    pub until: Option<String>,
    /// Include copies of other articles (default: canonical articles only).
    pub include_copies: bool,
    /// At most this many (0: no limit).
    pub limit: usize,
    /// Skip this many first (newest first order).
    pub offset: usize,
}

/// An entity as the store knows it across articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityRecord {
    /// Stable id (`person:vladimir-putin`, `country:kp`).
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// `person`, `organization`, `place` or `country`.
    pub kind: String,
    /// ISO 3166-1 alpha-2 code, when known.
    pub country: Option<String>,
    /// Canonical articles naming it (not as a photo credit).
    pub articles: u64,
    /// Mentions across those articles.
    pub mentions: u64,
}

/// A quote as stored, with the article it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredQuote {
    /// The article quoting.
    pub article_id: String,
    /// The article's publication date.
    pub published: Option<String>,
    /// The quoted words.
    pub text: String,
    /// The speaker's canonical name, when known.
    pub speaker: Option<String>,
    /// The speaker's entity id, when known.
    pub speaker_entity: Option<String>,
    /// Who the speaker is, as the article describes them.
    pub speaker_description: Option<String>,
    /// True for words in quote marks, false for reported speech.
    pub direct: bool,
}

/// Which quotes a listing returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteFilter {
    /// Speaker entity id or name (case-insensitive, part of the name matches).
    pub speaker: Option<String>,
    /// Words the quote must contain (case-insensitive).
    pub contains: Option<String>,
    /// Only quotes from this article.
    pub article: Option<String>,
    /// At most this many (0: no limit).
    pub limit: usize,
}

/// A candidate copy found by fingerprint keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The stored article's id.
    pub article_id: String,
    /// Its fingerprint.
    pub fingerprint: Fingerprint,
}

/// How a registered source is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// RSS, Atom or JSON feed.
    Feed,
    /// Sitemap or sitemap index.
    Sitemap,
    /// A page whose links are followed.
    Page,
}

impl SourceKind {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Sitemap => "sitemap",
            SourceKind::Page => "page",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "feed" => Some(SourceKind::Feed),
            "sitemap" => Some(SourceKind::Sitemap),
            "page" => Some(SourceKind::Page),
            _ => None,
        }
    }
}

/// A feed, sitemap or page polled on a schedule by `warta run`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Store-assigned id.
    pub id: i64,
    /// The address polled.
    pub url: String,
    /// How it is read.
    pub kind: SourceKind,
    /// Seconds between polls.
    pub every_secs: u64,
    /// `ETag` of the last successful fetch, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified` of the last successful fetch, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// When it was last polled (RFC 3339).
    pub last_polled: Option<String>,
    /// What the last poll gave (`ok`, `not_modified`, or the error).
    pub last_status: Option<String>,
    /// When it was registered (RFC 3339).
    pub added: String,
}

/// What a poll of a source learned, to remember for the next one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourcePoll {
    /// New `ETag`, if the server sent one.
    pub etag: Option<String>,
    /// New `Last-Modified`, if the server sent one.
    pub last_modified: Option<String>,
    /// When the poll happened (RFC 3339).
    pub polled_at: String,
    /// `ok`, `not_modified`, or the error message.
    pub status: String,
}

/// One fetch attempt, for the fetch log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FetchRecord {
    /// The address (or path) read.
    pub url: String,
    /// When (RFC 3339).
    pub at: String,
    /// HTTP status, when there was a response.
    pub status: Option<u16>,
    /// `new`, `updated`, `unchanged`, `duplicate`, `skipped` or `error`.
    pub outcome: String,
    /// The error, for failed fetches.
    pub error: Option<String>,
    /// Bytes received.
    pub bytes: u64,
    /// How long it took, in milliseconds.
    pub millis: u64,
}

/// A full-text hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// Article id.
    pub id: String,
    /// Relevance score (BM25 for the embedded store).
    pub score: f32,
}

/// Store totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// Canonical articles.
    pub articles: u64,
    /// Copies folded into canonical articles.
    pub copies: u64,
    /// Distinct entities.
    pub entities: u64,
    /// Quotes.
    pub quotes: u64,
    /// Registered sources.
    pub sources: u64,
    /// Fetch log entries.
    pub fetches: u64,
}

/// What an integrity check found: empty `problems` means the store is sound.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Totals at the time of the check.
    pub stats: Stats,
    /// Documents in the full-text index.
    pub indexed: u64,
    /// Everything found wrong, one sentence each, with the fix.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// How search results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SearchSort {
    /// Best match first (BM25).
    #[default]
    Relevance,
    /// Newest publication date first.
    Date,
}

/// Words of a query that name an entity: an article naming one of `entities` counts as
/// containing `words`, so "Korut", "North Korea" and "Korea Utara" find the same
/// articles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Expansion {
    /// The words as the query gives them (one or more consecutive words).
    pub words: String,
    /// Entity ids those words name.
    pub entities: Vec<String>,
}

/// `query` with each expansion's words replaced by "these words, or an article naming
/// one of these entities" (`("korut" OR entity:"ID")`), in the query syntax shared by
/// search and watches. Expansions whose words the query does not hold are left out.
pub fn expanded_query(query: &str, expansions: &[Expansion]) -> String {
    let mut words: Vec<String> = query.split_whitespace().map(str::to_string).collect();
    for e in expansions {
        let w: Vec<String> = e.words.split_whitespace().map(str::to_lowercase).collect();
        if w.is_empty() || e.entities.is_empty() {
            continue;
        }
        let Some(start) = (0..words.len()).find(|&i| {
            i + w.len() <= words.len()
                && words[i..i + w.len()]
                    .iter()
                    .zip(&w)
                    .all(|(a, b)| a.to_lowercase() == *b)
        }) else {
            continue;
        };
        let phrase = words[start..start + w.len()]
            .join(" ")
            .replace(['"', '\\'], " ");
        let mut group = format!("(\"{phrase}\"");
        for id in &e.entities {
            group.push_str(&format!(" OR entity:\"{}\"", id.replace(['"', '\\'], "")));
        }
        group.push(')');
        words.splice(start..start + w.len(), [group]);
    }
    words.join(" ")
}

/// A full search: the query, its entity expansions, the filter (with `limit` and
/// `offset` as the page), the order, and whether facets and highlights are wanted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchRequest {
    /// The query as typed: words (all required), `"phrases"`, `AND`, `OR`, `NOT`, `-word`,
    /// parentheses. Empty: every article the filter lets through.
    pub query: String,
    /// Entity names found in the query (see [`Expansion`]); the words of each must
    /// appear in `query` as they are given here.
    pub expansions: Vec<Expansion>,
    /// Restrictions, and the page (`limit`, 0 meaning 20; `offset`).
    pub filter: ArticleFilter,
    /// Order of the hits.
    pub sort: SearchSort,
    /// Count matching articles by language, site, entity and month.
    pub facets: bool,
    /// Give each hit a passage of its text with the matched words marked.
    pub highlights: bool,
}

/// A passage of text with the matched words marked, as character ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Highlight {
    /// The passage (plain text).
    pub text: String,
    /// `[start, end)` character ranges of matched words within `text`.
    pub ranges: Vec<[usize; 2]>,
}

/// One search result with what a result list shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResult {
    /// Article id.
    pub id: String,
    /// Relevance score (0 when sorted by date without a query).
    pub score: f32,
    /// Headline.
    pub title: Option<String>,
    /// Canonical (or fetched) URL.
    pub url: Option<String>,
    /// Site (host).
    pub site: Option<String>,
    /// Publication date as the record gives it.
    pub published: Option<String>,
    /// Language code.
    pub language: String,
    /// The best passage, when highlights were asked for.
    pub highlight: Option<Highlight>,
}

/// One facet value and how many matching articles have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// The value (language code, site, entity id, `YYYY-MM`).
    pub value: String,
    /// Matching articles with it.
    pub count: u64,
}

/// Counts of matching articles by language, site, entity and month, most frequent
/// first (months in calendar order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    /// By language code.
    pub language: Vec<FacetCount>,
    /// By site.
    pub site: Vec<FacetCount>,
    /// By entity id (the 20 most frequent).
    pub entity: Vec<FacetCount>,
    /// By month of publication (`YYYY-MM`), oldest first.
    pub month: Vec<FacetCount>,
}

/// One page of search results.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchPage {
    /// Matching articles in all (not just this page).
    pub total: u64,
    /// This page's hits.
    pub hits: Vec<SearchResult>,
    /// Facets over all matching articles, when asked for.
    pub facets: Option<Facets>,
}

/// How often an entity is named, month by month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// Canonical articles of that month naming it.
    pub articles: u64,
}

/// An entity named in the same articles as another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cooccurrence {
    /// The other entity's id.
    pub id: String,
    /// Its canonical name.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// Canonical articles naming both.
    pub articles: u64,
}
