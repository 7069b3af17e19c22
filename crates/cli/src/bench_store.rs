//! `warta bench store`: fills a store with synthetic articles for the search benchmark
//! (`scripts/bench-search.sh`). Each article is composed from sentences of real article
//! bodies (e.g. the shared extraction sets' truth.jsonl), with a site, a date, a
//! language, entities with their mentions, and quotes drawn from small pools, and is
//! written straight to the store (no extraction or analysis: this measures search, not
//! ingest).

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use warta_core::{Article, Entity, EntityKind, Mention, Quote};
use warta_store::{NewArticle, Store};

use crate::ingest::DataArgs;

/// Options of `warta bench store`.
#[derive(Debug, Args)]
pub(crate) struct StoreBenchArgs {
    /// JSON-lines files of article bodies (`articleBody` or `text`, with `url`).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    data: DataArgs,
    /// How many articles to write.
    #[arg(long, default_value_t = 100_000)]
    articles: usize,
    /// Articles per transaction.
    #[arg(long, default_value_t = 2_000)]
    batch: usize,
}

/// A small deterministic generator (xorshift64*), so runs build the same store.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// People, organisations, places and countries the synthetic articles name:
/// (id, canonical name, kind, words used in the text).
const ENTITIES: &[(&str, &str, EntityKind, &str)] = &[
    (
        "country:KP",
        "North Korea",
        EntityKind::Country,
        "Korea Utara",
    ),
    (
        "country:KR",
        "South Korea",
        EntityKind::Country,
        "Korea Selatan",
    ),
    ("country:RU", "Russia", EntityKind::Country, "Rusia"),
    (
        "country:US",
        "United States",
        EntityKind::Country,
        "Amerika Serikat",
    ),
    ("country:CN", "China", EntityKind::Country, "China"),
    ("country:ID", "Indonesia", EntityKind::Country, "Indonesia"),
    ("country:JP", "Japan", EntityKind::Country, "Jepang"),
    ("country:UA", "Ukraine", EntityKind::Country, "Ukraina"),
    ("place:jakarta", "Jakarta", EntityKind::Place, "Jakarta"),
    ("place:surabaya", "Surabaya", EntityKind::Place, "Surabaya"),
    ("place:moscow", "Moscow", EntityKind::Place, "Moskow"),
    ("place:seoul", "Seoul", EntityKind::Place, "Seoul"),
    (
        "organization:kpk",
        "Komisi Pemberantasan Korupsi",
        EntityKind::Organization,
        "KPK",
    ),
    (
        "organization:un",
        "United Nations",
        EntityKind::Organization,
        "PBB",
    ),
    (
        "organization:reuters",
        "Reuters",
        EntityKind::Organization,
        "Reuters",
    ),
    (
        "person:joko-widodo",
        "Joko Widodo",
        EntityKind::Person,
        "Joko Widodo",
    ),
    (
        "person:prabowo-subianto",
        "Prabowo Subianto",
        EntityKind::Person,
        "Prabowo Subianto",
    ),
    (
        "person:vladimir-putin",
        "Vladimir Putin",
        EntityKind::Person,
        "Vladimir Putin",
    ),
    (
        "person:kim-jong-un",
        "Kim Jong Un",
        EntityKind::Person,
        "Kim Jong Un",
    ),
    (
        "person:fyodor-tertitskiy",
        "Fyodor Tertitskiy",
        EntityKind::Person,
        "Fyodor Tertitskiy",
    ),
    (
        "person:sri-mulyani",
        "Sri Mulyani",
        EntityKind::Person,
        "Sri Mulyani",
    ),
    (
        "person:anies-baswedan",
        "Anies Baswedan",
        EntityKind::Person,
        "Anies Baswedan",
    ),
];

fn read_sentences(inputs: &[PathBuf]) -> Result<(Vec<String>, Vec<String>)> {
    let mut id = Vec::new();
    let mut en = Vec::new();
    for path in inputs {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        for line in std::io::BufReader::new(file).lines() {
            let v: serde_json::Value = match serde_json::from_str(&line?) {
                Ok(v) => v,
                Err(_) => continue,
            };
            let body = v["articleBody"]
                .as_str()
                .or(v["text"].as_str())
                .unwrap_or("");
            let indonesian = v["url"]
                .as_str()
                .is_some_and(|u| u.contains(".id/") || u.contains("indonesia"))
                || path.to_string_lossy().contains("-id");
            for s in body.split(". ") {
                let s = s.trim();
                if s.len() > 30 && s.len() < 400 {
                    let s = format!("{}.", s.trim_end_matches('.'));
                    if indonesian { id.push(s) } else { en.push(s) }
                }
            }
        }
    }
    if en.is_empty() && id.is_empty() {
        bail!("no sentences in the inputs");
    }
    if id.is_empty() {
        id = en.clone();
    }
    if en.is_empty() {
        en = id.clone();
    }
    Ok((id, en))
}

fn synthetic(n: usize, rng: &mut Rng, id: &[String], en: &[String]) -> Article {
    let indonesian = rng.below(2) == 0;
    let pool = if indonesian { id } else { en };
    let mut paragraphs: Vec<String> = Vec::new();
    for _ in 0..(3 + rng.below(4)) {
        let mut p = String::new();
        for _ in 0..(1 + rng.below(3)) {
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(&pool[rng.below(pool.len())]);
        }
        paragraphs.push(p);
    }
    // Name 2–5 entities, each in a sentence of its own; sometimes quote a person.
    let mut picked: Vec<usize> = Vec::new();
    for _ in 0..(2 + rng.below(4)) {
        let e = rng.below(ENTITIES.len());
        if !picked.contains(&e) {
            picked.push(e);
        }
    }
    let mut quote_of = None;
    for &e in &picked {
        let (_, _, kind, words) = ENTITIES[e];
        if kind == EntityKind::Person && quote_of.is_none() && rng.below(2) == 0 {
            quote_of = Some(e);
            let said = pool[rng.below(pool.len())]
                .trim_end_matches('.')
                .to_string();
            paragraphs.push(if indonesian {
                format!("\"{said},\" kata {words}.")
            } else {
                format!("\"{said},\" said {words}.")
            });
        } else {
            paragraphs.push(if indonesian {
                format!("Laporan itu juga menyebut {words}.")
            } else {
                format!("The report also named {words}.")
            });
        }
    }
    let title: String = pool[rng.below(pool.len())].chars().take(90).collect();
    let site = format!("site{}.test", rng.below(50));
    let text = paragraphs.join("\n\n");
    let mut a = Article::from_text(
        Some(format!("b{n:07}")),
        &format!("bench:{n}"),
        Some(title),
        &text,
    );
    a.site = Some(site.clone());
    a.url = Some(format!("https://{site}/news/{n}"));
    a.language = if indonesian { "id".into() } else { "en".into() };
    a.published = Some(format!(
        "{}-{:02}-{:02}",
        2022 + rng.below(4),
        1 + rng.below(12),
        1 + rng.below(28)
    ));
    let chars = |s: &str| s.chars().count();
    let mut entities = Vec::new();
    let mut quotes = Vec::new();
    for &e in &picked {
        let (eid, name, kind, words) = ENTITIES[e];
        let mut mentions = Vec::new();
        let mut from = 0;
        while let Some(at) = a.text[from..].find(words) {
            let b = from + at;
            let start = chars(&a.text[..b]);
            mentions.push(Mention {
                text: words.into(),
                field: "text".into(),
                start,
                end: start + chars(words),
            });
            from = b + words.len();
        }
        entities.push(Entity {
            id: eid.into(),
            name: name.into(),
            kind,
            country: None,
            role: None,
            mentions,
        });
        if quote_of == Some(e)
            && let Some(q0) = a
                .text
                .rfind('"')
                .and_then(|end| a.text[..end].rfind('"').map(|s| (s, end)))
        {
            let (s, end) = q0;
            let start = chars(&a.text[..s]);
            quotes.push(Quote {
                text: a.text[s + 1..end].to_string(),
                speaker: Some(name.into()),
                speaker_entity: Some(eid.into()),
                speaker_description: None,
                direct: true,
                cue: Some(if indonesian {
                    "kata".into()
                } else {
                    "said".into()
                }),
                start,
                end: chars(&a.text[..end]) + 1,
            });
        }
    }
    a.entities = Some(entities);
    a.quotes = Some(quotes);
    a.times = Some(Vec::new());
    a
}

/// Runs `warta bench store`.
pub(crate) fn run(args: &StoreBenchArgs) -> Result<ExitCode> {
    let (id, en) = read_sentences(&args.inputs)?;
    let store = args.data.open()?;
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let started = Instant::now();
    let mut n = 0;
    while n < args.articles {
        let size = args.batch.max(1).min(args.articles - n);
        let batch: Vec<NewArticle> = (n..n + size)
            .map(|i| NewArticle::new(synthetic(i, &mut rng, &id, &en)))
            .collect();
        store.put_articles(&batch)?;
        n += size;
        eprint!("\r{n} articles written");
    }
    eprintln!(
        "\r{n} synthetic articles in {:.1} s; store {} holds {} articles",
        started.elapsed().as_secs_f64(),
        args.data.data.display(),
        store.article_count()?
    );
    Ok(ExitCode::SUCCESS)
}
