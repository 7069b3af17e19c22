//! Integration tests for the source readers, on fixtures built in the tests or kept in
//! `tests/fixtures/` (see its README), and for the runner against a hostile loopback
//! server.

mod feed;
mod files;
mod props;
mod runner;
mod sitemap;
mod warc;

use std::io::Write;

/// Gzip-compresses `data` as one member.
pub(crate) fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// The bytes of `tests/fixtures/<name>`.
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
