//! The conformance suite against both stores, and what only the embedded store does:
//! persistence, migrations, index catch-up and locking.

use warta_store::conformance::{run_all, sample_article};
use warta_store::{
    ArticleFilter, MemoryStore, NewArticle, PutOutcome, SCHEMA_VERSION, SqliteStore, Store,
    StoreError,
};

#[test]
fn memory_store_conforms() {
    run_all(&|| Box::new(MemoryStore::new()));
}

#[test]
fn sqlite_store_conforms() {
    let dirs = std::sync::Mutex::new(Vec::new());
    run_all(&|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(dir.path().join("data")).expect("open");
        dirs.lock().unwrap().push(dir);
        Box::new(store)
    });
}

fn batch(range: std::ops::Range<u32>) -> Vec<NewArticle> {
    range
        .map(|n| {
            NewArticle::new(sample_article(
                n,
                "kompas.com",
                "2023-09-13",
                "Presiden meresmikan jembatan.",
            ))
        })
        .collect()
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        store.put_articles(&batch(0..20)).unwrap();
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.article_count().unwrap(), 20);
    assert_eq!(
        store
            .search(
                "jembatan",
                &ArticleFilter {
                    limit: 100,
                    ..Default::default()
                }
            )
            .unwrap()
            .len(),
        20
    );
    let outcomes = store.put_articles(&batch(0..20)).unwrap();
    assert!(outcomes.iter().all(|o| *o == PutOutcome::Unchanged));
    assert!(store.check().unwrap().is_clean());
}

#[test]
fn a_lost_index_is_rebuilt_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        store.put_articles(&batch(0..30)).unwrap();
    }
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.indexed, 30);
    assert_eq!(store.reindex().unwrap(), 30);
    assert_eq!(store.check().unwrap().indexed, 30);
}

#[test]
fn a_second_writer_is_refused_before_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let first = SqliteStore::open(dir.path()).unwrap();
    first.put_articles(&batch(0..2)).unwrap();
    let second = SqliteStore::open(dir.path()).unwrap();
    // Reading works while the first holds the writer.
    assert_eq!(second.article_count().unwrap(), 2);
    let err = second.put_articles(&batch(2..4)).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("another warta process"));
    assert_eq!(first.article_count().unwrap(), 2);
    drop(first);
    second.put_articles(&batch(2..4)).unwrap();
    assert_eq!(second.article_count().unwrap(), 4);
}

#[test]
fn a_store_from_a_newer_warta_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join("warta.db")).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = SqliteStore::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    assert!(err.to_string().contains("upgrade warta"));
}

#[test]
fn an_unusable_data_directory_names_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let err = SqliteStore::open(&file).unwrap_err();
    assert!(err.to_string().contains("--data"), "{err}");
}

/// `warta serve` reading a store while `warta ingest` writes it: the reader's search
/// (and its page cache) sees the new articles shortly after each commit.
#[test]
fn a_reader_sees_articles_another_writer_commits() {
    let dir = tempfile::tempdir().unwrap();
    let writer = SqliteStore::open(dir.path()).unwrap();
    writer.put_articles(&batch(0..2)).unwrap();
    let reader = SqliteStore::open(dir.path()).unwrap();
    let request = warta_store::SearchRequest {
        query: "jembatan".into(),
        facets: true,
        ..Default::default()
    };
    assert_eq!(reader.search_page(&request).unwrap().total, 2);
    // Asked again: the same answer (from the page cache).
    assert_eq!(reader.search_page(&request).unwrap().total, 2);
    writer.put_articles(&batch(2..5)).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let total = reader.search_page(&request).unwrap().total;
        if total == 5 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the reader still finds {total} articles"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
