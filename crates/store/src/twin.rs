//! The provided implementations of the [`Store`] trait's search and entity views, built
//! on its basic methods (listings, `search`, `article`). The in-memory twin uses them;
//! the SQLite store answers the same questions from its index and tables.

use std::collections::{BTreeMap, HashMap};

use crate::error::Result;
use crate::model::*;
use crate::{Store, rows};

/// Default page size of a search.
pub(crate) const DEFAULT_PAGE: usize = 20;

/// The page size a request asks for.
pub(crate) fn page_size(filter: &ArticleFilter) -> usize {
    if filter.limit == 0 {
        DEFAULT_PAGE
    } else {
        filter.limit
    }
}

/// `query` with the words of `words` taken out once (case-insensitive, whole words).
pub(crate) fn without_words(query: &str, words: &str) -> String {
    let q: Vec<&str> = query.split_whitespace().collect();
    let w: Vec<String> = words.split_whitespace().map(str::to_lowercase).collect();
    if w.is_empty() {
        return query.to_string();
    }
    for start in 0..q.len() {
        if start + w.len() <= q.len()
            && q[start..start + w.len()]
                .iter()
                .zip(&w)
                .all(|(a, b)| a.to_lowercase() == *b)
        {
            let mut rest: Vec<&str> = q[..start].to_vec();
            rest.extend_from_slice(&q[start + w.len()..]);
            return rest.join(" ");
        }
    }
    query.to_string()
}

fn month_of(published: Option<&str>) -> Option<String> {
    let day = crate::days::first_day(published?)?;
    Some(day[..7].to_string())
}

fn count_desc(map: HashMap<String, u64>, keep: usize) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> = map
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    v.truncate(keep);
    v
}

/// A passage of `text` around the first query word, with every query word marked.
pub(crate) fn simple_highlight(text: &str, query: &str) -> Option<Highlight> {
    let terms = rows::words(query);
    let para = text
        .split("\n\n")
        .find(|p| rows::words(p).iter().any(|w| terms.contains(w)))
        .or_else(|| text.split("\n\n").next())?;
    let passage: String = para.chars().take(240).collect();
    let mut ranges = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<char> = passage.chars().collect();
    for (i, c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            let word: String = chars[s..i].iter().collect::<String>().to_lowercase();
            if terms.contains(&word) {
                ranges.push([s, i]);
            }
        }
    }
    Some(Highlight {
        text: passage,
        ranges,
    })
}

pub(crate) fn search_page<S: Store + ?Sized>(
    store: &S,
    request: &SearchRequest,
) -> Result<SearchPage> {
    let all = ArticleFilter {
        limit: 0,
        offset: 0,
        ..request.filter.clone()
    };
    // (score, id) of every match.
    let mut found: HashMap<String, f32> = HashMap::new();
    if request.query.trim().is_empty() {
        for a in store.articles(&all)? {
            found.insert(a.id, 0.0);
        }
    } else {
        for h in store.search(&request.query, &all)? {
            found.insert(h.id, h.score);
        }
        for e in &request.expansions {
            let rest = without_words(&request.query, &e.words);
            for entity in &e.entities {
                let filter = ArticleFilter {
                    entity: Some(entity.clone()),
                    ..all.clone()
                };
                let ids: Vec<(String, f32)> = if rest.trim().is_empty() {
                    store
                        .articles(&filter)?
                        .into_iter()
                        .map(|a| (a.id, 1.0))
                        .collect()
                } else {
                    store
                        .search(&rest, &filter)?
                        .into_iter()
                        .map(|h| (h.id, h.score))
                        .collect()
                };
                for (id, score) in ids {
                    let s = found.entry(id).or_insert(0.0);
                    *s = s.max(score);
                }
            }
        }
    }
    let mut stored = Vec::with_capacity(found.len());
    for (id, score) in found {
        if let Some(a) = store.article(&id)? {
            stored.push((score, a));
        }
    }
    let day = |a: &StoredArticle| rows::published_day(&a.article).unwrap_or_default();
    match request.sort {
        SearchSort::Relevance => stored.sort_by(|x, y| {
            y.0.total_cmp(&x.0)
                .then_with(|| day(&y.1).cmp(&day(&x.1)))
                .then_with(|| x.1.article.id.cmp(&y.1.article.id))
        }),
        SearchSort::Date => stored.sort_by(|x, y| {
            day(&y.1)
                .cmp(&day(&x.1))
                .then_with(|| x.1.article.id.cmp(&y.1.article.id))
        }),
    }
    let facets = request.facets.then(|| {
        let mut language = HashMap::new();
        let mut site = HashMap::new();
        let mut entity = HashMap::new();
        let mut month: BTreeMap<String, u64> = BTreeMap::new();
        for (_, s) in &stored {
            let a = &s.article;
            *language.entry(a.language.clone()).or_insert(0) += 1;
            if let Some(x) = rows::article_site(a) {
                *site.entry(x).or_insert(0) += 1;
            }
            for id in rows::subject_entity_ids(a) {
                *entity.entry(id.to_string()).or_insert(0) += 1;
            }
            if let Some(m) = month_of(a.published.as_deref()) {
                *month.entry(m).or_insert(0) += 1;
            }
        }
        Facets {
            language: count_desc(language, 50),
            site: count_desc(site, 50),
            entity: count_desc(entity, 20),
            month: month
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect(),
        }
    });
    let total = stored.len() as u64;
    let hits = stored
        .into_iter()
        .skip(request.filter.offset)
        .take(page_size(&request.filter))
        .map(|(score, s)| {
            let a = s.article;
            SearchResult {
                highlight: if request.highlights {
                    simple_highlight(&a.text, &request.query)
                } else {
                    None
                },
                site: rows::article_site(&a),
                url: rows::display_url(&a),
                id: a.id,
                score,
                title: a.title,
                published: a.published,
                language: a.language,
            }
        })
        .collect();
    Ok(SearchPage {
        total,
        hits,
        facets,
    })
}

pub(crate) fn entities_named<S: Store + ?Sized>(store: &S, name: &str) -> Result<Vec<String>> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(Vec::new());
    }
    let lower = name.to_lowercase();
    let mut ids: Vec<String> = store
        .find_entities(name, 50)?
        .into_iter()
        .filter(|e| e.name.to_lowercase() == lower || e.id == name)
        .map(|e| e.id)
        .collect();
    // Names as articles wrote them.
    for a in store.articles(&ArticleFilter::default())? {
        if let Some(s) = store.article(&a.id)? {
            for e in s.article.entities.iter().flatten() {
                if e.role.as_deref() != Some("credit")
                    && !ids.contains(&e.id)
                    && e.mentions.iter().any(|m| m.text.to_lowercase() == lower)
                {
                    ids.push(e.id.clone());
                }
            }
        }
    }
    Ok(ids)
}

pub(crate) fn entity_timeline<S: Store + ?Sized>(store: &S, id: &str) -> Result<Vec<MonthCount>> {
    let filter = ArticleFilter {
        entity: Some(id.to_string()),
        ..ArticleFilter::default()
    };
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    for a in store.articles(&filter)? {
        if let Some(m) = month_of(a.published.as_deref()) {
            *months.entry(m).or_insert(0) += 1;
        }
    }
    Ok(months
        .into_iter()
        .map(|(month, articles)| MonthCount { month, articles })
        .collect())
}

pub(crate) fn cooccurring<S: Store + ?Sized>(
    store: &S,
    id: &str,
    limit: usize,
) -> Result<Vec<Cooccurrence>> {
    let filter = ArticleFilter {
        entity: Some(id.to_string()),
        ..ArticleFilter::default()
    };
    let mut counts: HashMap<String, (String, String, u64)> = HashMap::new();
    for a in store.articles(&filter)? {
        let Some(s) = store.article(&a.id)? else {
            continue;
        };
        let mut seen = Vec::new();
        for e in s.article.entities.iter().flatten() {
            if e.id == id || e.role.as_deref() == Some("credit") || seen.contains(&e.id) {
                continue;
            }
            seen.push(e.id.clone());
            let entry = counts
                .entry(e.id.clone())
                .or_insert_with(|| (e.name.clone(), e.kind.as_str().to_string(), 0));
            entry.2 += 1;
        }
    }
    let mut out: Vec<Cooccurrence> = counts
        .into_iter()
        .map(|(id, (name, kind, articles))| Cooccurrence {
            id,
            name,
            kind,
            articles,
        })
        .collect();
    out.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.name.cmp(&b.name)));
    if limit > 0 {
        out.truncate(limit);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_taken_out_once() {
        assert_eq!(
            without_words("rudal Korea Utara baru", "korea utara"),
            "rudal baru"
        );
        assert_eq!(without_words("Korut", "Korut"), "");
        assert_eq!(without_words("a b", "c"), "a b");
    }

    #[test]
    fn highlights_mark_query_words() {
        let h = simple_highlight("Intro.\n\nRudal diluncurkan pagi.", "rudal").unwrap();
        assert_eq!(h.text, "Rudal diluncurkan pagi.");
        assert_eq!(h.ranges, vec![[0, 5]]);
    }
}
