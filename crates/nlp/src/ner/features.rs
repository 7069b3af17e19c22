//! Word features for the tagger, computed as 64-bit hashes so that the hot path
//! allocates nothing per token: each token is summarised once ([`TokenInfo`]),
//! then every feature template combines a few of those hashes.
//!
//! The hashes are part of the model format: changing any constant, template or
//! cue list here means retraining (and bumping [`FEATURES_VERSION`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::lexicon::{HashKeyed, LexTag, Lexicon};

/// Version of the feature definitions; stored in model files and checked on load.
pub(crate) const FEATURES_VERSION: u32 = 3;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// A streaming FNV-1a hasher over chars (or any small values), finished with a mixer.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Fnv {
    pub(crate) const fn new(seed: u64) -> Self {
        Self(FNV_OFFSET ^ seed)
    }
    #[inline]
    pub(crate) fn push(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(FNV_PRIME);
    }
    #[inline]
    pub(crate) fn finish(self) -> u64 {
        mix64(self.0)
    }
}

/// SplitMix64's finaliser: a good avalanche for combining hashes.
#[inline]
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Combines a template id with one value hash.
#[inline]
fn attr1(template: u64, a: u64) -> u64 {
    mix64(a ^ template.wrapping_mul(GOLDEN)) | 1
}

/// Combines a template id with two value hashes (order matters).
#[inline]
fn attr2(template: u64, a: u64, b: u64) -> u64 {
    mix64(attr1(template, a).wrapping_add(b.rotate_left(23).wrapping_mul(GOLDEN))) | 1
}

/// Hash of a string lowercased char by char (no allocation).
pub(crate) fn lower_hash(s: &str) -> u64 {
    let mut h = Fnv::new(2);
    for c in s.chars() {
        for l in c.to_lowercase() {
            h.push(u64::from(l));
        }
    }
    h.finish()
}

// Token flags.
const INIT_CAP: u16 = 1;
const ALL_CAPS: u16 = 1 << 1;
const ALL_DIGITS: u16 = 1 << 2;
const HAS_DIGIT: u16 = 1 << 3;
const PUNCT: u16 = 1 << 4;
const HAS_HYPHEN: u16 = 1 << 5;
const HAS_PERIOD: u16 = 1 << 6;
const INNER_CAP: u16 = 1 << 7;
const NON_LATIN: u16 = 1 << 8;
const HAS_APOSTROPHE: u16 = 1 << 9;

/// Word classes that announce or follow a name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub(crate) enum Cue {
    /// A title or role before a person's name (Presiden, Menteri, Pak, Dr …).
    PersonTitle = 1,
    /// A word before a place name (Kota, Kabupaten, Provinsi, Jalan, Pulau …).
    PlaceWord = 2,
    /// A word that starts or ends an organisation name (PT, Universitas, Bank, Partai …).
    OrgWord = 3,
    /// A preposition before places (di, ke, dari …).
    PlacePreposition = 4,
    /// A speech verb around a speaker's name (kata, ujar, menurut, said …).
    Speech = 5,
    /// A month or weekday name: capitalised but never an entity.
    Calendar = 6,
}

const PERSON_TITLES: &[&str] = &[
    "presiden",
    "wapres",
    "menteri",
    "menko",
    "gubernur",
    "wagub",
    "bupati",
    "wabup",
    "walikota",
    "wali",
    "camat",
    "lurah",
    "kades",
    "kapolri",
    "kapolda",
    "kapolres",
    "kapolsek",
    "kasat",
    "panglima",
    "jenderal",
    "jendral",
    "letjen",
    "mayjen",
    "brigjen",
    "kolonel",
    "letkol",
    "mayor",
    "kapten",
    "kombes",
    "akbp",
    "kompol",
    "iptu",
    "ipda",
    "aiptu",
    "bripka",
    "briptu",
    "irjen",
    "komjen",
    "laksamana",
    "marsekal",
    "direktur",
    "dirut",
    "ketua",
    "ketum",
    "sekjen",
    "sekretaris",
    "kepala",
    "kadis",
    "juru",
    "jubir",
    "pak",
    "bu",
    "bapak",
    "ibu",
    "mas",
    "mbak",
    "kak",
    "bang",
    "dr",
    "prof",
    "ir",
    "drs",
    "hj",
    "haji",
    "kh",
    "ustaz",
    "ustadz",
    "habib",
    "syekh",
    "raja",
    "ratu",
    "pangeran",
    "sultan",
    "paus",
    "kiai",
    "pendeta",
    "tuan",
    "nyonya",
    "sdr",
    "saudara",
    "mr",
    "mrs",
    "ms",
    "sir",
    "president",
    "minister",
    "governor",
    "senator",
    "mayor",
    "chairman",
    "ceo",
    "pelatih",
    "coach",
    "penyanyi",
    "aktor",
    "aktris",
    "artis",
    "politikus",
    "politisi",
    "pengamat",
    "penulis",
    "hakim",
    "jaksa",
    "terdakwa",
    "tersangka",
    "mantan",
    "almarhum",
    "almarhumah",
    "putra",
    "putri",
    "istri",
    "suami",
    "anak",
    "komisaris",
    "wakil",
    "anggota",
    "kapolresta",
    "pj",
    "plt",
    "dubes",
    "duta",
    "perdana",
    "striker",
    "gelandang",
    "kiper",
    "bek",
    "pebulu",
    "pembalap",
    "petinju",
    "pemain",
    "sutradara",
];

const PLACE_WORDS: &[&str] = &[
    "kota",
    "kabupaten",
    "kab",
    "provinsi",
    "prov",
    "kecamatan",
    "kec",
    "kelurahan",
    "desa",
    "kampung",
    "dusun",
    "jalan",
    "jl",
    "jln",
    "pulau",
    "gunung",
    "sungai",
    "danau",
    "selat",
    "teluk",
    "pantai",
    "negara",
    "negeri",
    "wilayah",
    "daerah",
    "kawasan",
    "city",
    "province",
    "district",
    "island",
    "river",
    "mount",
    "lake",
    "street",
    "benua",
    "samudra",
    "samudera",
    "laut",
    "tanjung",
    "bukit",
    "lembah",
    "kepulauan",
    "distrik",
    "county",
    "state",
    "region",
];

const ORG_WORDS: &[&str] = &[
    "pt",
    "cv",
    "tbk",
    "universitas",
    "univ",
    "institut",
    "sekolah",
    "sma",
    "smp",
    "sd",
    "smk",
    "sman",
    "smpn",
    "sdn",
    "bank",
    "partai",
    "kementerian",
    "kemenkes",
    "dinas",
    "badan",
    "komisi",
    "dewan",
    "majelis",
    "mahkamah",
    "pengadilan",
    "kejaksaan",
    "kejati",
    "kejari",
    "kepolisian",
    "polda",
    "polres",
    "polsek",
    "polresta",
    "kodam",
    "kodim",
    "rs",
    "rsud",
    "rsup",
    "yayasan",
    "lembaga",
    "perusahaan",
    "klub",
    "fc",
    "persatuan",
    "asosiasi",
    "federasi",
    "organisasi",
    "pemerintah",
    "pemkot",
    "pemkab",
    "pemprov",
    "dpr",
    "dprd",
    "mpr",
    "kpk",
    "kpu",
    "bawaslu",
    "tni",
    "polri",
    "university",
    "company",
    "inc",
    "corp",
    "ltd",
    "ministry",
    "party",
    "council",
    "association",
    "club",
    "united",
    "koperasi",
    "harian",
    "majalah",
    "stasiun",
    "pengurus",
    "persero",
    "holding",
    "grup",
    "group",
    "kantor",
    "departemen",
    "direktorat",
    "biro",
    "unit",
    "satuan",
    "satgas",
    "tim",
    "fakultas",
    "akademi",
    "politeknik",
    "stikes",
    "madrasah",
    "pesantren",
    "ponpes",
    "gereja",
    "masjid",
    "museum",
    "bandara",
    "pelabuhan",
    "stadion",
];

const PLACE_PREPOSITIONS: &[&str] = &[
    "di", "ke", "dari", "menuju", "asal", "sekitar", "kawasan", "at", "in", "from", "to", "near",
    "antara", "hingga", "sampai", "wilayah", "seluruh", "se",
];

const SPEECH: &[&str] = &[
    "kata",
    "ujar",
    "ucap",
    "tutur",
    "jelas",
    "ungkap",
    "papar",
    "tegas",
    "imbuh",
    "lanjut",
    "sebut",
    "terang",
    "katanya",
    "ujarnya",
    "menurut",
    "said",
    "says",
    "told",
    "according",
    "menambahkan",
    "mengatakan",
    "menjelaskan",
    "mengungkapkan",
    "menegaskan",
    "bersama",
    "oleh",
];

const CALENDAR: &[&str] = &[
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "jum'at",
    "sabtu",
    "minggu",
    "ahad",
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "june",
    "july",
    "august",
    "october",
    "december",
    "wib",
    "wita",
    "wit",
];

/// Words around product/brand, event and food names (NERP's IND, EVT, FNB):
/// pooled into one class each so that a rare cue word still counts.
const PRODUCT_WORDS: &[&str] = &[
    "produk",
    "merek",
    "merk",
    "brand",
    "aplikasi",
    "app",
    "ponsel",
    "smartphone",
    "gawai",
    "mobil",
    "motor",
    "seri",
    "tipe",
    "model",
    "versi",
    "varian",
    "layanan",
    "platform",
    "situs",
    "laman",
    "portal",
    "akun",
    "game",
    "gim",
    "film",
    "album",
    "lagu",
    "single",
    "buku",
    "novel",
    "serial",
    "sinetron",
    "drama",
    "dilansir",
    "dikutip",
    "melansir",
    "mengutip",
    "media",
    "perangkat",
    "laptop",
    "kamera",
    "chipset",
    "prosesor",
    "sistem",
    "operasi",
    "channel",
];
const EVENT_WORDS: &[&str] = &[
    "festival",
    "acara",
    "ajang",
    "turnamen",
    "kejuaraan",
    "pameran",
    "konser",
    "piala",
    "liga",
    "perayaan",
    "peringatan",
    "lomba",
    "kompetisi",
    "konferensi",
    "seminar",
    "pemilu",
    "pilkada",
    "pilpres",
    "perang",
    "tragedi",
    "insiden",
    "olimpiade",
    "upacara",
    "kongres",
    "muktamar",
    "musyawarah",
    "expo",
    "final",
    "semifinal",
    "kualifikasi",
    "menjuarai",
    "bertajuk",
    "menggelar",
    "digelar",
    "penyelenggaraan",
    "pelaksanaan",
    "merayakan",
    "menghadiri",
    "gelaran",
    "edisi",
    "musim",
    "pekan",
    "tahunan",
    "event",
    "championship",
    "cup",
    "games",
];
const FOOD_WORDS: &[&str] = &[
    "makanan",
    "minuman",
    "kuliner",
    "masakan",
    "menu",
    "hidangan",
    "kue",
    "sajian",
    "jajanan",
    "camilan",
    "cemilan",
    "resep",
    "rasa",
    "menikmati",
    "mencicipi",
    "disajikan",
    "dimasak",
    "olahan",
    "santapan",
    "potongan",
    "irisan",
    "tekstur",
    "lezat",
    "enak",
    "gurih",
    "manis",
    "pedas",
    "segar",
    "porsi",
    "bumbu",
    "kuah",
    "saus",
    "paduan",
    "racikan",
    "seduhan",
];

fn type_cue_table() -> &'static HashKeyed<u8> {
    static TABLE: OnceLock<HashKeyed<u8>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = HashKeyed::default();
        for (list, cue) in [(PRODUCT_WORDS, 1u8), (EVENT_WORDS, 2), (FOOD_WORDS, 3)] {
            for w in list {
                m.insert(lower_hash(w), cue);
            }
        }
        m
    })
}

fn cue_table() -> &'static HashKeyed<Cue> {
    static TABLE: OnceLock<HashKeyed<Cue>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = HashKeyed::default();
        // Later lists win on overlaps, so the most specific go last.
        for (list, cue) in [
            (SPEECH, Cue::Speech),
            (PLACE_PREPOSITIONS, Cue::PlacePreposition),
            (ORG_WORDS, Cue::OrgWord),
            (PLACE_WORDS, Cue::PlaceWord),
            (PERSON_TITLES, Cue::PersonTitle),
            (CALENDAR, Cue::Calendar),
        ] {
            for w in list {
                m.insert(lower_hash(w), cue);
            }
        }
        m
    })
}

/// What the templates need to know about one token, all as hashes.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TokenInfo {
    pub(crate) word: u64,
    pub(crate) lower: u64,
    pub(crate) shape: u64,
    pub(crate) short_shape: u64,
    /// Hashes of the first 1..=4 lowercased chars (0 when the token is shorter).
    pub(crate) prefix: [u64; 4],
    /// Hashes of the last 1..=4 lowercased chars (0 when the token is shorter).
    pub(crate) suffix: [u64; 4],
    pub(crate) flags: u16,
    pub(crate) len_bucket: u8,
    pub(crate) cue: u8,
    /// Word-cluster id + 1 (0 = unknown word).
    pub(crate) cluster: u32,
    /// Gazetteer evidence (set per sentence by [`sentence_info`]).
    pub(crate) lex: LexTag,
    /// Product (1), event (2) or food (3) context word, else 0.
    pub(crate) type_cue: u8,
    /// Between a pair of quotation marks (set per sentence by [`sentence_info`]).
    pub(crate) quoted: bool,
}

impl TokenInfo {
    fn sentinel(which: u64) -> Self {
        let h = mix64(which.wrapping_mul(GOLDEN));
        Self {
            word: h,
            lower: h,
            shape: h,
            short_shape: h,
            prefix: [0; 4],
            suffix: [0; 4],
            flags: 0,
            len_bucket: 0,
            cue: 0,
            cluster: u32::MAX,
            lex: LexTag::default(),
            type_cue: 0,
            quoted: false,
        }
    }

    /// Summarises a token. Linear in its length; allocates nothing.
    pub(crate) fn new(token: &str, clusters: Option<&HashMap<u64, u32>>) -> Self {
        let mut word = Fnv::new(1);
        let mut lower = Fnv::new(2);
        let mut shape = Fnv::new(3);
        let mut short = Fnv::new(4);
        let mut pre = Fnv::new(5);
        let mut prefix = [0u64; 4];
        let mut last = ['\0'; 4];
        let mut n = 0usize;
        let mut letters = 0usize;
        let mut uppers = 0usize;
        let mut digits = 0usize;
        let mut alnum = 0usize;
        let mut flags = 0u16;
        let mut prev_class = '\0';
        for c in token.chars() {
            word.push(u64::from(c));
            let class = if c.is_uppercase() {
                'X'
            } else if c.is_lowercase() {
                'x'
            } else if c.is_ascii_digit() || c.is_numeric() {
                'd'
            } else if c.is_alphabetic() {
                'a'
            } else {
                c
            };
            if c.is_alphabetic() {
                letters += 1;
                if !c.is_ascii() && !matches!(c, 'À'..='ɏ') {
                    flags |= NON_LATIN;
                }
            }
            if c.is_uppercase() {
                uppers += 1;
                if n == 0 {
                    flags |= INIT_CAP;
                } else {
                    flags |= INNER_CAP;
                }
            }
            if c.is_numeric() {
                digits += 1;
            }
            if c.is_alphanumeric() {
                alnum += 1;
            }
            match c {
                '-' | '‐' | '–' => flags |= HAS_HYPHEN,
                '.' => flags |= HAS_PERIOD,
                '\'' | '’' => flags |= HAS_APOSTROPHE,
                _ => {}
            }
            shape.push(u64::from(class));
            if class != prev_class {
                short.push(u64::from(class));
                prev_class = class;
            }
            for l in c.to_lowercase() {
                lower.push(u64::from(l));
                if n < 4 {
                    pre.push(u64::from(l));
                    prefix[n] = pre.finish();
                }
                last.rotate_left(1);
                last[3] = l;
            }
            n += 1;
        }
        let mut suffix = [0u64; 4];
        for (k, slot) in suffix.iter_mut().enumerate() {
            if k < n {
                let mut s = Fnv::new(6);
                for &c in &last[3 - k..] {
                    s.push(u64::from(c));
                }
                *slot = s.finish();
            }
        }
        if n > 0 && alnum == 0 {
            flags |= PUNCT;
        }
        if digits > 0 {
            flags |= HAS_DIGIT;
            if digits == n {
                flags |= ALL_DIGITS;
            }
        }
        if letters > 1 && uppers == letters {
            flags |= ALL_CAPS;
        }
        let lower = lower.finish();
        let cue = cue_table().get(&lower).map_or(0, |&c| c as u8);
        let cluster = clusters.and_then(|m| m.get(&lower)).map_or(0, |&c| c + 1);
        let len_bucket = match n {
            0..=4 => n as u8,
            5..=6 => 5,
            7..=9 => 6,
            _ => 7,
        };
        Self {
            word: word.finish(),
            lower,
            shape: shape.finish(),
            short_shape: short.finish(),
            prefix,
            suffix,
            flags,
            len_bucket,
            cue,
            cluster,
            lex: LexTag::default(),
            type_cue: type_cue_table().get(&lower).copied().unwrap_or(0),
            quoted: false,
        }
    }

    fn init_cap(&self) -> bool {
        self.flags & INIT_CAP != 0
    }
}

/// Summarises a sentence's tokens.
pub(crate) fn sentence_info<S: AsRef<str>>(
    tokens: &[S],
    clusters: Option<&HashMap<u64, u32>>,
) -> Vec<TokenInfo> {
    let mut info: Vec<TokenInfo> = tokens
        .iter()
        .map(|t| TokenInfo::new(t.as_ref(), clusters))
        .collect();
    let lower: Vec<u64> = info.iter().map(|t| t.lower).collect();
    let mut lex = vec![LexTag::default(); info.len()];
    Lexicon::shared().annotate(&lower, &mut lex);
    for (t, l) in info.iter_mut().zip(lex) {
        t.lex = l;
    }
    // Tokens between two quotation marks (only when the marks pair up).
    let quotes: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            matches!(
                t.as_ref(),
                "\"" | "“" | "”" | "'" | "‘" | "’" | "\"'" | "''" | "``"
            )
        })
        .map(|(i, _)| i)
        .collect();
    if quotes.len() % 2 == 0 {
        for pair in quotes.chunks(2) {
            for t in &mut info[pair[0] + 1..pair[1]] {
                t.quoted = true;
            }
        }
    }
    info
}

/// For every token, where the run of capitalised non-cue tokens containing it
/// starts and ends (start == end when the token is not capitalised).
pub(crate) fn cap_runs(info: &[TokenInfo]) -> Vec<(u32, u32)> {
    let mut out = vec![(0u32, 0u32); info.len()];
    let mut i = 0;
    while i < info.len() {
        let in_run = |t: &TokenInfo| t.init_cap() && t.cue == 0;
        if in_run(&info[i]) {
            let s = i;
            while i < info.len() && in_run(&info[i]) {
                i += 1;
            }
            for slot in &mut out[s..i] {
                *slot = (s as u32, i as u32);
            }
        } else {
            out[i] = (i as u32, i as u32);
            i += 1;
        }
    }
    out
}

/// Calls `emit` with every feature (attribute) hash of token `i`.
///
/// `stack` holds, per helper model, its predicted label index for each token
/// (helpers are models trained on other data sets whose output is evidence here).
#[inline]
pub(crate) fn attributes(
    info: &[TokenInfo],
    runs: &[(u32, u32)],
    stack: &[Vec<u8>],
    domain: u64,
    i: usize,
    emit: &mut impl FnMut(u64),
) {
    if domain == 0 {
        token_attributes(info, runs, stack, i, emit);
    } else {
        // Feature augmentation ("frustratingly easy" domain adaptation): every
        // feature once shared by all data sets and once for this data set alone.
        token_attributes(info, runs, stack, i, &mut |h| {
            emit(h);
            emit(mix64(h ^ domain) | 1);
        });
    }
}

/// The hash identifying a data set (domain) in augmented features.
pub(crate) fn domain_hash(name: &str) -> u64 {
    mix64(lower_hash(name) ^ 0x5eed) | 1
}

#[inline]
fn token_attributes(
    info: &[TokenInfo],
    runs: &[(u32, u32)],
    stack: &[Vec<u8>],
    i: usize,
    emit: &mut impl FnMut(u64),
) {
    let n = info.len();
    let bos = TokenInfo::sentinel(11);
    let eos = TokenInfo::sentinel(13);
    let at = |k: isize| -> &TokenInfo {
        let j = i as isize + k;
        if j < 0 {
            &bos
        } else if j as usize >= n {
            &eos
        } else {
            &info[j as usize]
        }
    };
    let (p2, p1, c, n1, n2) = (at(-2), at(-1), at(0), at(1), at(2));
    emit(attr1(1, 0));
    emit(attr1(2, c.word));
    emit(attr1(3, c.lower));
    emit(attr1(4, c.shape));
    emit(attr1(5, c.short_shape));
    for k in 0..4 {
        if c.prefix[k] != 0 {
            emit(attr1(6 + k as u64, c.prefix[k]));
        }
        if c.suffix[k] != 0 {
            emit(attr1(10 + k as u64, c.suffix[k]));
        }
    }
    let mut f = c.flags;
    while f != 0 {
        emit(attr1(14, u64::from(f.trailing_zeros())));
        f &= f - 1;
    }
    emit(attr1(15, u64::from(c.len_bucket)));
    emit(attr1(16, p1.lower));
    emit(attr1(17, n1.lower));
    emit(attr1(18, p2.lower));
    emit(attr1(19, n2.lower));
    emit(attr1(20, p1.short_shape));
    emit(attr1(21, n1.short_shape));
    emit(attr1(22, p2.short_shape));
    emit(attr1(23, n2.short_shape));
    emit(attr2(25, p1.lower, c.lower));
    emit(attr2(26, c.lower, n1.lower));
    emit(attr2(
        27,
        attr2(0, p1.short_shape, c.short_shape),
        n1.short_shape,
    ));
    emit(attr2(28, p1.short_shape, c.short_shape));
    emit(attr2(29, c.short_shape, n1.short_shape));
    emit(attr1(30, u64::from(c.cue)));
    emit(attr1(31, u64::from(p1.cue)));
    emit(attr1(32, u64::from(n1.cue)));
    emit(attr1(33, u64::from(p2.cue)));
    // The capitalised run this token is in: what precedes it, how long it is, where we are.
    let (s, e) = runs[i];
    if e > s {
        let before = if s == 0 {
            7
        } else {
            u64::from(info[s as usize - 1].cue)
        };
        let len = u64::from((e - s).min(4));
        let pos = if i as u32 == s {
            0
        } else if i as u32 + 1 == e {
            1
        } else {
            2
        };
        emit(attr1(34, before * 64 + len * 4 + pos));
        emit(attr2(35, before, c.lower));
        let after = if e as usize >= n {
            7
        } else {
            u64::from(info[e as usize].cue)
        };
        emit(attr1(36, after * 64 + len * 4 + pos));
    }
    emit(attr1(37, u64::from(i == 0) * 2 + u64::from(c.init_cap())));
    emit(attr2(38, p1.lower, c.short_shape));
    emit(attr2(39, n1.lower, c.short_shape));
    emit(attr1(40, u64::from(i + 1 == n)));
    if c.cluster != 0 {
        emit(attr1(41, u64::from(c.cluster)));
        emit(attr2(42, u64::from(p1.cluster), u64::from(c.cluster)));
        emit(attr2(43, u64::from(c.cluster), u64::from(n1.cluster)));
    }
    emit(attr1(44, u64::from(p1.cluster)));
    emit(attr1(45, u64::from(n1.cluster)));
    // The two words before and the two after, as pairs.
    emit(attr2(46, p2.lower, p1.lower));
    emit(attr2(47, n1.lower, n2.lower));
    // Gazetteer evidence: the phrase kind and position of this token and its
    // neighbours, with this token's capitalisation.
    let code = |t: &TokenInfo| u64::from(t.lex.kind) * 4 + u64::from(t.lex.pos);
    let cap = u64::from(c.init_cap()) + 2 * u64::from(c.flags & ALL_CAPS != 0);
    if c.lex.kind != 0 {
        emit(attr1(50, code(c)));
        emit(attr1(51, code(c) * 4 + cap));
    }
    if p1.lex.kind != 0 {
        emit(attr1(52, code(p1)));
    }
    if n1.lex.kind != 0 {
        emit(attr1(53, code(n1)));
    }
    if c.lex.name_word {
        emit(attr1(54, cap));
    }
    emit(attr1(
        55,
        u64::from(p1.lex.name_word) * 4
            + u64::from(c.lex.name_word) * 2
            + u64::from(n1.lex.name_word),
    ));
    if c.lex.not_entity {
        emit(attr1(56, cap));
    }
    // Product, event and food context.
    emit(attr1(
        57,
        u64::from(p2.type_cue) * 16 + u64::from(p1.type_cue) * 4 + u64::from(c.type_cue),
    ));
    if n1.type_cue != 0 {
        emit(attr1(58, u64::from(n1.type_cue)));
    }
    emit(attr1(
        59,
        u64::from(c.quoted) * 4 + u64::from(p1.quoted) * 2 + u64::from(n1.quoted),
    ));
    for (h, pred) in stack.iter().enumerate() {
        let h = h as u64;
        let lab = |j: isize| -> u64 {
            let j = i as isize + j;
            if j < 0 || j as usize >= n {
                31
            } else {
                u64::from(pred[j as usize])
            }
        };
        emit(attr1(100 + h * 8, lab(0)));
        emit(attr1(101 + h * 8, lab(-1) * 32 + lab(0)));
        emit(attr1(102 + h * 8, lab(0) * 32 + lab(1)));
        emit(attr2(103 + h * 8, lab(0), c.lower));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_and_shape_hashes_agree_where_they_should() {
        let a = TokenInfo::new("Jakarta", None);
        let b = TokenInfo::new("JAKARTA", None);
        let c = TokenInfo::new("Bali", None);
        assert_eq!(a.lower, b.lower);
        assert_ne!(a.word, b.word);
        assert_eq!(a.shape, TokenInfo::new("Bekasii", None).shape);
        assert_eq!(a.short_shape, c.short_shape);
        assert_ne!(a.shape, c.shape);
        assert_eq!(a.suffix[2], TokenInfo::new("Jogjakarta", None).suffix[2]);
        assert_eq!(a.prefix[1], TokenInfo::new("jalan", None).prefix[1]);
        assert_eq!(TokenInfo::new("di", None).prefix[2], 0);
        assert_eq!(TokenInfo::new("Presiden", None).cue, Cue::PersonTitle as u8);
        assert_eq!(TokenInfo::new("di", None).cue, Cue::PlacePreposition as u8);
        assert_ne!(TokenInfo::new("2023", None).flags & ALL_DIGITS, 0);
        assert_ne!(TokenInfo::new(",", None).flags & PUNCT, 0);
        assert_ne!(TokenInfo::new("KPK", None).flags & ALL_CAPS, 0);
    }

    #[test]
    fn capitalised_runs_stop_at_cue_words() {
        let toks = ["Presiden", "Joko", "Widodo", "tiba", "di", "Jawa", "Timur"];
        let info = sentence_info(&toks, None);
        let runs = cap_runs(&info);
        assert_eq!(runs[0], (0, 0));
        assert_eq!(runs[1], (1, 3));
        assert_eq!(runs[2], (1, 3));
        assert_eq!(runs[3], (3, 3));
        assert_eq!(runs[6], (5, 7));
    }

    #[test]
    fn sentence_context_marks_quotes_cues_and_known_names() {
        let toks = ["festival", "\"", "Jazz", "Gunung", "\"", "di", "Jakarta"];
        let info = sentence_info(&toks, None);
        assert_eq!(info[0].type_cue, 2);
        assert!(!info[1].quoted && info[2].quoted && info[3].quoted && !info[4].quoted);
        assert_ne!(info[6].lex.kind, 0);
        // An unpaired quotation mark marks nothing.
        let info = sentence_info(&["\"", "a", "b"], None);
        assert!(info.iter().all(|t| !t.quoted));
    }

    #[test]
    fn attributes_are_deterministic_and_windowed() {
        let toks = ["a", "B", "c"];
        let info = sentence_info(&toks, None);
        let runs = cap_runs(&info);
        let collect = |i| {
            let mut v = Vec::new();
            attributes(&info, &runs, &[], 0, i, &mut |h| v.push(h));
            v
        };
        assert_eq!(collect(1), collect(1));
        assert_ne!(collect(0), collect(2));
        assert!(collect(1).iter().all(|&h| h != 0));
    }
}
