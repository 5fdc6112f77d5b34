//! Services as listed on the home and browse pages: the most popular, and those of a department,
//! a category or a life event. `CARD_SELECT` dresses a card (search uses it too).

use crate::Locale;
use sqlx::PgPool;

/// A service as listed in results and browse pages.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceCard {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub department_code: String,
    pub department_name: String,
    pub fee_paise: i64,
    pub fee_varies: bool,
    pub days_to_deliver: i32,
}

pub(super) const CARD_SELECT: &str = "SELECT s.slug,
        COALESCE(NULLIF(t.name, ''), e.name) AS name,
        COALESCE(NULLIF(t.summary, ''), e.summary) AS summary,
        d.code AS department_code,
        COALESCE(NULLIF(dt.name, ''), de.name) AS department_name,
        s.fee_paise, s.fee_varies, s.days_to_deliver
    FROM services s
    JOIN service_translations e ON e.service_id = s.id AND e.locale = 'en'
    LEFT JOIN service_translations t ON t.service_id = s.id AND t.locale = $1
    JOIN departments d ON d.id = s.department_id
    JOIN department_translations de ON de.department_id = d.id AND de.locale = 'en'
    LEFT JOIN department_translations dt ON dt.department_id = d.id AND dt.locale = $1";

pub async fn popular(
    pool: &PgPool,
    locale: Locale,
    limit: i64,
) -> Result<Vec<ServiceCard>, sqlx::Error> {
    // The few services are picked first, then dressed: joining every service's translations
    // before sorting took 11 ms at UMANG scale.
    sqlx::query_as(&format!(
        "WITH picked AS MATERIALIZED (
            SELECT id, row_number() OVER (ORDER BY popularity DESC, slug) AS rank
            FROM services WHERE published ORDER BY popularity DESC, slug LIMIT $2
         )
         {CARD_SELECT} JOIN picked p ON p.id = s.id ORDER BY p.rank"
    ))
    .bind(locale.code())
    .bind(limit)
    .fetch_all(pool)
    .await
}

pub async fn services_of_department(
    pool: &PgPool,
    code: &str,
    locale: Locale,
) -> Result<Vec<ServiceCard>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CARD_SELECT} WHERE s.published AND d.code = $2 ORDER BY s.popularity DESC, name"
    ))
    .bind(locale.code())
    .bind(code)
    .fetch_all(pool)
    .await
}

pub async fn services_in_category(
    pool: &PgPool,
    slug: &str,
    locale: Locale,
) -> Result<Vec<ServiceCard>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CARD_SELECT} JOIN categories c ON c.id = s.category_id
         WHERE s.published AND c.slug = $2 ORDER BY s.popularity DESC, name"
    ))
    .bind(locale.code())
    .bind(slug)
    .fetch_all(pool)
    .await
}

pub async fn services_for_life_event(
    pool: &PgPool,
    slug: &str,
    locale: Locale,
) -> Result<Vec<ServiceCard>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CARD_SELECT} JOIN service_life_events x ON x.service_id = s.id
         JOIN life_events l ON l.id = x.life_event_id
         WHERE s.published AND l.slug = $2 ORDER BY s.popularity DESC, name"
    ))
    .bind(locale.code())
    .bind(slug)
    .fetch_all(pool)
    .await
}
