//! Grievance photos, served only to those who may see the grievance, only ever as a JPEG
//! (they were re-encoded on the way in), and never as anything a browser would run.

use app::request::{AppState, Caller};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use domain::grievances::{may_view, store};
use uuid::Uuid;

pub async fn photo(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Response {
    let Some(account) = caller.account else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let found = match store::photo(&state.pool, id).await {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "photo lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Some((grievance, jpeg)) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match store::ownership(&state.pool, grievance).await {
        Ok(Some(owner)) if may_view(&account.actor(), &owner) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; sandbox",
                ),
                // like every signed-in page: a shared phone's browser keeps no copy after
                // sign-out for the next person to find
                (header::CACHE_CONTROL, "no-store"),
            ],
            jpeg,
        )
            .into_response(),
        Ok(_) => StatusCode::FORBIDDEN.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "photo owner lookup failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
