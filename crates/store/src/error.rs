//! Why a store operation failed.

use std::path::PathBuf;

/// Why a store operation failed. Every message names what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory cannot be created or opened.
    #[error(
        "cannot open the store at {path}: {source}; check the path given to --data (or WARTA_DATA) and its permissions"
    )]
    Open {
        /// The data directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The store was written by a newer warta with a schema this one does not know.
    #[error(
        "the store at {path} has schema version {found}, newer than this warta's {known}; upgrade warta"
    )]
    TooNew {
        /// The data directory.
        path: PathBuf,
        /// Version found on disk.
        found: u32,
        /// Newest version this build knows.
        known: u32,
    },
    /// Another process holds the store for writing.
    #[error(
        "the store at {path} is in use by another warta process (stop it, or use another --data directory)"
    )]
    Locked {
        /// The data directory.
        path: PathBuf,
    },
    /// An SQLite error.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A full-text index error.
    #[error("full-text index error: {0}; `warta reindex` rebuilds the index from the database")]
    Index(#[from] tantivy::TantivyError),
    /// A full-text query that cannot be parsed.
    #[error("cannot read the search query: {0}")]
    Query(String),
    /// A stored record that cannot be read back.
    #[error("stored record {id} is unreadable: {message}; `warta check` lists such records")]
    Corrupt {
        /// The record's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A caller mistake, e.g. an unknown source id.
    #[error("{0}")]
    Invalid(String),
    /// Any other I/O error.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
