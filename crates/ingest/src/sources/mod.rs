//! Source readers: WARC archives, feeds, sitemaps, files and directories, and the
//! classifier that tells them apart.
//!
//! - [`warc`] streams `response` (and HTML `resource`) records out of `.warc` and
//!   `.warc.gz` files, decoding the archived HTTP message.
//! - [`feed`] reads RSS 2.0, RSS 1.0 (RDF), Atom 1.0 and JSON Feed documents.
//! - [`sitemap`] streams `urlset` and `sitemapindex` documents, with the Google News
//!   extension.
//! - [`detect`] classifies a source from its name, its first bytes and its
//!   `Content-Type`.
//! - [`files`] walks directories in a stable order and classifies each file.

pub mod detect;
pub mod feed;
pub mod files;
pub mod sitemap;
pub mod warc;

mod io;
