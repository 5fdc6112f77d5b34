//! What people read: the categories and wards to file under, a citizen's list (the officials'
//! queue is `work`'s), one grievance with its timeline and photos, and who it belongs to.

use crate::grievances::history::STATE_COLUMNS;
use crate::grievances::{GrievanceNumber, Ownership};
use crate::ids::{AccountId, DepartmentId};
use crate::Locale;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Category {
    pub id: Uuid,
    pub slug: String,
    pub parent_id: Option<Uuid>,
    pub department_id: DepartmentId,
    pub department_name: String,
    pub name: String,
    pub allows_anonymous: bool,
    pub keypad: Option<String>,
    pub keywords: String,
    pub is_leaf: bool,
}

/// Every category, parents before children, in the language asked for.
pub async fn categories(pool: &PgPool, locale: Locale) -> Result<Vec<Category>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.slug, c.parent_id, c.department_id,
                COALESCE(dt.name, de.name) AS department_name,
                CASE $1 WHEN 'or' THEN c.name_or WHEN 'hi' THEN c.name_hi ELSE c.name_en END AS name,
                c.allows_anonymous, c.keypad, c.keywords,
                NOT EXISTS (SELECT 1 FROM grievance_categories k WHERE k.parent_id = c.id) AS is_leaf
         FROM grievance_categories c
         JOIN department_translations de ON de.department_id = c.department_id AND de.locale = 'en'
         LEFT JOIN department_translations dt ON dt.department_id = c.department_id AND dt.locale = $1
         LEFT JOIN grievance_categories p ON p.id = c.parent_id
         ORDER BY department_name, COALESCE(p.position, c.position), c.parent_id NULLS FIRST, c.position",
    )
    .bind(locale.code())
    .fetch_all(pool)
    .await
}

pub async fn wards(pool: &PgPool) -> Result<Vec<(i32, String)>, sqlx::Error> {
    sqlx::query_as("SELECT number, name FROM wards ORDER BY number")
        .fetch_all(pool)
        .await
}

/// Who a grievance belongs to, for the caller checks.
pub async fn ownership(pool: &PgPool, id: Uuid) -> Result<Option<Ownership>, sqlx::Error> {
    type Row = (Option<Uuid>, Uuid, Option<Uuid>, Vec<Uuid>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT filer_id, department_id, assignee_id,
                ARRAY(SELECT account_id FROM grievance_followers f WHERE f.grievance_id = g.id)
         FROM grievances g WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(
        row.map(|(filer, department, assignee, followers)| Ownership {
            filer_id: filer.map(Into::into),
            department_id: department.into(),
            assignee_id: assignee.map(Into::into),
            followers: followers.into_iter().map(Into::into).collect(),
        }),
    )
}

pub async fn id_by_number(
    pool: &PgPool,
    number: &GrievanceNumber,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM grievances WHERE number = $1")
        .bind(number.as_str())
        .fetch_optional(pool)
        .await
}

/// A grievance's photos: (id, history entry) in order.
pub async fn photo_ids(pool: &PgPool, grievance: Uuid) -> Result<Vec<(Uuid, i32)>, sqlx::Error> {
    sqlx::query_as("SELECT id, history_seq FROM grievance_photos WHERE grievance_id = $1 ORDER BY history_seq, position")
        .bind(grievance)
        .fetch_all(pool)
        .await
}

/// One photo's JPEG, with the grievance it belongs to (for the caller check).
pub async fn photo(pool: &PgPool, id: Uuid) -> Result<Option<(Uuid, Vec<u8>)>, sqlx::Error> {
    sqlx::query_as("SELECT grievance_id, content FROM grievance_photos WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Summary {
    pub id: Uuid,
    pub number: String,
    pub status: String,
    pub channel: String,
    pub category_name: String,
    pub department_name: String,
    pub ward_number: Option<i32>,
    pub landmark: String,
    pub description: String,
    pub assignee_name: Option<String>,
    pub level: i32,
    pub deadline_at: Option<OffsetDateTime>,
    pub overdue_since: Option<OffsetDateTime>,
    pub me_too_count: i32,
    pub created_at: OffsetDateTime,
}

const SUMMARY_COLUMNS: &str = "g.id, g.number, g.status, g.channel,
    CASE $1 WHEN 'or' THEN c.name_or WHEN 'hi' THEN c.name_hi ELSE c.name_en END AS category_name,
    COALESCE(dt.name, de.name) AS department_name,
    g.ward_number, g.landmark, g.description, a.name AS assignee_name, g.level, g.deadline_at,
    g.overdue_since, g.me_too_count, g.created_at";

/// The grievances and what a summary shows of them; the language is `$1`.
const SUMMARY_FROM: &str = "FROM grievances g
    JOIN grievance_categories c ON c.id = g.category_id
    JOIN department_translations de ON de.department_id = g.department_id AND de.locale = 'en'
    LEFT JOIN department_translations dt ON dt.department_id = g.department_id AND dt.locale = $1
    LEFT JOIN users a ON a.id = g.assignee_id";

/// `SELECT` a summary; the language is `$1`.
fn summary_select() -> String {
    format!("SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM}")
}

/// A citizen's own grievances and those they joined with "me too", newest first.
pub async fn filed_by(
    pool: &PgPool,
    filer: AccountId,
    locale: Locale,
) -> Result<Vec<Summary>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} WHERE g.filer_id = $2
              OR g.id IN (SELECT grievance_id FROM grievance_followers WHERE account_id = $2)
         ORDER BY g.created_at DESC LIMIT 200",
        summary_select()
    ))
    .bind(locale.code())
    .bind(filer)
    .fetch_all(pool)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Detail {
    #[sqlx(flatten)]
    pub summary: Summary,
    pub category_id: Uuid,
    pub department_id: DepartmentId,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub recording_url: Option<String>,
    pub filer_id: Option<AccountId>,
    pub anonymous: bool,
    pub contact_name: String,
    pub contact_mobile: Option<String>,
    pub contact_email: Option<String>,
    pub assignee_id: Option<AccountId>,
    pub reopen_count: i32,
    pub resolved_at: Option<OffsetDateTime>,
    pub rating: Option<i16>,
    pub rating_comment: Option<String>,
    pub external_system: Option<String>,
    pub external_ref: Option<String>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TimelineEntry {
    pub seq: i32,
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_name: Option<String>,
    pub kind: String,
    pub status: String,
    pub assignee_name: Option<String>,
    pub department_name: Option<String>,
    pub level: i32,
    pub deadline_at: Option<OffsetDateTime>,
    pub note: String,
    pub public: bool,
}

pub async fn detail(
    pool: &PgPool,
    id: Uuid,
    locale: Locale,
) -> Result<Option<Detail>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SUMMARY_COLUMNS}, g.category_id, g.department_id, g.address, g.latitude, g.longitude,
                g.recording_url, g.filer_id, g.anonymous, g.contact_name, g.contact_mobile, g.contact_email,
                g.assignee_id, g.reopen_count, g.resolved_at, g.rating, g.rating_comment, g.external_system,
                g.external_ref
         {SUMMARY_FROM} WHERE g.id = $2"
    ))
        .bind(locale.code())
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Every step, oldest first; internal notes only when `staff`.
pub async fn timeline(
    pool: &PgPool,
    id: Uuid,
    staff: bool,
    locale: Locale,
) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    sqlx::query_as(
        &format!(
            "SELECT e.seq, e.at, e.actor_kind, u.name AS actor_name, e.kind, e.status, a.name AS assignee_name,
                    COALESCE(dt.name, de.name) AS department_name, e.level, e.deadline_at, e.note, e.public
             FROM (SELECT h.seq, h.at, h.actor_id, h.actor_kind, h.kind, h.public, {STATE_COLUMNS}
                   FROM history h
                   WHERE h.subject = 'grievance' AND h.subject_id = $1 AND (h.public OR $2)) e
             LEFT JOIN users u ON u.id = e.actor_id
             LEFT JOIN users a ON a.id = e.assignee_id
             LEFT JOIN department_translations de ON de.department_id = e.department_id AND de.locale = 'en'
             LEFT JOIN department_translations dt ON dt.department_id = e.department_id AND dt.locale = $3
             ORDER BY e.seq"
        ),
    )
    .bind(id)
    .bind(staff)
    .bind(locale.code())
    .fetch_all(pool)
    .await
}
