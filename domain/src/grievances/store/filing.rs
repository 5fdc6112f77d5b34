//! Filing a grievance from any channel: two round trips and one commit. The plan (category,
//! route, first level, serial) is one query; one statement then writes the grievance, its first
//! history entry, its photos and the acknowledgement together — intake is the hot path of
//! every channel.

use super::routing::least_loaded;
use crate::db::new_id;
use crate::grievances::escalation::{self, default_ladder};
use crate::grievances::filing::{Checked, Contact, Place};
use crate::grievances::history::Entry;
use crate::grievances::photos::{self, Photo};
use crate::grievances::{Channel, Event, GrievanceNumber, Notice, Status};
use crate::history::{self, Facts};
use crate::ids::{AccountId, DepartmentId, PostId};
use crate::notifications;
use crate::problem::{FieldError, Problem};
use crate::Locale;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A grievance as it arrives, from whichever channel: what is wrong, where, who files it and
/// how it came. Built from a checked `FilingText` (`Filing::new`), so its values are trusted.
#[derive(Clone, Debug)]
pub struct Filing {
    pub what: What,
    pub place: Place,
    pub who: Who,
    pub provenance: Provenance,
}

/// What is wrong.
#[derive(Clone, Debug)]
pub struct What {
    pub category: CategoryRef,
    pub description: String,
    /// Photos, already checked and re-encoded (`photos::prepare`).
    pub photos: Vec<Photo>,
}

/// A category by its id, or by its slug (as other systems name it: looked up in the filing's
/// plan query, which saves the API a round trip).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CategoryRef {
    Id(Uuid),
    Slug(String),
}

/// Who files it and whom to tell.
#[derive(Clone, Debug)]
pub struct Who {
    /// The signed-in citizen filing it (None for assisted, gateway and anonymous filings).
    pub filer_id: Option<AccountId>,
    pub anonymous: bool,
    pub contact: Contact,
    pub locale: Locale,
}

/// How it came in.
#[derive(Clone, Debug)]
pub struct Provenance {
    pub channel: Channel,
    /// Another system's (name, reference): a repeat returns the grievance already made.
    pub external: Option<(String, String)>,
    /// A client's key for this filing: a retry returns the grievance already made.
    pub idempotency_key: Option<String>,
    pub intake_key_id: Option<Uuid>,
    /// The call-centre or kiosk agent who filed it for someone.
    pub agent_id: Option<AccountId>,
    /// A link to media another system holds for it (Open311's media_url).
    pub media_url: Option<String>,
    /// An IVRS caller's recorded complaint, where the IVRS keeps it.
    pub recording_url: Option<String>,
}

impl Filing {
    /// A filing of `category` through `channel` from checked fields; the rest (who files it,
    /// keys, photos) the channel adds.
    pub fn new(
        channel: Channel,
        category: CategoryRef,
        checked: Checked,
        locale: Locale,
    ) -> Filing {
        Filing {
            what: What {
                category,
                description: checked.description,
                photos: Vec::new(),
            },
            place: checked.place,
            who: Who {
                filer_id: None,
                anonymous: false,
                contact: checked.contact,
                locale,
            },
            provenance: Provenance {
                channel,
                external: None,
                idempotency_key: None,
                intake_key_id: None,
                agent_id: None,
                media_url: None,
                recording_url: None,
            },
        }
    }

    fn mobile(&self) -> Option<String> {
        self.who
            .contact
            .mobile
            .as_ref()
            .map(|m| m.as_str().to_string())
    }

    fn email(&self) -> Option<String> {
        self.who
            .contact
            .email
            .as_ref()
            .map(|e| e.as_str().to_string())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filed {
    pub id: Uuid,
    pub number: String,
    /// True when this filing repeated an earlier one (same idempotency key or external reference).
    pub repeated: bool,
}

#[derive(sqlx::FromRow)]
struct FilingPlan {
    category_id: Uuid,
    department_id: DepartmentId,
    allows_anonymous: bool,
    is_leaf: bool,
    ward_exists: bool,
    /// The post routing picks, and its holder (None while vacant).
    routed_post: Option<PostId>,
    routed: Option<Uuid>,
    /// The post's holder as the post row says (even one who is no longer staff): the insert
    /// goes ahead only if the post still says so.
    post_holder: Option<AccountId>,
    hours: i32,
    warn_percent: i32,
    serial: i64,
    /// The filer has a device subscribed to web push.
    pushable: bool,
}

/// Files a grievance; a repeat (the same idempotency key or external reference) answers with
/// the grievance the first filing made.
#[tracing::instrument(name = "grievances::file", skip_all, fields(channel = f.provenance.channel.as_str()))]
pub async fn file(pool: &PgPool, f: Filing, now: OffsetDateTime) -> Result<Filed, Problem> {
    let now = history::to_micros(now);
    // A post that changes hands between the plan and the insert: plan again (a hand-over is
    // rare, so twice is plenty; a third change in a row is reported, not chased).
    for _ in 0..3 {
        let plan = plan(pool, &f).await?;
        let Some(plan) = plan.filter(|p| p.is_leaf) else {
            return Err(Problem::field("category", "err_category_required"));
        };
        let mut problems = Vec::new();
        if !plan.ward_exists {
            problems.push(FieldError::new("ward", "err_ward_invalid"));
        }
        if f.who.anonymous && !plan.allows_anonymous {
            problems.push(FieldError::new("anonymous", "err_anonymous_not_allowed"));
        }
        Problem::check(problems)?;
        // No post handles it, or its post is vacant: the department admin takes it at level 1
        // (and is the one told); a vacant post's grievance still names the post, for its next
        // holder.
        let assignee = match plan.routed {
            Some(id) => Some(id),
            None => least_loaded(pool, "department_admin", Some(plan.department_id)).await?,
        };
        let number = GrievanceNumber::new(now.year(), plan.serial as u64).to_string();
        let id = new_id();
        return match insert(pool, &f, &plan, id, &number, assignee.map(Into::into), now).await? {
            Written::Filed => Ok(Filed {
                id,
                number,
                repeated: false,
            }),
            // Lost a race with the same key or reference: answer with the one that won.
            Written::Repeat => repeated(pool, &f)
                .await?
                .ok_or_else(|| Problem::unexpected("filing conflicted but no grievance found")),
            Written::PostChangedHands => continue,
        };
    }
    Err(Problem::unexpected(
        "the post changed hands three times while filing",
    ))
}

/// What the insert did.
enum Written {
    Filed,
    /// the same idempotency key or external reference was filed before
    Repeat,
    /// the post's holder changed after the plan read it: nothing was written
    PostChangedHands,
}

/// Category (by id or slug), ward, route, first level and the next serial, in one query.
async fn plan(pool: &PgPool, f: &Filing) -> Result<Option<FilingPlan>, sqlx::Error> {
    sqlx::query_as(
        "WITH RECURSIVE picked AS (
             SELECT id FROM grievance_categories WHERE CASE WHEN $2::text IS NULL THEN id = $1 ELSE slug = $2 END
         ),
         up(id, parent_id, depth) AS (
             SELECT c.id, c.parent_id, 0 FROM grievance_categories c JOIN picked ON c.id = picked.id
             UNION ALL
             SELECT c.id, c.parent_id, up.depth + 1 FROM grievance_categories c JOIN up ON c.id = up.parent_id
         ),
         cat AS (SELECT c.id, c.department_id, c.allows_anonymous,
                        NOT EXISTS (SELECT 1 FROM grievance_categories k WHERE k.parent_id = c.id) AS is_leaf
                 FROM grievance_categories c JOIN picked ON c.id = picked.id),
         routed AS (
             SELECT p.id AS post_id, u.id AS holder_id, p.holder_id AS post_holder
             FROM up JOIN post_categories pc ON pc.category_id = up.id
               JOIN posts p ON p.id = pc.post_id JOIN cat ON p.department_id = cat.department_id
               LEFT JOIN users u ON u.id = p.holder_id AND u.role IN ('official', 'department_admin')
                    AND u.department_id = p.department_id
             WHERE p.wards IS NULL OR $3 = ANY (p.wards)
             ORDER BY p.wards IS NULL, up.depth, u.id IS NULL, p.created_at, p.id LIMIT 1
         ),
         first_level AS (
             SELECT e.hours, e.warn_percent FROM up JOIN escalation_levels e ON e.category_id = up.id
             WHERE e.level = 1 ORDER BY up.depth LIMIT 1
         )
         SELECT cat.id AS category_id, cat.department_id, cat.allows_anonymous, cat.is_leaf,
                ($3::int IS NULL OR EXISTS (SELECT 1 FROM wards WHERE number = $3)) AS ward_exists,
                (SELECT post_id FROM routed) AS routed_post,
                (SELECT holder_id FROM routed) AS routed,
                (SELECT post_holder FROM routed) AS post_holder,
                COALESCE((SELECT hours FROM first_level), $4) AS hours,
                COALESCE((SELECT warn_percent FROM first_level), $5) AS warn_percent,
                nextval('grievance_number_seq') AS serial,
                ($6::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM push_subscriptions p
                    JOIN sessions s ON s.id = p.session_id AND s.revoked_at IS NULL AND s.expires_at > now() AND s.idle_expires_at > now()
                    WHERE p.account_id = $6)) AS pushable
         FROM cat",
    )
    .bind(match &f.what.category {
        CategoryRef::Id(id) => Some(*id),
        CategoryRef::Slug(_) => None,
    })
    .bind(match &f.what.category {
        CategoryRef::Id(_) => None,
        CategoryRef::Slug(s) => Some(s.as_str()),
    })
    .bind(f.place.ward.map(|w| w.number()))
    .bind(default_ladder()[0].hours)
    .bind(default_ladder()[0].warn_percent)
    .bind(f.who.filer_id)
    .fetch_optional(pool)
    .await
}

/// What the first history entry records about the filing: references and choices as facts, the
/// contact and the place as personal facts (chained by digest, erasable).
fn facts(f: &Filing, category: Uuid) -> (Facts, Facts) {
    let (p, at) = (&f.provenance, f.place.position);
    let facts = Facts::new()
        .with("channel", p.channel.as_str())
        .with("category", category)
        .with(
            "ward",
            f.place.ward.map(|w| w.to_string()).unwrap_or_default(),
        )
        .with("anonymous", f.who.anonymous)
        .with(
            "external",
            p.external
                .as_ref()
                .map(|(s, r)| format!("{s}:{r}"))
                .unwrap_or_default(),
        )
        .with("photos", photos::fact(&f.what.photos));
    let personal = Facts::new()
        .with("landmark", f.place.landmark.as_str())
        .with("address", f.place.address.as_str())
        .with(
            "latitude",
            at.map(|a| a.latitude.to_string()).unwrap_or_default(),
        )
        .with(
            "longitude",
            at.map(|a| a.longitude.to_string()).unwrap_or_default(),
        )
        .with("contact_name", f.who.contact.name.as_str())
        .with("contact_mobile", f.mobile().unwrap_or_default())
        .with("contact_email", f.email().unwrap_or_default())
        .with("media", p.media_url.clone().unwrap_or_default())
        .with("recording", p.recording_url.clone().unwrap_or_default());
    (facts, personal)
}

/// Writes the grievance, its first history entry, its photos and the acknowledgement in one
/// statement. False when an earlier filing with the same key or reference is already there.
async fn insert(
    pool: &PgPool,
    f: &Filing,
    plan: &FilingPlan,
    id: Uuid,
    number: &str,
    assignee: Option<AccountId>,
    now: OffsetDateTime,
) -> Result<Written, sqlx::Error> {
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
    let (chained, personal) = facts(f, plan.category_id);
    let entry = Entry {
        grievance_id: id,
        seq: 1,
        at: now,
        actor_id: f.who.filer_id.or(f.provenance.agent_id),
        actor_kind: if f.who.filer_id.is_some() {
            "citizen".into()
        } else {
            f.provenance.channel.as_str().into()
        },
        kind: Event::Filed.as_str().into(),
        status: status.as_str().into(),
        assignee_id: assignee,
        department_id: Some(plan.department_id),
        level: 1,
        deadline_at: Some(deadline),
        note: f.what.description.clone(),
        facts: chained,
        personal,
        public: true,
    };
    let kept = entry.to_history();
    let hash = history::entry_hash(&history::GENESIS, &kept);
    let ack = Notice::Filed {
        number: number.to_string(),
    };
    let chain = notifications::delivery_chain(&notifications::Reach {
        push_account: f
            .who
            .filer_id
            .filter(|_| plan.pushable)
            .map(|a| a.to_string()),
        mobile: f.mobile(),
        email: f.email(),
    });
    let (ack_to, ack_fallbacks) = match chain.split_first() {
        Some((first, rest)) => (Some(first.clone()), notifications::fallbacks_json(rest)),
        None => (None, "[]".to_string()),
    };
    let (external_system, external_ref) = f.provenance.external.clone().unzip();
    let (p, at) = (&f.provenance, f.place.position);
    // Parameters are numbered in the order they are bound.
    // The post's row is locked (KEY SHARE, which the foreign key takes anyway) and its holder
    // read again as it is now: a hand-over holds the row (FOR UPDATE) until the work it moves is
    // moved, so a filing either lands before it, and moves with it, or sees the new holder after
    // it and is planned again.
    let written = sqlx::query!(
        r#"WITH post AS (
             SELECT holder_id FROM posts WHERE id = $50 FOR KEY SHARE
         ),
         current AS (
             SELECT $50::uuid IS NULL
                 OR EXISTS (SELECT 1 FROM post WHERE holder_id IS NOT DISTINCT FROM $51::uuid) AS yes
         ),
         g AS (
             INSERT INTO grievances (id, number, channel, category_id, department_id, ward_number, landmark,
                 address, latitude, longitude, description, recording_url, filer_id, anonymous, contact_name,
                 contact_mobile, contact_email, locale, status, assignee_id, level, deadline_at, warn_at,
                 external_system, external_ref, idempotency_key, intake_key_id, agent_id, created_at,
                 updated_at, history_seq, history_head, media_url, post_id)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                 $20, 1, $21, $22, $23, $24, $25, $26, $27, $28, $28, 1, $29, $30, $50
             FROM current WHERE current.yes
             ON CONFLICT DO NOTHING
             RETURNING id
         ),
         h AS (
             INSERT INTO history (subject, subject_id, seq, format, at, actor_id, actor_kind, kind, public,
                 facts, note, personal, salt, digest, prev_hash, hash)
             SELECT 'grievance', id, 1, $31, $28, $32, $33, 'filed', true, $34::text::jsonb, $11, $35::text::jsonb,
                 $36, $37, $38, $29 FROM g
         ),
         ack AS (
             INSERT INTO notifications (id, channel, recipient, subject, body, link, fallbacks, about_kind, about_id)
             SELECT $39, $40, $41, $2, $42, '/grievances/' || $2, $43::text::jsonb, 'grievance', id
             FROM g WHERE $40::text IS NOT NULL
         ),
         photos AS (
             INSERT INTO grievance_photos (id, grievance_id, history_seq, position, content, sha256, width, height)
             SELECT p.id, g.id, 1, p.position, p.content, p.sha256, p.width, p.height
             FROM g, unnest($44::uuid[], $45::int[], $46::bytea[], $47::bytea[], $48::int[], $49::int[])
                  AS p(id, position, content, sha256, width, height)
         )
         SELECT (SELECT id FROM g) AS id, (SELECT yes FROM current) AS "current!""#,
        // the grievance
        id,
        number,
        p.channel as _,
        plan.category_id,
        plan.department_id.uuid(),
        f.place.ward.map(|w| w.number()),
        f.place.landmark,
        f.place.address,
        at.map(|a| a.latitude),
        at.map(|a| a.longitude),
        entry.note,
        p.recording_url,
        f.who.filer_id.map(uuid::Uuid::from),
        f.who.anonymous,
        f.who.contact.name,
        f.mobile(),
        f.email(),
        f.who.locale.code(),
        status as _,
        assignee.map(Uuid::from),
        deadline,
        warn_at,
        external_system,
        external_ref,
        p.idempotency_key,
        p.intake_key_id,
        p.agent_id.map(uuid::Uuid::from),
        now,
        hash,
        p.media_url,
        // its first history entry
        kept.format,
        kept.actor_id,
        kept.actor_kind,
        kept.facts.to_json(),
        kept.private.personal.as_ref().map(Facts::to_json),
        kept.private.salt,
        kept.digest,
        &history::GENESIS[..],
        // the acknowledgement
        new_id(),
        ack_to.as_ref().map(|a| a.channel.as_str()),
        ack_to.as_ref().map(|a| a.recipient.as_str()),
        ack.words(f.who.locale),
        ack_fallbacks,
        // the photos
        &f.what.photos.iter().map(|_| new_id()).collect::<Vec<_>>(),
        &(1..=f.what.photos.len() as i32).collect::<Vec<_>>(),
        &f.what.photos.iter().map(|p| p.jpeg.clone()).collect::<Vec<_>>(),
        &f.what.photos.iter().map(|p| p.sha256.clone()).collect::<Vec<_>>(),
        &f.what.photos.iter().map(|p| p.width as i32).collect::<Vec<_>>(),
        &f.what.photos.iter().map(|p| p.height as i32).collect::<Vec<_>>(),
        // the post it is routed to, and its holder as planned
        plan.routed_post.map(uuid::Uuid::from),
        plan.post_holder.map(uuid::Uuid::from),
    )
    .fetch_one(pool)
    .await?;
    Ok(match (written.id, written.current) {
        (Some(_), _) => Written::Filed,
        (None, true) => Written::Repeat,
        (None, false) => Written::PostChangedHands,
    })
}

/// The grievance an earlier identical filing made (same idempotency key from the same filer, or
/// the same external reference), if any.
async fn repeated(pool: &PgPool, f: &Filing) -> Result<Option<Filed>, Problem> {
    if let Some(key) = &f.provenance.idempotency_key {
        let found: Option<(Uuid, String, Option<Uuid>)> = sqlx::query_as(
            "SELECT id, number, filer_id FROM grievances WHERE idempotency_key = $1",
        )
        .bind(key)
        .fetch_optional(pool)
        .await?;
        if let Some((id, number, filer)) = found {
            // A key is the client's own; someone else's key is not a way to read their grievance.
            if filer != f.who.filer_id.map(uuid::Uuid::from) {
                return Err(Problem::field("idempotency_key", "err_unexpected"));
            }
            return Ok(Some(Filed {
                id,
                number,
                repeated: true,
            }));
        }
    }
    if let Some((system, reference)) = &f.provenance.external {
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
