//! Photo captions and their credits.
//! (Owned by the text-dump work; stub until it lands.)

/// Splits a caption into its text and its credit, e.g.
/// `"Kim Jong Un dan Putin (Foto: Alexey Nikolsky/SPUTNIK/AFP via Getty Images)"` →
/// `("Kim Jong Un dan Putin", "Alexey Nikolsky/SPUTNIK/AFP via Getty Images")`.
/// Returns `None` when the text carries no credit.
pub(crate) fn split_credit(_caption: &str) -> Option<(String, String)> {
    None
}
