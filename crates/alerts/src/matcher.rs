//! The compiled matcher: every watch's query and filters compiled once into an inverted
//! index (percolator style) from what an article must hold — a term, an entity, a site
//! — to the watches that need it. Each new article is analysed once and checked only
//! against the watches its terms, entities and site point to.

use std::collections::HashMap;

use warta_core::Article;
use warta_store::Watch;
use warta_store::analysis::{article_site, index_terms, site_key, subject_entity_ids};

use crate::query::{Anchor, Compiled, compile, parse};

/// One watch, compiled.
#[derive(Debug)]
struct CompiledWatch {
    /// The query for Indonesian (and every non-English) articles, and for English ones.
    id: Compiled,
    en: Compiled,
    entity: Option<String>,
    language: Option<String>,
    site: Option<String>,
    speaker: Option<String>,
}

/// Where candidates come from: which watches need which term, entity or site.
#[derive(Debug, Default)]
struct Postings {
    /// Term → watches, for non-English articles.
    term_id: HashMap<String, Vec<u32>>,
    /// Term → watches, for English articles.
    term_en: HashMap<String, Vec<u32>>,
    entity: HashMap<String, Vec<u32>>,
    site: HashMap<String, Vec<u32>>,
    /// Watches with nothing to index by (an empty or purely negative query and no
    /// entity or site filter): checked against every article.
    always: Vec<u32>,
}

/// All watches compiled into one index; built once per set of watches and shared.
#[derive(Debug, Default)]
pub struct Matcher {
    watches: Vec<CompiledWatch>,
    postings: Postings,
}

/// An article analysed once for matching: its terms with their positions (title and
/// text kept apart, so a phrase does not run from one into the other), its entities and
/// its site.
#[derive(Debug)]
pub struct ArticleTerms<'a> {
    article: &'a Article,
    positions: HashMap<String, Vec<u32>>,
    entities: Vec<&'a str>,
    site: Option<String>,
    /// The analysed terms of each entity (its name and mentions), in the article's
    /// order, worked out once when a story first needs them.
    entity_terms: std::cell::OnceCell<Vec<Vec<String>>>,
    /// The analysed terms of each quote, likewise.
    quote_terms: std::cell::OnceCell<Vec<Vec<String>>>,
}

impl<'a> ArticleTerms<'a> {
    /// Analyses an article with its language's index analyser.
    pub fn new(article: &'a Article) -> Self {
        let mut positions: HashMap<String, Vec<u32>> = HashMap::new();
        let mut next = 0u32;
        for field in [article.title.as_deref().unwrap_or(""), &article.text] {
            for term in index_terms(&article.language, field) {
                positions.entry(term).or_default().push(next);
                next += 1;
            }
            // A gap no phrase spans.
            next += 1_000;
        }
        Self {
            article,
            positions,
            entities: subject_entity_ids(article),
            site: article_site(article),
            entity_terms: std::cell::OnceCell::new(),
            quote_terms: std::cell::OnceCell::new(),
        }
    }

    /// The analysed terms of each of the article's entities (name and mentions), in the
    /// order of `article.entities`.
    pub(crate) fn entity_terms(&self) -> &[Vec<String>] {
        self.entity_terms.get_or_init(|| {
            let lang = &self.article.language;
            self.article
                .entities
                .iter()
                .flatten()
                .map(|e| {
                    let mut terms = index_terms(lang, &e.name);
                    for m in &e.mentions {
                        terms.extend(index_terms(lang, &m.text));
                    }
                    terms.sort_unstable();
                    terms.dedup();
                    terms
                })
                .collect()
        })
    }

    /// The analysed terms of each of the article's quotes, in the order of
    /// `article.quotes`.
    pub(crate) fn quote_terms(&self) -> &[Vec<String>] {
        self.quote_terms.get_or_init(|| {
            let lang = &self.article.language;
            self.article
                .quotes
                .iter()
                .flatten()
                .map(|q| index_terms(lang, &q.text))
                .collect()
        })
    }

    fn has_phrase(&self, terms: &[String]) -> bool {
        let Some(first) = self.positions.get(&terms[0]) else {
            return false;
        };
        let rest: Option<Vec<&Vec<u32>>> =
            terms[1..].iter().map(|t| self.positions.get(t)).collect();
        let Some(rest) = rest else {
            return false;
        };
        first.iter().any(|&p| {
            rest.iter()
                .enumerate()
                .all(|(i, pos)| pos.binary_search(&(p + 1 + i as u32)).is_ok())
        })
    }

    fn eval(&self, q: &Compiled) -> bool {
        match q {
            Compiled::All => true,
            Compiled::Terms(terms) => self.has_phrase(terms),
            Compiled::Entity(id) => self.entities.binary_search(&id.as_str()).is_ok(),
            Compiled::And(parts) => parts.iter().all(|p| self.eval(p)),
            Compiled::Or(parts) => parts.iter().any(|p| self.eval(p)),
            Compiled::Not(inner) => !self.eval(inner),
        }
    }

    /// The article analysed.
    pub fn article(&self) -> &'a Article {
        self.article
    }

    /// Whether the article holds this index term (analysed form).
    pub fn has_term(&self, term: &str) -> bool {
        self.positions.contains_key(term)
    }
}

impl Matcher {
    /// Compiles watches; [`Matcher::matches`] answers with indexes into `watches`.
    pub fn new(watches: &[Watch]) -> Self {
        let mut postings = Postings::default();
        let mut compiled = Vec::with_capacity(watches.len());
        for (i, w) in watches.iter().enumerate() {
            let i = i as u32;
            let expr = parse(&w.spec.query);
            let cw = CompiledWatch {
                id: compile(&expr, "id"),
                en: compile(&expr, "en"),
                entity: w.spec.entity.clone(),
                language: w.spec.language.clone(),
                site: w.spec.site.as_deref().map(site_key),
                speaker: w.spec.speaker.as_ref().map(|s| s.to_lowercase()),
            };
            // The most selective way in: the entity filter, else the query's terms,
            // else the site.
            if let Some(e) = &cw.entity {
                postings.entity.entry(e.clone()).or_default().push(i);
            } else if let (Some(a_id), Some(a_en)) = (cw.id.anchors(), cw.en.anchors()) {
                for (anchors, map) in [(a_id, &mut postings.term_id), (a_en, &mut postings.term_en)]
                {
                    for a in anchors {
                        let list = match a {
                            Anchor::Term(t) => map.entry(t).or_default(),
                            Anchor::Entity(e) => postings.entity.entry(e).or_default(),
                        };
                        if list.last() != Some(&i) {
                            list.push(i);
                        }
                    }
                }
            } else if let Some(s) = &cw.site {
                postings.site.entry(s.clone()).or_default().push(i);
            } else {
                postings.always.push(i);
            }
            compiled.push(cw);
        }
        Self {
            watches: compiled,
            postings,
        }
    }

    /// Number of watches compiled.
    pub fn len(&self) -> usize {
        self.watches.len()
    }

    /// Whether no watch was compiled.
    pub fn is_empty(&self) -> bool {
        self.watches.is_empty()
    }

    /// Indexes (into the watches given to [`Matcher::new`]) of the watches matching the
    /// article, ascending.
    pub fn matches(&self, article: &ArticleTerms<'_>) -> Vec<usize> {
        if self.watches.is_empty() {
            return Vec::new();
        }
        let mut candidates: Vec<u32> = self.postings.always.clone();
        let terms = if article.article.language == "en" {
            &self.postings.term_en
        } else {
            &self.postings.term_id
        };
        if terms.len() < article.positions.len() {
            for (t, list) in terms {
                if article.positions.contains_key(t) {
                    candidates.extend(list);
                }
            }
        } else {
            for t in article.positions.keys() {
                if let Some(list) = terms.get(t) {
                    candidates.extend(list);
                }
            }
        }
        for e in &article.entities {
            if let Some(list) = self.postings.entity.get(*e) {
                candidates.extend(list);
            }
        }
        if let Some(list) = article
            .site
            .as_ref()
            .and_then(|s| self.postings.site.get(s))
        {
            candidates.extend(list);
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .filter(|&i| self.check(&self.watches[i as usize], article))
            .map(|i| i as usize)
            .collect()
    }

    fn check(&self, w: &CompiledWatch, a: &ArticleTerms<'_>) -> bool {
        let article = a.article;
        if w.language.as_ref().is_some_and(|l| *l != article.language) {
            return false;
        }
        if w.site.is_some() && w.site != a.site {
            return false;
        }
        if let Some(e) = &w.entity
            && a.entities.binary_search(&e.as_str()).is_err()
        {
            return false;
        }
        if let Some(s) = &w.speaker
            && !article.quotes.iter().flatten().any(|q| {
                q.speaker_entity
                    .as_deref()
                    .map(str::to_lowercase)
                    .as_deref()
                    == Some(s.as_str())
                    || q.speaker
                        .as_deref()
                        .is_some_and(|name| name.to_lowercase().contains(s.as_str()))
            })
        {
            return false;
        }
        a.eval(if article.language == "en" {
            &w.en
        } else {
            &w.id
        })
    }
}
