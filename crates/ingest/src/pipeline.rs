//! The ingest pipeline: documents in, stored articles out.
//!
//! A batch of documents goes through four steps:
//!
//! 1. **Skip what is known.** Each document has a key (its path, URL or WARC record)
//!    and the hash of its bytes; a key the store has seen with the same hash is skipped
//!    before any parsing, which makes re-running an ingest cheap.
//! 2. **Extract and analyse**, in parallel over the batch (rayon). Pages of a
//!    multi-page story that were fetched together are stitched into one article
//!    before analysis.
//! 3. **Fold copies**, in input order: each article's fingerprint is compared with the
//!    stored candidates the store finds by fingerprint keys, and with the articles
//!    earlier in the same batch; a match makes it a copy of that article.
//! 4. **Store** the batch in one transaction.
//!
//! Failures are per document: a page that cannot be read or has no article is
//! reported with its key and the reason, and the rest of the batch goes on.

use std::collections::HashMap;

use rayon::prelude::*;
use warta_core::{Analyzer, Article, ExtractError, Extractor, RawDoc};
use warta_store::{Fingerprint, InputSeen, NewArticle, PutOutcome, Store, StoreError};

/// One document to ingest.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// What identifies this input across runs: a path, a URL, or `file.warc#offset`.
    pub key: String,
    /// The address the page was fetched from (or the WARC record's target URI).
    pub url: Option<String>,
    /// The `Content-Type` it was served with, when known.
    pub content_type: Option<String>,
    /// The bytes, decompressed.
    pub bytes: Vec<u8>,
    /// True when the bytes were cut at a size limit.
    pub truncated: bool,
    /// A publication date from elsewhere (a feed entry, a sitemap) used when the page
    /// gives none.
    pub published_hint: Option<String>,
    /// The registered source that led here.
    pub source_id: Option<i64>,
    /// Further pages of the same story, in order, already fetched.
    pub more_pages: Vec<Document>,
}

impl Document {
    /// The document as the extraction stage reads it.
    fn raw(&self) -> RawDoc {
        RawDoc {
            input: self.key.clone(),
            url: self.url.clone(),
            content_type: self.content_type.clone(),
            bytes: self.bytes.clone(),
            truncated: self.truncated,
        }
    }

    /// Hash of the bytes of this document and its further pages.
    pub fn hash(&self) -> String {
        if self.more_pages.is_empty() {
            return warta_core::content_hash(&self.bytes);
        }
        let mut all = self.bytes.clone();
        for p in &self.more_pages {
            all.push(0);
            all.extend_from_slice(&p.bytes);
        }
        warta_core::content_hash(&all)
    }
}

/// Decides which articles are copies of one another: the duplicate-detection stage as
/// the pipeline uses it.
pub trait CopyDetector: Send + Sync {
    /// The fingerprint stored with an article.
    fn fingerprint(&self, article: &Article) -> Fingerprint;

    /// How similar a new article is to a stored one, when it is a copy of it
    /// (`None`: a different story).
    fn copy_of(&self, new: &Fingerprint, stored: &Fingerprint) -> Option<f32>;
}

/// Folds exact copies only: the same normalised text.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExactCopies;

impl CopyDetector for ExactCopies {
    fn fingerprint(&self, article: &Article) -> Fingerprint {
        let normalised: String = article
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
        let hex = warta_core::content_hash(normalised.as_bytes());
        let exact = u64::from_str_radix(&hex, 16).unwrap_or(0);
        Fingerprint {
            exact,
            keys: Vec::new(),
            signature: Vec::new(),
        }
    }

    fn copy_of(&self, new: &Fingerprint, stored: &Fingerprint) -> Option<f32> {
        (new.exact == stored.exact).then_some(1.0)
    }
}

/// What happened to one document.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Stored for the first time.
    New,
    /// Stored before; its content changed and the old one is kept as a revision.
    Updated,
    /// Stored before with the same content.
    Unchanged,
    /// Stored as a copy of another article.
    Duplicate {
        /// The canonical article.
        of: String,
    },
    /// Not stored, and not an error: an input seen before unchanged, or a page that is
    /// not an article (an index, a login page).
    Skipped {
        /// Why.
        reason: String,
    },
    /// Could not be ingested.
    Failed {
        /// What went wrong, naming the input and the fix.
        error: String,
    },
}

impl Outcome {
    /// A short name for logs and summaries: `new`, `updated`, `unchanged`, `duplicate`,
    /// `skipped`, `error`.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::New => "new",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Duplicate { .. } => "duplicate",
            Outcome::Skipped { .. } => "skipped",
            Outcome::Failed { .. } => "error",
        }
    }
}

/// What happened to one document, with what later steps need (the crawler follows
/// `next_page`).
#[derive(Debug, Clone)]
pub struct ItemReport {
    /// The document's key.
    pub key: String,
    /// What happened.
    pub outcome: Outcome,
    /// The stored article's id.
    pub article_id: Option<String>,
    /// The next page of the story, when the last page read links one.
    pub next_page: Option<String>,
}

/// Counts of outcomes, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Stored for the first time.
    pub new: u64,
    /// Updated with a new revision.
    pub updated: u64,
    /// Already stored, same content.
    pub unchanged: u64,
    /// Folded into another article as copies.
    pub duplicates: u64,
    /// Skipped (seen before, or not an article).
    pub skipped: u64,
    /// Failed.
    pub errors: u64,
}

impl Totals {
    /// Counts one outcome.
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::New => self.new += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Duplicate { .. } => self.duplicates += 1,
            Outcome::Skipped { .. } => self.skipped += 1,
            Outcome::Failed { .. } => self.errors += 1,
        }
    }

    /// Documents counted.
    pub fn total(&self) -> u64 {
        self.new + self.updated + self.unchanged + self.duplicates + self.skipped + self.errors
    }
}

impl std::fmt::Display for Totals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} new, {} updated, {} unchanged, {} duplicates, {} skipped, {} errors",
            self.new, self.updated, self.unchanged, self.duplicates, self.skipped, self.errors
        )
    }
}

/// Options of the pipeline.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Re-read inputs even when they were ingested before with the same bytes.
    pub force: bool,
}

/// The stages and the store, wired together.
#[derive(Clone, Copy)]
pub struct Pipeline<'a> {
    /// Finds the article in a page.
    pub extractor: &'a dyn Extractor,
    /// Adds language, entities, quotes, times.
    pub analyzer: &'a dyn Analyzer,
    /// Decides what is a copy of what.
    pub copies: &'a dyn CopyDetector,
    /// Where articles go.
    pub store: &'a dyn Store,
    /// Options.
    pub options: Options,
}

impl std::fmt::Debug for Pipeline<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("store", &self.store)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// A batch of documents after extraction and analysis, ready to be stored
/// ([`Pipeline::prepare_batch`], then [`Pipeline::store_batch`]).
pub struct PreparedBatch {
    items: Vec<PreparedItem>,
}

impl std::fmt::Debug for PreparedBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedBatch")
            .field("documents", &self.items.len())
            .finish()
    }
}

impl PreparedBatch {
    /// How many documents the batch holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// One document of a prepared batch: what storing it needs (not its bytes).
struct PreparedItem {
    key: String,
    source_id: Option<i64>,
    hash: String,
    /// `None` when the input was seen before unchanged.
    prepared: Option<Prepared>,
}

/// A document after extraction and analysis.
enum Prepared {
    Article {
        article: Box<Article>,
        fingerprint: Fingerprint,
        next_page: Option<String>,
    },
    Skipped(String),
    Failed(String),
}

/// Joins the pages of one story into the first page's record: their paragraphs and
/// headings in order, `pages` counted, and `next_page`/`continues` from the last page.
pub fn stitch(mut first: Article, rest: &[Article]) -> Article {
    if rest.is_empty() {
        return first;
    }
    let mut blocks: Vec<(bool, String)> = Vec::new();
    let mut push_blocks = |a: &Article| {
        // `text` holds paragraphs and headings in reading order, blank-line separated.
        for block in a.text.split("\n\n") {
            let is_heading = a.headings.iter().any(|h| h == block);
            blocks.push((is_heading, block.to_string()));
        }
    };
    push_blocks(&first);
    let mut pages = first.pages.max(1);
    let mut last_next = first.next_page.clone();
    let mut last_continues = first.continues;
    for page in rest {
        push_blocks(page);
        pages += page.pages.max(1);
        last_next.clone_from(&page.next_page);
        last_continues = page.continues;
        for c in &page.captions {
            if !first.captions.contains(c) {
                first.captions.push(c.clone());
            }
        }
        for i in &page.images {
            if !first.images.iter().any(|x| x.src == i.src) {
                first.images.push(i.clone());
            }
        }
    }
    first.set_body(blocks);
    first.pages = pages;
    first.next_page = last_next;
    first.continues = last_continues;
    first
}

impl Pipeline<'_> {
    fn prepare(&self, doc: &Document) -> Prepared {
        let first = match self.extractor.extract(&doc.raw()) {
            Ok(a) => a,
            Err(ExtractError::NoArticle { .. }) => {
                return Prepared::Skipped("no article on this page".to_string());
            }
            Err(e) => return Prepared::Failed(e.to_string()),
        };
        let mut rest = Vec::with_capacity(doc.more_pages.len());
        for page in &doc.more_pages {
            match self.extractor.extract(&page.raw()) {
                Ok(a) => rest.push(a),
                // A later page that fails ends the story there; the first pages stand.
                Err(_) => break,
            }
        }
        let mut article = stitch(first, &rest);
        if article.published.is_none()
            && let Some(hint) = &doc.published_hint
        {
            article.published = Some(hint.clone());
            article.warn(
                "published_from_source",
                "the page gives no date; the date is the one its feed or sitemap gave",
            );
        }
        self.analyzer.analyze(&mut article);
        let fingerprint = self.copies.fingerprint(&article);
        let next_page = article.next_page.clone();
        Prepared::Article {
            article: Box::new(article),
            fingerprint,
            next_page,
        }
    }

    /// Ingests one batch of documents and reports what happened to each, in order.
    /// The batch is stored in one transaction; keep batches to a few hundred documents
    /// so memory stays bounded.
    ///
    /// # Errors
    /// Only store failures (the database cannot be written); per-document problems are
    /// reported as [`Outcome::Failed`] or [`Outcome::Skipped`].
    pub fn ingest(&self, docs: &[Document]) -> Result<Vec<ItemReport>, StoreError> {
        let prepared = self.prepare_batch(docs)?;
        self.store_batch(prepared)
    }

    /// The parallel half of [`ingest`](Self::ingest): skips inputs seen before
    /// unchanged, then extracts, analyses and fingerprints the rest. It reads the
    /// store but does not write it, so it can run while the previous batch is
    /// being stored.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn prepare_batch(&self, docs: &[Document]) -> Result<PreparedBatch, StoreError> {
        let hashes: Vec<String> = docs.par_iter().map(Document::hash).collect();
        let mut known = Vec::with_capacity(docs.len());
        for (doc, hash) in docs.iter().zip(&hashes) {
            let seen = !self.options.force
                && self.store.input_hash(&doc.key)?.as_deref() == Some(hash.as_str());
            known.push(seen);
        }
        let prepared: Vec<Option<Prepared>> = docs
            .par_iter()
            .zip(&known)
            .map(|(doc, seen)| (!seen).then(|| self.prepare(doc)))
            .collect();
        let items = docs
            .iter()
            .zip(hashes)
            .zip(prepared)
            .map(|((doc, hash), prepared)| PreparedItem {
                key: doc.key.clone(),
                source_id: doc.source_id,
                hash,
                prepared,
            })
            .collect();
        Ok(PreparedBatch { items })
    }

    /// The sequential half of [`ingest`](Self::ingest): folds copies (against the
    /// store and earlier articles of the batch, in input order) and writes the batch
    /// in one transaction.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn store_batch(&self, batch: PreparedBatch) -> Result<Vec<ItemReport>, StoreError> {
        let mut reports = Vec::with_capacity(batch.len());
        let mut to_store: Vec<NewArticle> = Vec::new();
        let mut stored_at: Vec<usize> = Vec::new();
        let mut skipped_inputs = Vec::new();
        // Articles earlier in this batch, for folding copies within it.
        let mut batch_fps: Vec<(String, Fingerprint)> = Vec::new();
        let mut batch_ids: HashMap<String, usize> = HashMap::new();
        for item in batch.items {
            let PreparedItem {
                key,
                source_id,
                hash,
                prepared,
            } = item;
            let input = InputSeen {
                key: key.clone(),
                hash,
            };
            let report = |outcome| ItemReport {
                key: key.clone(),
                outcome,
                article_id: None,
                next_page: None,
            };
            match prepared {
                None => reports.push(report(Outcome::Skipped {
                    reason: "ingested before, unchanged".to_string(),
                })),
                Some(Prepared::Skipped(reason)) => {
                    skipped_inputs.push(input);
                    reports.push(report(Outcome::Skipped { reason }));
                }
                Some(Prepared::Failed(error)) => reports.push(report(Outcome::Failed { error })),
                Some(Prepared::Article {
                    article,
                    fingerprint,
                    next_page,
                }) => {
                    let duplicate_of = self.find_original(&article.id, &fingerprint, &batch_fps)?;
                    if duplicate_of.is_none() && !batch_ids.contains_key(&article.id) {
                        batch_fps.push((article.id.clone(), fingerprint.clone()));
                    }
                    batch_ids.insert(article.id.clone(), reports.len());
                    reports.push(ItemReport {
                        key: key.clone(),
                        outcome: Outcome::New,
                        article_id: Some(article.id.clone()),
                        next_page,
                    });
                    stored_at.push(reports.len() - 1);
                    to_store.push(NewArticle {
                        article: *article,
                        duplicate_of,
                        fingerprint: Some(fingerprint),
                        input: Some(input),
                        source_id,
                    });
                }
            }
        }
        let outcomes = self.store.put_articles(&to_store)?;
        for (i, outcome) in stored_at.into_iter().zip(outcomes) {
            reports[i].outcome = match outcome {
                PutOutcome::New => Outcome::New,
                PutOutcome::Updated { .. } => Outcome::Updated,
                PutOutcome::Unchanged => Outcome::Unchanged,
                PutOutcome::Duplicate { of } => Outcome::Duplicate { of },
            };
        }
        if !skipped_inputs.is_empty() {
            self.store.mark_inputs(&skipped_inputs)?;
        }
        Ok(reports)
    }

    /// The article a new one is a copy of: the most similar stored candidate or
    /// earlier article of the batch that the copy detector accepts.
    fn find_original(
        &self,
        id: &str,
        fingerprint: &Fingerprint,
        batch: &[(String, Fingerprint)],
    ) -> Result<Option<String>, StoreError> {
        let stored = self.store.duplicate_candidates(fingerprint)?;
        let mut best: Option<(f32, String)> = None;
        let candidates = stored
            .iter()
            .map(|c| (c.article_id.as_str(), &c.fingerprint))
            .chain(batch.iter().map(|(i, f)| (i.as_str(), f)));
        for (cid, cfp) in candidates {
            if cid == id {
                // The same article seen again: an update, not a copy.
                return Ok(None);
            }
            if let Some(sim) = self.copies.copy_of(fingerprint, cfp)
                && best.as_ref().is_none_or(|(s, _)| sim > *s)
            {
                best = Some((sim, cid.to_string()));
            }
        }
        Ok(best.map(|(_, id)| id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warta_store::MemoryStore;

    #[derive(Debug)]
    struct NoAnalysis;
    impl Analyzer for NoAnalysis {
        fn analyze(&self, article: &mut Article) {
            article.language = "id".into();
        }
    }

    fn page(title: &str, body: &str, url: &str) -> Document {
        let html = format!(
            "<html><head><title>{title}</title><link rel=canonical href=\"{url}\"></head>\
             <body><article><h1>{title}</h1><p>{body}</p><p>{body} Paragraf kedua yang \
             cukup panjang untuk dianggap isi berita oleh pengekstrak.</p></article></body></html>"
        );
        Document {
            key: url.to_string(),
            url: Some(url.to_string()),
            bytes: html.into_bytes(),
            ..Document::default()
        }
    }

    fn run(store: &dyn Store, docs: &[Document]) -> Vec<String> {
        let extractor = warta_extract::ArticleExtractor::new();
        let pipeline = Pipeline {
            extractor: &extractor,
            analyzer: &NoAnalysis,
            copies: &ExactCopies,
            store,
            options: Options::default(),
        };
        pipeline
            .ingest(docs)
            .unwrap()
            .into_iter()
            .map(|r| r.outcome.name().to_string())
            .collect()
    }

    const BODY: &str = "Warga Desa Sukamaju bergotong royong membersihkan saluran air \
                        setelah banjir melanda kampung mereka pada pekan lalu, kata kepala desa.";

    #[test]
    fn re_ingesting_skips_and_copies_fold() {
        let store = MemoryStore::new();
        let a = page("Banjir surut", BODY, "https://a.example/berita/1");
        let b = page("Warga bersihkan saluran", BODY, "https://b.example/x/2");
        let other = page(
            "Pasar baru dibuka",
            "Pedagang menempati kios baru di pasar kota yang diresmikan wali kota kemarin \
             pagi dengan upacara sederhana.",
            "https://a.example/berita/3",
        );
        assert_eq!(
            run(&store, &[a.clone(), b.clone(), other.clone()]),
            ["new", "duplicate", "new"]
        );
        assert_eq!(store.article_count().unwrap(), 2);
        assert_eq!(
            run(&store, &[a.clone(), b, other]),
            ["skipped", "skipped", "skipped"]
        );
        let mut changed = a;
        changed.bytes = String::from_utf8(changed.bytes)
            .unwrap()
            .replace("pekan lalu", "Senin lalu")
            .into_bytes();
        assert_eq!(run(&store, &[changed]), ["updated"]);
        assert_eq!(store.article_count().unwrap(), 2);
    }

    #[test]
    fn bad_documents_fail_alone() {
        let store = MemoryStore::new();
        let empty = Document {
            key: "empty.html".into(),
            ..Document::default()
        };
        let binary = Document {
            key: "image.html".into(),
            bytes: vec![0x89, b'P', b'N', b'G', 0, 0, 0, 0, 1, 2, 3],
            ..Document::default()
        };
        let good = page("Banjir surut", BODY, "https://a.example/berita/1");
        assert_eq!(
            run(&store, &[empty, binary, good]),
            ["error", "error", "new"]
        );
    }

    #[test]
    fn pages_are_stitched_in_order() {
        let mut first = Article::from_text(None, "p1", Some("Judul".into()), "Satu.\n\nDua.");
        first.next_page = Some("https://x/2".into());
        first.continues = true;
        let mut second = Article::from_text(None, "p2", Some("Judul".into()), "Tiga.");
        second.next_page = None;
        let joined = stitch(first, &[second]);
        assert_eq!(joined.text, "Satu.\n\nDua.\n\nTiga.");
        assert_eq!(joined.pages, 2);
        assert_eq!(joined.next_page, None);
        assert!(!joined.continues);
    }
}
