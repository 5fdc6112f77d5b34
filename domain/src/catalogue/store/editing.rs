//! Editing the catalogue: the service form and its checks, saving a service with its texts and
//! life events, and what the admin's editor and list read.

use super::search::refresh_search_text;
use crate::catalogue::ApplyMode;
use crate::db::new_id;
use crate::ids::{AccountId, DepartmentId, ServiceId};
use crate::problem::FieldError;
use crate::Locale;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct ServiceText {
    pub locale: Locale,
    pub name: String,
    pub summary: String,
    pub eligibility: String,
    pub documents: String,
    pub how_to_apply: String,
    pub keywords: String,
}

#[derive(Debug, Clone)]
pub struct ServiceForm {
    pub slug: String,
    pub department_id: DepartmentId,
    pub category_slug: String,
    pub fee_paise: i64,
    pub fee_varies: bool,
    pub days_to_deliver: i32,
    pub apply_mode: ApplyMode,
    pub handoff_url: Option<String>,
    pub popularity: i32,
    pub published: bool,
    pub life_events: Vec<String>,
    pub texts: Vec<ServiceText>,
}

/// Checks a service form field by field; translation keys as codes.
pub fn validate_service(form: &ServiceForm) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if form.slug.len() < 2
        || form.slug.len() > 80
        || !form
            .slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        problems.push(FieldError::new("slug", "err_slug_invalid"));
    }
    let english = form.texts.iter().find(|t| t.locale == Locale::En);
    if english.is_none_or(|t| t.name.trim().is_empty()) {
        problems.push(FieldError::new("name_en", "err_name_required"));
    }
    if form.fee_paise < 0 {
        problems.push(FieldError::new("fee_rupees", "err_fee_invalid"));
    }
    if form.days_to_deliver < 0 || form.days_to_deliver > 3650 {
        problems.push(FieldError::new("days", "err_days_invalid"));
    }
    if form.apply_mode == ApplyMode::Handoff
        && !form
            .handoff_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://") && u.len() > 10)
    {
        problems.push(FieldError::new("handoff_url", "err_url_invalid"));
    }
    problems
}

/// Creates the service or updates the one with the same slug. The caller has checked that the
/// actor may manage `form.department_id` (and, on update, the service's current department).
/// `by` is the admin, recorded in their chain (`None`: the demo data).
pub async fn save_service(
    pool: &PgPool,
    form: &ServiceForm,
    by: Option<AccountId>,
) -> Result<Uuid, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let category_id: Uuid = sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
        .bind(&form.category_slug)
        .fetch_one(&mut *tx)
        .await?;
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO services (id, slug, department_id, category_id, fee_paise, fee_varies, days_to_deliver,
                               apply_mode, handoff_url, popularity, published)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (slug) DO UPDATE SET department_id = EXCLUDED.department_id,
            category_id = EXCLUDED.category_id, fee_paise = EXCLUDED.fee_paise,
            fee_varies = EXCLUDED.fee_varies, days_to_deliver = EXCLUDED.days_to_deliver,
            apply_mode = EXCLUDED.apply_mode, handoff_url = EXCLUDED.handoff_url,
            popularity = EXCLUDED.popularity, published = EXCLUDED.published
         RETURNING id",
    )
    .bind(new_id())
    .bind(&form.slug)
    .bind(form.department_id)
    .bind(category_id)
    .bind(form.fee_paise)
    .bind(form.fee_varies)
    .bind(form.days_to_deliver)
    .bind(form.apply_mode.as_str())
    .bind(&form.handoff_url)
    .bind(form.popularity)
    .bind(form.published)
    .fetch_one(&mut *tx)
    .await?;
    for t in &form.texts {
        if t.name.trim().is_empty() && t.locale != Locale::En {
            sqlx::query("DELETE FROM service_translations WHERE service_id = $1 AND locale = $2")
                .bind(id)
                .bind(t.locale.code())
                .execute(&mut *tx)
                .await?;
            continue;
        }
        sqlx::query(
            "INSERT INTO service_translations (service_id, locale, name, summary, eligibility, documents, how_to_apply, keywords)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (service_id, locale) DO UPDATE SET name = EXCLUDED.name, summary = EXCLUDED.summary,
                eligibility = EXCLUDED.eligibility, documents = EXCLUDED.documents,
                how_to_apply = EXCLUDED.how_to_apply, keywords = EXCLUDED.keywords",
        )
        .bind(id)
        .bind(t.locale.code())
        .bind(t.name.trim())
        .bind(t.summary.trim())
        .bind(t.eligibility.trim())
        .bind(t.documents.trim())
        .bind(t.how_to_apply.trim())
        .bind(t.keywords.trim())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM service_life_events WHERE service_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO service_life_events (service_id, life_event_id)
         SELECT $1, l.id FROM life_events l WHERE l.slug = ANY($2)",
    )
    .bind(id)
    .bind(&form.life_events)
    .execute(&mut *tx)
    .await?;
    refresh_search_text(&mut tx, Some(id.into())).await?;
    crate::identity::store::security_log::record_act(
        &mut tx,
        by,
        crate::identity::store::security_log::Event::ServiceSaved,
        crate::history::Facts::new().with("service", id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The raw texts of a service in every language, for the editor.
pub async fn service_texts(
    pool: &PgPool,
    service_id: ServiceId,
) -> Result<Vec<(String, String, String, String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT locale, name, summary, eligibility, documents, how_to_apply, keywords
         FROM service_translations WHERE service_id = $1",
    )
    .bind(service_id)
    .fetch_all(pool)
    .await
}

pub async fn service_life_event_slugs(
    pool: &PgPool,
    service_id: ServiceId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT l.slug FROM service_life_events x JOIN life_events l ON l.id = x.life_event_id WHERE x.service_id = $1",
    )
    .bind(service_id)
    .fetch_all(pool)
    .await
}

/// Services of one department (or all) for the admin list, published or not.
pub async fn admin_services(
    pool: &PgPool,
    department_id: Option<DepartmentId>,
    limit: i64,
) -> Result<Vec<(String, String, String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.slug, e.name, d.code, s.published FROM services s
         JOIN service_translations e ON e.service_id = s.id AND e.locale = 'en'
         JOIN departments d ON d.id = s.department_id
         WHERE $1::uuid IS NULL OR s.department_id = $1
         ORDER BY d.code, e.name LIMIT $2",
    )
    .bind(department_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
