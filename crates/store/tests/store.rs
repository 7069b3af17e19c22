//! The conformance suite against both stores, and what only the embedded store does:
//! persistence, migrations, index catch-up and locking.

use warta_store::conformance::{run_all, sample_article};
use warta_store::{
    ArticleFilter, MemoryStore, NewArticle, PutOutcome, SCHEMA_VERSION, SqliteStore, Store,
    StoreError, WatchStore,
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

/// A store written by the schema of version 3 (stories stored with every match and
/// notification) opens under the current one with its watches, matches and queue kept,
/// and what was delivered keeps what was sent.
#[test]
fn a_version_3_outbox_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut conn = rusqlite::Connection::open(dir.path().join("warta.db")).unwrap();
        let tx = conn.transaction().unwrap();
        for sql in [
            include_str!("../src/migrations/0001_initial.sql"),
            include_str!("../src/migrations/0002_mention_names.sql"),
            include_str!("../src/migrations/0003_watches.sql"),
        ] {
            tx.execute_batch(sql).unwrap();
        }
        tx.pragma_update(None, "user_version", 3).unwrap();
        tx.execute_batch(
            r#"INSERT INTO watches(name, spec, since_seq, created)
                 VALUES ('banjir', '{"query":"banjir"}', 0, '2024-03-01T00:00:00Z');
               INSERT INTO watch_matches(watch_id, article_id, matched_at, payload)
                 VALUES (1, 'a1', '2024-03-01T01:00:00Z', '{"title":"A"}'),
                        (1, 'a2', '2024-03-01T02:00:00Z', '{"title":"B"}');
               INSERT INTO outbox(key, watch_id, channel, article_id, payload, status, attempts,
                                  due_ms, created, finished, detail)
                 VALUES ('w1-a1-c0', 1, 0, 'a1', '{"title":"A"}', 'delivered', 1, 0,
                         '2024-03-01T01:00:00Z', '2024-03-01T01:00:01Z', 'HTTP 200'),
                        ('w1-a2-c0', 1, 0, 'a2', '{"title":"B"}', 'pending', 0, 0,
                         '2024-03-01T02:00:00Z', NULL, NULL);"#,
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    let w = store.watch("banjir").unwrap().expect("the watch is kept");
    let matches = store.watch_matches(w.id, 0).unwrap();
    let ids: Vec<&str> = matches.iter().map(|m| m.article_id.as_str()).collect();
    assert_eq!(ids, ["a2", "a1"]);
    let all = store.notifications(w.id, 0).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].sent.as_deref(), Some(r#"{"title":"A"}"#));
    assert_eq!(all[1].detail.as_deref(), Some("HTTP 200"));
    assert_eq!(all[0].sent, None, "not sent yet");
    let pending = store.pending_notifications(0).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].key, "w1-a2-c0");
    // The queue goes on from where it was.
    assert_eq!(
        store
            .record_matches(
                &[],
                &[warta_store::NewNotification {
                    key: "w1-a3-c0".into(),
                    watch_id: w.id,
                    channel: 0,
                    article_id: "a3".into(),
                    due_ms: 0,
                }],
                5,
            )
            .unwrap(),
        1
    );
    assert!(store.pending_notifications(0).unwrap()[1].id > pending[0].id);
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
