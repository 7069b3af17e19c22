//! Publication and modification dates.
//! (Stub until the dates work lands.)

use warta_core::RawDoc;

use crate::dom::Dom;

/// The dates found for one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateFindings {
    /// Publication time, ISO 8601 (bare date when only the day is known).
    pub published: Option<String>,
    /// Last modification time, ISO 8601.
    pub modified: Option<String>,
}

/// Finds the dates of one page without full extraction (the `warta eval dates` path).
pub fn find_dates(_doc: &RawDoc) -> DateFindings {
    DateFindings::default()
}

/// Finds the dates of a parsed page: JSON-LD, OpenGraph and meta tags, `<time>`,
/// the URL, then visible text.
pub(crate) fn dates_from_dom(
    _dom: &Dom,
    _json_ld: &[serde_json::Value],
    _url: Option<&str>,
) -> DateFindings {
    DateFindings::default()
}

/// Finds the first date or date-time written in a line of visible text
/// (`Rabu (13/9/2023)`, `13 September 2023 14:05 WIB`, `Sept. 13, 2023`), as ISO 8601.
#[allow(dead_code)]
pub(crate) fn find_date_in_text(_line: &str) -> Option<String> {
    None
}
