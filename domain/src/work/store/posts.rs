//! Posts of a department: listing them with their open work, creating one, and appointing its
//! holder — the post's open work follows the appointment (`grievances::store::follow_post`,
//! `applications::store::follow_post`).

use crate::db::new_id;
use crate::grievances::store::OPEN;
use crate::ids::{AccountId, DepartmentId, PostId, ServiceId};
use crate::problem::{FieldError, Problem};
use crate::work::posts::{Jurisdiction, PostForm};
use crate::Locale;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// A post as its department's admin sees it.
#[derive(Clone, Debug)]
pub struct Post {
    pub id: PostId,
    pub title: String,
    pub jurisdiction: Jurisdiction,
    pub holder_id: Option<AccountId>,
    pub holder_name: Option<String>,
    /// The categories it handles, in the language asked for.
    pub categories: Vec<String>,
    /// The services whose applications it decides: (id, name in the language asked for).
    pub services: Vec<(Uuid, String)>,
    /// Its open grievances still at their first level.
    pub open_work: i64,
}

/// The posts of `department`, by title.
pub async fn list(
    pool: &PgPool,
    department: DepartmentId,
    locale: Locale,
) -> Result<Vec<Post>, Problem> {
    type Row = (
        Uuid,
        String,
        Option<Vec<i32>>,
        Option<Uuid>,
        Option<String>,
        Vec<String>,
        i64,
        Vec<Uuid>,
        Vec<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT p.id, p.title, p.wards, p.holder_id, u.name,
                ARRAY(SELECT CASE $2 WHEN 'or' THEN c.name_or WHEN 'hi' THEN c.name_hi ELSE c.name_en END
                      FROM post_categories pc JOIN grievance_categories c ON c.id = pc.category_id
                      WHERE pc.post_id = p.id ORDER BY c.position, c.name_en),
                (SELECT count(*) FROM grievances g WHERE g.post_id = p.id AND g.level = 1
                   AND g.status IN {OPEN}),
                ARRAY(SELECT ps.service_id FROM post_services ps
                      JOIN service_translations se ON se.service_id = ps.service_id AND se.locale = 'en'
                      WHERE ps.post_id = p.id ORDER BY se.name),
                ARRAY(SELECT coalesce(nullif(st.name, ''), se.name) FROM post_services ps
                      JOIN service_translations se ON se.service_id = ps.service_id AND se.locale = 'en'
                      LEFT JOIN service_translations st ON st.service_id = ps.service_id AND st.locale = $2
                      WHERE ps.post_id = p.id ORDER BY se.name)
         FROM posts p LEFT JOIN users u ON u.id = p.holder_id
         WHERE p.department_id = $1 ORDER BY p.title"
    ))
    .bind(department)
    .bind(locale.code())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, wards, holder_id, holder_name, categories, open_work, ids, names)| Post {
                id: PostId::from(id),
                title,
                jurisdiction: Jurisdiction::from_column(wards),
                holder_id: holder_id.map(Into::into),
                holder_name,
                categories,
                services: ids.into_iter().zip(names).collect(),
                open_work,
            },
        )
        .collect())
}

/// Creates a post of `department`, held by `holder` (one of its staff) or vacant. Its
/// categories must be the department's own.
#[tracing::instrument(name = "work::create_post", skip(pool, form))]
pub async fn create(
    pool: &PgPool,
    department: DepartmentId,
    form: &PostForm,
    holder: Option<AccountId>,
    by: AccountId,
) -> Result<Uuid, Problem> {
    let mut tx = pool.begin().await?;
    let mut problems = Vec::new();
    let own: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM grievance_categories WHERE id = ANY($1) AND department_id = $2",
    )
    .bind(&form.categories)
    .bind(department)
    .fetch_one(&mut *tx)
    .await?;
    if own != form.categories.len() as i64 {
        problems.push(FieldError::new("categories", "err_post_categories"));
    }
    if let Some(h) = holder {
        if !crate::departments::store::is_staff(&mut *tx, h, department).await? {
            problems.push(FieldError::new("holder", "err_reassign_target"));
        }
    }
    Problem::check(problems)?;
    let id = new_id();
    let made = sqlx::query(
        "INSERT INTO posts (id, department_id, title, wards, holder_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (department_id, title) DO NOTHING",
    )
    .bind(id)
    .bind(department)
    .bind(&form.title)
    .bind(form.jurisdiction.to_column())
    .bind(holder)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if made == 0 {
        return Err(Problem::field("title", "err_post_title_taken"));
    }
    sqlx::query("INSERT INTO post_categories (post_id, category_id) SELECT $1, unnest($2::uuid[])")
        .bind(id)
        .bind(&form.categories)
        .execute(&mut *tx)
        .await?;
    crate::identity::store::security_log::record_act(
        &mut tx,
        Some(by),
        crate::identity::store::security_log::Event::PostCreated,
        crate::history::Facts::new()
            .with("post", id)
            .with("department", department),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(target: "security", post = %id, department = %department, holder = ?holder, "post created");
    Ok(id)
}

/// Sets which services' applications a post of `department` decides (new applications are routed
/// to it; those already filed stay where they are), as `by`. The services must be the
/// department's own. Answers how many it decides now.
#[tracing::instrument(name = "work::post_services", skip(pool, services))]
pub async fn set_services(
    pool: &PgPool,
    department: DepartmentId,
    post: PostId,
    services: &[ServiceId],
    by: AccountId,
) -> Result<usize, Problem> {
    let mut tx = pool.begin().await?;
    let ours = sqlx::query_scalar!(
        "SELECT id FROM posts WHERE id = $1 AND department_id = $2 FOR UPDATE",
        post.uuid(),
        department.uuid()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if ours.is_none() {
        return Err(Problem::NotFound);
    }
    let mut wanted: Vec<Uuid> = services.iter().map(|s| s.uuid()).collect();
    wanted.sort();
    wanted.dedup();
    let own = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM services WHERE id = ANY($1) AND department_id = $2"#,
        &wanted,
        department.uuid()
    )
    .fetch_one(&mut *tx)
    .await?;
    if own != wanted.len() as i64 {
        return Err(Problem::field("services", "err_post_services"));
    }
    sqlx::query!("DELETE FROM post_services WHERE post_id = $1", post.uuid())
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "INSERT INTO post_services (post_id, service_id) SELECT $1, unnest($2::uuid[])",
        post.uuid(),
        &wanted
    )
    .execute(&mut *tx)
    .await?;
    crate::identity::store::security_log::record_act(
        &mut tx,
        Some(by),
        crate::identity::store::security_log::Event::PostServicesSaved,
        crate::history::Facts::new()
            .with("post", post)
            .with("services", wanted.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(wanted.len())
}

/// The department's services that take applications (those with a form), by name.
pub async fn services_with_forms(
    pool: &PgPool,
    department: DepartmentId,
    locale: Locale,
) -> Result<Vec<(Uuid, String)>, Problem> {
    let rows = sqlx::query!(
        r#"SELECT s.id, coalesce(nullif(st.name, ''), se.name) AS "name!"
           FROM services s
           JOIN service_translations se ON se.service_id = s.id AND se.locale = 'en'
           LEFT JOIN service_translations st ON st.service_id = s.id AND st.locale = $2
           WHERE s.department_id = $1 AND EXISTS (SELECT 1 FROM service_forms f WHERE f.service_id = s.id)
           ORDER BY se.name"#,
        department.uuid(),
        locale.code()
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// Appoints `holder` (one of the department's staff) to a post of `department`, or leaves it
/// vacant, as `by`: the post's open work at its first level moves to them (or, vacant, to the
/// department's admin), each with a history entry and a notice. Returns how many moved.
#[tracing::instrument(name = "work::appoint", skip(pool))]
pub async fn appoint(
    pool: &PgPool,
    post: PostId,
    department: DepartmentId,
    holder: Option<AccountId>,
    by: AccountId,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    let mut tx = pool.begin().await?;
    let found: Option<Option<Uuid>> = sqlx::query_scalar(
        "SELECT holder_id FROM posts WHERE id = $1 AND department_id = $2 FOR UPDATE",
    )
    .bind(post)
    .bind(department)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(before) = found else {
        return Err(Problem::NotFound);
    };
    if let Some(h) = holder {
        if !crate::departments::store::is_staff(&mut *tx, h, department).await? {
            return Err(Problem::field("holder", "err_reassign_target"));
        }
    }
    sqlx::query("UPDATE posts SET holder_id = $2 WHERE id = $1")
        .bind(post)
        .bind(holder)
        .execute(&mut *tx)
        .await?;
    let moved = crate::grievances::store::follow_post(&mut tx, post, department, holder, by, now)
        .await?
        + crate::applications::store::follow_post(&mut tx, post, department, holder, by, now)
            .await?;
    let mut facts = crate::history::Facts::new().with("post", post);
    if let Some(h) = holder {
        facts = facts.with("holder", h);
    }
    crate::identity::store::security_log::record_act(
        &mut tx,
        Some(by),
        crate::identity::store::security_log::Event::PostHandedOver,
        facts,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(target: "security", post = %post, from = ?before, to = ?holder, by = %by, moved, "post holder changed");
    Ok(moved)
}
