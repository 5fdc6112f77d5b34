//! SMS: "STATUS <number>" is answered by SMS with the grievance's state; any other message is a
//! new grievance, its category and ward read from its words.

use super::{authorize, body, file, filing, general_category, keyword_table, locale_of, mobile};
use crate::api::ApiError;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::grievances::intake::{category_in_text, ward_in_text};
use domain::grievances::{Channel, GrievanceNumber};
use domain::Locale;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;

#[derive(Deserialize)]
struct Sms {
    from: String,
    text: String,
}

/// An SMS: "STATUS <number>" answers with the grievance's state (to its own filer only);
/// anything else is a new grievance, its category and ward read from the words.
pub(super) async fn sms(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let key = authorize(&state.pool, &headers, "sms").await?;
    let msg: Sms = body(&headers, &bytes)?;
    let from = mobile("from", &msg.from)?;
    let text = msg.text.trim().to_string();
    let locale = locale_of(&text);
    if let Some(rest) = text
        .strip_prefix("STATUS")
        .or_else(|| text.strip_prefix("status"))
        .or_else(|| text.strip_prefix("Status"))
    {
        return status_reply(&state.pool, &from, rest, locale).await;
    }
    let table = keyword_table(&state.pool).await?;
    let category = match category_in_text(&text, &table) {
        Some(c) => c,
        None => general_category(&state.pool).await?,
    };
    let mut f = filing(Channel::Sms, category, text.clone(), key);
    f.ward = ward_in_text(&text);
    if f.ward.is_none() {
        // The words are the best address an SMS has.
        f.address = text.chars().take(500).collect();
    }
    f.contact_mobile = Some(from);
    f.locale = locale;
    file(&state.pool, f).await
}

async fn status_reply(
    pool: &PgPool,
    from: &str,
    rest: &str,
    locale: Locale,
) -> Result<Response, ApiError> {
    use i18n::{fill, t};
    let found: Option<(String, domain::grievances::Status)> = match GrievanceNumber::parse(rest) {
        Ok(number) => sqlx::query_as(
            "SELECT number, status FROM grievances WHERE number = $1 AND contact_mobile = $2",
        )
        .bind(number.as_str())
        .bind(from)
        .fetch_optional(pool)
        .await
        .map_err(ApiError::unexpected)?,
        Err(_) => None,
    };
    let reply = match &found {
        Some((number, status)) => fill(
            t::sms_status_reply(locale),
            &[("number", number), ("status", status.label(locale))],
        ),
        None => t::sms_status_unknown(locale).to_string(),
    };
    domain::notifications::enqueue(pool, domain::notifications::Channel::Sms, from, "", &reply)
        .await
        .map_err(ApiError::unexpected)?;
    let status = found.as_ref().map(|(_, s)| s.as_str());
    Ok(Json(json!({ "reply": reply, "status": status })).into_response())
}
