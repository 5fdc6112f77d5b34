//! Who handles what: the officials the routes name, routes by category and ward, and a ladder of
//! its own for streetlights.

use domain::db::new_id;
use sqlx::PgPool;

/// Officials the routes name: (name, mobile, department, role).
pub const GRIEVANCE_STAFF: [(&str, &str, &str, &str); 3] = [
    ("Eshan Pradhan", "9000000005", "watco", "official"),
    ("Gita Behera", "9000000006", "tpcodl", "official"),
    ("Farida Begum", "9000000007", "bmc", "official"),
];

/// Routes and the streetlight ladder, once the staff they name exist.
pub async fn seed_routes(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    // (category slug, ward, official's mobile): the whole city unless a ward is given.
    let routes: &[(&str, Option<i32>, &str)] = &[
        ("roads", None, "9000000003"),
        ("streetlights", None, "9000000003"),
        ("sanitation", None, "9000000003"),
        ("drainage", None, "9000000003"),
        ("buildings", None, "9000000003"),
        ("animals", None, "9000000003"),
        ("other", None, "9000000003"),
        ("water-supply", None, "9000000005"),
        ("sewerage", None, "9000000005"),
        ("electricity", None, "9000000006"),
    ];
    let mut all: Vec<(&str, Option<i32>, &str)> = routes.to_vec();
    // Wards 1–10 have their own sanitation officer.
    for ward in 1..=10 {
        all.push(("sanitation", Some(ward), "9000000007"));
    }
    for (slug, ward, mobile) in all {
        sqlx::query(
            "INSERT INTO grievance_routes (id, category_id, ward_number, official_id)
             SELECT $1, c.id, $3, u.id FROM grievance_categories c, users u WHERE c.slug = $2 AND u.mobile = $4
             ON CONFLICT (category_id, COALESCE(ward_number, 0)) DO UPDATE SET official_id = EXCLUDED.official_id",
        )
        .bind(new_id())
        .bind(slug)
        .bind(ward)
        .bind(mobile)
        .execute(&mut *tx)
        .await?;
    }
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
