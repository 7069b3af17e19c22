//! The story a watch notifies: what a message, a webhook POST and a feed entry show of
//! one matched article.

use serde::{Deserialize, Serialize};
use warta_core::Article;
use warta_store::analysis::article_site;
use warta_store::{Expansion, Store, Watch, WatchSpec, expanded_query};

use crate::error::Result;
use crate::matcher::ArticleTerms;
use crate::query::{Compiled, compile, parse};

/// One matched article as notified (the JSON record sent to webhooks and kept in the
/// outbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    /// The watch that matched.
    pub watch: String,
    /// The article's id in the store.
    pub article_id: String,
    /// Headline.
    pub title: Option<String>,
    /// Link to the story (canonical URL, else the fetched one).
    pub url: Option<String>,
    /// Site (`kompas.com`).
    pub site: Option<String>,
    /// Publication date as the page gave it.
    pub published: Option<String>,
    /// Language code.
    pub language: String,
    /// Names of the entities that made it match (or, when none did, the ones it is most
    /// about).
    pub entities: Vec<String>,
    /// The quote most relevant to the watch.
    pub quote: Option<StoryQuote>,
    /// When it matched (RFC 3339).
    pub matched_at: String,
}

/// A quote in a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryQuote {
    /// What was said.
    pub text: String,
    /// Who said it.
    pub speaker: Option<String>,
}

/// What a watch's query asks for (not what it excludes), analysed for one language: the
/// terms and entity ids a story highlights among the article's entities and quotes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wanted {
    terms: Vec<String>,
    entities: Vec<String>,
}

fn positive(q: &Compiled, out: &mut Wanted) {
    match q {
        Compiled::Terms(t) => out.terms.extend(t.iter().cloned()),
        Compiled::Entity(id) => out.entities.push(id.clone()),
        Compiled::And(parts) | Compiled::Or(parts) => {
            for p in parts {
                positive(p, out);
            }
        }
        Compiled::All | Compiled::Not(_) => {}
    }
}

/// What `query` asks for, analysed for `language`.
pub(crate) fn wanted_terms(query: &str, language: &str) -> Wanted {
    let mut wanted = Wanted::default();
    positive(&compile(&parse(query), language), &mut wanted);
    wanted
}

impl Story {
    /// The story of `article` matched by the watch `name` with `spec`.
    pub fn new(name: &str, spec: &WatchSpec, article: &Article, matched_at: &str) -> Self {
        Self::from_terms(name, spec, &ArticleTerms::new(article), matched_at)
    }

    /// [`Story::new`] for an article already analysed (matching analyses each article
    /// once, however many watches it fires).
    pub fn from_terms(
        name: &str,
        spec: &WatchSpec,
        analysed: &ArticleTerms<'_>,
        matched_at: &str,
    ) -> Self {
        let wanted = wanted_terms(&spec.query, &analysed.article().language);
        Self::from_wanted(name, spec, analysed, matched_at, &wanted)
    }

    /// [`Story::from_terms`] with what the watch's query asks for already worked out
    /// (it depends on the watch and the article's language only).
    pub(crate) fn from_wanted(
        name: &str,
        spec: &WatchSpec,
        analysed: &ArticleTerms<'_>,
        matched_at: &str,
        wanted: &Wanted,
    ) -> Self {
        let article = analysed.article();
        let terms: Vec<&String> = wanted
            .terms
            .iter()
            .filter(|t| analysed.has_term(t))
            .collect();
        let hits = |analysed: &[String]| analysed.iter().any(|t| terms.contains(&t));
        let speaker = spec.speaker.as_deref().map(str::to_lowercase);
        let entity_terms = analysed.entity_terms();
        let entities: Vec<(usize, &warta_core::Entity)> = article
            .entities
            .iter()
            .flatten()
            .enumerate()
            .filter(|(_, e)| e.role.as_deref() != Some("credit"))
            .collect();
        let mut matching: Vec<&warta_core::Entity> = entities
            .iter()
            .filter(|(k, e)| {
                spec.entity.as_deref() == Some(e.id.as_str())
                    || wanted.entities.contains(&e.id)
                    || speaker.as_deref() == Some(e.id.to_lowercase().as_str())
                    || hits(&entity_terms[*k])
            })
            .map(|(_, e)| *e)
            .collect();
        if matching.is_empty() {
            matching = entities.iter().map(|(_, e)| *e).collect();
            matching.sort_by_key(|e| std::cmp::Reverse(e.mentions.len()));
            matching.truncate(3);
        }
        let mut names: Vec<String> = Vec::new();
        for e in &matching {
            if !names.contains(&e.name) {
                names.push(e.name.clone());
            }
        }
        names.truncate(8);
        let quotes: Vec<&warta_core::Quote> = article.quotes.iter().flatten().collect();
        let by_speaker = |q: &&&warta_core::Quote| {
            speaker.as_deref().is_some_and(|s| {
                q.speaker_entity
                    .as_deref()
                    .map(str::to_lowercase)
                    .as_deref()
                    == Some(s)
                    || q.speaker
                        .as_deref()
                        .is_some_and(|n| n.to_lowercase().contains(s))
            })
        };
        let quote = quotes
            .iter()
            .find(by_speaker)
            .or_else(|| {
                let quote_terms = analysed.quote_terms();
                quotes
                    .iter()
                    .zip(quote_terms)
                    .find(|(_, t)| hits(t))
                    .map(|(q, _)| q)
            })
            .or_else(|| {
                quotes.iter().find(|q| {
                    q.speaker_entity
                        .as_deref()
                        .is_some_and(|id| matching.iter().any(|e| e.id == id))
                })
            })
            .or_else(|| quotes.iter().find(|q| q.direct && q.speaker.is_some()))
            .map(|q| StoryQuote {
                text: q.text.clone(),
                speaker: q.speaker.clone(),
            });
        Story {
            watch: name.to_string(),
            article_id: article.id.clone(),
            title: article.title.clone(),
            url: article
                .canonical_url
                .clone()
                .or_else(|| article.url.clone()),
            site: article.site_name.clone().or_else(|| article_site(article)),
            published: article.published.clone(),
            language: article.language.clone(),
            entities: names,
            quote,
            matched_at: matched_at.to_string(),
        }
    }
}

/// The body of a webhook POST: the notification's idempotency key and its stories
/// (one, or a digest's list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookBody {
    /// Idempotency key (also sent as `X-Warta-Idempotency-Key`): the same key means the
    /// same notification, delivered again.
    pub key: String,
    /// The watch.
    pub watch: String,
    /// `hourly` or `daily` for a digest; absent for a single story.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The stories, in the order they matched.
    pub stories: Vec<Story>,
}

/// Makes stories of one watch from stored articles, working out what the (expanded)
/// query asks for once per language.
pub(crate) struct StoryMaker<'w> {
    watch: &'w Watch,
    query: String,
    wanted: std::collections::HashMap<String, Wanted>,
}

impl<'w> StoryMaker<'w> {
    /// Stories of `watch`, whose query expanded is `query`.
    pub(crate) fn new(watch: &'w Watch, query: String) -> Self {
        Self {
            watch,
            query,
            wanted: std::collections::HashMap::new(),
        }
    }

    /// The story of the stored article `article_id` matched at `matched_at`; `None`
    /// when the article is no longer stored.
    pub(crate) fn story(
        &mut self,
        store: &dyn Store,
        article_id: &str,
        matched_at: &str,
    ) -> Result<Option<Story>> {
        let Some(stored) = store.article(article_id)? else {
            return Ok(None);
        };
        let article = &stored.article;
        let query = &self.query;
        let wanted = self
            .wanted
            .entry(article.language.clone())
            .or_insert_with(|| wanted_terms(query, &article.language));
        Ok(Some(Story::from_wanted(
            &self.watch.name,
            &self.watch.spec,
            &ArticleTerms::new(article),
            matched_at,
            wanted,
        )))
    }
}

/// The stories of a watch's latest `limit` matches (0: all), newest first, made from the
/// articles' current records (what its feed shows). `expansions` are the entities the
/// watch's query names (as [`crate::Alerts::with_expander`] finds them), so a story names
/// the entity however the article wrote it. Matches whose article is no longer stored
/// are left out.
///
/// # Errors
/// A store failure.
pub fn watch_stories(
    store: &dyn Store,
    watch: &Watch,
    expansions: &[Expansion],
    limit: usize,
) -> Result<Vec<Story>> {
    let mut maker = StoryMaker::new(watch, expanded_query(&watch.spec.query, expansions));
    let mut out = Vec::new();
    for m in store.watch_matches(watch.id, limit)? {
        out.extend(maker.story(store, &m.article_id, &m.matched_at)?);
    }
    Ok(out)
}
