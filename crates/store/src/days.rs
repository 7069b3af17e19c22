//! Calendar helpers: timestamps for "now", and the first and last day an ISO 8601 value
//! covers, so time expressions and publication dates can be queried as ranges.

use std::time::{SystemTime, UNIX_EPOCH};

pub(crate) use warta_core::calendar::{civil_from_days, days_from_civil};

/// `YYYY-MM-DD` of a day number.
pub(crate) fn format_day(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The current time as RFC 3339 in UTC, to the second.
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    rfc3339(secs)
}

/// RFC 3339 (UTC, seconds) of a Unix timestamp.
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_day(days),
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// The Unix timestamp of an RFC 3339 UTC time as [`rfc3339`] writes it
/// (`2024-03-01T10:00:00Z`); `None` for anything else.
pub fn rfc3339_secs(s: &str) -> Option<i64> {
    let (date, time) = s.strip_suffix('Z')?.split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    let mut t = time.split(':');
    let (h, mi, sec) = (num(t.next()?)?, num(t.next()?)?, num(t.next()?)?);
    if d.next().is_some() || t.next().is_some() || !(1..=12).contains(&m) || day == 0 {
        return None;
    }
    let days = days_from_civil(i64::from(y), m, day);
    Some(days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(sec))
}

fn num(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in_month(y: i64, m: u32) -> u32 {
    let next = if m == 12 {
        days_from_civil(y + 1, 1, 1)
    } else {
        days_from_civil(y, m + 1, 1)
    };
    (next - days_from_civil(y, m, 1)) as u32
}

/// The day numbers of the first and last day one ISO 8601 value covers: a day
/// (`2023-09-12`, also with a time after it), a month (`2023-09`), a year (`2019`), an
/// ISO week (`2023-W37`) or an interval of those (`2023-09-11/2023-09-17`).
pub(crate) fn day_range(value: &str) -> Option<(i64, i64)> {
    let value = value.trim();
    if let Some((a, b)) = value.split_once('/') {
        let (first, _) = day_range(a)?;
        let (_, last) = day_range(b)?;
        return (first <= last).then_some((first, last));
    }
    let date = value.split(['T', ' ']).next()?;
    if let Some((y, w)) = date.split_once("-W") {
        let y = i64::from(num(y)?);
        let w = num(w.get(..2).unwrap_or(w))?;
        if !(1..=53).contains(&w) {
            return None;
        }
        // ISO week 1 is the week with 4 January in it; weeks start on Monday.
        let jan4 = days_from_civil(y, 1, 4);
        let monday1 = jan4 - (jan4 + 3).rem_euclid(7);
        let first = monday1 + i64::from(w - 1) * 7;
        return Some((first, first + 6));
    }
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [y] if y.len() == 4 => {
            let y = i64::from(num(y)?);
            Some((days_from_civil(y, 1, 1), days_from_civil(y, 12, 31)))
        }
        [y, m] if y.len() == 4 => {
            let (y, m) = (i64::from(num(y)?), num(m)?);
            if !(1..=12).contains(&m) {
                return None;
            }
            Some((
                days_from_civil(y, m, 1),
                days_from_civil(y, m, days_in_month(y, m)),
            ))
        }
        [y, m, d] if y.len() == 4 => {
            let (y, m, d) = (i64::from(num(y)?), num(m)?, num(d)?);
            if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
                return None;
            }
            let day = days_from_civil(y, m, d);
            Some((day, day))
        }
        _ => None,
    }
}

/// `YYYY-MM-DD` of the first day a value covers (for publication dates).
pub(crate) fn first_day(value: &str) -> Option<String> {
    day_range(value).map(|(first, _)| format_day(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips() {
        for secs in [0, 1_709_287_200, 1_694_563_199, 4_102_444_800] {
            assert_eq!(rfc3339_secs(&rfc3339(secs)), Some(secs));
        }
        assert_eq!(rfc3339_secs("2024-03-01T10:00:00Z"), Some(1_709_287_200));
        for bad in [
            "",
            "2024-03-01",
            "2024-13-01T00:00:00Z",
            "2024-03-01T10:00:00+07:00",
        ] {
            assert_eq!(rfc3339_secs(bad), None, "{bad}");
        }
    }

    #[test]
    fn ranges_of_iso_values() {
        let r = |v| day_range(v).map(|(a, b)| (format_day(a), format_day(b)));
        assert_eq!(
            r("2023-09-12"),
            Some(("2023-09-12".into(), "2023-09-12".into()))
        );
        assert_eq!(
            r("2023-09-13T08:30:00+07:00"),
            Some(("2023-09-13".into(), "2023-09-13".into()))
        );
        assert_eq!(
            r("2023-02"),
            Some(("2023-02-01".into(), "2023-02-28".into()))
        );
        assert_eq!(
            r("2024-02"),
            Some(("2024-02-01".into(), "2024-02-29".into()))
        );
        assert_eq!(r("2019"), Some(("2019-01-01".into(), "2019-12-31".into())));
        assert_eq!(
            r("2023-W37"),
            Some(("2023-09-11".into(), "2023-09-17".into()))
        );
        assert_eq!(
            r("2021-W01"),
            Some(("2021-01-04".into(), "2021-01-10".into()))
        );
        assert_eq!(
            r("2023-09-11/2023-09-17"),
            Some(("2023-09-11".into(), "2023-09-17".into()))
        );
        assert_eq!(r("2023-13"), None);
        assert_eq!(r("2023-02-30"), None);
        assert_eq!(r("kemarin"), None);
        assert_eq!(r(""), None);
    }

    #[test]
    fn civil_round_trip() {
        for d in [-800_000, -1, 0, 1, 19_612, 2_000_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_694_563_200), "2023-09-13T00:00:00Z");
    }
}
