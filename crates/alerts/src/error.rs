//! Why an alerts operation failed.

/// Why matching or delivery stopped. Failures of a single channel are not errors: they
/// are recorded on the notification and retried.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] warta_store::StoreError),
    /// A story could not be written as JSON.
    #[error("cannot write a notification: {0}")]
    Payload(String),
}

/// Result of an alerts operation.
pub type Result<T, E = AlertError> = std::result::Result<T, E>;
