//! "Download all my data" (DPDP Act 2023, s. 11: a summary of the personal data processed): one
//! JSON document, a part per capability. Each capability that keeps personal data adds its part
//! here (applications, bookings and payments as they land), read by its own query.

use crate::ids::AccountId;
use sqlx::PgPool;

/// Runs a query that answers one JSON text (`json_agg`/`row_to_json`), as a value.
async fn json(
    pool: &PgPool,
    sql: &str,
    account: AccountId,
) -> Result<serde_json::Value, sqlx::Error> {
    let text: Option<String> = sqlx::query_scalar(sql)
        .bind(account)
        .fetch_one(pool)
        .await?;
    Ok(text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null))
}

/// Everything Nagarik keeps about `account`, for the person to download.
pub async fn export(
    pool: &PgPool,
    key: &crate::sealed::DataKey,
    account: AccountId,
) -> Result<serde_json::Value, crate::problem::Problem> {
    let profile = json(
        pool,
        "SELECT row_to_json(x)::text FROM (
             SELECT u.citizen_id, u.name, u.mobile, u.email, u.role, d.code AS department,
                    u.locale AS language, u.created_at AS registered_at
             FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = $1) x",
        account,
    )
    .await?;
    let sessions = json(
        pool,
        "SELECT COALESCE(json_agg(x ORDER BY x.signed_in_at), '[]')::text FROM (
             SELECT created_at AS signed_in_at, last_seen_at, user_agent AS device, revoked_at AS signed_out_at
             FROM sessions WHERE user_id = $1) x",
        account,
    )
    .await?;
    let filed = json(
        pool,
        "SELECT COALESCE(json_agg(x ORDER BY x.filed_at), '[]')::text FROM (
             SELECT g.number, g.status, c.name_en AS category, g.channel, g.ward_number AS ward,
                    g.landmark, g.address, g.latitude, g.longitude, g.description, g.anonymous,
                    g.contact_name, g.contact_mobile, g.contact_email, g.rating, g.rating_comment,
                    g.created_at AS filed_at, g.resolved_at, g.closed_at,
                    (SELECT COALESCE(json_agg(json_build_object('at', h.at, 'step', h.kind, 'note', h.note)
                                              ORDER BY h.seq), '[]')
                     FROM history h WHERE h.subject = 'grievance' AND h.subject_id = g.id AND h.actor_id = $1)
                        AS your_steps,
                    (SELECT count(*) FROM grievance_photos p WHERE p.grievance_id = g.id) AS photos
             FROM grievances g JOIN grievance_categories c ON c.id = g.category_id
             WHERE g.filer_id = $1) x",
        account,
    )
    .await?;
    let followed = json(
        pool,
        "SELECT COALESCE(json_agg(x ORDER BY x.joined_at), '[]')::text FROM (
             SELECT g.number, f.joined_at
             FROM grievance_followers f JOIN grievances g ON g.id = f.grievance_id
             WHERE f.account_id = $1) x",
        account,
    )
    .await?;
    let messages = json(
        pool,
        "SELECT COALESCE(json_agg(x ORDER BY x.sent_at), '[]')::text FROM (
             SELECT n.channel, n.recipient, n.subject, n.body, n.status, n.created_at AS sent_at
             FROM notifications n JOIN users u ON n.recipient IN (u.mobile, u.email, u.id::text)
             WHERE u.id = $1) x",
        account,
    )
    .await?;
    // Filed for them by number, without the account: by SMS, IVRS, the kiosk or the call centre.
    let by_number = json(
        pool,
        "SELECT COALESCE(json_agg(x ORDER BY x.filed_at), '[]')::text FROM (
             SELECT g.number, g.channel, g.status, g.description, g.contact_name, g.created_at AS filed_at
             FROM grievances g JOIN users u ON g.contact_mobile = u.mobile OR g.contact_email = u.email
             WHERE u.id = $1 AND g.filer_id IS NULL) x",
        account,
    )
    .await?;
    let devices = json(
        pool,
        "SELECT COALESCE(json_agg(x ORDER BY x.since), '[]')::text FROM (
             SELECT substring(endpoint from '^https?://[^/]+') AS push_service, created_at AS since
             FROM push_subscriptions WHERE account_id = $1) x",
        account,
    )
    .await?;
    let browsers = json(
        pool,
        "SELECT COALESCE(json_agg(x ORDER BY x.first_signed_in_at), '[]')::text FROM (
             SELECT user_agent AS browser, first_seen_at AS first_signed_in_at,
                    last_seen_at AS last_signed_in_at
             FROM known_devices WHERE user_id = $1) x",
        account,
    )
    .await?;
    // The second factor's state (never its key or codes) and the account's security history.
    let two_step = json(
        pool,
        "SELECT json_build_object(
             'on_since', (SELECT confirmed_at FROM second_factors WHERE user_id = $1),
             'recovery_codes_left',
                 (SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL))::text",
        account,
    )
    .await?;
    let security = json(
        pool,
        "SELECT COALESCE(json_agg(x ORDER BY x.seq), '[]')::text FROM (
             SELECT seq, at, kind AS event, actor_kind AS by FROM history
             WHERE subject = 'account' AND subject_id = $1) x",
        account,
    )
    .await?;
    let applications = crate::applications::store::export_of(pool, key, account).await?;
    let documents = crate::locker::store::export_of(pool, key, account).await?;
    let certificates = crate::certificates::store::export_of(pool, account).await?;
    let payments = crate::payments::store::export_of(pool, account).await?;
    let bookings = crate::bookings::store::export_of(pool, account).await?;
    let bills = crate::bills::store::export_of(pool, account).await?;
    Ok(serde_json::json!({
        "bills": bills,
        "payments": payments,
        "bookings": bookings,
        "format": "nagarik-export/1",
        "applications": applications,
        "documents": documents,
        "certificates": certificates,
        "two_step_sign_in": two_step,
        "security_events": security,
        "exported_at": json(pool, "SELECT to_json(now())::text WHERE $1::uuid IS NOT NULL", account).await?,
        "account": profile,
        "sessions": sessions,
        "grievances": { "filed": filed, "followed": followed, "filed_with_your_number": by_number },
        "messages": messages,
        "push_devices": devices,
        "browsers_signed_in_from": browsers,
    }))
}
