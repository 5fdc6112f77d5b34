//! The work queue's queries: one page of the items waiting on an official (or a department),
//! read through the `work_items` view that every kind adds its rows to; handing a selection to
//! another official, kind by kind; and the posts work is routed to (`posts`).

pub mod posts;

use super::{ItemRef, Kind, State, QUEUE_PAGE};
use crate::grievances::me_too::Priority;
use crate::ids::{AccountId, DepartmentId};
use crate::problem::Problem;
use crate::Locale;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// One item as the queue lists it.
#[derive(Clone, Debug)]
pub struct Item {
    pub kind: Kind,
    pub id: Uuid,
    /// The number people read and say (a grievance's GR number).
    pub reference: String,
    pub state: State,
    /// What it is about (a grievance's category), in the language asked for.
    pub title: String,
    pub department_name: String,
    pub ward_number: Option<i32>,
    pub place: String,
    pub summary: String,
    pub assignee_name: Option<String>,
    /// The post it was routed to, while it is the post's.
    pub post_title: Option<String>,
    pub level: i32,
    /// People who joined it ("me too").
    pub supporters: i32,
    pub priority: Priority,
    pub due_at: Option<OffsetDateTime>,
    pub overdue_since: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct Row {
    kind: String,
    id: Uuid,
    reference: String,
    status: String,
    title: String,
    department_name: String,
    ward_number: Option<i32>,
    place: String,
    summary: String,
    assignee_name: Option<String>,
    post_title: Option<String>,
    level: i32,
    supporters: i32,
    priority: i32,
    due_at: Option<OffsetDateTime>,
    overdue_since: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
    total: i64,
}

impl Row {
    fn item(self) -> Result<Item, Problem> {
        let kind = Kind::parse(&self.kind)
            .ok_or_else(|| Problem::unexpected(format!("unknown work kind {:?}", self.kind)))?;
        let state = State::parse(kind, &self.status).ok_or_else(|| {
            Problem::unexpected(format!("unknown {} state {:?}", self.kind, self.status))
        })?;
        Ok(Item {
            kind,
            id: self.id,
            reference: self.reference,
            state,
            title: self.title,
            department_name: self.department_name,
            ward_number: self.ward_number,
            place: self.place,
            summary: self.summary,
            assignee_name: self.assignee_name,
            post_title: self.post_title,
            level: self.level,
            supporters: self.supporters,
            priority: Priority::from_rank(self.priority),
            due_at: self.due_at,
            overdue_since: self.overdue_since,
            created_at: self.created_at,
        })
    }
}

/// What a queue holds.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only items in this state (which names their kind too); default: every open item.
    pub state: Option<State>,
    /// Only items of this kind.
    pub kind: Option<Kind>,
    pub ward: Option<i32>,
    /// Only those past their deadline.
    pub overdue_only: bool,
    /// The whole department's queue (for its admin) instead of the caller's own.
    pub department: Option<DepartmentId>,
    /// Which page, from 1, of `QUEUE_PAGE` items.
    pub page: i64,
}

/// One page of a queue, and how many items the whole filtered queue holds.
#[derive(Clone, Debug)]
pub struct Page {
    pub items: Vec<Item>,
    pub total: i64,
}

const FROM: &str = "FROM work_items w
    JOIN department_translations de ON de.department_id = w.department_id AND de.locale = 'en'
    LEFT JOIN department_translations dt ON dt.department_id = w.department_id AND dt.locale = $1
    LEFT JOIN users a ON a.id = w.assignee_id
    LEFT JOIN posts p ON p.id = w.post_id
    WHERE (CASE WHEN $3::uuid IS NULL THEN w.assignee_id = $2 ELSE w.department_id = $3 END)
      AND ($4::text IS NULL OR w.kind = $4)
      AND (CASE WHEN $5::text IS NULL THEN w.open ELSE w.status = $5 END)
      AND ($6::int IS NULL OR w.ward_number = $6)
      AND (NOT $7 OR w.due_at <= $8)";

/// An official's queue: the items assigned to them (or a whole department's), the highest
/// priority first, then the nearest deadline. A page past the end holds no items but the count.
#[tracing::instrument(name = "work::queue", skip(pool, filter), fields(page = filter.page))]
pub async fn queue(
    pool: &PgPool,
    official: AccountId,
    filter: &Filter,
    now: OffsetDateTime,
    locale: Locale,
) -> Result<Page, Problem> {
    let page = filter.page.max(1);
    let kind = filter.state.map(State::kind).or(filter.kind);
    // The count comes with the page (a window over the whole filtered queue); a page past the
    // end has no rows to carry it, and asks once more for the count alone.
    macro_rules! bind_filter {
        ($query:expr) => {
            $query
                .bind(locale.code())
                .bind(official)
                .bind(filter.department)
                .bind(kind.map(Kind::as_str))
                .bind(filter.state.map(State::as_str))
                .bind(filter.ward)
                .bind(filter.overdue_only)
                .bind(now)
        };
    }
    let rows: Vec<Row> = bind_filter!(sqlx::query_as(&format!(
        "SELECT w.kind, w.id, w.reference, w.status,
                CASE $1 WHEN 'or' THEN w.title_or WHEN 'hi' THEN w.title_hi ELSE w.title_en END AS title,
                COALESCE(dt.name, de.name) AS department_name, w.ward_number, w.place, w.summary,
                a.name AS assignee_name, p.title AS post_title, w.level, w.supporters, w.priority,
                w.due_at, w.overdue_since, w.created_at, count(*) OVER () AS total
         {FROM}
         ORDER BY w.priority DESC, w.due_at NULLS LAST, w.supporters DESC, w.created_at, w.id
         LIMIT $9 OFFSET $10"
    )))
    .bind(QUEUE_PAGE)
    .bind((page - 1) * QUEUE_PAGE)
    .fetch_all(pool)
    .await?;
    let total = match rows.first() {
        Some(r) => r.total,
        None => {
            bind_filter!(sqlx::query_scalar(&format!("SELECT count(*) {FROM}")))
                .fetch_one(pool)
                .await?
        }
    };
    Ok(Page {
        items: rows.into_iter().map(Row::item).collect::<Result<_, _>>()?,
        total,
    })
}

/// Gives a selection of `department`'s items to `to`, one of its staff, as `by` (a department
/// admin): each kind hands its own over. An item not found refuses the whole selection. Returns
/// how many moved.
#[tracing::instrument(name = "work::reassign", skip(pool, items), fields(count = items.len()))]
pub async fn reassign(
    pool: &PgPool,
    items: &[ItemRef],
    to: AccountId,
    by: AccountId,
    department: DepartmentId,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    if items.is_empty() || items.len() > super::REASSIGN_MAX {
        return Err(Problem::field("ids", "err_reassign_none"));
    }
    let mut grievances = Vec::new();
    let mut applications = Vec::new();
    for item in items {
        match item.kind {
            Kind::Grievance => {
                let number = crate::grievances::GrievanceNumber::parse(&item.reference)
                    .map_err(|_| Problem::NotFound)?;
                let id = crate::grievances::store::id_by_number(pool, &number)
                    .await?
                    .ok_or(Problem::NotFound)?;
                grievances.push(id);
            }
            // an appeal is decided by the officer the department names, not handed on
            Kind::Appeal => return Err(Problem::field("ids", "err_reassign_none")),
            Kind::Application => applications.push(
                crate::applications::ApplicationNumber::parse(&item.reference)
                    .map_err(|_| Problem::NotFound)?,
            ),
        }
    }
    let mut moved = 0;
    if !grievances.is_empty() {
        moved +=
            crate::grievances::store::reassign(pool, &grievances, to, by, department, now).await?;
    }
    if !applications.is_empty() {
        moved += crate::applications::store::reassign(pool, &applications, to, by, department, now)
            .await?;
    }
    Ok(moved)
}
