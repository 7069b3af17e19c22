//! Date forms written for readers: `Rabu (13/9/2023)`, `13 September 2023 14:05 WIB`,
//! `Sept. 13, 2023 2:05 p.m. ET`, `13. März 2023`, `2023-09-13T14:05:00+07:00`.
//!
//! Every form is one regex compiled once; a line is searched with all of them and
//! the leftmost valid date wins. A time (with zone) directly after the date is kept.

use std::sync::LazyLock;

use regex::Regex;

use super::Stamp;

/// Month names and abbreviations (lowercase, no trailing dot) in the languages
/// the pages use: Indonesian, English, German, French, Spanish, Italian,
/// Portuguese, Dutch.
const MONTHS: &[(&str, u8)] = &[
    ("januari", 1),
    ("january", 1),
    ("januar", 1),
    ("jänner", 1),
    ("janvier", 1),
    ("janv", 1),
    ("enero", 1),
    ("ene", 1),
    ("gennaio", 1),
    ("janeiro", 1),
    ("jan", 1),
    ("februari", 2),
    ("pebruari", 2),
    ("february", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fevr", 2),
    ("fév", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("feb", 2),
    ("febr", 2),
    ("maret", 3),
    ("march", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mrz", 3),
    ("mär", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("maart", 3),
    ("mar", 3),
    ("april", 4),
    ("avril", 4),
    ("abril", 4),
    ("aprile", 4),
    ("apr", 4),
    ("avr", 4),
    ("abr", 4),
    ("mei", 5),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("maio", 5),
    ("juni", 6),
    ("june", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("junho", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("juillet", 7),
    ("juil", 7),
    ("julio", 7),
    ("luglio", 7),
    ("julho", 7),
    ("jul", 7),
    ("agustus", 8),
    ("august", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("augustus", 8),
    ("agu", 8),
    ("agt", 8),
    ("agus", 8),
    ("ags", 8),
    ("aug", 8),
    ("ago", 8),
    ("september", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("settembre", 9),
    ("setembro", 9),
    ("sept", 9),
    ("sep", 9),
    ("set", 9),
    ("oktober", 10),
    ("october", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("outubro", 10),
    ("okt", 10),
    ("oct", 10),
    ("ott", 10),
    ("out", 10),
    ("november", 11),
    ("nopember", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("nov", 11),
    ("desember", 12),
    ("december", 12),
    ("dezember", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("diciembre", 12),
    ("dicembre", 12),
    ("dezembro", 12),
    ("des", 12),
    ("dec", 12),
    ("dez", 12),
    ("déc", 12),
    ("dic", 12),
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("maart", 3),
    ("augustus", 8),
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("إبريل", 4),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يوليو", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
];

/// The month a name or abbreviation stands for.
fn month_of(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == w).map(|&(_, m)| m)
}

/// The alternation of all month names, longest first so `sept` beats `sep`.
fn month_alternation() -> String {
    let mut names: Vec<&str> = MONTHS.iter().map(|(n, _)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.dedup();
    names.join("|")
}

/// `2023-09-13`, `2023/9/13`, `2023.09.13`, with an optional ISO time and offset.
static YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([0-9]{4})([-/.])([0-9]{1,2})[-/.]([0-9]{1,2})(?:(?:T|\s+|\s*[,|]\s*)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?:[.,][0-9]+)?\s*(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?",
    )
    .expect("static regex")
});

/// `13/9/2023`, `13.09.2023`, `13-09-2023`, `13/09/23`.
static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{1,2})([./-])([0-9]{1,2})[./-]([0-9]{4}|[0-9]{2})").expect("static regex")
});

/// `13 September 2023`, `13. März 2023`, `1er mars 2023`, `13 de septiembre de 2023`,
/// `13-Sep-2023`, `Wed, 13 Sep 2023`.
static D_MON_Y: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)([0-9]{{1,2}})(?:\.|er|st|nd|rd|th|º)?(?:\s+de|\s+di)?[\s\-/]*({})\.?(?:\s+de|\s+del)?[\s,\-/]*([0-9]{{4}})",
        month_alternation()
    ))
    .expect("static regex")
});

/// `September 13, 2023`, `Sept. 13, 2023`, `Sep 13 2023`, `September 13th, 2023`.
static MON_D_Y: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)({})\.?\s+([0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+([0-9]{{4}})",
        month_alternation()
    ))
    .expect("static regex")
});

/// A time written right after a date: `14:05 WIB`, `, 2:05 p.m. ET`, `| 14.05`,
/// `um 14:05 Uhr`, `à 14h05`, `pukul 14:05`, `14:05:00 +0000`.
static TIME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[\s,|\-–—·•/(]*(?:(?:at|um|à|a las|alle|pukul|jam|kl\.?|om|às|-)\s*)?([0-9]{1,2})(?::|\.|h)([0-9]{2})(?::([0-9]{2}))?(?:[.,][0-9]+)?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?\s*(?:uhr\s*)?(?:\(?\s*(wita|wib|wit|gmt|utc|z|edt|est|et|cest|cet|mesz|mez|bst|pdt|pst|pt|cdt|cst|ct)(?-u:\b))?\s*([+-][0-9]{1,2}(?::?[0-9]{2})?)?",
    )
    .expect("static regex")
});

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

/// True when `s[at..]` does not start with an ASCII digit.
fn no_digit_at(s: &str, at: usize) -> bool {
    !s.as_bytes().get(at).is_some_and(u8::is_ascii_digit)
}

/// True when the character before `at` is not a letter or digit.
fn clean_before(s: &str, at: usize) -> bool {
    s[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Every date written in `s`, with the byte offset where it starts, in order.
pub(super) fn dates_in(s: &str) -> Vec<(usize, Stamp)> {
    let mut out: Vec<(usize, Stamp, usize)> = Vec::new();
    // Every form has at least four digits (`1.9.23`).
    if s.bytes().filter(u8::is_ascii_digit).nth(3).is_none() {
        return Vec::new();
    }
    for c in YMD.captures_iter(s) {
        let m = c.get(0).expect("match");
        let day_end = c.get(4).expect("day").end();
        if !clean_before(s, m.start()) || !no_digit_at(s, day_end) {
            continue;
        }
        if let Some(mut st) = Stamp::new(num(&c[1]), num(&c[3]), num(&c[4])) {
            if let Some(h) = c.get(5) {
                let sec = c.get(7).map_or(0, |x| num(x.as_str()));
                st.set_time(num(h.as_str()), num(&c[6]), sec, None);
                if let Some(z) = c.get(8) {
                    st.off = parse_offset(z.as_str());
                }
                if st.off.is_none() {
                    // A zone name may follow the ISO time.
                    if let Some(t) = TIME_TAIL_ZONE.captures(&s[m.end()..]) {
                        st.off = zone_offset(&t[1], &st);
                    }
                }
            } else {
                time_after(s, m.end(), &mut st);
            }
            out.push((m.start(), st, m.end()));
        }
    }
    for c in DMY.captures_iter(s) {
        let m = c.get(0).expect("match");
        if !clean_before(s, m.start()) || !no_digit_at(s, m.end()) {
            continue;
        }
        // `1.2.3.2023`-like runs and version numbers: the separator must not repeat after.
        if s[m.end()..].starts_with(['.', '/']) && !no_digit_at(s, m.end() + 1) {
            continue;
        }
        let (a, b) = (num(&c[1]), num(&c[3]));
        let yr = c[4].to_string();
        let y = if yr.len() == 2 {
            // Two-digit years only with dots or slashes (`13.09.23`).
            let y2 = num(&yr);
            if y2 + 2000 <= *super::MAX_YEAR {
                y2 + 2000
            } else {
                y2 + 1900
            }
        } else {
            num(&yr)
        };
        let st = Stamp::new(y, b, a).or_else(|| Stamp::new(y, a, b));
        if let Some(mut st) = st {
            time_after(s, m.end(), &mut st);
            out.push((m.start(), st, m.end()));
        }
    }
    for c in D_MON_Y.captures_iter(s) {
        let m = c.get(0).expect("match");
        if !clean_before(s, m.start()) || !no_digit_at(s, m.end()) {
            continue;
        }
        let Some(mo) = month_of(&c[2]) else { continue };
        // The month word must end there (`mar` in `maret` is matched as `maret`).
        let mon_end = c.get(2).expect("month").end();
        if s[mon_end..].chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        if let Some(mut st) = Stamp::new(num(&c[3]), u32::from(mo), num(&c[1])) {
            time_after(s, m.end(), &mut st);
            out.push((m.start(), st, m.end()));
        }
    }
    for c in MON_D_Y.captures_iter(s) {
        let m = c.get(0).expect("match");
        if !clean_before(s, m.start()) || !no_digit_at(s, m.end()) {
            continue;
        }
        let Some(mo) = month_of(&c[1]) else { continue };
        let mon_end = c.get(1).expect("month").end();
        if s[mon_end..].chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        if let Some(mut st) = Stamp::new(num(&c[3]), u32::from(mo), num(&c[2])) {
            time_after(s, m.end(), &mut st);
            out.push((m.start(), st, m.end()));
        }
    }
    out.sort_by_key(|&(start, _, end)| (start, std::cmp::Reverse(end)));
    // Drop matches that start inside an earlier one (`13/09/2023` also holds `09/2023…`).
    let mut kept: Vec<(usize, Stamp)> = Vec::with_capacity(out.len());
    let mut covered = 0;
    for (start, st, end) in out {
        if start < covered && !kept.is_empty() {
            continue;
        }
        covered = end;
        kept.push((start, st));
    }
    kept
}

static TIME_TAIL_ZONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\(?(wita|wib|wit|gmt|utc|edt|est|et|cest|cet|mesz|mez|bst|pdt|pst|pt|cdt|cst|ct)(?-u:\b)")
        .expect("static regex")
});

/// Reads a time written right after a date ending at `end`.
fn time_after(s: &str, end: usize, st: &mut Stamp) {
    let rest = &s[end..];
    let rest = match rest.char_indices().nth(48) {
        Some((i, _)) => &rest[..i],
        None => rest,
    };
    let Some(c) = TIME_AFTER.captures(rest) else {
        return;
    };
    let mut h = num(&c[1]);
    let mi = num(&c[2]);
    let sec = c.get(3).map_or(0, |x| num(x.as_str()));
    if let Some(ap) = c.get(4) {
        let pm = ap.as_str().to_ascii_lowercase().starts_with('p');
        if h == 0 || h > 12 {
            return;
        }
        h = match (pm, h) {
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, 12) => 0,
            (false, h) => h,
        };
    }
    // A bare number pair with a dot (`13.09.2023 14.05`) is only a time when a zone,
    // a clock word or am/pm says so, or when it is written with a colon.
    let sep_colon = rest[c.get(1).expect("hour").end()..].starts_with([':', 'h']);
    let zone = c.get(5).map(|z| z.as_str().to_string());
    let off = c.get(6).map(|z| z.as_str().to_string());
    if !sep_colon && zone.is_none() && c.get(4).is_none() && !c[0].to_lowercase().contains("uhr") {
        return;
    }
    st.set_time(h, mi, sec, None);
    if st.time.is_none() {
        return;
    }
    st.off = match (zone.as_deref(), off.as_deref()) {
        (Some(z), Some(o)) if z.eq_ignore_ascii_case("gmt") || z.eq_ignore_ascii_case("utc") => {
            parse_offset(o)
        }
        (Some(z), _) => zone_offset(z, st),
        (None, Some(o)) if o.len() >= 5 => parse_offset(o),
        _ => None,
    };
}

/// `+07:00`, `+0700`, `-05`, `Z` → minutes east of UTC.
pub(super) fn parse_offset(z: &str) -> Option<i16> {
    let z = z.trim();
    if z.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let (sign, rest) = match z.as_bytes().first()? {
        b'+' => (1i16, &z[1..]),
        b'-' => (-1i16, &z[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i16>().ok()?, 0),
        3 => (
            digits[..1].parse::<i16>().ok()?,
            digits[1..].parse::<i16>().ok()?,
        ),
        4 => (
            digits[..2].parse::<i16>().ok()?,
            digits[2..].parse::<i16>().ok()?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// The offset of a named zone on the stamp's day (US zones follow daylight saving).
fn zone_offset(z: &str, st: &Stamp) -> Option<i16> {
    let us_dst = || {
        // Second Sunday of March to first Sunday of November.
        let y = i64::from(st.y);
        let first_sun = |m: u32| {
            let wd = super::weekday(y, m, 1); // 0 = Sunday
            1 + (7 - wd) % 7
        };
        let start = (3u32, first_sun(3) + 7);
        let end = (11u32, first_sun(11));
        let md = (u32::from(st.m), u32::from(st.d));
        md >= start && md < end
    };
    let us = |std: i16| if us_dst() { std + 60 } else { std };
    Some(match z.to_ascii_lowercase().as_str() {
        "wib" => 420,
        "wita" => 480,
        "wit" => 540,
        "gmt" | "utc" | "z" => 0,
        "et" => us(-300),
        "est" => -300,
        "edt" => -240,
        "ct" => us(-360),
        "cst" => -360,
        "cdt" => -300,
        "pt" => us(-480),
        "pst" => -480,
        "pdt" => -420,
        "cet" | "mez" => 60,
        "cest" | "mesz" => 120,
        "bst" => 60,
        _ => return None,
    })
}
