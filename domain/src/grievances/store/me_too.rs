//! "Me too" in the database: the same problem open nearby, and joining it.

use super::{append, lock, tell_staff, OPEN};
use crate::grievances::history;
use crate::grievances::{Event, Notice};
use crate::ids::AccountId;
use crate::problem::Problem;
use crate::Locale;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// An open grievance like the one being filed, offered to join.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Similar {
    pub number: String,
    pub status: String,
    pub category_name: String,
    pub ward_number: Option<i32>,
    pub landmark: String,
    pub description: String,
    pub me_too_count: i32,
    pub created_at: OffsetDateTime,
}

/// What is being filed, for finding the same problem already open nearby.
#[derive(Clone, Debug, Default)]
pub struct Lookalike {
    pub category_id: Uuid,
    pub ward: Option<i32>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub landmark: String,
    pub description: String,
    /// The person filing: their own grievances and those they joined are not offered.
    pub citizen: Option<AccountId>,
}

/// Open grievances of the same category, near (same ward, or within `NEAR_METRES` by location),
/// recent, with a similar text (description and landmark, by trigrams); the most alike first.
/// What is offered to a citizen is noted (`me_too_offers`): only that can be joined.
pub async fn similar_open(
    pool: &PgPool,
    like: &Lookalike,
    now: OffsetDateTime,
    locale: Locale,
) -> Result<Vec<Similar>, sqlx::Error> {
    use crate::grievances::me_too::{
        LEAST_TEXT_SIMILARITY, MOST_OFFERED, NEAR_METRES, RECENT_DAYS,
    };
    let text = format!("{} {}", like.description.trim(), like.landmark.trim());
    if like.ward.is_none() && (like.latitude.is_none() || like.longitude.is_none()) {
        return Ok(Vec::new());
    }
    sqlx::query_as(&format!(
        "WITH found AS (
         SELECT g.id, g.number, g.status,
                CASE $9 WHEN 'or' THEN c.name_or WHEN 'hi' THEN c.name_hi ELSE c.name_en END AS category_name,
                g.ward_number, g.landmark, g.description, g.me_too_count, g.created_at,
                similarity(g.description || ' ' || g.landmark, $5) AS alike
         FROM grievances g JOIN grievance_categories c ON c.id = g.category_id
         WHERE g.category_id = $1 AND g.status IN {OPEN}
           AND g.created_at > $7 - make_interval(days => {RECENT_DAYS})
           AND (($2::int IS NOT NULL AND g.ward_number = $2)
                OR ($3::float8 IS NOT NULL AND $4::float8 IS NOT NULL AND g.latitude IS NOT NULL
                    AND 6371000 * sqrt(power(radians(g.latitude - $3), 2)
                        + power(cos(radians(($3 + g.latitude) / 2)) * radians(g.longitude - $4), 2)) < {NEAR_METRES}))
           AND ($6::uuid IS NULL OR (g.filer_id IS DISTINCT FROM $6
                AND NOT EXISTS (SELECT 1 FROM grievance_followers f WHERE f.grievance_id = g.id AND f.account_id = $6)))
           AND similarity(g.description || ' ' || g.landmark, $5) >= {LEAST_TEXT_SIMILARITY}
         ORDER BY alike DESC, g.me_too_count DESC
         LIMIT $8
         ),
         offered AS (
             INSERT INTO me_too_offers (account_id, grievance_id, offered_at)
             SELECT $6, id, $7 FROM found WHERE $6::uuid IS NOT NULL
             ON CONFLICT (account_id, grievance_id) DO UPDATE SET offered_at = EXCLUDED.offered_at
         )
         SELECT number, status, category_name, ward_number, landmark, description, me_too_count, created_at
         FROM found ORDER BY alike DESC, me_too_count DESC"
    ))
    .bind(like.category_id)
    .bind(like.ward)
    .bind(like.latitude)
    .bind(like.longitude)
    .bind(&text)
    .bind(like.citizen)
    .bind(now)
    .bind(MOST_OFFERED)
    .bind(locale.code())
    .fetch_all(pool)
    .await
}

/// A citizen joins an open grievance with "me too": they follow it, its count rises (and with
/// it, past a threshold, its priority, which its assignee is told), and its history records it.
/// Joining twice changes nothing. Answers the count of people who joined.
#[tracing::instrument(name = "grievances::join_me_too", skip_all, fields(grievance = %id))]
pub async fn join_me_too(
    pool: &PgPool,
    id: Uuid,
    citizen: AccountId,
    now: OffsetDateTime,
) -> Result<i32, Problem> {
    use crate::grievances::me_too::{
        check_join, raised_priority, JoinRefusal, OFFER_VALID_MINUTES,
    };
    let now = history::to_micros(now);
    let mut tx = pool.begin().await?;
    let g = lock(&mut tx, id).await?;
    let (count, offered): (i32, bool) = sqlx::query_as(
        "SELECT me_too_count, EXISTS (SELECT 1 FROM me_too_offers o
                 WHERE o.account_id = $2 AND o.grievance_id = g.id AND o.offered_at > $3)
         FROM grievances g WHERE id = $1",
    )
    .bind(id)
    .bind(citizen)
    .bind(now - time::Duration::minutes(OFFER_VALID_MINUTES))
    .fetch_one(&mut *tx)
    .await?;
    check_join(g.filer_id == Some(citizen), offered, g.status.is_open()).map_err(
        |why| match why {
            JoinRefusal::NotOffered => Problem::NotFound,
            other => Problem::field("me_too", other.code()),
        },
    )?;
    let joined = sqlx::query(
        "INSERT INTO grievance_followers (grievance_id, account_id, joined_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(citizen)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !joined {
        return Ok(count);
    }
    let after = count + 1;
    let mut entry = g.system_entry(Event::MeToo, now);
    entry.actor_id = Some(citizen);
    entry.actor_kind = "citizen".into();
    entry.facts.set("me_too_count", after);
    let hash = append(&mut tx, &g, &entry).await?;
    sqlx::query(
        "UPDATE grievances SET me_too_count = $2, history_seq = $3, history_head = $4, updated_at = $5
         WHERE id = $1",
    )
    .bind(id)
    .bind(after)
    .bind(entry.seq)
    .bind(&hash)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if let Some(priority) = raised_priority(count, after) {
        let notice = Notice::PriorityRaised {
            number: g.number.clone(),
            people: after + 1,
            priority,
        };
        tell_staff(&mut tx, &g, g.assignee_id, &notice).await?;
    }
    tx.commit().await?;
    Ok(after)
}
