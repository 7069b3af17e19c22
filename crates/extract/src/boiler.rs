//! Line-level boilerplate that both HTML pages and text dumps carry: promos,
//! "read also" links, share prompts, continuation lines.
//!
//! Every rule is anchored on the *shape* of a line, never on a site: boilerplate
//! is short, starts with its label ("Baca juga", "Read more:", "Editor:") or is an
//! imperative aimed at the reader ("Join our Telegram channel"). A story sentence
//! that merely mentions Telegram or "the next page" does not match, because it
//! starts with its subject and goes on long after the keyword.
//!
//! [`classify_line`] runs on every block of every page, so it rejects long lines
//! before doing any work and compiles its few regexes once.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use regex::Regex;

/// What kind of boilerplate a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Boiler {
    /// Newsletter, app, social-channel or notification promos.
    Promo,
    /// "Baca juga", "Read also", "Related" lines.
    ReadAlso,
    /// "Continue on the next page" lines: the story goes on elsewhere.
    Continuation,
    /// Share/follow prompts, advertising labels and similar page furniture.
    Furniture,
}

/// Lines longer than this (in bytes) are story text, whatever they start with.
const MAX_BOILER_BYTES: usize = 400;

/// "Simak selengkapnya di halaman berikutnya", "Continued on next page", … (whole line).
static CONTINUATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
            # Indonesian / Malay: (verb) (object) (selengkapnya) (di) halaman berikutnya
            (?:(?:simak|baca|lihat|cek|klik|buka|lanjut(?:kan)?|teruskan|ikuti|geser|scroll)\s+)?
            (?:(?:membaca|baca|ke)\s+)?
            (?:(?:berita|artikel|informasi|ulasan|kisah|cerita)\s+)?
            (?:(?:ini\s+)?(?:selengkapnya|lengkapnya|kelanjutannya|lanjutannya|selanjutnya|berikutnya)\s+)?
            (?:(?:di|pada|ke|dalam|dengan\s+klik)\s+)?
            (?:halaman|hal\.?|laman)\s+(?:berikut(?:nya)?|selanjutnya)
          | bersambung(?:\s+ke\s+(?:halaman|hal\.?)\s+(?:berikut(?:nya)?|selanjutnya|\d{1,2}))?
          # English
          | (?:story\s+|article\s+)?(?:continued|continues|continue\s+reading|keep\s+reading|read\s+more|go)
            (?:\s+(?:on|at|in|to))?\s+(?:the\s+)?(?:next\s+page|page\s+\d{1,2})
          | next\s+page
          | (?:click|tap)\s+(?:here\s+)?(?:for|to\s+(?:go\s+to|read))\s+(?:the\s+)?next\s+page
          # French, Spanish, Portuguese, German, Dutch
          | (?:lire\s+la\s+)?suite\s+(?:[àa]\s+la\s+|en\s+)?page\s+(?:suivante|\d{1,2})
          | page\s+suivante
          | (?:contin[úu]a|sigue|continua)\s+en\s+la\s+(?:p[áa]gina\s+siguiente|siguiente\s+p[áa]gina)
          | (?:continua|continue)\s+na\s+pr[óo]xima\s+p[áa]gina
          | (?:fortsetzung|weiter|lesen\s+sie\s+weiter)\s+auf\s+(?:der\s+)?(?:n[äa]chsten\s+seite|seite\s+\d{1,2})
          | lees\s+verder\s+op\s+(?:de\s+)?volgende\s+pagina
        )[\s.:!…»›>→\-–—)\]]*$",
    )
    .expect("valid regex")
});

/// `(xyz/abc)`, `(ant)`, `(*)`: editor and reporter initials closing a story.
static INITIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[(\[]\s*(?:\*{1,3}|\p{L}[\p{L}\d]{0,5}(?:\s*[/\-,]\s*[\p{L}\d]{1,6}){0,4})\s*[)\]]$",
    )
    .expect("valid regex")
});

/// Labels that open a "read also" line, lowercase, with how strict the separator must be.
///
/// `true`: the label must be followed by `:`, `|`, `»`, a dash or the end of the line
/// (English words that also open sentences: "Related research shows…").
/// `false`: any following text is fine ("Baca juga Kim tiba di Rusia").
const READ_ALSO: &[(&str, bool)] = &[
    ("baca juga", false),
    ("baca pula", false),
    ("bacaan terkait", false),
    ("lihat juga", false),
    ("lihat pula", false),
    ("simak juga", false),
    ("simak pula", false),
    ("tonton juga", false),
    ("saksikan juga", false),
    ("cek juga", false),
    ("berita terkait", false),
    ("artikel terkait", false),
    ("berita lainnya", true),
    ("berita lain", true),
    ("jangan lewatkan", true),
    ("rekomendasi", true),
    ("populer", true),
    ("terpopuler", true),
    ("baca", true),
    ("read also", false),
    ("also read", false),
    ("read more", true),
    ("read next", true),
    ("more reading", true),
    ("further reading", true),
    ("related", true),
    ("related stories", true),
    ("related story", true),
    ("related articles", true),
    ("related article", true),
    ("related news", true),
    ("related content", true),
    ("related coverage", true),
    ("see also", true),
    ("also see", true),
    ("more", true),
    ("more news", true),
    ("more stories", true),
    ("more from", true),
    ("recommended", true),
    ("recommended stories", true),
    ("must read", true),
    ("don't miss", true),
    ("dont miss", true),
    ("you may also like", true),
    ("you might also like", true),
    ("trending", true),
    ("watch", true),
    ("listen", true),
    ("lire aussi", false),
    ("à lire aussi", false),
    ("voir aussi", false),
    ("lea también", false),
    ("lee también", false),
    ("ver también", false),
    ("leia também", false),
    ("leia mais", true),
    ("lesen sie auch", false),
    ("mehr zum thema", true),
    ("lees ook", false),
    ("baca lagi", false),
    ("читайте также", false),
    ("اقرأ أيضا", false),
    ("اقرأ أيضاً", false),
];

/// Whole-line furniture, lowercase, compared after trimming punctuation and symbols.
const FURNITURE_EXACT: &[&str] = &[
    "advertisement",
    "advertisment",
    "advertising",
    "advertorial",
    "ad",
    "ads",
    "iklan",
    "sponsored",
    "sponsored content",
    "paid content",
    "konten bersponsor",
    "publicidad",
    "publicité",
    "anzeige",
    "werbung",
    "реклама",
    "إعلان",
    "广告",
    "広告",
    "scroll to continue",
    "scroll to continue with content",
    "scroll to continue reading",
    "scroll untuk melanjutkan",
    "scroll untuk melanjutkan membaca",
    "scroll ke bawah untuk melanjutkan",
    "gulir untuk melanjutkan",
    "artikel berlanjut di bawah ini",
    "story continues below",
    "story continues below advertisement",
    "article continues below",
    "article continues below advertisement",
    "continue reading below",
    "continue reading the main story",
    "baca selengkapnya",
    "baca selengkapnya di sini",
    "baca artikel selengkapnya",
    "baca berita selengkapnya",
    "selengkapnya",
    "klik di sini",
    "click here",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share article",
    "bagikan",
    "bagikan artikel",
    "bagikan artikel ini",
    "bagikan berita ini",
    "tweet",
    "print",
    "cetak",
    "email",
    "comments",
    "comment",
    "komentar",
    "tulis komentar",
    "loading",
    "memuat",
    "click to enlarge",
    "klik untuk memperbesar",
    "perbesar",
    "enlarge this image",
    "toggle caption",
    "hide caption",
    "show caption",
    "close",
    "tutup",
    "play",
    "play video",
    "putar video",
    "watch video",
    "skip ad",
    "copy link",
    "salin link",
    "salin tautan",
    "link copied",
    "listen to this article",
    "dengarkan artikel ini",
    "dengarkan berita ini",
    "save",
    "simpan",
    "follow",
    "ikuti",
    "skip to main content",
    "skip to content",
    "skip to navigation",
    "langsung ke konten",
    "menu",
    "search",
    "cari",
    "sign in",
    "log in",
    "login",
    "masuk",
    "subscribe",
    "langganan",
];

/// Phrases that make a short line furniture wherever they stand: copyright notices
/// and ad-script text. (Finders are built once: `str::contains` builds a searcher
/// per call, and this runs on every block of every page.)
static FURNITURE_INSIDE: LazyLock<[Finder<'static>; 3]> = LazyLock::new(|| {
    [
        Finder::new("all rights reserved"),
        Finder::new("hak cipta dilindungi"),
        Finder::new("googletag."),
    ]
});

/// Labels of staff lines that close (or open) a story: `Editor: X`, `Penulis: X`.
const STAFF_LABELS: &[&str] = &[
    "editor",
    "editors",
    "penulis",
    "reporter",
    "reporters",
    "wartawan",
    "pewarta",
    "redaktur",
    "penyunting",
    "penyelaras",
    "kontributor",
    "fotografer",
    "videografer",
    "writer",
    "written by",
    "author",
    "authors",
    "laporan",
    "reporting by",
    "editing by",
    "writing by",
    "additional reporting by",
    "compiled by",
    "edited by",
    "sumber",
    "source",
    "sources",
    "tags",
    "tag",
    "topik",
    "topics",
    "topik terkait",
    "kata kunci",
    "keywords",
    "filed under",
];

/// Verbs that open a reader-directed promo ("Join …", "Ikuti …"), lowercase.
const PROMO_VERBS: &[&str] = &[
    "join",
    "follow",
    "ikuti",
    "ikutilah",
    "gabung",
    "gabunglah",
    "bergabung",
    "bergabunglah",
    "download",
    "unduh",
    "install",
    "instal",
    "subscribe",
    "berlangganan",
    "langganan",
    "sign up",
    "signup",
    "register",
    "daftar",
    "daftarkan",
    "dapatkan",
    "terima",
    "aktifkan",
    "nyalakan",
    "klik",
    "click",
    "tap",
    "get",
    "stay tuned",
    "stay updated",
    "stay informed",
    "jangan lupa",
    "yuk",
    "ayo",
    "kunjungi",
    "visit",
    "cek",
    "check out",
    "pantau",
    "add",
    "tambahkan",
    "sign in",
    "for the latest",
    "for more",
    "untuk mendapatkan",
    "untuk informasi",
    "never miss",
    "don't miss",
    "we're on",
    "we are on",
    "kami ada di",
    "temukan kami",
    "find us",
    "want the latest",
    "want more",
    "abonnez-vous",
    "suscríbete",
    "síguenos",
    "suivez-nous",
    "folgen sie uns",
    "abonnieren",
];

/// What promos invite the reader to: channels, apps, alerts.
const PROMO_NOUNS: &[&str] = &[
    "telegram",
    "whatsapp",
    "whats app",
    "wa channel",
    "google news",
    "notifikasi",
    "notification",
    "notifications",
    "newsletter",
    "newsletters",
    "nawala",
    "aplikasi",
    "app",
    "apps",
    "app store",
    "play store",
    "google play",
    "instagram",
    "twitter",
    "facebook",
    "tiktok",
    "youtube",
    "linkedin",
    "threads",
    "channel",
    "saluran",
    "kanal",
    "inbox",
    "email",
    "e-mail",
    "podcast",
    "berita terkini",
    "berita terbaru",
    "info terkini",
    "informasi terkini",
    "update",
    "updates",
    "breaking news",
    "latest news",
    "alerts",
    "alert",
    "push",
    "rss",
    "media sosial",
    "social media",
    "kami",
    "us",
];

/// Short phrases that are a promo on their own ("Follow us", "Ikuti kami").
const PROMO_PHRASES: &[&str] = &[
    "follow us",
    "ikuti kami",
    "like us",
    "subscribe now",
    "subscribe today",
    "berlangganan sekarang",
    "sign up now",
    "daftar sekarang",
    "download now",
    "unduh sekarang",
    "get the app",
    "get our app",
];

/// Classifies one line or short block of text; `None` when it reads as story text.
///
/// Cheap: lines longer than a few hundred bytes are rejected before any work, and
/// every rule is anchored at the start of the line or on its whole shape, so story
/// sentences that mention a keyword in passing are left alone.
pub(crate) fn classify_line(line: &str) -> Option<Boiler> {
    let line = line.trim();
    if line.is_empty() || line.len() > MAX_BOILER_BYTES {
        return None;
    }
    // Leading bullets, arrows, emoji: "👉 Join…", "- Baca juga: …", "» Read more".
    let core =
        line.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(' && c != '[' && c != '©');
    if core.is_empty() {
        // Only symbols: separators, "***", "—".
        return Some(Boiler::Furniture);
    }
    // Lowercasing keeps whitespace where it is, so words are counted on `core`.
    let words = crate::meta::word_count(core);
    if words > MAX_RULE_WORDS && !may_be_exact_furniture(core) {
        return None;
    }
    let lower = core.to_lowercase();

    if words <= 16 && CONTINUATION.is_match(&lower) {
        return Some(Boiler::Continuation);
    }
    if is_read_also(&lower, core, words) {
        return Some(Boiler::ReadAlso);
    }
    if is_furniture(&lower, words) {
        return Some(Boiler::Furniture);
    }
    if is_promo(&lower, words) {
        return Some(Boiler::Promo);
    }
    None
}

/// Lines of more words are story text for every rule but [`FURNITURE_EXACT`].
const MAX_RULE_WORDS: usize = 40;

/// The longest [`FURNITURE_EXACT`] line, in bytes.
const FURNITURE_EXACT_MAX: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < FURNITURE_EXACT.len() {
        if FURNITURE_EXACT[i].len() > max {
            max = FURNITURE_EXACT[i].len();
        }
        i += 1;
    }
    max
};

/// False when `core` cannot be a [`FURNITURE_EXACT`] line once lowercased and
/// trimmed of punctuation (lowercasing shrinks a character's UTF-8 to no less than
/// a third: `K` → `k`).
fn may_be_exact_furniture(core: &str) -> bool {
    core.trim_matches(|c: char| !c.is_alphanumeric()).len() <= 3 * FURNITURE_EXACT_MAX
}

/// True when `rest` (what follows a label) is a label separator or nothing.
fn strict_separator(rest: &str) -> bool {
    let r = rest.trim_start();
    r.is_empty() || r.starts_with([':', '|', '»', '›', '>', '-', '–', '—', '→', '.', '/'])
}

fn is_read_also(lower: &str, original: &str, words: usize) -> bool {
    if words > 40 {
        return false;
    }
    // A label in capitals followed by ordinary text ("BACA JUGA Harga Beras Naik") is a
    // label; a headline all in capitals ("MORE THAN 200 EVACUATED") is not.
    let label_upper = |n: usize| {
        let upper =
            |t: &str| t.chars().any(char::is_alphabetic) && !t.chars().any(char::is_lowercase);
        original.get(..n).is_some_and(upper) && original.get(n..).is_some_and(|r| !upper(r))
    };
    for &(label, strict) in READ_ALSO {
        let Some(rest) = strip_label(lower, label) else {
            continue;
        };
        // The label must end at a word boundary: "related" is not "relatedness".
        if rest.chars().next().is_some_and(char::is_alphanumeric) {
            continue;
        }
        if !strict {
            return true;
        }
        if strict_separator(rest) || label_upper(label.len()) {
            return true;
        }
    }
    false
}

fn is_furniture(lower: &str, words: usize) -> bool {
    let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
    if FURNITURE_EXACT.contains(&bare) {
        return true;
    }
    if words <= 6 && INITIALS.is_match(lower) {
        return true;
    }
    if words <= 30
        && (lower.starts_with("copyright")
            || lower.starts_with('©')
            || lower.starts_with("(c) ")
            || lower.starts_with("hak cipta")
            || lower.starts_with("(adsbygoogle")
            || lower.starts_with("document.write(")
            || FURNITURE_INSIDE
                .iter()
                .any(|f| f.find(lower.as_bytes()).is_some()))
    {
        return true;
    }
    if words <= 24 && is_staff_line(lower) {
        return true;
    }
    if words <= 12 && (is_share_bar(bare) || is_breadcrumb(lower)) {
        return true;
    }
    false
}

/// `Editor: X`, `Penulis : X`, `Reporting by X; Editing by Y`, `Tags: a, b`.
fn is_staff_line(lower: &str) -> bool {
    let l = lower.trim_start_matches(['(', '[']);
    for label in STAFF_LABELS {
        let Some(rest) = strip_label(l, label) else {
            continue;
        };
        let by_form = label.ends_with(" by");
        let rest_t = rest.trim_start();
        if by_form {
            if rest.starts_with(' ') && !rest_t.is_empty() {
                return true;
            }
        } else if let Some(name) = rest_t.strip_prefix(':') {
            // "Editor: X" — the name part is short and not a sentence.
            let name = name.trim();
            if !name.is_empty() && name.split_whitespace().count() <= 12 {
                return true;
            }
        }
    }
    false
}

/// A row of share buttons: "Share: Facebook Twitter WhatsApp".
fn is_share_bar(bare: &str) -> bool {
    const WORDS: &[&str] = &[
        "share",
        "bagikan",
        "facebook",
        "twitter",
        "whatsapp",
        "telegram",
        "line",
        "email",
        "copy",
        "link",
        "salin",
        "tautan",
        "x",
        "linkedin",
        "pinterest",
        "reddit",
        "print",
        "cetak",
        "tweet",
        "pin",
        "on",
        "ke",
        "via",
        "this",
        "article",
        "artikel",
        "ini",
        "messenger",
        "flipboard",
        "tumblr",
        "threads",
        "sms",
        "mail",
        "wa",
        "fb",
    ];
    let mut n = 0;
    for w in bare
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !WORDS.contains(&w) {
            return false;
        }
        n += 1;
    }
    // At least one share word and one network, or two networks.
    n >= 2
}

/// "Home › News › World", "Beranda » Internasional » Asia".
fn is_breadcrumb(lower: &str) -> bool {
    let seps = lower.matches(['›', '»', '>']).count() + lower.matches(" / ").count();
    seps >= 2 && !lower.ends_with(['.', '?', '!'])
}

/// Imperative promos: "Join Telegram Channel", "Ikuti berita terkini di Google News".
///
/// A segment of the line (split at sentence ends, bars, bullets, emoji) must start
/// with a promo verb and name a channel, with at most a few words after the channel
/// ("… di Google News", "… for the latest updates"). A sentence with a subject
/// ("Dia memutuskan untuk bergabung dengan Telegram…") never starts with the verb,
/// and one that goes on after the channel is story text.
fn is_promo(lower: &str, words: usize) -> bool {
    if words > 30 {
        return false;
    }
    // The segments first: in story text hardly any opens with a promo verb.
    lower
        .split(|c: char| {
            matches!(c, '.' | '!' | '|' | '•' | '·' | '–' | '—' | '→' | '\n') || is_symbol(c)
        })
        .map(|s| s.trim().trim_start_matches(|c: char| !c.is_alphanumeric()))
        .filter(|s| !s.is_empty())
        .any(promo_segment)
        && !lower.contains(['“', '”', '"', '«'])
        && !has_year(lower)
}

fn is_symbol(c: char) -> bool {
    // Emoji and pictographs used as bullets (👉, ✅, 📲, ►).
    let u = c as u32;
    (0x2190..=0x21FF).contains(&u)
        || (0x2500..=0x27BF).contains(&u)
        || (0x1F000..=0x1FAFF).contains(&u)
        || (0x2B00..=0x2BFF).contains(&u)
}

fn has_year(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(4).enumerate().any(|(i, w)| {
        (w.starts_with(b"19") || w.starts_with(b"20"))
            && w.iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
    })
}

fn promo_segment(seg: &str) -> bool {
    let mut words = seg
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '(' | ')' | '!' | '?'))
        .filter(|w| !w.is_empty());
    // A promo phrase or verb must open the segment, so its first word must be theirs.
    let Some(first) = words.next() else {
        return false;
    };
    if !PROMO_PHRASES
        .iter()
        .chain(PROMO_VERBS)
        .any(|p| starts_with_words(p, first))
    {
        return false;
    }
    let words: Vec<&str> = std::iter::once(first).chain(words).collect();
    if words.len() > 16 {
        return false;
    }
    let norm = words.join(" ");
    if PROMO_PHRASES.iter().any(|p| starts_with_words(&norm, p)) {
        return true;
    }
    if !PROMO_VERBS.iter().any(|v| starts_with_words(&norm, v)) {
        return false;
    }
    // The last channel word, and how much follows it.
    let mut last_end: Option<usize> = None;
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_end_matches(['.', '-']);
        let two = words.get(i + 1).map(|n| format!("{w} {n}"));
        let hit = if two.as_deref().is_some_and(|t| PROMO_NOUNS.contains(&t)) {
            Some(i + 1)
        } else if PROMO_NOUNS.contains(&w) {
            Some(i)
        } else {
            None
        };
        if hit.is_some() {
            last_end = hit;
        }
    }
    last_end.is_some_and(|e| words.len() - 1 - e <= 4)
}

/// `s` starts with the words of `prefix`, ending at a word boundary.
fn starts_with_words(s: &str, prefix: &str) -> bool {
    strip_label(s, prefix).is_some_and(|r| r.is_empty() || r.starts_with(' '))
}

/// `s` without the leading `label`, if it starts with it. The lists of labels are
/// long and a line matches at most a few of them: comparing the first byte before
/// the rest skips most of them without a call to `memcmp`.
fn strip_label<'a>(s: &'a str, label: &str) -> Option<&'a str> {
    if s.as_bytes().first() != label.as_bytes().first() {
        return None;
    }
    s.strip_prefix(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promos() {
        for l in [
            "Terima Notifikasi Berita Terkini. 👉 Join Telegram Channel.",
            "Ikuti berita terkini di Google News",
            "Follow us on Twitter",
            "Follow us on X for the latest updates",
            "Download aplikasi kami sekarang di Play Store dan App Store",
            "Sign up for our newsletter to get the best stories delivered to your inbox.",
            "📲 Gabung saluran WhatsApp kami untuk info terkini!",
            "Dapatkan update berita pilihan setiap hari. Join channel Telegram kami",
            "Subscribe now",
            "Never miss a story: get our app",
        ] {
            assert_eq!(classify_line(l), Some(Boiler::Promo), "{l}");
        }
    }

    #[test]
    fn read_also() {
        for l in [
            "Baca juga: Kim Jong Un tiba di Rusia dengan kereta lapis baja",
            "BACA JUGA",
            "BACA JUGA: Harga Beras Naik Lagi",
            "BACA JUGA Harga Beras Naik Lagi",
            "Baca Juga Harga Beras Naik Lagi",
            "- Baca juga: Harga cabai melonjak",
            "Read also: What the summit means",
            "Related: Leaders meet in the east",
            "RELATED",
            "Lihat juga: Video banjir di Jakarta",
            "Simak juga video berikut ini",
            "Read more: Inside the armoured train",
            "Read more",
            "See also: Timeline of the talks",
            "Lire aussi : le sommet",
        ] {
            assert_eq!(classify_line(l), Some(Boiler::ReadAlso), "{l}");
        }
    }

    #[test]
    fn continuation() {
        for l in [
            "Simak selengkapnya di halaman berikutnya.",
            "Baca selengkapnya di halaman berikutnya",
            "Continued on next page",
            "Halaman selanjutnya",
            "Continue reading on the next page",
            "HALAMAN BERIKUTNYA >>",
            "Lanjut ke halaman berikutnya →",
            "Bersambung",
            "Story continues on page 2",
            "Next page »",
        ] {
            assert_eq!(classify_line(l), Some(Boiler::Continuation), "{l}");
        }
    }

    #[test]
    fn furniture() {
        for l in [
            "Advertisement",
            "ADVERTISEMENT",
            "SCROLL TO CONTINUE WITH CONTENT",
            "Editor: Rina Wulandari",
            "Penulis: Andi Saputra",
            "Reporter : Budi",
            "(xyz/abc)",
            "(ant/kid)",
            "(rdn)",
            "(*)",
            "Copyright © 2023 Contoh Media. All rights reserved.",
            "© Contoh Media",
            "Share: Facebook Twitter WhatsApp",
            "Bagikan",
            "Home › News › World",
            "(Reporting by Jane Doe; Editing by John Roe)",
            "Tags: Rusia, Korea Utara",
            "* * *",
            "Skip to main content",
        ] {
            assert_eq!(classify_line(l), Some(Boiler::Furniture), "{l}");
        }
    }

    #[test]
    fn story_sentences_are_left_alone() {
        for l in [
            "Dia memutuskan untuk bergabung dengan Telegram tahun lalu.",
            "“Kami akan menjelaskan semuanya di halaman berikutnya laporan itu,” kata dia.",
            "Laporan itu, katanya, memuat rincian di halaman berikutnya yang belum dibuka.",
            "Follow the money, the investigator told reporters on Tuesday.",
            "Related research shows the talks could last for days.",
            "Download aplikasi PeduliLindungi kini wajib bagi semua pelancong yang tiba di bandara.",
            "Bergabung dengan Telegram pada 2015, Durov kemudian mendirikan perusahaan baru.",
            "More than 200 people were evacuated from the area.",
            "Editor senior itu mengatakan laporan akan terbit pekan depan.",
            "Watch officials said the plan would be reviewed.",
            "MORE THAN 200 PEOPLE EVACUATED AS RIVER RISES",
            "RELATED PARTIES AGREE TO NEW TERMS",
            "Baca Selengkapnya",
            "China Jadi Kunci untuk Cegah Kemungkinan Kesepakatan Senjata Rusia dan Korut",
            "Bahaya Jangka Panjang bagi Dunia",
            "Kim tiba dengan kereta lapis baja di perbatasan Rusia pada Selasa pagi.",
            "Share prices fell 3% on Monday.",
            "Sumber itu mengatakan pertemuan akan digelar di Vladivostok.",
            "(13/9/2023)",
        ] {
            let got = classify_line(l);
            // "Baca Selengkapnya" alone is a read-more button: furniture, not story text.
            if l == "Baca Selengkapnya" {
                assert_eq!(got, Some(Boiler::Furniture));
                continue;
            }
            assert_eq!(got, None, "{l}");
        }
    }

    #[test]
    fn long_and_odd_lines_are_cheap_and_safe() {
        let long = "Baca juga ".repeat(100_000);
        assert_eq!(classify_line(&long), None);
        assert_eq!(classify_line(""), None);
        assert_eq!(classify_line("   "), None);
        assert_eq!(classify_line("🙂🙂🙂"), Some(Boiler::Furniture));
        assert_eq!(
            classify_line("اقرأ أيضا: القمة في فلاديفوستوك"),
            Some(Boiler::ReadAlso)
        );
        assert_eq!(classify_line("هذه جملة عادية من القصة."), None);
    }
}
