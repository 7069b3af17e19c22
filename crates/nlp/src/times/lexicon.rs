//! The words the time finder knows, Indonesian and English, by their lower-case form.

/// Day of the week, 0 = Monday … 6 = Sunday.
pub(crate) fn weekday(key: &str) -> Option<u8> {
    Some(match key {
        "senin" | "monday" => 0,
        "selasa" | "tuesday" => 1,
        "rabu" | "wednesday" => 2,
        "kamis" | "thursday" => 3,
        "jumat" | "jum'at" | "jumaat" | "friday" => 4,
        "sabtu" | "saturday" => 5,
        "minggu" | "ahad" | "sunday" => 6,
        _ => return None,
    })
}

/// Month 1..=12 and whether the word is the full name (an abbreviation such as
/// `Sept` only counts next to a day or a year).
pub(crate) fn month(key: &str) -> Option<(u8, bool)> {
    Some(match key {
        "januari" | "january" => (1, true),
        "jan" => (1, false),
        "februari" | "pebruari" | "february" => (2, true),
        "feb" | "peb" => (2, false),
        "maret" | "march" => (3, true),
        "mar" => (3, false),
        "april" => (4, true),
        "apr" => (4, false),
        "mei" | "may" => (5, true),
        "juni" | "june" => (6, true),
        "jun" => (6, false),
        "juli" | "july" => (7, true),
        "jul" => (7, false),
        "agustus" | "august" => (8, true),
        "agu" | "agt" | "ags" | "agus" | "aug" => (8, false),
        "september" => (9, true),
        "sep" | "sept" => (9, false),
        "oktober" | "october" => (10, true),
        "okt" | "oct" => (10, false),
        "november" | "nopember" => (11, true),
        "nov" | "nop" => (11, false),
        "desember" | "december" => (12, true),
        "des" | "dec" => (12, false),
        _ => return None,
    })
}

/// A unit of time that can be counted (`dua hari`, `three weeks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// The unit a word names.
pub(crate) fn unit(key: &str) -> Option<Unit> {
    Some(match key {
        "detik" | "second" | "seconds" => Unit::Second,
        "menit" | "minute" | "minutes" => Unit::Minute,
        "jam" | "hour" | "hours" => Unit::Hour,
        "hari" | "day" | "days" => Unit::Day,
        "minggu" | "pekan" | "week" | "weeks" => Unit::Week,
        "bulan" | "month" | "months" => Unit::Month,
        "tahun" | "year" | "years" => Unit::Year,
        _ => return None,
    })
}

/// A word that is a small count (`dua`, `three`).
pub(crate) fn number_word(key: &str) -> Option<u32> {
    Some(match key {
        "satu" | "one" => 1,
        "dua" | "two" => 2,
        "tiga" | "three" => 3,
        "empat" | "four" => 4,
        "lima" | "five" => 5,
        "enam" | "six" => 6,
        "tujuh" | "seven" => 7,
        "delapan" | "eight" => 8,
        "sembilan" | "nine" => 9,
        "sepuluh" | "ten" => 10,
        "sebelas" | "eleven" => 11,
        "twelve" => 12,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        _ => return None,
    })
}

/// Indonesian one-of-a-unit words: `sehari`, `sepekan`, `setahun` ….
pub(crate) fn one_unit_word(key: &str) -> Option<Unit> {
    Some(match key {
        "sehari" => Unit::Day,
        "seminggu" | "sepekan" => Unit::Week,
        "sebulan" => Unit::Month,
        "setahun" => Unit::Year,
        "sejam" => Unit::Hour,
        _ => return None,
    })
}

/// Which way a relative word points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pointer {
    /// `ini`, `this`.
    This,
    /// `lalu`, `kemarin`, `last`.
    Last,
    /// `depan`, `mendatang`, `next`.
    Next,
}

/// A word after a unit or day name (`pekan ini`, `Selasa lalu`, `bulan depan`).
pub(crate) fn pointer_after(key: &str) -> Option<Pointer> {
    Some(match key {
        "ini" => Pointer::This,
        "lalu" | "kemarin" | "silam" => Pointer::Last,
        "depan" | "mendatang" => Pointer::Next,
        _ => return None,
    })
}

/// An English word before a unit or day name (`this week`, `last Tuesday`).
pub(crate) fn pointer_before(key: &str) -> Option<Pointer> {
    Some(match key {
        "this" => Pointer::This,
        "last" => Pointer::Last,
        "next" | "coming" => Pointer::Next,
        _ => return None,
    })
}

/// A part of the day after a day (`Selasa pagi`, `Tuesday night`): how many
/// tokens it takes (`dini hari` takes two).
pub(crate) fn daypart(key: &str, next: &str) -> Option<usize> {
    match key {
        "pagi" | "siang" | "sore" | "petang" | "malam" | "morning" | "afternoon" | "evening"
        | "night" => Some(1),
        "dini" if next == "hari" => Some(2),
        _ => None,
    }
}

/// Words that put the clause in the future.
pub(crate) fn future_marker(key: &str) -> bool {
    matches!(
        key,
        "akan"
            | "bakal"
            | "hendak"
            | "besok"
            | "dijadwalkan"
            | "diperkirakan"
            | "diprediksi"
            | "ditargetkan"
            | "diharapkan"
            | "direncanakan"
            | "rencananya"
            | "berencana"
            | "nanti"
            | "will"
            | "shall"
            | "scheduled"
            | "due"
            | "plans"
            | "expected"
    ) || key.ends_with("'ll")
}

/// Words that put the clause in the past.
pub(crate) fn past_marker(key: &str) -> bool {
    matches!(
        key,
        "telah"
            | "sudah"
            | "sempat"
            | "pernah"
            | "tadi"
            | "sejak"
            | "was"
            | "were"
            | "had"
            | "did"
            | "said"
            | "told"
            | "announced"
            | "ago"
            | "since"
            | "earlier"
    )
}

/// Words before a bare year or month that make it a time (`pada 2019`, `in May`).
pub(crate) fn time_cue(key: &str) -> bool {
    matches!(
        key,
        "tahun"
            | "pada"
            | "sejak"
            | "hingga"
            | "sampai"
            | "dari"
            | "jelang"
            | "menjelang"
            | "selama"
            | "sepanjang"
            | "awal"
            | "akhir"
            | "pertengahan"
            | "medio"
            | "bulan"
            | "sebelum"
            | "setelah"
            | "sesudah"
            | "periode"
            | "in"
            | "since"
            | "until"
            | "till"
            | "by"
            | "during"
            | "early"
            | "late"
            | "mid"
            | "from"
            | "through"
            | "before"
            | "after"
            | "of"
    )
}

/// `awal`, `akhir`, `early` …: part of a period, kept in the span.
pub(crate) fn period_part(key: &str) -> bool {
    matches!(
        key,
        "awal" | "akhir" | "pertengahan" | "medio" | "early" | "late" | "mid" | "earlier" | "later"
    )
}

/// Offset of a time zone abbreviation: WIB, WITA, WIT, and GMT/UTC.
pub(crate) fn zone(key: &str) -> Option<&'static str> {
    Some(match key {
        "wib" => "+07:00",
        "wita" => "+08:00",
        "wit" => "+09:00",
        "gmt" | "utc" => "Z",
        _ => return None,
    })
}
