//! Walking a directory of mixed sources: order, classification, hidden files, reads.

use std::path::Path;

use warta_ingest::sources::detect::SourceKind;
use warta_ingest::sources::files::{FilesError, expand, read_capped, read_document, walk};
use warta_ingest::sources::warc::WarcReader;

use crate::{fixture, gz};

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

#[test]
fn walks_sorted_classifies_and_skips_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "b/story.html",
        b"<!doctype html><html><body><p>x</p></body></html>",
    );
    write(root, "b/notes.txt.gz", &gz(b"JAKARTA - Hujan deras.\n"));
    write(
        root,
        "a/crawl.warc.gz",
        &gz(b"WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n"),
    );
    write(root, "a/news-sitemap.xml", &fixture("sitemap-news.xml"));
    write(root, "a/rss.xml", &fixture("feed-rss2.xml"));
    write(root, "c.png", b"\x89PNG\r\n\x1a\n\0\0\0");
    write(root, ".git/config", b"[core]");
    write(root, "a/.hidden.html", b"<html>");
    let found: Vec<(String, SourceKind, bool)> = walk(root)
        .map(|r| {
            let f = r.unwrap();
            let rel = f
                .path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, f.detection.kind, f.detection.gzip)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("a/crawl.warc.gz".to_string(), SourceKind::Warc, true),
            ("a/news-sitemap.xml".to_string(), SourceKind::Sitemap, false),
            ("a/rss.xml".to_string(), SourceKind::Feed, false),
            ("b/notes.txt.gz".to_string(), SourceKind::Text, true),
            ("b/story.html".to_string(), SourceKind::Html, false),
            ("c.png".to_string(), SourceKind::Binary, false),
        ]
    );

    // Documents are read through the extraction stage's input reader (gzip undone).
    let doc = read_document(&root.join("b/notes.txt.gz"), 1 << 20).unwrap();
    assert_eq!(doc.bytes, b"JAKARTA - Hujan deras.\n");
    // WARC files stream from `open`.
    let f = warta_ingest::sources::files::open(&root.join("a/crawl.warc.gz")).unwrap();
    assert_eq!(WarcReader::new(f).count(), 0);
    // Whole-file reads are capped.
    assert!(read_capped(&root.join("a/rss.xml"), 1 << 20).is_ok());
    assert!(matches!(
        read_capped(&root.join("a/rss.xml"), 100),
        Err(FilesError::TooLarge { cap: 100, .. })
    ));
}

#[test]
fn expand_keeps_input_order_and_reports_missing_paths() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "one.html", b"<html>");
    write(root, "d/two.txt", b"two");
    let inputs = [
        root.join("d"),
        root.join("missing.html"),
        root.join("one.html"),
    ];
    let out = expand(&inputs);
    assert_eq!(out.len(), 3);
    assert!(out[0].as_ref().unwrap().path.ends_with("d/two.txt"));
    assert!(out[0].as_ref().unwrap().is_document());
    let e = out[1].as_ref().unwrap_err();
    assert!(e.to_string().contains("missing.html"), "{e}");
    assert_eq!(out[2].as_ref().unwrap().detection.kind, SourceKind::Html);
}
