//! Which language a text is written in.
//!
//! Two detectors, each used for what it is good at: `whatlang` names the script
//! and any of ~70 languages quickly, but cannot tell Malay from Indonesian (it
//! has no Malay); `lingua`, restricted to English, Indonesian and Malay, tells
//! those three apart reliably. Latin-script text that whatlang calls Indonesian
//! or English, or is unsure about, is decided by lingua; everything else keeps
//! whatlang's answer. Text too short to judge is `und`.

use std::collections::HashMap;
use std::sync::OnceLock;

use lingua::{Language as Lingua, LanguageDetector, LanguageDetectorBuilder};
use whatlang::{Lang, Script};

/// Fewer letters than this and no language is named.
const MIN_LETTERS: usize = 12;
/// Long texts are judged on a prefix of about this many bytes: more adds time, not accuracy.
const SAMPLE_BYTES: usize = 3000;
/// lingua, which only separates English, Indonesian and Malay, reads a shorter prefix:
/// its cost grows with the text, and a few sentences decide among three languages.
const LINGUA_SAMPLE_BYTES: usize = 1200;

/// Identifies the language of articles and paragraphs.
pub struct LanguageIdentifier {
    lingua: LanguageDetector,
}

impl std::fmt::Debug for LanguageIdentifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageIdentifier").finish_non_exhaustive()
    }
}

/// The language found for a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identified {
    /// ISO 639-1 code where one exists (`id`, `ms`, `en`), else ISO 639-3 (`jav`), or `und`.
    pub code: &'static str,
    /// False when the text is short or mixed and the answer is a best guess.
    pub reliable: bool,
}

/// The answer for text that gives nothing to go on.
pub const UNDETERMINED: Identified = Identified {
    code: "und",
    reliable: false,
};

impl LanguageIdentifier {
    /// The identifier shared by the whole process (its models load once).
    pub fn shared() -> &'static LanguageIdentifier {
        static SHARED: OnceLock<LanguageIdentifier> = OnceLock::new();
        SHARED.get_or_init(|| LanguageIdentifier {
            lingua: LanguageDetectorBuilder::from_languages(&[
                Lingua::English,
                Lingua::Indonesian,
                Lingua::Malay,
            ])
            .with_preloaded_language_models()
            .build(),
        })
    }

    /// The language of `text`; `und` when it has too few letters to say.
    pub fn identify(&self, text: &str) -> Identified {
        let sample = prefix(text, SAMPLE_BYTES);
        let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
        if letters < MIN_LETTERS {
            return UNDETERMINED;
        }
        // Running Indonesian or English text shows itself by its function words;
        // the statistical detectors are for everything else.
        let words = WordCounts::of(sample);
        if let Some(code) = words.clearly() {
            return Identified {
                code,
                reliable: letters >= 40,
            };
        }
        let Some(info) = whatlang::detect(sample) else {
            return UNDETERMINED;
        };
        let latin = info.script() == Script::Latin;
        let malay_family = matches!(info.lang(), Lang::Ind | Lang::Eng | Lang::Tgl | Lang::Jav);
        if latin && (malay_family || !info.is_reliable()) {
            // Javanese and Tagalog are not in lingua's set: keep whatlang's answer
            // when it is sure of them.
            if matches!(info.lang(), Lang::Jav | Lang::Tgl) && info.is_reliable() {
                return Identified {
                    code: iso639_1(info.lang()),
                    reliable: true,
                };
            }
            // One lingua pass gives both the winner and Malay's confidence.
            let values = self
                .lingua
                .compute_language_confidence_values(prefix(sample, LINGUA_SAMPLE_BYTES));
            let Some(&(lang, best)) = values.first() else {
                return UNDETERMINED;
            };
            let second = values.get(1).map_or(0.0, |v| v.1);
            if best == 0.0 || (best - second).abs() < f64::EPSILON {
                return UNDETERMINED;
            }
            let code = match lang {
                Lingua::English => "en",
                Lingua::Indonesian | Lingua::Malay => {
                    let malay = values
                        .iter()
                        .find(|v| v.0 == Lingua::Malay)
                        .map_or(0.0, |v| v.1);
                    indonesian_or_malay(&words, malay)
                }
            };
            return Identified {
                code,
                reliable: letters >= 40,
            };
        }
        Identified {
            code: iso639_1(info.lang()),
            reliable: info.is_reliable() && letters >= 40,
        }
    }
}

impl LanguageIdentifier {
    /// True when `text` is cheaply seen to be written in `language` (`id` or `en`):
    /// enough of that language's function words, few of the other's, and no word
    /// only Malay spells that way. False means "not shown", not "different": the
    /// caller then runs [`identify`](Self::identify). This lets an article's
    /// paragraphs be checked against its language at a fraction of the cost of
    /// identifying each one from scratch.
    pub fn confirms(&self, text: &str, language: &str) -> bool {
        let w = WordCounts::of(text);
        let (own, other) = match language {
            "id" if w.malay_only == 0 => (w.indonesian, w.english),
            "en" => (w.english, w.indonesian),
            _ => return false,
        };
        // Running text in either language is a fifth or more function words.
        own >= 3 && own * 8 >= w.words && other * 6 <= own
    }
}

/// What a listed word tells about the language of the text it is in: bits of
/// [`INDONESIAN_FUNCTION_WORD`], [`ENGLISH_FUNCTION_WORD`], [`INDONESIAN_SPELLING`]
/// and [`MALAY_SPELLING`] (`karena` is both a function word and Indonesian-only).
type WordClass = u8;
const INDONESIAN_FUNCTION_WORD: WordClass = 1;
const ENGLISH_FUNCTION_WORD: WordClass = 2;
const INDONESIAN_SPELLING: WordClass = 4;
const MALAY_SPELLING: WordClass = 8;

/// Every listed word with its classes.
fn word_classes() -> &'static HashMap<&'static str, WordClass> {
    static CLASSES: OnceLock<HashMap<&'static str, WordClass>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut m: HashMap<&'static str, WordClass> = HashMap::new();
        for (list, class) in [
            (INDONESIAN_FUNCTION, INDONESIAN_FUNCTION_WORD),
            (ENGLISH_FUNCTION, ENGLISH_FUNCTION_WORD),
            (INDONESIAN_ONLY, INDONESIAN_SPELLING),
            (MALAY_ONLY, MALAY_SPELLING),
        ] {
            for w in list {
                *m.entry(*w).or_default() |= class;
            }
        }
        m
    })
}

/// Function words and standard-specific spellings counted in a text.
#[derive(Debug, Default, Clone, Copy)]
struct WordCounts {
    words: usize,
    indonesian: usize,
    english: usize,
    indonesian_only: usize,
    malay_only: usize,
}

impl WordCounts {
    fn of(text: &str) -> WordCounts {
        let mut c = WordCounts::default();
        let classes = word_classes();
        for_each_lower_word(text, |w, capitalised| {
            c.words += 1;
            let Some(&class) = classes.get(w) else {
                return;
            };
            if class & INDONESIAN_FUNCTION_WORD != 0 {
                c.indonesian += 1;
            }
            if class & ENGLISH_FUNCTION_WORD != 0 {
                c.english += 1;
            }
            // Capitalised words are names as often as not (`Wang Yi`).
            if !capitalised && class & INDONESIAN_SPELLING != 0 {
                c.indonesian_only += 1;
            }
            if !capitalised && class & MALAY_SPELLING != 0 {
                c.malay_only += 1;
            }
        });
        c
    }

    /// Indonesian or English when the evidence leaves no doubt: many function words of
    /// one, few of the other, and for Indonesian a word Malay spells differently and
    /// none that only Malay uses.
    fn clearly(&self) -> Option<&'static str> {
        let clear =
            |own: usize, other: usize| own >= 5 && own * 8 >= self.words && other * 6 <= own;
        if clear(self.english, self.indonesian) {
            Some("en")
        } else if clear(self.indonesian, self.english)
            && self.indonesian_only > 0
            && self.malay_only == 0
        {
            Some("id")
        } else {
            None
        }
    }
}

/// Frequent Indonesian function words that are not English words.
const INDONESIAN_FUNCTION: &[&str] = &[
    "yang",
    "dan",
    "di",
    "ini",
    "itu",
    "dengan",
    "untuk",
    "dari",
    "dalam",
    "tidak",
    "akan",
    "pada",
    "ke",
    "juga",
    "ada",
    "oleh",
    "karena",
    "atau",
    "bahwa",
    "mereka",
    "kami",
    "telah",
    "sudah",
    "saat",
    "kata",
    "sebagai",
    "lebih",
    "bisa",
    "para",
    "setelah",
    "tersebut",
    "namun",
    "kepada",
    "hingga",
    "masih",
    "belum",
    "sejak",
    "agar",
    "serta",
    "secara",
    "menjadi",
    "antara",
    "sebuah",
    "seorang",
    "tak",
    "kita",
    "saya",
    "ia",
    "dia",
    "jika",
    "tetapi",
    "lalu",
    "adalah",
    "merupakan",
    "yakni",
    "bagi",
    "tentang",
    "sangat",
];

/// Frequent English function words that are not Indonesian words.
const ENGLISH_FUNCTION: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "that", "for", "with", "on", "was", "as", "by", "are",
    "it", "be", "this", "from", "at", "his", "her", "their", "have", "has", "had", "were", "not",
    "but", "which", "will", "would", "said", "an", "they", "he", "she", "who", "been", "its",
    "about", "after", "also", "than", "there", "we", "you", "or", "when", "what",
];

/// Decides between Indonesian and Malay, which lingua alone confuses on
/// short texts: words spelt or chosen differently by the two standards
/// (`karena`/`kerana`, `uang`/`wang`, `pemerintah`/`kerajaan`) decide when
/// they disagree; otherwise Malay needs lingua's clear confidence (`malay`), as
/// Indonesian is the far more common of the two in the news warta reads.
fn indonesian_or_malay(w: &WordCounts, malay: f64) -> &'static str {
    if w.indonesian_only != w.malay_only {
        return if w.malay_only > w.indonesian_only {
            "ms"
        } else {
            "id"
        };
    }
    if malay >= 0.95 { "ms" } else { "id" }
}

/// Calls `f` with each word of `text` lowercased (words of letters and `-`), and
/// whether it began with a capital. Short ASCII words are lowercased without allocating.
fn for_each_lower_word(text: &str, mut f: impl FnMut(&str, bool)) {
    let mut buf = [0u8; 24];
    let mut owned = String::new();
    for word in text
        .split(|c: char| !c.is_alphabetic() && c != '-')
        .filter(|w| !w.is_empty())
    {
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if word.len() <= buf.len() && word.is_ascii() {
            let b = &mut buf[..word.len()];
            b.copy_from_slice(word.as_bytes());
            b.make_ascii_lowercase();
            // ASCII in, ASCII out.
            f(std::str::from_utf8(b).unwrap_or_default(), capitalised);
        } else {
            owned.clear();
            owned.extend(word.chars().flat_map(char::to_lowercase));
            f(&owned, capitalised);
        }
    }
}

/// Words of standard Indonesian whose Malay counterpart is spelt or chosen differently.
const INDONESIAN_ONLY: &[&str] = &[
    "karena",
    "uang",
    "polisi",
    "kepolisian",
    "saja",
    "proyek",
    "perusahaan",
    "kantor",
    "pemerintah",
    "bisa",
    "kualitas",
    "aktivitas",
    "universitas",
    "fasilitas",
    "televisi",
    "informasi",
    "agustus",
    "juli",
    "juni",
    "maret",
    "desember",
    "senin",
    "kamis",
    "jumat",
    "mobil",
    "sepeda",
    "gratis",
    "dibandingkan",
    "kabupaten",
    "provinsi",
    "nggak",
    "enggak",
    "gimana",
    "kemarin",
    "banget",
    "ujarnya",
    "yaitu",
    "mau",
    "pernyataan",
    "dong",
    "wib",
    "wita",
];

/// Words of standard Malay whose Indonesian counterpart is spelt or chosen differently.
const MALAY_ONLY: &[&str] = &[
    "kerana",
    "wang",
    "polis",
    "sahaja",
    "projek",
    "syarikat",
    "pejabat",
    "kualiti",
    "aktiviti",
    "universiti",
    "televisyen",
    "maklumat",
    "ogos",
    "julai",
    "jun",
    "mac",
    "disember",
    "isnin",
    "khamis",
    "jumaat",
    "ahad",
    "basikal",
    "percuma",
    "berbanding",
    "baharu",
    "iaitu",
    "manakala",
    "kanak-kanak",
    "kakitangan",
    "mahu",
    "encik",
    "antarabangsa",
    "sempena",
    "bajet",
    "kerajaan",
    "hospital",
    "ringgit",
];

/// The longest prefix of `text` of at most `max` bytes that ends on a word boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(char::is_whitespace) {
        Some(space) if space > max / 2 => &text[..space],
        _ => &text[..end],
    }
}

/// ISO 639-1 code of a whatlang language, or its ISO 639-3 code when there is none.
fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Eng => "en",
        Lang::Ind => "id",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
        Lang::Epo => "eo",
        Lang::Tuk => "tk",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> &'static str {
        LanguageIdentifier::shared().identify(text).code
    }

    #[test]
    fn tells_indonesian_malay_and_english_apart() {
        assert_eq!(
            code(
                "Pemimpin Korea Utara Kim Jong Un tiba di Rusia dengan kereta lapis baja pada Selasa pagi, \
                 menurut media pemerintah, menjelang pertemuan dengan Presiden Vladimir Putin."
            ),
            "id"
        );
        assert_eq!(
            code(
                "Kerajaan Malaysia akan memperkenalkan beberapa langkah baharu bagi membantu rakyat \
                 menghadapi kenaikan kos sara hidup, kata Perdana Menteri dalam kenyataan semalam."
            ),
            "ms"
        );
        assert_eq!(
            code(
                "North Korean leader Kim Jong Un arrived in Russia by armoured train on Tuesday morning, \
                 state media said, ahead of a meeting with President Vladimir Putin."
            ),
            "en"
        );
    }

    #[test]
    fn confirms_a_paragraph_only_with_clear_evidence() {
        let ids = LanguageIdentifier::shared();
        let id = "Menurut dia, pertemuan itu akan membahas kerja sama di bidang energi \
                  dan pertahanan yang sudah lama dibicarakan oleh kedua negara.";
        let en = "According to him, the meeting will discuss cooperation on energy and \
                  defence that the two countries have talked about for a long time.";
        let ms = "Kerajaan akan memperkenalkan langkah baharu bagi membantu rakyat \
                  menghadapi kos sara hidup, kata Perdana Menteri dalam kenyataan semalam.";
        let de = "Der Bundeskanzler hat am Mittwoch in Berlin eine Regierungserklärung \
                  zur Lage der Wirtschaft und der Energieversorgung abgegeben.";
        assert!(ids.confirms(id, "id"));
        assert!(!ids.confirms(id, "en"));
        assert!(ids.confirms(en, "en"));
        assert!(!ids.confirms(en, "id"));
        // Malay shares Indonesian's function words; a Malay-only word sends it to
        // the full identifier.
        assert!(!ids.confirms(ms, "id"));
        assert!(!ids.confirms(de, "en"));
        assert!(!ids.confirms(de, "id"));
        // Only Indonesian and English are confirmed cheaply.
        assert!(!ids.confirms(id, "ms"));
        assert!(!ids.confirms("", "id"));
    }

    #[test]
    fn names_other_languages_and_gives_up_on_too_little() {
        assert_eq!(
            code("Der Bundeskanzler hat am Mittwoch in Berlin eine Regierungserklärung abgegeben."),
            "de"
        );
        assert_eq!(
            code("Путин встретился с Ким Чен Ыном на космодроме Восточный."),
            "ru"
        );
        assert_eq!(code(""), "und");
        assert_eq!(code("12/9 — ?"), "und");
    }
}
