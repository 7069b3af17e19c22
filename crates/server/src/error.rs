//! Errors as the API returns them: a status, a stable `code` and a message for people.
//! Internal failures are logged and answered with "internal error" only.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A parameter or body the client sent is wrong.
    #[error("{message}")]
    BadRequest {
        /// Stable code (`invalid_parameter`, `invalid_body`, …).
        code: &'static str,
        /// What is wrong, for a person.
        message: String,
    },
    /// Nothing with this id.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A write without the right bearer token.
    #[error("a valid bearer token is required")]
    Unauthorized,
    /// Writes are off: the server was started without a token.
    #[error("writes are disabled on this server (start it with --token)")]
    WritesDisabled,
    /// The body is larger than the server accepts.
    #[error("request body too large")]
    TooLarge,
    /// The page given to ingest gave no article (the message says why).
    #[error("{0}")]
    NotIngested(String),
    /// The request conflicts with what exists (a watch name already used).
    #[error("{0}")]
    Conflict(String),
    /// The request took longer than the server allows.
    #[error("request timed out")]
    Timeout,
    /// Something failed inside; the details are logged, not sent.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// A bad parameter.
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code: "invalid_parameter",
            message: message.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::NotFound(_) => "not_found",
            ApiError::Unauthorized => "unauthorized",
            ApiError::WritesDisabled => "writes_disabled",
            ApiError::TooLarge => "body_too_large",
            ApiError::Conflict(_) => "conflict",
            ApiError::Timeout => "timeout",
            ApiError::NotIngested(_) => "not_ingested",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::WritesDisabled => StatusCode::FORBIDDEN,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Timeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::NotIngested(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<warta_store::StoreError> for ApiError {
    fn from(e: warta_store::StoreError) -> Self {
        match e {
            warta_store::StoreError::Query(m) => ApiError::BadRequest {
                code: "invalid_query",
                message: format!("cannot read the search query: {m}"),
            },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<warta_alerts::AlertError> for ApiError {
    fn from(e: warta_alerts::AlertError) -> Self {
        match e {
            warta_alerts::AlertError::Store(e) => e.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// The JSON body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `invalid_parameter`, `invalid_body`, `invalid_query`,
    /// `not_found`, `conflict`, `unauthorized`, `writes_disabled`, `body_too_large`, `timeout`,
    /// `not_ingested`, `internal`.
    pub code: String,
    /// What happened, for a person.
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(error = %detail, "Request failed.");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: self.to_string(),
            },
        };
        (self.status(), Json(body)).into_response()
    }
}
