//! A small store of invented articles (Indonesian and English) with their entities,
//! quotes and time expressions written out by hand, so these tests do not depend on
//! the analysis stage's models. One article is hostile (markup and scripts in every
//! field) to prove the UI escapes what it shows.

use std::sync::Arc;

use warta_core::{Article, Entity, EntityKind, Mention, Quote, TimeExpression};
use warta_store::{NewArticle, SqliteStore, Store};

/// An entity named in a fixture: id, canonical name, kind, and the words the text uses.
pub(crate) struct E(
    pub &'static str,
    pub &'static str,
    pub EntityKind,
    pub &'static [&'static str],
);

/// A quote in a fixture: its words (found in the text) and the speaker's entity id.
pub(crate) struct Q(pub &'static str, pub &'static str);

/// A time expression in a fixture: its words and value.
pub(crate) struct T(pub &'static str, pub &'static str);

/// One fixture article.
pub(crate) struct Fixture {
    pub id: &'static str,
    pub site: &'static str,
    pub published: &'static str,
    pub language: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    pub entities: &'static [E],
    pub quotes: &'static [Q],
    pub times: &'static [T],
    pub copy_of: Option<&'static str>,
}

fn char_ranges(text: &str, needle: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(needle) {
        let b = from + at;
        let start = text[..b].chars().count();
        out.push((start, start + needle.chars().count()));
        from = b + needle.len();
    }
    out
}

impl Fixture {
    /// The analysed record.
    pub(crate) fn article(&self) -> Article {
        let name_of = |id: &str| {
            self.entities
                .iter()
                .find(|e| e.0 == id)
                .map(|e| e.1.to_string())
        };
        let mut a = Article::from_text(
            Some(self.id.to_string()),
            self.id,
            Some(self.title.into()),
            self.text,
        );
        a.site = Some(self.site.into());
        a.url = Some(format!("https://{}/{}", self.site, self.id));
        a.published = Some(self.published.into());
        a.language = self.language.into();
        a.entities = Some(
            self.entities
                .iter()
                .map(|e| Entity {
                    id: e.0.into(),
                    name: e.1.into(),
                    kind: e.2,
                    country: None,
                    role: None,
                    mentions: e
                        .3
                        .iter()
                        .flat_map(|w| {
                            char_ranges(&a.text, w)
                                .into_iter()
                                .map(|(start, end)| Mention {
                                    text: (*w).into(),
                                    field: "text".into(),
                                    start,
                                    end,
                                })
                        })
                        .collect(),
                })
                .collect(),
        );
        a.quotes = Some(
            self.quotes
                .iter()
                .map(|q| {
                    let (start, end) = char_ranges(&a.text, q.0)[0];
                    Quote {
                        text: q.0.into(),
                        speaker: name_of(q.1),
                        speaker_entity: Some(q.1.into()),
                        speaker_description: None,
                        direct: true,
                        cue: None,
                        start,
                        end,
                    }
                })
                .collect(),
        );
        a.times = Some(
            self.times
                .iter()
                .map(|t| {
                    let (start, end) = char_ranges(&a.text, t.0)[0];
                    TimeExpression {
                        text: t.0.into(),
                        value: t.1.into(),
                        start,
                        end,
                        kind: "date".into(),
                    }
                })
                .collect(),
        );
        a
    }
}

const KP: &str = "country:KP";
const RU: &str = "country:RU";
const KR: &str = "country:KR";
const PUTIN: &str = "person:vladimir-putin";
const KIM: &str = "person:kim-jong-un";
const FT: &str = "person:fyodor-tertitskiy";

/// The fixture articles.
pub(crate) const FIXTURES: &[Fixture] = &[
    Fixture {
        id: "kim-tiba",
        site: "andalpost.test",
        published: "2023-09-13",
        language: "id",
        title: "Kim Jong Un Tiba di Rusia dengan Kereta Lapis Baja",
        text: "Pemimpin Korut Kim Jong Un tiba di Rusia pada Selasa pagi dengan kereta lapis baja untuk bertemu Presiden Vladimir Putin.\n\n\"Kunjungan ini menunjukkan bahwa Pyongyang membutuhkan sekutu,\" kata Fyodor Tertitskiy, peneliti sejarah Korea Utara.\n\nMenurut Tertitskiy, pertemuan itu membahas kerja sama militer.",
        entities: &[
            E(
                KP,
                "North Korea",
                EntityKind::Country,
                &["Korut", "Korea Utara"],
            ),
            E(KIM, "Kim Jong Un", EntityKind::Person, &["Kim Jong Un"]),
            E(RU, "Russia", EntityKind::Country, &["Rusia"]),
            E(
                PUTIN,
                "Vladimir Putin",
                EntityKind::Person,
                &["Vladimir Putin"],
            ),
            E(
                FT,
                "Fyodor Tertitskiy",
                EntityKind::Person,
                &["Fyodor Tertitskiy", "Tertitskiy"],
            ),
        ],
        quotes: &[Q(
            "Kunjungan ini menunjukkan bahwa Pyongyang membutuhkan sekutu,",
            FT,
        )],
        times: &[T("Selasa pagi", "2023-09-12")],
        copy_of: None,
    },
    Fixture {
        id: "kim-meets-putin",
        site: "wire.test",
        published: "2023-09-14",
        language: "en",
        title: "North Korea's Kim meets Putin at Russian spaceport",
        text: "North Korean leader Kim Jong Un met Vladimir Putin on Wednesday at the Vostochny spaceport.\n\n\"Moscow needs shells, Pyongyang needs technology,\" said Fyodor Tertitskiy, a researcher at Kookmin University.\n\nThe leaders' meeting lasted four hours.",
        entities: &[
            E(KP, "North Korea", EntityKind::Country, &["North Korean"]),
            E(KIM, "Kim Jong Un", EntityKind::Person, &["Kim Jong Un"]),
            E(
                PUTIN,
                "Vladimir Putin",
                EntityKind::Person,
                &["Vladimir Putin"],
            ),
            E(
                FT,
                "Fyodor Tertitskiy",
                EntityKind::Person,
                &["Fyodor Tertitskiy"],
            ),
        ],
        quotes: &[Q("Moscow needs shells, Pyongyang needs technology,", FT)],
        times: &[T("Wednesday", "2023-09-13")],
        copy_of: None,
    },
    Fixture {
        id: "beras-murah",
        site: "kabar.test",
        published: "2023-10-02",
        language: "id",
        title: "Pemerintah Luncurkan Program Beras Murah di Jakarta",
        text: "Peluncuran program beras murah dilakukan di Jakarta pada Senin.\n\n\"Harga harus terjangkau bagi semua warga,\" kata Presiden Joko Widodo.\n\nProgram ini berlangsung hingga akhir tahun.",
        entities: &[
            E("place:jakarta", "Jakarta", EntityKind::Place, &["Jakarta"]),
            E(
                "person:joko-widodo",
                "Joko Widodo",
                EntityKind::Person,
                &["Joko Widodo"],
            ),
        ],
        quotes: &[Q(
            "Harga harus terjangkau bagi semua warga,",
            "person:joko-widodo",
        )],
        times: &[T("Senin", "2023-10-02")],
        copy_of: None,
    },
    Fixture {
        id: "spy-satellite",
        site: "wire.test",
        published: "2023-11-22",
        language: "en",
        title: "Seoul says Pyongyang put a spy satellite into orbit",
        text: "South Korea said on Wednesday that the North had put a military reconnaissance satellite into orbit.\n\nThe launch was the third attempt this year.",
        entities: &[
            E(KP, "North Korea", EntityKind::Country, &["the North"]),
            E(KR, "South Korea", EntityKind::Country, &["South Korea"]),
        ],
        quotes: &[],
        times: &[T("Wednesday", "2023-11-22")],
        copy_of: None,
    },
    Fixture {
        id: "kim-tiba-copy",
        site: "sindikasi.test",
        published: "2023-09-13",
        language: "id",
        title: "Kim Jong Un Tiba di Rusia (salinan)",
        text: "Pemimpin Korut Kim Jong Un tiba di Rusia pada Selasa pagi dengan kereta lapis baja untuk bertemu Presiden Vladimir Putin.",
        entities: &[],
        quotes: &[],
        times: &[],
        copy_of: Some("kim-tiba"),
    },
    Fixture {
        id: "hostile",
        site: "evil.test",
        published: "2023-12-01",
        language: "id",
        title: "<script>alert('title')</script> Berita <b>palsu</b>",
        text: "Paragraf pertama <img src=x onerror=alert(1)> tentang hoaks.\n\n\"<script>alert('quote')</script>\" kata Penipu.\n\nPenutup </p><iframe src=javascript:alert(2)>.",
        entities: &[E(
            "person:evil",
            "<b onmouseover=alert(3)>Penipu</b>",
            EntityKind::Person,
            &["Penipu"],
        )],
        quotes: &[Q("\"<script>alert('quote')</script>\"", "person:evil")],
        times: &[],
        copy_of: None,
    },
];

/// A SQLite store holding the fixtures, in a temporary directory kept alive with it.
pub(crate) fn store() -> (tempfile::TempDir, Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    fill(&store);
    (dir, Arc::new(store))
}

/// Writes the fixtures into a store.
pub(crate) fn fill(store: &dyn Store) {
    for f in FIXTURES {
        let mut a = f.article();
        if f.id == "hostile" {
            a.url = Some("javascript:alert('url')".into());
            a.captions = vec![warta_core::Caption {
                text: "<svg onload=alert(4)>".into(),
                credit: Some("<i>Foto</i>".into()),
            }];
        }
        let mut n = NewArticle::new(a);
        n.duplicate_of = f.copy_of.map(str::to_string);
        store.put_articles(&[n]).unwrap();
    }
}
