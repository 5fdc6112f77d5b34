//! The HTTP API for other systems: gateways and external grievance systems push grievances in
//! (`intake`); Open311 clients come later through `open311`. Callers authenticate with a key of
//! their own, scoped to one channel.

pub mod certificates;
pub mod digilocker;
pub mod documents;
pub mod intake;
pub mod my_data;
pub mod open311;
pub mod payments;
pub mod photos;

/// The OpenAPI 3.1 document of the JSON API (`/api/v1/openapi.json`), generated from the
/// handlers' own annotations and types.
pub async fn openapi() -> impl IntoResponse {
    use utoipa::OpenApi;
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        intake::ApiDoc::openapi()
            .merge_from(certificates::ApiDoc::openapi())
            .merge_from(payments::ApiDoc::openapi())
            .to_pretty_json()
            .unwrap_or_default(),
    )
}

/// A problem with one field, in an error's body.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    /// A translation key (`err_…`).
    pub code: String,
    /// The code's English message.
    pub message: String,
}

/// The refusals every JSON route may answer with, for the OpenAPI document (never built: the
/// answers are `ApiError`s).
#[allow(dead_code)]
#[derive(utoipa::IntoResponses)]
pub enum Refusals {
    #[response(status = 400, description = "The body could not be read")]
    BadRequest(ErrorBody),
    #[response(status = 401, description = "No key, or not a valid one")]
    Unauthorized(ErrorBody),
    #[response(
        status = 403,
        description = "The key is for another channel (or, for external, another system)"
    )]
    Forbidden(ErrorBody),
    #[response(status = 422, description = "Problems, each at its field")]
    Invalid(ErrorBody),
    #[response(
        status = 429,
        description = "This key's rate is spent: try again after `Retry-After` seconds",
        headers(("Retry-After" = u64, description = "seconds"))
    )]
    Throttled(ErrorBody),
}

/// Every error's body.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// `unauthorized`, `forbidden`, `invalid`, `not_found`, `conflict`, `bad_request`,
    /// `throttled` or `unexpected`.
    pub error: String,
    pub message: String,
    pub fields: Vec<FieldProblem>,
}

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::problem::{FieldError, Problem};

/// The API's one error shape: a machine code, an English message, and the fields at fault.
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub fields: Vec<FieldError>,
    /// Seconds until a throttled caller may try again (`Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str) -> ApiError {
        ApiError {
            status,
            code,
            fields: Vec::new(),
            retry_after: None,
        }
    }
    pub fn invalid(fields: Vec<FieldError>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            fields,
            retry_after: None,
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
                retry_after: None,
            },
            Problem::Throttled(t) => ApiError {
                status: StatusCode::TOO_MANY_REQUESTS,
                code: "throttled",
                fields: vec![t.field_error()],
                retry_after: Some(t.retry_after_secs.max(1)),
            },
            Problem::Unexpected(e) => ApiError::unexpected(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let en = domain::Locale::En;
        let fields: Vec<FieldProblem> = self
            .fields
            .iter()
            .map(|f| FieldProblem {
                field: f.field.clone(),
                code: f.code.clone(),
                message: i18n::error_message(en, &f.code).unwrap_or("").to_string(),
            })
            .collect();
        let message = match self.code {
            "unauthorized" => "a valid API key is required (Authorization: Bearer <key>)",
            "forbidden" => "this key is not for this channel",
            "invalid" => "the request has problems; see fields",
            "not_found" => "not found",
            "conflict" => "it cannot happen now; see fields",
            "bad_request" => "the body could not be read",
            "throttled" => "too many requests: try again after Retry-After seconds",
            _ => "unexpected error",
        };
        let body = ErrorBody {
            error: self.code.to_string(),
            message: message.to_string(),
            fields,
        };
        let mut res = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        res
    }
}
