//! Ingestion for warta: reading the places news comes from, and running what is read
//! through the pipeline into the store.
//!
//! The [`sources`] modules are pure readers over bytes or [`std::io::BufRead`]: they open
//! no network connection and write nowhere, so tests can feed them hostile input
//! directly. Every reader is built for batches of untrusted input: a broken item becomes
//! one error value naming where it was and what was wrong, memory is bounded by caps
//! (header sizes, record and payload sizes, decompressed sizes, entry counts), and the
//! rest of the batch is still read.
//!
//! [`pipeline`] runs documents through the stages — extraction, analysis, copy folding —
//! into a [`warta_store::Store`], in bounded parallel batches, skipping inputs already
//! ingested unchanged.

pub mod copies;
pub mod links;
pub mod pipeline;
pub mod runner;
pub mod sources;

pub use copies::MinHashCopies;
pub use pipeline::{CopyDetector, Document, ExactCopies, ItemReport, Outcome, Pipeline, Totals};
pub use runner::{PollResult, RunError, RunOptions, Runner};
pub use sources::detect::{Detection, SourceKind, detect, detect_path};
pub use sources::feed::{Feed, FeedEntry, FeedError, FeedFormat, read_feed};
pub use sources::files::{FileSource, FilesError, walk};
pub use sources::sitemap::{
    ChildSitemap, SitemapEntry, SitemapError, SitemapItem, SitemapKind, SitemapReader,
};
pub use sources::warc::{WarcError, WarcLimits, WarcReader, WarcRecord};
