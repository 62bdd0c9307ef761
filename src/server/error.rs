//! `ServerError` → the protocol's envelope, in one place.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use crate::wire::{codes, Envelope};

#[derive(Debug)]
pub enum ServerError {
    /// An envelope with a protocol code, sent with this HTTP status.
    Code(i64, StatusCode, String),
    /// A plain HTTP error with an envelope of the same number.
    Status(StatusCode, String),
}

impl ServerError {
    pub fn token() -> Self {
        ServerError::Code(
            codes::TOKEN_INVALID,
            StatusCode::UNAUTHORIZED,
            "token invalid or expired".into(),
        )
    }
    pub fn session() -> Self {
        ServerError::Code(
            codes::SESSION_NOT_FOUND,
            StatusCode::NOT_FOUND,
            "session not found".into(),
        )
    }
    pub fn bad(msg: impl Into<String>) -> Self {
        ServerError::Status(StatusCode::BAD_REQUEST, msg.into())
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let (status, env) = match self {
            ServerError::Code(code, status, msg) => (status, Envelope::<Value>::error(code, msg)),
            ServerError::Status(status, msg) => (
                status,
                Envelope::<Value>::error(status.as_u16() as i64, msg),
            ),
        };
        (status, Json(env)).into_response()
    }
}

/// The store could not be read or written: the request fails whole.
impl From<super::db::DbError> for ServerError {
    fn from(e: super::db::DbError) -> Self {
        ServerError::Status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

pub type Reply = Result<Response, ServerError>;
