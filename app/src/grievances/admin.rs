//! Grievance administration: escalation ladders per category (department admins for their own
//! department, city admins for all), and the intake API's keys (city admins).

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{fill, t, use_locale};
use crate::layout::{Refused, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::grievances::{escalation, intake, store};
#[cfg(feature = "ssr")]
use domain::identity::Role;
#[cfg(feature = "ssr")]
use domain::problem::FieldError;

/// Rows in the ladder editor; a ladder may have up to this many levels.
pub const EDITOR_LEVELS: usize = 5;

pub use domain::grievances::escalation::LadderRow;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LadderEditorData {
    /// (slug, "Group › Name — Department") of every category the caller manages.
    pub categories: Vec<(String, String)>,
    pub selected: Option<String>,
    /// The selected category's own ladder, or the one it inherits (then `own` is false).
    pub rows: Vec<LadderRow>,
    pub own: bool,
    /// (user id, "Name — role") of staff a level may name.
    pub staff: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
fn may_edit_ladders(a: &domain::identity::Actor) -> bool {
    matches!(a.role, Role::CityAdmin | Role::DepartmentAdmin)
}

#[server(endpoint = "grievances/ladder_editor")]
pub async fn ladder_editor(category: Option<String>) -> Result<LadderEditorData, ServerFnError> {
    let account = request::require(may_edit_ladders)?;
    let actor = account.actor();
    let pool = request::pool();
    let l = request::request_locale();
    let all = store::categories(&pool, l)
        .await
        .map_err(request::unexpected)?;
    let managed: Vec<&store::Category> = all
        .iter()
        .filter(|c| actor.may_manage_department(c.department_id))
        .collect();
    let name_of = |c: &store::Category| {
        let parent = c
            .parent_id
            .and_then(|p| all.iter().find(|x| x.id == p))
            .map(|p| format!("{} › ", p.name))
            .unwrap_or_default();
        format!("{parent}{} — {}", c.name, c.department_name)
    };
    let categories = managed
        .iter()
        .map(|c| (c.slug.clone(), name_of(c)))
        .collect();
    let Some(selected) = category.and_then(|s| managed.iter().find(|c| c.slug == s).copied())
    else {
        return Ok(LadderEditorData {
            categories,
            selected: None,
            rows: Vec::new(),
            own: false,
            staff: Vec::new(),
        });
    };
    let own = escalation::ladder::own_ladder(&pool, selected.id)
        .await
        .map_err(request::unexpected)?;
    let is_own = !own.is_empty();
    let levels = if is_own {
        own
    } else {
        escalation::ladder::ladder(&pool, selected.id)
            .await
            .map_err(request::unexpected)?
    };
    let rows = levels.iter().map(LadderRow::from).collect();
    // Those a level may name: the category's department's staff, and the city's admins.
    let staff = domain::identity::store::list_staff(&pool, None)
        .await
        .map_err(request::unexpected)?
        .into_iter()
        .filter(|s| s.role == Role::CityAdmin || s.department_id == Some(selected.department_id))
        .map(|s| {
            (
                s.id.to_string(),
                format!(
                    "{} — {}",
                    s.name,
                    s.department_code.unwrap_or_default().to_uppercase()
                ),
            )
        })
        .collect();
    Ok(LadderEditorData {
        categories,
        selected: Some(selected.slug.clone()),
        rows,
        own: is_own,
        staff,
    })
}

/// What the ladder form sends: one row per level, `form[levels][i][hours]` and so on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LadderForm {
    pub category: String,
    pub levels: Vec<LadderRow>,
}

#[server(endpoint = "grievances/save_ladder")]
pub async fn save_ladder(form: LadderForm) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require(may_edit_ladders)?;
    let actor = account.actor();
    let pool = request::pool();
    let categories = store::categories(&pool, request::request_locale())
        .await
        .map_err(request::unexpected)?;
    let Some(category) = categories.iter().find(|c| c.slug == form.category) else {
        request::set_status(http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new("no such category"));
    };
    if !actor.may_manage_department(category.department_id) {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("not allowed"));
    }
    let levels = match escalation::parse_ladder(&form.levels, EDITOR_LEVELS) {
        Ok(levels) => levels,
        Err(problems) => return Ok(FormResult::Invalid(problems)),
    };
    request::answer(
        escalation::ladder::save_ladder(&pool, category.id, &levels, account.id)
            .await
            .map(|()| category.slug.clone()),
    )
}

#[component]
pub fn LadderPage() -> impl IntoView {
    let l = use_locale();
    let category = use_query_map()
        .get_untracked()
        .get("category")
        .filter(|c| !c.is_empty());
    let data = OnceResource::new(ladder_editor(category));
    view! {
        <Title text=t::ladders_title(l)/>
        <section class="page narrow stack">
            <p class="breadcrumb"><a href="/admin">{t::admin_title(l)}</a></p>
            <h1>{t::ladders_title(l)}</h1>
            <p class="lead">{t::ladders_lead(l)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(e) => view! { <LadderView editor=e/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/admin/escalation"/> }.into_any(),
                        Err(_) => view! { <Refused/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn LadderView(editor: LadderEditorData) -> impl IntoView {
    let l = use_locale();
    let selected = editor.selected.clone();
    let chooser = view! {
        <form method="get" action="/admin/escalation" class="filters">
            <label for="ladder-category">{t::field_category(l)}</label>
            <select id="ladder-category" name="category">
                {editor.categories.iter().map(|(slug, name)| view! {
                    <option value=slug.clone() selected=selected.as_deref() == Some(slug.as_str())>{name.clone()}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button button-small">{t::open_ladder(l)}</button>
        </form>
    };
    let Some(slug) = editor.selected.clone() else {
        return view! { {chooser} }.into_any();
    };
    let staff = editor.staff.clone();
    let rows = (1..=EDITOR_LEVELS).map(|n| {
        let row = editor.rows.get(n - 1).cloned().unwrap_or(LadderRow {
            assignee: if n == 1 { "routed".into() } else { "city_admin".into() },
            official: String::new(),
            hours: String::new(),
            warn: "75".into(),
        });
        let staff = staff.clone();
        let kinds: Vec<(&'static str, &'static str)> = vec![
            ("routed", t::assignee_routed(l)),
            ("department_admin", t::assignee_department_admin(l)),
            ("city_admin", t::assignee_city_admin(l)),
            ("official", t::assignee_named_official(l)),
        ];
        view! {
            <fieldset class="stack">
                <legend>{fill(t::level_heading(l), &[("level", &n.to_string())])}</legend>
                <label for=format!("assignee-{n}-input")>{t::field_level_assignee(l)}</label>
                <select id=format!("assignee-{n}-input") name=format!("form[levels][{}][assignee]", n - 1) aria-describedby=format!("assignee-{n}-error")>
                    {kinds.into_iter().map(|(k, label)| view! { <option value=k selected=row.assignee == k>{label}</option> }).collect_view()}
                </select>
                <label for=format!("official-{n}-input")>{t::field_named_official(l)}</label>
                <select id=format!("official-{n}-input") name=format!("form[levels][{}][official]", n - 1)>
                    <option value="">{t::none_chosen(l)}</option>
                    {staff.into_iter().map(|(id, name)| view! { <option value=id.clone() selected=row.official == id>{name}</option> }).collect_view()}
                </select>
                <FieldMessage field=format!("assignee-{n}")/>
                <label for=format!("hours-{n}-input")>{t::field_level_hours(l)}</label>
                <input id=format!("hours-{n}-input") name=format!("form[levels][{}][hours]", n - 1) inputmode="numeric" value=row.hours.clone()
                    aria-describedby=format!("hours-{n}-error") aria-invalid="false"/>
                <FieldMessage field=format!("hours-{n}")/>
                <label for=format!("warn-{n}-input")>{t::field_warn_percent(l)}</label>
                <input id=format!("warn-{n}-input") name=format!("form[levels][{}][warn]", n - 1) inputmode="numeric" value=row.warn.clone()
                    aria-describedby=format!("warn-{n}-error") aria-invalid="false"/>
                <FieldMessage field=format!("warn-{n}")/>
            </fieldset>
        }
    }).collect_view();
    view! {
        {chooser}
        <p>{if editor.own { t::ladder_own(l) } else { t::ladder_inherited(l) }}</p>
        <ServerForm endpoint="grievances/save_ladder".to_string() locale=l then=FormThen::show("ladder-saved") class="stack".to_string()>
            <FailureBanner locale=l/>
            <input type="hidden" name="form[category]" value=slug/>
            <p class="hint">{t::ladder_hint(l)}</p>
            {rows}
            <button type="submit" class="button">{t::save(l)}</button>
            <p id="ladder-saved" class="banner" role="status" tabindex="-1" hidden>{t::saved(l)}</p>
        </ServerForm>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// Intake keys

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyRow {
    pub id: String,
    pub channel: String,
    pub label: String,
    pub created: String,
    pub last_used: Option<String>,
    pub revoked: bool,
}

#[server(endpoint = "grievances/intake_keys")]
pub async fn intake_keys() -> Result<Vec<KeyRow>, ServerFnError> {
    request::require(|a| a.role == Role::CityAdmin)?;
    let keys = intake::keys(&request::pool())
        .await
        .map_err(request::unexpected)?;
    Ok(keys
        .into_iter()
        .map(|k| KeyRow {
            id: k.id.to_string(),
            channel: k.channel,
            label: k.label,
            created: super::ist(k.created_at),
            last_used: k.last_used_at.map(super::ist),
            revoked: k.revoked_at.is_some(),
        })
        .collect())
}

/// Issues a key; the answer is the key itself, shown once and never stored.
#[server(endpoint = "grievances/issue_key")]
pub async fn issue_key(
    channel: String,
    label: String,
) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require(|a| a.role == Role::CityAdmin)?;
    let mut problems = Vec::new();
    if !intake::KEY_CHANNELS.contains(&channel.as_str()) {
        problems.push(FieldError::new("channel", "err_channel_invalid"));
    }
    let label = label.trim().to_string();
    if label.is_empty() || label.chars().count() > 100 {
        problems.push(FieldError::new("label", "err_name_required"));
    }
    if !problems.is_empty() {
        return Ok(FormResult::Invalid(problems));
    }
    let (_, key) = intake::issue_key(&request::pool(), &channel, &label, Some(account.id))
        .await
        .map_err(request::unexpected)?;
    Ok(FormResult::Done(key))
}

#[server(endpoint = "grievances/revoke_key")]
pub async fn revoke_key(id: String) -> Result<(), ServerFnError> {
    let admin = request::require(|a| a.role == Role::CityAdmin)?;
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        request::set_status(http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new("no such key"));
    };
    intake::revoke_key(&request::pool(), id, Some(admin.id))
        .await
        .map_err(request::unexpected)?;
    leptos_axum::redirect("/admin/intake-keys");
    Ok(())
}

#[component]
pub fn IntakeKeysPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(intake_keys());
    view! {
        <Title text=t::intake_keys_title(l)/>
        <section class="page stack">
            <p class="breadcrumb"><a href="/admin">{t::admin_title(l)}</a></p>
            <h1>{t::intake_keys_title(l)}</h1>
            <p class="lead">{t::intake_keys_lead(l)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(keys) => view! { <KeysView keys=keys/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/admin/intake-keys"/> }.into_any(),
                        Err(_) => view! { <Refused/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn KeysView(keys: Vec<KeyRow>) -> impl IntoView {
    let l = use_locale();
    view! {
        <ServerForm endpoint="grievances/issue_key".to_string() locale=l then=FormThen::show("key-issued") class="stack narrow".to_string()>
            <FailureBanner locale=l/>
            <label for="key-channel">{t::field_channel(l)}</label>
            <select id="key-channel" name="channel" aria-describedby="channel-error">
                {["sms", "email", "ivrs", "external", "open311"].into_iter().map(|c| view! { <option value=c>{c}</option> }).collect_view()}
            </select>
            <FieldMessage field="channel"/>
            <label for="key-label">{t::field_key_label(l)}</label>
            <input id="key-label" name="label" required aria-describedby="label-error" aria-invalid="false"/>
            <FieldMessage field="label"/>
            <button type="submit" class="button">{t::issue_key(l)}</button>
            <div id="key-issued" class="card success" role="status" tabindex="-1" hidden>
                <p>{t::key_shown_once(l)}</p>
                <p><code data-slot="value" data-testid="new-key"></code></p>
            </div>
        </ServerForm>
        <div class="table-wrap" tabindex="0" role="region" aria-label=t::intake_keys_title(l)>
            <table class="table">
                <thead><tr><th>{t::field_key_label(l)}</th><th>{t::field_channel(l)}</th><th>{t::key_created(l)}</th><th>{t::key_last_used(l)}</th><th>{t::actions_label(l)}</th></tr></thead>
                <tbody>
                    {keys.into_iter().map(|k| view! {
                        <tr>
                            <td>{k.label.clone()}</td><td>{k.channel.clone()}</td><td>{k.created.clone()}</td>
                            <td>{k.last_used.clone().unwrap_or_default()}</td>
                            <td>{if k.revoked {
                                view! { <span>{t::key_revoked(l)}</span> }.into_any()
                            } else {
                                view! {
                                    <form method="post" action="/api/grievances/revoke_key" class="inline-form">
                                        <input type="hidden" name="id" value=k.id.clone()/>
                                        <button type="submit" class="button button-secondary button-small"
                                            aria-label=format!("{} {}", t::revoke_key(l), k.label)>{t::revoke_key(l)}</button>
                                    </form>
                                }.into_any()
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
