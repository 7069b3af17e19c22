//! `warta watch …`: saved queries that push new matching stories to Telegram, webhooks
//! or an Atom feed; and the alerts loop `warta run` drives.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use warta_alerts::{Alerts, AlertsConfig, Expander, TELEGRAM_API};
use warta_store::{Channel, Digest, Store, Watch, WatchSpec, WatchStore};

use crate::ingest::DataArgs;

/// How notifications are delivered (Telegram settings).
#[derive(Debug, Args, Clone)]
pub(crate) struct DeliveryArgs {
    /// Telegram bot token (from @BotFather). Never printed or logged.
    #[arg(long, env = "WARTA_TELEGRAM_TOKEN", hide_env_values = true)]
    telegram_token: Option<String>,
    /// Telegram Bot API base URL (a local Bot API server, or a fake one in tests).
    #[arg(long, env = "WARTA_TELEGRAM_API", default_value = TELEGRAM_API)]
    telegram_api: String,
    /// Give up a notification still failing this many hours after it was queued (it is
    /// then marked failed with its last error, shown by `warta watch show`).
    #[arg(long, default_value_t = 72)]
    give_up_after_hours: u64,
}

impl DeliveryArgs {
    pub(crate) fn config(&self) -> AlertsConfig {
        AlertsConfig {
            telegram_token: self.telegram_token.clone().filter(|t| !t.trim().is_empty()),
            telegram_api: self.telegram_api.clone(),
            give_up_after: Duration::from_secs(self.give_up_after_hours.saturating_mul(3600)),
            ..AlertsConfig::default()
        }
    }
}

/// Digest periods.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum DigestArg {
    /// One message per hour.
    Hourly,
    /// One message per day.
    Daily,
}

/// What a watch looks for.
#[derive(Debug, Args, Clone)]
pub(crate) struct WatchQueryArgs {
    /// Full-text query, as for `warta search` (words, "phrases", AND, OR, NOT, -word).
    #[arg(long, short, default_value = "")]
    query: String,
    /// Only articles naming this entity (id, see `warta search --entity`).
    #[arg(long)]
    entity: Option<String>,
    /// Only articles in this language (id, en, …).
    #[arg(long)]
    lang: Option<String>,
    /// Only articles from this site (kompas.com).
    #[arg(long)]
    site: Option<String>,
    /// Only articles quoting this speaker (entity id or part of the name).
    #[arg(long)]
    speaker: Option<String>,
}

/// `warta watch …`.
#[derive(Debug, Subcommand)]
pub(crate) enum WatchCommand {
    /// Save a watch: new articles matching it are sent to its channels (and always
    /// listed in its Atom feed, /feeds/NAME.atom under `warta serve`).
    Add {
        /// The watch's name.
        name: String,
        #[command(flatten)]
        what: WatchQueryArgs,
        /// Send to this Telegram chat id (repeatable); needs WARTA_TELEGRAM_TOKEN
        /// where `warta run` runs.
        #[arg(long)]
        telegram: Vec<String>,
        /// POST each story as signed JSON to this URL (repeatable).
        #[arg(long)]
        webhook: Vec<String>,
        /// Key of the webhook's HMAC-SHA256 signature (X-Warta-Signature).
        #[arg(long, env = "WARTA_WEBHOOK_SECRET", hide_env_values = true)]
        secret: Option<String>,
        /// Send one message per period listing the stories.
        #[arg(long, value_enum)]
        digest: Option<DigestArg>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List the watches.
    List {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Show a watch and what it sent lately.
    Show {
        /// The watch's name.
        name: String,
        /// How many notifications to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Remove a watch (with its queue and feed).
    Remove {
        /// The watch's name.
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Run a watch against the newest stored articles and show what it would send,
    /// without sending anything. Give a saved watch's name, or `--query` and filters.
    Test {
        /// A saved watch's name (or a label for an unsaved one).
        name: String,
        #[command(flatten)]
        what: WatchQueryArgs,
        /// How many matches to show.
        #[arg(long, default_value_t = 5)]
        limit: usize,
        /// Print the JSON records (what a webhook gets) instead of the messages.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Match new articles and deliver what is due once, then stop (`warta run` does
    /// this continuously).
    Deliver {
        /// Keep delivering until the outbox is empty or this many seconds have passed
        /// (retries included).
        #[arg(long, default_value_t = 0)]
        wait: u64,
        #[command(flatten)]
        delivery: DeliveryArgs,
        #[command(flatten)]
        data: DataArgs,
    },
}

fn spec_of(what: &WatchQueryArgs) -> WatchSpec {
    WatchSpec {
        query: what.query.clone(),
        entity: what.entity.clone(),
        language: what.lang.clone(),
        site: what.site.clone(),
        speaker: what.speaker.clone(),
        ..WatchSpec::default()
    }
}

fn describe_channel(c: &Channel) -> String {
    match c {
        Channel::Telegram { chat_id } => format!("telegram {chat_id}"),
        Channel::Webhook { url, secret } => format!(
            "webhook {url} ({})",
            if secret.is_some() {
                "signed"
            } else {
                "unsigned"
            }
        ),
    }
}

fn describe(w: &Watch) -> String {
    let s = &w.spec;
    let mut parts = vec![format!("query: {:?}", s.query)];
    for (label, v) in [
        ("entity", &s.entity),
        ("lang", &s.language),
        ("site", &s.site),
        ("speaker", &s.speaker),
    ] {
        if let Some(v) = v {
            parts.push(format!("{label}: {v}"));
        }
    }
    if let Some(d) = s.digest {
        parts.push(format!("digest: {}", d.as_str()));
    }
    let channels: Vec<String> = s.channels.iter().map(describe_channel).collect();
    parts.push(if channels.is_empty() {
        "channels: feed only".to_string()
    } else {
        format!("channels: {}", channels.join(", "))
    });
    parts.join("; ")
}

/// Runs `warta watch …`.
pub(crate) fn run(cmd: &WatchCommand) -> Result<ExitCode> {
    match cmd {
        WatchCommand::Add {
            name,
            what,
            telegram,
            webhook,
            secret,
            digest,
            data,
        } => {
            if name.trim().is_empty() || name.contains('/') {
                bail!("a watch name must not be empty or contain `/`");
            }
            let mut spec = spec_of(what);
            spec.channels
                .extend(telegram.iter().map(|chat| Channel::Telegram {
                    chat_id: chat.clone(),
                }));
            for url in webhook {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    bail!("--webhook {url}: give an http:// or https:// URL");
                }
                spec.channels.push(Channel::Webhook {
                    url: url.clone(),
                    secret: secret.clone(),
                });
            }
            spec.digest = digest.map(|d| match d {
                DigestArg::Hourly => Digest::Hourly,
                DigestArg::Daily => Digest::Daily,
            });
            let w = data.open()?.add_watch(name, &spec)?;
            println!("watch {} added: {}", w.name, describe(&w));
        }
        WatchCommand::List { data } => {
            let watches = data.open()?.watches()?;
            if watches.is_empty() {
                println!("no watches (add one with `warta watch add NAME --query …`)");
            }
            for w in watches {
                println!("{}\t{}", w.name, describe(&w));
            }
        }
        WatchCommand::Show { name, limit, data } => {
            let store = data.open()?;
            let Some(w) = store.watch(name)? else {
                bail!("no watch called `{name}` (`warta watch list` shows them)");
            };
            println!("{}: {}", w.name, describe(&w));
            println!("added {}", w.created);
            for n in store.notifications(w.id, *limit)? {
                let title = store
                    .article(&n.article_id)?
                    .and_then(|s| s.article.title)
                    .unwrap_or_default();
                println!(
                    "{}\t{}\tchannel {}\t{} attempt(s)\t{}\t{}",
                    n.created,
                    n.status.as_str(),
                    n.channel,
                    n.attempts,
                    title,
                    n.detail.unwrap_or_default()
                );
            }
        }
        WatchCommand::Remove { name, data } => {
            if !data.open()?.remove_watch(name)? {
                bail!("no watch called `{name}` (`warta watch list` shows them)");
            }
            println!("watch {name} removed");
        }
        WatchCommand::Test {
            name,
            what,
            limit,
            json,
            data,
        } => {
            let store = data.open()?;
            let spec = match store.watch(name)? {
                Some(w) if what.query.is_empty() => w.spec,
                _ => spec_of(what),
            };
            let alerts = alerts(&store, AlertsConfig::default());
            let found = alerts.preview(name, &spec, *limit)?;
            if found.is_empty() {
                println!("no stored article matches (of the newest 2000 passing the filters)");
            }
            for p in found {
                if *json {
                    println!("{}", serde_json::to_string(&p.story)?);
                } else {
                    println!("{}\n", p.telegram);
                }
            }
        }
        WatchCommand::Deliver {
            wait,
            delivery,
            data,
        } => {
            let store = data.open()?;
            let alerts = alerts(&store, delivery.config());
            let deadline = std::time::Instant::now() + Duration::from_secs(*wait);
            loop {
                let m = alerts.match_new()?;
                let d = alerts.deliver_due()?;
                eprintln!(
                    "matched {} articles: {} matches, {} queued; sent {} ({} delivered, {} to retry, {} failed)",
                    m.articles, m.matches, m.queued, d.sent, d.delivered, d.retried, d.failed
                );
                if store.pending_notifications(1)?.is_empty()
                    || std::time::Instant::now() >= deadline
                {
                    break;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Alerts over `store` whose watch queries name entities as `warta search` does ("Korut"
/// also fires on "Korea Utara").
pub(crate) fn alerts(store: &dyn Store, config: AlertsConfig) -> Alerts<'_> {
    let expander: Expander<'_> = Box::new(move |query| {
        warta_server::entity_expansions(store, query).unwrap_or_else(|e| {
            eprintln!("alerts: cannot look up the entities the watch query `{query}` names: {e}");
            Vec::new()
        })
    });
    Alerts::new(store, config).with_expander(expander)
}

/// The alerts loop of `warta run`: match new articles and deliver what is due every
/// `every`, until `stop`. Errors are reported and the loop goes on.
pub(crate) fn alerts_loop(
    store: &dyn Store,
    config: AlertsConfig,
    stop: &AtomicBool,
    every: Duration,
) {
    let alerts = alerts(store, config);
    while !stop.load(Ordering::SeqCst) {
        match alerts.match_new() {
            Ok(m) if m.queued > 0 => eprintln!("alerts: {} notifications queued", m.queued),
            Ok(_) => {}
            Err(e) => eprintln!("alerts: matching failed: {e}"),
        }
        match alerts.deliver_due() {
            Ok(d) if d.sent + d.retried + d.failed > 0 => eprintln!(
                "alerts: sent {} ({} delivered, {} to retry, {} failed)",
                d.sent, d.delivered, d.retried, d.failed
            ),
            Ok(_) => {}
            Err(e) => eprintln!("alerts: delivery failed: {e}"),
        }
        std::thread::sleep(every);
    }
}

/// One line saying how delivery is configured (never the token itself).
pub(crate) fn describe_delivery(config: &AlertsConfig) -> String {
    format!(
        "Telegram {}",
        if config.telegram_token.is_some() {
            "configured"
        } else {
            "not configured (WARTA_TELEGRAM_TOKEN)"
        }
    )
}
