//! Watches and their outbox: saved queries whose new matches are pushed to people, and
//! the durable queue of notifications waiting to be delivered.
//!
//! The store keeps watches, what each matched, and the outbox; it does not match or
//! deliver (that is `warta-alerts`). Matching is crash safe through a cursor: the
//! change number up to which articles were matched advances in the same transaction
//! that records the matches and queues their notifications
//! ([`WatchStore::record_matches`]), so a crash either loses the whole step (and it is
//! redone) or none of it. A match and a queued notification name the article only:
//! what is sent is made from the article's record when it is sent (and kept with the
//! notification then), which keeps matching cheap however many watches an article
//! fires.

use serde::{Deserialize, Serialize};
use warta_core::Article;

use crate::error::Result;

/// How often a digest watch sends its one message listing the stories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Digest {
    /// At the top of every hour (UTC).
    Hourly,
    /// Once a day, at midnight UTC.
    Daily,
}

impl Digest {
    /// The name used on the command line and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Digest::Hourly => "hourly",
            Digest::Daily => "daily",
        }
    }

    /// The end of the digest period holding `ms` (Unix milliseconds): when its message is
    /// due.
    pub fn period_end_ms(self, ms: i64) -> i64 {
        let period = match self {
            Digest::Hourly => 3_600_000,
            Digest::Daily => 86_400_000,
        };
        (ms.div_euclid(period) + 1) * period
    }
}

/// Where a watch sends what it finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Channel {
    /// A Telegram chat, through the Bot API (`sendMessage`); the bot token is not part of
    /// the watch (it comes from the configuration of the process that delivers).
    Telegram {
        /// The chat id (a number, or `@channelname`).
        chat_id: String,
    },
    /// An HTTP endpoint receiving each story as a signed JSON POST.
    Webhook {
        /// The address POSTed to.
        url: String,
        /// The key of the HMAC-SHA256 signature (`X-Warta-Signature`); unsigned when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        secret: Option<String>,
    },
}

/// What a watch looks for and where it sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchSpec {
    /// Full-text query, in the syntax of `warta search` (words, `"phrases"`, AND, OR,
    /// NOT, `-word`, parentheses); empty: every article passing the filters.
    pub query: String,
    /// Only articles naming this entity (an entity id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Only articles in this language (`id`, `en`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Only articles from this site (`kompas.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Only articles quoting this speaker (entity id or part of the name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Where matches go; none: only the watch's Atom feed.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Send one message per period listing the stories instead of one per story.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
}

/// A stored watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Watch {
    /// Store-assigned id, never reused.
    pub id: i64,
    /// The name people call it by (unique).
    pub name: String,
    /// What it looks for and where it sends it.
    pub spec: WatchSpec,
    /// Articles written at or before this change number (existing when the watch was
    /// added) never fire.
    pub since_seq: i64,
    /// When it was added (RFC 3339).
    pub created: String,
}

/// A canonical article written after some change number, for matching.
#[derive(Debug, Clone)]
pub struct ChangedArticle {
    /// The change number of its last write.
    pub seq: i64,
    /// The record.
    pub article: Article,
}

/// One article a watch matched: an entry of the watch's feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchMatch {
    /// The watch.
    pub watch_id: i64,
    /// The article matched.
    pub article_id: String,
    /// When it was matched (RFC 3339).
    pub matched_at: String,
}

/// A notification to queue in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    /// Idempotency key (watch, article, channel): queueing the same key again does
    /// nothing, and receivers use it to show a story once.
    pub key: String,
    /// The watch.
    pub watch_id: i64,
    /// Index of the channel in the watch's `channels`.
    pub channel: u32,
    /// The article notified (what is sent is made from its record when it is sent).
    pub article_id: String,
    /// When to send it first (Unix milliseconds).
    pub due_ms: i64,
}

/// Where a notification is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationStatus {
    /// Waiting to be sent (again).
    Pending,
    /// Accepted by the channel.
    Delivered,
    /// Given up (the channel refused it for good).
    Failed,
}

impl NotificationStatus {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationStatus::Pending => "pending",
            NotificationStatus::Delivered => "delivered",
            NotificationStatus::Failed => "failed",
        }
    }

    /// The status named `s`, if any.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(NotificationStatus::Pending),
            "delivered" => Some(NotificationStatus::Delivered),
            "failed" => Some(NotificationStatus::Failed),
            _ => None,
        }
    }
}

/// A notification in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// Store-assigned id; ids grow in the order notifications were queued.
    pub id: i64,
    /// Idempotency key.
    pub key: String,
    /// The watch.
    pub watch_id: i64,
    /// Index of the channel in the watch's `channels`.
    pub channel: u32,
    /// The article notified.
    pub article_id: String,
    /// What was sent (JSON, written by the alerts stage) once delivered.
    pub sent: Option<String>,
    /// Where it is.
    pub status: NotificationStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// Next attempt (Unix milliseconds).
    pub due_ms: i64,
    /// When it was queued (RFC 3339).
    pub created: String,
    /// When it was delivered or given up (RFC 3339).
    pub finished: Option<String>,
    /// The last error, or what the channel answered.
    pub detail: Option<String>,
}

/// What one delivery attempt of a notification gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryResult {
    /// The channel accepted it; `detail` says what it answered.
    Delivered {
        /// What the channel answered (message id, status).
        detail: String,
        /// What was sent (JSON), kept as the record of the notification.
        sent: String,
    },
    /// It failed for now; try again at `due_ms`.
    Retry {
        /// Next attempt (Unix milliseconds).
        due_ms: i64,
        /// Why it failed.
        error: String,
    },
    /// It failed for good.
    Failed {
        /// Why.
        error: String,
    },
}

/// Watches, their matches and the outbox. Part of every [`crate::Store`].
pub trait WatchStore {
    /// Adds a watch; only articles written from now on fire it.
    ///
    /// # Errors
    /// [`crate::StoreError::Invalid`] when a watch with this name exists.
    fn add_watch(&self, name: &str, spec: &WatchSpec) -> Result<Watch>;

    /// All watches, oldest first.
    fn watches(&self) -> Result<Vec<Watch>>;

    /// The watch called `name`, or `None`.
    fn watch(&self, name: &str) -> Result<Option<Watch>>;

    /// Removes a watch with its matches and queued notifications; false when there was
    /// none with this name.
    fn remove_watch(&self, name: &str) -> Result<bool>;

    /// The change number up to which articles have been matched (0 at first).
    fn watch_cursor(&self) -> Result<i64>;

    /// Canonical articles (copies left out) whose last write has a change number above
    /// `seq`, in change order, at most `limit`.
    fn articles_after(&self, seq: i64, limit: usize) -> Result<Vec<ChangedArticle>>;

    /// In one transaction: records `matches` (a watch's match of an article already
    /// recorded is left alone), queues `notifications` (a key already queued is left
    /// alone) and moves the watch cursor to `cursor` (never backwards). Returns how many
    /// notifications were newly queued.
    fn record_matches(
        &self,
        matches: &[WatchMatch],
        notifications: &[NewNotification],
        cursor: i64,
    ) -> Result<usize>;

    /// Pending notifications in the order they were queued (due or not), at most
    /// `limit`.
    fn pending_notifications(&self, limit: usize) -> Result<Vec<Notification>>;

    /// Records the result of a delivery attempt (which counts as one attempt).
    ///
    /// # Errors
    /// [`crate::StoreError::Invalid`] for an unknown notification id.
    fn finish_notification(&self, id: i64, result: &DeliveryResult) -> Result<()>;

    /// A watch's notifications (any status), newest first, at most `limit` (0: all).
    fn notifications(&self, watch_id: i64, limit: usize) -> Result<Vec<Notification>>;

    /// A watch's matches, newest first, at most `limit` (0: all).
    fn watch_matches(&self, watch_id: i64, limit: usize) -> Result<Vec<WatchMatch>>;
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
