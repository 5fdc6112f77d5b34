//! The HTTP API for other systems: gateways and external grievance systems push grievances in
//! (`intake`); Open311 clients come later through `open311`. Callers authenticate with a key of
//! their own, scoped to one channel.

pub mod intake;
pub mod open311;
pub mod photos;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::problem::{FieldError, Problem};
use serde_json::json;

/// The API's one error shape: a machine code, an English message, and the fields at fault.
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str) -> ApiError {
        ApiError {
            status,
            code,
            fields: Vec::new(),
        }
    }
    pub fn invalid(fields: Vec<FieldError>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            fields,
        }
    }
    pub fn unexpected(e: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %e, "api request failed");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "unexpected")
    }
}

/// The JSON API's half of the error policy (see `domain::problem`).
impl From<Problem> for ApiError {
    fn from(p: Problem) -> ApiError {
        match p {
            Problem::Invalid(fields) => ApiError::invalid(fields),
            Problem::NotFound => ApiError::new(StatusCode::NOT_FOUND, "not_found"),
            Problem::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden"),
            Problem::Conflict(code) => ApiError {
                status: StatusCode::CONFLICT,
                code: "conflict",
                fields: vec![FieldError::new("form", code)],
            },
            Problem::Unexpected(e) => ApiError::unexpected(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let en = domain::Locale::En;
        let fields: Vec<_> = self
            .fields
            .iter()
            .map(|f| {
                json!({
                    "field": f.field,
                    "code": f.code,
                    "message": i18n::error_message(en, &f.code).unwrap_or(""),
                })
            })
            .collect();
        let message = match self.code {
            "unauthorized" => "a valid API key is required (Authorization: Bearer <key>)",
            "forbidden" => "this key is not for this channel",
            "invalid" => "the request has problems; see fields",
            "not_found" => "not found",
            "conflict" => "it cannot happen now; see fields",
            "bad_request" => "the body could not be read",
            _ => "unexpected error",
        };
        (
            self.status,
            axum::Json(json!({ "error": self.code, "message": message, "fields": fields })),
        )
            .into_response()
    }
}
