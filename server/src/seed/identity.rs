//! Demo accounts: one per role, and the officials the grievance routes name, all with
//! `DEMO_PASSWORD`, the staff with the published second factor `DEMO_TOTP_KEY`; each is printed
//! with its citizen id. An account that exists is left alone.

use super::grievances::GRIEVANCE_STAFF;
use super::{DEMO_PASSWORD, DEMO_TOTP_KEY};
use domain::identity::{store as identity, Role};
use sqlx::PgPool;

/// Creates the demo accounts that do not exist yet, once their departments do.
pub(super) async fn seed(pool: &PgPool, data_key: &domain::sealed::DataKey) -> anyhow::Result<()> {
    let bmc = domain::departments::store::id_by_code(pool, "bmc").await?;
    let mut accounts = vec![
        ("Anita Mohanty", "9000000001", Role::CityAdmin, None),
        ("Bikash Nayak", "9000000002", Role::DepartmentAdmin, bmc),
        ("Chitra Das", "9000000003", Role::Official, bmc),
        ("Deepak Sahu", "9000000004", Role::Citizen, None),
    ];
    for (name, mobile, department, _) in GRIEVANCE_STAFF {
        let department = domain::departments::store::id_by_code(pool, department).await?;
        accounts.push((name, mobile, Role::Official, department));
    }
    println!("demo accounts (password: {DEMO_PASSWORD}; staff's two-step key: {DEMO_TOTP_KEY}, or ./dev code):");
    let demo_secret = domain::identity::second_factor::secret_from_text(DEMO_TOTP_KEY)
        .ok_or_else(|| anyhow::anyhow!("the demo key is not Base32"))?;
    for (name, mobile, role, department_id) in accounts {
        let existing: Option<(domain::ids::AccountId, String)> =
            sqlx::query_as("SELECT id, citizen_id FROM users WHERE mobile = $1")
                .bind(mobile)
                .fetch_optional(pool)
                .await?;
        let (user_id, citizen_id) = match existing {
            Some((user_id, id)) => (
                user_id,
                domain::identity::CitizenId::parse(&id)
                    .map(|c| c.to_string())
                    .unwrap_or(id),
            ),
            None => {
                let form = identity::StaffForm {
                    name: name.into(),
                    mobile: mobile.into(),
                    email: String::new(),
                    password: DEMO_PASSWORD.into(),
                    role,
                    department_id: department_id.map(domain::ids::DepartmentId::from),
                    appointed_by: None,
                };
                match identity::create_account(pool, form).await {
                    Ok(new) => (new.user_id, new.citizen_id.to_string()),
                    Err(e) => anyhow::bail!("demo account {mobile}: {e:?}"),
                }
            }
        };
        if domain::identity::second_factor::required(role) {
            identity::second_factor::set_confirmed(pool, data_key, user_id, &demo_secret).await?;
        }
        println!(
            "  {:<17} {name:<14} mobile {mobile}  citizen id {citizen_id}",
            role.as_str()
        );
    }
    Ok(())
}
