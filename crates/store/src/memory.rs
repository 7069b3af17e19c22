//! The in-memory twin of the store, for tests of code that writes to or reads from a
//! store. Same behaviour as [`crate::SqliteStore`] (the conformance suite checks both);
//! nothing survives the process.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use warta_core::Article;

use crate::error::{Result, StoreError};
use crate::model::*;
use crate::{Store, days, rows};

mod watches;

#[derive(Debug, Clone)]
struct Entry {
    article: Article,
    seq: u64,
    hash: String,
    revision: u32,
    duplicate_of: Option<String>,
    first_seen: String,
    updated: String,
    fingerprint: Option<Fingerprint>,
    revisions: Vec<(u32, Article)>,
}

#[derive(Debug, Default)]
struct Inner {
    articles: HashMap<String, Entry>,
    seq: u64,
    inputs: HashMap<String, String>,
    sources: BTreeMap<i64, Source>,
    next_source: i64,
    fetch_log: Vec<FetchRecord>,
    watches: watches::WatchTables,
}

/// A store that keeps everything in memory.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn summary(e: &Entry) -> ArticleSummary {
    ArticleSummary {
        id: e.article.id.clone(),
        title: e.article.title.clone(),
        url: rows::display_url(&e.article),
        site: rows::article_site(&e.article),
        published: e.article.published.clone(),
        language: e.article.language.clone(),
        duplicate_of: e.duplicate_of.clone(),
    }
}

fn speaker_matches(q: &warta_core::Quote, speaker: &str) -> bool {
    q.speaker_entity.as_deref() == Some(speaker)
        || q.speaker
            .as_deref()
            .is_some_and(|s| s.to_lowercase().contains(&speaker.to_lowercase()))
}

fn matches(e: &Entry, f: &ArticleFilter) -> bool {
    if !f.include_copies && e.duplicate_of.is_some() {
        return false;
    }
    let a = &e.article;
    if let Some(site) = &f.site
        && rows::article_site(a).as_deref() != Some(rows::site_key(site).as_str())
    {
        return false;
    }
    if let Some(lang) = &f.language
        && &a.language != lang
    {
        return false;
    }
    if let Some(entity) = &f.entity
        && !a.entities.iter().flatten().any(|x| &x.id == entity)
    {
        return false;
    }
    if let Some(speaker) = &f.speaker
        && !a
            .quotes
            .iter()
            .flatten()
            .any(|q| speaker_matches(q, speaker))
    {
        return false;
    }
    let day = rows::published_day(a);
    if let Some(since) = f.since.as_deref().and_then(|s| rows::bound(s, false))
        && day.as_deref().is_none_or(|d| d < since.as_str())
    {
        return false;
    }
    if let Some(until) = f.until.as_deref().and_then(|s| rows::bound(s, true))
        && day.as_deref().is_none_or(|d| d > until.as_str())
    {
        return false;
    }
    true
}

/// Newest first: by publication day (undated last), then by latest change.
fn newest_first(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    let (da, db) = (
        rows::published_day(&a.article),
        rows::published_day(&b.article),
    );
    match (da, db) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then(b.seq.cmp(&a.seq))
}

fn page<T>(items: Vec<T>, offset: usize, limit: usize) -> Vec<T> {
    let it = items.into_iter().skip(offset);
    if limit == 0 {
        it.collect()
    } else {
        it.take(limit).collect()
    }
}

impl Inner {
    fn canonical_of(&self, id: &str) -> String {
        let mut current = id.to_string();
        for _ in 0..8 {
            match self
                .articles
                .get(&current)
                .and_then(|e| e.duplicate_of.clone())
            {
                Some(next) if next != current => current = next,
                _ => break,
            }
        }
        current
    }

    fn entity_record(&self, id: &str) -> Option<EntityRecord> {
        let mut found: Option<EntityRecord> = None;
        let mut seqs: Vec<(u64, &Entry)> = self
            .articles
            .values()
            .map(|e| (e.seq, e))
            .collect::<Vec<_>>();
        seqs.sort_by_key(|(s, _)| *s);
        for (_, e) in seqs {
            for x in e.article.entities.iter().flatten().filter(|x| x.id == id) {
                let rec = found.get_or_insert_with(|| EntityRecord {
                    id: x.id.clone(),
                    name: x.name.clone(),
                    kind: x.kind.as_str().to_string(),
                    country: x.country.clone(),
                    articles: 0,
                    mentions: 0,
                });
                if rec.country.is_none() {
                    rec.country.clone_from(&x.country);
                }
                if e.duplicate_of.is_none() && x.role.as_deref() != Some("credit") {
                    rec.articles += 1;
                    rec.mentions += x.mentions.len() as u64;
                }
            }
        }
        found
    }
}

impl Store for MemoryStore {
    fn put_articles(&self, batch: &[NewArticle]) -> Result<Vec<PutOutcome>> {
        let now = days::now_rfc3339();
        let mut inner = self.inner();
        let mut out = Vec::with_capacity(batch.len());
        for new in batch {
            let a = &new.article;
            let hash = rows::content_hash(a);
            let duplicate_of = match new.duplicate_of.as_deref() {
                Some(d) if d != a.id => {
                    let c = inner.canonical_of(d);
                    (c != a.id).then_some(c)
                }
                _ => None,
            };
            let outcome = match inner.articles.get(&a.id).cloned() {
                Some(old) if old.hash == hash && old.duplicate_of == duplicate_of => {
                    PutOutcome::Unchanged
                }
                Some(mut old) => {
                    inner.seq += 1;
                    let changed = old.hash != hash;
                    let previous = old.revision;
                    if changed {
                        old.revisions.push((old.revision, old.article.clone()));
                        old.revision += 1;
                    }
                    old.article = a.clone();
                    old.hash = hash;
                    old.seq = inner.seq;
                    old.duplicate_of.clone_from(&duplicate_of);
                    old.updated.clone_from(&now);
                    old.fingerprint.clone_from(&new.fingerprint);
                    inner.articles.insert(a.id.clone(), old);
                    match &duplicate_of {
                        Some(of) => PutOutcome::Duplicate { of: of.clone() },
                        None if changed => PutOutcome::Updated { previous },
                        None => PutOutcome::Unchanged,
                    }
                }
                None => {
                    inner.seq += 1;
                    let seq = inner.seq;
                    inner.articles.insert(
                        a.id.clone(),
                        Entry {
                            article: a.clone(),
                            seq,
                            hash,
                            revision: 1,
                            duplicate_of: duplicate_of.clone(),
                            first_seen: now.clone(),
                            updated: now.clone(),
                            fingerprint: new.fingerprint.clone(),
                            revisions: Vec::new(),
                        },
                    );
                    match &duplicate_of {
                        Some(of) => PutOutcome::Duplicate { of: of.clone() },
                        None => PutOutcome::New,
                    }
                }
            };
            if let Some(input) = &new.input {
                inner.inputs.insert(input.key.clone(), input.hash.clone());
            }
            out.push(outcome);
        }
        Ok(out)
    }

    fn article(&self, id: &str) -> Result<Option<StoredArticle>> {
        let inner = self.inner();
        let Some(e) = inner.articles.get(id) else {
            return Ok(None);
        };
        let mut copies: Vec<&Entry> = inner
            .articles
            .values()
            .filter(|c| c.duplicate_of.as_deref() == Some(id))
            .collect();
        copies.sort_by_key(|c| c.seq);
        Ok(Some(StoredArticle {
            article: e.article.clone(),
            revision: e.revision,
            duplicate_of: e.duplicate_of.clone(),
            copies: copies
                .into_iter()
                .map(|c| Copy {
                    id: c.article.id.clone(),
                    url: rows::display_url(&c.article),
                    site: rows::article_site(&c.article),
                    title: c.article.title.clone(),
                })
                .collect(),
            first_seen: e.first_seen.clone(),
            updated: e.updated.clone(),
        }))
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>> {
        let inner = self.inner();
        let mut hits: Vec<&Entry> = inner
            .articles
            .values()
            .filter(|e| matches(e, filter))
            .collect();
        hits.sort_by(|a, b| newest_first(a, b));
        Ok(page(
            hits.into_iter().map(summary).collect(),
            filter.offset,
            filter.limit,
        ))
    }

    fn article_count(&self) -> Result<u64> {
        Ok(self
            .inner()
            .articles
            .values()
            .filter(|e| e.duplicate_of.is_none())
            .count() as u64)
    }

    fn revisions(&self, id: &str) -> Result<Vec<(u32, Article)>> {
        Ok(self
            .inner()
            .articles
            .get(id)
            .map(|e| e.revisions.clone())
            .unwrap_or_default())
    }

    fn input_hash(&self, key: &str) -> Result<Option<String>> {
        Ok(self.inner().inputs.get(key).cloned())
    }

    fn mark_inputs(&self, inputs: &[InputSeen]) -> Result<()> {
        let mut inner = self.inner();
        for i in inputs {
            inner.inputs.insert(i.key.clone(), i.hash.clone());
        }
        Ok(())
    }

    fn duplicate_candidates(&self, fingerprint: &Fingerprint) -> Result<Vec<Candidate>> {
        let inner = self.inner();
        let mut out: Vec<Candidate> = inner
            .articles
            .values()
            .filter(|e| e.duplicate_of.is_none())
            .filter_map(|e| {
                let fp = e.fingerprint.as_ref()?;
                (fp.exact == fingerprint.exact
                    || fp.keys.iter().any(|k| fingerprint.keys.contains(k)))
                .then(|| Candidate {
                    article_id: e.article.id.clone(),
                    fingerprint: fp.clone(),
                })
            })
            .collect();
        out.sort_by(|a, b| a.article_id.cmp(&b.article_id));
        Ok(out)
    }

    fn entity(&self, id: &str) -> Result<Option<EntityRecord>> {
        Ok(self.inner().entity_record(id))
    }

    fn find_entities(&self, name: &str, limit: usize) -> Result<Vec<EntityRecord>> {
        let inner = self.inner();
        let needle = name.to_lowercase();
        let mut ids: Vec<String> = inner
            .articles
            .values()
            .flat_map(|e| e.article.entities.iter().flatten())
            .filter(|x| x.id == name || x.name.to_lowercase().contains(&needle))
            .map(|x| x.id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        let mut found: Vec<EntityRecord> = ids
            .iter()
            .filter_map(|id| inner.entity_record(id))
            .collect();
        found.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));
        Ok(page(found, 0, limit))
    }

    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<StoredQuote>> {
        let inner = self.inner();
        let mut entries: Vec<&Entry> = inner
            .articles
            .values()
            .filter(|e| e.duplicate_of.is_none())
            .filter(|e| filter.article.as_ref().is_none_or(|a| &e.article.id == a))
            .collect();
        entries.sort_by(|a, b| newest_first(a, b));
        let mut out = Vec::new();
        for e in entries {
            for q in e.article.quotes.iter().flatten() {
                if let Some(s) = &filter.speaker
                    && !speaker_matches(q, s)
                {
                    continue;
                }
                if let Some(w) = &filter.contains
                    && !q.text.to_lowercase().contains(&w.to_lowercase())
                {
                    continue;
                }
                out.push(StoredQuote {
                    article_id: e.article.id.clone(),
                    published: e.article.published.clone(),
                    text: q.text.clone(),
                    speaker: q.speaker.clone(),
                    speaker_entity: q.speaker_entity.clone(),
                    speaker_description: q.speaker_description.clone(),
                    direct: q.direct,
                });
            }
        }
        Ok(page(out, 0, filter.limit))
    }

    fn search(&self, query: &str, filter: &ArticleFilter) -> Result<Vec<SearchHit>> {
        let terms = rows::words(query);
        if terms.is_empty() && filter == &ArticleFilter::default() {
            return Ok(Vec::new());
        }
        let inner = self.inner();
        let mut hits: Vec<(f32, u64, String)> = Vec::new();
        for e in inner.articles.values() {
            if e.duplicate_of.is_some() || !matches(e, filter) {
                continue;
            }
            let title = rows::words(e.article.title.as_deref().unwrap_or(""));
            let body = rows::words(&e.article.text);
            let mut score = 0f32;
            let mut all = true;
            for t in &terms {
                let n = 2 * title.iter().filter(|w| *w == t).count()
                    + body.iter().filter(|w| *w == t).count();
                if n == 0 {
                    all = false;
                    break;
                }
                score += (1.0 + n as f32).ln();
            }
            if all {
                hits.push((score, e.seq, e.article.id.clone()));
            }
        }
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        let limit = if filter.limit == 0 { 100 } else { filter.limit };
        Ok(page(hits, filter.offset, limit)
            .into_iter()
            .map(|(score, _, id)| SearchHit { id, score })
            .collect())
    }

    fn add_source(&self, url: &str, kind: SourceKind, every_secs: u64) -> Result<Source> {
        let mut inner = self.inner();
        if let Some(s) = inner.sources.values_mut().find(|s| s.url == url) {
            s.kind = kind;
            s.every_secs = every_secs;
            return Ok(s.clone());
        }
        inner.next_source += 1;
        let source = Source {
            id: inner.next_source,
            url: url.to_string(),
            kind,
            every_secs,
            etag: None,
            last_modified: None,
            last_polled: None,
            last_status: None,
            added: days::now_rfc3339(),
        };
        inner.sources.insert(source.id, source.clone());
        Ok(source)
    }

    fn sources(&self) -> Result<Vec<Source>> {
        Ok(self.inner().sources.values().cloned().collect())
    }

    fn remove_source(&self, id: i64) -> Result<bool> {
        Ok(self.inner().sources.remove(&id).is_some())
    }

    fn record_poll(&self, id: i64, poll: &SourcePoll) -> Result<()> {
        let mut inner = self.inner();
        let Some(s) = inner.sources.get_mut(&id) else {
            return Err(StoreError::Invalid(format!(
                "no source with id {id} (`warta sources list` shows them)"
            )));
        };
        if poll.etag.is_some() {
            s.etag.clone_from(&poll.etag);
        }
        if poll.last_modified.is_some() {
            s.last_modified.clone_from(&poll.last_modified);
        }
        s.last_polled = Some(poll.polled_at.clone());
        s.last_status = Some(poll.status.clone());
        Ok(())
    }

    fn log_fetches(&self, records: &[FetchRecord]) -> Result<()> {
        self.inner().fetch_log.extend_from_slice(records);
        Ok(())
    }

    fn fetch_log(&self, limit: usize) -> Result<Vec<FetchRecord>> {
        let inner = self.inner();
        Ok(page(
            inner.fetch_log.iter().rev().cloned().collect(),
            0,
            limit,
        ))
    }

    fn stats(&self) -> Result<Stats> {
        let inner = self.inner();
        let canonical = || inner.articles.values().filter(|e| e.duplicate_of.is_none());
        let mut entities: Vec<&str> = inner
            .articles
            .values()
            .flat_map(|e| e.article.entities.iter().flatten())
            .map(|x| x.id.as_str())
            .collect();
        entities.sort_unstable();
        entities.dedup();
        Ok(Stats {
            articles: canonical().count() as u64,
            copies: (inner.articles.len() - canonical().count()) as u64,
            entities: entities.len() as u64,
            quotes: canonical()
                .map(|e| e.article.quotes.as_ref().map_or(0, Vec::len) as u64)
                .sum(),
            sources: inner.sources.len() as u64,
            fetches: inner.fetch_log.len() as u64,
        })
    }

    fn check(&self) -> Result<CheckReport> {
        let stats = self.stats()?;
        let inner = self.inner();
        let mut problems = Vec::new();
        for e in inner.articles.values() {
            if let Some(of) = &e.duplicate_of
                && inner
                    .articles
                    .get(of)
                    .is_none_or(|c| c.duplicate_of.is_some())
            {
                problems.push(format!(
                    "copy {} points to no canonical article",
                    e.article.id
                ));
            }
        }
        Ok(CheckReport {
            indexed: stats.articles,
            stats,
            problems,
        })
    }
}
