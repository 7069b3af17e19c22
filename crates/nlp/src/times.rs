//! Time expressions: when things happened, resolved to ISO 8601 values.
//!
//! [`find_times`] finds dates, days, weeks, months, years, clock times, intervals
//! and durations in Indonesian and English news text and resolves the relative
//! ones against the article's publication date. It is pure and fast: a
//! hand-written scanner (no regular expressions) walks the text once, and each
//! pattern looks at a few tokens around a word the lexicon knows.
//!
//! # Spans
//!
//! `start`/`end` are character offsets (Unicode scalar values), end exclusive.
//! A span covers the expression's own words: the day name and a date written
//! after it with its brackets (`Rabu (13/9/2023)`), a part of the day after a day
//! (`Selasa pagi`, `Senin (11/9) malam`), `pukul`/`jam` before a clock time and
//! the zone after it (`pukul 14.05 WIB`), the words that point it (`pekan ini`,
//! `last Tuesday`, `dua tahun lalu`, `two days ago`, `tahun 2022 lalu`) and
//! words for a part of a period (`awal Oktober`, `akhir tahun ini`,
//! `early 2020`). Prepositions and signals are left out (`pada`, `sejak`, `on`,
//! `in`, `at`, `since`). A day next to a clock time is one expression
//! (`Selasa pagi pukul 08.00 WIB` → `2023-09-12T08:00+07:00`).
//!
//! # Values and kinds
//!
//! | kind | value | examples |
//! |---|---|---|
//! | `date` | `2023-09-12` | `Selasa pagi`, `kemarin`, `13 Sept 2023`, `two days ago` |
//! | `time` | `2023-09-12T14:05+07:00` | `pukul 14.05 WIB` (WIB +07, WITA +08, WIT +09, GMT/UTC `Z`; no zone, no offset) |
//! | `week` | `2023-W37` (ISO week) | `pekan ini`, `last week`, `tiga minggu lalu` |
//! | `month` | `2023-09` | `September 2023`, `bulan lalu`, `awal Oktober` |
//! | `year` | `2019`, or `199` for a decade | `tahun 2019`, `in 2019`, `tahun lalu`, `1990-an` |
//! | `interval` | `2023-09-16/2023-09-17` | `akhir pekan ini`, `11-17 September`, `2019-2022`, `pukul 09.00-12.00 WIB` |
//! | `duration` | `P2W`, `P3D`, `PT5H` | `dua pekan`, `three days`, `5 jam` |
//!
//! # Resolution rules
//!
//! - **Day names without a date** mean the nearest such day on or before
//!   publication — a day named like the publication day is that day (news names
//!   the day of its own events: `Rabu` in a Wednesday article is today). When the
//!   clause is in the future, the nearest such day on or after. The tense is the
//!   nearest marker before the expression in the same clause (the sentence up to
//!   a comma, though a comma just before the day does not count: `… akan tiba di
//!   Jakarta, Senin`) (`akan`, `bakal`,
//!   `besok`, `dijadwalkan`, `diperkirakan`, `will`, `scheduled`, `due` … against
//!   `telah`, `sudah`, `sempat`, `sejak`, `was`, `said`, `ago` …), else the
//!   nearest within ten tokens after. `lalu`/`last` after or before the day mean
//!   strictly before, `depan`/`mendatang`/`next` strictly after, `ini`/`this` the
//!   day of the publication's ISO week; `Rabu pekan depan`/`Tuesday next week`
//!   the day of that week.
//! - **Dates without a year** (`13 September`, `(13/9)`) take the year that puts
//!   them nearest to publication (`25 Desember` in a January article is last
//!   December), unless a tense marker before them points the other way and that
//!   date is over 31 days away (`akan digelar 1 Agustus` in a September article
//!   is next August). **Months without a year** likewise: the publication year
//!   unless the month is more than six months ahead (then last year) or behind
//!   (then next year); a tense marker before it moves it a year if it points the
//!   other way by two months or more. `Agustus lalu` is the last August before
//!   the publication month, `Maret mendatang` the next March after it.
//! - `pekan ini`/`minggu ini`/`this week` is the ISO week of publication,
//!   `pekan lalu` the week before, `pekan depan` the week after; `N minggu lalu`
//!   the ISO week N weeks back. `akhir pekan` is the Saturday–Sunday interval of
//!   that week (bare `akhir pekan`: the coming one in a future clause or when
//!   published on a weekend, else the last one).
//! - `sejak tahun 2022` and `since 2022` give the **year** `2022` (kind `year`),
//!   not an open interval: the signal word is not part of the span.
//! - `kemarin`/`yesterday`/`tadi malam`/`last night` are the day before
//!   publication, `besok`/`tomorrow` the day after, `lusa` two days after.
//! - A clock time takes the day written next to it, else the last day resolved
//!   earlier in the same sentence, else the publication date.
//! - A bracketed day and month (`(13/9)`) is a date after a day name, a comma
//!   or a capitalised word within the sentence (`di Jakarta (13/9)`), not
//!   elsewhere (`Setengah (1/2) porsi`).
//! - Bare numbers are never times: a year needs a cue (`tahun`, `pada`, `sejak`,
//!   `in`, `since`, `by`, `awal`, a month …) and no count noun after it
//!   (`hingga 2000 orang`), a clock time needs `pukul`/`jam`/
//!   `at`, a zone or `a.m./p.m.` (`14.05 persen` is not a time), `1.000` and
//!   `0812-3456` are numbers, `Minggu` is Sunday only when capitalised and not
//!   followed by `ini`/`lalu`/`depan` (then it is the week), and a bare month name
//!   needs a capital and a cue or a year (`Mei` the name is left alone).
//!
//! # Without a publication date
//!
//! Expressions that need it (relative days, weeks, months and years, day names
//! and dates without a year) are **skipped**. Absolute ones are still reported
//! (`13 September 2023`, `tahun 2019`, durations), and a clock time with no day
//! is reported as a bare ISO time of day (`T14:05+07:00`).

mod calendar;
pub mod eval;
mod find;
mod lexicon;
mod scan;

pub use calendar::{Date, DateParseError};

use warta_core::TimeExpression;

/// Finds time expressions in `text` and resolves them against `published` (the
/// article's publication date, when known; relative expressions without it are
/// skipped, see the [module documentation](self)).
///
/// `language` is the article's language code (`id`, `en`, …); both the Indonesian
/// and English patterns are always tried, because news in either language quotes
/// the other, so it currently changes nothing. Expressions come in text order and
/// do not overlap.
pub fn find_times(text: &str, published: Option<Date>, language: &str) -> Vec<TimeExpression> {
    let _ = language;
    find::find(text, published)
}
