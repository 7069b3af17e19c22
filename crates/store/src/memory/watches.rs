//! [`WatchStore`] for the in-memory twin.

use std::collections::BTreeMap;

use super::MemoryStore;
use crate::days;
use crate::error::{Result, StoreError};
use crate::watch::*;

/// The in-memory twin's watches, matches, outbox and cursor.
#[derive(Debug, Default)]
pub(super) struct WatchTables {
    watches: BTreeMap<i64, Watch>,
    next_watch: i64,
    matches: Vec<WatchMatch>,
    outbox: BTreeMap<i64, Notification>,
    next_notification: i64,
    cursor: i64,
}

fn newest<T: Clone>(items: impl DoubleEndedIterator<Item = T>, limit: usize) -> Vec<T> {
    let it = items.rev();
    if limit == 0 {
        it.collect()
    } else {
        it.take(limit).collect()
    }
}

impl WatchStore for MemoryStore {
    fn add_watch(&self, name: &str, spec: &WatchSpec) -> Result<Watch> {
        let mut inner = self.inner();
        if inner.watches.watches.values().any(|w| w.name == name) {
            return Err(StoreError::Invalid(format!(
                "a watch called `{name}` exists (remove it first, or choose another name)"
            )));
        }
        let since_seq = inner.seq as i64;
        let t = &mut inner.watches;
        t.next_watch += 1;
        let watch = Watch {
            id: t.next_watch,
            name: name.to_string(),
            spec: spec.clone(),
            since_seq,
            created: days::now_rfc3339(),
        };
        t.watches.insert(watch.id, watch.clone());
        Ok(watch)
    }

    fn watches(&self) -> Result<Vec<Watch>> {
        Ok(self.inner().watches.watches.values().cloned().collect())
    }

    fn watch(&self, name: &str) -> Result<Option<Watch>> {
        Ok(self
            .inner()
            .watches
            .watches
            .values()
            .find(|w| w.name == name)
            .cloned())
    }

    fn remove_watch(&self, name: &str) -> Result<bool> {
        let mut inner = self.inner();
        let t = &mut inner.watches;
        let Some(id) = t.watches.values().find(|w| w.name == name).map(|w| w.id) else {
            return Ok(false);
        };
        t.watches.remove(&id);
        t.matches.retain(|m| m.watch_id != id);
        t.outbox.retain(|_, n| n.watch_id != id);
        Ok(true)
    }

    fn watch_cursor(&self) -> Result<i64> {
        Ok(self.inner().watches.cursor)
    }

    fn articles_after(&self, seq: i64, limit: usize) -> Result<Vec<ChangedArticle>> {
        let inner = self.inner();
        let mut found: Vec<ChangedArticle> = inner
            .articles
            .values()
            .filter(|e| e.seq as i64 > seq && e.duplicate_of.is_none())
            .map(|e| ChangedArticle {
                seq: e.seq as i64,
                article: e.article.clone(),
            })
            .collect();
        found.sort_by_key(|c| c.seq);
        if limit > 0 {
            found.truncate(limit);
        }
        Ok(found)
    }

    fn record_matches(
        &self,
        matches: &[WatchMatch],
        notifications: &[NewNotification],
        cursor: i64,
    ) -> Result<usize> {
        let now = days::now_rfc3339();
        let mut inner = self.inner();
        let t = &mut inner.watches;
        for m in matches {
            let known = t
                .matches
                .iter()
                .any(|x| x.watch_id == m.watch_id && x.article_id == m.article_id);
            if !known && t.watches.contains_key(&m.watch_id) {
                t.matches.push(m.clone());
            }
        }
        let mut queued = 0;
        for n in notifications {
            if !t.watches.contains_key(&n.watch_id) || t.outbox.values().any(|x| x.key == n.key) {
                continue;
            }
            t.next_notification += 1;
            let id = t.next_notification;
            t.outbox.insert(
                id,
                Notification {
                    id,
                    key: n.key.clone(),
                    watch_id: n.watch_id,
                    channel: n.channel,
                    article_id: n.article_id.clone(),
                    sent: None,
                    status: NotificationStatus::Pending,
                    attempts: 0,
                    due_ms: n.due_ms,
                    created: now.clone(),
                    finished: None,
                    detail: None,
                },
            );
            queued += 1;
        }
        t.cursor = t.cursor.max(cursor);
        Ok(queued)
    }

    fn pending_notifications(&self, limit: usize) -> Result<Vec<Notification>> {
        let inner = self.inner();
        let it = inner
            .watches
            .outbox
            .values()
            .filter(|n| n.status == NotificationStatus::Pending)
            .cloned();
        Ok(if limit == 0 {
            it.collect()
        } else {
            it.take(limit).collect()
        })
    }

    fn finish_notification(&self, id: i64, result: &DeliveryResult) -> Result<()> {
        let mut inner = self.inner();
        let Some(n) = inner.watches.outbox.get_mut(&id) else {
            return Err(StoreError::Invalid(format!("no notification with id {id}")));
        };
        n.attempts += 1;
        match result {
            DeliveryResult::Delivered { detail, sent } => {
                n.status = NotificationStatus::Delivered;
                n.sent = Some(sent.clone());
                n.finished = Some(days::now_rfc3339());
                n.detail = Some(detail.clone());
            }
            DeliveryResult::Retry { due_ms, error } => {
                n.due_ms = *due_ms;
                n.detail = Some(error.clone());
            }
            DeliveryResult::Failed { error } => {
                n.status = NotificationStatus::Failed;
                n.finished = Some(days::now_rfc3339());
                n.detail = Some(error.clone());
            }
        }
        Ok(())
    }

    fn notifications(&self, watch_id: i64, limit: usize) -> Result<Vec<Notification>> {
        let inner = self.inner();
        let mine: Vec<Notification> = inner
            .watches
            .outbox
            .values()
            .filter(|n| n.watch_id == watch_id)
            .cloned()
            .collect();
        Ok(newest(mine.into_iter(), limit))
    }

    fn watch_matches(&self, watch_id: i64, limit: usize) -> Result<Vec<WatchMatch>> {
        let inner = self.inner();
        let mine: Vec<WatchMatch> = inner
            .watches
            .matches
            .iter()
            .filter(|m| m.watch_id == watch_id)
            .cloned()
            .collect();
        Ok(newest(mine.into_iter(), limit))
    }
}
