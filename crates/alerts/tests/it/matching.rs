//! The matcher: boolean and phrase queries analysed like the index, filters, copies and
//! articles older than the watch not firing, an article firing once.

use warta_alerts::{Alerts, AlertsConfig, ArticleTerms, Matcher};
use warta_core::{Article, Entity, EntityKind, Quote};
use warta_store::conformance::sample_article;
use warta_store::{
    ArticleFilter, Channel, MemoryStore, NewArticle, Store, Watch, WatchSpec, WatchStore,
};

fn watch(id: i64, query: &str) -> Watch {
    Watch {
        id,
        name: format!("w{id}"),
        spec: WatchSpec {
            query: query.into(),
            ..WatchSpec::default()
        },
        since_seq: 0,
        created: String::new(),
    }
}

fn matching(watches: &[Watch], a: &Article) -> Vec<usize> {
    Matcher::new(watches).matches(&ArticleTerms::new(a))
}

pub(crate) fn with_entity(mut a: Article, id: &str, name: &str) -> Article {
    a.entities.get_or_insert_with(Vec::new).push(Entity {
        id: id.into(),
        name: name.into(),
        kind: EntityKind::Person,
        country: None,
        role: None,
        mentions: Vec::new(),
    });
    a
}

#[test]
fn boolean_and_phrase_queries() {
    let a = sample_article(
        1,
        "kompas.com",
        "2024-03-01",
        "Banjir bandang melanda Demak. Warga menuliskan pesan di media sosial.",
    );
    let watches = [
        watch(1, "banjir"),                        // 0: word
        watch(2, "banjir demak"),                  // 1: both words
        watch(3, "banjir gempa"),                  // 2: gempa missing
        watch(4, "gempa OR demak"),                // 3
        watch(5, "banjir -demak"),                 // 4: excluded
        watch(6, "\"banjir bandang\""),            // 5: phrase
        watch(7, "\"bandang banjir\""),            // 6: phrase in the wrong order
        watch(8, "tulis"),                         // 7: stemmed: menuliskan → tulis
        watch(9, "(gempa OR longsor) AND banjir"), // 8
        watch(10, "NOT gempa"),                    // 9: purely negative
        watch(11, "BANJIR AND NOT gempa"),         // 10
        watch(12, "\"judul berita 1\""),           // 11: the title
        watch(13, "\"1 banjir\""),                 // 12: no phrase across title and text
    ];
    assert_eq!(matching(&watches, &a), [0, 1, 3, 5, 7, 9, 10, 11]);
}

#[test]
fn english_articles_use_the_english_analyser() {
    let mut a = sample_article(1, "thejakartapost.com", "2024-03-01", "Floods hit Demak.");
    a.language = "en".into();
    let watches = [watch(1, "flooding"), watch(2, "flood"), watch(3, "banjir")];
    assert_eq!(matching(&watches, &a), [0, 1]);
}

#[test]
fn filters_entity_site_language_speaker() {
    let mut a = with_entity(
        sample_article(1, "kompas.com", "2024-03-01", "Presiden meninjau banjir."),
        "jokowi",
        "Joko Widodo",
    );
    a.quotes = Some(vec![Quote {
        text: "Kita bantu warga".into(),
        speaker: Some("Joko Widodo".into()),
        speaker_entity: Some("jokowi".into()),
        speaker_description: None,
        direct: true,
        cue: None,
        start: 0,
        end: 0,
    }]);
    let spec = |f: &dyn Fn(&mut WatchSpec)| {
        let mut w = watch(1, "banjir");
        f(&mut w.spec);
        w
    };
    let watches = [
        spec(&|s| s.entity = Some("jokowi".into())),
        spec(&|s| s.entity = Some("prabowo".into())),
        spec(&|s| s.site = Some("www.kompas.com".into())),
        spec(&|s| s.site = Some("detik.com".into())),
        spec(&|s| s.language = Some("id".into())),
        spec(&|s| s.language = Some("en".into())),
        spec(&|s| s.speaker = Some("widodo".into())),
        spec(&|s| s.speaker = Some("prabowo".into())),
        spec(&|s| {
            s.query = String::new();
            s.entity = Some("jokowi".into());
        }),
        spec(&|s| {
            s.query = String::new();
            s.site = Some("kompas.com".into());
        }),
        spec(&|s| s.query = "entity:jokowi".into()),
    ];
    assert_eq!(matching(&watches, &a), [0, 2, 4, 6, 8, 9, 10]);
}

fn store_with_watch(query: &str) -> (MemoryStore, Watch) {
    let store = MemoryStore::new();
    // An article stored before the watch: never fires it.
    store
        .put_articles(&[NewArticle::new(sample_article(
            100,
            "kompas.com",
            "2024-03-01",
            "Banjir lama.",
        ))])
        .unwrap();
    let w = store
        .add_watch(
            "banjir",
            &WatchSpec {
                query: query.into(),
                channels: vec![Channel::Webhook {
                    url: "http://127.0.0.1:9/".into(),
                    secret: None,
                }],
                ..WatchSpec::default()
            },
        )
        .unwrap();
    (store, w)
}

#[test]
fn fires_once_per_new_canonical_article() {
    let (store, w) = store_with_watch("banjir");
    let alerts = Alerts::new(&store, AlertsConfig::default());
    let a = sample_article(1, "kompas.com", "2024-03-01", "Banjir di Demak.");
    let b = sample_article(2, "detik.com", "2024-03-01", "Banjir di Demak.");
    let c = sample_article(3, "detik.com", "2024-03-01", "Gempa di Cianjur.");
    store.put_articles(&[NewArticle::new(a.clone())]).unwrap();
    let mut copy = NewArticle::new(b);
    copy.duplicate_of = Some(a.id.clone());
    store.put_articles(&[copy, NewArticle::new(c)]).unwrap();
    let report = alerts.match_new().unwrap();
    assert_eq!(report.matches, 1, "{report:?}");
    assert_eq!(report.queued, 1);
    let pending = store.pending_notifications(0).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].article_id, a.id);
    // Nothing new: nothing queued. The same article updated: still once.
    assert_eq!(alerts.match_new().unwrap().queued, 0);
    let mut a2 = a.clone();
    a2.text.push_str(" Air mulai surut.");
    store.put_articles(&[NewArticle::new(a2)]).unwrap();
    let report = alerts.match_new().unwrap();
    assert_eq!(report.queued, 0);
    assert_eq!(store.pending_notifications(0).unwrap().len(), 1);
    assert_eq!(store.watch_matches(w.id, 0).unwrap().len(), 1);
}

/// A watch for an entity's name fires on articles naming the entity however they write
/// it, as `warta search` finds them: the expander says which entity the words name.
#[test]
fn entity_names_in_a_watch_query_expand() {
    let (store, w) = store_with_watch("rudal Korut");
    let expander: warta_alerts::Expander<'_> = Box::new(|q: &str| {
        if q.to_lowercase().contains("korut") {
            vec![warta_store::Expansion {
                words: "Korut".into(),
                entities: vec!["Q423".into()],
            }]
        } else {
            Vec::new()
        }
    });
    let alerts = Alerts::new(&store, AlertsConfig::default()).with_expander(expander);
    let named = with_entity(
        sample_article(
            1,
            "kompas.com",
            "2024-03-01",
            "Korea Utara meluncurkan rudal.",
        ),
        "Q423",
        "Korea Utara",
    );
    let unnamed = sample_article(2, "detik.com", "2024-03-01", "Rudal diuji di gurun.");
    let written = sample_article(3, "detik.com", "2024-03-01", "Korut menguji rudal.");
    store
        .put_articles(&[
            NewArticle::new(named.clone()),
            NewArticle::new(unnamed),
            NewArticle::new(written.clone()),
        ])
        .unwrap();
    let report = alerts.match_new().unwrap();
    assert_eq!(report.matches, 2, "{report:?}");
    let fired: Vec<String> = store
        .watch_matches(w.id, 0)
        .unwrap()
        .into_iter()
        .map(|m| m.article_id)
        .collect();
    assert!(
        fired.contains(&named.id) && fired.contains(&written.id),
        "{fired:?}"
    );
    // The story names the entity that made it match.
    let found = alerts.preview("banjir", &w.spec, 10).unwrap();
    let story = found
        .iter()
        .find(|p| p.story.article_id == named.id)
        .expect("the preview finds it too");
    assert_eq!(story.story.entities, ["Korea Utara"]);
    // Without the expander the words alone count.
    let plain = Alerts::new(&store, AlertsConfig::default());
    let ids: Vec<String> = plain
        .preview("plain", &w.spec, 10)
        .unwrap()
        .into_iter()
        .map(|p| p.story.article_id)
        .collect();
    assert_eq!(ids, [written.id]);
}

#[test]
fn preview_runs_a_watch_without_queueing() {
    let (store, _) = store_with_watch("banjir");
    let alerts = Alerts::new(&store, AlertsConfig::default());
    let found = alerts
        .preview(
            "banjir",
            &WatchSpec {
                query: "banjir".into(),
                ..WatchSpec::default()
            },
            10,
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].telegram.contains("Judul berita 100"));
    assert!(store.pending_notifications(0).unwrap().is_empty());
    // What the watch finds is what a search finds.
    let hits = store.search("banjir", &ArticleFilter::default()).unwrap();
    assert_eq!(hits.len(), 1);
}

#[test]
fn a_thousand_watches_check_few_candidates() {
    let watches: Vec<Watch> = (0..1000)
        .map(|i| watch(i, &format!("kata{i} OR \"frasa {i}\"")))
        .collect();
    let m = Matcher::new(&watches);
    let a = sample_article(
        1,
        "kompas.com",
        "2024-03-01",
        "Ada kata17 dan frasa 42 di sini.",
    );
    assert_eq!(m.matches(&ArticleTerms::new(&a)), [17, 42]);
}
