//! Plain-text dumps of news pages.
//!
//! A dump is what a reader would copy off the page: promos and navigation first,
//! then the headline, captions, a dateline opening the first paragraph
//! (`JAKARTA, KOMPAS.com -`, `WASHINGTON (Reuters) -`), paragraphs and
//! subheadings, and page furniture at the end. The reader here works on shapes,
//! never on site names:
//!
//! 1. lines are grouped into blocks (blank-line paragraphs, one-line-per-paragraph
//!    dumps and hard-wrapped text are all recognised);
//! 2. each block is boilerplate ([`crate::boiler`]), a byline, a photo caption
//!    ([`crate::caption`]), a date line, the headline, or body text;
//! 3. body blocks that are short, unpunctuated and followed by a paragraph are
//!    subheadings; the first paragraph's dateline gives the dateline, the
//!    publication's domain and, with the header, the publication date.

use std::sync::LazyLock;

use regex::Regex;
use warta_core::{Article, Caption, ExtractError, RawDoc};

use crate::boiler::{self, Boiler};
use crate::caption;
use crate::meta::{self, squash};

/// Longest headline, in words.
const MAX_TITLE_WORDS: usize = 25;
/// Longest subheading, in words.
const MAX_HEADING_WORDS: usize = 15;
/// How many sentence-like blocks may precede the headline before we stop looking for one.
const MAX_PRE_TITLE: usize = 3;
/// How many one- and two-word lines (site names, kickers) may precede the headline.
const MAX_SKIPPED: usize = 6;

/// Reads a plain-text dump of a news page into an article record.
///
/// # Errors
/// [`ExtractError::NoArticle`] when nothing but boilerplate, a headline or a few
/// words remain.
pub(crate) fn extract_text(doc: &RawDoc, text: &str) -> Result<Article, ExtractError> {
    let mut a = Article {
        input: doc.input.clone(),
        url: doc.url.clone(),
        canonical_url: doc.url.clone(),
        site: doc.url.as_deref().and_then(meta::site_of),
        pages: 1,
        ..Article::default()
    };
    let blocks = split_blocks(text);
    let sorted = sort_blocks(blocks);
    a.continues = sorted.continues;
    a.captions = sorted.captions;
    a.title = sorted.title;
    a.authors = clean_byline_names(&sorted.authors);

    let body = shape_body(sorted.body);
    a.description = body.description;
    let mut blocks = body.blocks;
    // `(xyz/abc)`: editor initials closing the last paragraph.
    if let Some(ends) = blocks.iter().rposition(|(h, _)| !h) {
        if let Some(stripped) = strip_initials(&blocks[ends].1) {
            blocks[ends].1 = stripped;
        }
    }

    // Dateline: the first paragraph (or one of the first three) opening with one.
    let paragraphs: Vec<&str> = blocks
        .iter()
        .filter(|(h, _)| !h)
        .map(|(_, t)| t.as_str())
        .collect();
    let mut date_para: Option<&str> = None;
    for p in paragraphs.iter().take(3) {
        if let Some(d) = dateline(p) {
            a.dateline = Some(d.text);
            if a.site.is_none() {
                a.site = d.domain;
            }
            date_para = Some(p);
            break;
        }
    }
    a.published = sorted
        .date_lines
        .iter()
        .find_map(|l| find_date(l))
        .or_else(|| date_para.and_then(find_date))
        .or_else(|| paragraphs.iter().take(2).find_map(|p| find_date(p)));

    let words: usize = paragraphs
        .iter()
        .map(|p| p.split_whitespace().take(8).count())
        .sum();
    if paragraphs.is_empty() || words < 8 {
        return Err(ExtractError::NoArticle {
            input: doc.input.clone(),
        });
    }
    a.set_body(blocks);
    if a.title.is_none() {
        a.warn("no_title", "no headline found in the text");
    }
    if a.published.is_none() {
        a.warn("no_date", "no publication date found in the text");
    }
    if a.text.chars().take(200).count() < 200 {
        a.warn(
            "short_text",
            "the article body is under 200 characters; the text may not be an article",
        );
    }
    meta::finish(&mut a);
    Ok(a)
}

// ---------------------------------------------------------------------------
// 1. Lines to blocks

/// Characters that end a sentence or a quoted sentence.
fn ends_terminal(s: &str) -> bool {
    s.trim_end().ends_with([
        '.', '!', '?', '…', '"', '”', '’', '\'', ')', ']', ':', ';', '»', '。', '！', '？', '۔',
        '؟', '।',
    ])
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// One line, cleaned: no invisible characters, single spaces.
fn clean_line(l: &str) -> String {
    if l.contains(['\u{200B}', '\u{FEFF}', '\u{2060}', '\u{00AD}']) {
        let kept: String = l
            .chars()
            .filter(|c| !matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}' | '\u{00AD}'))
            .collect();
        squash(&kept)
    } else {
        squash(l)
    }
}

/// Groups the lines of a dump into blocks (paragraphs, headings, captions, …).
///
/// Blank lines always separate blocks. Inside a run of non-blank lines, each line
/// is its own block (one-line-per-paragraph dumps), except that a line that stops
/// mid-sentence is joined with a next line starting in lowercase; when the dump is
/// hard-wrapped (many such breaks), whole runs are joined, breaking only after a
/// short line.
fn split_blocks(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        text
    };
    // Runs of non-blank lines.
    let mut runs: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let l = clean_line(raw);
        if l.is_empty() {
            if !cur.is_empty() {
                runs.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(l);
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }

    // Hard-wrapped? Count breaks in the middle of a sentence.
    let mut pairs = 0usize;
    let mut soft = 0usize;
    let mut width = 0usize;
    for run in runs.iter().filter(|r| r.len() > 1) {
        for w in run.windows(2) {
            pairs += 1;
            if !ends_terminal(&w[0]) && starts_lowercase(&w[1]) {
                soft += 1;
            }
        }
        for l in &run[..run.len() - 1] {
            width = width.max(l.chars().count());
        }
    }
    let wrapped = soft >= 2 && soft * 10 >= pairs * 3 && width <= 120;

    let mut blocks = Vec::new();
    for run in runs {
        let mut block = String::new();
        let mut prev: Option<&str> = None;
        for line in &run {
            let join = prev.is_some_and(|p| {
                let mid_sentence = !ends_terminal(p) && starts_lowercase(line);
                if wrapped {
                    let short = p.chars().count() * 10 < width * 6;
                    mid_sentence || !short
                } else {
                    mid_sentence
                }
            });
            if !join && !block.is_empty() {
                blocks.push(std::mem::take(&mut block));
            }
            if !block.is_empty() {
                block.push(' ');
            }
            block.push_str(line);
            prev = Some(line);
        }
        if !block.is_empty() {
            blocks.push(block);
        }
    }
    blocks
}

// ---------------------------------------------------------------------------
// 2. Sorting blocks: boilerplate, bylines, captions, dates, headline, body

#[derive(Debug, Default)]
struct Sorted {
    title: Option<String>,
    body: Vec<String>,
    captions: Vec<Caption>,
    authors: Vec<String>,
    date_lines: Vec<String>,
    continues: bool,
}

fn sort_blocks(blocks: Vec<String>) -> Sorted {
    let mut s = Sorted::default();
    let mut pre_title: Vec<String> = Vec::new();
    let mut title_closed = false;
    let mut skipped = 0usize;
    for b in blocks {
        if let Some(byline) = byline(&b) {
            s.authors.extend(byline.names);
            s.date_lines.extend(byline.rest);
            continue;
        }
        match boiler::classify_line(&b) {
            Some(Boiler::Continuation) => {
                s.continues = true;
                continue;
            }
            Some(_) => continue,
            None => {}
        }
        if caption::looks_like_caption(&b) {
            add_caption(&mut s.captions, &b);
            continue;
        }
        let in_header = s.body.is_empty();
        if in_header && is_date_line(&b) {
            s.date_lines.push(b);
            continue;
        }
        if s.title.is_none() && !title_closed {
            if dateline(&b).is_some() {
                title_closed = true;
            } else if headline_shaped(&b) {
                // Whatever came before the headline was page furniture.
                pre_title.clear();
                s.title = Some(b);
                continue;
            } else if b.split_whitespace().nth(2).is_none()
                && !ends_terminal(&b)
                && skipped < MAX_SKIPPED
            {
                // A site name, a section kicker: not the story.
                skipped += 1;
                continue;
            } else {
                pre_title.push(b);
                if pre_title.len() >= MAX_PRE_TITLE {
                    title_closed = true;
                    s.body.append(&mut pre_title);
                }
                continue;
            }
        }
        if s.title
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(&b))
        {
            continue;
        }
        s.body.push(b);
    }
    if !pre_title.is_empty() {
        pre_title.append(&mut s.body);
        s.body = pre_title;
    }
    s
}

fn add_caption(captions: &mut Vec<Caption>, line: &str) {
    let Some((text, credit)) = caption::split_credit(line) else {
        return;
    };
    if text.is_empty() {
        // A credit on its own line belongs to the caption above it.
        if let Some(prev) = captions.last_mut().filter(|c| c.credit.is_none()) {
            prev.credit = Some(credit);
        }
        return;
    }
    if !captions.iter().any(|c| c.text == text) {
        captions.push(Caption {
            text,
            credit: Some(credit),
        });
    }
}

/// A headline: a few words to a long line, no closing full stop, not a sentence run.
fn headline_shaped(s: &str) -> bool {
    if s.len() > 400 {
        return false;
    }
    let words = s.split_whitespace().count();
    if !(3..=MAX_TITLE_WORDS).contains(&words) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    !first.is_lowercase()
        && first != '('
        && !s.ends_with(['.', ',', ';', ':', '-', '–', '—', '…'])
        && s.matches(". ").count() <= 1
}

/// A subheading: short, unpunctuated, not lowercase-initial.
fn heading_shaped(s: &str) -> bool {
    if s.len() > 160 {
        return false;
    }
    let words = s.split_whitespace().count();
    if !(1..=MAX_HEADING_WORDS).contains(&words) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    (first.is_alphanumeric() && !first.is_lowercase())
        && (!ends_terminal(s) || s.ends_with('?'))
        && !s.contains(". ")
}

// ---------------------------------------------------------------------------
// 3. Body: paragraphs, subheadings, standfirst

struct ShapedBody {
    blocks: Vec<(bool, String)>,
    description: Option<String>,
}

fn shape_body(body: Vec<String>) -> ShapedBody {
    let shaped: Vec<bool> = body
        .iter()
        .map(|b| heading_shaped(b) && dateline(b).is_none())
        .collect();
    let mut out = ShapedBody {
        blocks: Vec::with_capacity(body.len()),
        description: None,
    };
    let mut seen_paragraph = false;
    for (i, b) in body.into_iter().enumerate() {
        if !shaped[i] {
            seen_paragraph = true;
            out.blocks.push((false, b));
            continue;
        }
        let next_is_paragraph = shaped.get(i + 1).is_some_and(|h| !h);
        let rest_has_paragraph = shaped[i + 1..].iter().any(|h| !h);
        if !seen_paragraph {
            // Between the headline and the story: a standfirst, or a kicker to drop.
            if out.description.is_none() && b.split_whitespace().nth(4).is_some() {
                out.description = Some(b);
            }
        } else if next_is_paragraph {
            out.blocks.push((true, b));
        } else if rest_has_paragraph || b.split_whitespace().nth(6).is_some() {
            // List items and the like: body text.
            out.blocks.push((false, b));
        }
        // Else: short unpunctuated lines after the story (tags, sign-offs): dropped.
    }
    out
}

/// `(xyz/abc)`, `(ant)`: editor or reporter initials closing a story paragraph.
static TRAILING_INITIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[(\[]\s*(?:\*{1,3}|\p{Ll}{2,6}(?:\s*[/\-]\s*\p{Ll}{2,6}){0,3})\s*[)\]]\s*$")
        .expect("valid regex")
});

/// The paragraph without closing editor initials, when it has them after a sentence.
fn strip_initials(p: &str) -> Option<String> {
    let m = TRAILING_INITIALS.find(p)?;
    let before = p[..m.start()].trim_end();
    (ends_terminal(before) && !before.is_empty()).then(|| before.to_string())
}

// ---------------------------------------------------------------------------
// Datelines

/// A dateline opening a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dateline {
    /// As written, without the dash: `JAKARTA, KOMPAS.com`.
    pub(crate) text: String,
    /// The publication's domain when the dateline names one: `kompas.com`.
    pub(crate) domain: Option<String>,
}

static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:www\.)?(?:[\p{L}\d][\p{L}\d\-]*\.)+[A-Za-z]{2,6}$").expect("valid regex")
});

/// `ANDALPOST.COM —`, `JAKARTA, KOMPAS.com -`, `WASHINGTON (Reuters) -`,
/// `Jakarta (ANTARA) -`, `LONDON, Sept 13 (AP) —`, `Liputan6.com, Jakarta -`.
pub(crate) fn dateline(p: &str) -> Option<Dateline> {
    let mut head_end = p.len().min(100);
    while !p.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let head = &p[..head_end];
    let (pos, sep) = [" — ", " – ", " -- ", " - ", "—", "–"]
        .iter()
        .filter_map(|s| head.find(s).map(|i| (i, *s)))
        .min_by_key(|(i, s)| (*i, usize::MAX - s.len()))?;
    let prefix = head[..pos].trim();
    let rest = p[pos + sep.len()..].trim_start();
    if prefix.len() < 2
        || prefix.len() > 80
        || rest.is_empty()
        || prefix.split_whitespace().nth(9).is_some()
    {
        return None;
    }
    // A trailing "(Reuters)" / "(ANTARA)".
    let (main, agency) = match prefix.strip_suffix(')').and_then(|p| p.rsplit_once('(')) {
        Some((main, inner)) => {
            let inner = inner.trim();
            let ok = inner.starts_with(char::is_uppercase)
                && inner.split_whitespace().count() <= 4
                && !inner.chars().any(|c| c.is_ascii_digit());
            if !ok {
                return None;
            }
            (main.trim(), Some(inner))
        }
        None => (prefix, None),
    };
    if main.is_empty() || main.contains(['(', ')', '"', '“', '”', ':']) {
        return None;
    }
    let segments: Vec<&str> = main.split(',').map(str::trim).collect();
    if segments.len() > 3 || segments.iter().any(|s| s.is_empty()) {
        return None;
    }
    let mut strong = agency.is_some();
    let mut domain = None;
    for (i, seg) in segments.iter().enumerate() {
        if DOMAIN.is_match(seg) {
            strong = true;
            if domain.is_none() {
                let d = seg.to_lowercase();
                domain = Some(d.strip_prefix("www.").unwrap_or(&d).to_string());
            }
            continue;
        }
        let words: Vec<&str> = seg.split_whitespace().collect();
        if words.len() > 4 {
            return None;
        }
        let has_digit = seg.chars().any(|c| c.is_ascii_digit());
        if has_digit {
            // "Sept 13", "13 September 2023": only after a place.
            if i == 0
                || !seg
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '/'))
            {
                return None;
            }
            continue;
        }
        if !seg
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '’' | '-' | '&'))
        {
            return None;
        }
        let caps = |w: &str| {
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            letters >= 2 && !w.chars().any(char::is_lowercase)
        };
        if words.iter().any(|w| caps(w)) {
            strong = true;
        }
        if !words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_alphabetic() && !c.is_lowercase()))
        {
            return None;
        }
    }
    strong.then(|| Dateline {
        text: prefix.to_string(),
        domain,
    })
}

// ---------------------------------------------------------------------------
// Dates

/// The first date written in a line, as ISO 8601.
fn find_date(line: &str) -> Option<String> {
    let mut end = line.len().min(600);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let head = &line[..end];
    crate::date::find_date_in_text(head)
}

const DATE_WORDS: &[&str] = &[
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
    "january",
    "february",
    "march",
    "may",
    "june",
    "july",
    "august",
    "october",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "agu",
    "agt",
    "ags",
    "aug",
    "sep",
    "sept",
    "okt",
    "oct",
    "nov",
    "des",
    "dec",
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "jum'at",
    "sabtu",
    "minggu",
    "ahad",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thurs",
    "fri",
    "sat",
    "sun",
    "wib",
    "wita",
    "wit",
    "gmt",
    "utc",
    "et",
    "est",
    "edt",
    "pt",
    "pst",
    "pdt",
    "bst",
    "cet",
    "cest",
    "am",
    "pm",
    "pukul",
    "jam",
    "at",
    "on",
    "updated",
    "published",
    "posted",
    "diperbarui",
    "diperbaharui",
    "diterbitkan",
    "dipublikasikan",
    "terbit",
    "update",
    "last",
    "terakhir",
    "modified",
    "dimuat",
];

/// A line that is only a date or timestamp: `Rabu, 13 September 2023 | 14:05 WIB`.
fn is_date_line(s: &str) -> bool {
    if s.len() > 120 || s.split_whitespace().nth(12).is_some() {
        return false;
    }
    let tokens: Vec<String> = s
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '|' | '•' | '·' | '(' | ')' | '-' | '–' | '—')
        })
        .map(|t| {
            t.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        return false;
    }
    let has_year = tokens.iter().any(|t| {
        t.split(['/', '.', '-'])
            .any(|p| p.len() == 4 && p.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y)))
    });
    if !has_year && find_date(s).is_none() {
        return false;
    }
    let datey = tokens
        .iter()
        .filter(|t| {
            t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | ':' | '-'))
                || DATE_WORDS.contains(&t.as_str())
        })
        .count();
    datey * 3 >= tokens.len() * 2
}

// ---------------------------------------------------------------------------
// Bylines

struct Byline {
    names: Vec<String>,
    /// Other parts of the line (`| 13 September 2023`), kept for the date.
    rest: Vec<String>,
}

/// Labels that introduce the writers of a story, lowercase, and whether they need a colon.
const BYLINE_LABELS: &[(&str, bool)] = &[
    ("penulis", false),
    ("reporter", true),
    ("pewarta", true),
    ("wartawan", true),
    ("writer", true),
    ("author", true),
    ("written by", false),
    ("reporting by", false),
    ("words by", false),
    ("oleh", false),
    ("by", false),
];

/// Labels of other staff on a byline line (`| Editor: X`), whose names are not authors.
const OTHER_STAFF: &[&str] = &[
    "editor",
    "redaktur",
    "penyunting",
    "editing by",
    "edited by",
    "additional reporting by",
    "fotografer",
    "foto",
    "photo",
];

/// Function words that never stand in a name, in any case ("BY THE NUMBERS").
const NOT_IN_NAMES: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "with", "from", "this", "that", "yang",
    "ke", "dari", "untuk", "ini", "itu", "pada", "dalam", "karena", "sebab",
];

/// Name particles that may be lowercase inside a name.
const NAME_PARTICLES: &[&str] = &[
    "dan", "and", "&", "bin", "binti", "van", "von", "de", "der", "den", "da", "al", "el", "la",
    "le", "y",
];

/// `Penulis: X`, `Oleh X`, `By X and Y`, `Penulis: X | Editor: Y`, `(Reporting by X; Editing by Y)`.
fn byline(s: &str) -> Option<Byline> {
    if s.len() > 160 || s.split_whitespace().nth(20).is_some() {
        return None;
    }
    let inner = s
        .trim()
        .trim_start_matches(['(', '['])
        .trim_end_matches([')', ']']);
    let mut names = Vec::new();
    let mut rest = Vec::new();
    let mut found = false;
    for part in inner
        .split(['|', ';', '•'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let lower = part.to_lowercase();
        if OTHER_STAFF.iter().any(|l| lower.starts_with(l)) {
            continue;
        }
        let mut matched = false;
        for &(label, needs_colon) in BYLINE_LABELS {
            let Some(after) = lower.strip_prefix(label) else {
                continue;
            };
            let after_t = after.trim_start();
            let has_colon = after_t.starts_with(':');
            if !(after.starts_with([' ', ':']) || after.is_empty()) || (needs_colon && !has_colon) {
                continue;
            }
            // Same offset in the original: labels are ASCII, lowercasing kept their length.
            let Some(orig_after) = part.get(label.len()..) else {
                continue;
            };
            let name = orig_after.trim_start().trim_start_matches(':').trim();
            if name_like(name) {
                names.push(name.to_string());
                matched = true;
            }
            break;
        }
        if matched {
            found = true;
        } else {
            rest.push(part.to_string());
        }
    }
    found.then_some(Byline { names, rest })
}

/// Reads as a list of personal names: capitalised words and particles, no sentence.
fn name_like(s: &str) -> bool {
    if s.is_empty() || s.len() > 100 || s.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 10 || s.ends_with(['?', '!', ':']) {
        return false;
    }
    let mut capitalised = 0;
    for (i, w) in words.iter().enumerate() {
        let bare = w.trim_matches(|c: char| matches!(c, ',' | '.' | '"' | '“' | '”'));
        let lower = bare.to_lowercase();
        // "By Monday", "By September": a time, not a writer ("By Theresa May" is fine).
        if (i == 0 && DATE_WORDS.contains(&lower.as_str()))
            || NOT_IN_NAMES.contains(&lower.as_str())
        {
            return false;
        }
        if bare.starts_with(|c: char| c.is_uppercase()) {
            capitalised += 1;
        } else if !NAME_PARTICLES.contains(&lower.as_str()) && !bare.is_empty() {
            return false;
        }
    }
    capitalised > 0
}

/// Agencies and desks that sign stories but are not people.
const NOT_PEOPLE: &[&str] = &[
    "reuters",
    "afp",
    "ap",
    "associated press",
    "the associated press",
    "bloomberg",
    "antara",
    "xinhua",
    "cnn",
    "bbc",
    "staff",
    "staff reporter",
    "staff writer",
    "our correspondent",
    "redaksi",
    "tim redaksi",
    "tim",
    "admin",
    "wire",
    "wires",
];

fn clean_byline_names(raw: &[String]) -> Vec<String> {
    meta::clean_authors(raw)
        .into_iter()
        .filter(|n| !NOT_PEOPLE.contains(&n.to_lowercase().as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> RawDoc {
        RawDoc {
            input: "t.txt".into(),
            ..RawDoc::default()
        }
    }

    #[test]
    fn blank_line_and_single_line_dumps_split_alike() {
        let a = "Judul Berita yang Cukup Panjang\n\nParagraf satu berakhir di sini.\n\nParagraf dua juga.";
        let b =
            "Judul Berita yang Cukup Panjang\nParagraf satu berakhir di sini.\nParagraf dua juga.";
        let c = "Judul Berita yang Cukup Panjang\r\n\r\nParagraf satu berakhir di sini.\r\nParagraf dua juga.\r\n";
        for t in [a, b, c] {
            assert_eq!(
                split_blocks(t),
                vec![
                    "Judul Berita yang Cukup Panjang",
                    "Paragraf satu berakhir di sini.",
                    "Paragraf dua juga."
                ],
                "{t:?}"
            );
        }
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let t = "A Headline About Rivers\n\nThe river rose overnight and\nflooded the lower town, where\nmost shops had closed early.\n\nOfficials said the water would\nrecede by the weekend.";
        assert_eq!(
            split_blocks(t),
            vec![
                "A Headline About Rivers",
                "The river rose overnight and flooded the lower town, where most shops had closed early.",
                "Officials said the water would recede by the weekend."
            ]
        );
    }

    #[test]
    fn datelines() {
        let d = |s: &str| dateline(s).map(|d| (d.text, d.domain));
        assert_eq!(
            d("ANDALPOST.COM — China dianggap menjadi kunci."),
            Some(("ANDALPOST.COM".into(), Some("andalpost.com".into())))
        );
        assert_eq!(
            d("JAKARTA, KOMPAS.com - Harga beras naik."),
            Some(("JAKARTA, KOMPAS.com".into(), Some("kompas.com".into())))
        );
        assert_eq!(
            d("WASHINGTON (Reuters) - The talks went on."),
            Some(("WASHINGTON (Reuters)".into(), None))
        );
        assert_eq!(
            d("Jakarta (ANTARA) - Pemerintah menyatakan."),
            Some(("Jakarta (ANTARA)".into(), None))
        );
        assert_eq!(
            d("JAKARTA - Polisi menangkap dua orang."),
            Some(("JAKARTA".into(), None))
        );
        assert_eq!(
            d("LONDON, Sept 13 (AP) — Markets fell."),
            Some(("LONDON, Sept 13 (AP)".into(), None))
        );
        assert_eq!(
            d("Liputan6.com, Jakarta - Harga emas turun."),
            Some(("Liputan6.com, Jakarta".into(), Some("liputan6.com".into())))
        );
        assert_eq!(d("Kim Jong Un – yang tiba Selasa – disambut meriah."), None);
        assert_eq!(d("Presiden Joko Widodo (kiri) - berbicara."), None);
        assert_eq!(d("The talks - which began Monday - went on."), None);
        assert_eq!(
            d("Harga beras naik tajam pada 2023-2024 menurut data."),
            None
        );
    }

    #[test]
    fn dates_and_date_lines() {
        assert_eq!(
            find_date("China dianggap kunci, Rabu (13/9/2023)."),
            Some("2023-09-13".into())
        );
        assert_eq!(find_date("(31/2/2023)"), None);
        assert!(is_date_line("Rabu, 13 September 2023 | 14:05 WIB"));
        assert!(is_date_line("Updated: Sept. 13, 2023 at 4:05 am"));
        assert!(!is_date_line(
            "Kim tiba di Rusia pada 12 September 2023 dengan kereta."
        ));
        assert!(!is_date_line("Bahaya Jangka Panjang bagi Dunia"));
    }

    #[test]
    fn bylines() {
        let names = |s: &str| byline(s).map(|b| b.names);
        assert_eq!(
            names("Penulis: Rina Wulandari"),
            Some(vec!["Rina Wulandari".to_string()])
        );
        assert_eq!(
            names("Oleh Siti Aminah dan Budi"),
            Some(vec!["Siti Aminah dan Budi".to_string()])
        );
        assert_eq!(names("By JANE DOE"), Some(vec!["JANE DOE".to_string()]));
        assert_eq!(
            names("Penulis: Andi | Editor: Rina"),
            Some(vec!["Andi".to_string()])
        );
        assert_eq!(
            names("(Reporting by Jane Doe and John Roe; Editing by Sam Poe)"),
            Some(vec!["Jane Doe and John Roe".to_string()])
        );
        assert_eq!(names("By the end of the year, prices had doubled."), None);
        assert_eq!(names("Oleh karena itu, pemerintah menunda rencana."), None);
        assert_eq!(names("By Monday"), None);
        assert_eq!(names("BY THE NUMBERS"), None);
        assert_eq!(
            names("By Theresa May"),
            Some(vec!["Theresa May".to_string()])
        );
        assert_eq!(names("By Train To The Coast"), None);
        assert_eq!(names("Editor: Rina"), None);
        assert_eq!(
            clean_byline_names(&["Jane Doe, Reuters".to_string()]),
            vec!["Jane Doe".to_string()]
        );
    }

    #[test]
    fn initials_are_stripped_from_the_last_paragraph() {
        assert_eq!(
            strip_initials("Rapat dilanjutkan besok. (xyz/abc)"),
            Some("Rapat dilanjutkan besok.".into())
        );
        assert_eq!(
            strip_initials("Rapat dilanjutkan besok. (ant)"),
            Some("Rapat dilanjutkan besok.".into())
        );
        assert_eq!(strip_initials("Dia tiba pada Rabu (13/9)"), None);
        assert_eq!(strip_initials("Partai itu (PDIP)"), None);
    }

    #[test]
    fn headings_need_a_following_paragraph() {
        let body = vec![
            "Paragraf pertama cerita ini berakhir dengan titik.".to_string(),
            "Subjudul di Tengah Cerita".to_string(),
            "Paragraf sesudah subjudul juga berakhir dengan titik.".to_string(),
            "Tag Rusia".to_string(),
        ];
        let s = shape_body(body);
        assert_eq!(s.blocks.len(), 3);
        assert!(s.blocks[1].0);
        assert!(!s.blocks[2].0);
    }

    #[test]
    fn nothing_article_like_is_an_error() {
        for t in [
            "Terima Notifikasi Berita Terkini. 👉 Join Telegram Channel.\n\nBaca juga: Sesuatu\n\nAdvertisement",
            "Hanya Sebuah Judul Tanpa Isi",
            "🙂🙂🙂\n\n🙂",
            "\u{202B}\u{202C}",
        ] {
            assert!(
                matches!(extract_text(&doc(), t), Err(ExtractError::NoArticle { .. })),
                "{t:?}"
            );
        }
    }

    #[test]
    fn pathological_inputs_do_not_panic() {
        let one_line = "kata ".repeat(220_000);
        let a = extract_text(&doc(), &one_line).unwrap();
        assert_eq!(a.paragraphs.len(), 1);
        assert!(a.title.is_none());
        let many_lines = "Baris pendek.\n".repeat(50_000);
        assert!(extract_text(&doc(), &many_lines).is_ok());
        let rtl = "عنوان الخبر في سطر واحد هنا\n\nهذه فقرة أولى من القصة تنتهي بنقطة.\n\nوهذه فقرة ثانية أطول قليلا من الأولى وتنتهي أيضا.";
        let a = extract_text(&doc(), rtl).unwrap();
        assert_eq!(a.title.as_deref(), Some("عنوان الخبر في سطر واحد هنا"));
        assert_eq!(a.paragraphs.len(), 2);
        let emoji = "🔥🔥 Judul Penuh Emoji 🔥🔥\n\n😀 Paragraf dengan emoji di tengahnya 🎉 dan tetap berakhir dengan titik.";
        assert!(extract_text(&doc(), emoji).is_ok());
        // Multi-byte characters around every cut-off point.
        let wide = "é".repeat(300) + " — " + &"ü".repeat(300);
        let _ = extract_text(&doc(), &wide);
    }

    #[test]
    fn site_from_the_url_beats_the_dateline() {
        let t = "Judul Berita Tentang Harga Beras\n\nJAKARTA, KOMPAS.com - Harga beras naik lagi pekan ini, kata pedagang di pasar induk.";
        let d = RawDoc {
            url: Some("https://www.contoh.example/a/1".into()),
            ..doc()
        };
        let a = extract_text(&d, t).unwrap();
        assert_eq!(a.site.as_deref(), Some("contoh.example"));
        assert_eq!(a.dateline.as_deref(), Some("JAKARTA, KOMPAS.com"));
        let a = extract_text(&doc(), t).unwrap();
        assert_eq!(a.site.as_deref(), Some("kompas.com"));
    }
}
