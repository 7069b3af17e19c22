//! What a search query names: words that are entities ("Korut", "North Korea", "Korea
//! Utara", "Tertitskiy") are found by the gazetteer's alias tables and by the names the
//! stored articles used, so the search also finds articles naming those entities
//! however they wrote them. Shared by `warta search`, the API and the web UI.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use warta_nlp::gazetteer::Gazetteer;
use warta_store::{Expansion, QuoteFilter, Result, SearchRequest, Store, StoredQuote};

/// Longest entity name looked for, in words.
const MAX_NAME_WORDS: usize = 4;
/// Cached lookups kept before the cache is emptied.
const CACHE_LIMIT: usize = 20_000;

/// Resolves query words to entities, with a cache (cleared after writes).
#[derive(Debug, Clone)]
pub struct QueryResolver {
    store: Arc<dyn Store>,
    names: Arc<Mutex<HashMap<String, Vec<String>>>>,
    entity_names: Arc<Mutex<HashMap<String, String>>>,
    quotes: Arc<Mutex<HashMap<String, Vec<StoredQuote>>>>,
}

/// True when the query uses the query language (phrases, groups, fields, operators):
/// such a query is taken as written.
fn has_syntax(query: &str) -> bool {
    query.contains(['"', '(', ')', ':', '+', '[', ']', '{', '}', '^', '*', '~'])
        || query
            .split_whitespace()
            .any(|w| matches!(w, "AND" | "OR" | "NOT") || w.starts_with('-'))
}

/// Entity ids that `name` (one or more words) names: the gazetteer's aliases, then the
/// names stored articles used. Short forms count only in capitals (`AS`, `RI`, `PBB`),
/// so `as` or `di` name nothing.
fn entities_named(store: &dyn Store, name: &str) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    let short_ok = letters > 3 || name.chars().all(|c| !c.is_lowercase());
    if short_ok && letters >= 2 {
        let g = Gazetteer::shared();
        if let Some(i) = g.lookup(name) {
            ids.push(g.entity(i).id.clone());
        }
        for id in store.entities_named(name)? {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

/// The entities a plain query (no query syntax) names, left to right, longest names
/// first, with `lookup` giving the entity ids of a span of words.
fn expansions_with(
    query: &str,
    mut lookup: impl FnMut(&str) -> Result<Vec<String>>,
) -> Result<Vec<Expansion>> {
    if has_syntax(query) {
        return Ok(Vec::new());
    }
    let words: Vec<&str> = query.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut taken = 0;
        for n in (1..=MAX_NAME_WORDS.min(words.len() - i)).rev() {
            let span = words[i..i + n].join(" ");
            let ids = lookup(&span)?;
            if !ids.is_empty() {
                out.push(Expansion {
                    words: span,
                    entities: ids,
                });
                taken = n;
                break;
            }
        }
        i += taken.max(1);
    }
    Ok(out)
}

/// The entities a query names, as [`QueryResolver::expansions`] finds them but without a
/// cache and over a borrowed store (for watches, whose queries are resolved when they
/// are compiled).
///
/// # Errors
/// A store failure.
pub fn entity_expansions(store: &dyn Store, query: &str) -> Result<Vec<Expansion>> {
    expansions_with(query, |span| entities_named(store, span))
}

impl QueryResolver {
    /// A resolver over a store.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            names: Arc::default(),
            entity_names: Arc::default(),
            quotes: Arc::default(),
        }
    }

    /// Forgets cached lookups (after new articles were stored).
    pub fn clear(&self) {
        self.names.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.entity_names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.quotes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The newest quotes (at most 10) by an entity (cached).
    pub fn quotes_by(&self, id: &str) -> Result<Vec<StoredQuote>> {
        if let Some(q) = self
            .quotes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
        {
            return Ok(q.clone());
        }
        let found = self.store.quotes(&QuoteFilter {
            speaker: Some(id.to_string()),
            limit: 10,
            ..QuoteFilter::default()
        })?;
        let mut cache = self.quotes.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE_LIMIT / 10 {
            cache.clear();
        }
        cache.insert(id.to_string(), found.clone());
        Ok(found)
    }

    /// Entity ids that `name` (one or more words) names.
    pub fn lookup(&self, name: &str) -> Result<Vec<String>> {
        let key = name.to_lowercase();
        if let Some(hit) = self
            .names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(hit.clone());
        }
        let ids = entities_named(self.store.as_ref(), name)?;
        let mut cache = self.names.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, ids.clone());
        Ok(ids)
    }

    /// The entities a query names, left to right, longest names first.
    pub fn expansions(&self, query: &str) -> Result<Vec<Expansion>> {
        expansions_with(query, |span| self.lookup(span))
    }

    /// A search request for a query with its expansions filled in.
    pub fn request(&self, mut request: SearchRequest) -> Result<SearchRequest> {
        request.expansions = self.expansions(&request.query)?;
        Ok(request)
    }

    /// Canonical names of entity ids (cached), in the order given; unknown ids keep
    /// their id as name.
    pub fn names(&self, ids: &[String]) -> Result<Vec<(String, String)>> {
        let mut missing = Vec::new();
        {
            let cache = self.entity_names.lock().unwrap_or_else(|e| e.into_inner());
            for id in ids {
                if !cache.contains_key(id) {
                    missing.push(id.clone());
                }
            }
        }
        if !missing.is_empty() {
            let found = self.store.entity_names(&missing)?;
            let mut cache = self.entity_names.lock().unwrap_or_else(|e| e.into_inner());
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            for (id, name) in found {
                cache.insert(id, name);
            }
        }
        let cache = self.entity_names.lock().unwrap_or_else(|e| e.into_inner());
        Ok(ids
            .iter()
            .map(|id| {
                (
                    id.clone(),
                    cache.get(id).cloned().unwrap_or_else(|| id.clone()),
                )
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_is_recognised() {
        assert!(has_syntax("\"Korea Utara\""));
        assert!(has_syntax("rudal AND Korut"));
        assert!(has_syntax("rudal -Korut"));
        assert!(!has_syntax("rudal Korea Utara"));
    }

    #[test]
    fn gazetteer_names_expand_to_one_entity() {
        let r = QueryResolver::new(Arc::new(warta_store::MemoryStore::new()));
        for q in ["Korut", "North Korea", "Korea Utara"] {
            let e = r.expansions(q).unwrap();
            assert_eq!(e.len(), 1, "{q}");
            assert_eq!(e[0].entities, ["country:KP"], "{q}");
            assert_eq!(e[0].words, q);
        }
        let e = r.expansions("uji rudal Korea Utara").unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].words, "Korea Utara");
        assert!(r.expansions("as di").unwrap().is_empty());
    }
}
