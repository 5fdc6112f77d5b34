//! `GET /me/data.json`: the signed-in person's own data, all of it, as a file to save
//! (`domain::identity::store::export`). Read-only; never cached (`no-store`, as every answer
//! to a signed-in person).

use app::request::{AppState, Caller};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub async fn download(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
) -> Response {
    let Some(account) = caller.and_then(|Extension(c)| c.account) else {
        return (StatusCode::UNAUTHORIZED, "sign in first").into_response();
    };
    match domain::identity::store::export(&state.pool, &state.config.data_key, account.id).await {
        Ok(data) => {
            tracing::info!(target: "security", account = %account.id, "personal data exported");
            (
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"nagarik-my-data.json\"",
                    ),
                ],
                serde_json::to_string_pretty(&data).unwrap_or_default(),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
