//! Grievance queries: filing from any channel, routing, the steps people take, the escalation
//! worker's sweeps, the lists and timelines people read, and the history check.

use super::escalation::{self, default_ladder, Level, LevelAssignee};
use super::history::{self, Entry};
use super::{
    check_note, next_status, Action, Channel, GrievanceNumber, Notice, Ownership, Status,
    TransitionError, Wording,
};
use crate::db::new_id;
use crate::identity::FieldError;
use crate::notifications;
use crate::Locale;
use sqlx::{PgPool, Postgres, Transaction};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const OPEN: &str = "('submitted', 'assigned', 'in_progress', 'reopened')";

// ---------------------------------------------------------------------------------------------
// Reference data: categories and wards

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Category {
    pub id: Uuid,
    pub slug: String,
    pub parent_id: Option<Uuid>,
    pub department_id: Uuid,
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

// ---------------------------------------------------------------------------------------------
// Filing

/// A grievance as it arrives, from whichever channel. Checked fields come in already parsed.
#[derive(Clone, Debug)]
pub struct Filing {
    pub channel: Channel,
    pub category_id: Uuid,
    /// The category by its slug instead (other systems name it so): looked up in the filing's
    /// plan query, which saves the API a round trip.
    pub category_slug: Option<String>,
    pub ward: Option<i32>,
    pub landmark: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub description: String,
    pub recording_url: Option<String>,
    /// The signed-in citizen filing it (None for assisted, gateway and anonymous filings).
    pub filer_id: Option<Uuid>,
    pub anonymous: bool,
    pub contact_name: String,
    pub contact_mobile: Option<String>,
    pub contact_email: Option<String>,
    pub locale: Locale,
    /// Another system's (name, reference): a repeat returns the grievance already made.
    pub external: Option<(String, String)>,
    /// A client's key for this filing: a retry returns the grievance already made.
    pub idempotency_key: Option<String>,
    pub intake_key_id: Option<Uuid>,
    /// The call-centre or kiosk agent who filed it for someone.
    pub agent_id: Option<Uuid>,
    /// A link to media another system holds for it (Open311's media_url).
    pub media_url: Option<String>,
    /// Photos, already checked and re-encoded (`photos::prepare`).
    pub photos: Vec<super::photos::Photo>,
}

impl Filing {
    /// The place and text rules every channel's filing meets (`check_filing`).
    pub fn problems(&self) -> Vec<FieldError> {
        super::check_filing(&super::FilingInput {
            category_chosen: true,
            description: self.description.clone(),
            ward: self.ward,
            landmark: self.landmark.clone(),
            address: self.address.clone(),
            latitude: self.latitude,
            longitude: self.longitude,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filed {
    pub id: Uuid,
    pub number: String,
    /// True when this filing repeated an earlier one (same idempotency key or external reference).
    pub repeated: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum FilingProblem {
    #[error("the filing has problems")]
    Fields(Vec<FieldError>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(sqlx::FromRow)]
struct FilingPlan {
    category_id: Uuid,
    department_id: Uuid,
    allows_anonymous: bool,
    is_leaf: bool,
    ward_exists: bool,
    routed: Option<Uuid>,
    hours: i32,
    warn_percent: i32,
    serial: i64,
    /// The filer has a device subscribed to web push.
    pushable: bool,
}

/// Files a grievance. Two round trips and one commit: the plan (category, route, first level,
/// serial) in one query, then one statement that writes the grievance, its first history entry
/// and the acknowledgement together — intake is the hot path of every channel.
pub async fn file(
    pool: &PgPool,
    f: Filing,
    now: OffsetDateTime,
    wording: &dyn Wording,
) -> Result<Filed, FilingProblem> {
    // A repeat (same idempotency key or external reference) is found by the insert's conflict,
    // not by a lookup first: the first filing, by far the common case, pays nothing for it.
    let plan: Option<FilingPlan> = sqlx::query_as(
        "WITH RECURSIVE picked AS (
             SELECT id FROM grievance_categories WHERE CASE WHEN $6::text IS NULL THEN id = $1 ELSE slug = $6 END
         ),
         up(id, parent_id, depth) AS (
             SELECT c.id, c.parent_id, 0 FROM grievance_categories c JOIN picked ON c.id = picked.id
             UNION ALL
             SELECT c.id, c.parent_id, up.depth + 1 FROM grievance_categories c JOIN up ON c.id = up.parent_id
         ),
         cat AS (SELECT c.id, c.department_id, c.allows_anonymous,
                        NOT EXISTS (SELECT 1 FROM grievance_categories k WHERE k.parent_id = c.id) AS is_leaf
                 FROM grievance_categories c JOIN picked ON c.id = picked.id),
         first_level AS (
             SELECT e.hours, e.warn_percent FROM up JOIN escalation_levels e ON e.category_id = up.id
             WHERE e.level = 1 ORDER BY up.depth LIMIT 1
         )
         SELECT cat.id AS category_id, cat.department_id, cat.allows_anonymous, cat.is_leaf,
                ($2::int IS NULL OR EXISTS (SELECT 1 FROM wards WHERE number = $2)) AS ward_exists,
                (SELECT r.official_id FROM up JOIN grievance_routes r ON r.category_id = up.id
                   JOIN users u ON u.id = r.official_id
                        AND u.role IN ('official', 'department_admin') AND u.department_id = cat.department_id
                  WHERE r.ward_number = $2 OR r.ward_number IS NULL
                  ORDER BY r.ward_number IS NULL, up.depth LIMIT 1) AS routed,
                COALESCE((SELECT hours FROM first_level), $3) AS hours,
                COALESCE((SELECT warn_percent FROM first_level), $4) AS warn_percent,
                nextval('grievance_number_seq') AS serial,
                ($5::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM push_subscriptions WHERE account_id = $5)) AS pushable
         FROM cat",
    )
    .bind(f.category_id)
    .bind(f.ward)
    .bind(default_ladder()[0].hours)
    .bind(default_ladder()[0].warn_percent)
    .bind(f.filer_id)
    .bind(&f.category_slug)
    .fetch_optional(pool)
    .await?;
    let Some(plan) = plan.filter(|p| p.is_leaf) else {
        return Err(FilingProblem::Fields(vec![FieldError::new(
            "category",
            "err_category_required",
        )]));
    };
    let mut problems = Vec::new();
    if !plan.ward_exists {
        problems.push(FieldError::new("ward", "err_ward_invalid"));
    }
    if f.anonymous && !plan.allows_anonymous {
        problems.push(FieldError::new("anonymous", "err_anonymous_not_allowed"));
    }
    if !problems.is_empty() {
        return Err(FilingProblem::Fields(problems));
    }
    // Nobody routed: the department admin takes it at level 1 (and is the one told).
    let assignee = match plan.routed {
        Some(id) => Some(id),
        None => least_loaded(pool, "department_admin", Some(plan.department_id)).await?,
    };
    let now = history::to_micros(now);
    let number = GrievanceNumber::new(now.year(), plan.serial as u64).to_string();
    let id = new_id();
    let deadline = history::to_micros(now + Duration::hours(plan.hours as i64));
    let warn_at = now
        + Duration::seconds(escalation::warn_after_seconds(
            plan.hours,
            plan.warn_percent,
        ));
    let status = if assignee.is_some() {
        Status::Assigned
    } else {
        Status::Submitted
    };
    let facts = format!(
        "channel={};category={};ward={};landmark={};address={};lat={};lon={};anonymous={};contact={}|{}|{};external={}",
        f.channel.as_str(),
        plan.category_id,
        f.ward.map(|w| w.to_string()).unwrap_or_default(),
        f.landmark,
        f.address,
        f.latitude.map(|v| v.to_string()).unwrap_or_default(),
        f.longitude.map(|v| v.to_string()).unwrap_or_default(),
        f.anonymous,
        f.contact_name,
        f.contact_mobile.clone().unwrap_or_default(),
        f.contact_email.clone().unwrap_or_default(),
        f.external.as_ref().map(|(s, r)| format!("{s}:{r}")).unwrap_or_default(),
    ) + &f.media_url.as_ref().map(|m| format!(";media={m}")).unwrap_or_default()
        + &photo_facts(&f.photos);
    let entry = Entry {
        grievance_id: id,
        seq: 1,
        at: now,
        actor_id: f.filer_id.or(f.agent_id),
        actor_kind: if f.filer_id.is_some() {
            "citizen".into()
        } else {
            f.channel.as_str().into()
        },
        kind: "filed".into(),
        status: status.as_str().into(),
        assignee_id: assignee,
        department_id: Some(plan.department_id),
        level: 1,
        deadline_at: Some(deadline),
        note: f.description.trim().to_string(),
        facts,
        public: true,
    };
    let hash = history::entry_hash(&history::GENESIS, &entry);
    let ack = wording.notice(
        f.locale,
        &Notice::Filed {
            number: number.clone(),
        },
    );
    let chain = notifications::delivery_chain(&notifications::Reach {
        push_account: f.filer_id.filter(|_| plan.pushable).map(|a| a.to_string()),
        mobile: f.contact_mobile.clone(),
        email: f.contact_email.clone(),
    });
    let (ack_to, ack_fallbacks) = match chain.split_first() {
        Some((first, rest)) => (Some(first.clone()), notifications::fallbacks_json(rest)),
        None => (None, "[]".to_string()),
    };
    let (external_system, external_ref) = f.external.clone().unzip();
    let inserted: Option<(Uuid,)> = sqlx::query_as(
        "WITH g AS (
             INSERT INTO grievances (id, number, channel, category_id, department_id, ward_number, landmark,
                 address, latitude, longitude, description, recording_url, filer_id, anonymous, contact_name,
                 contact_mobile, contact_email, locale, status, assignee_id, level, deadline_at, warn_at,
                 external_system, external_ref, idempotency_key, intake_key_id, agent_id, created_at,
                 updated_at, history_seq, history_head, media_url)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                 $20, 1, $21, $22, $23, $24, $25, $26, $27, $28, $28, 1, $29, $37)
             ON CONFLICT DO NOTHING
             RETURNING id
         ),
         h AS (
             INSERT INTO grievance_history (grievance_id, seq, at, actor_id, actor_kind, kind, status,
                 assignee_id, department_id, level, deadline_at, note, facts, public, prev_hash, hash)
             SELECT id, 1, $28, $30, $31, 'filed', $19, $20, $5, 1, $21, $11, $32, true, $33, $29 FROM g
         ),
         ack AS (
             INSERT INTO notifications (id, channel, recipient, subject, body, link, fallbacks)
             SELECT $34, $36, $44, $2, $35, '/grievances/' || $2, $45::jsonb FROM g WHERE $36::text IS NOT NULL
         ),
         photos AS (
             INSERT INTO grievance_photos (id, grievance_id, history_seq, position, content, sha256, width, height)
             SELECT p.id, g.id, 1, p.position, p.content, p.sha256, p.width, p.height
             FROM g, unnest($38::uuid[], $39::int[], $40::bytea[], $41::bytea[], $42::int[], $43::int[])
                  AS p(id, position, content, sha256, width, height)
         )
         SELECT id FROM g",
    )
    .bind(id)
    .bind(&number)
    .bind(f.channel.as_str())
    .bind(plan.category_id)
    .bind(plan.department_id)
    .bind(f.ward)
    .bind(f.landmark.trim())
    .bind(f.address.trim())
    .bind(f.latitude)
    .bind(f.longitude)
    .bind(&entry.note)
    .bind(&f.recording_url)
    .bind(f.filer_id)
    .bind(f.anonymous)
    .bind(f.contact_name.trim())
    .bind(&f.contact_mobile)
    .bind(&f.contact_email)
    .bind(f.locale.code())
    .bind(status.as_str())
    .bind(assignee)
    .bind(deadline)
    .bind(warn_at)
    .bind(&external_system)
    .bind(&external_ref)
    .bind(&f.idempotency_key)
    .bind(f.intake_key_id)
    .bind(f.agent_id)
    .bind(now)
    .bind(&hash)
    .bind(entry.actor_id)
    .bind(&entry.actor_kind)
    .bind(&entry.facts)
    .bind(&history::GENESIS[..])
    .bind(new_id())
    .bind(&ack)
    .bind(ack_to.as_ref().map(|a| a.channel.as_str()))
    .bind(&f.media_url)
    .bind(f.photos.iter().map(|_| new_id()).collect::<Vec<_>>())
    .bind((1..=f.photos.len() as i32).collect::<Vec<_>>())
    .bind(f.photos.iter().map(|p| p.jpeg.clone()).collect::<Vec<_>>())
    .bind(f.photos.iter().map(|p| p.sha256.clone()).collect::<Vec<_>>())
    .bind(f.photos.iter().map(|p| p.width as i32).collect::<Vec<_>>())
    .bind(f.photos.iter().map(|p| p.height as i32).collect::<Vec<_>>())
    .bind(ack_to.as_ref().map(|a| a.recipient.as_str()))
    .bind(&ack_fallbacks)
    .fetch_optional(pool)
    .await?;
    match inserted {
        Some(_) => Ok(Filed {
            id,
            number,
            repeated: false,
        }),
        // Lost a race with the same key or reference: answer with the one that won.
        None => repeated(pool, &f).await?.ok_or_else(|| {
            FilingProblem::Database(sqlx::Error::Protocol(
                "filing conflicted but no grievance found".into(),
            ))
        }),
    }
}

/// The photos' hashes, for the history entry they came with.
fn photo_facts(photos: &[super::photos::Photo]) -> String {
    if photos.is_empty() {
        return String::new();
    }
    let hashes: Vec<String> = photos
        .iter()
        .map(|p| p.sha256.iter().map(|b| format!("{b:02x}")).collect())
        .collect();
    format!(";photos={}", hashes.join(","))
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

/// The grievance an earlier identical filing made (same idempotency key from the same filer, or
/// the same external reference), if any.
async fn repeated(pool: &PgPool, f: &Filing) -> Result<Option<Filed>, FilingProblem> {
    if let Some(key) = &f.idempotency_key {
        let found: Option<(Uuid, String, Option<Uuid>)> = sqlx::query_as(
            "SELECT id, number, filer_id FROM grievances WHERE idempotency_key = $1",
        )
        .bind(key)
        .fetch_optional(pool)
        .await?;
        if let Some((id, number, filer)) = found {
            // A key is the client's own; someone else's key is not a way to read their grievance.
            if filer != f.filer_id {
                return Err(FilingProblem::Fields(vec![FieldError::new(
                    "idempotency_key",
                    "err_unexpected",
                )]));
            }
            return Ok(Some(Filed {
                id,
                number,
                repeated: true,
            }));
        }
    }
    if let Some((system, reference)) = &f.external {
        let found: Option<(Uuid, String)> = sqlx::query_as(
            "SELECT id, number FROM grievances WHERE external_system = $1 AND external_ref = $2",
        )
        .bind(system)
        .bind(reference)
        .fetch_optional(pool)
        .await?;
        if let Some((id, number)) = found {
            return Ok(Some(Filed {
                id,
                number,
                repeated: true,
            }));
        }
    }
    Ok(None)
}

/// The staff member with `role` (in `department`, if given) who has the fewest open grievances.
async fn least_loaded<'e>(
    db: impl sqlx::PgExecutor<'e>,
    role: &str,
    department: Option<Uuid>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT u.id FROM users u WHERE u.role = $1 AND ($2::uuid IS NULL OR u.department_id = $2)
         ORDER BY (SELECT count(*) FROM grievances g WHERE g.assignee_id = u.id AND g.status IN {OPEN}),
                  u.created_at
         LIMIT 1"
    ))
    .bind(role)
    .bind(department)
    .fetch_optional(db)
    .await
}

// ---------------------------------------------------------------------------------------------
// Steps people take

#[derive(sqlx::FromRow)]
struct Locked {
    id: Uuid,
    number: String,
    status: String,
    category_id: Uuid,
    department_id: Uuid,
    ward_number: Option<i32>,
    assignee_id: Option<Uuid>,
    level: i32,
    deadline_at: Option<OffsetDateTime>,
    reopen_count: i32,
    resolved_at: Option<OffsetDateTime>,
    history_seq: i32,
    history_head: Option<Vec<u8>>,
    contact_mobile: Option<String>,
    contact_email: Option<String>,
    locale: String,
    filer_id: Option<Uuid>,
}

const LOCKED_COLUMNS: &str = "id, number, status, category_id, department_id, ward_number,
    assignee_id, level, deadline_at, reopen_count, resolved_at, history_seq, history_head,
    contact_mobile, contact_email, locale, filer_id";

impl Locked {
    /// The next history entry, by the clock (no person acted): the grievance as it stands, with
    /// `kind`; callers change what the step changes.
    fn system_entry(&self, kind: &str, now: OffsetDateTime) -> Entry {
        Entry {
            grievance_id: self.id,
            seq: self.history_seq + 1,
            at: now,
            actor_id: None,
            actor_kind: "system".into(),
            kind: kind.into(),
            status: self.status.clone(),
            assignee_id: self.assignee_id,
            department_id: Some(self.department_id),
            level: self.level,
            deadline_at: self.deadline_at,
            note: String::new(),
            facts: String::new(),
            public: true,
        }
    }
    fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Submitted)
    }
    fn locale(&self) -> Locale {
        Locale::from_code(&self.locale).unwrap_or_default()
    }
}

/// Who a grievance belongs to, for the caller checks.
pub async fn ownership(pool: &PgPool, id: Uuid) -> Result<Option<Ownership>, sqlx::Error> {
    let row: Option<(Option<Uuid>, Uuid, Option<Uuid>, Vec<Uuid>)> = sqlx::query_as(
        "SELECT filer_id, department_id, assignee_id,
                ARRAY(SELECT account_id FROM grievance_followers f WHERE f.grievance_id = g.id)
         FROM grievances g WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(
        row.map(|(filer, department, assignee, followers)| Ownership {
            filer_id: filer.map(|u| u.to_string()),
            department_id: department.to_string(),
            assignee_id: assignee.map(|u| u.to_string()),
            followers: followers.iter().map(Uuid::to_string).collect(),
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

/// A step someone takes. The caller has checked that they may (`may_act`).
#[derive(Clone, Debug)]
pub struct Step {
    pub action: Action,
    pub actor_id: Uuid,
    pub note: String,
    /// For a transfer: the category (of another department) it goes to.
    pub transfer_to: Option<Uuid>,
    /// For the citizen's confirmation: their rating, 1–5.
    pub rating: Option<i16>,
    /// Photos that come with the step (a resolution's "after" picture).
    pub photos: Vec<super::photos::Photo>,
}

#[derive(Debug, thiserror::Error)]
pub enum StepProblem {
    #[error("no such grievance")]
    NotFound,
    #[error("the step has problems")]
    Fields(Vec<FieldError>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<TransitionError> for StepProblem {
    fn from(e: TransitionError) -> StepProblem {
        StepProblem::Fields(vec![FieldError::new("note", e.code())])
    }
}

/// Takes one step on a grievance: checks it applies now, changes the grievance, appends the
/// history entry and tells whoever should know, in one transaction.
pub async fn take_step(
    pool: &PgPool,
    id: Uuid,
    step: Step,
    now: OffsetDateTime,
    wording: &dyn Wording,
) -> Result<Status, StepProblem> {
    let now = history::to_micros(now);
    if let Some(problem) = check_note(step.action, &step.note) {
        return Err(StepProblem::Fields(vec![problem]));
    }
    if matches!(step.action, Action::ConfirmFixed | Action::ConfirmNotFixed)
        && !step.rating.is_some_and(|r| (1..=5).contains(&r))
    {
        return Err(StepProblem::Fields(vec![FieldError::new(
            "rating",
            "err_rating_required",
        )]));
    }
    let mut tx = pool.begin().await?;
    let g: Locked = sqlx::query_as(&format!(
        "SELECT {LOCKED_COLUMNS} FROM grievances WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StepProblem::NotFound)?;
    let days = g.resolved_at.map(|r| (now - r).whole_days()).unwrap_or(0);
    let status = next_status(g.status(), step.action, days, g.reopen_count)?;
    let note = step.note.trim().to_string();
    let mut assignee = g.assignee_id;
    let mut department = g.department_id;
    let mut level = g.level;
    let mut deadline = g.deadline_at;
    let mut warn_at: Option<OffsetDateTime> = None;
    let mut keep_warn = true;
    let mut category = g.category_id;
    match step.action {
        Action::Transfer => {
            let target = step.transfer_to.ok_or_else(|| {
                StepProblem::Fields(vec![FieldError::new("category", "err_category_required")])
            })?;
            let plan: Option<(Uuid, bool)> = sqlx::query_as(
                "SELECT department_id, NOT EXISTS (SELECT 1 FROM grievance_categories k WHERE k.parent_id = c.id)
                 FROM grievance_categories c WHERE id = $1",
            )
            .bind(target)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((target_department, true)) = plan.filter(|(d, _)| *d != g.department_id)
            else {
                return Err(StepProblem::Fields(vec![FieldError::new(
                    "category",
                    "err_transfer_department",
                )]));
            };
            category = target;
            department = target_department;
            assignee = match route(&mut tx, target, g.ward_number, target_department).await? {
                Some(a) => Some(a),
                None => least_loaded(&mut *tx, "department_admin", Some(target_department)).await?,
            };
            let first = ladder(&mut *tx, target)
                .await?
                .into_iter()
                .next()
                .unwrap_or_else(|| default_ladder()[0].clone());
            level = 1;
            deadline = Some(now + Duration::hours(first.hours as i64));
            warn_at = Some(
                now + Duration::seconds(escalation::warn_after_seconds(
                    first.hours,
                    first.warn_percent,
                )),
            );
            keep_warn = false;
        }
        Action::Reopen => {
            // The clock starts again at the level it was on.
            let levels = ladder(&mut *tx, g.category_id).await?;
            let current = escalation::level_of(&levels, g.level)
                .cloned()
                .unwrap_or_else(|| default_ladder()[0].clone());
            deadline = Some(now + Duration::hours(current.hours as i64));
            warn_at = Some(
                now + Duration::seconds(escalation::warn_after_seconds(
                    current.hours,
                    current.warn_percent,
                )),
            );
            keep_warn = false;
        }
        Action::Resolve | Action::Reject | Action::ConfirmFixed | Action::ConfirmNotFixed => {
            warn_at = None;
            keep_warn = false;
        }
        _ => {}
    }
    let public = step.action != Action::InternalNote;
    let actor_kind = if step.action.is_staff_action() {
        "official"
    } else {
        "citizen"
    };
    let entry = Entry {
        grievance_id: g.id,
        seq: g.history_seq + 1,
        at: now,
        actor_id: Some(step.actor_id),
        actor_kind: actor_kind.into(),
        kind: step.action.as_str().into(),
        status: status.as_str().into(),
        assignee_id: assignee,
        department_id: Some(department),
        level,
        deadline_at: deadline.map(history::to_micros),
        note: note.clone(),
        facts: photo_facts(&step.photos),
        public,
    };
    let hash = append(&mut tx, &g, &entry).await?;
    for (i, p) in step.photos.iter().enumerate() {
        sqlx::query(
            "INSERT INTO grievance_photos (id, grievance_id, history_seq, position, content, sha256, width, height)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(g.id)
        .bind(entry.seq)
        .bind(i as i32 + 1)
        .bind(&p.jpeg)
        .bind(&p.sha256)
        .bind(p.width as i32)
        .bind(p.height as i32)
        .execute(&mut *tx)
        .await?;
    }
    let rating = matches!(step.action, Action::ConfirmFixed | Action::ConfirmNotFixed)
        .then_some(step.rating)
        .flatten();
    sqlx::query(
        "UPDATE grievances SET status = $2, assignee_id = $3, department_id = $4, category_id = $5, level = $6,
             deadline_at = $7, warn_at = CASE WHEN $8 THEN warn_at ELSE $9 END,
             overdue_since = CASE WHEN $10 THEN NULL ELSE overdue_since END,
             reopen_count = reopen_count + CASE WHEN $11 THEN 1 ELSE 0 END,
             resolved_at = CASE WHEN $2 IN ('resolved', 'rejected') THEN $12 WHEN $11 THEN NULL ELSE resolved_at END,
             closed_at = CASE WHEN $2 IN ('closed_fixed', 'closed_not_fixed') THEN $12 ELSE closed_at END,
             rating = COALESCE($13, rating),
             rating_comment = CASE WHEN $13 IS NOT NULL THEN $14 ELSE rating_comment END,
             updated_at = $12, history_seq = $15, history_head = $16
         WHERE id = $1",
    )
    .bind(g.id)
    .bind(status.as_str())
    .bind(assignee)
    .bind(department)
    .bind(category)
    .bind(level)
    .bind(deadline)
    .bind(keep_warn)
    .bind(warn_at)
    .bind(matches!(step.action, Action::Transfer | Action::Reopen))
    .bind(step.action == Action::Reopen)
    .bind(now)
    .bind(rating)
    .bind(&note)
    .bind(entry.seq)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    // Who is told.
    let number = g.number.clone();
    match step.action {
        Action::AskCitizen
        | Action::Comment
        | Action::Resolve
        | Action::Reject
        | Action::Transfer => {
            let notice = Notice::Updated {
                number: number.clone(),
                status,
                action: step.action,
                note: note.clone(),
            };
            tell_filer(&mut tx, &g, &notice, wording).await?;
            if step.action == Action::Transfer {
                tell_staff(&mut tx, assignee, &Notice::Assigned { number }, wording).await?;
            }
        }
        Action::Reopen | Action::CitizenReply => {
            tell_staff(
                &mut tx,
                assignee,
                &Notice::CitizenActed {
                    number,
                    action: step.action,
                },
                wording,
            )
            .await?;
        }
        _ => {}
    }
    tx.commit().await?;
    Ok(status)
}

/// Appends one entry after the grievance's head; returns the new head.
async fn append(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    e: &Entry,
) -> Result<Vec<u8>, sqlx::Error> {
    let prev = g
        .history_head
        .clone()
        .unwrap_or_else(|| history::GENESIS.to_vec());
    let hash = history::entry_hash(&prev, e);
    sqlx::query(
        "INSERT INTO grievance_history (grievance_id, seq, at, actor_id, actor_kind, kind, status, assignee_id,
             department_id, level, deadline_at, note, facts, public, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(e.grievance_id)
    .bind(e.seq)
    .bind(e.at)
    .bind(e.actor_id)
    .bind(&e.actor_kind)
    .bind(&e.kind)
    .bind(&e.status)
    .bind(e.assignee_id)
    .bind(e.department_id)
    .bind(e.level)
    .bind(e.deadline_at)
    .bind(&e.note)
    .bind(&e.facts)
    .bind(e.public)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    Ok(hash)
}

/// Tells the filer, and every citizen who joined with "me too", each in their own language.
async fn tell_filer(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    notice: &Notice,
    wording: &dyn Wording,
) -> Result<(), sqlx::Error> {
    // The contact given with the grievance, not the account's: the filer may have asked to be
    // reached elsewhere. Push goes to the filer's devices, when any are subscribed.
    let pushable = match g.filer_id {
        Some(filer) => {
            notifications::reach_account(&mut **tx, filer)
                .await?
                .push_account
        }
        None => None,
    };
    let chain = notifications::delivery_chain(&notifications::Reach {
        push_account: pushable,
        mobile: g.contact_mobile.clone(),
        email: g.contact_email.clone(),
    });
    let text = wording.notice(g.locale(), notice);
    notifications::send(&mut **tx, &chain, &g.number, &text, &notice.link()).await?;
    let followers: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT u.id, u.locale FROM grievance_followers f JOIN users u ON u.id = f.account_id
         WHERE f.grievance_id = $1 ORDER BY f.joined_at",
    )
    .bind(g.id)
    .fetch_all(&mut **tx)
    .await?;
    for (follower, locale) in followers {
        let text = wording.notice(Locale::from_code(&locale).unwrap_or_default(), notice);
        notifications::tell_account(tx, follower, &g.number, &text, &notice.link()).await?;
    }
    Ok(())
}

/// Tells a staff member in their own language, on their best channel.
async fn tell_staff(
    tx: &mut Transaction<'_, Postgres>,
    user: Option<Uuid>,
    notice: &Notice,
    wording: &dyn Wording,
) -> Result<(), sqlx::Error> {
    let Some(user) = user else { return Ok(()) };
    let locale: Option<String> = sqlx::query_scalar("SELECT locale FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(locale) = locale {
        let text = wording.notice(Locale::from_code(&locale).unwrap_or_default(), notice);
        notifications::tell_account(tx, user, notice.number(), &text, &notice.link()).await?;
    }
    Ok(())
}

/// The official routing names for a category (or its nearest parent with a route) in a ward: a
/// route for the ward beats one for the whole city.
async fn route(
    tx: &mut Transaction<'_, Postgres>,
    category: Uuid,
    ward: Option<i32>,
    department: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "WITH RECURSIVE up(id, parent_id, depth) AS (
             SELECT id, parent_id, 0 FROM grievance_categories WHERE id = $1
             UNION ALL
             SELECT c.id, c.parent_id, up.depth + 1 FROM grievance_categories c JOIN up ON c.id = up.parent_id
         )
         SELECT r.official_id FROM up JOIN grievance_routes r ON r.category_id = up.id
           JOIN users u ON u.id = r.official_id AND u.role IN ('official', 'department_admin') AND u.department_id = $3
         WHERE r.ward_number = $2 OR r.ward_number IS NULL
         ORDER BY r.ward_number IS NULL, up.depth LIMIT 1",
    )
    .bind(category)
    .bind(ward)
    .bind(department)
    .fetch_optional(&mut **tx)
    .await
}

/// The ladder of a category: its own, else its nearest parent's, else the default.
pub async fn ladder<'e>(
    db: impl sqlx::PgExecutor<'e>,
    category: Uuid,
) -> Result<Vec<Level>, sqlx::Error> {
    let rows: Vec<LevelRow> = sqlx::query_as(
        "WITH RECURSIVE up(id, parent_id, depth) AS (
             SELECT id, parent_id, 0 FROM grievance_categories WHERE id = $1
             UNION ALL
             SELECT c.id, c.parent_id, up.depth + 1 FROM grievance_categories c JOIN up ON c.id = up.parent_id
         ),
         owner AS (SELECT up.id FROM up WHERE EXISTS (SELECT 1 FROM escalation_levels e WHERE e.category_id = up.id)
                   ORDER BY depth LIMIT 1)
         SELECT e.level, e.assignee, e.official_id, e.hours, e.warn_percent
         FROM escalation_levels e JOIN owner ON owner.id = e.category_id ORDER BY e.level",
    )
    .bind(category)
    .fetch_all(db)
    .await?;
    if rows.is_empty() {
        return Ok(default_ladder());
    }
    Ok(levels(rows))
}

type LevelRow = (i32, String, Option<Uuid>, i32, i32);

/// Ladder rows as levels (a row naming nobody it can is left out).
fn levels(rows: Vec<LevelRow>) -> Vec<Level> {
    rows.into_iter()
        .filter_map(|(level, kind, official, hours, warn_percent)| {
            Some(Level {
                level,
                assignee: LevelAssignee::from_parts(&kind, official.map(|o| o.to_string()))?,
                hours,
                warn_percent,
            })
        })
        .collect()
}

/// The category's own ladder (empty when it uses a parent's or the default).
pub async fn own_ladder(pool: &PgPool, category: Uuid) -> Result<Vec<Level>, sqlx::Error> {
    let rows: Vec<LevelRow> = sqlx::query_as(
        "SELECT level, assignee, official_id, hours, warn_percent FROM escalation_levels
         WHERE category_id = $1 ORDER BY level",
    )
    .bind(category)
    .fetch_all(pool)
    .await?;
    Ok(levels(rows))
}

/// Replaces a category's ladder (already checked with `check_ladder`). Named officials must be
/// staff; the answer names the level that is not.
pub async fn save_ladder(
    pool: &PgPool,
    category: Uuid,
    levels: &[Level],
) -> Result<Vec<FieldError>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM escalation_levels WHERE category_id = $1")
        .bind(category)
        .execute(&mut *tx)
        .await?;
    for l in levels {
        let official = match &l.assignee {
            LevelAssignee::Official(id) => {
                let staff: Option<Uuid> = match Uuid::parse_str(id) {
                    Ok(id) => {
                        sqlx::query_scalar(
                            "SELECT id FROM users WHERE id = $1 AND role <> 'citizen'",
                        )
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?
                    }
                    Err(_) => None,
                };
                match staff {
                    Some(s) => Some(s),
                    None => {
                        return Ok(vec![FieldError::new(
                            &format!("assignee-{}", l.level),
                            "err_official_unknown",
                        )])
                    }
                }
            }
            _ => None,
        };
        sqlx::query(
            "INSERT INTO escalation_levels (category_id, level, assignee, official_id, hours, warn_percent)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(category)
        .bind(l.level)
        .bind(l.assignee.kind())
        .bind(official)
        .bind(l.hours)
        .bind(l.warn_percent)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Vec::new())
}

// ---------------------------------------------------------------------------------------------
// The escalation worker's sweeps. Each claims its rows with FOR UPDATE SKIP LOCKED and moves
// their deadline or warning time in the same transaction, so however many instances sweep at
// once, each breach is handled once. `now` is a parameter: tests drive the clock.

/// Escalates up to `batch` grievances whose deadline has passed. Returns how many were handled.
pub async fn escalate_due(
    pool: &PgPool,
    now: OffsetDateTime,
    batch: i64,
    wording: &dyn Wording,
) -> Result<usize, sqlx::Error> {
    let now = history::to_micros(now);
    let mut tx = pool.begin().await?;
    let due: Vec<Locked> = sqlx::query_as(&format!(
        "SELECT {LOCKED_COLUMNS} FROM grievances
         WHERE status IN {OPEN} AND overdue_since IS NULL AND deadline_at <= $1
         ORDER BY deadline_at LIMIT $2 FOR UPDATE SKIP LOCKED"
    ))
    .bind(now)
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    for g in &due {
        let levels = ladder(&mut *tx, g.category_id).await?;
        // Resolve each later level to a person, in order, until one names someone.
        let mut chosen: Option<(Level, Uuid)> = None;
        for l in levels.iter().filter(|l| l.level > g.level) {
            if let Some(person) = resolve(&mut tx, &l.assignee, g).await? {
                chosen = Some((l.clone(), person));
                break;
            }
        }
        let number = g.number.clone();
        let (entry, warn_at, overdue) = match &chosen {
            Some((l, person)) => {
                let deadline = now + Duration::hours(l.hours as i64);
                let entry = Entry {
                    status: if g.status() == Status::Submitted {
                        Status::Assigned.as_str().into()
                    } else {
                        g.status.clone()
                    },
                    assignee_id: Some(*person),
                    level: l.level,
                    deadline_at: Some(deadline),
                    ..g.system_entry("escalated", now)
                };
                let warn = now
                    + Duration::seconds(escalation::warn_after_seconds(l.hours, l.warn_percent));
                (entry, Some(warn), false)
            }
            None => {
                let entry = g.system_entry("overdue", now);
                (entry, None, true)
            }
        };
        let hash = append(&mut tx, g, &entry).await?;
        sqlx::query(
            "UPDATE grievances SET status = $2, assignee_id = $3, level = $4, deadline_at = $5, warn_at = $6,
                 overdue_since = CASE WHEN $7 THEN $8 ELSE NULL END, updated_at = $8,
                 history_seq = $9, history_head = $10
             WHERE id = $1",
        )
        .bind(g.id)
        .bind(&entry.status)
        .bind(entry.assignee_id)
        .bind(entry.level)
        .bind(entry.deadline_at)
        .bind(warn_at)
        .bind(overdue)
        .bind(now)
        .bind(entry.seq)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
        if overdue {
            // The ladder cannot name anyone: the department's admins (or the city's) are told.
            let admins: Vec<Uuid> = sqlx::query_scalar(
                "SELECT id FROM users WHERE role = 'department_admin' AND department_id = $1
                 UNION ALL SELECT id FROM users WHERE role = 'city_admin'
                   AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'department_admin' AND department_id = $1)",
            )
            .bind(g.department_id)
            .fetch_all(&mut *tx)
            .await?;
            for admin in admins {
                tell_staff(
                    &mut tx,
                    Some(admin),
                    &Notice::Overdue {
                        number: number.clone(),
                    },
                    wording,
                )
                .await?;
            }
        } else {
            let level = entry.level;
            let notice = Notice::Escalated {
                number: number.clone(),
                level,
            };
            tell_filer(&mut tx, g, &notice, wording).await?;
            tell_staff(
                &mut tx,
                entry.assignee_id,
                &Notice::Escalated { number, level },
                wording,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(due.len())
}

/// The one person a level names for this grievance now, if it can name anyone.
async fn resolve(
    tx: &mut Transaction<'_, Postgres>,
    who: &LevelAssignee,
    g: &Locked,
) -> Result<Option<Uuid>, sqlx::Error> {
    match who {
        LevelAssignee::Routed => route(tx, g.category_id, g.ward_number, g.department_id).await,
        LevelAssignee::Official(id) => match Uuid::parse_str(id) {
            Ok(id) => {
                sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND role <> 'citizen'")
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await
            }
            Err(_) => Ok(None),
        },
        LevelAssignee::DepartmentAdmin => {
            least_loaded(&mut **tx, "department_admin", Some(g.department_id)).await
        }
        LevelAssignee::CityAdmin => least_loaded(&mut **tx, "city_admin", None).await,
    }
}

/// Warns assignees whose deadline nears. Returns how many were warned.
pub async fn warn_due(
    pool: &PgPool,
    now: OffsetDateTime,
    batch: i64,
    wording: &dyn Wording,
) -> Result<usize, sqlx::Error> {
    let now = history::to_micros(now);
    let mut tx = pool.begin().await?;
    let due: Vec<Locked> = sqlx::query_as(&format!(
        "SELECT {LOCKED_COLUMNS} FROM grievances
         WHERE status IN {OPEN} AND warn_at <= $1 AND (deadline_at IS NULL OR deadline_at > $1)
         ORDER BY warn_at LIMIT $2 FOR UPDATE SKIP LOCKED"
    ))
    .bind(now)
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    for g in &due {
        let entry = Entry {
            public: false,
            ..g.system_entry("deadline_near", now)
        };
        let hash = append(&mut tx, g, &entry).await?;
        sqlx::query("UPDATE grievances SET warn_at = NULL, history_seq = $2, history_head = $3 WHERE id = $1")
            .bind(g.id)
            .bind(entry.seq)
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        let hours_left = g
            .deadline_at
            .map(|d| (d - now).whole_hours().max(0))
            .unwrap_or(0);
        tell_staff(
            &mut tx,
            g.assignee_id,
            &Notice::DeadlineNear {
                number: g.number.clone(),
                hours_left,
            },
            wording,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

/// Closes resolved grievances whose citizen did not answer within the reopen window: the
/// resolution stands (closed, fixed); a rejection stays rejected.
pub async fn close_unanswered(
    pool: &PgPool,
    now: OffsetDateTime,
    batch: i64,
) -> Result<usize, sqlx::Error> {
    let now = history::to_micros(now);
    let mut tx = pool.begin().await?;
    let due: Vec<Locked> = sqlx::query_as(&format!(
        "SELECT {LOCKED_COLUMNS} FROM grievances
         WHERE status = 'resolved' AND resolved_at <= $1
         ORDER BY resolved_at LIMIT $2 FOR UPDATE SKIP LOCKED"
    ))
    .bind(now - Duration::days(super::REOPEN_WINDOW_DAYS))
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    for g in &due {
        let entry = Entry {
            status: Status::ClosedFixed.as_str().into(),
            ..g.system_entry("closed_unanswered", now)
        };
        let hash = append(&mut tx, g, &entry).await?;
        sqlx::query(
            "UPDATE grievances SET status = 'closed_fixed', closed_at = $2, updated_at = $2,
                 history_seq = $3, history_head = $4 WHERE id = $1",
        )
        .bind(g.id)
        .bind(now)
        .bind(entry.seq)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

// ---------------------------------------------------------------------------------------------
// What people read

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

fn summary_select(locale_param: &str) -> String {
    format!(
        "SELECT g.id, g.number, g.status, g.channel,
                CASE {locale_param} WHEN 'or' THEN c.name_or WHEN 'hi' THEN c.name_hi ELSE c.name_en END AS category_name,
                COALESCE(dt.name, de.name) AS department_name,
                g.ward_number, g.landmark, g.description, a.name AS assignee_name, g.level, g.deadline_at,
                g.overdue_since, g.me_too_count, g.created_at
         FROM grievances g
         JOIN grievance_categories c ON c.id = g.category_id
         JOIN department_translations de ON de.department_id = g.department_id AND de.locale = 'en'
         LEFT JOIN department_translations dt ON dt.department_id = g.department_id AND dt.locale = {locale_param}
         LEFT JOIN users a ON a.id = g.assignee_id"
    )
}

/// A citizen's own grievances and those they joined with "me too", newest first.
pub async fn filed_by(
    pool: &PgPool,
    filer: Uuid,
    locale: Locale,
) -> Result<Vec<Summary>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} WHERE g.filer_id = $2
              OR g.id IN (SELECT grievance_id FROM grievance_followers WHERE account_id = $2)
         ORDER BY g.created_at DESC LIMIT 200",
        summary_select("$1")
    ))
    .bind(locale.code())
    .bind(filer)
    .fetch_all(pool)
    .await
}

/// Filters of the work queue.
#[derive(Clone, Debug, Default)]
pub struct QueueFilter {
    /// Only these states (default: the open ones).
    pub status: Option<Status>,
    pub ward: Option<i32>,
    pub category: Option<Uuid>,
    /// Only those past their deadline.
    pub overdue_only: bool,
    /// The whole department's (for its admin) instead of the caller's own.
    pub department: Option<Uuid>,
}

/// An official's queue: their grievances (or a department's), the highest priority (raised by
/// citizens joining with "me too") first, then the nearest deadline.
pub async fn queue(
    pool: &PgPool,
    assignee: Uuid,
    filter: &QueueFilter,
    now: OffsetDateTime,
    locale: Locale,
) -> Result<Vec<Summary>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} WHERE (CASE WHEN $3::uuid IS NULL THEN g.assignee_id = $2 ELSE g.department_id = $3 END)
           AND (CASE WHEN $4::text IS NULL THEN g.status IN {OPEN} ELSE g.status = $4 END)
           AND ($5::int IS NULL OR g.ward_number = $5)
           AND ($6::uuid IS NULL OR g.category_id = $6)
           AND (NOT $7 OR g.deadline_at <= $8)
         ORDER BY {} DESC, g.deadline_at NULLS LAST, g.me_too_count DESC, g.created_at LIMIT 200",
        summary_select("$1"),
        super::duplicates::Priority::sql_rank("g.me_too_count")
    ))
    .bind(locale.code())
    .bind(assignee)
    .bind(filter.department)
    .bind(filter.status.map(|s| s.as_str()))
    .bind(filter.ward)
    .bind(filter.category)
    .bind(filter.overdue_only)
    .bind(now)
    .fetch_all(pool)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Detail {
    #[sqlx(flatten)]
    pub summary: Summary,
    pub category_id: Uuid,
    pub department_id: Uuid,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub recording_url: Option<String>,
    pub filer_id: Option<Uuid>,
    pub anonymous: bool,
    pub contact_name: String,
    pub contact_mobile: Option<String>,
    pub contact_email: Option<String>,
    pub assignee_id: Option<Uuid>,
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
    let select = summary_select("$1").replacen(
        "SELECT g.id,",
        "SELECT g.category_id, g.department_id, g.address, g.latitude, g.longitude, g.recording_url,
                g.filer_id, g.anonymous, g.contact_name, g.contact_mobile, g.contact_email, g.assignee_id,
                g.reopen_count, g.resolved_at, g.rating, g.rating_comment, g.external_system, g.external_ref,
                g.id,",
        1,
    );
    sqlx::query_as(&format!("{select} WHERE g.id = $2"))
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
        "SELECT h.seq, h.at, h.actor_kind, u.name AS actor_name, h.kind, h.status, a.name AS assignee_name,
                COALESCE(dt.name, de.name) AS department_name, h.level, h.deadline_at, h.note, h.public
         FROM grievance_history h
         LEFT JOIN users u ON u.id = h.actor_id
         LEFT JOIN users a ON a.id = h.assignee_id
         LEFT JOIN department_translations de ON de.department_id = h.department_id AND de.locale = 'en'
         LEFT JOIN department_translations dt ON dt.department_id = h.department_id AND dt.locale = $3
         WHERE h.grievance_id = $1 AND (h.public OR $2)
         ORDER BY h.seq",
    )
    .bind(id)
    .bind(staff)
    .bind(locale.code())
    .fetch_all(pool)
    .await
}

// ---------------------------------------------------------------------------------------------
// The history check

/// A grievance whose history no longer checks, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenChain {
    pub number: String,
    pub problem: history::Break,
}

/// Verifies every grievance's chain; returns how many were checked and those that are broken.
pub async fn verify_history(pool: &PgPool) -> Result<(usize, Vec<BrokenChain>), sqlx::Error> {
    let heads: Vec<(Uuid, String, i32, Option<Vec<u8>>)> =
        sqlx::query_as("SELECT id, number, history_seq, history_head FROM grievances ORDER BY id")
            .fetch_all(pool)
            .await?;
    let mut broken = Vec::new();
    for (id, number, head_seq, head) in &heads {
        let rows: Vec<(Entry, Vec<u8>, Vec<u8>)> = sqlx::query_as::<_, HashedEntry>(
            "SELECT grievance_id, seq, at, actor_id, actor_kind, kind, status, assignee_id, department_id,
                    level, deadline_at, note, facts, public, prev_hash, hash
             FROM grievance_history WHERE grievance_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|h| (h.entry, h.prev_hash, h.hash))
        .collect();
        if let Some(problem) = history::check_chain(&rows, *head_seq, head.as_deref()) {
            broken.push(BrokenChain {
                number: number.clone(),
                problem,
            });
        }
    }
    // History whose grievance row is gone: named by the number its first entry was filed under.
    let orphans: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT h.grievance_id, count(*) FROM grievance_history h
         WHERE NOT EXISTS (SELECT 1 FROM grievances g WHERE g.id = h.grievance_id)
         GROUP BY h.grievance_id ORDER BY h.grievance_id",
    )
    .fetch_all(pool)
    .await?;
    for (id, entries) in orphans {
        broken.push(BrokenChain {
            number: format!("(removed grievance {id})"),
            problem: history::Break::Orphaned { entries },
        });
    }
    Ok((heads.len(), broken))
}

#[derive(sqlx::FromRow)]
struct HashedEntry {
    #[sqlx(flatten)]
    entry: Entry,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

// ---------------------------------------------------------------------------------------------
// Kiosk filings: no account; a one-time code to the caller's mobile proves the number first.

/// Keeps a kiosk filing aside and sends a code to `mobile`. `form` is the filing as the kiosk
/// will file it (opaque here).
pub async fn start_kiosk_filing(
    pool: &PgPool,
    mobile: &crate::identity::MobileNumber,
    form: &str,
    locale: Locale,
    sms_text: impl Fn(&str) -> String,
) -> Result<Uuid, crate::identity::store::FormProblem> {
    let id = new_id();
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO kiosk_filings (id, mobile, form, locale) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(mobile.as_str())
        .bind(form)
        .bind(locale.code())
        .execute(&mut *tx)
        .await?;
    crate::identity::store::issue_code(&mut tx, "kiosk", id, mobile, &sms_text).await?;
    tx.commit().await?;
    Ok(id)
}

/// A kiosk filing whose code was right: (mobile, form, locale), ready to file once.
pub struct ConfirmedKiosk {
    pub mobile: String,
    pub form: String,
    pub locale: Locale,
}

/// Checks the code of a kiosk filing. A filing already filed answers with its grievance's
/// number instead (`Ok(Err(number))` is never a problem: the page shows that number again).
pub async fn confirm_kiosk_filing(
    pool: &PgPool,
    id: Uuid,
    code: &str,
) -> Result<Result<ConfirmedKiosk, &'static str>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let row: Option<(String, String, String, Option<Uuid>)> = sqlx::query_as(
        "SELECT mobile, form, locale, grievance_id FROM kiosk_filings
         WHERE id = $1 AND created_at > now() - interval '1 hour' FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((mobile, form, locale, filed)) = row else {
        return Ok(Err("err_registration_expired"));
    };
    if filed.is_some() {
        return Ok(Err("err_code_used"));
    }
    if let Err(problem) = crate::identity::store::spend_code(&mut tx, id, code).await? {
        tx.commit().await?;
        return Ok(Err(problem));
    }
    tx.commit().await?;
    Ok(Ok(ConfirmedKiosk {
        mobile,
        form,
        locale: Locale::from_code(&locale).unwrap_or_default(),
    }))
}

pub async fn kiosk_filed(pool: &PgPool, id: Uuid, grievance: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE kiosk_filings SET grievance_id = $2 WHERE id = $1")
        .bind(id)
        .bind(grievance)
        .execute(pool)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The public view for Open311 clients: no contact details, ever.

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
                (SELECT h.note FROM grievance_history h WHERE h.grievance_id = g.id AND h.public AND h.note <> ''
                   AND h.kind <> 'filed' ORDER BY h.seq DESC LIMIT 1) AS status_notes,
                c.slug AS category_slug, c.name_en AS category_name, g.description,
                d.name AS department_name, g.created_at, g.updated_at, g.deadline_at,
                g.ward_number, w.name AS ward_name, g.landmark, g.address, g.latitude, g.longitude, g.media_url
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
        "SELECT g.number, h.seq, h.status, h.at, h.note
         FROM grievance_history h JOIN grievances g ON g.id = h.grievance_id
         WHERE h.public AND h.at >= $1 AND h.at <= $2
         ORDER BY h.at, g.number, h.seq LIMIT $3",
    )
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(pool)
    .await
}

// ---------------------------------------------------------------------------------------------
// Me too

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
    pub citizen: Option<Uuid>,
}

/// Open grievances of the same category, near (same ward, or within `NEAR_METRES` by location),
/// recent, with a similar text (description and landmark, by trigrams); the most alike first.
pub async fn similar_open(
    pool: &PgPool,
    like: &Lookalike,
    now: OffsetDateTime,
    locale: Locale,
) -> Result<Vec<Similar>, sqlx::Error> {
    use super::duplicates::{LEAST_TEXT_SIMILARITY, MOST_OFFERED, NEAR_METRES, RECENT_DAYS};
    let text = format!("{} {}", like.description.trim(), like.landmark.trim());
    if like.ward.is_none() && (like.latitude.is_none() || like.longitude.is_none()) {
        return Ok(Vec::new());
    }
    sqlx::query_as(&format!(
        "SELECT g.number, g.status,
                CASE $9 WHEN 'or' THEN c.name_or WHEN 'hi' THEN c.name_hi ELSE c.name_en END AS category_name,
                g.ward_number, g.landmark, g.description, g.me_too_count, g.created_at
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
         ORDER BY similarity(g.description || ' ' || g.landmark, $5) DESC, g.me_too_count DESC
         LIMIT $8"
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

#[derive(Debug, thiserror::Error)]
pub enum JoinProblem {
    #[error("no such grievance")]
    NotFound,
    #[error("{}", .0.code())]
    Refused(super::duplicates::JoinRefusal),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A citizen joins an open grievance with "me too": they follow it, its count rises (and with
/// it, past a threshold, its priority, which its assignee is told), and its history records it.
/// Joining twice changes nothing. Answers the count of people who joined.
pub async fn join_me_too(
    pool: &PgPool,
    id: Uuid,
    citizen: Uuid,
    now: OffsetDateTime,
    wording: &dyn Wording,
) -> Result<i32, JoinProblem> {
    use super::duplicates::{check_join, raised_priority};
    let now = history::to_micros(now);
    let mut tx = pool.begin().await?;
    let g: Locked = sqlx::query_as(&format!(
        "SELECT {LOCKED_COLUMNS} FROM grievances WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(JoinProblem::NotFound)?;
    let count: i32 = sqlx::query_scalar("SELECT me_too_count FROM grievances WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    check_join(g.filer_id == Some(citizen), g.status().is_open()).map_err(JoinProblem::Refused)?;
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
    let mut entry = g.system_entry("me_too", now);
    entry.actor_id = Some(citizen);
    entry.actor_kind = "citizen".into();
    entry.facts = format!("me_too_count={after}");
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
        tell_staff(&mut tx, g.assignee_id, &notice, wording).await?;
    }
    tx.commit().await?;
    Ok(after)
}
