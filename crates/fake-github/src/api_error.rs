//! GitHub's error responses, with the status codes and `message` texts GitHub documents.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// An error the fake answers with, rendered as GitHub renders it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ApiError {
    /// 401: no token, or one the fake does not know.
    BadCredentials,
    /// 403: a write with a read-only token, or `GET /user` with an installation token.
    NotAccessible,
    /// 404 with GitHub's plain "Not Found".
    NotFound,
    /// 404 with a more specific message (e.g. "Label does not exist").
    NotFoundMessage(&'static str),
    /// 400: the body was not JSON or not the expected shape.
    ProblemsParsingJson,
    /// 422 "Validation Failed" with GitHub's `errors` array.
    Validation(Vec<Value>),
    /// 422 with a bare message (e.g. "Invalid request.").
    Unprocessable(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::NotAccessible => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::NotFoundMessage(_) => StatusCode::NOT_FOUND,
            ApiError::ProblemsParsingJson => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) | ApiError::Unprocessable(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
        }
    }

    fn body(&self) -> Value {
        let status = self.status().as_u16().to_string();
        let docs = "https://docs.github.com/rest";
        match self {
            ApiError::BadCredentials => {
                json!({"message": "Bad credentials", "documentation_url": docs, "status": status})
            }
            ApiError::NotAccessible => {
                json!({"message": "Resource not accessible by integration", "documentation_url": docs, "status": status})
            }
            ApiError::NotFound => {
                json!({"message": "Not Found", "documentation_url": docs, "status": status})
            }
            ApiError::NotFoundMessage(m) => {
                json!({"message": m, "documentation_url": docs, "status": status})
            }
            ApiError::ProblemsParsingJson => {
                json!({"message": "Problems parsing JSON", "documentation_url": docs, "status": status})
            }
            ApiError::Validation(errors) => {
                json!({"message": "Validation Failed", "errors": errors, "documentation_url": docs, "status": status})
            }
            ApiError::Unprocessable(m) => {
                json!({"message": m, "documentation_url": docs, "status": status})
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), axum::Json(self.body())).into_response()
    }
}

/// The result type of every API handler.
pub(crate) type Reply = Result<Response, ApiError>;
