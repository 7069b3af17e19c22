//! Language, sentences, tokens and named entities for warta articles.
//!
//! This is the second stage of the pipeline: it takes an extracted
//! [`warta_core::Article`] and finds its language (and the language of each
//! paragraph where it differs), its sentences and tokens with character offsets,
//! and the people, organisations, places and countries it names, each linked to
//! one canonical entity however the text writes it.

mod analyze;
pub mod gazetteer;
pub mod language;
pub mod link;
pub mod ner;
pub mod quotes;
pub mod segment;
pub mod times;

pub use analyze::{AnalyzeOptions, TextAnalyzer};
