//! The full-text index: a tantivy index derived from the database, BM25 over headline
//! and text, with the filters analysts use (site, language, entity, speaker, dates).

use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use warta_core::Article;

use crate::error::{Result, StoreError};
use crate::model::{ArticleFilter, SearchHit};
use crate::{days, rows};

/// Bumped whenever the index schema or its analysers change: an index built by another
/// version is rebuilt from the database when the store opens.
pub(crate) const INDEX_VERSION: u32 = 1;

/// Name of the tokenizer used for article text.
const TOKENIZER: &str = "warta_text";

/// Fields of the index.
#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    text: Field,
    language: Field,
    site: Field,
    entity: Field,
    speaker: Field,
    day: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text_opts.clone()),
        text: b.add_text_field("text", text_opts.clone()),
        language: b.add_text_field("language", STRING),
        site: b.add_text_field("site", STRING),
        entity: b.add_text_field("entity", STRING),
        speaker: b.add_text_field("speaker", text_opts),
        day: b.add_i64_field("day", INDEXED | FAST),
    };
    (b.build(), fields)
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The index, its reader, and (once something is written) its writer.
pub(crate) struct FullText {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter>>,
    fields: Fields,
}

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
        index.tokenizers().register(TOKENIZER, analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            dir: dir.to_path_buf(),
            index,
            reader,
            writer: Mutex::new(None),
            fields,
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
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &a.id);
        if let Some(title) = &a.title {
            d.add_text(f.title, title);
        }
        d.add_text(f.text, &a.text);
        d.add_text(f.language, &a.language);
        if let Some(site) = doc.site {
            d.add_text(f.site, site);
        }
        for e in a.entities.iter().flatten() {
            if e.role.as_deref() != Some("credit") {
                d.add_text(f.entity, &e.id);
            }
        }
        for q in a.quotes.iter().flatten() {
            if let Some(s) = &q.speaker {
                d.add_text(f.speaker, s);
            }
            if let Some(s) = &q.speaker_entity {
                d.add_text(f.entity, format!("speaker={s}"));
            }
        }
        if let Some(day) = doc.day.and_then(days::day_range) {
            d.add_i64(f.day, day.0);
        }
        d
    }

    /// BM25 search over title and text with the filter's restrictions, best first.
    pub(crate) fn search(&self, query: &str, filter: &ArticleFilter) -> Result<Vec<SearchHit>> {
        let f = &self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.text]);
        parser.set_field_boost(f.title, 2.0);
        parser.set_conjunction_by_default();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !query.trim().is_empty() {
            let parsed = parser
                .parse_query(query)
                .map_err(|e| StoreError::Query(e.to_string()))?;
            clauses.push((Occur::Must, parsed));
        }
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
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
            let sub: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Should, term(f.entity, &format!("speaker={speaker}"))),
                (
                    Occur::Should,
                    QueryParser::for_index(&self.index, vec![f.speaker])
                        .parse_query(&format!("\"{}\"", speaker.replace('"', " ")))
                        .map_err(|e| StoreError::Query(e.to_string()))?,
                ),
            ];
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
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(clauses);
        let limit = if filter.limit == 0 { 100 } else { filter.limit };
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(limit).and_offset(filter.offset),
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = doc.get_first(f.id).and_then(|v| v.as_str()) {
                hits.push(SearchHit {
                    id: id.to_string(),
                    score,
                });
            }
        }
        Ok(hits)
    }
}
