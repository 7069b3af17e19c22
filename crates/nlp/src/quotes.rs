//! Who said what: direct quotes in quote marks and reported speech, each with
//! its speaker.
//!
//! A quote is attributed by a *cue*: a speech verb next to it (`kata`, `ujar`,
//! `imbuhnya`, `jelas dia`, `mengatakan`, `menurut X`; `said`, `added`, `told`,
//! `according to X`). The speaker is the person or organisation named next to
//! the cue; a pronoun (`dia`, `ia`, `beliau`, `he`, `she`) or the enclitic `-nya`
//! (`imbuhnya`) refers back to the last speaker, or else the last person named.
//! An apposition after the speaker's name (`kata Fyodor Tertitskiy, sejarawan …`)
//! is the speaker's description. A quote whose speaker cannot be found is kept
//! with `speaker: null` rather than guessed: a wrong speaker is worse than none.

use warta_core::{Entity, EntityKind, Mention, Quote};

pub mod eval;

use crate::gazetteer::{Gazetteer, slug};
use crate::segment::CharOffsets;

/// A name in the article text, as the quote finder needs it.
#[derive(Debug, Clone, Copy)]
pub struct NameAt {
    /// Byte offset of the first character in the article text.
    pub start: usize,
    /// Byte offset just after the name.
    pub end: usize,
    /// Index into the article's entities.
    pub entity: usize,
}

/// Speech verbs that attribute a quote, as written in Indonesian and English.
/// Indonesian bases also count with the enclitic `-nya` (`imbuhnya`, `katanya`).
const ID_CUES: &[&str] = &[
    "kata", "ujar", "ucap", "tutur", "ungkap", "jelas", "terang", "imbuh", "tegas", "sebut",
    "papar", "lanjut", "tambah", "tandas", "pungkas", "kilah", "sambung", "beber", "urai", "seru",
    "tanya", "bilang", "klaim", "jawab", "pinta", "timpal", "cetus", "aku", "kenang", "balas",
    "sahut", "tukas", "seloroh", "kelakar", "keluh", "tulis", "sindir", "harap", "imbau", "ajak",
    "pesan", "sergah", "tuding",
];

/// Indonesian reporting verbs (me-/ber- forms) used for reported speech and
/// before a quote (`X mengatakan, “…”`).
const ID_VERBS: &[&str] = &[
    "mengatakan",
    "menyatakan",
    "menjelaskan",
    "mengungkapkan",
    "menegaskan",
    "menambahkan",
    "menuturkan",
    "menyebutkan",
    "menyebut",
    "memaparkan",
    "melanjutkan",
    "mengakui",
    "menerangkan",
    "berkata",
    "bertanya",
    "mengklaim",
    "menyampaikan",
    "mengucapkan",
    "membeberkan",
    "menandaskan",
    "berujar",
    "bertutur",
    "menilai",
    "mengingatkan",
    "memperingatkan",
    "menekankan",
    "mengungkap",
    "menuding",
    "membantah",
    "menyatakan",
];

/// English speech verbs.
const EN_CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "added",
    "adds",
    "told",
    "tells",
    "explained",
    "asked",
    "noted",
    "stressed",
    "warned",
    "insisted",
    "wrote",
    "declared",
    "argued",
    "claimed",
    "continued",
    "replied",
    "recalled",
    "announced",
    "acknowledged",
    "admitted",
    "confirmed",
    "urged",
    "emphasised",
    "emphasized",
    "cautioned",
    "predicted",
    "suggested",
    "observed",
    "quipped",
    "joked",
    "conceded",
    "countered",
    "responded",
    "explains",
    "notes",
    "writes",
    "recalls",
];

/// Words that open a paragraph before its subject (`Sementara itu, …`).
const CONNECTIVES: &[&str] = &[
    "sementara",
    "itu",
    "di",
    "sisi",
    "lain",
    "namun",
    "adapun",
    "kemudian",
    "selain",
    "meanwhile",
    "however",
    "but",
    "and",
    "dan",
    "tetapi",
];

/// English cues followed by who was spoken to, not by the speaker.
const LISTENER_CUES: &[&str] = &["told", "tells", "asked", "urged"];

/// English two-word cues: `shot back`, `fired back`, `pointed out`.
const EN_PHRASAL: &[(&str, &str)] = &[
    ("shot", "back"),
    ("fired", "back"),
    ("hit", "back"),
    ("pointed", "out"),
];

/// Pronouns that refer back to the last speaker.
const PRONOUNS: &[&str] = &["dia", "ia", "beliau", "he", "she"];

/// Words that may stand between a cue and the speaker's name (titles, articles).
const MAX_WORDS_TO_NAME: usize = 6;

/// Words a title before a speaker's name may run to (`Kepala Pusat Vulkanologi
/// dan Mitigasi Bencana Geologi Heru Setiabudi`).
const MAX_TITLED_WORDS: usize = 16;

/// Lowercase words after a cue that end the search for a name (`said on Monday`).
const STOP_BEFORE_NAME: &[&str] = &[
    "di", "ke", "dari", "pada", "kepada", "dalam", "saat", "ketika", "usai", "seusai", "sambil",
    "dengan", "untuk", "yang", "dan", "seorang", "salah", "on", "in", "at", "to", "for", "after",
    "before", "while", "during", "with", "from", "of", "that", "as", "and", "a", "an", "the",
    "one",
];

/// Small words that may stand lowercase inside a name or title.
const NAME_JOINERS: &[&str] = &[
    "dan", "and", "of", "the", "for", "de", "la", "van", "von", "der", "bin", "binti", "al", "el",
    "br", "boru",
];

/// Words that head an organisation's name: a title running through one names
/// the organisation before the person.
const ORG_HEADS: &[&str] = &[
    "dinas",
    "badan",
    "balai",
    "pusat",
    "kementerian",
    "komisi",
    "dewan",
    "lembaga",
    "direktorat",
    "kantor",
    "bank",
    "universitas",
    "institut",
    "yayasan",
    "partai",
    "fraksi",
    "polres",
    "polda",
    "polsek",
    "pengadilan",
    "kejaksaan",
    "otorita",
    "perusahaan",
    "pemerintah",
    "asosiasi",
    "himpunan",
    "ikatan",
    "serikat",
    "forum",
    "majelis",
    "sekolah",
    "rumah",
    "ministry",
    "agency",
    "department",
    "university",
    "council",
    "institute",
    "association",
    "commission",
    "authority",
    "company",
    "corporation",
    "group",
    "police",
    "service",
    "bureau",
    "office",
    "committee",
    "foundation",
    "party",
    "federation",
    "union",
    "club",
    "united",
    "fc",
    "court",
    "school",
    "hospital",
];

/// Roles written capitalised before a name that the gazetteer's titles leave
/// out (`Detective Inspector Marcus Whitfield`, `Komedian …`).
const ROLE_WORDS: &[&str] = &[
    "mbah",
    "cak",
    "ki",
    "nyi",
    "pak",
    "bu",
    "mas",
    "mbak",
    "bang",
    "kang",
    "ustaz",
    "ustadz",
    "detective",
    "inspector",
    "chief",
    "superintendent",
    "sergeant",
    "constable",
    "coach",
    "manager",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "komedian",
    "penyanyi",
    "aktor",
    "aktris",
    "pebalap",
    "pecatur",
    "dalang",
    "produser",
    "sutradara",
    "pelatih",
    "kapten",
    "manajer",
    "juru",
    "bicara",
    "koordinator",
];

/// Capitalised common nouns that are not part of a person's name.
const GENERIC_WORDS: &[&str] = &[
    "desa",
    "kota",
    "kabupaten",
    "provinsi",
    "kecamatan",
    "kelurahan",
    "dusun",
    "kampung",
    "warga",
    "polisi",
    "tim",
    "para",
    "pihak",
    "city",
    "county",
    "province",
    "state",
    "district",
    "village",
    "government",
    "people",
    "police",
    "team",
];

/// Finds the quotes of an article's `text`, attributing them to the entities
/// named at `names` (sorted by position).
///
/// A speaker the recogniser missed but the cue names with a title
/// (`kata Wali Kota Palangka Raya Hendrikus Ugang`, `said mission manager
/// Ingrid Solberg`) becomes a new person, added to `entities` with their mentions.
pub fn find_quotes(text: &str, names: &[NameAt], entities: &mut Vec<Entity>) -> Vec<Quote> {
    let mut finder = Finder {
        text,
        names: names.to_vec(),
        descriptions: vec![None; entities.len()],
        entities: std::mem::take(entities),
        last_speaker: None,
        out: Vec::new(),
        open_quote: None,
        paragraph_start: 0,
    };
    let mut start = 0;
    while start < text.len() {
        let end = text[start..].find("\n\n").map_or(text.len(), |i| start + i);
        finder.paragraph(start, end);
        start = end + 2;
    }
    let mut quotes = std::mem::take(&mut finder.out);
    *entities = finder.finish_entities();
    // Descriptions found for a speaker anywhere describe them in every quote.
    for q in &mut quotes {
        if q.quote.speaker_description.is_none()
            && let Some(e) = q.speaker
        {
            q.quote.speaker_description = finder.descriptions[e].clone();
        }
    }
    let mut offsets = CharOffsets::new(text);
    quotes.sort_by_key(|q| q.start);
    quotes
        .into_iter()
        .map(|mut q| {
            q.quote.start = offsets.of(q.start);
            q.quote.end = offsets.of(q.end);
            q.quote
        })
        .collect()
}

/// A quote found, with byte offsets until the end.
#[derive(Debug)]
struct Found {
    quote: Quote,
    speaker: Option<usize>,
    start: usize,
    end: usize,
}

#[derive(Debug)]
struct Finder<'a> {
    text: &'a str,
    /// Mentions of the entities, by position (with those of guessed speakers).
    names: Vec<NameAt>,
    /// The article's entities, then the speakers guessed here.
    entities: Vec<Entity>,
    last_speaker: Option<usize>,
    descriptions: Vec<Option<String>>,
    out: Vec<Found>,
    /// A direct quote left open at the end of the last paragraph.
    open_quote: Option<usize>,
    /// Where the paragraph being read starts.
    paragraph_start: usize,
}

/// One word of an attribution clause.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// Who a cue points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Speaker {
    /// A name: the entity, and where the name ends.
    Named(usize, usize),
    /// A pronoun or `-nya`: the last speaker.
    Pronoun,
    /// A cue, but no one we can name (`a spokesman said`).
    Unknown,
}

impl<'a> Finder<'a> {
    fn paragraph(&mut self, start: usize, end: usize) {
        let text = self.text;
        let para = &text[start..end];
        let spans = quote_spans(para);
        self.paragraph_start = start;
        let continuing = self.open_quote.take();
        let mut covered_until = start;
        let mut covered: Vec<(usize, usize)> = Vec::new();
        // Sentences are read for reported speech in order with the quotes, so a
        // pronoun after `X menyebut Y …` finds X as the last speaker, not Y.
        let mut next_sentence = start;
        for (i, &(open, content_start, content_end, close_end)) in spans.iter().enumerate() {
            let unclosed = content_end == close_end;
            let (open, content_start, content_end, close_end) = (
                start + open,
                start + content_start,
                start + content_end,
                start + close_end,
            );
            let content = text[content_start..content_end].trim();
            if content.is_empty() {
                continue;
            }
            // What stands after the quote up to the end of its sentence, and before
            // it back to the previous sentence or quote.
            let next_open = spans.get(i + 1).map_or(end, |s| start + s.0);
            let after_end = sentence_end(text, close_end, next_open);
            let before_start = sentence_start(text, covered_until.max(start), open);
            next_sentence = self.reported_until(next_sentence, before_start, end, &covered);
            covered.push((before_start, after_end.max(close_end)));
            let words_in_quote = content.split_whitespace().count();
            let after = self.attribution(close_end, after_end, true);
            let before = if after.is_none() {
                self.attribution(before_start, open, false)
            } else {
                None
            };
            let attribution = after.or(before);
            let continues_previous = i == 0 && open == start && continuing.is_some();
            if attribution.is_none() && words_in_quote < 4 && !continues_previous {
                continue; // a term in quote marks, not a quote
            }
            if words_in_quote < 2 && !continues_previous {
                continue;
            }
            let attributed = attribution.is_some();
            let (cue, speaker, description) = match attribution {
                Some(a) => a,
                None => (None, Speaker::Unknown, None),
            };
            let mut speaker = self.resolve(speaker, open);
            if !attributed {
                speaker = self.same_voice(open);
            }
            if !attributed && speaker.is_none() && !continues_previous {
                // No cue at all: a quote with no findable speaker is still a quote
                // when it reads like speech (a sentence of its own).
                if !content.ends_with(['.', '!', '?', ',']) && !unclosed {
                    continue;
                }
            }
            self.push(content_start, content_end, true, cue, speaker, description);
            covered_until = after_end.max(close_end);
            if continues_previous && let Some(prev) = continuing {
                self.merge_into(prev);
            }
            if unclosed {
                self.open_quote = Some(self.out.len() - 1);
            }
        }
        // Reported speech in the sentences no direct quote took.
        self.reported_until(next_sentence, end, end, &covered);
    }

    /// Reads the sentences from `s` that end by `until` for reported speech,
    /// skipping those a direct quote took; returns where the next sentence starts.
    fn reported_until(
        &mut self,
        mut s: usize,
        until: usize,
        end: usize,
        covered: &[(usize, usize)],
    ) -> usize {
        let text = self.text;
        while s < until {
            let e = sentence_end(text, s, end);
            if e > until {
                break;
            }
            if !covered.iter().any(|&(a, b)| a < e && s < b) {
                self.reported_sentence(s, e);
            }
            s = e;
            while s < end && text.as_bytes()[s].is_ascii_whitespace() {
                s += 1;
            }
        }
        s
    }

    /// A quote that goes on in the next paragraph (opened again there, as the press
    /// writes it) is one quote: the last one found joins the one at `prev`.
    fn merge_into(&mut self, prev: usize) {
        let Some(last) = self.out.pop() else { return };
        let text = self.text;
        let p = &mut self.out[prev];
        p.end = last.end;
        p.quote.text = text[p.start..p.end].to_string();
        if p.speaker.is_none() {
            p.speaker = last.speaker;
            p.quote.speaker = last.quote.speaker;
            p.quote.speaker_entity = last.quote.speaker_entity;
            p.quote.speaker_description = last.quote.speaker_description;
            p.quote.cue = last.quote.cue;
        }
    }

    /// Records a quote.
    fn push(
        &mut self,
        start: usize,
        end: usize,
        direct: bool,
        cue: Option<String>,
        speaker: Option<usize>,
        description: Option<String>,
    ) {
        let raw = &self.text[start..end];
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        let (start, end) = (start + lead, start + lead + trimmed.len());
        if let (Some(e), Some(d)) = (speaker, &description)
            && self.descriptions[e].is_none()
        {
            self.descriptions[e] = Some(d.clone());
        }
        if speaker.is_some() {
            self.last_speaker = speaker;
        }
        self.out.push(Found {
            quote: Quote {
                text: trimmed.to_string(),
                speaker: speaker.map(|e| self.entities[e].name.clone()),
                speaker_entity: speaker.map(|e| self.entities[e].id.clone()),
                speaker_description: description,
                direct,
                cue,
                start: 0,
                end: 0,
            },
            speaker,
            start,
            end,
        });
    }

    /// The speaker of a quote with no cue of its own: whoever spoke the quote just
    /// before, when it ended close by and nobody else was named since (the press
    /// runs one speaker's quotes on without repeating the cue).
    fn same_voice(&self, open: usize) -> Option<usize> {
        let last = self.out.last()?;
        let speaker = last.speaker?;
        if open < last.end || open - last.end > 400 {
            return None;
        }
        let someone_else = self.names.iter().any(|n| {
            n.start >= last.end
                && n.end <= open
                && n.entity != speaker
                && self.entities[n.entity].kind == EntityKind::Person
        });
        (!someone_else).then_some(speaker)
    }

    /// True when the paragraph before `at` opens with an unnamed person as its
    /// subject (`Seorang pedagang …`, `Warga …`, `A resident …`) and names no one.
    fn unnamed_subject(&self, at: usize) -> bool {
        let before = &self.text[self.paragraph_start..at];
        // The subject after a connective (`Sementara itu, seorang korban …`).
        let first = before
            .split_whitespace()
            .take(4)
            .map(|w| bare(w).to_lowercase())
            .find(|w| !CONNECTIVES.contains(&w.as_str()))
            .unwrap_or_default();
        let unnamed = matches!(
            first.as_str(),
            "seorang"
                | "salah"
                | "sejumlah"
                | "beberapa"
                | "warga"
                | "para"
                | "a"
                | "an"
                | "one"
                | "another"
                | "some"
                | "residents"
                | "many"
        );
        unnamed
            && !self.names.iter().any(|n| {
                n.start >= self.paragraph_start
                    && n.end <= at
                    && self.entities[n.entity].kind == EntityKind::Person
            })
    }

    /// A name the recogniser missed in apposition to the paragraph's subject
    /// (`Warga Dusun Timbulsloko, Mbah Karsiyem, masih ingat …`, `Analis …,
    /// Nadia Kartika, menilai …`): added as a person, so that a pronoun after
    /// it finds them.
    fn appositive_subject(&mut self, at: usize) {
        let start = self.paragraph_start;
        if at <= start {
            return;
        }
        let first_end = sentence_end(self.text, start, at);
        let words = words(self.text, start, first_end);
        let Some(open) = words.iter().take(12).position(|w| w.text.ends_with(',')) else {
            return;
        };
        let Some(close) = words[open + 1..]
            .iter()
            .take(5)
            .position(|w| w.text.ends_with(','))
            .map(|c| open + 1 + c)
        else {
            return;
        };
        let run = &words[open + 1..=close];
        let verb_follows = words
            .get(close + 1)
            .is_some_and(|w| w.text.starts_with(char::is_lowercase));
        let known = self.names.iter().any(|n| {
            n.start < run[run.len() - 1].end
                && run[0].start < n.end
                && self.entities[n.entity].kind != EntityKind::Place
        });
        let capitalised = run.iter().all(|w| w.text.starts_with(char::is_uppercase));
        if verb_follows && !known && capitalised {
            let run = run.to_vec();
            self.guess_person(&run, false);
        }
    }

    /// Turns a cue's speaker into an entity: names as they are, pronouns to the
    /// last speaker, else the last person named before `at`.
    fn resolve(&mut self, speaker: Speaker, at: usize) -> Option<usize> {
        if speaker == Speaker::Pronoun {
            self.appositive_subject(at);
        }
        match speaker {
            Speaker::Named(e, _) => Some(e),
            // Someone unnamed is the subject of this paragraph (`Seorang warga …
            // “…,” katanya`): nobody we can name.
            Speaker::Pronoun if self.unnamed_subject(at) => None,
            // The person last named outside quotes (the subject the reader has in
            // mind), else the last speaker.
            Speaker::Pronoun => self
                .names
                .iter()
                .rev()
                .filter(|n| n.end <= at && self.entities[n.entity].kind == EntityKind::Person)
                .find(|n| {
                    !self
                        .out
                        .iter()
                        .any(|q| q.start <= n.start && n.start < q.end)
                })
                .map(|n| n.entity)
                .or(self.last_speaker),
            Speaker::Unknown => None,
        }
    }

    /// Reads an attribution clause in `[from, to)`: the cue and who it names.
    /// `after` is true for the words after a quote (`kata X`, `X said`), false for
    /// those before it (`X mengatakan, …`, `Menurut X, …`).
    fn attribution(
        &mut self,
        from: usize,
        to: usize,
        after: bool,
    ) -> Option<(Option<String>, Speaker, Option<String>)> {
        if from >= to {
            return None;
        }
        let words = words_upto(self.text, from, to, 41);
        if words.is_empty() || words.len() > 40 {
            return None;
        }
        // After a quote the cue comes first (`kata X`) or right after the speaker
        // (`X said`, `dia menambahkan`); before one it comes anywhere in the clause.
        // After a quote the cue comes within a few words, more when they are a
        // title and a name (`Nairobi County disaster coordinator Wanjiru Kamau told`).
        let limit = if after {
            6 + words
                .iter()
                .take(12)
                .take_while(|w| {
                    cue_kind(&w.text.to_lowercase()).is_none() && !w.text.ends_with(',')
                })
                .count()
                .saturating_sub(5)
                .min(6)
        } else {
            words.len()
        };
        for (i, w) in words.iter().enumerate().take(limit) {
            let lower = w.text.to_lowercase();
            // `shot back`, `pointed out`: the cue is two words.
            let phrasal = words.get(i + 1).is_some_and(|n| {
                EN_PHRASAL
                    .iter()
                    .any(|&(a, b)| a == lower && bare(n.text).eq_ignore_ascii_case(b))
            });
            let kind = match cue_kind(&lower) {
                Some(k) => k,
                None if phrasal => CueKind::Cue,
                // Right after a quote that ends in a comma the next word is the
                // cue, listed or not (`“…,” kelakarnya`, `“…,” seloroh Budi`).
                None if after
                    && i == 0
                    && w.text.starts_with(char::is_lowercase)
                    && self.speech_slot(from) =>
                {
                    match unlisted_cue(&lower, words.get(1).and_then(|n| self.name_at(n.start))) {
                        Some(k) => k,
                        None => continue,
                    }
                }
                None => continue,
            };
            let (i, w) = if phrasal {
                (i + 1, &words[i + 1])
            } else {
                (i, w)
            };
            let cue_word = if phrasal {
                format!("{} {}", words[i - 1].text, bare(w.text))
            } else {
                bare(w.text).to_string()
            };
            if kind == CueKind::Menurut {
                // `menurut X` / `according to X`
                let (speaker, end) =
                    self.speaker_after(&words, i + 1 + usize::from(lower == "according"));
                let cue = if lower == "according" {
                    "according to"
                } else {
                    "menurut"
                };
                return Some((Some(cue.to_string()), speaker, self.description(end, to)));
            }
            if kind == CueKind::Enclitic {
                return Some((Some(cue_word), Speaker::Pronoun, None));
            }
            // A speaker after the cue: `kata Tertitskiy`, `said John Smith`, `jelas dia`.
            // (After `told` and `asked` stands who was spoken to.)
            let (speaker, end) = if LISTENER_CUES.contains(&bare(&lower)) {
                (Speaker::Unknown, 0)
            } else {
                self.speaker_after(&words, i + 1)
            };
            if speaker != Speaker::Unknown {
                let cue = match speaker {
                    Speaker::Pronoun => format!("{cue_word} {}", bare(words[i + 1].text)),
                    _ => cue_word,
                };
                return Some((Some(cue), speaker, self.description(end, to)));
            }
            // A speaker before the cue: `Tertitskiy mengatakan`, `he added`.
            let cue_start = if phrasal { i - 1 } else { i };
            if cue_start > 0 {
                let speaker = self.speaker_before(&words[..cue_start]);
                if speaker != Speaker::Unknown {
                    let cue = match speaker {
                        Speaker::Pronoun => {
                            format!("{} {cue_word}", bare(words[cue_start - 1].text))
                        }
                        _ => cue_word,
                    };
                    return Some((Some(cue), speaker, None));
                }
            }
            // A cue with no one we can name (`seorang pejabat mengatakan`).
            return Some((Some(cue_word), Speaker::Unknown, None));
        }
        None
    }

    /// The article's entities with the speakers guessed here.
    fn finish_entities(&mut self) -> Vec<Entity> {
        std::mem::take(&mut self.entities)
    }

    /// True when the quote that closes just before `close_end` ends in a comma,
    /// `!` or `?` inside its marks: the press then goes on with the cue
    /// (`“Kami siap,” kata Budi`).
    fn speech_slot(&self, close_end: usize) -> bool {
        let mut before = self.text[..close_end].chars().rev();
        before.next().is_some_and(|c| matches!(c, '”' | '"' | '’'))
            && before.next().is_some_and(|c| matches!(c, ',' | '!' | '?'))
    }

    /// The speaker named at `words[i..]`: a name starting within a few words
    /// (titles may come first), or a pronoun right there.
    fn speaker_after(&mut self, words: &[Word<'_>], i: usize) -> (Speaker, usize) {
        let Some(first) = words.get(i) else {
            return (Speaker::Unknown, 0);
        };
        if PRONOUNS.contains(&bare(first.text).to_lowercase().as_str()) {
            return (Speaker::Pronoun, first.end);
        }
        if let Some((e, end)) = self.titled_name_after(words, i) {
            return (Speaker::Named(e, end), end);
        }
        // A title with no name: the person introduced with it (`ujar Presiden`,
        // `kata Menpora` after `Menteri Pemuda dan Olahraga Hasanuddin Rais`).
        if first.text.starts_with(char::is_uppercase) {
            let lower: Vec<String> = words[i..]
                .iter()
                .take(4)
                .map(|w| bare(w.text).to_lowercase())
                .collect();
            let refs: Vec<&str> = lower.iter().map(String::as_str).collect();
            let t = Gazetteer::shared().title_len(&refs);
            if t > 0 {
                let role = &words[i + t - 1];
                return match self.role_referent(refs[t - 1], first.start) {
                    Some(e) => (Speaker::Named(e, role.end), role.end),
                    None => (Speaker::Unknown, 0),
                };
            }
        }
        // A role pointing back at someone just named: `tegas perwira menengah itu`,
        // `jelas sang menteri`, `kata pelatih asal Portugal tersebut`.
        let phrase: Vec<&Word<'_>> = words
            .iter()
            .skip(i)
            .take(MAX_WORDS_TO_NAME)
            .take_while(|w| !w.text.starts_with(|c: char| c.is_ascii_digit()))
            .collect();
        if let Some(end) = phrase
            .iter()
            .position(|w| matches!(bare(w.text).to_lowercase().as_str(), "itu" | "tersebut"))
            && end > 0
            && !phrase[..end].iter().any(|w| w.text.ends_with(','))
        {
            return (Speaker::Pronoun, phrase[end].end);
        }
        if first.text.eq_ignore_ascii_case("sang") && words.len() > i + 1 {
            return (Speaker::Pronoun, words[i + 1].end);
        }
        (Speaker::Unknown, 0)
    }

    /// The person (else the organisation) a cue names after it: within a few
    /// words, or at the end of the title in front of the name, however long
    /// (`kata Kepala Pusat Vulkanologi dan Mitigasi Bencana Geologi Heru
    /// Setiabudi`, `kata Kepala Balai Besar …, Suwarno Adi Prayitno`, `kata VP
    /// Corporate Secretary KAI Commuter Dewi Anggraini Saragi`). When the
    /// recogniser missed the name, the capitalised words after the title are
    /// taken as a new person.
    fn titled_name_after(&mut self, words: &[Word<'_>], i: usize) -> Option<(usize, usize)> {
        let mut org = None;
        let mut run: Vec<Word<'_>> = Vec::new();
        let mut commas = 0;
        let mut j = i;
        while j < words.len() && j < i + MAX_TITLED_WORDS {
            let w = words[j];
            if let Some(n) = self.name_at(w.start).copied() {
                let e = self.unglued(n.entity);
                if self.entities[e].kind == EntityKind::Person {
                    return Some((e, n.end));
                }
                // Within a few words an organisation speaks for itself; further
                // on it is part of a title before a person's name.
                if j < i + MAX_WORDS_TO_NAME && org.is_none() {
                    org = Some((n.entity, n.end));
                }
                while j < words.len() && words[j].start < n.end {
                    run.push(words[j]);
                    j += 1;
                }
                if words[j - 1].text.ends_with([',', '.', ';', ':'])
                    && !self.apposition(words, j, &mut commas)
                {
                    break;
                }
                continue;
            }
            let lower = bare(w.text).to_lowercase();
            let capital = w.text.starts_with(char::is_uppercase);
            if !capital {
                if run.is_empty() && j < i + 3 && !STOP_BEFORE_NAME.contains(&lower.as_str()) {
                    // `said mission manager Ingrid Solberg`
                    j += 1;
                    continue;
                }
                if !NAME_JOINERS.contains(&lower.as_str()) || run.is_empty() {
                    break;
                }
            }
            run.push(w);
            j += 1;
            if w.text.ends_with([',', '.', ';', ':']) && !self.apposition(words, j, &mut commas) {
                break;
            }
        }
        if let Some(found) = self.guess_person(&run, false) {
            return Some(found);
        }
        org
    }

    /// True when the comma before `words[j]` opens the speaker's name after a
    /// title (`Kepala Balai …, Suwarno Adi Prayitno,`); one such comma at most.
    fn apposition(&self, words: &[Word<'_>], j: usize, commas: &mut usize) -> bool {
        let ok = *commas == 0
            && words[j - 1].text.ends_with(',')
            && words
                .get(j)
                .is_some_and(|w| w.text.starts_with(char::is_uppercase));
        *commas += 1;
        ok
    }

    /// A person the recogniser missed, named by capitalised words next to a
    /// cue: what is left of `run` once titles, acronyms, known places and
    /// organisations are cut from its front (`Wali Kota Palangka Raya
    /// Hendrikus Ugang`, `Finance Minister Adaeze Mensah-Boateng`). After an
    /// organisation the recogniser could not delimit (`Dinas Pendidikan
    /// Yahukimo Yulius Heluka`) only the last two words are taken. A lone
    /// word counts only after a title. The new person is added with every
    /// mention of the name and of its first and last words in the text.
    /// `sentence_start` says the run opens its sentence, where any word has
    /// a capital: then something must be cut first.
    fn guess_person(&mut self, run: &[Word<'_>], sentence_start: bool) -> Option<(usize, usize)> {
        // An apposition comma: the name is after it.
        let run = match run.iter().rposition(|w| w.text.ends_with(',')) {
            Some(c) if c + 1 < run.len() => &run[c + 1..],
            _ => run,
        };
        let last = run.last()?;
        let words: Vec<&str> = run.iter().map(|w| bare(w.text)).collect();
        let e = self.person_from(&words, !sentence_start, false)?;
        Some((e, last.end))
    }

    /// The person named by `words` once titles and the like are cut from their
    /// front (see [`Finder::guess_person`]). `free` allows a name of two to four
    /// words with nothing cut; `strict` asks for a title or a known name to
    /// have been cut (an organisation's head word is not enough).
    fn person_from(&mut self, words: &[&str], free: bool, strict: bool) -> Option<usize> {
        let g = Gazetteer::shared();
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let lower_refs: Vec<&str> = lower.iter().map(String::as_str).collect();
        let mut k = 0;
        let mut cut = false;
        let mut org = false;
        'strip: while k < words.len() {
            let t = g.title_len(&lower_refs[k..]);
            if t > 0 {
                k += t;
                cut = true;
                continue;
            }
            if ROLE_WORDS.contains(&lower_refs[k]) {
                k += 1;
                cut = true;
                continue;
            }
            // Another entity of the article named in front (`Bali United`,
            // `KAI Commuter`), when words are left after it.
            for other in &self.entities {
                if other.kind == EntityKind::Person {
                    continue;
                }
                let n = other.name.split_whitespace().count();
                if n > 0
                    && k + n < words.len()
                    && other
                        .name
                        .split_whitespace()
                        .zip(&lower_refs[k..])
                        .all(|(a, b)| bare(a).to_lowercase() == *b)
                {
                    k += n;
                    cut = true;
                    continue 'strip;
                }
            }
            for n in (1..=3.min(words.len() - k - 1)).rev() {
                if let Some(e) = g.lookup(&words[k..k + n].join(" "))
                    && g.entity(e).kind != EntityKind::Person
                {
                    k += n;
                    cut = true;
                    continue 'strip;
                }
            }
            let word = words[k];
            let acronym = word.chars().count() >= 2
                && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
            if acronym || word.contains('.') {
                k += 1;
                cut = true;
                continue;
            }
            if ORG_HEADS.contains(&lower_refs[k]) {
                org = true;
                k += 1;
                continue;
            }
            break;
        }
        let mut rest = &words[k..];
        if org {
            if rest.len() < 2 {
                return None;
            }
            rest = &rest[rest.len() - 2..];
        }
        let name_like = |w: &&str| {
            let l = w.to_lowercase();
            w.starts_with(char::is_uppercase)
                && w.chars().count() >= 2
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
                && !g.is_not_entity(&l)
                && !ORG_HEADS.contains(&l.as_str())
                && !GENERIC_WORDS.contains(&l.as_str())
        };
        let enough = match rest.len() {
            1 => cut,
            2..=4 => cut || (free && !strict),
            _ => false,
        };
        if !enough || (strict && !cut) || !rest.iter().all(name_like) {
            return None;
        }
        Some(self.add_person(&rest.join(" ")))
    }

    /// A name the recogniser glued to what stands before it (`BNNP Riau Brigjen
    /// Pol Firmansyah Lubis`, `Bali United Stefano Vallini`, `Dayeuhkolot Asep
    /// Mulyana` after `Kecamatan Dayeuhkolot`): the person it ends with.
    fn unglued(&mut self, e: usize) -> usize {
        let name = self.entities[e].name.clone();
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() < 3 || self.entities[e].kind == EntityKind::Place {
            return e;
        }
        self.person_from(&words, false, true).unwrap_or(e)
    }

    /// The entity for a guessed person's `name`: one already known by that
    /// name, else a new one with the name's mentions in the text.
    fn add_person(&mut self, name: &str) -> usize {
        if let Some(e) = self
            .entities
            .iter()
            .position(|e| e.kind == EntityKind::Person && e.name == name)
        {
            return e;
        }
        let e = self.entities.len();
        let parts: Vec<&str> = name.split(' ').collect();
        let mut forms = vec![name];
        if parts.len() > 1 {
            forms.push(parts[parts.len() - 1]);
            forms.push(parts[0]);
        }
        let text = self.text;
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for form in forms {
            if form.chars().count() < 3 {
                continue;
            }
            for (at, _) in text.match_indices(form) {
                let end = at + form.len();
                let bounded = !text[..at].ends_with(char::is_alphanumeric)
                    && !text[end..].starts_with(char::is_alphanumeric);
                // A place the recogniser made of the name (`Mbah Karsiyem`)
                // gives way to the person.
                let free = !spans.iter().any(|&(a, b)| a < end && at < b)
                    && !self.names.iter().any(|n| {
                        n.start < end
                            && at < n.end
                            && self.entities[n.entity].kind != EntityKind::Place
                    });
                if bounded && free {
                    spans.push((at, end));
                }
            }
        }
        spans.sort_unstable();
        let mut offsets = CharOffsets::new(text);
        let mentions = spans
            .iter()
            .map(|&(a, b)| Mention {
                text: text[a..b].to_string(),
                field: "text".to_string(),
                start: offsets.of(a),
                end: offsets.of(b),
            })
            .collect();
        let mut id = format!("person:{}", slug(name));
        if self.entities.iter().any(|x| x.id == id) {
            id = format!("{id}-{e}");
        }
        self.entities.push(Entity {
            id,
            name: name.to_string(),
            kind: EntityKind::Person,
            country: None,
            role: None,
            mentions,
        });
        self.descriptions.push(None);
        let entities = &self.entities;
        self.names.retain(|n| {
            entities[n.entity].kind != EntityKind::Place
                || !spans.iter().any(|&(a, b)| n.start < b && a < n.end)
        });
        for (start, end) in spans {
            let at = self.names.partition_point(|n| n.start < start);
            self.names.insert(
                at,
                NameAt {
                    start,
                    end,
                    entity: e,
                },
            );
        }
        e
    }

    /// The person last introduced with the title `role` before `at`: the title
    /// stands among the words right before one of their mentions, or `role`
    /// abbreviates the capitalised words there (`Menpora`, `Menteri Pemuda dan
    /// Olahraga`).
    fn role_referent(&self, role: &str, at: usize) -> Option<usize> {
        self.names
            .iter()
            .rev()
            .filter(|n| n.end <= at && self.entities[n.entity].kind == EntityKind::Person)
            .find(|n| {
                let from = self.text[..n.start]
                    .char_indices()
                    .rev()
                    .nth(60)
                    .map_or(0, |(b, _)| b);
                let before: Vec<String> = self.text[from..n.start]
                    .split_whitespace()
                    .rev()
                    .take(6)
                    .map(|w| bare(w).to_lowercase())
                    .collect();
                if before.iter().any(|w| w == role) {
                    return true;
                }
                // The capitalised title right before the name (with the name,
                // which may have swallowed the title's end), as one string.
                let title: String = self.text[from..n.end]
                    .split_whitespace()
                    .rev()
                    .take_while(|w| {
                        w.starts_with(char::is_uppercase)
                            || NAME_JOINERS.contains(&w.to_lowercase().as_str())
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .filter(|w| w.starts_with(char::is_uppercase))
                    .map(str::to_lowercase)
                    .collect();
                abbreviates(role, &title)
            })
            .map(|n| n.entity)
    }

    /// The speaker named right before a cue: a name ending at the last word, or a
    /// pronoun; else a titled name the recogniser missed (`Detective Inspector
    /// Marcus Whitfield said`, `Opposition leader Kwame Asante-Darko insisted`).
    fn speaker_before(&mut self, words: &[Word<'_>]) -> Speaker {
        let Some(last) = words.last() else {
            return Speaker::Unknown;
        };
        if PRONOUNS.contains(&bare(last.text).to_lowercase().as_str()) {
            return Speaker::Pronoun;
        }
        if let Some(n) = self
            .names
            .iter()
            .find(|n| n.end == last.end && self.is_speaker_kind(n.entity))
        {
            let (e, end) = (n.entity, n.end);
            return Speaker::Named(self.unglued(e), end);
        }
        if last.text.ends_with(',') {
            // `Svetlana Petrova, the director's mother, told`: the name before
            // the apposition.
            let Some(open) = words[..words.len() - 1]
                .iter()
                .rposition(|w| w.text.ends_with(','))
                .filter(|&c| words.len() - c <= 10)
            else {
                return Speaker::Unknown;
            };
            let at = words[open].end;
            return match self.names.iter().find(|n| n.end == at).copied() {
                Some(n) if self.entities[n.entity].kind == EntityKind::Person => {
                    Speaker::Named(n.entity, n.end)
                }
                _ => Speaker::Unknown,
            };
        }
        if last.text.ends_with(['.', ';', ':']) {
            return Speaker::Unknown;
        }
        // `Seorang pedagang beras di Pasar Induk …`: nobody named.
        let indefinite = matches!(
            words[0].text.to_lowercase().as_str(),
            "seorang" | "salah" | "sejumlah" | "beberapa" | "para" | "a" | "an" | "one"
        );
        // The capitalised words ending at the cue, after the last lowercase word.
        let from = words
            .iter()
            .rposition(|w| {
                !w.text.starts_with(char::is_uppercase)
                    && !NAME_JOINERS.contains(&w.text.to_lowercase().as_str())
                    || w.text.ends_with([',', '.', ';', ':'])
            })
            .map_or(0, |p| p + 1);
        let after_preposition =
            from > 0 && STOP_BEFORE_NAME.contains(&words[from - 1].text.to_lowercase().as_str());
        if from >= words.len()
            || words.len() - from > MAX_TITLED_WORDS
            || indefinite
            || after_preposition
        {
            return Speaker::Unknown;
        }
        match self.guess_person(&words[from..], from == 0) {
            Some((e, end)) => Speaker::Named(e, end),
            None => Speaker::Unknown,
        }
    }

    fn is_speaker_kind(&self, e: usize) -> bool {
        matches!(
            self.entities[e].kind,
            EntityKind::Person | EntityKind::Organization
        )
    }

    /// A person or organisation named starting at byte `at`.
    fn name_at(&self, at: usize) -> Option<&NameAt> {
        let i = self.names.partition_point(|n| n.start < at);
        self.names
            .get(i)
            .filter(|n| n.start == at && self.is_speaker_kind(n.entity))
    }

    /// The apposition after a speaker's name: `, sejarawan Korea Utara …` up to
    /// the end of the sentence.
    fn description(&self, name_end: usize, to: usize) -> Option<String> {
        if name_end == 0 || name_end >= to {
            return None;
        }
        let rest = &self.text[name_end..to];
        let rest = rest.strip_prefix(',')?.trim();
        let rest = rest.trim_end_matches(['.', '!', '?']).trim();
        let words = rest.split_whitespace().count();
        // A description is a noun phrase, not the next clause.
        let first = rest.split_whitespace().next()?.to_lowercase();
        if !(2..=40).contains(&words) || cue_kind(&first).is_some() || first == "yang" {
            return None;
        }
        Some(rest.to_string())
    }

    fn reported_sentence(&mut self, start: usize, end: usize) {
        let words = words(self.text, start, end);
        if words.len() < 6 {
            return;
        }
        // `…, kata X[, description].` — the cue after a comma near the end.
        for i in (1..words.len()).rev() {
            let lower = words[i].text.to_lowercase();
            if !words[i - 1].text.ends_with(',') || words.len() - i > 45 {
                continue;
            }
            if cue_kind(&lower).is_none_or(|k| k == CueKind::Menurut || k == CueKind::Verb) {
                continue;
            }
            let (speaker, name_end) = if cue_kind(&lower) == Some(CueKind::Enclitic) {
                (Speaker::Pronoun, words[i].end)
            } else {
                self.speaker_after(&words, i + 1)
            };
            // `…, kata dia.` ends the sentence; `X, …, said she had lost …` is
            // another clause, with its own subject before the comma.
            let pronoun_clause = speaker == Speaker::Pronoun
                && cue_kind(&lower) != Some(CueKind::Enclitic)
                && words.len() > i + 3;
            if speaker == Speaker::Unknown || i < 4 || pronoun_clause {
                continue;
            }
            let content_end = words[i - 1].end;
            let speaker_e = self.resolve(speaker, words[0].start);
            let description = self.description(name_end, end);
            self.push(
                words[0].start,
                content_end,
                false,
                Some(bare(words[i].text).to_string()),
                speaker_e,
                description,
            );
            return;
        }
        // `Menurut X, …` / `According to X, …`
        let first = words[0].text.to_lowercase();
        if first == "menurut" || (first == "according" && words[1].text.eq_ignore_ascii_case("to"))
        {
            let (speaker, name_end) =
                self.speaker_after(&words, 1 + usize::from(first == "according"));
            if let Speaker::Named(e, _) = speaker
                && let Some(comma) = self.text[name_end..end].find(',')
            {
                let from = name_end + comma + 1;
                if self.text[from..end].split_whitespace().count() >= 4 {
                    self.push(
                        from,
                        end,
                        false,
                        Some(bare(words[0].text).to_string()),
                        Some(e),
                        None,
                    );
                }
            }
            return;
        }
        // `X mengatakan (bahwa) …` / `X said (that) …`, also with an apposition
        // between name and verb (`Kepala Dinas, dr. Rina Siregar, mengatakan …`).
        for i in 1..words.len().min(30) {
            let lower = words[i].text.to_lowercase();
            if cue_kind(&lower) != Some(CueKind::Verb) && !EN_CUES.contains(&lower.as_str()) {
                continue;
            }
            let mut speaker = self.speaker_before(&words[..i]);
            let mut description = None;
            if speaker == Speaker::Unknown && words[i - 1].text.ends_with(',') {
                // The first name in the clause, followed by a comma, is the subject.
                if let Some(n) = self.names.iter().find(|n| {
                    n.start >= words[0].start
                        && n.end < words[i - 1].end
                        && self.is_speaker_kind(n.entity)
                        && self.text[n.end..].starts_with(',')
                }) {
                    speaker = Speaker::Named(n.entity, n.end);
                    let desc = self.text[n.end + 1..words[i - 1].end].trim();
                    if let Some(d) = self.description(n.end, words[i - 1].end) {
                        description = Some(d);
                    } else if !desc.is_empty() && desc.split_whitespace().count() <= 20 {
                        description = Some(desc.to_string());
                    }
                }
            } else if speaker == Speaker::Unknown && i >= 8 {
                continue;
            }
            let Some(e) = self.resolve(speaker, words[0].start) else {
                return;
            };
            if let Speaker::Named(..) | Speaker::Pronoun = speaker {
                let mut from = i + 1;
                if from < words.len()
                    && matches!(words[from].text.to_lowercase().as_str(), "bahwa" | "that")
                {
                    from += 1;
                }
                if words.len() - from >= 4 {
                    let cstart = words[from].start;
                    self.push(
                        cstart,
                        end,
                        false,
                        Some(bare(words[i].text).to_string()),
                        Some(e),
                        description,
                    );
                }
            }
            return;
        }
    }
}

/// A word without the punctuation stuck to its end.
fn bare(w: &str) -> &str {
    w.trim_end_matches([',', '.', ';', ':', '!', '?'])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    /// `kata`, `said`: a speaker follows or precedes.
    Cue,
    /// `imbuhnya`: the speaker is in the word.
    Enclitic,
    /// `mengatakan`: a speaker precedes.
    Verb,
    /// `menurut`, `according`: a speaker follows, the quote after.
    Menurut,
}

/// Words that can follow a quote's closing comma without being its cue.
const NOT_CUES: &[&str] = &[
    "dan",
    "yang",
    "sambil",
    "lalu",
    "kemudian",
    "namun",
    "tetapi",
    "tapi",
    "sedangkan",
    "karena",
    "untuk",
    "bagi",
    "oleh",
    "kepada",
    "ke",
    "di",
    "dari",
    "pada",
    "seperti",
    "bahkan",
    "juga",
    "sebelumnya",
    "selanjutnya",
    "akhirnya",
    "setelahnya",
    "sayangnya",
    "and",
    "but",
    "while",
    "as",
    "then",
    "so",
];

/// An unlisted word right after a quote's closing comma, read as its cue: a
/// verb with the enclitic (`kelakarnya`, `candanya`), or any verb before a
/// person's name (`seloroh Budi`).
fn unlisted_cue(lower: &str, next_is_name: Option<&NameAt>) -> Option<CueKind> {
    let w = bare(lower);
    if !w.chars().all(char::is_alphabetic) || NOT_CUES.contains(&w) {
        return None;
    }
    if w.chars().count() >= 6 && w.ends_with("nya") {
        return Some(CueKind::Enclitic);
    }
    next_is_name.map(|_| CueKind::Cue)
}

/// True when `short` abbreviates `long` the way Indonesian titles are
/// shortened (`menpora` of `menteripemudaolahraga`, `kapolres` of
/// `kepalakepolisianresor`): same first letter, letters in order.
fn abbreviates(short: &str, long: &str) -> bool {
    if short.chars().count() < 5 || long.len() <= short.len() {
        return false;
    }
    let mut rest = long.chars();
    short.chars().next() == long.chars().next() && short.chars().all(|c| rest.any(|x| x == c))
}

/// What kind of cue `lower` is, if any.
fn cue_kind(lower: &str) -> Option<CueKind> {
    let w = lower.trim_end_matches([',', '.', ':', ';']);
    if w == "menurut" || w == "according" {
        return Some(CueKind::Menurut);
    }
    if ID_CUES.contains(&w) || EN_CUES.contains(&w) {
        return Some(CueKind::Cue);
    }
    if let Some(base) = w.strip_suffix("nya")
        && ID_CUES.contains(&base)
    {
        return Some(CueKind::Enclitic);
    }
    if ID_VERBS.contains(&w) {
        return Some(CueKind::Verb);
    }
    None
}

/// The words of `text[from..to]` with their byte offsets; punctuation stays
/// attached to its word (`Tertitskiy,`), quote marks are dropped.
fn words(text: &str, from: usize, to: usize) -> Vec<Word<'_>> {
    words_upto(text, from, to, usize::MAX)
}

/// The first `max` words of `text[from..to]` (see [`words`]): callers that reject long
/// clauses stop reading there.
fn words_upto(text: &str, from: usize, to: usize, max: usize) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let slice = &text[from..to];
    for w in slice.split_whitespace() {
        if out.len() >= max {
            break;
        }
        // `w` is a piece of `slice`: its offset is where it starts in memory, no search.
        let at = w.as_ptr() as usize - slice.as_ptr() as usize;
        let trimmed_start =
            w.trim_start_matches(['“', '”', '"', '‘', '’', '«', '»', '(', '—', '–']);
        let lead = w.len() - trimmed_start.len();
        let t = trimmed_start.trim_end_matches(['“', '”', '"', '‘', '’', '«', '»', ')']);
        if t.is_empty() || !t.chars().any(char::is_alphanumeric) {
            continue;
        }
        let start = from + at + lead;
        out.push(Word {
            text: t,
            start,
            end: start + t.trim_end_matches([',', '.', ';', ':', '!', '?']).len(),
        });
        // Keep trailing punctuation visible in `text` for clause logic.
    }
    out
}

/// Quote spans in a paragraph: `(open, content_start, content_end, close_end)`
/// in bytes. An unclosed quote runs to the paragraph's end (the press convention
/// for quotes that continue in the next paragraph).
fn quote_spans(para: &str) -> Vec<(usize, usize, usize, usize)> {
    let mut out = Vec::new();
    let mut iter = para.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let close: &[char] = match c {
            '“' => &['”', '"'],
            '„' => &['“', '”'],
            '«' => &['»'],
            '"' => &['"', '”'],
            '‘' => &['’'],
            _ => continue,
        };
        // A straight quote or ‘ opens only before a word.
        if matches!(c, '"' | '‘') {
            let prev = para[..i].chars().next_back();
            let next = para[i + c.len_utf8()..].chars().next();
            if prev.is_some_and(char::is_alphanumeric) || !next.is_some_and(|n| n.is_alphanumeric())
            {
                continue;
            }
        }
        let content_start = i + c.len_utf8();
        let mut found = None;
        for (j, d) in para[content_start..].char_indices() {
            let j = content_start + j;
            if close.contains(&d) {
                // ’ inside a word is an apostrophe.
                if d == '’'
                    && para[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphabetic)
                {
                    continue;
                }
                found = Some((j, j + d.len_utf8()));
                break;
            }
        }
        let (content_end, close_end) = found.unwrap_or((para.len(), para.len()));
        out.push((i, content_start, content_end, close_end));
        while iter.peek().is_some_and(|&(k, _)| k < close_end) {
            iter.next();
        }
    }
    out
}

/// The word that ends at byte `end` of `text` (after the last whitespace before it),
/// when it is at most `max` bytes long; looks back no further than that.
fn short_word_before(text: &str, end: usize, max: usize) -> Option<&str> {
    let before = &text[..end];
    let mut start = 0;
    for (k, c) in before.char_indices().rev() {
        if c.is_whitespace() {
            start = k + c.len_utf8();
            break;
        }
        if end - k > max {
            return None;
        }
    }
    Some(&before[start..])
}

/// Where the sentence containing byte `from` ends (after its final punctuation),
/// at most at `limit`.
fn sentence_end(text: &str, from: usize, limit: usize) -> usize {
    if from >= limit {
        return limit;
    }
    let bytes = text.as_bytes();
    for k in memchr::memchr3_iter(b'.', b'!', b'?', &bytes[from..limit]) {
        let i = from + k;
        let next = text[i + 1..limit].chars().next();
        let after = text[i + 1..limit].trim_start().chars().next();
        // Only a short word matters here; looking further back would make long
        // runs without spaces (URLs, rows of dots) cost quadratic time.
        let short_abbrev = short_word_before(text, i, 3)
            .is_some_and(|w| w.len() > 1 && w.chars().next().is_some_and(char::is_uppercase));
        if next.is_none_or(char::is_whitespace)
            && !short_abbrev
            && after.is_none_or(|c| !c.is_lowercase())
        {
            let mut end = i + 1;
            while end < limit && matches!(bytes[end], b'"') {
                end += 1;
            }
            return end;
        }
    }
    limit
}

/// Where the sentence that ends at `to` starts, no earlier than `from`.
fn sentence_start(text: &str, from: usize, to: usize) -> usize {
    let slice = &text[from..to];
    let mut best = from;
    for (i, c) in slice.char_indices() {
        if matches!(c, '.' | '!' | '?' | '”')
            && slice[i + c.len_utf8()..].starts_with(char::is_whitespace)
        {
            best = from + i + c.len_utf8();
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, name: &str) -> Entity {
        Entity {
            id: id.to_string(),
            name: name.to_string(),
            kind: EntityKind::Person,
            country: None,
            role: None,
            mentions: Vec::new(),
        }
    }

    #[test]
    fn the_word_before_a_full_stop_is_read_only_as_far_as_needed() {
        assert_eq!(short_word_before("kata Dr", 7, 3), Some("Dr"));
        assert_eq!(short_word_before("Dr", 2, 3), Some("Dr"));
        assert_eq!(short_word_before("kata Jenderal", 13, 3), None);
        assert_eq!(short_word_before("kata ", 5, 3), Some(""));
        assert_eq!(short_word_before("ujar Ü", 7, 3), Some("Ü"));
    }

    #[test]
    fn a_long_run_without_spaces_inside_a_quote_costs_linear_time() {
        // 400,000 dots: quadratic work here would not finish.
        let text = format!("\"Lihat {} ini,\" kata Budi.", ".".repeat(400_000));
        let got = quotes(&text, &[("Budi", 0)], &[person("person:budi", "Budi")]);
        assert!(got.len() <= 1);
    }

    /// Quotes of `text` where every occurrence of each `(name, entity)` is a mention.
    fn quotes(text: &str, people: &[(&str, usize)], entities: &[Entity]) -> Vec<Quote> {
        let mut names = Vec::new();
        for &(name, e) in people {
            for (at, _) in text.match_indices(name) {
                names.push(NameAt {
                    start: at,
                    end: at + name.len(),
                    entity: e,
                });
            }
        }
        names.sort_by_key(|n| n.start);
        find_quotes(text, &names, &mut entities.to_vec())
    }

    #[test]
    fn direct_quotes_with_cues_after_and_pronouns() {
        let es = [person("person:budi-santoso", "Budi Santoso")];
        let text = "Budi Santoso, ketua panitia, tiba pagi ini.\n\n\
                    “Kami sudah siap sejak kemarin malam,” kata Budi.\n\n\
                    “Semua peserta sudah hadir di lokasi,” imbuhnya.\n\n\
                    “Tidak ada kendala berarti,” jelas dia.";
        let q = quotes(text, &[("Budi Santoso", 0), ("Budi", 0)], &es);
        assert_eq!(q.len(), 3, "{q:#?}");
        assert!(
            q.iter()
                .all(|q| q.speaker.as_deref() == Some("Budi Santoso") && q.direct),
            "{q:#?}"
        );
        assert_eq!(q[1].cue.as_deref(), Some("imbuhnya"));
        assert_eq!(q[2].cue.as_deref(), Some("jelas dia"));
        assert_eq!(q[0].text, "Kami sudah siap sejak kemarin malam,");
    }

    #[test]
    fn reported_speech_with_a_description() {
        let es = [person("person:fyodor-tertitskiy", "Fyodor Tertitskiy")];
        let text = "Kedua pemimpin itu berada dalam keadaan yang berubah sejak 2019, kata \
                    Fyodor Tertitskiy, sejarawan dan peneliti di Universitas Kookmin di Seoul.";
        let q = quotes(text, &[("Fyodor Tertitskiy", 0)], &es);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert!(!q[0].direct);
        assert_eq!(q[0].speaker.as_deref(), Some("Fyodor Tertitskiy"));
        assert!(q[0].text.starts_with("Kedua pemimpin"));
        assert_eq!(
            q[0].speaker_description.as_deref(),
            Some("sejarawan dan peneliti di Universitas Kookmin di Seoul")
        );
    }

    #[test]
    fn english_cues_before_and_after() {
        let es = [person("person:john-smith", "John Smith")];
        let text = "\"We will not back down from this fight,\" said John Smith, a spokesman for \
                    the union.\n\nHe added: \"The strike goes on until Friday.\"\n\n\
                    \"It is a sad day for all of us,\" he said.";
        let q = quotes(text, &[("John Smith", 0)], &es);
        assert_eq!(q.len(), 3, "{q:#?}");
        assert!(q.iter().all(|q| q.speaker.as_deref() == Some("John Smith")));
        assert_eq!(
            q[0].speaker_description.as_deref(),
            Some("a spokesman for the union")
        );
    }

    #[test]
    fn no_speaker_is_reported_as_none_and_scare_quotes_are_not_quotes() {
        let es = [person("person:ani", "Ani")];
        let text = "Kota itu dijuluki “Kota Pahlawan” sejak lama.\n\n\
                    “Harga beras naik terus setiap minggu,” kata seorang pedagang.";
        let q = quotes(text, &[], &es);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert_eq!(q[0].speaker, None);
        assert_eq!(q[0].cue.as_deref(), Some("kata"));
    }

    #[test]
    fn offsets_are_characters() {
        let es = [person("person:ani", "Ani")];
        let text = "— “Ini sangat penting bagi kami semua,” ujar Ani.";
        let q = quotes(text, &[("Ani", 0)], &es);
        let chars: Vec<char> = text.chars().collect();
        let got: String = chars[q[0].start..q[0].end].iter().collect();
        assert_eq!(got, q[0].text);
    }
}
