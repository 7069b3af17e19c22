//! Where news comes in.
//!
//! [`pipeline`] runs fetched or read documents through the stages — extraction,
//! analysis, duplicate folding — into a [`warta_store::Store`], in bounded parallel
//! batches, skipping inputs already ingested unchanged.

pub mod pipeline;
