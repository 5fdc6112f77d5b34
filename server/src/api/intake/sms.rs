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
use domain::grievances::store::CategoryRef;
use domain::grievances::{Channel, FilingText, GrievanceNumber, ADDRESS_MAX};
use domain::Locale;
use serde::Deserialize;
use sqlx::PgPool;

/// An SMS as the gateway passes it on.
#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct Sms {
    /// The sender's mobile number.
    #[schema(pattern = r"^[6-9][0-9]{9}$", example = "9876543210")]
    from: String,
    /// The message: a complaint (its category and ward read from the words), or
    /// `STATUS <grievance number>`.
    #[schema(
        min_length = 10,
        max_length = 2000,
        example = "Ward 12: streetlight not working for a week"
    )]
    text: String,
}

/// The answer to `STATUS <number>`, also sent back by SMS.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct StatusReply {
    reply: String,
    /// The grievance's state, when the number is the sender's own.
    status: Option<String>,
}

/// An SMS: "STATUS <number>" answers with the grievance's state (to its own filer only);
/// anything else is a new grievance, its category and ward read from the words.
#[utoipa::path(post, path = "/api/v1/intake/sms", tag = "intake",
    request_body(content = Sms, content_type = "application/json"),
    responses(
        (status = 201, description = "A new grievance", body = super::Filed),
        (status = 200, description = "A repeat, or the answer to STATUS",
            content((super::Filed = "application/json"), (StatusReply = "application/json"))),
        crate::api::Refusals,
    ))]
pub(super) async fn sms(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let key = authorize(&state.pool, &headers, "sms").await?.key;
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
    let ward = ward_in_text(&text);
    let fields = FilingText {
        category_chosen: true,
        description: text.clone(),
        ward: ward.map(|w| w.to_string()).unwrap_or_default(),
        // The words are the best address an SMS has.
        address: match ward {
            Some(_) => String::new(),
            None => text.chars().take(ADDRESS_MAX).collect(),
        },
        contact_mobile: from,
        ..FilingText::default()
    };
    let f = filing(
        Channel::Sms,
        CategoryRef::Id(category),
        fields,
        key,
        locale,
        Vec::new(),
        &[("description", "text")],
    )?;
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
    let status = status.map(str::to_string);
    Ok(Json(StatusReply { reply, status }).into_response())
}
