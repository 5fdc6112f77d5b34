//! The Nagarik server binary: `nagarik [serve]` runs the web app and its workers; `migrate`,
//! `seed`, `seed-umang` and `create-admin` are the admin commands; `sandbox-gateway` runs the
//! stand-in SMS gateway and push service, and `sandbox-razorpay` the stand-in payment gateway,
//! for development and tests.

use anyhow::Context;
use server::{bench, seed, startup, telemetry};

const USAGE: &str = "usage: nagarik [serve | migrate | data-key | seed | seed-umang | bench-search | bench-payments [GATEWAY_URL] | create-admin NAME MOBILE PASSWORD | api-key CHANNEL [LABEL] | audit-check [ANCHOR] | audit-anchor | rotate-master-key | rotate-certificate-key [OLD-KEY-VERIFIES-UNTIL YYYY-MM-DD] | demo-code | sandbox-gateway [ADDR] | sandbox-razorpay [ADDR] | sandbox-billers [ADDR]]";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _log_guard = telemetry::init()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("serve");
    // Commands that need no database.
    match command {
        "demo-code" => return demo_code(),
        "data-key" => {
            println!("{}", domain::sealed::DataKey::new_text());
            return Ok(());
        }
        "sandbox-gateway" => {
            let addr = args.get(1).map(String::as_str).unwrap_or("127.0.0.1:3025");
            let token = std::env::var("NAGARIK_SMS_GATEWAY_TOKEN").unwrap_or_default();
            return server::sandbox_gateway::serve(addr, token).await;
        }
        "sandbox-billers" => {
            let addr = args.get(1).map(String::as_str).unwrap_or("127.0.0.1:3027");
            return server::sandbox_billers::serve(addr).await;
        }
        "sandbox-razorpay" => {
            let addr = args.get(1).map(String::as_str).unwrap_or("127.0.0.1:3026");
            let webhook = std::env::var("NAGARIK_RAZORPAY_WEBHOOK_URL").ok();
            return server::sandbox_razorpay::serve(addr, webhook).await;
        }
        _ => {}
    }
    let database_url =
        std::env::var("DATABASE_URL").context("DATABASE_URL is not set (./dev run sets it)")?;
    let pool = domain::db::connect(&database_url, if command == "serve" { 20 } else { 4 }).await?;
    match command {
        "serve" => {
            telemetry::check_clock(&pool).await;
            domain::db::check_migrated(&pool).await?;
            startup::serve(pool).await
        }
        "migrate" => {
            migrate(&pool).await?;
            println!("migrations applied");
            Ok(())
        }
        "seed" => {
            migrate(&pool).await?;
            seed::demo(&pool, &startup::data_key()?).await
        }
        "bench-search" => bench::search(&pool).await,
        "bench-payments" => {
            let gateway = args
                .get(1)
                .map(String::as_str)
                .unwrap_or("http://127.0.0.1:3026");
            server::bench_payments::run(&pool, gateway).await
        }
        "seed-umang" => {
            migrate(&pool).await?;
            seed::umang_scale(&pool, &startup::data_key()?).await
        }
        "create-admin" => create_admin(&pool, &args[1..]).await,
        "rotate-master-key" => rotate_master_key(&pool).await,
        "rotate-certificate-key" => rotate_certificate_key(&pool, args.get(1)).await,
        "api-key" => api_key(&pool, &args[1..]).await,
        "audit-check" => audit_check(&pool, args.get(1)).await,
        "audit-anchor" => {
            print!(
                "{}",
                domain::history::anchor::write(&pool, time::OffsetDateTime::now_utc()).await?
            );
            Ok(())
        }
        _ => anyhow::bail!("{USAGE}"),
    }
}

/// The migrations, as the schema's owner; `NAGARIK_APP_ROLE` names the role `serve` connects as,
/// which is then given rows to read and write and nothing more (`domain::db::grant_app_role`).
async fn migrate(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    let app_role = std::env::var("NAGARIK_APP_ROLE")
        .ok()
        .filter(|r| !r.is_empty());
    domain::db::migrate(pool, app_role.as_deref()).await
}

/// Re-seals everything sealed under `NAGARIK_DATA_KEY` under `NAGARIK_NEW_DATA_KEY`
/// (`domain::rotation`). Stop every server first; start them again with the new key.
async fn rotate_master_key(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    let old = startup::data_key()?;
    let new = std::env::var("NAGARIK_NEW_DATA_KEY")
        .context("NAGARIK_NEW_DATA_KEY is not set: make one with `nagarik data-key`")?;
    let new = domain::sealed::DataKey::from_text(&new)
        .map_err(|e| anyhow::anyhow!("NAGARIK_NEW_DATA_KEY: {e}"))?;
    let rotated = domain::rotation::rotate_master_key(pool, &old, &new)
        .await
        .map_err(|e| anyhow::anyhow!("the rotation was undone: {e}"))?;
    println!(
        "re-sealed under the new key: {} second factors, {} settings, {} application answers and drafts, {} locker keys, {} certificate keys and codes",
        rotated.second_factors, rotated.settings, rotated.application_values, rotated.locker_keys,
        rotated.certificate_values
    );
    println!("start every server with NAGARIK_DATA_KEY set to the new key");
    Ok(())
}

/// Retires the key that signs certificates and makes a new one (`domain::certificates::keys`).
/// Certificates the old key signed verify until the day given (end of that day, in India), or
/// for as long as they are valid if none is.
async fn rotate_certificate_key(pool: &sqlx::PgPool, until: Option<&String>) -> anyhow::Result<()> {
    domain::db::check_migrated(pool).await?;
    let until = match until {
        Some(day) => {
            let (y, m, d) = domain::applications::form::parse_date(day)
                .with_context(|| format!("{day} is not a day (YYYY-MM-DD)"))?;
            let date = domain::applications::store::to_date((y, m, d))
                .map_err(|_| anyhow::anyhow!("{day} is not a day"))?;
            Some(
                date.with_hms(23, 59, 59)?
                    .assume_offset(time::macros::offset!(+5:30)),
            )
        }
        None => None,
    };
    let kid = domain::certificates::keys::rotate(
        pool,
        &startup::data_key()?,
        until,
        time::OffsetDateTime::now_utc(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("the key was not rotated: {e}"))?;
    println!("certificates are now signed with key {kid}; /.well-known/jwks.json publishes it");
    Ok(())
}

/// The demo staff's current two-step code (their key is published with the demo data).
fn demo_code() -> anyhow::Result<()> {
    let secret = domain::identity::second_factor::secret_from_text(seed::DEMO_TOTP_KEY)
        .context("the demo key is not Base32")?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    println!("{}", domain::identity::second_factor::code_at(&secret, now));
    Ok(())
}

/// `create-admin NAME MOBILE PASSWORD`: the first city admin, who appoints everyone else.
async fn create_admin(pool: &sqlx::PgPool, args: &[String]) -> anyhow::Result<()> {
    let [name, mobile, password] = [args.first(), args.get(1), args.get(2)];
    let (Some(name), Some(mobile), Some(password)) = (name, mobile, password) else {
        anyhow::bail!("{USAGE}");
    };
    domain::db::check_migrated(pool).await?;
    let created = domain::identity::store::create_account(
        pool,
        domain::identity::store::StaffForm {
            name: name.clone(),
            mobile: mobile.clone(),
            email: String::new(),
            password: password.clone(),
            role: domain::identity::Role::CityAdmin,
            department_id: None,
            appointed_by: None,
        },
    )
    .await;
    match created {
        Ok(new) => {
            println!("city admin created, citizen id {}", new.citizen_id);
            Ok(())
        }
        Err(domain::problem::Problem::Invalid(f)) => {
            let codes: Vec<_> = f
                .iter()
                .map(|e| format!("{}: {}", e.field, e.code))
                .collect();
            anyhow::bail!("refused: {}", codes.join(", "))
        }
        Err(other) => Err(other.into()),
    }
}

/// `api-key CHANNEL [LABEL]`: a new key for the grievance intake API, printed once.
async fn api_key(pool: &sqlx::PgPool, args: &[String]) -> anyhow::Result<()> {
    let channel = args.first().map(String::as_str).unwrap_or("");
    if channel == "digilocker" {
        // the key DigiLocker signs its requests with: one, kept sealed, shown to configure it
        domain::db::check_migrated(pool).await?;
        let key = domain::certificates::digilocker::api_key(pool, &startup::data_key()?).await?;
        println!("{key}");
        return Ok(());
    }
    if !domain::grievances::intake::KEY_CHANNELS.contains(&channel) {
        anyhow::bail!(
            "channel must be digilocker or one of {}",
            domain::grievances::intake::KEY_CHANNELS.join(", ")
        );
    }
    let label = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| format!("local {channel} key"));
    domain::db::check_migrated(pool).await?;
    let (_, key) = domain::grievances::intake::issue_key(pool, channel, &label, None).await?;
    println!("{key}");
    Ok(())
}

/// `audit-check [ANCHOR]`: every history chain against its head, and, given an anchor written
/// earlier by `audit-anchor` and kept outside the database, every anchored head still in place.
async fn audit_check(pool: &sqlx::PgPool, anchor: Option<&String>) -> anyhow::Result<()> {
    use domain::history::anchor;
    let (checked, broken) = domain::history::store::verify(pool).await?;
    for b in &broken {
        println!("{} {}: {:?}", b.subject.as_str(), b.name, b.problem);
    }
    let mut moved = Vec::new();
    if let Some(path) = anchor {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
        let heads = anchor::read(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
        moved = anchor::check(pool, &heads).await?;
        for m in &moved {
            println!(
                "{} {} entry {}: rewritten or removed since it was anchored",
                m.head.subject, m.head.id, m.head.seq
            );
        }
        println!("{} anchored heads checked", heads.len());
    }
    if broken.is_empty() && moved.is_empty() {
        println!("{checked} histories checked: every chain is intact");
        return Ok(());
    }
    anyhow::bail!(
        "{} of {checked} histories are broken, {} anchored heads moved",
        broken.len(),
        moved.len()
    )
}
