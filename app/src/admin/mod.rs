//! Administration behind the role gate: departments and their staff (city admin), a department's
//! officials and services (department admin). Every server function here checks the caller's
//! role and department itself; the pages only decide what to show.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{t, use_locale, Locale};
use crate::layout::Refused;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::identity::{store as identity_store, Actor, Role};
#[cfg(feature = "ssr")]
use domain::ids::{AccountId, DepartmentId};
#[cfg(feature = "ssr")]
use domain::problem::FieldError;

pub mod applications;
pub mod forms;
pub mod holidays;
pub mod jobs;
pub mod services;

pub use applications::ApplicationRecordsPage;
pub use forms::FormEditorPage;
pub use holidays::HolidaysPage;
pub use jobs::JobsPage;
pub use services::*;

#[cfg(feature = "ssr")]
pub(crate) fn is_admin(a: &Actor) -> bool {
    matches!(a.role, Role::CityAdmin | Role::DepartmentAdmin)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentOption {
    pub id: String,
    pub code: String,
    pub name: String,
}

/// The departments `actor` manages (every one, for a city admin), in the request's language.
#[cfg(feature = "ssr")]
pub(crate) async fn managed_departments(
    actor: &Actor,
) -> Result<Vec<DepartmentOption>, ServerFnError> {
    let all = domain::departments::store::departments(&request::pool(), request::request_locale())
        .await
        .map_err(request::unexpected)?;
    Ok(all
        .into_iter()
        .filter(|d| actor.may_manage_department(d.id))
        .map(|d| DepartmentOption {
            id: d.id.to_string(),
            code: d.code,
            name: d.name,
        })
        .collect())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffView {
    pub id: String,
    pub can_remove: bool,
    pub citizen_id: String,
    pub name: String,
    pub role: String,
    pub department_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub is_city_admin: bool,
    /// The departments the caller manages (all, for a city admin).
    pub departments: Vec<DepartmentOption>,
    pub staff: Vec<StaffView>,
}

#[server(endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<AdminSummary, ServerFnError> {
    let account = request::require(is_admin)?;
    let actor = account.actor();
    let pool = request::pool();
    let departments = managed_departments(&actor).await?;
    let scope = if actor.role == Role::CityAdmin {
        None
    } else {
        account.department_id
    };
    let staff = identity_store::list_staff(&pool, scope)
        .await
        .map_err(request::unexpected)?;
    let staff: Vec<StaffView> = staff
        .into_iter()
        .map(|s| StaffView {
            id: s.id.to_string(),
            can_remove: actor.may_remove(s.id, s.role, s.department_id),
            citizen_id: domain::identity::CitizenId::parse(&s.citizen_id)
                .map(|c| c.to_string())
                .unwrap_or(s.citizen_id),
            name: s.name,
            role: s.role.as_str().to_string(),
            department_code: s.department_code,
        })
        .collect();
    Ok(AdminSummary {
        is_city_admin: actor.role == Role::CityAdmin,
        departments,
        staff,
    })
}

/// The admin calling, and the staff member `user_id` names if the admin manages them (as
/// `Actor::may_remove` says: never oneself): 404 for no such staff member, 403 for one of
/// someone else's.
#[cfg(feature = "ssr")]
async fn managed_staff(
    user_id: &str,
) -> Result<(identity_store::Account, AccountId, Option<DepartmentId>), ServerFnError> {
    let account = request::require(is_admin)?;
    let target = user_id.parse::<AccountId>().ok();
    let found = match target {
        Some(id) => identity_store::staff_role(&request::pool(), id)
            .await
            .map_err(request::unexpected)?,
        None => None,
    };
    let (Some(id), Some((role, department))) = (target, found) else {
        request::set_status(http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new("no such staff member"));
    };
    if !account.actor().may_remove(id, role, department) {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("not allowed"));
    }
    Ok((account, id, department))
}

/// Takes the staff role away from an official (department admin, own department) or any staff
/// member (city admin). A plain form posts here; the answer sends the browser back to /admin.
#[server(endpoint = "admin/remove_staff")]
pub async fn remove_staff(user_id: String) -> Result<(), ServerFnError> {
    let (account, id, department) = managed_staff(&user_id).await?;
    let pool = request::pool();
    identity_store::remove_staff(&pool, id, account.id)
        .await
        .map_err(request::unexpected)?;
    // Their open grievances and applications go to whoever will work them now, not stranded
    // with them.
    let now = time::OffsetDateTime::now_utc();
    domain::grievances::store::hand_over(&pool, id, department, account.id, now)
        .await
        .map_err(request::refuse)?;
    domain::applications::store::hand_over(&pool, id, department, account.id, now)
        .await
        .map_err(request::refuse)?;
    leptos_axum::redirect("/admin");
    Ok(())
}

/// Resets a staff member's two-step sign-in for a lost phone: their factor and recovery codes
/// go, every session of theirs ends, and they set it up again at their next sign-in. The same
/// people may do this as may remove them (never oneself); it is recorded in the member's
/// security history with the admin's id, and they are told.
#[server(endpoint = "admin/reset_second_factor")]
pub async fn reset_second_factor(user_id: String) -> Result<(), ServerFnError> {
    let (account, id, _) = managed_staff(&user_id).await?;
    let pool = request::pool();
    let locale = identity_store::account(&pool, id)
        .await
        .map_err(request::unexpected)?
        .map(|a| Locale::from_code(&a.locale).unwrap_or_default())
        .unwrap_or_default();
    identity_store::second_factor::reset_by_admin(
        &pool,
        account.id,
        id,
        t::notice_second_factor_reset(locale),
    )
    .await
    .map_err(request::refuse)?;
    leptos_axum::redirect("/admin");
    Ok(())
}

#[server(endpoint = "admin/create_department")]
pub async fn create_department(
    code: String,
    name_en: String,
    name_or: String,
    name_hi: String,
    is_agency: Option<String>,
) -> Result<FormResult<String>, ServerFnError> {
    let admin = request::require(|a| a.may_manage_departments())?;
    let form = domain::departments::DepartmentForm {
        code: code.trim().to_lowercase(),
        is_agency: is_agency.is_some(),
        names: vec![
            (Locale::En, name_en),
            (Locale::Or, name_or),
            (Locale::Hi, name_hi),
        ],
    };
    let created = domain::departments::store::create(&request::pool(), &form, admin.id).await;
    request::answer(created.map(|_| form.code.clone()))
}

/// Appoints an official or admin. A department admin appoints officials of their own department
/// only; a city admin appoints anyone anywhere.
#[server(endpoint = "admin/create_staff")]
pub async fn create_staff(
    name: String,
    mobile: String,
    email: String,
    password: String,
    role: String,
    department: String,
) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require(is_admin)?;
    let actor = account.actor();
    let Some(role) = Role::parse(&role).filter(|r| *r != Role::Citizen) else {
        return Ok(FormResult::Invalid(vec![FieldError::new(
            "role",
            "err_role_invalid",
        )]));
    };
    let department_id = if matches!(role, Role::CityAdmin) {
        None
    } else {
        department.parse::<DepartmentId>().ok()
    };
    if !actor.may_appoint(role) || department_id.is_some_and(|d| !actor.may_manage_department(d)) {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("not allowed"));
    }
    let form = identity_store::StaffForm {
        name,
        mobile,
        email,
        password,
        role,
        department_id,
        appointed_by: Some(account.id),
    };
    let created = identity_store::create_account(&request::pool(), form).await;
    request::answer(created.map(|new| new.citizen_id.to_string()))
}

// ---- pages ----

/// What a gated page shows when its data was refused.
pub(crate) fn refusal() -> AnyView {
    #[cfg(feature = "ssr")]
    if request::account().is_none() {
        return view! { <crate::layout::SignInFirst next="/admin"/> }.into_any();
    }
    view! { <Refused/> }.into_any()
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(admin_overview());
    view! {
        <Title text=t::admin_title(l)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <AdminView overview=o/> }.into_any(),
                    Err(_) => refusal(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminView(overview: AdminSummary) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="page">
            <h1>{t::admin_title(l)}</h1>
            <p class="page-heading">
                <a class="button button-secondary" href="/admin/services">{t::admin_services_title(l)}</a>
                <a class="button button-secondary" href="/admin/escalation">{t::ladders_title(l)}</a>
                <a class="button button-secondary" href="/admin/posts">{t::posts_title(l)}</a>
                <a class="button button-secondary" href="/admin/applications">{t::records_title(l)}</a>
                {overview.is_city_admin.then(|| view! {
                    <a class="button button-secondary" href="/admin/intake-keys">{t::intake_keys_title(l)}</a>
                    <a class="button button-secondary" href="/admin/jobs">{t::jobs_title(l)}</a>
                    <a class="button button-secondary" href="/admin/holidays">{t::holidays_title(l)}</a>
                })}
            </p>
            {overview.is_city_admin.then(|| view! {
                <h2>{t::admin_new_department(l)}</h2>
                <DepartmentForm locale=l/>
            })}
            <h2>{t::admin_staff(l)}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-label=t::admin_staff(l)>
            <table class="table">
                <thead><tr><th>{t::field_name(l)}</th><th>{t::citizen_id_label(l)}</th><th>{t::field_role(l)}</th><th>{t::department_label(l)}</th><th>{t::actions_label(l)}</th></tr></thead>
                <tbody>
                    {overview.staff.into_iter().map(|s| view! {
                        <tr>
                            <td>{s.name.clone()}</td><td>{s.citizen_id}</td><td>{s.role}</td><td>{s.department_code.unwrap_or_default().to_uppercase()}</td>
                            <td>{s.can_remove.then(|| view! {
                                <form method="post" action="/api/admin/remove_staff" class="inline-form">
                                    <input type="hidden" name="user_id" value=s.id.clone()/>
                                    <button type="submit" class="button button-secondary button-small"
                                        aria-label=format!("{} {}", t::remove_staff(l), s.name)>{t::remove_staff(l)}</button>
                                </form>
                                <form method="post" action="/api/admin/reset_second_factor" class="inline-form">
                                    <input type="hidden" name="user_id" value=s.id.clone()/>
                                    <button type="submit" class="button button-secondary button-small"
                                        aria-label=format!("{} {}", t::reset_second_factor(l), s.name)>{t::reset_second_factor(l)}</button>
                                </form>
                            })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <h2>{t::admin_new_staff(l)}</h2>
            <StaffForm locale=l departments=overview.departments is_city_admin=overview.is_city_admin/>
        </section>
    }
}

#[component]
fn DepartmentForm(locale: Locale) -> impl IntoView {
    let l = locale;
    view! {
        <ServerForm endpoint="admin/create_department".to_string() locale=l then=FormThen::show("department-saved") class="stack".to_string()>
            <FailureBanner locale=l/>
            <label for="dept-code">{t::field_department_code(l)}</label>
            <input id="dept-code" name="code" required aria-describedby="code-error" aria-invalid="false"/>
            <FieldMessage field="code"/>
            <label for="dept-name-en">{t::field_name_en(l)}</label>
            <input id="dept-name-en" name="name_en" required aria-describedby="name_en-error" aria-invalid="false"/>
            <FieldMessage field="name_en"/>
            <label for="dept-name-or">{t::field_name_or(l)}</label>
            <input id="dept-name-or" name="name_or" lang="or"/>
            <label for="dept-name-hi">{t::field_name_hi(l)}</label>
            <input id="dept-name-hi" name="name_hi" lang="hi"/>
            <label class="checkbox"><input type="checkbox" name="is_agency"/> {t::field_is_agency(l)}</label>
            <button type="submit" class="button">{t::create(l)}</button>
            <p id="department-saved" role="status" class="banner" hidden>{t::saved(l)} " " <span data-slot="value"></span></p>
        </ServerForm>
    }
}

#[component]
fn StaffForm(
    locale: Locale,
    departments: Vec<DepartmentOption>,
    is_city_admin: bool,
) -> impl IntoView {
    let l = locale;
    view! {
        <ServerForm endpoint="admin/create_staff".to_string() locale=l then=FormThen::show("staff-saved") class="stack".to_string()>
            <FailureBanner locale=l/>
            <label for="staff-name">{t::field_name(l)}</label>
            <input id="staff-name" name="name" required aria-describedby="name-error" aria-invalid="false"/>
            <FieldMessage field="name"/>
            <label for="staff-mobile">{t::field_mobile(l)}</label>
            <input id="staff-mobile" name="mobile" type="tel" required aria-describedby="mobile-error" aria-invalid="false"/>
            <FieldMessage field="mobile"/>
            <label for="staff-email">{t::field_email_optional(l)}</label>
            <input id="staff-email" name="email" type="email" aria-describedby="email-error" aria-invalid="false"/>
            <FieldMessage field="email"/>
            <label for="staff-password">{t::field_initial_password(l)}</label>
            <input id="staff-password" name="password" type="password" autocomplete="new-password" required
                aria-describedby="password-error" aria-invalid="false"/>
            <FieldMessage field="password"/>
            <label for="staff-role">{t::field_role(l)}</label>
            <select id="staff-role" name="role" aria-describedby="role-error">
                <option value="official">{t::role_official(l)}</option>
                {is_city_admin.then(|| view! {
                    <option value="department_admin">{t::role_department_admin(l)}</option>
                    <option value="city_admin">{t::role_city_admin(l)}</option>
                })}
            </select>
            <FieldMessage field="role"/>
            <label for="staff-department">{t::department_label(l)}</label>
            <select id="staff-department" name="department" aria-describedby="department-error">
                {departments.into_iter().map(|d| view! { <option value=d.id>{d.code.to_uppercase()} " — " {d.name}</option> }).collect_view()}
            </select>
            <FieldMessage field="department"/>
            <button type="submit" class="button">{t::create(l)}</button>
            <p id="staff-saved" role="status" class="banner" hidden>{t::saved(l)} " " {t::citizen_id_label(l)} " " <span data-slot="value"></span></p>
        </ServerForm>
    }
}
