//! Watches and alerts: saved queries over everything ingested that push each new
//! matching story to the people who saved them.
//!
//! - [`Matcher`] compiles every watch (query and filters) into one inverted index, so a
//!   new article is analysed once, with the full-text index's own analysers, and
//!   checked only against the watches its terms, entities and site point to.
//! - [`Alerts::match_new`] matches the canonical articles written since the store's
//!   watch cursor and queues notifications in the store's outbox in the same
//!   transaction that moves the cursor: a crash loses nothing and repeats nothing
//!   (each notification has an idempotency key: watch, article, channel).
//! - [`Alerts::deliver_due`] delivers the outbox: Telegram (`sendMessage`, HTML,
//!   4096-character limit, 429 `retry_after` honoured) and webhooks (JSON POST signed
//!   with HMAC-SHA256 in `X-Warta-Signature`, the key in `X-Warta-Idempotency-Key`),
//!   retried with exponential backoff, in order per channel; digest watches send one
//!   message per hour or day.
//! - [`watch_stories`] and [`atom_feed`] render a watch's matches as an Atom 1.0 feed.
//!
//! A match names the article only; the story a message, a POST or a feed entry shows is
//! made from the article's record when it is sent or read, and the outbox keeps what
//! was sent. Matching an article that fires a hundred watches stays a hundred small
//! rows.

mod atom;
mod engine;
mod error;
mod format;
mod matcher;
mod query;
mod send;
mod story;

pub use atom::atom_feed;
pub use engine::{
    Alerts, AlertsConfig, DeliveryReport, Expander, MatchReport, Preview, TELEGRAM_API,
    TELEGRAM_API_ENV, TELEGRAM_TOKEN_ENV, notification_key,
};
pub use error::{AlertError, Result};
pub use format::{TELEGRAM_LIMIT, escape_html, telegram_digest, telegram_message};
pub use matcher::{ArticleTerms, Matcher};
pub use send::{SendOutcome, Telegram, post_webhook, signature, verify_signature};
pub use story::{Story, StoryQuote, WebhookBody, watch_stories};
