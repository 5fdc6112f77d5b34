//! A catalogue at UMANG's scale (2,039 services over 189 departments) for benchmarks, on top of
//! the demo data: names built from real service words, so that search has realistic work to do.

use super::catalogue::CATEGORIES;
use super::{demo, Tx};
use domain::catalogue;
use domain::db::new_id;
use sqlx::PgPool;
use uuid::Uuid;

const DEPTS: usize = 189;
const SERVICES_TOTAL: usize = 2039;

/// What the made-up departments and services are about.
const SUBJECTS: &[&str] = &[
    "birth",
    "death",
    "marriage",
    "income",
    "caste",
    "residence",
    "trade",
    "building",
    "water",
    "electricity",
    "property",
    "vehicle",
    "pension",
    "scholarship",
    "ration",
    "land",
    "fishing",
    "mining",
    "forest",
    "labour",
    "pollution",
    "fire safety",
    "hospital",
    "school",
    "shop",
    "factory",
    "tourism",
    "hostel",
    "bus",
    "parking",
];

/// What a made-up service does.
const ACTIONS: &[&str] = &[
    "certificate",
    "licence",
    "registration",
    "renewal",
    "permit",
    "bill payment",
    "connection",
    "complaint",
    "verification",
    "approval",
    "subsidy",
    "grievance",
    "booking",
    "status",
];

/// Whose a made-up department or service is.
const STATES: &[&str] = &[
    "Odisha",
    "Central",
    "District",
    "Municipal",
    "Rural",
    "Urban",
    "State",
];

/// UMANG's scale: 2,039 services over 189 departments, with names built from real service words
/// so that search has realistic work to do.
pub async fn umang_scale(pool: &PgPool, data_key: &domain::sealed::DataKey) -> anyhow::Result<()> {
    demo(pool, data_key).await?;
    let mut tx = pool.begin().await?;
    let dept_ids = departments(&mut tx).await?;
    services(&mut tx, &dept_ids).await?;
    catalogue::refresh_search_text(&mut tx, None).await?;
    tx.commit().await?;
    // After a bulk load the planner's statistics are stale until autovacuum comes round.
    sqlx::query("VACUUM ANALYZE").execute(pool).await?;
    let (services, departments): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM services), (SELECT count(*) FROM departments)",
    )
    .fetch_one(pool)
    .await?;
    println!("catalogue at UMANG scale: {services} services, {departments} departments");
    Ok(())
}

/// The made-up departments (kept if they exist), with English names; their ids in order.
async fn departments(tx: &mut Tx<'_>) -> anyhow::Result<Vec<Uuid>> {
    let mut dept_ids = Vec::with_capacity(DEPTS);
    for d in 0..DEPTS {
        let code = format!("umang-{d:03}");
        let name = format!(
            "{} Department of {} {}",
            STATES[d % STATES.len()],
            SUBJECTS[d % SUBJECTS.len()],
            d
        );
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO departments (id, code, is_agency) VALUES ($1, $2, true)
             ON CONFLICT (code) DO UPDATE SET is_agency = true RETURNING id",
        )
        .bind(new_id())
        .bind(&code)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO department_translations (department_id, locale, name) VALUES ($1, 'en', $2)
             ON CONFLICT (department_id, locale) DO NOTHING",
        )
        .bind(id)
        .bind(&name)
        .execute(&mut **tx)
        .await?;
        dept_ids.push(id);
    }
    Ok(dept_ids)
}

/// As many made-up services as bring the catalogue to `SERVICES_TOTAL`, spread over the made-up
/// departments and the demo categories, with English names and summaries.
async fn services(tx: &mut Tx<'_>, dept_ids: &[Uuid]) -> anyhow::Result<()> {
    let category_slugs: Vec<&str> = CATEGORIES.iter().map(|c| c.0).collect();
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM services")
        .fetch_one(&mut **tx)
        .await?;
    let to_make = SERVICES_TOTAL.saturating_sub(existing as usize);
    let (mut ids, mut slugs, mut depts, mut cats, mut names, mut pops) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for i in 0..to_make {
        let subject = SUBJECTS[(i * 7) % SUBJECTS.len()];
        let action = ACTIONS[(i * 3) % ACTIONS.len()];
        let state = STATES[i % STATES.len()];
        ids.push(new_id());
        slugs.push(format!("umang-{i:04}"));
        depts.push(dept_ids[i % DEPTS]);
        cats.push(category_slugs[i % category_slugs.len()].to_string());
        names.push(format!("{state} {subject} {action} {i}"));
        pops.push((i % 97) as i32);
    }
    sqlx::query(
        "INSERT INTO services (id, slug, department_id, category_id, popularity)
         SELECT x.id, x.slug, x.dept, c.id, x.pop
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::int[]) AS x(id, slug, dept, cat, pop)
         JOIN categories c ON c.slug = x.cat
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(&ids)
    .bind(&slugs)
    .bind(&depts)
    .bind(&cats)
    .bind(&pops)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO service_translations (service_id, locale, name, summary)
         SELECT x.id, 'en', x.name, 'Apply for ' || x.name || ' online and follow it to delivery.'
         FROM unnest($1::uuid[], $2::text[]) AS x(id, name)
         WHERE EXISTS (SELECT 1 FROM services s WHERE s.id = x.id)
         ON CONFLICT DO NOTHING",
    )
    .bind(&ids)
    .bind(&names)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
