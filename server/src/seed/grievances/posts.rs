//! Who handles what: the officials who hold the posts, the posts (categories in a jurisdiction)
//! grievances are routed to, and a ladder of its own for streetlights.

use domain::db::new_id;
use domain::work::posts::Jurisdiction;
use sqlx::PgPool;

/// Officials who hold posts: (name, mobile, department, role).
pub const GRIEVANCE_STAFF: [(&str, &str, &str, &str); 3] = [
    ("Eshan Pradhan", "9000000005", "watco", "official"),
    ("Gita Behera", "9000000006", "tpcodl", "official"),
    ("Farida Begum", "9000000007", "bmc", "official"),
];

/// The posts grievances are routed to: (department, title, wards (empty: the whole city),
/// holder's mobile, the categories it handles).
const POSTS: [(&str, &str, &str, &str, &[&str]); 4] = [
    (
        "bmc",
        "Assistant Engineer, Public Works",
        "",
        "9000000003",
        &[
            "roads",
            "streetlights",
            "sanitation",
            "drainage",
            "buildings",
            "animals",
            "other",
        ],
    ),
    // Wards 1–10 have their own sanitation officer.
    (
        "bmc",
        "Sanitary Inspector, wards 1–10",
        "1-10",
        "9000000007",
        &["sanitation"],
    ),
    (
        "watco",
        "Assistant Engineer, Water Supply",
        "",
        "9000000005",
        &["water-supply", "sewerage"],
    ),
    (
        "tpcodl",
        "Junior Engineer, Electricity",
        "",
        "9000000006",
        &["electricity"],
    ),
];

/// The posts that decide applications: (department, title, holder's mobile, the services whose
/// applications it decides). An existing post keeps its grievance categories.
const APPLICATION_POSTS: [(&str, &str, &str, &[&str]); 2] = [
    (
        "bmc",
        "Registrar, Births, Marriages and Licences",
        "9000000003",
        &[
            "birth-certificate",
            "marriage-registration",
            "trade-licence-new",
        ],
    ),
    (
        "watco",
        "Assistant Engineer, Water Supply",
        "9000000005",
        &["water-new-connection"],
    ),
];

/// Posts and the streetlight ladder, once the staff they name exist.
pub async fn seed_posts(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    for (department, title, wards, mobile, categories) in POSTS {
        let wards = Jurisdiction::parse(wards)
            .map_err(|e| anyhow::anyhow!("seed post {title}: {e}"))?
            .to_column();
        let post: uuid::Uuid = sqlx::query_scalar(
            "INSERT INTO posts (id, department_id, title, wards, holder_id)
             SELECT $1, d.id, $3, $4, (SELECT id FROM users WHERE mobile = $5) FROM departments d WHERE d.code = $2
             ON CONFLICT (department_id, title) DO UPDATE SET wards = EXCLUDED.wards, holder_id = EXCLUDED.holder_id
             RETURNING id",
        )
        .bind(new_id())
        .bind(department)
        .bind(title)
        .bind(wards)
        .bind(mobile)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO post_categories (post_id, category_id)
             SELECT $1, id FROM grievance_categories WHERE slug = ANY($2) ON CONFLICT DO NOTHING",
        )
        .bind(post)
        .bind(categories)
        .execute(&mut *tx)
        .await?;
    }
    for (department, title, mobile, services) in APPLICATION_POSTS {
        let post: uuid::Uuid = sqlx::query_scalar(
            "INSERT INTO posts (id, department_id, title, wards, holder_id)
             SELECT $1, d.id, $3, NULL, (SELECT id FROM users WHERE mobile = $4) FROM departments d WHERE d.code = $2
             ON CONFLICT (department_id, title) DO UPDATE SET holder_id = EXCLUDED.holder_id
             RETURNING id",
        )
        .bind(new_id())
        .bind(department)
        .bind(title)
        .bind(mobile)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO post_services (post_id, service_id)
             SELECT $1, id FROM services WHERE slug = ANY($2) ON CONFLICT DO NOTHING",
        )
        .bind(post)
        .bind(services)
        .execute(&mut *tx)
        .await?;
    }
    // BMC's appeals under the Right to Public Services Act go to its admin, revisions to the
    // city admin (a department that names nobody falls back to its admin, then the city's).
    sqlx::query(
        "UPDATE departments SET appellate_officer_id = (SELECT id FROM users WHERE mobile = '9000000002'),
             revision_officer_id = (SELECT id FROM users WHERE mobile = '9000000001')
         WHERE code = 'bmc'",
    )
    .execute(&mut *tx)
    .await?;
    // Streetlights: two days for the official, then one for the department admin, one for the city.
    let ladder = [
        (1, "routed", 48, 75),
        (2, "department_admin", 24, 50),
        (3, "city_admin", 24, 50),
    ];
    for (level, assignee, hours, warn) in ladder {
        sqlx::query(
            "INSERT INTO escalation_levels (category_id, level, assignee, hours, warn_percent)
             SELECT id, $2, $3, $4, $5 FROM grievance_categories WHERE slug = $1
             ON CONFLICT (category_id, level) DO UPDATE SET assignee = EXCLUDED.assignee, hours = EXCLUDED.hours,
                 warn_percent = EXCLUDED.warn_percent",
        )
        .bind("streetlights")
        .bind(level)
        .bind(assignee)
        .bind(hours)
        .bind(warn)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
