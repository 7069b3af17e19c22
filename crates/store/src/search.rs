//! The full-text index: a tantivy index derived from the database, BM25 over headline
//! and text, with the filters analysts use (site, language, entity, speaker, dates).

use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::directory::MmapDirectory;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Score, SegmentOrdinal,
    SegmentReader, TantivyDocument, Term,
};
use warta_core::Article;

use crate::error::{Result, StoreError};
use crate::model::{
    ArticleFilter, FacetCount, Facets, Highlight, SearchHit, SearchPage, SearchRequest,
    SearchResult, SearchSort,
};
use crate::{days, rows, twin};

/// Bumped whenever the index schema or its analysers change: an index built by another
/// version is rebuilt from the database when the store opens.
pub(crate) const INDEX_VERSION: u32 = 2;

/// Tokenizer of Indonesian (and any other non-English) text: lowercasing, ASCII folding,
/// dictionary-guarded Indonesian stemming.
const TOKENIZER_ID: &str = "warta_id";
/// Tokenizer of English text: lowercasing, ASCII folding, Porter (Snowball) stemming.
const TOKENIZER_EN: &str = "warta_en";
/// Tokenizer of speaker names: lowercasing and ASCII folding only.
const TOKENIZER_NAME: &str = "warta_name";

/// Fields of the index. Title and text go to the `_id` or `_en` pair by the article's
/// language, so each is analysed by its language's rules; a query is analysed both
/// ways and searches both.
#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title_id: Field,
    text_id: Field,
    title_en: Field,
    text_en: Field,
    language: Field,
    site: Field,
    entity: Field,
    speaker_id: Field,
    speaker: Field,
    day: Field,
    published: Field,
    url: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored()
    };
    let name_opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title_id: b.add_text_field("title_id", text(TOKENIZER_ID)),
        text_id: b.add_text_field("text_id", text(TOKENIZER_ID)),
        title_en: b.add_text_field("title_en", text(TOKENIZER_EN)),
        text_en: b.add_text_field("text_en", text(TOKENIZER_EN)),
        language: b.add_text_field("language", STRING | FAST | STORED),
        site: b.add_text_field("site", STRING | FAST | STORED),
        entity: b.add_text_field("entity", STRING | FAST),
        speaker_id: b.add_text_field("speaker_id", STRING),
        speaker: b.add_text_field("speaker", name_opts),
        day: b.add_i64_field("day", INDEXED | FAST),
        published: b.add_text_field("published", STORED),
        url: b.add_text_field("url", STORED),
    };
    (b.build(), fields)
}

pub(crate) fn analyzer(lang: &str) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match lang {
        "id" => base.filter(Stemming(StemLanguage::Indonesian)).build(),
        "en" => base.filter(Stemming(StemLanguage::English)).build(),
        _ => base.build(),
    }
}

/// The stemmers of the two analysers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StemLanguage {
    /// [`crate::stem::stem`]: confixes stripped down to a Sastrawi root.
    Indonesian,
    /// Snowball English.
    English,
}

/// Words remembered per thread and language before the memo is emptied.
const REMEMBERED_STEMS: usize = 100_000;

thread_local! {
    /// Word → stem, per language: news repeats its words, and stemming is most of the
    /// cost of indexing a text and of highlighting a result.
    static STEMS: std::cell::RefCell<[HashMap<String, String>; 2]> =
        std::cell::RefCell::new([HashMap::new(), HashMap::new()]);
}

impl StemLanguage {
    fn stem(self, word: &str) -> String {
        match self {
            Self::Indonesian => crate::stem::stem(word),
            Self::English => {
                static ENGLISH: std::sync::LazyLock<rust_stemmers::Stemmer> =
                    std::sync::LazyLock::new(|| {
                        rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English)
                    });
                ENGLISH.stem(word).into_owned()
            }
        }
    }

    /// Replaces `word` by its stem, from the thread's memo when seen before.
    fn stem_in_place(self, word: &mut String) {
        STEMS.with(|memo| {
            let mut memo = memo.borrow_mut();
            let memo = &mut memo[self as usize];
            if let Some(stem) = memo.get(word.as_str()) {
                if stem != word {
                    word.clone_from(stem);
                }
                return;
            }
            let stem = self.stem(word);
            if memo.len() >= REMEMBERED_STEMS {
                memo.clear();
            }
            memo.insert(word.clone(), stem.clone());
            *word = stem;
        });
    }
}

/// Token filter stemming each token (see [`StemLanguage`]).
#[derive(Clone)]
struct Stemming(StemLanguage);

impl TokenFilter for Stemming {
    type Tokenizer<T: Tokenizer> = StemmingFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        StemmingFilter(tokenizer, self.0)
    }
}

#[derive(Clone)]
struct StemmingFilter<T>(T, StemLanguage);

impl<T: Tokenizer> Tokenizer for StemmingFilter<T> {
    type TokenStream<'a> = StemmingStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemmingStream(self.0.token_stream(text), self.1)
    }
}

struct StemmingStream<T>(T, StemLanguage);

impl<T: TokenStream> TokenStream for StemmingStream<T> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        self.1.stem_in_place(&mut self.0.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// The index, its reader, and (once something is written) its writer.
pub(crate) struct FullText {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter>>,
    fields: Fields,
    /// Result pages answered lately, for the searcher generation they were computed on.
    pages: Mutex<PageCache>,
}

/// Result pages by request, valid while the index has not changed: dashboards and
/// the web UI ask the same searches again and again, and a page is then served
/// without searching. Emptied on every new searcher generation (a commit here or,
/// seen by the reader's watch on the index, by another process) and when full.
#[derive(Default)]
struct PageCache {
    generation: u64,
    pages: HashMap<String, SearchPage>,
}

/// Result pages kept per generation.
const CACHED_PAGES: usize = 2048;

impl std::fmt::Debug for FullText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FullText").field("dir", &self.dir).finish()
    }
}

/// A document to index.
pub(crate) struct IndexDoc<'a> {
    pub(crate) article: &'a Article,
    pub(crate) site: Option<&'a str>,
    pub(crate) day: Option<&'a str>,
}

impl FullText {
    /// Opens the index in `dir`, creating it when absent. When `fresh` is set any index
    /// there is deleted first (schema change, or a rebuild).
    pub(crate) fn open(dir: &Path, fresh: bool) -> Result<Self> {
        if fresh && dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|source| StoreError::Open {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Open {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, fields) = schema();
        let mmap = MmapDirectory::open(dir).map_err(|e| StoreError::Open {
            path: dir.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let index = Index::open_or_create(mmap, schema)?;
        index.tokenizers().register(TOKENIZER_ID, analyzer("id"));
        index.tokenizers().register(TOKENIZER_EN, analyzer("en"));
        index.tokenizers().register(TOKENIZER_NAME, analyzer(""));
        let reader = index
            .reader_builder()
            // Commits by this process reload at once (see `apply`); the watch picks up
            // those of another process (an ingest running beside `warta serve`).
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(Self {
            dir: dir.to_path_buf(),
            index,
            reader,
            writer: Mutex::new(None),
            fields,
            pages: Mutex::default(),
        })
    }

    /// The highest change number the last commit indexed (0 for a new index).
    pub(crate) fn indexed_seq(&self) -> Result<i64> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0))
    }

    /// Number of live documents.
    pub(crate) fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut guard = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            let writer = self
                .index
                .writer_with_num_threads(1, 64 * 1024 * 1024)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => StoreError::Locked {
                        path: self.dir.clone(),
                    },
                    other => StoreError::Index(other),
                })?;
            *guard = Some(writer);
        }
        let writer = guard.as_mut().expect("writer just created");
        f(writer)
    }

    /// Takes the index's writer lock now (held until the store is dropped), so a second
    /// process writing the same store fails before it changes anything.
    pub(crate) fn ensure_writer(&self) -> Result<()> {
        self.with_writer(|_| Ok(()))
    }

    /// Replaces the documents of `remove` and adds `add`, then commits with `seq` as the
    /// highest change number indexed.
    pub(crate) fn apply(&self, remove: &[&str], add: &[IndexDoc<'_>], seq: i64) -> Result<()> {
        self.with_writer(|writer| {
            for id in remove {
                writer.delete_term(Term::from_field_text(self.fields.id, id));
            }
            for doc in add {
                writer.delete_term(Term::from_field_text(self.fields.id, &doc.article.id));
                writer.add_document(self.document(doc))?;
            }
            let mut commit = writer.prepare_commit()?;
            commit.set_payload(&seq.to_string());
            commit.commit()?;
            Ok(())
        })?;
        self.reader.reload()?;
        Ok(())
    }

    /// Deletes every document (before a rebuild).
    pub(crate) fn clear(&self) -> Result<()> {
        self.with_writer(|writer| {
            writer.delete_all_documents()?;
            Ok(())
        })
    }

    fn document(&self, doc: &IndexDoc<'_>) -> TantivyDocument {
        let f = &self.fields;
        let a = doc.article;
        let (title, text) = if a.language == "en" {
            (f.title_en, f.text_en)
        } else {
            (f.title_id, f.text_id)
        };
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &a.id);
        if let Some(t) = &a.title {
            d.add_text(title, t);
        }
        d.add_text(text, &a.text);
        d.add_text(f.language, &a.language);
        if let Some(site) = doc.site {
            d.add_text(f.site, site);
        }
        for e in rows::subject_entity_ids(a) {
            d.add_text(f.entity, e);
        }
        for q in a.quotes.iter().flatten() {
            if let Some(s) = &q.speaker {
                d.add_text(f.speaker, s);
            }
            if let Some(s) = &q.speaker_entity {
                d.add_text(f.speaker_id, s);
            }
        }
        if let Some(day) = doc.day.and_then(days::day_range) {
            d.add_i64(f.day, day.0);
        }
        if let Some(p) = &a.published {
            d.add_text(f.published, p);
        }
        if let Some(u) = a.canonical_url.as_deref().or(a.url.as_deref()) {
            d.add_text(f.url, u);
        }
        d
    }

    /// BM25 search over title and text with the filter's restrictions, best first
    /// (the store's basic `search`: an empty query with no restriction finds nothing).
    pub(crate) fn search(&self, query: &str, filter: &ArticleFilter) -> Result<Vec<SearchHit>> {
        let unrestricted = ArticleFilter {
            limit: 0,
            offset: 0,
            include_copies: false,
            ..filter.clone()
        } == ArticleFilter::default();
        if query.trim().is_empty() && unrestricted {
            return Ok(Vec::new());
        }
        let request = SearchRequest {
            query: query.to_string(),
            filter: ArticleFilter {
                limit: if filter.limit == 0 { 100 } else { filter.limit },
                ..filter.clone()
            },
            ..SearchRequest::default()
        };
        Ok(self
            .search_page(&request)?
            .hits
            .into_iter()
            .map(|h| SearchHit {
                id: h.id,
                score: h.score,
            })
            .collect())
    }

    fn text_query(&self, request: &SearchRequest) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        if request.query.trim().is_empty() {
            return None;
        }
        let mut parser = QueryParser::for_index(
            &self.index,
            vec![f.title_id, f.text_id, f.title_en, f.text_en],
        );
        parser.set_field_boost(f.title_id, 2.0);
        parser.set_field_boost(f.title_en, 2.0);
        parser.set_conjunction_by_default();
        let text = and_not(&crate::model::expanded_query(
            &request.query,
            &request.expansions,
        ));
        let (query, _errors) = parser.parse_query_lenient(&text);
        Some(query)
    }

    fn filter_clauses(&self, filter: &ArticleFilter) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(site) = &filter.site {
            clauses.push((Occur::Must, term(f.site, &rows::site_key(site))));
        }
        if let Some(lang) = &filter.language {
            clauses.push((Occur::Must, term(f.language, lang)));
        }
        if let Some(entity) = &filter.entity {
            clauses.push((Occur::Must, term(f.entity, entity)));
        }
        if let Some(speaker) = &filter.speaker {
            let mut sub: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, term(f.speaker_id, speaker))];
            let (by_name, _) = QueryParser::for_index(&self.index, vec![f.speaker])
                .parse_query_lenient(&format!("\"{}\"", speaker.replace(['"', '\\'], " ")));
            sub.push((Occur::Should, by_name));
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(sub))));
        }
        let since = filter
            .since
            .as_deref()
            .and_then(|s| days::day_range(s).map(|r| r.0));
        let until = filter
            .until
            .as_deref()
            .and_then(|s| days::day_range(s).map(|r| r.1));
        if since.is_some() || until.is_some() {
            let lo = since.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_i64(f.day, d))
            });
            let hi = until.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_i64(f.day, d))
            });
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        clauses
    }

    /// One page of a full search (see [`crate::Store::search_page`]), from the page
    /// cache when the same request was answered on the same index generation.
    pub(crate) fn search_page(&self, request: &SearchRequest) -> Result<SearchPage> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let key = format!("{request:?}");
        {
            let cache = self.pages.lock().unwrap_or_else(|e| e.into_inner());
            if cache.generation == generation
                && let Some(page) = cache.pages.get(&key)
            {
                return Ok(page.clone());
            }
        }
        let page = self.search_page_afresh(request, &searcher)?;
        let mut cache = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if cache.generation != generation || cache.pages.len() >= CACHED_PAGES {
            cache.pages.clear();
            cache.generation = generation;
        }
        cache.pages.insert(key, page.clone());
        Ok(page)
    }

    fn search_page_afresh(
        &self,
        request: &SearchRequest,
        searcher: &tantivy::Searcher,
    ) -> Result<SearchPage> {
        let f = &self.fields;
        let mut clauses = self.filter_clauses(&request.filter);
        let text = self.text_query(request);
        if let Some(q) = &text {
            clauses.push((Occur::Must, q.box_clone()));
        }
        let query: Box<dyn Query> = if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        let limit = twin::page_size(&request.filter);
        let offset = request.filter.offset;
        let facets = FacetCollector {
            enabled: request.facets,
        };
        let sort_by_date = request.sort == SearchSort::Date || text.is_none();
        let (top, total, counts): (Vec<(f32, DocAddress)>, usize, FacetCounts) = if sort_by_date {
            let by_day = TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_fast_field::<i64>("day", Order::Desc);
            let (top, total, counts) = searcher.search(&query, &(by_day, Count, facets))?;
            (
                top.into_iter().map(|(_, a)| (0.0, a)).collect(),
                total,
                counts,
            )
        } else {
            let best = TopDocs::with_limit(limit).and_offset(offset);
            searcher.search(&query, &(best, Count, facets))?
        };
        let mut snippets: [Option<SnippetGenerator>; 2] = [None, None];
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let get = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let Some(id) = get(f.id) else { continue };
            let language = get(f.language).unwrap_or_else(|| "und".to_string());
            let (title_field, text_field, slot) = if language == "en" {
                (f.title_en, f.text_en, 1)
            } else {
                (f.title_id, f.text_id, 0)
            };
            let highlight = match (&text, request.highlights) {
                (Some(q), true) => {
                    if snippets[slot].is_none() {
                        let mut generator = SnippetGenerator::create(searcher, &**q, text_field)?;
                        generator.set_max_num_chars(240);
                        snippets[slot] = Some(generator);
                    }
                    snippets[slot]
                        .as_ref()
                        .map(|g| highlight(&g.snippet_from_doc(&doc)))
                }
                (None, true) => get(text_field).map(|t| Highlight {
                    text: t.chars().take(240).collect(),
                    ranges: Vec::new(),
                }),
                _ => None,
            };
            let highlight = match highlight {
                Some(h) if h.text.is_empty() => get(text_field).map(|t| Highlight {
                    text: t.chars().take(240).collect(),
                    ranges: Vec::new(),
                }),
                other => other,
            };
            hits.push(SearchResult {
                id,
                score,
                title: get(title_field),
                url: get(f.url),
                site: get(f.site),
                published: get(f.published),
                language,
                highlight,
            });
        }
        Ok(SearchPage {
            total: total as u64,
            hits,
            facets: request.facets.then(|| counts.into_facets()),
        })
    }
}

/// `a AND NOT b` as `a AND -b`, which tantivy's grammar reads as meant (it reads `NOT b`
/// after `AND` as a clause of its own that matches nothing).
fn and_not(query: &str) -> String {
    let words: Vec<&str> = query.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if words[i] == "AND" && words.get(i + 1) == Some(&"NOT") && i + 2 < words.len() {
            out.push("AND".into());
            out.push(format!("-{}", words[i + 2]));
            i += 3;
        } else {
            out.push(words[i].to_string());
            i += 1;
        }
    }
    out.join(" ")
}

/// A tantivy snippet as a [`Highlight`] (character ranges).
fn highlight(snippet: &tantivy::snippet::Snippet) -> Highlight {
    let text = snippet.fragment();
    let char_at = |byte: usize| text[..byte.min(text.len())].chars().count();
    Highlight {
        text: text.to_string(),
        ranges: snippet
            .highlighted()
            .iter()
            .map(|r| [char_at(r.start), char_at(r.end)])
            .collect(),
    }
}

/// Counts of matching documents by language, site, entity and day.
#[derive(Debug, Default)]
struct FacetCounts {
    language: HashMap<String, u64>,
    site: HashMap<String, u64>,
    entity: HashMap<String, u64>,
    day: HashMap<i64, u64>,
}

impl FacetCounts {
    fn merge(&mut self, other: FacetCounts) {
        for (mine, theirs) in [
            (&mut self.language, other.language),
            (&mut self.site, other.site),
            (&mut self.entity, other.entity),
        ] {
            for (k, v) in theirs {
                *mine.entry(k).or_insert(0) += v;
            }
        }
        for (k, v) in other.day {
            *self.day.entry(k).or_insert(0) += v;
        }
    }

    fn into_facets(self) -> Facets {
        let top = |map: HashMap<String, u64>, keep: usize| {
            let mut v: Vec<FacetCount> = map
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            v.truncate(keep);
            v
        };
        let mut months: BTreeMap<String, u64> = BTreeMap::new();
        for (day, n) in self.day {
            let (y, m, _) = days::civil_from_days(day);
            *months.entry(format!("{y:04}-{m:02}")).or_insert(0) += n;
        }
        Facets {
            language: top(self.language, 50),
            site: top(self.site, 50),
            entity: top(self.entity, 20),
            month: months
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect(),
        }
    }
}

/// Collects [`FacetCounts`] from the fast fields (nothing when not enabled).
struct FacetCollector {
    enabled: bool,
}

struct FacetSegment {
    language: Option<StrColumn>,
    site: Option<StrColumn>,
    entity: Option<StrColumn>,
    day: Option<Column<i64>>,
    /// Counts by term ordinal (ordinals are dense per segment).
    by_language: Vec<u64>,
    by_site: Vec<u64>,
    by_entity: Vec<u64>,
    by_day: HashMap<i64, u64>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let fast = segment.fast_fields();
        let (language, site, entity, day) = if self.enabled {
            (
                fast.str("language")?,
                fast.str("site")?,
                fast.str("entity")?,
                fast.i64("day").ok(),
            )
        } else {
            (None, None, None, None)
        };
        let slots = |c: &Option<StrColumn>| vec![0u64; c.as_ref().map_or(0, |c| c.num_terms())];
        Ok(FacetSegment {
            by_language: slots(&language),
            by_site: slots(&site),
            by_entity: slots(&entity),
            language,
            site,
            entity,
            day,
            by_day: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut all = FacetCounts::default();
        for f in fruits {
            all.merge(f);
        }
        Ok(all)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in [
            (&self.language, &mut self.by_language),
            (&self.site, &mut self.by_site),
            (&self.entity, &mut self.by_entity),
        ] {
            if let Some(c) = column {
                for ord in c.term_ords(doc) {
                    if let Some(n) = counts.get_mut(ord as usize) {
                        *n += 1;
                    }
                }
            }
        }
        if let Some(day) = self.day.as_ref().and_then(|c| c.first(doc)) {
            *self.by_day.entry(day).or_insert(0) += 1;
        }
    }

    fn harvest(self) -> FacetCounts {
        let names = |column: &Option<StrColumn>, counts: Vec<u64>| {
            let mut out = HashMap::new();
            if let Some(c) = column {
                let mut s = String::new();
                for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                    s.clear();
                    if c.ord_to_str(ord as u64, &mut s).unwrap_or(false) {
                        out.insert(s.clone(), n);
                    }
                }
            }
            out
        };
        FacetCounts {
            language: names(&self.language, self.by_language),
            site: names(&self.site, self.by_site),
            entity: names(&self.entity, self.by_entity),
            day: self.by_day,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{analyzer, and_not};
    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
        TextAnalyzer,
    };

    fn tokens(mut a: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// The memoised English stems are tantivy's own (the index stays the same).
    #[test]
    fn english_stems_match_tantivys_stemmer_seen_twice() {
        let text = "The ministers said the governments were running trials; \
                    running, ministers, governments again. Café élections";
        let tantivy = || {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(48))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(Stemmer::new(Language::English))
                .build()
        };
        for _ in 0..2 {
            assert_eq!(tokens(analyzer("en"), text), tokens(tantivy(), text));
        }
        let id = tokens(analyzer("id"), "pemerintahan memerintahkan pemerintahan");
        assert_eq!(id[0], id[2]);
    }

    #[test]
    fn and_not_becomes_a_required_exclusion() {
        assert_eq!(and_not("Putin AND NOT spaceport"), "Putin AND -spaceport");
        assert_eq!(and_not("a AND NOT"), "a AND NOT");
        assert_eq!(and_not("a  OR b"), "a OR b");
    }
}
