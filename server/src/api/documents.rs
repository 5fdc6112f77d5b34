//! Locker documents as files: to their owner from the locker, and through an application to
//! those it was shared with (each staff opening recorded in the application's history). Served
//! as the type their content was found to be, as an attachment, never as anything a browser
//! would run, and never kept in a browser's cache.

use app::request::{AppState, Caller};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use domain::applications::{store as applications, ApplicationNumber};
use domain::locker::store::{self as locker, Document};
use domain::problem::Problem;

fn file(doc: &Document, body: Vec<u8>) -> Response {
    let name = format!(
        "{}-{}.{}",
        doc.kind,
        &doc.id.uuid().simple().to_string()[..8],
        doc.media.extension()
    );
    (
        [
            (header::CONTENT_TYPE, doc.media.as_str().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".into(),
            ),
            (header::CACHE_CONTROL, "no-store".into()),
        ],
        body,
    )
        .into_response()
}

fn refused(p: Problem) -> Response {
    match p {
        Problem::NotFound => StatusCode::NOT_FOUND.into_response(),
        Problem::Forbidden => StatusCode::FORBIDDEN.into_response(),
        other => {
            tracing::error!(error = %other, "a document could not be served");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /locker/documents/{id}`: one of the caller's own documents.
pub async fn own(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Response {
    let Some(account) = caller.account else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(id) = id.parse::<domain::ids::DocumentId>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match locker::open(&state.pool, &state.config.data_key, id).await {
        // another person's document is as good as absent
        Ok(Some((owner, doc, body))) if owner == account.id => file(&doc, body),
        Ok(_) => StatusCode::NOT_FOUND.into_response(),
        Err(p) => refused(p),
    }
}

/// `GET /applications/{number}/documents/{field}`: the document attached at a field of an
/// application, to its applicant and to its department while it decides.
pub async fn shared(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((number, field)): Path<(String, String)>,
) -> Response {
    let Some(account) = caller.account else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(number) = ApplicationNumber::parse(&number) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let opened = applications::open_shared(
        &state.pool,
        &state.config.data_key,
        &number,
        &field,
        &account.actor(),
        account.id,
        time::OffsetDateTime::now_utc(),
    )
    .await;
    match opened {
        Ok((doc, body)) => file(&doc, body),
        Err(p) => refused(p),
    }
}
