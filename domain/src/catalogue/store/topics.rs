//! The topics services are browsed by: categories and life events, in the asked language, each
//! with the number of published services under it.

use crate::Locale;
use sqlx::PgPool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub service_count: i64,
}

pub async fn categories(pool: &PgPool, locale: Locale) -> Result<Vec<Topic>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT c.slug, ", tr!("name"), " AS name, '' AS description, c.icon,
            (SELECT count(*) FROM services s WHERE s.category_id = c.id AND s.published) AS service_count
         FROM categories c
         JOIN category_translations e ON e.category_id = c.id AND e.locale = 'en'
         LEFT JOIN category_translations t ON t.category_id = c.id AND t.locale = $1
         ORDER BY c.position, c.slug"
    ))
    .bind(locale.code())
    .fetch_all(pool)
    .await
}

pub async fn life_events(pool: &PgPool, locale: Locale) -> Result<Vec<Topic>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT l.slug, ",
        tr!("name"),
        " AS name, ",
        tr!("description"),
        " AS description, l.icon,
            (SELECT count(*) FROM service_life_events x JOIN services s ON s.id = x.service_id
             WHERE x.life_event_id = l.id AND s.published) AS service_count
         FROM life_events l
         JOIN life_event_translations e ON e.life_event_id = l.id AND e.locale = 'en'
         LEFT JOIN life_event_translations t ON t.life_event_id = l.id AND t.locale = $1
         ORDER BY l.position, l.slug"
    ))
    .bind(locale.code())
    .fetch_all(pool)
    .await
}
