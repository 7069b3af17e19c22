//! Where warta keeps what it ingested.
//!
//! One [`Store`] trait, two implementations:
//!
//! - [`SqliteStore`], the embedded default: one data directory holding an SQLite database
//!   (`warta.db`: articles with their revisions, entities, mentions, quotes, times,
//!   duplicate fingerprints, sources, the fetch log) and a tantivy full-text index
//!   (`index/`). SQLite is the record; the index is derived from it and can always be
//!   rebuilt ([`SqliteStore::reindex`]).
//! - [`MemoryStore`], an in-memory twin for tests of code that uses a store.
//!
//! [`conformance::run_all`] runs the same behavioural checks against any implementation.
//!
//! # Crash safety
//!
//! Every batch of articles is written in one SQLite transaction (WAL journal), so a
//! crash leaves either all of a batch or none of it. Each write gives the article a new
//! change number (`seq`); the full-text index records, in its commit, the highest change
//! number it has indexed. Opening the store indexes whatever SQLite has beyond that
//! number, so an index that lags after a crash catches up and never holds an article
//! the database does not. Re-running an ingest is idempotent: an article's id comes
//! from its canonical URL (or its content), and an unchanged article is left alone.

pub mod analysis;
mod days;
mod error;
mod memory;
mod model;
mod rows;
mod search;
mod sqlite;
mod stem;
mod twin;
mod watch;

pub mod conformance;

pub use days::{now_rfc3339, rfc3339, rfc3339_secs};
pub use error::{Result, StoreError};
pub use memory::MemoryStore;
pub use model::*;
pub use sqlite::{SCHEMA_VERSION, SqliteStore};
pub use watch::*;

/// The store every sink and query goes through.
///
/// Methods take `&self`: implementations synchronise internally, so one store can be
/// shared by the ingest workers and the HTTP server.
pub trait Store: WatchStore + Send + Sync + std::fmt::Debug {
    /// Stores a batch of articles in one transaction and makes them searchable.
    ///
    /// An article whose id is already stored is updated when its content (title and
    /// text) changed, keeping the old content as a revision, and left alone otherwise.
    /// Articles with `duplicate_of` are stored as copies of that article.
    fn put_articles(&self, batch: &[NewArticle]) -> Result<Vec<PutOutcome>>;

    /// One stored article with its copies, or `None`.
    fn article(&self, id: &str) -> Result<Option<StoredArticle>>;

    /// Articles matching a filter, newest first.
    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>>;

    /// Number of canonical articles (copies not counted).
    fn article_count(&self) -> Result<u64>;

    /// Earlier contents of an article, oldest first, as `(revision, record)`.
    fn revisions(&self, id: &str) -> Result<Vec<(u32, warta_core::Article)>>;

    /// The raw-bytes hash recorded for an input key, if this input was read before.
    fn input_hash(&self, key: &str) -> Result<Option<String>>;

    /// Records that inputs were read (with the hash of their bytes) even though they
    /// gave no article, so the next run can skip them too.
    fn mark_inputs(&self, inputs: &[InputSeen]) -> Result<()>;

    /// Stored canonical articles that may be copies of a text with this fingerprint: the
    /// same exact hash, or any shared lookup key.
    fn duplicate_candidates(&self, fingerprint: &Fingerprint) -> Result<Vec<Candidate>>;

    /// One entity with its totals.
    fn entity(&self, id: &str) -> Result<Option<EntityRecord>>;

    /// Entities whose name contains `name` (case-insensitive), most mentioned first.
    fn find_entities(&self, name: &str, limit: usize) -> Result<Vec<EntityRecord>>;

    /// Quotes matching a filter, newest article first.
    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<StoredQuote>>;

    /// Full-text search (title and text) among canonical articles, best first,
    /// restricted by the filter.
    fn search(&self, query: &str, filter: &ArticleFilter) -> Result<Vec<SearchHit>>;

    /// Registers a feed, sitemap or page to poll every `every_secs` seconds; registering
    /// the same URL again updates its kind and schedule.
    fn add_source(&self, url: &str, kind: SourceKind, every_secs: u64) -> Result<Source>;

    /// All registered sources.
    fn sources(&self) -> Result<Vec<Source>>;

    /// Unregisters a source; false when there was none with this id.
    fn remove_source(&self, id: i64) -> Result<bool>;

    /// Remembers what a poll of a source learned (validators for conditional GET).
    fn record_poll(&self, id: i64, poll: &SourcePoll) -> Result<()>;

    /// Appends to the fetch log.
    fn log_fetches(&self, records: &[FetchRecord]) -> Result<()>;

    /// The latest fetch log entries, newest first.
    fn fetch_log(&self, limit: usize) -> Result<Vec<FetchRecord>>;

    /// Totals.
    fn stats(&self) -> Result<Stats>;

    /// Checks the store's integrity and reports what is wrong.
    fn check(&self) -> Result<CheckReport>;

    /// One page of a full search: hits with what a result list shows, the total, and
    /// optionally facets and highlighted passages. Entity expansions widen the query
    /// (see [`Expansion`]).
    ///
    /// The provided implementation builds on [`Store::search`] and [`Store::article`];
    /// a backend with its own index answers it directly.
    ///
    /// # Errors
    /// [`StoreError::Query`] for a query that cannot be parsed.
    fn search_page(&self, request: &SearchRequest) -> Result<SearchPage> {
        twin::search_page(self, request)
    }

    /// Ids of entities called exactly `name` (any case): by canonical name, or by the
    /// words some article used for them (`Korut`, `Tertitskiy`). Most mentioned first.
    fn entities_named(&self, name: &str) -> Result<Vec<String>> {
        twin::entities_named(self, name)
    }

    /// Canonical names of the given entity ids, as `(id, name)`; unknown ids are left out.
    fn entity_names(&self, ids: &[String]) -> Result<Vec<(String, String)>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(e) = self.entity(id)? {
                out.push((e.id, e.name));
            }
        }
        Ok(out)
    }

    /// Canonical articles naming an entity, month by month (oldest first; articles
    /// without a date are left out).
    fn entity_timeline(&self, id: &str) -> Result<Vec<MonthCount>> {
        twin::entity_timeline(self, id)
    }

    /// Entities named in the same canonical articles as `id`, most shared articles
    /// first (photo credits left out).
    fn cooccurring(&self, id: &str, limit: usize) -> Result<Vec<Cooccurrence>> {
        twin::cooccurring(self, id, limit)
    }
}
