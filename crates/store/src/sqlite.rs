//! The embedded default store: SQLite for the record, tantivy for full text, in one
//! data directory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};
use warta_core::Article;

use crate::error::{Result, StoreError};
use crate::model::*;
use crate::search::{FullText, INDEX_VERSION, IndexDoc};
use crate::{Store, days, rows};

mod watches;

/// The newest schema version this build writes. Each version is one entry of
/// `MIGRATIONS`, applied in order in its own transaction; `PRAGMA user_version` records
/// how many have been applied.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_mention_names.sql"),
    include_str!("migrations/0003_watches.sql"),
    include_str!("migrations/0004_stories_when_sent.sql"),
];

/// Name of the database file inside the data directory.
const DB_FILE: &str = "warta.db";
/// Name of the full-text index directory inside the data directory.
const INDEX_DIR: &str = "index";

/// The embedded store: `DIR/warta.db` (SQLite, WAL journal) and `DIR/index/` (tantivy).
pub struct SqliteStore {
    dir: PathBuf,
    conn: Mutex<Connection>,
    /// A second connection for lookups made while a batch is being written (WAL lets
    /// it read the last committed state without waiting for the writer).
    reader: Mutex<Connection>,
    text: FullText,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("dir", &self.dir)
            .finish()
    }
}

fn open_error(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Open {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

impl SqliteStore {
    /// Opens the store in `dir`, creating it (and migrating an older schema) as needed,
    /// and brings the full-text index up to date with the database.
    ///
    /// # Errors
    /// [`StoreError::Open`] when the directory or database cannot be opened,
    /// [`StoreError::TooNew`] for a store written by a newer warta.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Open {
            path: dir.clone(),
            source,
        })?;
        let mut conn = Connection::open(dir.join(DB_FILE)).map_err(|e| open_error(&dir, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 64 MB of page cache instead of SQLite's 2 MB: a batch of articles, or of
        // watch matches, touches pages all over its indexes, and with the default cache
        // the transaction spills dirty pages to the WAL and reads them back.
        conn.pragma_update(None, "cache_size", -65_536)?;
        migrate(&mut conn, &dir)?;
        let index_version: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'index_version'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let fresh = index_version.as_deref() != Some(&INDEX_VERSION.to_string());
        let text = FullText::open(&dir.join(INDEX_DIR), fresh)?;
        if fresh {
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('index_version', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [INDEX_VERSION.to_string()],
            )?;
        }
        let reader = Connection::open_with_flags(
            dir.join(DB_FILE),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(&dir, e))?;
        reader.busy_timeout(std::time::Duration::from_secs(30))?;
        let store = Self {
            dir,
            conn: Mutex::new(conn),
            reader: Mutex::new(reader),
            text,
        };
        match store.catch_up() {
            Ok(_) | Err(StoreError::Locked { .. }) => {}
            Err(e) => return Err(e),
        }
        Ok(store)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Rebuilds the full-text index from the database; returns the number of articles
    /// indexed.
    ///
    /// # Errors
    /// [`StoreError::Locked`] when another process is writing the store.
    pub fn reindex(&self) -> Result<u64> {
        self.text.clear()?;
        self.index_since(0, true)
    }

    /// Indexes every article written after the index's last commit.
    fn catch_up(&self) -> Result<u64> {
        let from = self.text.indexed_seq()?;
        let max: i64 =
            self.conn()
                .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
                    r.get(0)
                })?;
        if max <= from {
            return Ok(0);
        }
        self.index_since(from, false)
    }

    fn index_since(&self, from: i64, force_commit: bool) -> Result<u64> {
        const CHUNK: i64 = 500;
        let mut cursor = from;
        let mut count = 0u64;
        loop {
            let chunk: Vec<(String, i64, Option<String>, String)> = {
                let conn = self.conn();
                let mut stmt = conn.prepare_cached(
                    "SELECT a.id, a.seq, a.duplicate_of, r.record
                     FROM articles a JOIN records r ON r.article_id = a.id
                     WHERE a.seq > ?1 ORDER BY a.seq LIMIT ?2",
                )?;
                stmt.query_map(params![cursor, CHUNK], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<std::result::Result<_, _>>()?
            };
            let Some(last) = chunk.last().map(|c| c.1) else {
                if force_commit {
                    self.text.apply(&[], &[], cursor)?;
                }
                return Ok(count);
            };
            let mut remove = Vec::new();
            let mut articles = Vec::new();
            for (id, _, dup, record) in &chunk {
                if dup.is_some() {
                    remove.push(id.as_str());
                    continue;
                }
                let article: Article =
                    serde_json::from_str(record).map_err(|e| StoreError::Corrupt {
                        id: id.clone(),
                        message: e.to_string(),
                    })?;
                articles.push(article);
            }
            let sites: Vec<Option<String>> = articles.iter().map(rows::article_site).collect();
            let days: Vec<Option<String>> = articles.iter().map(rows::published_day).collect();
            let docs: Vec<IndexDoc<'_>> = articles
                .iter()
                .zip(sites.iter().zip(&days))
                .map(|(article, (site, day))| IndexDoc {
                    article,
                    site: site.as_deref(),
                    day: day.as_deref(),
                })
                .collect();
            self.text.apply(&remove, &docs, last)?;
            count += docs.len() as u64;
            cursor = last;
        }
    }
}

fn migrate(conn: &mut Connection, dir: &Path) -> Result<()> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: dir.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        tx.commit()?;
    }
    Ok(())
}

fn like_pattern(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// SQLite's `LIMIT` for a listing limit (0: no limit, which SQLite spells -1).
fn sql_limit(limit: usize) -> i64 {
    if limit == 0 { -1 } else { limit as i64 }
}

/// The condition "quote `q` is by `speaker`" (entity id, or part of the name), with its
/// two parameters appended to `args`. The part of the name is looked for in the index
/// of speaker names (the subquery reads only that index) and the quotes are then found
/// through it, so the quotes table itself is never scanned.
fn speaker_clause(args: &mut Vec<String>, speaker: &str) -> String {
    args.push(speaker.to_string());
    args.push(like_pattern(speaker));
    let (exact, part) = (args.len() - 1, args.len());
    format!(
        "(q.speaker_entity = ?{exact}
          OR q.speaker COLLATE NOCASE IN
             (SELECT speaker FROM quotes WHERE speaker LIKE ?{part} ESCAPE '\\'))"
    )
}

fn keys_blob(keys: &[u64]) -> Vec<u8> {
    keys.iter().flat_map(|k| k.to_le_bytes()).collect()
}

fn keys_from_blob(blob: &[u8]) -> Vec<u64> {
    blob.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect()
}

/// Follows `duplicate_of` from `id` to the canonical article (at most a few hops).
fn canonical_of(tx: &Transaction<'_>, id: &str) -> Result<String> {
    let mut current = id.to_string();
    for _ in 0..8 {
        let next: Option<Option<String>> = tx
            .query_row(
                "SELECT duplicate_of FROM articles WHERE id = ?1",
                [&current],
                |r| r.get(0),
            )
            .optional()?;
        match next.flatten() {
            Some(n) if n != current => current = n,
            _ => break,
        }
    }
    Ok(current)
}

/// Writes an article's full record.
fn write_record(tx: &Transaction<'_>, id: &str, record: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO records(article_id, record) VALUES (?1, ?2)
         ON CONFLICT(article_id) DO UPDATE SET record = excluded.record",
    )?
    .execute(params![id, record])?;
    Ok(())
}

/// Writes the rows derived from one article (entities, mentions, quotes, times,
/// fingerprint; lookup keys only for a canonical article), replacing any earlier ones.
/// Writes the rows derived from an article: its entity links, mentions, quotes and
/// times (canonical articles only: a copy is found through its canonical article,
/// and its own record keeps them for export) and its fingerprint (lookup keys for
/// canonical articles only). Rows of an earlier version are removed first when the
/// article `existed`.
fn write_children(
    tx: &Transaction<'_>,
    new: &NewArticle,
    canonical: bool,
    existed: bool,
) -> Result<()> {
    let a = &new.article;
    if existed {
        for table in [
            "article_entities",
            "mentions",
            "quotes",
            "times",
            "fingerprint_keys",
            "fingerprints",
        ] {
            tx.prepare_cached(&format!("DELETE FROM {table} WHERE article_id = ?1"))?
                .execute([&a.id])?;
        }
    }
    if canonical {
        write_analysis(tx, a)?;
    }
    if let Some(fp) = &new.fingerprint {
        tx.prepare_cached(
            "INSERT INTO fingerprints(article_id, exact, keys, signature) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            a.id,
            fp.exact as i64,
            keys_blob(&fp.keys),
            fp.signature
        ])?;
        let mut ins_key = tx.prepare_cached(
            "INSERT OR IGNORE INTO fingerprint_keys(key, article_id) VALUES (?1, ?2)",
        )?;
        if canonical {
            for k in &fp.keys {
                ins_key.execute(params![*k as i64, a.id])?;
            }
        }
    }
    Ok(())
}

/// Writes an article's entity links, mentions, quotes and times.
fn write_analysis(tx: &Transaction<'_>, a: &warta_core::Article) -> Result<()> {
    let mut ins_entity = tx.prepare_cached(
        "INSERT INTO entities(id, name, kind, country) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET country = COALESCE(entities.country, excluded.country)",
    )?;
    let mut ins_link = tx.prepare_cached(
        "INSERT INTO article_entities(article_id, entity_id, role, mentions) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(article_id, entity_id) DO UPDATE SET mentions = mentions + excluded.mentions",
    )?;
    let mut ins_mention = tx.prepare_cached(
        "INSERT INTO mentions(article_id, entity_id, field, start, end, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for e in a.entities.iter().flatten() {
        ins_entity.execute(params![e.id, e.name, e.kind.as_str(), e.country])?;
        ins_link.execute(params![a.id, e.id, e.role, e.mentions.len() as i64])?;
        for m in &e.mentions {
            ins_mention.execute(params![
                a.id,
                e.id,
                m.field,
                m.start as i64,
                m.end as i64,
                m.text
            ])?;
        }
    }
    let mut ins_quote = tx.prepare_cached(
        "INSERT INTO quotes(article_id, n, text, speaker, speaker_entity, description, direct,
                            cue, start, end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (n, q) in a.quotes.iter().flatten().enumerate() {
        ins_quote.execute(params![
            a.id,
            n as i64,
            q.text,
            q.speaker,
            q.speaker_entity,
            q.speaker_description,
            q.direct,
            q.cue,
            q.start as i64,
            q.end as i64
        ])?;
    }
    let mut ins_time = tx.prepare_cached(
        "INSERT INTO times(article_id, n, text, value, kind, start, end, first_day, last_day)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (n, t) in a.times.iter().flatten().enumerate() {
        let range = days::day_range(&t.value);
        ins_time.execute(params![
            a.id,
            n as i64,
            t.text,
            t.value,
            t.kind,
            t.start as i64,
            t.end as i64,
            range.map(|r| days::format_day(r.0)),
            range.map(|r| days::format_day(r.1)),
        ])?;
    }
    Ok(())
}

impl Store for SqliteStore {
    fn put_articles(&self, batch: &[NewArticle]) -> Result<Vec<PutOutcome>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        self.text.ensure_writer()?;
        let now = days::now_rfc3339();
        let mut outcomes = Vec::with_capacity(batch.len());
        // (index in batch, canonical?) of every article whose row changed.
        let mut changed: Vec<(usize, bool)> = Vec::new();
        let (seq_before, seq_after) = {
            let mut conn = self.conn();
            let tx = conn.transaction()?;
            let seq_before: i64 =
                tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
                    r.get(0)
                })?;
            let mut seq = seq_before;
            for (i, new) in batch.iter().enumerate() {
                let a = &new.article;
                let hash = rows::content_hash(a);
                let duplicate_of = match new.duplicate_of.as_deref() {
                    Some(d) if d != a.id => {
                        let c = canonical_of(&tx, d)?;
                        (c != a.id).then_some(c)
                    }
                    _ => None,
                };
                let existing: Option<(u32, String, Option<String>, String)> = tx
                    .prepare_cached(
                        "SELECT a.revision, a.content_hash, a.duplicate_of, r.record
                         FROM articles a JOIN records r ON r.article_id = a.id WHERE a.id = ?1",
                    )?
                    .query_row([&a.id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })
                    .optional()?;
                let record = serde_json::to_string(a).map_err(|e| StoreError::Corrupt {
                    id: a.id.clone(),
                    message: e.to_string(),
                })?;
                let site = rows::article_site(a);
                let day = rows::published_day(a);
                let outcome = match existing {
                    Some((_, old_hash, old_dup, _))
                        if old_hash == hash && old_dup == duplicate_of =>
                    {
                        PutOutcome::Unchanged
                    }
                    Some((revision, old_hash, _, old_record)) => {
                        seq += 1;
                        let new_revision = if old_hash == hash {
                            revision
                        } else {
                            tx.prepare_cached(
                                "INSERT OR REPLACE INTO revisions(article_id, revision, replaced,
                                                                  record)
                                 VALUES (?1, ?2, ?3, ?4)",
                            )?
                            .execute(params![a.id, revision, now, old_record])?;
                            revision + 1
                        };
                        tx.prepare_cached(
                            "UPDATE articles SET seq = ?2, url = ?3, canonical_url = ?4,
                                site = ?5, title = ?6, published = ?7, published_day = ?8,
                                language = ?9, content_hash = ?10, revision = ?11,
                                duplicate_of = ?12, source_id = COALESCE(?13, source_id),
                                updated = ?14
                             WHERE id = ?1",
                        )?
                        .execute(params![
                            a.id,
                            seq,
                            a.url,
                            a.canonical_url,
                            site,
                            a.title,
                            a.published,
                            day,
                            a.language,
                            hash,
                            new_revision,
                            duplicate_of,
                            new.source_id,
                            now,
                        ])?;
                        write_record(&tx, &a.id, &record)?;
                        write_children(&tx, new, duplicate_of.is_none(), true)?;
                        changed.push((i, duplicate_of.is_none()));
                        match &duplicate_of {
                            Some(of) => PutOutcome::Duplicate { of: of.clone() },
                            None if new_revision == revision => PutOutcome::Unchanged,
                            None => PutOutcome::Updated { previous: revision },
                        }
                    }
                    None => {
                        seq += 1;
                        tx.prepare_cached(
                            "INSERT INTO articles(id, seq, url, canonical_url, site, title,
                                published, published_day, language, content_hash, revision,
                                duplicate_of, source_id, first_seen, updated)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12, ?13,
                                     ?13)",
                        )?
                        .execute(params![
                            a.id,
                            seq,
                            a.url,
                            a.canonical_url,
                            site,
                            a.title,
                            a.published,
                            day,
                            a.language,
                            hash,
                            duplicate_of,
                            new.source_id,
                            now,
                        ])?;
                        write_record(&tx, &a.id, &record)?;
                        write_children(&tx, new, duplicate_of.is_none(), false)?;
                        changed.push((i, duplicate_of.is_none()));
                        match &duplicate_of {
                            Some(of) => PutOutcome::Duplicate { of: of.clone() },
                            None => PutOutcome::New,
                        }
                    }
                };
                if let Some(input) = &new.input {
                    tx.prepare_cached(
                        "INSERT INTO inputs(key, hash, article_id, seen) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT(key) DO UPDATE SET hash = excluded.hash,
                             article_id = excluded.article_id, seen = excluded.seen",
                    )?
                    .execute(params![input.key, input.hash, a.id, now])?;
                }
                outcomes.push(outcome);
            }
            tx.commit()?;
            (seq_before, seq)
        };
        if seq_after == seq_before {
            return Ok(outcomes);
        }
        if self.text.indexed_seq()? == seq_before {
            let remove: Vec<&str> = changed
                .iter()
                .filter(|(_, canonical)| !canonical)
                .map(|(i, _)| batch[*i].article.id.as_str())
                .collect();
            let sites: Vec<Option<String>> = changed
                .iter()
                .map(|(i, _)| rows::article_site(&batch[*i].article))
                .collect();
            let days: Vec<Option<String>> = changed
                .iter()
                .map(|(i, _)| rows::published_day(&batch[*i].article))
                .collect();
            let docs: Vec<IndexDoc<'_>> = changed
                .iter()
                .zip(sites.iter().zip(&days))
                .filter(|((_, canonical), _)| *canonical)
                .map(|((i, _), (site, day))| IndexDoc {
                    article: &batch[*i].article,
                    site: site.as_deref(),
                    day: day.as_deref(),
                })
                .collect();
            self.text.apply(&remove, &docs, seq_after)?;
        } else {
            self.catch_up()?;
        }
        Ok(outcomes)
    }

    fn article(&self, id: &str) -> Result<Option<StoredArticle>> {
        let conn = self.conn();
        let row: Option<(String, u32, Option<String>, String, String)> = conn
            .prepare_cached(
                "SELECT r.record, a.revision, a.duplicate_of, a.first_seen, a.updated
                 FROM articles a JOIN records r ON r.article_id = a.id WHERE a.id = ?1",
            )?
            .query_row([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        let Some((record, revision, duplicate_of, first_seen, updated)) = row else {
            return Ok(None);
        };
        let article: Article = serde_json::from_str(&record).map_err(|e| StoreError::Corrupt {
            id: id.to_string(),
            message: e.to_string(),
        })?;
        let copies = conn
            .prepare_cached(
                "SELECT id, COALESCE(canonical_url, url), site, title FROM articles
                 WHERE duplicate_of = ?1 ORDER BY seq",
            )?
            .query_map([id], |r| {
                Ok(Copy {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    site: r.get(2)?,
                    title: r.get(3)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(Some(StoredArticle {
            article,
            revision,
            duplicate_of,
            copies,
            first_seen,
            updated,
        }))
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>> {
        let mut sql = String::from(
            "SELECT a.id, a.title, COALESCE(a.canonical_url, a.url), a.site, a.published,
                    a.language, a.duplicate_of
             FROM articles a WHERE 1 = 1",
        );
        let mut args: Vec<String> = Vec::new();
        if !filter.include_copies {
            sql.push_str(" AND a.duplicate_of IS NULL");
        }
        if let Some(site) = &filter.site {
            args.push(rows::site_key(site));
            sql.push_str(&format!(" AND a.site = ?{}", args.len()));
        }
        if let Some(lang) = &filter.language {
            args.push(lang.clone());
            sql.push_str(&format!(" AND a.language = ?{}", args.len()));
        }
        if let Some(entity) = &filter.entity {
            args.push(entity.clone());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM article_entities e
                   WHERE e.article_id = COALESCE(a.duplicate_of, a.id) AND e.entity_id = ?{})",
                args.len()
            ));
        }
        if let Some(speaker) = &filter.speaker {
            let clause = speaker_clause(&mut args, speaker);
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM quotes q
                   WHERE q.article_id = COALESCE(a.duplicate_of, a.id) AND {clause})"
            ));
        }
        if let Some(since) = filter.since.as_deref().and_then(|s| rows::bound(s, false)) {
            args.push(since);
            sql.push_str(&format!(" AND a.published_day >= ?{}", args.len()));
        }
        if let Some(until) = filter.until.as_deref().and_then(|s| rows::bound(s, true)) {
            args.push(until);
            sql.push_str(&format!(" AND a.published_day <= ?{}", args.len()));
        }
        sql.push_str(" ORDER BY a.published_day DESC NULLS LAST, a.seq DESC");
        let limit = sql_limit(filter.limit);
        sql.push_str(&format!(" LIMIT {limit} OFFSET {}", filter.offset));
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(args.iter()), |r| {
                Ok(ArticleSummary {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    url: r.get(2)?,
                    site: r.get(3)?,
                    published: r.get(4)?,
                    language: r.get(5)?,
                    duplicate_of: r.get(6)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn article_count(&self) -> Result<u64> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    fn revisions(&self, id: &str) -> Result<Vec<(u32, Article)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT revision, record FROM revisions WHERE article_id = ?1 ORDER BY revision",
        )?;
        let raw: Vec<(u32, String)> = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        raw.into_iter()
            .map(|(rev, record)| {
                serde_json::from_str(&record)
                    .map(|a| (rev, a))
                    .map_err(|e| StoreError::Corrupt {
                        id: format!("{id} revision {rev}"),
                        message: e.to_string(),
                    })
            })
            .collect()
    }

    fn input_hash(&self, key: &str) -> Result<Option<String>> {
        // Asked for the next batch while the previous one is written: the reader
        // connection does not wait for that transaction.
        Ok(self
            .reader
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .prepare_cached("SELECT hash FROM inputs WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    fn mark_inputs(&self, inputs: &[InputSeen]) -> Result<()> {
        let now = days::now_rfc3339();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO inputs(key, hash, article_id, seen) VALUES (?1, ?2, NULL, ?3)
                 ON CONFLICT(key) DO UPDATE SET hash = excluded.hash, seen = excluded.seen",
            )?;
            for i in inputs {
                stmt.execute(params![i.key, i.hash, now])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn duplicate_candidates(&self, fingerprint: &Fingerprint) -> Result<Vec<Candidate>> {
        let conn = self.conn();
        let mut ids = BTreeSet::new();
        {
            let mut by_exact = conn.prepare_cached(
                "SELECT f.article_id FROM fingerprints f JOIN articles a ON a.id = f.article_id
                 WHERE f.exact = ?1 AND a.duplicate_of IS NULL",
            )?;
            for id in by_exact.query_map([fingerprint.exact as i64], |r| r.get::<_, String>(0))? {
                ids.insert(id?);
            }
            let mut by_key =
                conn.prepare_cached("SELECT article_id FROM fingerprint_keys WHERE key = ?1")?;
            for key in &fingerprint.keys {
                for id in by_key.query_map([*key as i64], |r| r.get::<_, String>(0))? {
                    ids.insert(id?);
                }
            }
        }
        let mut stmt = conn.prepare_cached(
            "SELECT exact, keys, signature FROM fingerprints WHERE article_id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let (exact, keys, signature): (i64, Vec<u8>, Vec<u8>) =
                stmt.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            out.push(Candidate {
                article_id: id,
                fingerprint: Fingerprint {
                    exact: exact as u64,
                    keys: keys_from_blob(&keys),
                    signature,
                },
            });
        }
        Ok(out)
    }

    fn entity(&self, id: &str) -> Result<Option<EntityRecord>> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&format!("{ENTITY_SELECT} WHERE e.id = ?1 GROUP BY e.id"))?
            .query_row([id], entity_row)
            .optional()?)
    }

    fn find_entities(&self, name: &str, limit: usize) -> Result<Vec<EntityRecord>> {
        let conn = self.conn();
        let limit = sql_limit(limit);
        let mut stmt = conn.prepare_cached(&format!(
            "{ENTITY_SELECT} WHERE e.name LIKE ?1 ESCAPE '\\' OR e.id = ?2 GROUP BY e.id
             ORDER BY 6 DESC, e.name LIMIT ?3"
        ))?;
        let rows = stmt
            .query_map(params![like_pattern(name), name, limit], entity_row)?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<StoredQuote>> {
        let mut sql = String::from(
            "SELECT q.article_id, a.published, q.text, q.speaker, q.speaker_entity,
                    q.description, q.direct
             FROM quotes q JOIN articles a ON a.id = q.article_id
             WHERE a.duplicate_of IS NULL",
        );
        let mut args: Vec<String> = Vec::new();
        if let Some(speaker) = &filter.speaker {
            let clause = speaker_clause(&mut args, speaker);
            sql.push_str(&format!(" AND {clause}"));
        }
        if let Some(words) = &filter.contains {
            args.push(like_pattern(words));
            sql.push_str(&format!(" AND q.text LIKE ?{} ESCAPE '\\'", args.len()));
        }
        if let Some(article) = &filter.article {
            args.push(article.clone());
            sql.push_str(&format!(" AND q.article_id = ?{}", args.len()));
        }
        let limit = sql_limit(filter.limit);
        sql.push_str(&format!(
            " ORDER BY a.published_day DESC NULLS LAST, a.seq DESC, q.n LIMIT {limit}"
        ));
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(args.iter()), |r| {
                Ok(StoredQuote {
                    article_id: r.get(0)?,
                    published: r.get(1)?,
                    text: r.get(2)?,
                    speaker: r.get(3)?,
                    speaker_entity: r.get(4)?,
                    speaker_description: r.get(5)?,
                    direct: r.get(6)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn search(&self, query: &str, filter: &ArticleFilter) -> Result<Vec<SearchHit>> {
        self.text.search(query, filter)
    }

    fn search_page(&self, request: &SearchRequest) -> Result<SearchPage> {
        self.text.search_page(request)
    }

    fn entities_named(&self, name: &str) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM (
                 SELECT e.id AS id FROM entities e WHERE e.name = ?1 COLLATE NOCASE
                 UNION
                 SELECT m.entity_id AS id FROM mentions m WHERE m.text = ?1 COLLATE NOCASE
             ) n
             ORDER BY (SELECT COUNT(*) FROM article_entities ae WHERE ae.entity_id = n.id) DESC,
                      id
             LIMIT 10",
        )?;
        let rows = stmt
            .query_map([name.trim()], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn entity_names(&self, ids: &[String]) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT id, name FROM entities WHERE id = ?1")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(row) = stmt
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
            {
                out.push(row);
            }
        }
        Ok(out)
    }

    fn entity_timeline(&self, id: &str) -> Result<Vec<MonthCount>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT substr(a.published_day, 1, 7) AS month, COUNT(*)
             FROM article_entities ae JOIN articles a ON a.id = ae.article_id
             WHERE ae.entity_id = ?1 AND a.duplicate_of IS NULL
               AND (ae.role IS NULL OR ae.role != 'credit') AND a.published_day IS NOT NULL
             GROUP BY month ORDER BY month",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(MonthCount {
                    month: r.get(0)?,
                    articles: r.get::<_, i64>(1)? as u64,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn cooccurring(&self, id: &str, limit: usize) -> Result<Vec<Cooccurrence>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT e.id, e.name, e.kind, COUNT(*) AS n
             FROM article_entities mine
             JOIN articles a ON a.id = mine.article_id AND a.duplicate_of IS NULL
             JOIN article_entities other ON other.article_id = mine.article_id
                  AND other.entity_id != mine.entity_id
                  AND (other.role IS NULL OR other.role != 'credit')
             JOIN entities e ON e.id = other.entity_id
             WHERE mine.entity_id = ?1 AND (mine.role IS NULL OR mine.role != 'credit')
             GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![id, sql_limit(limit)], |r| {
                Ok(Cooccurrence {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    articles: r.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn add_source(&self, url: &str, kind: SourceKind, every_secs: u64) -> Result<Source> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO sources(url, kind, every_secs, added) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, every_secs = excluded.every_secs",
            params![url, kind.as_str(), every_secs as i64, days::now_rfc3339()],
        )?;
        Ok(conn.query_row(
            &format!("{SOURCE_SELECT} WHERE url = ?1"),
            [url],
            source_row,
        )?)
    }

    fn sources(&self) -> Result<Vec<Source>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!("{SOURCE_SELECT} ORDER BY id"))?;
        let rows = stmt
            .query_map([], source_row)?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn remove_source(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM sources WHERE id = ?1", [id])?
            > 0)
    }

    fn record_poll(&self, id: i64, poll: &SourcePoll) -> Result<()> {
        let n = self.conn().execute(
            "UPDATE sources SET etag = COALESCE(?2, etag),
                 last_modified = COALESCE(?3, last_modified), last_polled = ?4, last_status = ?5
             WHERE id = ?1",
            params![
                id,
                poll.etag,
                poll.last_modified,
                poll.polled_at,
                poll.status
            ],
        )?;
        if n == 0 {
            return Err(StoreError::Invalid(format!(
                "no source with id {id} (`warta sources list` shows them)"
            )));
        }
        Ok(())
    }

    fn log_fetches(&self, records: &[FetchRecord]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO fetch_log(url, at, status, outcome, error, bytes, millis)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for r in records {
                stmt.execute(params![
                    r.url,
                    r.at,
                    r.status,
                    r.outcome,
                    r.error,
                    r.bytes as i64,
                    r.millis as i64
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn fetch_log(&self, limit: usize) -> Result<Vec<FetchRecord>> {
        let conn = self.conn();
        let limit = sql_limit(limit);
        let mut stmt = conn.prepare_cached(
            "SELECT url, at, status, outcome, error, bytes, millis FROM fetch_log
             ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit], |r| {
                Ok(FetchRecord {
                    url: r.get(0)?,
                    at: r.get(1)?,
                    status: r.get(2)?,
                    outcome: r.get(3)?,
                    error: r.get(4)?,
                    bytes: r.get::<_, i64>(5)? as u64,
                    millis: r.get::<_, i64>(6)? as u64,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn stats(&self) -> Result<Stats> {
        let conn = self.conn();
        let count = |sql: &str| -> Result<u64> {
            Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Stats {
            articles: count("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL")?,
            copies: count("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL")?,
            entities: count("SELECT COUNT(*) FROM entities")?,
            quotes: count(
                "SELECT COUNT(*) FROM quotes q JOIN articles a ON a.id = q.article_id
                 WHERE a.duplicate_of IS NULL",
            )?,
            sources: count("SELECT COUNT(*) FROM sources")?,
            fetches: count("SELECT COUNT(*) FROM fetch_log")?,
        })
    }

    fn check(&self) -> Result<CheckReport> {
        let mut problems = Vec::new();
        {
            let conn = self.conn();
            let integrity: Vec<String> = conn
                .prepare("PRAGMA integrity_check")?
                .query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            if integrity != ["ok"] {
                for line in integrity.into_iter().take(20) {
                    problems.push(format!(
                        "database: {line} (restore a backup or re-ingest into a new --data directory)"
                    ));
                }
            }
            let orphans = [
                ("records", "records"),
                ("article_entities", "entity links"),
                ("mentions", "mentions"),
                ("quotes", "quotes"),
                ("times", "time expressions"),
                ("fingerprints", "fingerprints"),
            ];
            for (table, what) in orphans {
                let n: i64 = conn.query_row(
                    &format!(
                        "SELECT COUNT(*) FROM {table} t
                         WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.article_id)"
                    ),
                    [],
                    |r| r.get(0),
                )?;
                if n > 0 {
                    problems.push(format!(
                        "{n} {what} belong to no article (re-ingest the affected sources)"
                    ));
                }
            }
            let dangling: i64 = conn.query_row(
                "SELECT COUNT(*) FROM articles c WHERE c.duplicate_of IS NOT NULL AND NOT EXISTS
                   (SELECT 1 FROM articles a WHERE a.id = c.duplicate_of AND a.duplicate_of IS NULL)",
                [],
                |r| r.get(0),
            )?;
            if dangling > 0 {
                problems.push(format!(
                    "{dangling} copies point to no canonical article (re-ingest them)"
                ));
            }
            let mut stmt = conn.prepare("SELECT article_id, record FROM records")?;
            let mut rows = stmt.query([])?;
            let mut unreadable = 0usize;
            while let Some(row) = rows.next()? {
                let record: String = row.get(1)?;
                if serde_json::from_str::<serde::de::IgnoredAny>(&record).is_err() {
                    unreadable += 1;
                    if unreadable <= 5 {
                        let id: String = row.get(0)?;
                        problems.push(format!("article {id}: stored record is not valid JSON"));
                    }
                }
            }
        }
        let stats = self.stats()?;
        let indexed = self.text.num_docs();
        let max_seq: i64 =
            self.conn()
                .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
                    r.get(0)
                })?;
        let indexed_seq = self.text.indexed_seq()?;
        if indexed_seq < max_seq {
            problems.push(format!(
                "the full-text index lags the database (indexed up to change {indexed_seq} of \
                 {max_seq}); opening the store for writing catches up, or run `warta reindex`"
            ));
        } else if indexed != stats.articles {
            problems.push(format!(
                "the full-text index holds {indexed} articles, the database {}; run `warta reindex`",
                stats.articles
            ));
        }
        Ok(CheckReport {
            stats,
            indexed,
            problems,
        })
    }
}

const ENTITY_SELECT: &str = "SELECT e.id, e.name, e.kind, e.country,
        COUNT(a.id), COALESCE(SUM(CASE WHEN a.id IS NULL THEN 0 ELSE ae.mentions END), 0)
     FROM entities e
     LEFT JOIN article_entities ae ON ae.entity_id = e.id
          AND (ae.role IS NULL OR ae.role != 'credit')
     LEFT JOIN articles a ON a.id = ae.article_id AND a.duplicate_of IS NULL";

fn entity_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EntityRecord> {
    Ok(EntityRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        country: r.get(3)?,
        articles: r.get::<_, i64>(4)? as u64,
        mentions: r.get::<_, i64>(5)? as u64,
    })
}

const SOURCE_SELECT: &str = "SELECT id, url, kind, every_secs, etag, last_modified, last_polled,
        last_status, added FROM sources";

fn source_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Source> {
    let kind: String = r.get(2)?;
    Ok(Source {
        id: r.get(0)?,
        url: r.get(1)?,
        kind: SourceKind::parse(&kind).unwrap_or(SourceKind::Page),
        every_secs: r.get::<_, i64>(3)? as u64,
        etag: r.get(4)?,
        last_modified: r.get(5)?,
        last_polled: r.get(6)?,
        last_status: r.get(7)?,
        added: r.get(8)?,
    })
}
