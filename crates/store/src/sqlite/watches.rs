//! [`WatchStore`] for the SQLite store: the `watches`, `watch_matches` and `outbox`
//! tables and the `watch_cursor` meta entry.

use rusqlite::{OptionalExtension, params};
use warta_core::Article;

use super::{SqliteStore, sql_limit};
use crate::days;
use crate::error::{Result, StoreError};
use crate::watch::*;

const WATCH_SELECT: &str = "SELECT id, name, spec, since_seq, created FROM watches";

fn watch_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, String, i64, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn into_watch(row: (i64, String, String, i64, String)) -> Result<Watch> {
    let (id, name, spec, since_seq, created) = row;
    let spec: WatchSpec = serde_json::from_str(&spec).map_err(|e| StoreError::Corrupt {
        id: format!("watch {name}"),
        message: e.to_string(),
    })?;
    Ok(Watch {
        id,
        name,
        spec,
        since_seq,
        created,
    })
}

const NOTIFICATION_SELECT: &str = "SELECT id, key, watch_id, channel, article_id, sent, status,
        attempts, due_ms, created, finished, detail FROM outbox";

fn notification_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Notification> {
    let status: String = r.get(6)?;
    Ok(Notification {
        id: r.get(0)?,
        key: r.get(1)?,
        watch_id: r.get(2)?,
        channel: r.get::<_, i64>(3)? as u32,
        article_id: r.get(4)?,
        sent: r.get(5)?,
        status: NotificationStatus::parse(&status).unwrap_or(NotificationStatus::Pending),
        attempts: r.get::<_, i64>(7)? as u32,
        due_ms: r.get(8)?,
        created: r.get(9)?,
        finished: r.get(10)?,
        detail: r.get(11)?,
    })
}

impl WatchStore for SqliteStore {
    fn add_watch(&self, name: &str, spec: &WatchSpec) -> Result<Watch> {
        let spec_json =
            serde_json::to_string(spec).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let conn = self.conn();
        let exists: Option<i64> = conn
            .query_row("SELECT id FROM watches WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_some() {
            return Err(StoreError::Invalid(format!(
                "a watch called `{name}` exists (remove it first, or choose another name)"
            )));
        }
        conn.execute(
            "INSERT INTO watches(name, spec, since_seq, created)
             VALUES (?1, ?2, (SELECT COALESCE(MAX(seq), 0) FROM articles), ?3)",
            params![name, spec_json, days::now_rfc3339()],
        )?;
        let row = conn.query_row(
            &format!("{WATCH_SELECT} WHERE name = ?1"),
            [name],
            watch_row,
        )?;
        into_watch(row)
    }

    fn watches(&self) -> Result<Vec<Watch>> {
        let rows: Vec<_> = {
            let conn = self.conn();
            let mut stmt = conn.prepare_cached(&format!("{WATCH_SELECT} ORDER BY id"))?;
            stmt.query_map([], watch_row)?
                .collect::<std::result::Result<_, _>>()?
        };
        rows.into_iter().map(into_watch).collect()
    }

    fn watch(&self, name: &str) -> Result<Option<Watch>> {
        let row = self
            .conn()
            .query_row(
                &format!("{WATCH_SELECT} WHERE name = ?1"),
                [name],
                watch_row,
            )
            .optional()?;
        row.map(into_watch).transpose()
    }

    fn remove_watch(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM watches WHERE name = ?1", [name])?
            > 0)
    }

    fn watch_cursor(&self) -> Result<i64> {
        let value: Option<String> = self
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = 'watch_cursor'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    fn articles_after(&self, seq: i64, limit: usize) -> Result<Vec<ChangedArticle>> {
        let rows: Vec<(String, i64, String)> = {
            let conn = self.conn();
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, a.seq, r.record FROM articles a JOIN records r ON r.article_id = a.id
                 WHERE a.seq > ?1 AND a.duplicate_of IS NULL ORDER BY a.seq LIMIT ?2",
            )?;
            stmt.query_map(params![seq, sql_limit(limit)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<std::result::Result<_, _>>()?
        };
        rows.into_iter()
            .map(|(id, seq, record)| {
                let article: Article =
                    serde_json::from_str(&record).map_err(|e| StoreError::Corrupt {
                        id,
                        message: e.to_string(),
                    })?;
                Ok(ChangedArticle { seq, article })
            })
            .collect()
    }

    fn record_matches(
        &self,
        matches: &[WatchMatch],
        notifications: &[NewNotification],
        cursor: i64,
    ) -> Result<usize> {
        let now = days::now_rfc3339();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut queued = 0;
        {
            // Watches removed since matching began get nothing (read inside the
            // transaction, once, rather than checked on every row).
            let live: std::collections::HashSet<i64> = tx
                .prepare_cached("SELECT id FROM watches")?
                .query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            let mut ins_match = tx.prepare_cached(
                "INSERT OR IGNORE INTO watch_matches(watch_id, article_id, matched_at)
                 VALUES (?1, ?2, ?3)",
            )?;
            for m in matches.iter().filter(|m| live.contains(&m.watch_id)) {
                ins_match.execute(params![m.watch_id, m.article_id, m.matched_at])?;
            }
            let mut ins_note = tx.prepare_cached(
                "INSERT OR IGNORE INTO outbox(key, watch_id, channel, article_id, due_ms, created)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for n in notifications.iter().filter(|n| live.contains(&n.watch_id)) {
                queued += ins_note.execute(params![
                    n.key,
                    n.watch_id,
                    n.channel as i64,
                    n.article_id,
                    n.due_ms,
                    now
                ])?;
            }
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('watch_cursor', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value
                 WHERE CAST(meta.value AS INTEGER) < CAST(excluded.value AS INTEGER)",
                [cursor.to_string()],
            )?;
        }
        tx.commit()?;
        Ok(queued)
    }

    fn pending_notifications(&self, limit: usize) -> Result<Vec<Notification>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "{NOTIFICATION_SELECT} WHERE status = 'pending' ORDER BY id LIMIT ?1"
        ))?;
        let rows = stmt
            .query_map([sql_limit(limit)], notification_row)?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn finish_notification(&self, id: i64, result: &DeliveryResult) -> Result<()> {
        let now = days::now_rfc3339();
        let conn = self.conn();
        let n = match result {
            DeliveryResult::Delivered { detail, sent } => conn.execute(
                "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, finished = ?2,
                     detail = ?3, sent = ?4 WHERE id = ?1",
                params![id, now, detail, sent],
            )?,
            DeliveryResult::Retry { due_ms, error } => conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, due_ms = ?2, detail = ?3 WHERE id = ?1",
                params![id, due_ms, error],
            )?,
            DeliveryResult::Failed { error } => conn.execute(
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, finished = ?2,
                     detail = ?3 WHERE id = ?1",
                params![id, now, error],
            )?,
        };
        if n == 0 {
            return Err(StoreError::Invalid(format!("no notification with id {id}")));
        }
        Ok(())
    }

    fn notifications(&self, watch_id: i64, limit: usize) -> Result<Vec<Notification>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "{NOTIFICATION_SELECT} WHERE watch_id = ?1 ORDER BY id DESC LIMIT ?2"
        ))?;
        let rows = stmt
            .query_map(params![watch_id, sql_limit(limit)], notification_row)?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn watch_matches(&self, watch_id: i64, limit: usize) -> Result<Vec<WatchMatch>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT watch_id, article_id, matched_at FROM watch_matches
             WHERE watch_id = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![watch_id, sql_limit(limit)], |r| {
                Ok(WatchMatch {
                    watch_id: r.get(0)?,
                    article_id: r.get(1)?,
                    matched_at: r.get(2)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }
}
