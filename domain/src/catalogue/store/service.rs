//! One service as its page shows it, in the asked language with English as the fallback.

use crate::catalogue::ApplyMode;
use crate::ids::{DepartmentId, ServiceId};
use crate::Locale;
use sqlx::PgPool;

/// Everything the service page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceDetail {
    pub id: ServiceId,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub eligibility: String,
    pub documents: String,
    pub how_to_apply: String,
    pub department_id: DepartmentId,
    pub department_code: String,
    pub department_name: String,
    pub category_slug: String,
    pub category_name: String,
    pub fee_paise: i64,
    pub fee_varies: bool,
    pub days_to_deliver: i32,
    pub apply_mode: String,
    pub handoff_url: Option<String>,
    pub published: bool,
}

impl ServiceDetail {
    pub fn apply_mode(&self) -> ApplyMode {
        ApplyMode::parse(&self.apply_mode)
    }
    pub fn document_list(&self) -> Vec<String> {
        self.documents
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    }
}

pub async fn service(
    pool: &PgPool,
    slug: &str,
    locale: Locale,
) -> Result<Option<ServiceDetail>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT s.id, s.slug, ",
        tr!("name"),
        " AS name, ",
        tr!("summary"),
        " AS summary, ",
        tr!("eligibility"),
        " AS eligibility, ",
        tr!("documents"),
        " AS documents, ",
        tr!("how_to_apply"),
        " AS how_to_apply,
            d.id AS department_id, d.code AS department_code,
            COALESCE(NULLIF(dt.name, ''), de.name) AS department_name,
            c.slug AS category_slug, COALESCE(NULLIF(ct.name, ''), ce.name) AS category_name,
            s.fee_paise, s.fee_varies, s.days_to_deliver, s.apply_mode, s.handoff_url, s.published
         FROM services s
         JOIN service_translations e ON e.service_id = s.id AND e.locale = 'en'
         LEFT JOIN service_translations t ON t.service_id = s.id AND t.locale = $1
         JOIN departments d ON d.id = s.department_id
         JOIN department_translations de ON de.department_id = d.id AND de.locale = 'en'
         LEFT JOIN department_translations dt ON dt.department_id = d.id AND dt.locale = $1
         JOIN categories c ON c.id = s.category_id
         JOIN category_translations ce ON ce.category_id = c.id AND ce.locale = 'en'
         LEFT JOIN category_translations ct ON ct.category_id = c.id AND ct.locale = $1
         WHERE s.slug = $2"
    ))
    .bind(locale.code())
    .bind(slug)
    .fetch_optional(pool)
    .await
}
