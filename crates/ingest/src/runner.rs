//! The ingest runner: turns sources (files, directories, WARC archives, feeds, sitemaps,
//! page URLs, and crawls from a page) into documents, fetches what must be fetched
//! (politely, through [`warta_fetch::Fetch`]), stitches multi-page stories, and feeds
//! the [`Pipeline`] in bounded batches.

use std::collections::{HashSet, VecDeque};
use std::io::BufReader;
use std::path::Path;
use std::sync::{Condvar, Mutex};

use warta_fetch::{Fetch, FetchError, Url, Validators};

use crate::pipeline::{Document, ItemReport, Outcome, Pipeline, PreparedBatch, Totals};
use crate::sources::detect::{SourceKind, detect, detect_path, is_url};
use crate::sources::feed::read_feed;
use crate::sources::files::{self, read_document, walk};
use crate::sources::sitemap::{SitemapItem, read_sitemap};
use crate::sources::warc::WarcReader;

/// How far the runner goes.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Largest document read, in bytes after decompression.
    pub max_bytes: u64,
    /// Documents per pipeline batch (one store transaction each).
    pub batch: usize,
    /// Crawl from page URLs to links on the same site.
    pub follow: bool,
    /// How many links deep a crawl goes from its start page.
    pub depth: u32,
    /// Most pages one crawl, feed or sitemap source fetches (further pages of
    /// multi-page stories count).
    pub max_pages: usize,
    /// Most pages stitched into one article.
    pub max_pages_per_article: usize,
    /// How deep sitemap indexes are followed.
    pub max_sitemap_depth: u32,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            max_bytes: warta_extract::input::DEFAULT_MAX_BYTES,
            batch: 256,
            follow: false,
            depth: 2,
            max_pages: 1_000,
            max_pages_per_article: 20,
            max_sitemap_depth: 3,
        }
    }
}

/// Bytes of documents read ahead of the pipeline, at most (one larger document is
/// still read alone).
const READ_AHEAD_BYTES: usize = 64 << 20;

/// One file of a directory as the reading thread hands it over.
enum ReadAhead {
    /// A document, read (or the reason it could not be).
    Read {
        path: std::path::PathBuf,
        doc: Result<warta_core::RawDoc, warta_extract::input::InputError>,
        size: usize,
    },
    /// Any other file (WARC, feed, sitemap, binary), handled in order by the runner,
    /// or an entry that could not be listed.
    Other(Result<files::FileSource, files::FilesError>),
}

/// Bounds the bytes read ahead: the reader takes, the runner gives back.
struct ReadBudget {
    cap: usize,
    state: Mutex<(usize, bool)>,
    changed: Condvar,
}

impl ReadBudget {
    fn new(cap: usize) -> Self {
        Self {
            cap,
            state: Mutex::new((0, false)),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (usize, bool)> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until `n` more bytes fit; false when the runner has stopped reading.
    fn take(&self, n: usize) -> bool {
        let mut state = self.lock();
        while state.0 > 0 && state.0 + n > self.cap && !state.1 {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        state.0 += n;
        !state.1
    }

    fn give(&self, n: usize) {
        let mut state = self.lock();
        state.0 = state.0.saturating_sub(n);
        self.changed.notify_all();
    }

    /// Marks the reading over when dropped (the reader then stops waiting).
    fn closer(&self) -> impl Drop + '_ {
        struct Close<'a>(&'a ReadBudget);
        impl Drop for Close<'_> {
            fn drop(&mut self) {
                self.0.lock().1 = true;
                self.0.changed.notify_all();
            }
        }
        Close(self)
    }
}

/// What the runner learned from polling one feed or sitemap conditionally.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollResult {
    /// The server answered 304: nothing new.
    pub not_modified: bool,
    /// Validators to send next time.
    pub validators: Validators,
}

/// Runs sources through the pipeline, counting outcomes.
pub struct Runner<'a> {
    pipeline: Pipeline<'a>,
    fetcher: Option<&'a dyn Fetch>,
    options: RunOptions,
    on_item: &'a (dyn Fn(&ItemReport) + Sync),
    pending: Vec<Document>,
    /// The batch prepared last and not stored yet: it is stored while the next one
    /// is prepared, so writing overlaps extraction and analysis.
    in_flight: Option<PreparedBatch>,
    totals: Totals,
    /// URLs fetched in this run (loop guard across feeds, crawls and pagination).
    seen: HashSet<String>,
}

impl std::fmt::Debug for Runner<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("options", &self.options)
            .field("totals", &self.totals)
            .finish_non_exhaustive()
    }
}

/// Why a whole run stopped (per-document problems never stop it).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The store cannot be written.
    #[error(transparent)]
    Store(#[from] warta_store::StoreError),
}

impl<'a> Runner<'a> {
    /// A runner over `pipeline`; `fetcher` is needed for URLs, feeds and sitemaps;
    /// `on_item` sees every document's report as it is decided (for progress bars).
    pub fn new(
        pipeline: Pipeline<'a>,
        fetcher: Option<&'a dyn Fetch>,
        options: RunOptions,
        on_item: &'a (dyn Fn(&ItemReport) + Sync),
    ) -> Self {
        Self {
            pipeline,
            fetcher,
            options,
            on_item,
            pending: Vec::new(),
            in_flight: None,
            totals: Totals::default(),
            seen: HashSet::new(),
        }
    }

    /// Counts so far.
    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// Ingests everything the pending batch holds and returns the totals.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn finish(mut self) -> Result<Totals, RunError> {
        self.flush()?;
        self.store_in_flight()?;
        Ok(self.totals)
    }

    fn report(&mut self, key: &str, outcome: Outcome) {
        self.totals.add(&outcome);
        (self.on_item)(&ItemReport {
            key: key.to_string(),
            outcome,
            article_id: None,
            next_page: None,
        });
    }

    fn fail(&mut self, key: &str, error: impl std::fmt::Display) {
        self.report(
            key,
            Outcome::Failed {
                error: error.to_string(),
            },
        );
    }

    fn push(&mut self, doc: Document) -> Result<(), RunError> {
        self.pending.push(doc);
        if self.pending.len() >= self.options.batch.max(1) {
            self.flush()?;
        }
        Ok(())
    }

    /// Runs the pending batch through the pipeline: it is prepared (extracted,
    /// analysed) while the batch before it is stored, and stored at the next flush
    /// or at [`finish`](Self::finish).
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn flush(&mut self) -> Result<(), RunError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.pending);
        let previous = self.in_flight.take();
        let pipeline = self.pipeline;
        let (stored, prepared) = rayon::join(
            || previous.map(|b| pipeline.store_batch(b)).transpose(),
            || pipeline.prepare_batch(&batch),
        );
        let stored = stored?;
        self.in_flight = Some(prepared?);
        for report in stored.into_iter().flatten() {
            self.totals.add(&report.outcome);
            (self.on_item)(&report);
        }
        Ok(())
    }

    /// Stores the batch prepared last, if any.
    fn store_in_flight(&mut self) -> Result<(), RunError> {
        if let Some(batch) = self.in_flight.take() {
            for report in self.pipeline.store_batch(batch)? {
                self.totals.add(&report.outcome);
                (self.on_item)(&report);
            }
        }
        Ok(())
    }

    /// Ingests one source given on the command line: a path (file or directory) or a
    /// URL.
    ///
    /// # Errors
    /// When the store cannot be written; problems with the source are reported as
    /// failed items.
    pub fn add(&mut self, source: &str) -> Result<(), RunError> {
        if is_url(source) {
            return self.add_url(source, None, 0);
        }
        let path = Path::new(source);
        match detect_path(path) {
            Err(e) => {
                self.fail(
                    source,
                    format!("{source}: cannot read it: {e}; check the path"),
                );
                Ok(())
            }
            Ok(d) if d.kind == SourceKind::Directory => self.add_directory(path, source),
            Ok(d) => self.add_file(path, d.kind),
        }
    }

    /// Ingests every file under a directory. A thread walks the tree and reads the
    /// documents ahead of the pipeline (at most [`READ_AHEAD_BYTES`] waiting), so
    /// reading from disk overlaps extraction, analysis and storing.
    fn add_directory(&mut self, root: &Path, source: &str) -> Result<(), RunError> {
        let budget = ReadBudget::new(READ_AHEAD_BYTES);
        let (tx, rx) = std::sync::mpsc::sync_channel::<ReadAhead>(4096);
        let max_bytes = self.options.max_bytes;
        std::thread::scope(|scope| {
            let budget = &budget;
            scope.spawn(move || {
                for entry in walk(root) {
                    let item = match entry {
                        Ok(f)
                            if matches!(f.detection.kind, SourceKind::Html | SourceKind::Text) =>
                        {
                            let doc = read_document(&f.path, max_bytes);
                            let size = doc.as_ref().map_or(0, |d| d.bytes.len());
                            if !budget.take(size) {
                                break;
                            }
                            ReadAhead::Read {
                                path: f.path,
                                doc,
                                size,
                            }
                        }
                        other => ReadAhead::Other(other),
                    };
                    if tx.send(item).is_err() {
                        break;
                    }
                }
            });
            // However this loop ends, the reader is released and stops.
            let _close = budget.closer();
            for item in rx {
                match item {
                    ReadAhead::Read { path, doc, size } => {
                        budget.give(size);
                        self.push_read(&path, doc)?;
                    }
                    ReadAhead::Other(Ok(file)) => self.add_file(&file.path, file.detection.kind)?,
                    ReadAhead::Other(Err(e)) => self.fail(source, e),
                }
            }
            Ok(())
        })
    }

    /// Queues a document read from a file (or reports why it could not be read).
    fn push_read(
        &mut self,
        path: &Path,
        read: Result<warta_core::RawDoc, warta_extract::input::InputError>,
    ) -> Result<(), RunError> {
        let key = path.to_string_lossy().into_owned();
        match read {
            Ok(raw) => self.push(Document {
                key,
                url: raw.url,
                content_type: raw.content_type,
                bytes: raw.bytes,
                truncated: raw.truncated,
                ..Document::default()
            }),
            Err(e) => {
                self.fail(&key, e);
                Ok(())
            }
        }
    }

    fn add_file(&mut self, path: &Path, kind: SourceKind) -> Result<(), RunError> {
        let key = path.to_string_lossy().into_owned();
        match kind {
            SourceKind::Html | SourceKind::Text => {
                self.push_read(path, read_document(path, self.options.max_bytes))
            }
            SourceKind::Warc => self.add_warc(path),
            SourceKind::Feed | SourceKind::Sitemap => {
                match files::read_capped(path, self.options.max_bytes) {
                    Ok(bytes) => self.add_listing(&key, kind, &bytes, None, 0),
                    Err(e) => {
                        self.fail(&key, e);
                        Ok(())
                    }
                }
            }
            SourceKind::Binary => {
                self.report(
                    &key,
                    Outcome::Skipped {
                        reason: "not text (an image, PDF or archive)".into(),
                    },
                );
                Ok(())
            }
            SourceKind::Directory => self.add(&key),
        }
    }

    fn add_warc(&mut self, path: &Path) -> Result<(), RunError> {
        let name = path.to_string_lossy().into_owned();
        let file = match files::open(path) {
            Ok(f) => f,
            Err(e) => {
                self.fail(&name, e);
                return Ok(());
            }
        };
        for record in WarcReader::new(BufReader::new(file)) {
            match record {
                Ok(r) => {
                    if r.http_status.is_some_and(|s| !(200..300).contains(&s)) {
                        continue;
                    }
                    let key = format!("{name}#{}", r.offset);
                    self.push(Document {
                        key,
                        url: r.target_uri.clone(),
                        content_type: r.content_type.clone(),
                        bytes: r.payload,
                        ..Document::default()
                    })?;
                }
                Err(e) => {
                    let key = format!("{name}#{}", e.offset());
                    self.fail(&key, e);
                }
            }
        }
        Ok(())
    }

    /// Reads a feed or sitemap's bytes and ingests the pages it lists.
    fn add_listing(
        &mut self,
        key: &str,
        kind: SourceKind,
        bytes: &[u8],
        base: Option<&str>,
        depth: u32,
    ) -> Result<(), RunError> {
        let mut pages: Vec<(String, Option<String>)> = Vec::new();
        if kind == SourceKind::Feed {
            match read_feed(bytes, base) {
                Ok(feed) => {
                    if let Some(broken) = feed.broken {
                        self.fail(key, broken);
                    }
                    pages.extend(
                        feed.entries
                            .into_iter()
                            .filter_map(|e| Some((e.url?, e.published.or(e.updated)))),
                    );
                }
                Err(e) => {
                    self.fail(key, e);
                    return Ok(());
                }
            }
        } else {
            let mut children = Vec::new();
            for item in read_sitemap(bytes, base) {
                match item {
                    Ok(SitemapItem::Page(p)) => pages.push((p.loc, p.news_publication_date)),
                    Ok(SitemapItem::Sitemap(c)) => children.push(c.loc),
                    Err(e) => {
                        self.fail(key, e);
                        break;
                    }
                }
            }
            for child in children {
                if depth >= self.options.max_sitemap_depth {
                    self.fail(&child, "sitemap index nested too deep; not followed");
                    continue;
                }
                self.add_url(&child, None, depth + 1)?;
            }
        }
        // Pages fetched for this listing, further pages of its stories included.
        let mut fetched = 0usize;
        for (url, published) in pages {
            if fetched >= self.options.max_pages {
                break;
            }
            fetched += self.add_page_url(&url, published, self.options.max_pages - fetched)?;
        }
        Ok(())
    }

    fn fetcher(&mut self, key: &str) -> Option<&'a dyn Fetch> {
        if self.fetcher.is_none() {
            self.fail(
                key,
                "fetching is off in this run; give files instead of URLs",
            );
        }
        self.fetcher
    }

    /// Fetches a URL given as a source: a feed, a sitemap or a page, told apart by what
    /// comes back.
    fn add_url(
        &mut self,
        url: &str,
        published: Option<String>,
        depth: u32,
    ) -> Result<(), RunError> {
        let Some(fetcher) = self.fetcher(url) else {
            return Ok(());
        };
        let parsed = match Url::parse(url) {
            Ok(u) => u,
            Err(e) => {
                self.fail(url, format!("{url}: not a valid URL ({e})"));
                return Ok(());
            }
        };
        self.seen.insert(parsed.to_string());
        let page = match fetcher.fetch(&parsed, &Validators::none()) {
            Ok(f) => match f.page() {
                Some(p) => p,
                None => return Ok(()),
            },
            Err(e) => {
                self.fail(url, e);
                return Ok(());
            }
        };
        let final_url = page.url.to_string();
        let kind = detect(&final_url, &page.body, page.content_type.as_deref()).kind;
        match kind {
            SourceKind::Feed | SourceKind::Sitemap => {
                self.add_listing(url, kind, &page.body, Some(&final_url), depth)
            }
            SourceKind::Warc => {
                self.fail(url, "WARC archives are read from files; download it first");
                Ok(())
            }
            _ if self.options.follow => self.crawl(page, published),
            _ => {
                let budget = self.options.max_pages_per_article;
                self.add_fetched_page(page, published, budget).map(drop)
            }
        }
    }

    /// Fetches and ingests one page URL (from a feed or sitemap), fetching at most
    /// `budget` pages for it (its story's further pages included); returns how many
    /// were fetched.
    fn add_page_url(
        &mut self,
        url: &str,
        published: Option<String>,
        budget: usize,
    ) -> Result<usize, RunError> {
        let Some(fetcher) = self.fetcher(url) else {
            return Ok(0);
        };
        let Ok(parsed) = Url::parse(url) else {
            self.fail(url, format!("{url}: not a valid URL"));
            return Ok(0);
        };
        if !self.seen.insert(parsed.to_string()) {
            return Ok(0);
        }
        match fetcher.fetch(&parsed, &Validators::none()) {
            Ok(f) => match f.page() {
                Some(p) => Ok(1 + self.add_fetched_page(p, published, budget.saturating_sub(1))?),
                None => Ok(1),
            },
            Err(e) => {
                self.fail(url, e);
                Ok(1)
            }
        }
    }

    /// Builds the document of a fetched page, fetching and attaching at most `budget`
    /// further pages when the story continues; returns how many it fetched.
    fn add_fetched_page(
        &mut self,
        page: warta_fetch::FetchedPage,
        published: Option<String>,
        budget: usize,
    ) -> Result<usize, RunError> {
        let key = page.requested_url.to_string();
        let mut doc = Document {
            key,
            url: Some(page.url.to_string()),
            content_type: page.content_type.clone(),
            bytes: page.body,
            published_hint: published,
            ..Document::default()
        };
        let fetched = self.fetch_more_pages(&mut doc, budget);
        self.push(doc)?;
        Ok(fetched)
    }

    /// Follows "next page" links from a document, up to the per-article limit and at
    /// most `budget` fetches, never fetching a page of the story twice; returns how
    /// many pages it fetched.
    fn fetch_more_pages(&mut self, doc: &mut Document, budget: usize) -> usize {
        let Some(fetcher) = self.fetcher else {
            return 0;
        };
        let mut current = doc.clone();
        let mut story_pages: HashSet<String> = doc.url.iter().cloned().collect();
        let mut fetched = 0usize;
        while doc.more_pages.len() + 1 < self.options.max_pages_per_article && fetched < budget {
            let next = match self.pipeline.extractor.extract(&current.raw_for_links()) {
                Ok(a) => a.next_page,
                Err(_) => None,
            };
            let Some(next) = next else { break };
            let Ok(next_url) = Url::parse(&next) else {
                break;
            };
            if !story_pages.insert(next_url.to_string()) {
                break; // a pagination loop
            }
            self.seen.insert(next_url.to_string());
            fetched += 1;
            match fetcher.fetch(&next_url, &Validators::none()) {
                Ok(f) => {
                    let Some(p) = f.page() else { break };
                    let more = Document {
                        key: p.requested_url.to_string(),
                        url: Some(p.url.to_string()),
                        content_type: p.content_type,
                        bytes: p.body,
                        ..Document::default()
                    };
                    current = more.clone();
                    doc.more_pages.push(more);
                }
                Err(e) => {
                    self.fail(next_url.as_str(), e);
                    break;
                }
            }
        }
        fetched
    }

    /// Crawls from a start page to same-site links, breadth first, to the depth and page
    /// limits.
    fn crawl(
        &mut self,
        start: warta_fetch::FetchedPage,
        published: Option<String>,
    ) -> Result<(), RunError> {
        let Some(fetcher) = self.fetcher else {
            return Ok(());
        };
        let host = start.url.host_str().map(str::to_string);
        let mut queue: VecDeque<(Url, u32)> = VecDeque::new();
        let mut fetched = 1usize;
        if self.options.depth > 0 {
            for l in crate::links::same_site_links(&start.body, &start.url) {
                queue.push_back((l, 1));
            }
        }
        fetched += self.add_fetched_page(
            start,
            published,
            self.options.max_pages.saturating_sub(fetched),
        )?;
        while let Some((url, depth)) = queue.pop_front() {
            if fetched >= self.options.max_pages {
                break;
            }
            if !self.seen.insert(url.to_string()) {
                continue;
            }
            fetched += 1;
            match fetcher.fetch(&url, &Validators::none()) {
                Ok(f) => {
                    let Some(page) = f.page() else { continue };
                    if page.url.host_str().map(str::to_string) != host {
                        continue;
                    }
                    if depth < self.options.depth {
                        for l in crate::links::same_site_links(&page.body, &page.url) {
                            queue.push_back((l, depth + 1));
                        }
                    }
                    let budget = self.options.max_pages.saturating_sub(fetched);
                    fetched += self.add_fetched_page(page, None, budget)?;
                }
                Err(e) => self.fail(url.as_str(), e),
            }
        }
        Ok(())
    }

    /// Polls a registered feed or sitemap conditionally and ingests what it lists.
    ///
    /// # Errors
    /// When the store cannot be written; a failed fetch is returned as the poll's error.
    pub fn poll(
        &mut self,
        url: &str,
        validators: &Validators,
    ) -> Result<Result<PollResult, FetchError>, RunError> {
        let Some(fetcher) = self.fetcher(url) else {
            return Ok(Ok(PollResult::default()));
        };
        let parsed = match Url::parse(url) {
            Ok(u) => u,
            Err(e) => {
                return Ok(Err(FetchError::InvalidUrl {
                    url: url.to_string(),
                    reason: e.to_string(),
                }));
            }
        };
        let fetched = match fetcher.fetch(&parsed, validators) {
            Ok(f) => f,
            Err(e) => return Ok(Err(e)),
        };
        let Some(page) = fetched.page() else {
            return Ok(Ok(PollResult {
                not_modified: true,
                validators: validators.clone(),
            }));
        };
        let result = PollResult {
            not_modified: false,
            validators: page.validators(),
        };
        let final_url = page.url.to_string();
        let kind = detect(&final_url, &page.body, page.content_type.as_deref()).kind;
        match kind {
            SourceKind::Feed | SourceKind::Sitemap => {
                self.add_listing(url, kind, &page.body, Some(&final_url), 0)?;
            }
            _ if self.options.follow => self.crawl(page, None)?,
            _ => {
                let budget = self.options.max_pages_per_article;
                self.add_fetched_page(page, None, budget)?;
            }
        }
        Ok(Ok(result))
    }
}

impl Document {
    /// The document as the extractor reads it, for finding its next page.
    fn raw_for_links(&self) -> warta_core::RawDoc {
        warta_core::RawDoc {
            input: self.key.clone(),
            url: self.url.clone(),
            content_type: self.content_type.clone(),
            bytes: self.bytes.clone(),
            truncated: self.truncated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    #[test]
    fn the_read_budget_holds_the_reader_until_bytes_are_given_back() {
        let budget = Arc::new(ReadBudget::new(10));
        assert!(budget.take(6));
        let done = Arc::new(AtomicBool::new(false));
        let reader = {
            let (budget, done) = (Arc::clone(&budget), Arc::clone(&done));
            std::thread::spawn(move || {
                let ok = budget.take(6);
                done.store(true, Ordering::SeqCst);
                ok
            })
        };
        std::thread::sleep(Duration::from_millis(100));
        assert!(!done.load(Ordering::SeqCst), "6 + 6 bytes do not fit in 10");
        budget.give(6);
        assert!(reader.join().unwrap());
        // One document larger than the whole budget is still read, alone.
        budget.give(6);
        assert!(budget.take(100));
    }

    #[test]
    fn closing_the_budget_releases_a_waiting_reader() {
        let budget = Arc::new(ReadBudget::new(10));
        assert!(budget.take(10));
        let reader = {
            let budget = Arc::clone(&budget);
            std::thread::spawn(move || budget.take(1))
        };
        std::thread::sleep(Duration::from_millis(50));
        drop(budget.closer());
        assert!(
            !reader.join().unwrap(),
            "a closed budget tells the reader to stop"
        );
    }
}
