//! The finder: walks the tokens left to right, tries the patterns that can start
//! at each one, and resolves what it finds against the publication date.

use warta_core::TimeExpression;

use super::calendar::{Date, add_months};
use super::lexicon::{
    Pointer, Unit, daypart, future_marker, month, number_word, one_unit_word, past_marker,
    period_part, pointer_after, pointer_before, time_cue, unit, weekday, zone,
};
use super::scan::{Shape, Suffix, Token, tokens};

/// Which way the clause around an expression points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    Past,
    Future,
    Unknown,
}

/// What an expression resolves to, before it is written as ISO 8601.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Date(Date),
    Week(i32, u8),
    Month(i32, u8),
    Year(i32),
    /// The decade as its first three digits (`199` for the 1990s).
    Decade(i32),
    Interval(String),
    Duration(String),
    Time {
        date: Option<Date>,
        clock: Clock,
    },
    TimeRange {
        date: Option<Date>,
        from: Clock,
        to: Clock,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Clock {
    hour: u8,
    minute: u8,
    zone: Option<&'static str>,
}

impl Clock {
    fn write(&self, date: Option<Date>) -> String {
        let day = date.map(|d| d.to_string()).unwrap_or_default();
        format!(
            "{day}T{:02}:{:02}{}",
            self.hour,
            self.minute,
            self.zone.unwrap_or("")
        )
    }
}

impl Value {
    fn iso(&self) -> (String, &'static str) {
        match self {
            Value::Date(d) => (d.to_string(), "date"),
            Value::Week(y, w) => (format!("{y:04}-W{w:02}"), "week"),
            Value::Month(y, m) => (format!("{y:04}-{m:02}"), "month"),
            Value::Year(y) => (format!("{y:04}"), "year"),
            Value::Decade(d) => (format!("{d:03}"), "year"),
            Value::Interval(s) => (s.clone(), "interval"),
            Value::Duration(s) => (s.clone(), "duration"),
            Value::Time { date, clock } => (clock.write(*date), "time"),
            Value::TimeRange { date, from, to } => (
                format!("{}/{}", from.write(*date), to.write(*date)),
                "interval",
            ),
        }
    }
}

/// One expression found: tokens `[first, end)`.
#[derive(Debug, Clone)]
struct Found {
    first: usize,
    end: usize,
    value: Value,
}

/// Finds and resolves time expressions; see [`super::find_times`].
pub(crate) fn find(text: &str, published: Option<Date>) -> Vec<TimeExpression> {
    let f = Finder {
        t: tokens(text),
        published,
    };
    let mut out = Vec::new();
    let mut last_day: Option<(Date, u32)> = None;
    let mut i = 0;
    while i < f.t.len() {
        let Some(mut found) = f.match_at(i) else {
            i += 1;
            continue;
        };
        // A clock time next to a day becomes one expression (`Selasa pagi pukul 08.00 WIB`).
        let next = f.skip_joiners(found.end);
        if let Some(more) = f.match_at(next) {
            if let Some(value) = join(&found.value, &more.value) {
                found = Found {
                    first: found.first,
                    end: more.end,
                    value,
                };
            }
        }
        let sentence = f.t[found.first].sentence;
        match &mut found.value {
            Value::Date(d)
            | Value::Time { date: Some(d), .. }
            | Value::TimeRange { date: Some(d), .. } => last_day = Some((*d, sentence)),
            Value::Time { date, .. } | Value::TimeRange { date, .. } if date.is_none() => {
                *date = match last_day {
                    Some((d, s)) if s == sentence => Some(d),
                    _ => published,
                };
            }
            _ => {}
        }
        let first = &f.t[found.first];
        let last = &f.t[found.end - 1];
        let (value, kind) = found.value.iso();
        out.push(TimeExpression {
            text: text[first.byte_start..last.byte_end].to_string(),
            value,
            start: first.start,
            end: last.end,
            kind: kind.to_string(),
        });
        i = found.end;
    }
    out
}

/// A day and a clock time side by side, as one value.
fn join(a: &Value, b: &Value) -> Option<Value> {
    match (a, b) {
        (Value::Date(d), Value::Time { date: None, clock })
        | (Value::Time { date: None, clock }, Value::Date(d)) => Some(Value::Time {
            date: Some(*d),
            clock: *clock,
        }),
        (
            Value::Date(d),
            Value::TimeRange {
                date: None,
                from,
                to,
            },
        )
        | (
            Value::TimeRange {
                date: None,
                from,
                to,
            },
            Value::Date(d),
        ) => Some(Value::TimeRange {
            date: Some(*d),
            from: *from,
            to: *to,
        }),
        _ => None,
    }
}

struct Finder {
    t: Vec<Token>,
    published: Option<Date>,
}

impl Finder {
    fn key(&self, i: usize) -> &str {
        match self.t.get(i) {
            Some(t) if t.shape == Shape::Word => t.key(),
            _ => "",
        }
    }

    fn is(&self, i: usize, c: char) -> bool {
        self.t.get(i).and_then(Token::punct) == Some(c)
    }

    fn capital(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.capital)
    }

    /// Token `i` follows token `i - 1` without a space.
    fn glued(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.spaced)
    }

    /// A number of one group of at most `max_digits` digits.
    fn small_number(&self, i: usize, max_digits: u8) -> Option<u32> {
        let t = self.t.get(i)?;
        if t.shape != Shape::Number {
            return None;
        }
        let (v, n) = t.digits.single()?;
        (n <= max_digits).then_some(v)
    }

    /// A year written with four digits, 1000..=2999, not part of a longer number.
    fn year_at(&self, i: usize) -> Option<i32> {
        let t = self.t.get(i)?;
        if t.shape != Shape::Number || t.digits.suffix != Suffix::None {
            return None;
        }
        let (v, n) = t.digits.single()?;
        ((1000..=2999).contains(&v) && n == 4).then_some(v as i32)
    }

    /// Skips `,`, `pada`, `sekitar`, `at`, `around`, `on` between a day and a clock time.
    fn skip_joiners(&self, mut i: usize) -> usize {
        for _ in 0..2 {
            if self.is(i, ',') || matches!(self.key(i), "pada" | "sekitar" | "at" | "around" | "on")
            {
                i += 1;
            }
        }
        i
    }

    /// The tense of the clause before token `i`: the nearest marker before it in
    /// the same sentence.
    fn tense_before(&self, i: usize) -> Tense {
        let s = self.t[i].sentence;
        for k in (i.saturating_sub(20)..i).rev() {
            // A comma ends the clause, except one just before the expression
            // (`… akan tiba di Jakarta, Senin`).
            if self.t[k].sentence != s || self.is(k, ',') && k + 1 < i {
                break;
            }
            let key = self.key(k);
            if future_marker(key) {
                return Tense::Future;
            }
            if past_marker(key) {
                return Tense::Past;
            }
        }
        Tense::Unknown
    }

    /// The tense of the clause around token `i`: the nearest marker before it in
    /// the same sentence, else the nearest after it.
    fn tense(&self, i: usize) -> Tense {
        let s = self.t[i].sentence;
        let before = self.tense_before(i);
        if before != Tense::Unknown {
            return before;
        }
        for k in i + 1..(i + 10).min(self.t.len()) {
            if self.t[k].sentence != s {
                break;
            }
            let key = self.key(k);
            if future_marker(key) {
                return Tense::Future;
            }
            if past_marker(key) {
                return Tense::Past;
            }
        }
        Tense::Unknown
    }

    /// A part of the day at `i`: how many tokens it takes (0 if none).
    fn daypart_len(&self, i: usize) -> usize {
        daypart(self.key(i), self.key(i + 1)).unwrap_or(0)
    }

    fn match_at(&self, i: usize) -> Option<Found> {
        let t = self.t.get(i)?;
        match t.shape {
            Shape::Number => self.numeric(i),
            Shape::Word => self.word(i),
            _ => None,
        }
    }

    fn word(&self, i: usize) -> Option<Found> {
        let key = self.key(i);
        if key.is_empty() {
            return None;
        }
        if let Some(f) = self.relative_day(i) {
            return Some(f);
        }
        if unit(key).is_some() {
            if let Some(f) = self.unit_word(i) {
                return Some(f);
            }
        }
        if weekday(key).is_some() {
            return self.weekday(i, None, i);
        }
        if month(key).is_some() {
            return self.month_name(i, i);
        }
        if let Some(rest) = key.strip_prefix("mid-") {
            if let Some((m, true)) = month(rest) {
                return self.month_value(i, i + 1, m, true, None);
            }
        }
        if key == "weekend" && i > 0 && self.key(i - 1) == "the" {
            return self.weekend(i, i + 1, None);
        }
        if period_part(key) {
            return self.period_part(i);
        }
        if let Some(p) = pointer_before(key) {
            return self.english_pointer(i, p);
        }
        if matches!(key, "pukul" | "pkl" | "jam") {
            return self.clock(i + 1, i, true);
        }
        if number_word(key).is_some() || one_unit_word(key).is_some() || matches!(key, "a" | "an") {
            return self.count(i);
        }
        None
    }

    /// `kemarin`, `besok`, `lusa`, `hari ini`, `yesterday`, `tonight` ….
    fn relative_day(&self, i: usize) -> Option<Found> {
        let key = self.key(i);
        let next = self.key(i + 1);
        let (offset, len) = match (key, next) {
            ("kemarin", "lusa") => (-2, 2),
            ("besok", "lusa") => (2, 2),
            ("kemarin", _) | ("yesterday", _) => (-1, 1),
            ("besok", _) | ("tomorrow", _) => (1, 1),
            ("lusa", _) => (2, 1),
            ("hari" | "pagi" | "siang" | "sore" | "malam", "ini") => (0, 2),
            ("tadi", "malam") => (-1, 2),
            ("tadi", "pagi" | "siang" | "sore") => (0, 2),
            ("today" | "tonight", _) => (0, 1),
            _ => return None,
        };
        // `kemarin` after a unit or day belongs to it (`pekan kemarin`); handled there.
        let date = self.published?.add_days(offset)?;
        let mut end = i + len;
        if len == 1 && matches!(key, "kemarin" | "besok" | "yesterday" | "tomorrow") {
            end += self.daypart_len(end);
        }
        Some(Found {
            first: i,
            end,
            value: Value::Date(date),
        })
    }

    /// `pekan ini`, `minggu lalu`, `bulan depan`, `tahun 2019`, `hari Senin`, `bulan Mei` ….
    fn unit_word(&self, i: usize) -> Option<Found> {
        let key = self.key(i);
        let u = unit(key)?;
        if key == "hari" {
            if weekday(self.key(i + 1)).is_some() {
                return self.weekday(i + 1, None, i);
            }
            return None;
        }
        if key == "bulan" && month(self.key(i + 1)).is_some() {
            return self.month_name(i + 1, i);
        }
        if key == "tahun" {
            if let Some(f) = self.year_number(i + 1, i) {
                return Some(f);
            }
        }
        if matches!(key, "pekan" | "minggu" | "bulan" | "tahun") {
            let (p, len) = match (self.key(i + 1), self.key(i + 2)) {
                ("yang", "lalu") => (Pointer::Last, 3),
                (k, _) => (pointer_after(k)?, 2),
            };
            if key == "minggu" && self.is(i + 1, '(') {
                return None;
            }
            return Some(Found {
                first: i,
                end: i + len,
                value: self.shift(u, p)?,
            });
        }
        None
    }

    /// This, last or next week, month or year relative to publication.
    fn shift(&self, u: Unit, p: Pointer) -> Option<Value> {
        let pubd = self.published?;
        let n: i32 = match p {
            Pointer::This => 0,
            Pointer::Last => -1,
            Pointer::Next => 1,
        };
        Some(match u {
            Unit::Week => {
                let (y, w) = pubd.add_days(7 * i64::from(n))?.iso_week();
                Value::Week(y, w)
            }
            Unit::Month => {
                let (y, m) = add_months(pubd.year(), pubd.month(), n);
                Value::Month(y, m)
            }
            Unit::Year => Value::Year(pubd.year() + n),
            _ => return None,
        })
    }

    /// A year number at `i` (after `tahun` or a cue), with `-an`/`s` decades and
    /// `2019-2022` ranges; the span starts at `first`.
    fn year_number(&self, i: usize, first: usize) -> Option<Found> {
        let t = self.t.get(i)?;
        if t.shape != Shape::Number {
            return None;
        }
        let d = t.digits;
        let mut end = i + 1;
        let value = match d.len {
            1 => {
                let (v, n) = d.groups[0];
                if n != 4 || !(1000..=2999).contains(&v) {
                    return None;
                }
                let v = v as i32;
                if d.suffix == Suffix::Decade && v % 10 == 0 {
                    Value::Decade(v / 10)
                } else if d.suffix != Suffix::None {
                    return None;
                } else if self.is(end, '-') && self.glued(end) && self.key(end + 1) == "an" {
                    end += 2;
                    if v % 10 != 0 {
                        return None;
                    }
                    Value::Decade(v / 10)
                } else {
                    Value::Year(v)
                }
            }
            2 if matches!(d.seps[0], '-' | '–' | '/') => {
                let (a, na) = d.groups[0];
                let (b, nb) = d.groups[1];
                if na != 4 || nb != 4 || !(1000..=2999).contains(&a) || b <= a || b > 2999 {
                    return None;
                }
                Value::Interval(format!("{a}/{b}"))
            }
            _ => return None,
        };
        // `tahun 2022 lalu`: the word only stresses the past.
        if self.key(end) == "lalu" || self.key(end) == "silam" {
            end += 1;
        }
        Some(Found { first, end, value })
    }

    /// A day name at `i`, with an optional date after it; `pointer` from an
    /// English word before it; the span starts at `first`.
    fn weekday(&self, i: usize, pointer: Option<Pointer>, first: usize) -> Option<Found> {
        let key = self.key(i);
        let wd = weekday(key)?;
        if key == "minggu" {
            // `minggu lalu` is last week; lower-case `minggu` is the week.
            if !self.capital(i) || pointer_after(self.key(i + 1)).is_some() {
                return None;
            }
            // `Pasar Minggu`, `Kampung Minggu`: part of a name.
            if first == i
                && i > 0
                && self.capital(i - 1)
                && self.t[i - 1].shape == Shape::Word
                && self.t[i - 1].sentence == self.t[i].sentence
                && !matches!(self.key(i - 1), "pada" | "hari")
                && !self.is(i + 1, '(')
            {
                return None;
            }
        }
        // A date written after the day: `Rabu (13/9/2023)`, `Kamis, 5 Oktober 2023`.
        let mut j = i + 1;
        let explicit = if self.is(j, '(') {
            self.numeric(j + 1)
                .filter(|f| self.is(f.end, ')') && matches!(f.value, Value::Date(_)))
                .map(|f| (f.value, f.end + 1))
        } else {
            if self.is(j, ',') {
                j += 1;
            }
            self.numeric(j)
                .or_else(|| {
                    if month(self.key(j)).is_some() {
                        self.month_name(j, j)
                    } else {
                        None
                    }
                })
                .filter(|f| matches!(f.value, Value::Date(_)))
                .map(|f| (f.value, f.end))
        };
        if let Some((value, end)) = explicit {
            let mut end = end + self.daypart_len(end);
            if self.key(end) == "lalu" {
                end += 1;
            }
            return Some(Found { first, end, value });
        }
        let pubd = self.published?;
        let mut end = i + 1;
        end += self.daypart_len(end);
        let mut pointer = pointer;
        // `Rabu malam pekan depan`, `Tuesday next week`: that day of that week.
        let week_after = match (self.key(end), self.key(end + 1)) {
            ("pekan" | "minggu", k) => pointer_after(k),
            (k, "week") => pointer_before(k),
            _ => None,
        };
        if let Some(p) = week_after.filter(|_| pointer.is_none()) {
            let weeks = match p {
                Pointer::This => 0,
                Pointer::Last => -1,
                Pointer::Next => 1,
            };
            let date = pubd.week_start()?.add_days(i64::from(wd) + 7 * weeks)?;
            return Some(Found {
                first,
                end: end + 2,
                value: Value::Date(date),
            });
        }
        if pointer.is_none() {
            if let Some(p) = pointer_after(self.key(end)) {
                pointer = Some(p);
                end += 1;
                end += self.daypart_len(end);
            } else if self.key(end) == "nanti" {
                pointer = Some(Pointer::Next);
                end += 1;
            }
        }
        let today = i64::from(pubd.weekday());
        let wd = i64::from(wd);
        let back = (today - wd).rem_euclid(7);
        let ahead = (wd - today).rem_euclid(7);
        let offset = match pointer {
            Some(Pointer::Last) => -(if back == 0 { 7 } else { back }),
            Some(Pointer::Next) => {
                if ahead == 0 {
                    7
                } else {
                    ahead
                }
            }
            Some(Pointer::This) => wd - today,
            None => match self.tense(i) {
                Tense::Future => ahead,
                _ => -back,
            },
        };
        Some(Found {
            first,
            end,
            value: Value::Date(pubd.add_days(offset)?),
        })
    }

    /// A month name at `i`; the span starts at `first`.
    fn month_name(&self, i: usize, first: usize) -> Option<Found> {
        let (m, full) = month(self.key(i))?;
        let mut j = i + 1;
        if !full && self.is(j, '.') && self.glued(j) {
            j += 1;
        }
        // `September 13, 2023`, `Sept. 13`.
        if let Some(day) = self.small_number(j, 2) {
            if self.t[j].digits.suffix == Suffix::None || self.t[j].digits.suffix == Suffix::Ordinal
            {
                let mut end = j + 1;
                let year = if self.is(end, ',') && self.year_at(end + 1).is_some() {
                    end += 2;
                    self.year_at(end - 1)
                } else if let Some(y) = self.year_at(end) {
                    end += 1;
                    Some(y)
                } else {
                    None
                };
                if !(self.is(end, ':')
                    || self.is(end, '.') && self.small_number(end + 1, 2).is_some())
                {
                    if let Some(date) = self.day_month(day, m, year, i) {
                        return Some(Found {
                            first,
                            end,
                            value: Value::Date(date),
                        });
                    }
                }
            }
        }
        // `September 2023`.
        if let Some(y) = self.year_at(j) {
            return Some(Found {
                first,
                end: j + 1,
                value: Value::Month(y, m),
            });
        }
        if !full || !self.capital(i) {
            return None;
        }
        let cued = first < i
            || i > 0 && time_cue(self.key(i - 1))
            || i > 0 && pointer_before(self.key(i - 1)).is_some();
        self.month_value(first, i + 1, m, cued, None)
    }

    /// A month without a year (`Agustus lalu`, `pada Oktober`, `mid-September`,
    /// `last May`): tokens `[first, end)` so far; `cued` when a cue word makes it a
    /// time; `before` the English pointer word that starts the span.
    fn month_value(
        &self,
        first: usize,
        end: usize,
        m: u8,
        cued: bool,
        before: Option<Pointer>,
    ) -> Option<Found> {
        let pubd = self.published?;
        let mut end = end;
        let pointer_word = pointer_after(self.key(end));
        let (y, pm) = (pubd.year(), pubd.month());
        let english_year = match (self.key(end), self.key(end + 1)) {
            (k, "year") => pointer_before(k),
            _ => None,
        };
        let year = if let Some(p) = english_year {
            // `August last year`.
            end += 2;
            y + match p {
                Pointer::This => 0,
                Pointer::Last => -1,
                Pointer::Next => 1,
            }
        } else if matches!(self.key(end), "tahun" | "year") {
            // `Oktober tahun lalu`.
            let p = pointer_after(self.key(end + 1))?;
            end += 2;
            y + match p {
                Pointer::This => 0,
                Pointer::Last => -1,
                Pointer::Next => 1,
            }
        } else if let Some(p) = pointer_word {
            end += 1;
            match p {
                Pointer::This => y,
                Pointer::Last if m < pm => y,
                Pointer::Last => y - 1,
                Pointer::Next if m > pm => y,
                Pointer::Next => y + 1,
            }
        } else if let Some(p) = before {
            match p {
                Pointer::This => y,
                Pointer::Last if m < pm => y,
                Pointer::Last => y - 1,
                Pointer::Next if m > pm => y,
                Pointer::Next => y + 1,
            }
        } else {
            if !cued {
                return None;
            }
            let diff = i32::from(m) - i32::from(pm);
            let nearest = if diff > 6 {
                y - 1
            } else if diff < -6 {
                y + 1
            } else {
                y
            };
            // The tense moves it only when it is two months or more the other way.
            let away = (nearest - y) * 12 + i32::from(m) - i32::from(pm);
            match self.tense_before(first) {
                Tense::Future if away <= -2 => nearest + 1,
                Tense::Past if away >= 2 => nearest - 1,
                _ => nearest,
            }
        };
        Some(Found {
            first,
            end,
            value: Value::Month(year, m),
        })
    }

    /// A day and month without (or with) a year, resolved to the nearest such day
    /// around publication, or the one the tense points to if that is over a month away.
    fn day_month(&self, day: u32, m: u8, year: Option<i32>, at: usize) -> Option<Date> {
        let day = u8::try_from(day).ok()?;
        if let Some(y) = year {
            return Date::new(y, m, day);
        }
        let pubd = self.published?;
        let y = pubd.year();
        let p = pubd.days();
        let mut best: Option<(i64, Date)> = None;
        for cy in [y, y - 1, y + 1] {
            if let Some(d) = Date::new(cy, m, day) {
                let dist = (d.days() - p).abs();
                if best.is_none_or(|(bd, _)| dist < bd) {
                    best = Some((dist, d));
                }
            }
        }
        let (_, nearest) = best?;
        let away = nearest.days() - p;
        let moved = match self.tense_before(at) {
            Tense::Future if away < -31 => Date::new(nearest.year() + 1, m, day),
            Tense::Past if away > 31 => Date::new(nearest.year() - 1, m, day),
            _ => None,
        };
        Some(moved.unwrap_or(nearest))
    }

    /// `awal Oktober`, `akhir tahun ini`, `akhir pekan ini`, `early 2020`.
    fn period_part(&self, i: usize) -> Option<Found> {
        let key = self.key(i);
        let next = self.key(i + 1);
        if (key == "akhir" && matches!(next, "pekan" | "minggu")) || next == "weekend" {
            return self.weekend(i, i + 2, None);
        }
        let inner = if self.year_at(i + 1).is_some() {
            self.year_number(i + 1, i + 1)
        } else {
            self.match_at(i + 1)
        }?;
        match inner.value {
            Value::Month(..) | Value::Year(_) | Value::Week(..) | Value::Decade(_) => {
                Some(Found { first: i, ..inner })
            }
            _ => None,
        }
    }

    /// A weekend: the Saturday and Sunday of a week; tokens `[first, end)` so far.
    fn weekend(&self, first: usize, end: usize, pointer: Option<Pointer>) -> Option<Found> {
        let pubd = self.published?;
        let mut end = end;
        let pointer = match pointer {
            Some(p) => Some(p),
            None => {
                let p = pointer_after(self.key(end));
                if p.is_some() {
                    end += 1;
                }
                p
            }
        };
        let weeks = match pointer {
            Some(Pointer::This) => 0,
            Some(Pointer::Last) => -1,
            Some(Pointer::Next) => 1,
            None => match self.tense(first) {
                Tense::Future => 0,
                _ if pubd.weekday() >= 5 => 0,
                _ => -1,
            },
        };
        let saturday = pubd.week_start()?.add_days(5 + 7 * weeks)?;
        let sunday = saturday.add_days(1)?;
        Some(Found {
            first,
            end,
            value: Value::Interval(format!("{saturday}/{sunday}")),
        })
    }

    /// `this week`, `last Tuesday`, `next month`, `last night`, `this morning` ….
    fn english_pointer(&self, i: usize, p: Pointer) -> Option<Found> {
        let next = self.key(i + 1);
        if weekday(next).is_some() {
            return self.weekday(i + 1, Some(p), i);
        }
        if next == "weekend" {
            return self.weekend(i, i + 2, Some(p));
        }
        if let Some(u @ (Unit::Week | Unit::Month | Unit::Year)) = unit(next) {
            if matches!(next, "week" | "month" | "year") {
                return Some(Found {
                    first: i,
                    end: i + 2,
                    value: self.shift(u, p)?,
                });
            }
        }
        let pubd = self.published?;
        match (p, next) {
            (Pointer::This, "morning" | "afternoon" | "evening") => {
                return Some(Found {
                    first: i,
                    end: i + 2,
                    value: Value::Date(pubd),
                });
            }
            (Pointer::Last, "night") => {
                return Some(Found {
                    first: i,
                    end: i + 2,
                    value: Value::Date(pubd.add_days(-1)?),
                });
            }
            _ => {}
        }
        if let Some((m, true)) = month(next) {
            if self.capital(i + 1) {
                return self.month_value(i, i + 2, m, true, Some(p));
            }
        }
        None
    }

    /// `dua hari lalu`, `three weeks ago`, `setahun lalu`, or a duration `dua pekan`.
    fn count(&self, i: usize) -> Option<Found> {
        let key = self.key(i);
        let (n, u, after) = if let Some(u) = one_unit_word(key) {
            (1, u, i + 1)
        } else {
            let n = if let Some(n) = number_word(key) {
                n
            } else if matches!(key, "a" | "an") {
                1
            } else {
                self.small_number(i, 3)?
            };
            (n, unit(self.key(i + 1))?, i + 2)
        };
        if n == 0 {
            return None;
        }
        let article = matches!(key, "a" | "an");
        let singular = matches!(self.key(after - 1), "day" | "week" | "month" | "year");
        if singular && n != 1 && self.t[i].shape == Shape::Word && !article {
            // `two day` is not English; `two-day` is one word anyway.
            return None;
        }
        if i > 0
            && matches!(
                self.key(i - 1),
                "usia" | "berusia" | "umur" | "berumur" | "aged"
            )
        {
            return None;
        }
        if self.key(after) == "old" || self.is(after, '-') && self.glued(after) {
            return None;
        }
        let (direction, end) = match (self.key(after), self.key(after + 1)) {
            ("yang", "lalu") => (-1, after + 2),
            ("lalu" | "silam" | "ago", _) => (-1, after + 1),
            ("lagi" | "mendatang", _) => (1, after + 1),
            ("from", "now") => (1, after + 2),
            _ => (0, after),
        };
        if direction == 0 {
            if article {
                return None;
            }
            let letter = match u {
                Unit::Second => "TS",
                Unit::Minute => "TM",
                Unit::Hour => "TH",
                Unit::Day => "D",
                Unit::Week => "W",
                Unit::Month => "M",
                Unit::Year => "Y",
            };
            let (t, l) = letter.split_at(letter.len() - 1);
            return Some(Found {
                first: i,
                end,
                value: Value::Duration(format!("P{t}{n}{l}")),
            });
        }
        let pubd = self.published?;
        let n = i64::from(n) * direction;
        let value = match u {
            Unit::Day => Value::Date(pubd.add_days(n)?),
            Unit::Week => {
                let (y, w) = pubd.add_days(7 * n)?.iso_week();
                Value::Week(y, w)
            }
            Unit::Month => {
                let (y, m) = add_months(pubd.year(), pubd.month(), n as i32);
                Value::Month(y, m)
            }
            Unit::Year => Value::Year(pubd.year() + n as i32),
            _ => return None,
        };
        Some(Found {
            first: i,
            end,
            value,
        })
    }

    /// Expressions starting with a number: dates, years, clock times, counts.
    fn numeric(&self, i: usize) -> Option<Found> {
        let t = self.t.get(i)?;
        if t.shape != Shape::Number {
            return None;
        }
        // Part of a longer run such as `Rp 1.000/2019` or `No.2019`: leave it.
        if i > 0 && self.glued(i) && matches!(self.t[i - 1].shape, Shape::Mixed | Shape::Number) {
            return None;
        }
        let d = t.digits;
        let prev = if i > 0 { self.key(i - 1) } else { "" };
        match d.len {
            3 => {
                let sep = d.seps[0];
                if sep != d.seps[1] || !matches!(sep, '/' | '-' | '.') {
                    return None;
                }
                let [(a, na), (b, _), (c, nc), _] = d.groups;
                let date = if na == 4 && sep == '-' {
                    Date::new(a as i32, u8::try_from(b).ok()?, u8::try_from(c).ok()?)
                } else if na <= 2 && (nc == 4 || (nc == 2 && sep == '/')) {
                    let y = if nc == 2 { 2000 + c } else { c };
                    Date::new(y as i32, u8::try_from(b).ok()?, u8::try_from(a).ok()?)
                } else {
                    None
                }?;
                Some(Found {
                    first: i,
                    end: i + 1,
                    value: Value::Date(date),
                })
            }
            2 if d.seps[0] == '/' => {
                // `(13/9)`: a day and month in brackets.
                let [(a, na), (b, nb), ..] = d.groups;
                if na > 2 || nb > 2 || !(i > 0 && self.is(i - 1, '(') && self.is(i + 1, ')')) {
                    return None;
                }
                // After a day name (handled there), a comma or a name in the
                // sentence (`di Jakarta (13/9)`); not `Setengah (1/2) porsi`.
                let dateline = i >= 2
                    && (self.is(i - 2, ',')
                        || weekday(self.key(i - 2)).is_some()
                        || self.capital(i - 2)
                            && self.t[i - 2].shape == Shape::Word
                            && i >= 3
                            && self.t[i - 3].sentence == self.t[i - 2].sentence);
                if !dateline {
                    return None;
                }
                let date = self.day_month(a, u8::try_from(b).ok()?, None, i)?;
                Some(Found {
                    first: i,
                    end: i + 1,
                    value: Value::Date(date),
                })
            }
            2 if matches!(d.seps[0], '.' | ':') => {
                let cue = matches!(prev, "at" | "pukul" | "pkl" | "jam");
                self.clock(i, i, cue)
            }
            4 => self.clock(i, i, matches!(prev, "pukul" | "pkl" | "jam")),
            2 if matches!(d.seps[0], '-' | '–') => {
                let [(a, na), (b, nb), ..] = d.groups;
                if na <= 2 && nb <= 2 {
                    // `11-17 September 2023`.
                    let (m, _) = month(self.key(i + 1))?;
                    let mut end = i + 2;
                    if self.is(end, '.') && self.glued(end) {
                        end += 1;
                    }
                    let year = self.year_at(end);
                    if year.is_some() {
                        end += 1;
                    }
                    let from = self.day_month(a, m, year, i)?;
                    let to = Date::new(from.year(), m, u8::try_from(b).ok()?)?;
                    if to <= from {
                        return None;
                    }
                    return Some(Found {
                        first: i,
                        end,
                        value: Value::Interval(format!("{from}/{to}")),
                    });
                }
                if time_cue(prev) {
                    return self.year_number(i, i);
                }
                None
            }
            1 => {
                let (v, n) = d.groups[0];
                // `13 September 2023`, `5 Okt`, `13th September`.
                if n <= 2 && matches!(d.suffix, Suffix::None | Suffix::Ordinal) {
                    let mut j = i + 1;
                    if self.key(j) == "of" {
                        j += 1;
                    }
                    if let Some((m, full)) = month(self.key(j)) {
                        let mut end = j + 1;
                        if !full && self.is(end, '.') && self.glued(end) {
                            end += 1;
                        }
                        let year = self.year_at(end);
                        if year.is_some() {
                            end += 1;
                        } else if !full && !self.capital(j) {
                            return None;
                        }
                        let date = self.day_month(v, m, year, i)?;
                        if let Some(p) = pointer_after(self.key(end)) {
                            if p != Pointer::This {
                                end += 1;
                            }
                        }
                        return Some(Found {
                            first: i,
                            end,
                            value: Value::Date(date),
                        });
                    }
                }
                let bare_year = (1900..=2100).contains(&v)
                    && (time_cue(prev) || period_part(prev))
                    && !counted_noun(self.key(i + 1));
                if n == 4 && (bare_year || d.suffix == Suffix::Decade) {
                    if let Some(f) = self.year_number(i, i) {
                        return Some(f);
                    }
                }
                if let Some(f) = self.clock(i, i, matches!(prev, "pukul" | "pkl" | "jam")) {
                    return Some(f);
                }
                self.count(i)
            }
            _ => None,
        }
    }

    /// A clock time at `i` (`14.05 WIB`, `2:05 p.m.`, `pukul 8 pagi`,
    /// `09.00-12.00 WIB`); the span starts at `first`; `cued` after `pukul`/`at`.
    fn clock(&self, i: usize, first: usize, cued: bool) -> Option<Found> {
        let t = self.t.get(i)?;
        if t.shape != Shape::Number {
            return None;
        }
        let d = t.digits;
        let hm = |h: u32, m: u32| -> Option<(u8, u8)> {
            (h <= 24 && m < 60).then_some((h as u8, m as u8))
        };
        let (from, to) = match d.len {
            1 if d.groups[0].1 <= 2 => (hm(d.groups[0].0, 0)?, None),
            2 if matches!(d.seps[0], '.' | ':') && d.groups[1].1 == 2 => {
                (hm(d.groups[0].0, d.groups[1].0)?, None)
            }
            4 if matches!(d.seps[0], '.' | ':')
                && matches!(d.seps[1], '-' | '–')
                && d.seps[2] == d.seps[0]
                && d.groups[1].1 == 2
                && d.groups[3].1 == 2 =>
            {
                (
                    hm(d.groups[0].0, d.groups[1].0)?,
                    Some(hm(d.groups[2].0, d.groups[3].0)?),
                )
            }
            _ => return None,
        };
        let mut end = i + 1;
        // a.m. / p.m.
        let mut meridiem = match d.suffix {
            Suffix::Am => Some(false),
            Suffix::Pm => Some(true),
            Suffix::None => None,
            _ => return None,
        };
        if meridiem.is_none() {
            let k = self.key(end);
            if matches!(k, "am" | "pm") {
                meridiem = Some(k == "pm");
                end += 1;
            } else if matches!(k, "a" | "p")
                && self.is(end + 1, '.')
                && self.glued(end + 1)
                && self.key(end + 2) == "m"
                && self.glued(end + 2)
            {
                meridiem = Some(k == "p");
                end += 3;
                if self.is(end, '.') && self.glued(end) {
                    end += 1;
                }
            }
        }
        let mut zone_found = None;
        if let Some(z) = zone(self.key(end)) {
            if self.t[end].capital || meridiem.is_some() {
                zone_found = Some(z);
                end += 1;
            }
        }
        let mut daypart_word = "";
        if meridiem.is_none() && cued {
            let k = self.key(end);
            if matches!(k, "pagi" | "siang" | "sore" | "petang" | "malam") {
                daypart_word = k;
                end += 1;
                if zone_found.is_none() {
                    if let Some(z) = zone(self.key(end)) {
                        zone_found = Some(z);
                        end += 1;
                    }
                }
            }
        }
        if (self.key(end), self.key(end + 1)) == ("waktu", "setempat")
            || (self.key(end), self.key(end + 1)) == ("local", "time")
        {
            end += 2;
        }
        let single = d.len == 1;
        let ok = meridiem.is_some()
            || zone_found.is_some() && (!single || cued)
            || cued && (!single || first < i);
        if !ok {
            return None;
        }
        let adjust = |(h, m): (u8, u8)| -> Option<Clock> {
            let hour = match meridiem {
                Some(pm) => {
                    if h == 0 || h > 12 {
                        return None;
                    }
                    (h % 12) + if pm { 12 } else { 0 }
                }
                None => match daypart_word {
                    "siang" if (1..=5).contains(&h) => h + 12,
                    "sore" | "petang" if h < 12 => h + 12,
                    "malam" if (6..12).contains(&h) => h + 12,
                    _ => h,
                },
            };
            Some(Clock {
                hour,
                minute: m,
                zone: zone_found,
            })
        };
        let from = adjust(from)?;
        let value = match to {
            Some(to) => Value::TimeRange {
                date: None,
                from,
                to: adjust(to)?,
            },
            None => Value::Time {
                date: None,
                clock: from,
            },
        };
        Some(Found { first, end, value })
    }
}

/// Nouns after a number that make it a count, not a year (`hingga 2000 orang`).
fn counted_noun(key: &str) -> bool {
    matches!(
        key,
        "orang"
            | "warga"
            | "jiwa"
            | "unit"
            | "kasus"
            | "ton"
            | "kg"
            | "km"
            | "meter"
            | "hektare"
            | "rumah"
            | "kendaraan"
            | "penumpang"
            | "peserta"
            | "personel"
            | "siswa"
            | "pekerja"
            | "buah"
            | "ekor"
            | "kali"
            | "people"
            | "units"
            | "cases"
            | "tons"
            | "homes"
            | "houses"
            | "troops"
            | "times"
    )
}
