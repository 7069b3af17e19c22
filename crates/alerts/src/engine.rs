//! The two steps `warta run` repeats: match the articles written since the watch cursor
//! (queueing notifications in the outbox in the same transaction that moves the
//! cursor), and deliver what is due from the outbox.

use std::collections::HashMap;

use rayon::prelude::*;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use warta_store::{
    ArticleFilter, Channel, DeliveryResult, Expansion, NewNotification, Notification, Store, Watch,
    WatchMatch, WatchSpec, expanded_query, now_ms, now_rfc3339, rfc3339_secs,
};

use crate::error::{AlertError, Result};
use crate::format::{telegram_digest, telegram_message};
use crate::matcher::{ArticleTerms, Matcher};
use crate::send::{SendOutcome, Telegram, agent, post_webhook};
use crate::story::{Story, StoryMaker, WebhookBody};

/// Environment variable holding the Telegram bot token.
pub const TELEGRAM_TOKEN_ENV: &str = "WARTA_TELEGRAM_TOKEN";
/// Environment variable overriding the Telegram Bot API base URL.
pub const TELEGRAM_API_ENV: &str = "WARTA_TELEGRAM_API";
/// The Telegram Bot API's public base URL.
pub const TELEGRAM_API: &str = "https://api.telegram.org";

/// How alerts are delivered.
#[derive(Clone)]
pub struct AlertsConfig {
    /// Telegram bot token; without it Telegram notifications wait in the outbox.
    pub telegram_token: Option<String>,
    /// Telegram Bot API base URL.
    pub telegram_api: String,
    /// First retry delay; each further failure doubles it.
    pub backoff_base: Duration,
    /// Longest delay between retries (a channel down for an hour gets everything at
    /// most this long after it comes back).
    pub backoff_max: Duration,
    /// Deadline of one HTTP request.
    pub timeout: Duration,
    /// Articles matched per transaction.
    pub match_batch: usize,
    /// A notification still failing this long after it was queued is given up (marked
    /// failed, with the last error), so a channel gone for good does not retry forever.
    pub give_up_after: Duration,
    /// Channels delivered at once (each channel's own notifications go one after
    /// another, in order).
    pub delivery_workers: usize,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            telegram_token: None,
            telegram_api: TELEGRAM_API.to_string(),
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(300),
            timeout: Duration::from_secs(15),
            match_batch: 256,
            delivery_workers: 8,
            give_up_after: Duration::from_secs(3 * 86_400),
        }
    }
}

impl AlertsConfig {
    /// The defaults, with the token and API base from [`TELEGRAM_TOKEN_ENV`] and
    /// [`TELEGRAM_API_ENV`] when set.
    pub fn from_env() -> Self {
        let mut c = Self {
            telegram_token: std::env::var(TELEGRAM_TOKEN_ENV)
                .ok()
                .filter(|t| !t.trim().is_empty()),
            ..Self::default()
        };
        if let Ok(api) = std::env::var(TELEGRAM_API_ENV)
            && !api.trim().is_empty()
        {
            c.telegram_api = api;
        }
        c
    }

    /// The delay before attempt `attempts + 1` after `attempts` failures.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 1u32.checked_shl(attempts.min(20)).unwrap_or(u32::MAX);
        self.backoff_base
            .saturating_mul(factor)
            .min(self.backoff_max)
    }
}

impl std::fmt::Debug for AlertsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlertsConfig")
            .field(
                "telegram_token",
                &self.telegram_token.as_ref().map(|_| "<hidden>"),
            )
            .field("telegram_api", &self.telegram_api)
            .field("backoff_base", &self.backoff_base)
            .field("backoff_max", &self.backoff_max)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What a matching pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchReport {
    /// Articles checked.
    pub articles: usize,
    /// Watch matches found.
    pub matches: usize,
    /// Notifications newly queued.
    pub queued: usize,
}

/// What a delivery pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Messages or POSTs accepted (a digest counts once).
    pub sent: usize,
    /// Notifications delivered (a digest counts each story).
    pub delivered: usize,
    /// Attempts that failed and will be retried.
    pub retried: usize,
    /// Notifications given up.
    pub failed: usize,
}

impl DeliveryReport {
    /// Adds another pass's counts.
    fn add(&mut self, other: &DeliveryReport) {
        self.sent += other.sent;
        self.delivered += other.delivered;
        self.retried += other.retried;
        self.failed += other.failed;
    }
}

/// A story a watch would send, as [`Alerts::preview`] shows it.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The story (the webhook record).
    pub story: Story,
    /// The Telegram message.
    pub telegram: String,
}

/// What names entities in a watch's query: the entities the words of a plain query name
/// (`warta_server::entity_expansions` over the store: the gazetteer's aliases and the
/// names stored articles used), so a watch for "Korut" also fires on an article naming
/// North Korea as "Korea Utara".
pub type Expander<'a> = Box<dyn Fn(&str) -> Vec<Expansion> + Send + Sync + 'a>;

/// How long a compiled set of watches is used before their entity names are looked up
/// again (articles stored since may have taught the store new names).
const RECOMPILE_AFTER: Duration = Duration::from_secs(600);

/// The watches as compiled: as stored, with their queries expanded, and the matcher.
struct Compiled {
    stored: Vec<Watch>,
    expanded: Vec<Watch>,
    matcher: Arc<Matcher>,
    at: Instant,
}

/// Matching and delivery over one store.
pub struct Alerts<'a> {
    store: &'a dyn Store,
    config: AlertsConfig,
    agent: ureq::Agent,
    expander: Option<Expander<'a>>,
    /// The watches last compiled, reused while the watches are the same.
    compiled: Mutex<Option<Compiled>>,
}

impl std::fmt::Debug for Alerts<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Alerts")
            .field("store", &self.store)
            .field("config", &self.config)
            .finish()
    }
}

/// The idempotency key of a watch's notification of an article on one channel.
pub fn notification_key(watch_id: i64, article_id: &str, channel: usize) -> String {
    format!("w{watch_id}-{article_id}-c{channel}")
}

impl<'a> Alerts<'a> {
    /// Alerts over `store`.
    pub fn new(store: &'a dyn Store, config: AlertsConfig) -> Self {
        let agent = agent(config.timeout);
        Self {
            store,
            config,
            agent,
            expander: None,
            compiled: Mutex::new(None),
        }
    }

    /// Watch queries naming entities also match articles naming those entities however
    /// they write them (as `warta search` does); see [`Expander`].
    #[must_use]
    pub fn with_expander(mut self, expander: Expander<'a>) -> Self {
        self.expander = Some(expander);
        self
    }

    /// `query` with the entities it names expanded (unchanged without an expander).
    fn expand(&self, query: &str) -> String {
        match &self.expander {
            Some(e) => expanded_query(query, &e(query)),
            None => query.to_string(),
        }
    }

    /// `watch`'s query expanded: as last compiled when the watch is unchanged since,
    /// else looked up now.
    fn expanded_query_of(&self, watch: &Watch) -> String {
        let slot = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = slot.as_ref()
            && let Some(i) = c.stored.iter().position(|w| w == watch)
        {
            return c.expanded[i].spec.query.clone();
        }
        drop(slot);
        self.expand(&watch.spec.query)
    }

    /// `watch` with its query expanded.
    fn expanded(&self, watch: &Watch) -> Watch {
        let mut w = watch.clone();
        w.spec.query = self.expand(&watch.spec.query);
        w
    }

    /// The watches with expanded queries and their matcher, compiled again when the
    /// watches changed or [`RECOMPILE_AFTER`] passed.
    fn matcher(&self, watches: Vec<Watch>) -> (Vec<Watch>, Arc<Matcher>) {
        let mut slot = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = slot.as_ref()
            && c.stored == watches
            && c.at.elapsed() < RECOMPILE_AFTER
        {
            return (c.expanded.clone(), Arc::clone(&c.matcher));
        }
        let expanded: Vec<Watch> = watches.iter().map(|w| self.expanded(w)).collect();
        let matcher = Arc::new(Matcher::new(&expanded));
        *slot = Some(Compiled {
            stored: watches,
            expanded: expanded.clone(),
            matcher: Arc::clone(&matcher),
            at: Instant::now(),
        });
        (expanded, matcher)
    }

    /// Matches every canonical article written since the watch cursor against all
    /// watches, queueing one notification per match and channel; the cursor moves in
    /// the same transaction. An article fires a watch once (the idempotency key), and
    /// only when written after the watch was added.
    ///
    /// # Errors
    /// A store failure; what was committed before it stays.
    pub fn match_new(&self) -> Result<MatchReport> {
        let watches = self.store.watches()?;
        let mut report = MatchReport::default();
        let Some(oldest) = watches.iter().map(|w| w.since_seq).min() else {
            return Ok(report);
        };
        let (watches, matcher) = self.matcher(watches);
        let mut cursor = self.store.watch_cursor()?.max(oldest);
        loop {
            let batch = self
                .store
                .articles_after(cursor, self.config.match_batch.max(1))?;
            let Some(last) = batch.last().map(|c| c.seq) else {
                break;
            };
            let now = now_rfc3339();
            let now_ms = now_ms();
            let mut matches = Vec::new();
            let mut notes = Vec::new();
            // Analysing an article and finding its watches is independent per article.
            let fired: Vec<Vec<usize>> = batch
                .par_iter()
                .map(|changed| matcher.matches(&ArticleTerms::new(&changed.article)))
                .collect();
            for (changed, fired) in batch.iter().zip(fired) {
                for i in fired {
                    let w = &watches[i];
                    if changed.seq <= w.since_seq {
                        continue;
                    }
                    let due_ms = w.spec.digest.map_or(now_ms, |d| d.period_end_ms(now_ms));
                    for c in 0..w.spec.channels.len() {
                        notes.push(NewNotification {
                            key: notification_key(w.id, &changed.article.id, c),
                            watch_id: w.id,
                            channel: c as u32,
                            article_id: changed.article.id.clone(),
                            due_ms,
                        });
                    }
                    matches.push(WatchMatch {
                        watch_id: w.id,
                        article_id: changed.article.id.clone(),
                        matched_at: now.clone(),
                    });
                }
            }
            // Grouped by watch (a stable sort: each watch's own order is kept), the rows
            // land in neighbouring places of the store's indexes.
            matches.sort_by_key(|m| m.watch_id);
            notes.sort_by_key(|n| n.watch_id);
            report.articles += batch.len();
            report.matches += matches.len();
            report.queued += self.store.record_matches(&matches, &notes, last)?;
            cursor = last;
            if batch.len() < self.config.match_batch.max(1) {
                break;
            }
        }
        Ok(report)
    }

    /// The result of an attempt to record; `sent` is the story JSON that went out.
    fn outcome_to_result(
        &self,
        outcome: &SendOutcome,
        attempts: u32,
        sent: String,
    ) -> DeliveryResult {
        match outcome {
            SendOutcome::Sent(detail) => DeliveryResult::Delivered {
                detail: detail.clone(),
                sent,
            },
            SendOutcome::Retry { after, reason } => {
                let wait = after.unwrap_or_else(|| self.config.backoff(attempts));
                DeliveryResult::Retry {
                    due_ms: now_ms() + wait.as_millis() as i64,
                    error: reason.clone(),
                }
            }
            SendOutcome::Failed(reason) => DeliveryResult::Failed {
                error: reason.clone(),
            },
        }
    }

    /// The stories of `items` as they are sent: made from the articles' current
    /// records. An article gone from the store fails its notification.
    fn stories(&self, watch: &Watch, items: &[&Notification]) -> Result<Vec<Option<Story>>> {
        let mut maker = StoryMaker::new(watch, self.expanded_query_of(watch));
        items
            .iter()
            .map(|n| maker.story(self.store, &n.article_id, &n.created))
            .collect()
    }

    /// Sends stories (one, or a digest's) on a channel.
    fn send(
        &self,
        watch: &Watch,
        channel: &Channel,
        items: &[&Notification],
        stories: Vec<Story>,
    ) -> SendOutcome {
        let digest = watch.spec.digest.map(|d| d.as_str().to_string());
        match channel {
            Channel::Telegram { chat_id } => {
                let Some(token) = &self.config.telegram_token else {
                    return SendOutcome::Retry {
                        after: None,
                        reason: format!(
                            "no Telegram bot token configured (set {TELEGRAM_TOKEN_ENV})"
                        ),
                    };
                };
                let telegram = Telegram {
                    api_base: self.config.telegram_api.clone(),
                    token: token.clone(),
                };
                let text = match &digest {
                    Some(period) => telegram_digest(&watch.name, period, &stories),
                    None => telegram_message(&stories[0]),
                };
                telegram.send(&self.agent, chat_id, &text)
            }
            Channel::Webhook { url, secret } => {
                let key = if items.len() == 1 {
                    items[0].key.clone()
                } else {
                    format!("{}+{}", items[0].key, items.len() - 1)
                };
                let body = WebhookBody {
                    key: key.clone(),
                    watch: watch.name.clone(),
                    digest,
                    stories,
                };
                let bytes = match serde_json::to_vec(&body) {
                    Ok(b) => b,
                    Err(e) => return SendOutcome::Failed(e.to_string()),
                };
                post_webhook(&self.agent, url, secret.as_deref(), &key, &bytes)
            }
        }
    }

    /// Delivers what is due: per watch and channel in queue order, the next
    /// notification (or, for a digest watch, every story whose period has ended, in one
    /// message); a failure stops that channel until its retry is due, so stories arrive
    /// in order.
    ///
    /// # Errors
    /// A store failure.
    pub fn deliver_due(&self) -> Result<DeliveryReport> {
        self.deliver_due_at(now_ms())
    }

    /// [`Alerts::deliver_due`] as if the time were `now` (Unix milliseconds): what is due
    /// by then is sent (tests use it to close a digest period).
    ///
    /// # Errors
    /// A store failure.
    pub fn deliver_due_at(&self, now: i64) -> Result<DeliveryReport> {
        let mut report = DeliveryReport::default();
        let pending = self.store.pending_notifications(5_000)?;
        if pending.is_empty() {
            return Ok(report);
        }
        let watches: HashMap<i64, Watch> = self
            .store
            .watches()?
            .into_iter()
            .map(|w| (w.id, w))
            .collect();
        let mut groups: Vec<((i64, u32), Vec<&Notification>)> = Vec::new();
        let mut index: HashMap<(i64, u32), usize> = HashMap::new();
        for n in &pending {
            let k = (n.watch_id, n.channel);
            let i = *index.entry(k).or_insert_with(|| {
                groups.push((k, Vec::new()));
                groups.len() - 1
            });
            groups[i].1.push(n);
        }
        // Channels are independent: each is delivered by its own worker (at most
        // `delivery_workers` at once), so a channel that is down and times out does not
        // hold up the others. Within a channel, order is kept.
        let groups: Vec<(&Watch, u32, Vec<&Notification>)> = groups
            .into_iter()
            .filter_map(|((watch_id, channel), items)| {
                watches.get(&watch_id).map(|w| (w, channel, items))
            })
            .collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let workers = self.config.delivery_workers.clamp(1, groups.len().max(1));
        let results: Vec<Result<DeliveryReport>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut report = DeliveryReport::default();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            let Some((watch, channel, items)) = groups.get(i) else {
                                return Ok(report);
                            };
                            let r = self.deliver_channel(watch, *channel, items, now)?;
                            report.add(&r);
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(AlertError::Payload("a delivery worker panicked".into()))
                    })
                })
                .collect()
        });
        for r in results {
            report.add(&r?);
        }
        Ok(report)
    }

    /// Delivers what is due on one channel of a watch, in queue order; stops at the first
    /// failure to retry (order is kept).
    fn deliver_channel(
        &self,
        watch: &Watch,
        channel: u32,
        items: &[&Notification],
        now: i64,
    ) -> Result<DeliveryReport> {
        let mut report = DeliveryReport::default();
        let Some(ch) = watch.spec.channels.get(channel as usize) else {
            for n in items {
                self.store.finish_notification(
                    n.id,
                    &DeliveryResult::Failed {
                        error: "the watch no longer has this channel".into(),
                    },
                )?;
                report.failed += 1;
            }
            return Ok(report);
        };
        if watch.spec.digest.is_some() {
            let due: Vec<&Notification> =
                items.iter().copied().filter(|n| n.due_ms <= now).collect();
            if !due.is_empty() {
                self.deliver(watch, ch, &due, &mut report)?;
            }
            return Ok(report);
        }
        for n in items {
            if n.due_ms > now {
                break;
            }
            if let Some(SendOutcome::Retry { reason, .. }) =
                self.deliver(watch, ch, &[n], &mut report)?
            {
                tracing::warn!(watch = %watch.name, channel, key = %n.key, error = %reason, "Delivery failed; will retry.");
                break;
            }
        }
        Ok(report)
    }

    /// Sends `items` (one notification, or a digest's) on `ch` as one message and records
    /// the outcome of each; a notification whose article is no longer stored fails
    /// alone. Returns the outcome of the send, if anything was left to send.
    fn deliver(
        &self,
        watch: &Watch,
        ch: &Channel,
        items: &[&Notification],
        report: &mut DeliveryReport,
    ) -> Result<Option<SendOutcome>> {
        let mut sendable = Vec::with_capacity(items.len());
        let mut stories = Vec::with_capacity(items.len());
        for (n, story) in items.iter().zip(self.stories(watch, items)?) {
            match story {
                Some(story) => {
                    sendable.push(*n);
                    stories.push(story);
                }
                None => {
                    self.store.finish_notification(
                        n.id,
                        &DeliveryResult::Failed {
                            error: format!("article {} is no longer in the store", n.article_id),
                        },
                    )?;
                    report.failed += 1;
                }
            }
        }
        if sendable.is_empty() {
            return Ok(None);
        }
        let sent: Vec<String> = stories
            .iter()
            .map(serde_json::to_string)
            .collect::<std::result::Result<_, _>>()?;
        let mut outcome = self.send(watch, ch, &sendable, stories);
        if let SendOutcome::Retry { reason, .. } = &outcome {
            let queued = sendable
                .iter()
                .filter_map(|n| rfc3339_secs(&n.created))
                .min()
                .unwrap_or(i64::MAX);
            let age_ms = now_ms().saturating_sub(queued.saturating_mul(1000));
            if age_ms >= self.config.give_up_after.as_millis() as i64 {
                outcome = SendOutcome::Failed(format!(
                    "given up {} h after it was queued: {reason}",
                    self.config.give_up_after.as_secs() / 3600
                ));
            }
        }
        let attempts = sendable.iter().map(|n| n.attempts).max().unwrap_or(0);
        self.tally(report, &outcome, sendable.len());
        for (n, sent) in sendable.iter().zip(sent) {
            let result = self.outcome_to_result(&outcome, attempts, sent);
            self.store.finish_notification(n.id, &result)?;
        }
        Ok(Some(outcome))
    }

    fn tally(&self, report: &mut DeliveryReport, outcome: &SendOutcome, items: usize) {
        match outcome {
            SendOutcome::Sent(_) => {
                report.sent += 1;
                report.delivered += items;
            }
            SendOutcome::Retry { .. } => report.retried += items,
            SendOutcome::Failed(_) => report.failed += items,
        }
    }

    /// Runs a watch (not necessarily stored) against the newest articles of the store
    /// passing its filters, newest first, and shows what it would send for at most
    /// `limit` of them. Nothing is queued or sent.
    ///
    /// # Errors
    /// A store failure.
    pub fn preview(&self, name: &str, spec: &WatchSpec, limit: usize) -> Result<Vec<Preview>> {
        let watch = self.expanded(&Watch {
            id: 0,
            name: name.to_string(),
            spec: spec.clone(),
            since_seq: 0,
            created: String::new(),
        });
        let matcher = Matcher::new(std::slice::from_ref(&watch));
        let filter = ArticleFilter {
            site: spec.site.clone(),
            language: spec.language.clone(),
            entity: spec.entity.clone(),
            speaker: spec.speaker.clone(),
            limit: 2_000,
            ..ArticleFilter::default()
        };
        let now = now_rfc3339();
        let mut out = Vec::new();
        for summary in self.store.articles(&filter)? {
            if out.len() >= limit {
                break;
            }
            let Some(stored) = self.store.article(&summary.id)? else {
                continue;
            };
            if matcher
                .matches(&ArticleTerms::new(&stored.article))
                .is_empty()
            {
                continue;
            }
            let story = Story::new(name, &watch.spec, &stored.article, &now);
            let telegram = telegram_message(&story);
            out.push(Preview { story, telegram });
        }
        Ok(out)
    }
}

impl From<serde_json::Error> for AlertError {
    fn from(e: serde_json::Error) -> Self {
        AlertError::Payload(e.to_string())
    }
}
