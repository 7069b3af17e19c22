//! The warta data model and the contracts between pipeline stages.
//!
//! Every stage of warta (extraction, language and entities, quotes and times,
//! events, duplicates, storage) reads and writes the types defined here, so the
//! record a journalist or analyst sees is one [`Article`] all the way through.
//! This crate does no I/O: it only names things and says what each stage owes
//! the next.

mod article;
pub mod calendar;
mod id;
mod stage;

pub use article::{
    Article, Caption, Entity, EntityKind, Event, Image, Mention, ParagraphLanguage, Quote,
    Sentence, TimeExpression, Warning,
};
pub use id::{article_id, content_hash};
pub use stage::{Analyzer, ExtractError, Extractor, RawDoc};
