//! One behavioural test suite for every [`Store`] implementation.
//!
//! Each check takes a fresh, empty store and panics with a message saying what the
//! store got wrong. [`run_all`] runs them all; a new backend (PostgreSQL) passes the
//! suite before it is used:
//!
//! ```no_run
//! warta_store::conformance::run_all(&|| Box::new(warta_store::MemoryStore::new()));
//! ```

use warta_core::{Article, Entity, EntityKind, Mention, Quote, TimeExpression};

use crate::Store;
use crate::model::*;
use crate::watch::*;

/// Makes a fresh, empty store for one check.
pub type MakeStore<'a> = &'a dyn Fn() -> Box<dyn Store>;

/// One named check.
type Check = (&'static str, fn(&dyn Store));

/// Runs every check, each on a fresh store from `make`.
pub fn run_all(make: MakeStore<'_>) {
    let checks: &[Check] = &[
        ("new_then_unchanged", new_then_unchanged),
        (
            "changed_content_keeps_revision",
            changed_content_keeps_revision,
        ),
        ("copies_are_folded", copies_are_folded),
        ("filters", filters),
        ("entities_and_quotes", entities_and_quotes),
        ("search", search),
        ("inputs_and_fingerprints", inputs_and_fingerprints),
        ("sources_and_fetch_log", sources_and_fetch_log),
        ("stats_and_check", stats_and_check),
        ("watches_crud", watches_crud),
        ("articles_after_cursor", articles_after_cursor),
        ("outbox_lifecycle", outbox_lifecycle),
    ];
    for (name, check) in checks {
        let store = make();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&*store)));
        if let Err(e) = result {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_default();
            panic!("conformance check `{name}` failed: {msg}");
        }
    }
}

/// A small article for the checks: `n` makes it distinct, `words` goes into its text.
pub fn sample_article(n: u32, site: &str, published: &str, words: &str) -> Article {
    let url = format!("https://www.{site}/berita/{n}");
    let text = format!(
        "{words}\n\nParagraf kedua berita nomor {n} dari {site}, dengan kalimat yang cukup panjang."
    );
    let mut a = Article::from_text(None, &url, Some(format!("Judul berita {n}")), &text);
    a.id = warta_core::article_id(Some(&url), None, "");
    a.url = Some(url.clone());
    a.canonical_url = Some(url);
    a.site = Some(format!("www.{site}"));
    a.published = Some(published.to_string());
    a.language = "id".to_string();
    a
}

fn entity(id: &str, name: &str, kind: EntityKind, country: Option<&str>, n: usize) -> Entity {
    Entity {
        id: id.to_string(),
        name: name.to_string(),
        kind,
        country: country.map(str::to_string),
        role: None,
        mentions: (0..n)
            .map(|i| Mention {
                text: name.to_string(),
                field: "text".to_string(),
                start: i * 10,
                end: i * 10 + name.chars().count(),
            })
            .collect(),
    }
}

fn quote(text: &str, speaker: Option<(&str, &str)>) -> Quote {
    Quote {
        text: text.to_string(),
        speaker: speaker.map(|s| s.1.to_string()),
        speaker_entity: speaker.map(|s| s.0.to_string()),
        speaker_description: speaker.map(|_| "sejarawan".to_string()),
        direct: true,
        cue: Some("kata".to_string()),
        start: 0,
        end: text.chars().count(),
    }
}

#[allow(clippy::needless_pass_by_value)] // callers build the batch inline
fn put(store: &dyn Store, articles: Vec<NewArticle>) -> Vec<PutOutcome> {
    store.put_articles(&articles).expect("put_articles")
}

/// Storing an article is `New`; storing it again unchanged is `Unchanged` and adds
/// nothing.
pub fn new_then_unchanged(store: &dyn Store) {
    let a = sample_article(1, "kompas.com", "2023-09-13", "Gempa mengguncang Cianjur.");
    assert_eq!(
        put(store, vec![NewArticle::new(a.clone())]),
        [PutOutcome::New]
    );
    assert_eq!(
        put(store, vec![NewArticle::new(a.clone())]),
        [PutOutcome::Unchanged]
    );
    assert_eq!(store.article_count().unwrap(), 1);
    let got = store.article(&a.id).unwrap().expect("stored article");
    assert_eq!(got.article, a);
    assert_eq!(got.revision, 1);
    assert!(got.copies.is_empty());
    assert!(store.article("nope").unwrap().is_none());
    // Twice in one batch: the second is unchanged.
    let b = sample_article(2, "kompas.com", "2023-09-13", "Banjir di Demak.");
    assert_eq!(
        put(
            store,
            vec![NewArticle::new(b.clone()), NewArticle::new(b.clone())]
        ),
        [PutOutcome::New, PutOutcome::Unchanged]
    );
    assert_eq!(store.article_count().unwrap(), 2);
}

/// New content under the same id updates the article and keeps the old content as a
/// revision.
pub fn changed_content_keeps_revision(store: &dyn Store) {
    let a = sample_article(1, "detik.com", "2023-09-13", "Harga beras naik.");
    put(store, vec![NewArticle::new(a.clone())]);
    let mut b = a.clone();
    b.text.push_str("\n\nPembaruan: harga beras turun lagi.");
    assert_eq!(
        put(store, vec![NewArticle::new(b.clone())]),
        [PutOutcome::Updated { previous: 1 }]
    );
    let got = store.article(&a.id).unwrap().unwrap();
    assert_eq!(got.revision, 2);
    assert_eq!(got.article.text, b.text);
    let revs = store.revisions(&a.id).unwrap();
    assert_eq!(revs.len(), 1);
    assert_eq!(revs[0].0, 1);
    assert_eq!(revs[0].1.text, a.text);
    assert_eq!(store.article_count().unwrap(), 1);
}

/// Copies are stored with their URL and site, listed on the canonical article, not
/// counted, listed or searched as articles of their own; a copy of a copy points to
/// the canonical article.
pub fn copies_are_folded(store: &dyn Store) {
    let a = sample_article(
        1,
        "antaranews.com",
        "2023-09-13",
        "Kapal nelayan tenggelam.",
    );
    let b = sample_article(2, "kompas.com", "2023-09-13", "Kapal nelayan tenggelam.");
    let c = sample_article(3, "detik.com", "2023-09-14", "Kapal nelayan tenggelam.");
    put(store, vec![NewArticle::new(a.clone())]);
    let mut nb = NewArticle::new(b.clone());
    nb.duplicate_of = Some(a.id.clone());
    let mut nc = NewArticle::new(c.clone());
    nc.duplicate_of = Some(b.id.clone());
    assert_eq!(
        put(store, vec![nb, nc]),
        [
            PutOutcome::Duplicate { of: a.id.clone() },
            PutOutcome::Duplicate { of: a.id.clone() }
        ]
    );
    assert_eq!(store.article_count().unwrap(), 1);
    let got = store.article(&a.id).unwrap().unwrap();
    let copy_ids: Vec<&str> = got.copies.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(copy_ids, [b.id.as_str(), c.id.as_str()]);
    assert_eq!(got.copies[0].site.as_deref(), Some("kompas.com"));
    assert_eq!(got.copies[0].url, b.url);
    let copy = store.article(&c.id).unwrap().unwrap();
    assert_eq!(copy.duplicate_of.as_deref(), Some(a.id.as_str()));
    let listed = store.articles(&ArticleFilter::default()).unwrap();
    assert_eq!(listed.len(), 1);
    let all = store
        .articles(&ArticleFilter {
            include_copies: true,
            ..ArticleFilter::default()
        })
        .unwrap();
    assert_eq!(all.len(), 3);
    let hits = store
        .search("tenggelam", &ArticleFilter::default())
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, a.id);
}

/// Listings filter by site (`www.` ignored), language, entity, speaker and dates, and
/// come newest first.
pub fn filters(store: &dyn Store) {
    let mut a = sample_article(1, "kompas.com", "2023-09-13T10:00:00+07:00", "Satu.");
    a.entities = Some(vec![entity(
        "country:kp",
        "Korea Utara",
        EntityKind::Country,
        Some("KP"),
        2,
    )]);
    a.quotes = Some(vec![quote(
        "Ini penting.",
        Some(("person:fyodor-tertitskiy", "Fyodor Tertitskiy")),
    )]);
    let mut b = sample_article(2, "detik.com", "2023-09-10", "Dua.");
    b.language = "en".to_string();
    let c = sample_article(3, "kompas.com", "2022-01-05", "Tiga.");
    let undated = {
        let mut u = sample_article(4, "kompas.com", "x", "Empat.");
        u.published = None;
        u
    };
    put(
        store,
        [a.clone(), b.clone(), c.clone(), undated.clone()]
            .into_iter()
            .map(NewArticle::new)
            .collect(),
    );
    let ids = |f: ArticleFilter| -> Vec<String> {
        store
            .articles(&f)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    assert_eq!(
        ids(ArticleFilter::default()),
        [
            a.id.as_str(),
            b.id.as_str(),
            c.id.as_str(),
            undated.id.as_str()
        ]
    );
    assert_eq!(
        ids(ArticleFilter {
            site: Some("www.kompas.com".into()),
            ..Default::default()
        }),
        [a.id.as_str(), c.id.as_str(), undated.id.as_str()]
    );
    assert_eq!(
        ids(ArticleFilter {
            language: Some("en".into()),
            ..Default::default()
        }),
        [b.id.as_str()]
    );
    assert_eq!(
        ids(ArticleFilter {
            entity: Some("country:kp".into()),
            ..Default::default()
        }),
        [a.id.as_str()]
    );
    assert_eq!(
        ids(ArticleFilter {
            speaker: Some("tertitskiy".into()),
            ..Default::default()
        }),
        [a.id.as_str()]
    );
    assert_eq!(
        ids(ArticleFilter {
            since: Some("2023-09".into()),
            ..Default::default()
        }),
        [a.id.as_str(), b.id.as_str()]
    );
    assert_eq!(
        ids(ArticleFilter {
            until: Some("2023-09-12".into()),
            ..Default::default()
        }),
        [b.id.as_str(), c.id.as_str()]
    );
    assert_eq!(
        ids(ArticleFilter {
            limit: 2,
            offset: 1,
            ..Default::default()
        }),
        [b.id.as_str(), c.id.as_str()]
    );
    let summary = &store.articles(&ArticleFilter::default()).unwrap()[0];
    assert_eq!(summary.site.as_deref(), Some("kompas.com"));
    assert_eq!(summary.url, a.canonical_url);
    assert_eq!(summary.title, a.title);
}

/// Entities count canonical articles and mentions (not photo credits); quotes are found
/// by speaker entity, speaker name and words.
pub fn entities_and_quotes(store: &dyn Store) {
    let mut a = sample_article(1, "kompas.com", "2023-09-13", "Satu.");
    let mut credit = entity(
        "person:alexey-nikolsky",
        "Alexey Nikolsky",
        EntityKind::Person,
        None,
        1,
    );
    credit.role = Some("credit".into());
    a.entities = Some(vec![
        entity(
            "country:kp",
            "Korea Utara",
            EntityKind::Country,
            Some("KP"),
            3,
        ),
        entity(
            "person:fyodor-tertitskiy",
            "Fyodor Tertitskiy",
            EntityKind::Person,
            None,
            2,
        ),
        credit,
    ]);
    a.quotes = Some(vec![
        quote(
            "Kim tidak akan pergi jauh.",
            Some(("person:fyodor-tertitskiy", "Fyodor Tertitskiy")),
        ),
        quote("Tanpa pembicara.", None),
    ]);
    a.times = Some(vec![TimeExpression {
        text: "pekan ini".into(),
        value: "2023-W37".into(),
        start: 0,
        end: 9,
        kind: "week".into(),
    }]);
    let mut b = sample_article(2, "detik.com", "2023-09-14", "Dua.");
    b.entities = Some(vec![entity(
        "country:kp",
        "Korea Utara",
        EntityKind::Country,
        Some("KP"),
        1,
    )]);
    let mut copy = sample_article(3, "tempo.co", "2023-09-14", "Dua.");
    copy.entities = b.entities.clone();
    let mut nc = NewArticle::new(copy);
    nc.duplicate_of = Some(b.id.clone());
    put(
        store,
        vec![NewArticle::new(a.clone()), NewArticle::new(b.clone()), nc],
    );

    let kp = store.entity("country:kp").unwrap().expect("entity");
    assert_eq!(kp.name, "Korea Utara");
    assert_eq!(kp.kind, "country");
    assert_eq!(kp.country.as_deref(), Some("KP"));
    assert_eq!((kp.articles, kp.mentions), (2, 4), "copies are not counted");
    let credit = store
        .entity("person:alexey-nikolsky")
        .unwrap()
        .expect("credit");
    assert_eq!(
        credit.articles, 0,
        "photo credits are not counted as subjects"
    );
    assert!(store.entity("person:nobody").unwrap().is_none());
    let found = store.find_entities("korea", 10).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "country:kp");

    let by_id = store
        .quotes(&QuoteFilter {
            speaker: Some("person:fyodor-tertitskiy".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_id.len(), 1);
    assert_eq!(by_id[0].text, "Kim tidak akan pergi jauh.");
    assert_eq!(by_id[0].article_id, a.id);
    assert_eq!(by_id[0].speaker_description.as_deref(), Some("sejarawan"));
    let by_name = store
        .quotes(&QuoteFilter {
            speaker: Some("fyodor".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_name, by_id);
    let by_words = store
        .quotes(&QuoteFilter {
            contains: Some("PEMBICARA".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_words.len(), 1);
    assert_eq!(by_words[0].speaker, None);
    assert_eq!(store.quotes(&QuoteFilter::default()).unwrap().len(), 2);
}

/// Full-text search finds words in title and text (case- and accent-insensitive),
/// applies filters, and sees updated content.
pub fn search(store: &dyn Store) {
    let a = sample_article(
        1,
        "kompas.com",
        "2023-09-13",
        "Pyongyang menggelar parade militer.",
    );
    let mut b = sample_article(
        2,
        "detik.com",
        "2023-09-14",
        "Pemilu di Jakarta berlangsung damai.",
    );
    b.title = Some("Pemilu damai di Jakarta".into());
    put(
        store,
        vec![NewArticle::new(a.clone()), NewArticle::new(b.clone())],
    );
    let ids = |q: &str, f: ArticleFilter| -> Vec<String> {
        store
            .search(q, &f)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    assert_eq!(ids("pyongyang", ArticleFilter::default()), [a.id.as_str()]);
    assert_eq!(
        ids("PARADE Militer", ArticleFilter::default()),
        [a.id.as_str()]
    );
    assert_eq!(ids("pemilu", ArticleFilter::default()), [b.id.as_str()]);
    assert_eq!(ids("berita", ArticleFilter::default()).len(), 2);
    assert_eq!(
        ids(
            "berita",
            ArticleFilter {
                site: Some("detik.com".into()),
                ..Default::default()
            }
        ),
        [b.id.as_str()]
    );
    assert_eq!(
        ids(
            "berita",
            ArticleFilter {
                until: Some("2023-09-13".into()),
                ..Default::default()
            }
        ),
        [a.id.as_str()]
    );
    assert!(ids("tsunami", ArticleFilter::default()).is_empty());
    let mut a2 = a.clone();
    a2.text = "Seoul menanggapi dengan tenang.".into();
    put(store, vec![NewArticle::new(a2)]);
    assert!(ids("pyongyang", ArticleFilter::default()).is_empty());
    assert_eq!(ids("seoul", ArticleFilter::default()), [a.id.as_str()]);
}

/// Inputs read before are remembered with their hash; fingerprints find candidate
/// copies by exact hash or a shared key, never among copies.
pub fn inputs_and_fingerprints(store: &dyn Store) {
    let a = sample_article(1, "kompas.com", "2023-09-13", "Satu.");
    let b = sample_article(2, "detik.com", "2023-09-13", "Dua.");
    let c = sample_article(3, "tempo.co", "2023-09-13", "Tiga.");
    let fp = |exact: u64, keys: &[u64]| Fingerprint {
        exact,
        keys: keys.to_vec(),
        signature: vec![1, 2, 3, exact as u8],
    };
    let mut na = NewArticle::new(a.clone());
    na.fingerprint = Some(fp(10, &[1, 2, 3]));
    na.input = Some(InputSeen {
        key: "pages/a.html".into(),
        hash: "h1".into(),
    });
    let mut nb = NewArticle::new(b.clone());
    nb.fingerprint = Some(fp(20, &[4, 5, 6]));
    let mut nc = NewArticle::new(c.clone());
    nc.fingerprint = Some(fp(30, &[1, 7, 8]));
    nc.duplicate_of = Some(a.id.clone());
    put(store, vec![na, nb, nc]);
    assert_eq!(
        store.input_hash("pages/a.html").unwrap().as_deref(),
        Some("h1")
    );
    assert_eq!(store.input_hash("pages/b.html").unwrap(), None);
    store
        .mark_inputs(&[InputSeen {
            key: "pages/empty.html".into(),
            hash: "h0".into(),
        }])
        .unwrap();
    assert_eq!(
        store.input_hash("pages/empty.html").unwrap().as_deref(),
        Some("h0")
    );

    let found = |q: Fingerprint| -> Vec<String> {
        store
            .duplicate_candidates(&q)
            .unwrap()
            .into_iter()
            .map(|c| c.article_id)
            .collect()
    };
    assert_eq!(found(fp(20, &[99])), [b.id.as_str()]);
    assert_eq!(
        found(fp(99, &[1])),
        [a.id.as_str()],
        "copy c shares key 1 but is a copy"
    );
    let mut both = found(fp(99, &[3, 6]));
    both.sort();
    let mut want = vec![a.id.clone(), b.id.clone()];
    want.sort();
    assert_eq!(both, want);
    assert!(found(fp(98, &[97])).is_empty());
    let cand = store.duplicate_candidates(&fp(10, &[])).unwrap();
    assert_eq!(cand.len(), 1);
    assert_eq!(cand[0].fingerprint, fp(10, &[1, 2, 3]));
}

/// Sources register once per URL and remember poll validators; the fetch log lists
/// newest first.
pub fn sources_and_fetch_log(store: &dyn Store) {
    let s = store
        .add_source("https://example.org/feed.xml", SourceKind::Feed, 900)
        .unwrap();
    assert_eq!(s.every_secs, 900);
    let again = store
        .add_source("https://example.org/feed.xml", SourceKind::Feed, 600)
        .unwrap();
    assert_eq!(again.id, s.id);
    assert_eq!(again.every_secs, 600);
    let other = store
        .add_source("https://example.org/sitemap.xml", SourceKind::Sitemap, 3600)
        .unwrap();
    assert_ne!(other.id, s.id);
    store
        .record_poll(
            s.id,
            &SourcePoll {
                etag: Some("\"abc\"".into()),
                last_modified: Some("Wed, 13 Sep 2023 10:00:00 GMT".into()),
                polled_at: "2023-09-13T10:00:00Z".into(),
                status: "ok".into(),
            },
        )
        .unwrap();
    store
        .record_poll(
            s.id,
            &SourcePoll {
                etag: None,
                last_modified: None,
                polled_at: "2023-09-13T10:15:00Z".into(),
                status: "not_modified".into(),
            },
        )
        .unwrap();
    let list = store.sources().unwrap();
    assert_eq!(list.len(), 2);
    let feed = list.iter().find(|x| x.id == s.id).unwrap();
    assert_eq!(feed.etag.as_deref(), Some("\"abc\""), "validators are kept");
    assert_eq!(feed.last_status.as_deref(), Some("not_modified"));
    assert_eq!(feed.kind, SourceKind::Feed);
    assert!(store.record_poll(9_999, &SourcePoll::default()).is_err());
    assert!(store.remove_source(other.id).unwrap());
    assert!(!store.remove_source(other.id).unwrap());
    assert_eq!(store.sources().unwrap().len(), 1);

    let rec = |url: &str, outcome: &str| FetchRecord {
        url: url.into(),
        at: "2023-09-13T10:00:00Z".into(),
        status: Some(200),
        outcome: outcome.into(),
        error: None,
        bytes: 1234,
        millis: 56,
    };
    store
        .log_fetches(&[
            rec("https://a.example/1", "new"),
            rec("https://a.example/2", "error"),
        ])
        .unwrap();
    let log = store.fetch_log(10).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].url, "https://a.example/2");
    assert_eq!(log[1], rec("https://a.example/1", "new"));
    assert_eq!(store.fetch_log(1).unwrap().len(), 1);
}

/// Totals add up and a healthy store checks clean.
pub fn stats_and_check(store: &dyn Store) {
    let report = store.check().unwrap();
    assert!(report.is_clean(), "empty store: {:?}", report.problems);
    let mut a = sample_article(1, "kompas.com", "2023-09-13", "Satu.");
    a.quotes = Some(vec![quote("Ya.", None)]);
    a.entities = Some(vec![entity(
        "place:cianjur",
        "Cianjur",
        EntityKind::Place,
        Some("ID"),
        1,
    )]);
    let b = sample_article(2, "detik.com", "2023-09-13", "Dua.");
    let mut nb = NewArticle::new(b);
    nb.duplicate_of = Some(a.id.clone());
    put(store, vec![NewArticle::new(a), nb]);
    store
        .add_source("https://example.org/rss", SourceKind::Feed, 60)
        .unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.articles, 1);
    assert_eq!(stats.copies, 1);
    assert_eq!(stats.entities, 1);
    assert_eq!(stats.quotes, 1);
    assert_eq!(stats.sources, 1);
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.indexed, 1);
}

fn sample_watch(query: &str) -> WatchSpec {
    WatchSpec {
        query: query.to_string(),
        site: Some("kompas.com".into()),
        channels: vec![
            Channel::Telegram {
                chat_id: "-100123".into(),
            },
            Channel::Webhook {
                url: "http://127.0.0.1:9/hook".into(),
                secret: Some("s3cret".into()),
            },
        ],
        digest: Some(Digest::Hourly),
        ..WatchSpec::default()
    }
}

/// Watches are added (names unique), listed oldest first, found by name and removed;
/// a new watch starts after the articles already stored.
pub fn watches_crud(store: &dyn Store) {
    put(
        store,
        vec![NewArticle::new(sample_article(
            1,
            "kompas.com",
            "2023-09-13",
            "Gempa.",
        ))],
    );
    let spec = sample_watch("gempa OR banjir");
    let w = store.add_watch("bencana", &spec).unwrap();
    assert_eq!(w.name, "bencana");
    assert_eq!(w.spec, spec);
    assert_eq!(w.since_seq, store.articles_after(0, 0).unwrap()[0].seq);
    assert!(matches!(
        store.add_watch("bencana", &spec),
        Err(crate::StoreError::Invalid(_))
    ));
    let v = store.add_watch("politik", &WatchSpec::default()).unwrap();
    assert!(v.id > w.id);
    let names: Vec<String> = store
        .watches()
        .unwrap()
        .into_iter()
        .map(|w| w.name)
        .collect();
    assert_eq!(names, ["bencana", "politik"]);
    assert_eq!(store.watch("bencana").unwrap().unwrap(), w);
    assert!(store.watch("nope").unwrap().is_none());
    assert!(store.remove_watch("bencana").unwrap());
    assert!(!store.remove_watch("bencana").unwrap());
    assert_eq!(store.watches().unwrap().len(), 1);
    // A name used again gets a new id.
    let again = store.add_watch("bencana", &spec).unwrap();
    assert!(again.id > v.id);
}

/// `articles_after` lists canonical articles written after a change number, in change
/// order, with copies left out; an update moves an article to its new change number.
pub fn articles_after_cursor(store: &dyn Store) {
    let a = sample_article(1, "kompas.com", "2023-09-13", "Kapal tenggelam.");
    let b = sample_article(2, "detik.com", "2023-09-13", "Kapal tenggelam.");
    let c = sample_article(3, "detik.com", "2023-09-14", "Banjir.");
    put(store, vec![NewArticle::new(a.clone())]);
    let mut nb = NewArticle::new(b.clone());
    nb.duplicate_of = Some(a.id.clone());
    put(store, vec![nb, NewArticle::new(c.clone())]);
    let all = store.articles_after(0, 0).unwrap();
    let ids: Vec<&str> = all.iter().map(|x| x.article.id.as_str()).collect();
    assert_eq!(ids, [a.id.as_str(), c.id.as_str()], "copies are left out");
    assert!(all[0].seq < all[1].seq);
    let after = store.articles_after(all[0].seq, 0).unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].article.id, c.id);
    assert_eq!(store.articles_after(0, 1).unwrap().len(), 1);
    assert!(store.articles_after(all[1].seq, 0).unwrap().is_empty());
    let mut a2 = a.clone();
    a2.text.push_str(" Diperbarui.");
    put(store, vec![NewArticle::new(a2)]);
    let after = store.articles_after(all[1].seq, 0).unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].article.id, a.id);
    assert!(after[0].seq > all[1].seq);
}

/// Matches and notifications are recorded once per key with the cursor in one step;
/// pending notifications come in queue order; results of attempts are kept; removing a
/// watch removes its queue.
pub fn outbox_lifecycle(store: &dyn Store) {
    assert_eq!(store.watch_cursor().unwrap(), 0);
    let w = store.add_watch("bencana", &sample_watch("gempa")).unwrap();
    let m = |article: &str| WatchMatch {
        watch_id: w.id,
        article_id: article.to_string(),
        matched_at: "2023-09-13T10:00:00Z".into(),
    };
    let n = |article: &str, channel: u32| NewNotification {
        key: format!("w{}-{article}-c{channel}", w.id),
        watch_id: w.id,
        channel,
        article_id: article.to_string(),
        due_ms: 1_000,
    };
    let queued = store
        .record_matches(
            &[m("a1"), m("a2")],
            &[n("a1", 0), n("a1", 1), n("a2", 0)],
            7,
        )
        .unwrap();
    assert_eq!(queued, 3);
    assert_eq!(store.watch_cursor().unwrap(), 7);
    // The same again: nothing new, and the cursor never goes back.
    let queued = store.record_matches(&[m("a1")], &[n("a1", 0)], 3).unwrap();
    assert_eq!(queued, 0);
    assert_eq!(store.watch_cursor().unwrap(), 7);
    // A notification for a watch that does not exist is not queued.
    let mut stray = n("a9", 0);
    stray.watch_id = w.id + 100;
    stray.key = "stray".into();
    assert_eq!(store.record_matches(&[], &[stray], 8).unwrap(), 0);
    assert_eq!(store.watch_cursor().unwrap(), 8);

    let matches = store.watch_matches(w.id, 0).unwrap();
    let ids: Vec<&str> = matches.iter().map(|m| m.article_id.as_str()).collect();
    assert_eq!(ids, ["a2", "a1"], "newest first");
    assert_eq!(store.watch_matches(w.id, 1).unwrap().len(), 1);

    let pending = store.pending_notifications(0).unwrap();
    let keys: Vec<&str> = pending.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            format!("w{}-a1-c0", w.id),
            format!("w{}-a1-c1", w.id),
            format!("w{}-a2-c0", w.id)
        ]
    );
    assert!(pending.windows(2).all(|p| p[0].id < p[1].id));
    assert_eq!(pending[0].status, NotificationStatus::Pending);
    assert_eq!(pending[0].attempts, 0);
    assert_eq!(pending[0].due_ms, 1_000);
    assert_eq!(pending[1].channel, 1);
    assert_eq!(store.pending_notifications(2).unwrap().len(), 2);

    store
        .finish_notification(
            pending[0].id,
            &DeliveryResult::Retry {
                due_ms: 5_000,
                error: "HTTP 503".into(),
            },
        )
        .unwrap();
    store
        .finish_notification(
            pending[1].id,
            &DeliveryResult::Delivered {
                detail: "HTTP 200".into(),
                sent: "{\"article_id\":\"a1\"}".into(),
            },
        )
        .unwrap();
    store
        .finish_notification(
            pending[2].id,
            &DeliveryResult::Failed {
                error: "HTTP 400".into(),
            },
        )
        .unwrap();
    assert!(matches!(
        store.finish_notification(
            pending[2].id + 1000,
            &DeliveryResult::Failed { error: "x".into() }
        ),
        Err(crate::StoreError::Invalid(_))
    ));
    let left = store.pending_notifications(0).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, pending[0].id);
    assert_eq!(left[0].attempts, 1);
    assert_eq!(left[0].due_ms, 5_000);
    assert_eq!(left[0].detail.as_deref(), Some("HTTP 503"));
    let all = store.notifications(w.id, 0).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].id, pending[2].id, "newest first");
    assert_eq!(all[0].status, NotificationStatus::Failed);
    assert_eq!(all[1].status, NotificationStatus::Delivered);
    assert!(all[1].finished.is_some());
    assert_eq!(all[1].detail.as_deref(), Some("HTTP 200"));
    assert_eq!(all[1].sent.as_deref(), Some("{\"article_id\":\"a1\"}"));
    assert_eq!(all[0].sent, None, "nothing was sent");

    assert!(store.remove_watch("bencana").unwrap());
    assert!(store.pending_notifications(0).unwrap().is_empty());
    assert!(store.notifications(w.id, 0).unwrap().is_empty());
    assert!(store.watch_matches(w.id, 0).unwrap().is_empty());
}
