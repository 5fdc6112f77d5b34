//! Email: the sender is the contact, subject and body give the category, ward and text, and the
//! pictures attached become the grievance's photos.

use super::{authorize, body, file_answer, filing, general_category, keyword_table, locale_of};
use crate::api::ApiError;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::grievances::intake::{category_in_text, ward_in_text};
use domain::grievances::store::CategoryRef;
use domain::grievances::{Channel, FilingText, ADDRESS_MAX, DESCRIPTION_MAX, NAME_MAX};
use domain::problem::FieldError;
use serde::Deserialize;

/// An email as the gateway passes it on.
#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct Email {
    /// The sender, `Name <address>` or an address.
    from: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    attachments: Vec<Attachment>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct Attachment {
    #[serde(default)]
    filename: String,
    /// the file, base64 (standard alphabet, as MIME carries it)
    content_base64: String,
}

/// The email's pictures become the grievance's photos (checked and re-encoded like the app's);
/// other files are named back to the gateway, which can tell the sender.
async fn email_photos(
    attachments: Vec<Attachment>,
) -> Result<(Vec<domain::grievances::photos::Photo>, Vec<String>), ApiError> {
    use base64::Engine;
    use domain::grievances::photos;
    tokio::task::spawn_blocking(move || {
        let mut kept = Vec::new();
        let mut ignored = Vec::new();
        for a in attachments {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(a.content_base64.split_whitespace().collect::<String>())
                .map_err(|_| {
                    ApiError::invalid(vec![FieldError::new("attachments", "err_photo_unreadable")])
                })?;
            if image::guess_format(&bytes).is_err() {
                ignored.push(a.filename);
                continue;
            }
            if kept.len() == photos::MAX_PHOTOS {
                return Err(ApiError::invalid(vec![FieldError::new(
                    "attachments",
                    "err_too_many_photos",
                )]));
            }
            match photos::prepare(&bytes) {
                Ok(p) => kept.push(p),
                // a picture format we do not take (GIF, say) is named back, not refused
                Err("err_photo_type") => ignored.push(a.filename),
                Err(code) => {
                    return Err(ApiError::invalid(vec![FieldError::new(
                        "attachments",
                        code,
                    )]))
                }
            }
        }
        Ok((kept, ignored))
    })
    .await
    .map_err(ApiError::unexpected)?
}

/// An email: the sender is the contact; subject and body give the category, ward and text.
#[utoipa::path(post, path = "/api/v1/intake/email", tag = "intake",
    request_body(content = Email, content_type = "application/json"),
    responses(
        (status = 201, description = "A new grievance", body = EmailFiled),
        (status = 200, description = "A repeat", body = EmailFiled),
        crate::api::Refusals,
    ))]
pub(super) async fn email(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let key = authorize(&state.pool, &headers, "email").await?.key;
    let msg: Email = body(&headers, &bytes)?;
    let from = msg.from.trim();
    let address = from
        .rsplit_once('<')
        .map(|(_, a)| a.trim_end_matches('>').trim())
        .unwrap_or(from)
        .to_string();
    let address = domain::identity::EmailAddress::parse(&address)
        .map_err(|code| ApiError::invalid(vec![FieldError::new("from", code)]))?
        .as_str()
        .to_string();
    let text = format!("{}\n\n{}", msg.subject.trim(), msg.body.trim())
        .trim()
        .to_string();
    let table = keyword_table(&state.pool).await?;
    let category = match category_in_text(&text, &table) {
        Some(c) => c,
        None => general_category(&state.pool).await?,
    };
    let ward = ward_in_text(&text);
    let fields = FilingText {
        category_chosen: true,
        description: text.chars().take(DESCRIPTION_MAX).collect(),
        ward: ward.map(|w| w.to_string()).unwrap_or_default(),
        address: match ward {
            Some(_) => String::new(),
            None => msg.body.trim().chars().take(ADDRESS_MAX).collect(),
        },
        contact_name: from
            .rsplit_once('<')
            .map(|(n, _)| n.trim().trim_matches('"').chars().take(NAME_MAX).collect())
            .unwrap_or_default(),
        contact_email: address,
        ..FilingText::default()
    };
    let mut f = filing(
        Channel::Email,
        CategoryRef::Id(category),
        fields,
        key,
        locale_of(&text),
        Vec::new(),
        &[("description", "body"), ("contact_email", "from")],
    )?;
    let (photos, ignored) = email_photos(msg.attachments).await?;
    let photo_count = photos.len();
    f.what.photos = photos;
    let (status, filed) = file_answer(&state.pool, f).await?;
    let body = EmailFiled {
        number: filed.number,
        duplicate: filed.duplicate,
        photos: photo_count,
        ignored_attachments: ignored,
    };
    Ok((status, Json(body)).into_response())
}

/// An email's answer: the filing's, and what became of its attachments.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct EmailFiled {
    pub number: String,
    pub duplicate: bool,
    /// Pictures kept as the grievance's photos.
    pub photos: usize,
    /// Attachments that were not pictures we take, by file name.
    pub ignored_attachments: Vec<String>,
}
