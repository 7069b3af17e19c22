//! Line-level boilerplate that both HTML pages and text dumps carry: promos,
//! "read also" links, share prompts, continuation lines.
//! (Owned by the text-dump work; stub until it lands.)

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

/// Classifies one line or short block of text; `None` when it reads as story text.
pub(crate) fn classify_line(_line: &str) -> Option<Boiler> {
    None
}
