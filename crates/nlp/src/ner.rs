//! Named-entity recognition: a statistical sequence tagger trained here.
//!
//! PLACEHOLDER until the trained model lands from the `ner` branch: the API the
//! linker codes against, recognising nothing.

/// The three entity types the tagger finds (countries are decided by the linker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NerLabel {
    /// A person.
    Person,
    /// An organisation.
    Organization,
    /// A place.
    Place,
}

/// One recognised name: tokens `[start, end)` of the sentence given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NerSpan {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// What it names.
    pub label: NerLabel,
}

/// The production recognizer used by `warta analyze`.
#[derive(Debug)]
pub struct Recognizer;

impl Recognizer {
    /// The model embedded in the binary.
    pub fn embedded() -> &'static Recognizer {
        static R: Recognizer = Recognizer;
        &R
    }

    /// Names in one sentence given as tokens.
    pub fn recognize(&self, tokens: &[&str]) -> Vec<NerSpan> {
        let _ = tokens;
        Vec::new()
    }
}
