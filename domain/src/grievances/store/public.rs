//! The public view for Open311 clients: what the city publishes of a grievance. Never a contact;
//! never what a citizen wrote after filing (replies, reopen reasons, rating comments): only
//! officials' public notes; the place to about a hundred metres, and nothing of the place of an
//! anonymous filing but its ward.

use super::OPEN;

/// Decimal places a published position keeps: 0.001° is about 110 m.
const PLACE_DECIMALS: i32 = 3;
use sqlx::PgPool;
use time::OffsetDateTime;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicRequest {
    pub number: String,
    pub status: String,
    pub status_notes: Option<String>,
    pub category_slug: String,
    pub category_name: String,
    pub description: String,
    pub department_name: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub deadline_at: Option<OffsetDateTime>,
    pub ward_number: Option<i32>,
    pub ward_name: Option<String>,
    pub landmark: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub media_url: Option<String>,
}

/// Filters of a public listing; `numbers` overrides the rest.
#[derive(Clone, Debug, Default)]
pub struct PublicFilter {
    pub numbers: Vec<String>,
    pub category_slugs: Vec<String>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    /// None: every state; Some(true): open ones; Some(false): closed ones.
    pub open: Option<bool>,
    pub limit: i64,
}

pub async fn public_requests(
    pool: &PgPool,
    f: &PublicFilter,
) -> Result<Vec<PublicRequest>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT g.number, g.status,
                (SELECT h.note FROM history h WHERE h.subject = 'grievance' AND h.subject_id = g.id AND h.public
                   AND h.actor_kind = 'official' AND h.note <> '' ORDER BY h.seq DESC LIMIT 1) AS status_notes,
                c.slug AS category_slug, c.name_en AS category_name, g.description,
                d.name AS department_name, g.created_at, g.updated_at, g.deadline_at,
                g.ward_number, w.name AS ward_name,
                CASE WHEN g.anonymous THEN '' ELSE g.landmark END AS landmark,
                CASE WHEN g.anonymous THEN '' ELSE g.address END AS address,
                CASE WHEN g.anonymous THEN NULL ELSE round(g.latitude::numeric, {PLACE_DECIMALS})::float8 END AS latitude,
                CASE WHEN g.anonymous THEN NULL ELSE round(g.longitude::numeric, {PLACE_DECIMALS})::float8 END AS longitude,
                g.media_url
         FROM grievances g
         JOIN grievance_categories c ON c.id = g.category_id
         JOIN department_translations d ON d.department_id = g.department_id AND d.locale = 'en'
         LEFT JOIN wards w ON w.number = g.ward_number
         WHERE CASE WHEN cardinality($1::text[]) > 0 THEN g.number = ANY($1)
               ELSE (cardinality($2::text[]) = 0 OR c.slug = ANY($2))
                    AND ($3::timestamptz IS NULL OR g.created_at >= $3)
                    AND ($4::timestamptz IS NULL OR g.created_at <= $4)
                    AND ($5::bool IS NULL OR (g.status IN {OPEN}) = $5)
               END
         ORDER BY g.created_at DESC LIMIT $6"
    ))
    .bind(&f.numbers)
    .bind(&f.category_slugs)
    .bind(f.from)
    .bind(f.to)
    .bind(f.open)
    .bind(f.limit)
    .fetch_all(pool)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicUpdate {
    pub number: String,
    pub seq: i32,
    pub status: String,
    pub at: OffsetDateTime,
    pub note: String,
}

/// The public steps of every grievance between two times, oldest first.
pub async fn public_updates(
    pool: &PgPool,
    from: OffsetDateTime,
    to: OffsetDateTime,
    limit: i64,
) -> Result<Vec<PublicUpdate>, sqlx::Error> {
    sqlx::query_as(
        "SELECT g.number, h.seq, h.facts->>'status' AS status, h.at,
                CASE WHEN h.actor_kind = 'official' THEN COALESCE(h.note, '') ELSE '' END AS note
         FROM history h JOIN grievances g ON g.id = h.subject_id
         WHERE h.subject = 'grievance' AND h.public AND h.at >= $1 AND h.at <= $2
         ORDER BY h.at, g.number, h.seq LIMIT $3",
    )
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(pool)
    .await
}
