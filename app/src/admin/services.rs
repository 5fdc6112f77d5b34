//! The catalogue's admin pages: the services a department runs, and the editor of one.

#[cfg(feature = "ssr")]
use super::is_admin;
use super::{refusal, DepartmentOption};
use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{t, use_locale, Locale};
use crate::layout::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::catalogue as catalogue_store;
#[cfg(feature = "ssr")]
use domain::identity::Role;
#[cfg(feature = "ssr")]
use domain::problem::FieldError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminServiceRow {
    pub slug: String,
    pub name: String,
    pub department_code: String,
    pub published: bool,
}

#[server(endpoint = "admin/services")]
pub async fn admin_services() -> Result<Vec<AdminServiceRow>, ServerFnError> {
    let account = request::require(is_admin)?;
    let scope = if account.role == Role::CityAdmin {
        None
    } else {
        account.department_id
    };
    let rows = catalogue_store::admin_services(&request::pool(), scope, 500)
        .await
        .map_err(request::unexpected)?;
    Ok(rows
        .into_iter()
        .map(|(slug, name, department_code, published)| AdminServiceRow {
            slug,
            name,
            department_code,
            published,
        })
        .collect())
}

/// A service as its editor shows it: every language's text side by side. Missing fields read as
/// empty, so a partial form still reaches the caller check and then the field checks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceEdit {
    pub slug: String,
    pub department: String,
    pub category: String,
    pub fee_rupees: String,
    pub fee_varies: Option<String>,
    pub days: String,
    pub apply_mode: String,
    pub handoff_url: String,
    pub published: Option<String>,
    pub life_events: String,
    pub name_en: String,
    pub summary_en: String,
    pub eligibility_en: String,
    pub documents_en: String,
    pub how_en: String,
    pub keywords_en: String,
    pub name_or: String,
    pub summary_or: String,
    pub name_hi: String,
    pub summary_hi: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceEditorData {
    pub service: ServiceEdit,
    pub is_new: bool,
    pub departments: Vec<DepartmentOption>,
    pub categories: Vec<(String, String)>,
    pub life_events: Vec<(String, String)>,
}

#[server(endpoint = "admin/service_editor")]
pub async fn service_editor(slug: String) -> Result<Option<ServiceEditorData>, ServerFnError> {
    let account = request::require(is_admin)?;
    let actor = account.actor();
    let pool = request::pool();
    let e = request::unexpected;
    let l = request::request_locale();
    let departments = super::managed_departments(&actor).await?;
    let categories = catalogue_store::categories(&pool, l)
        .await
        .map_err(e)?
        .into_iter()
        .map(|c| (c.slug, c.name))
        .collect();
    let life_events = catalogue_store::life_events(&pool, l)
        .await
        .map_err(e)?
        .into_iter()
        .map(|c| (c.slug, c.name))
        .collect();
    if slug == "new" {
        let service = ServiceEdit {
            apply_mode: "in_app".into(),
            published: Some("on".into()),
            days: "7".into(),
            fee_rupees: "0".into(),
            ..Default::default()
        };
        return Ok(Some(ServiceEditorData {
            service,
            is_new: true,
            departments,
            categories,
            life_events,
        }));
    }
    let Some(s) = catalogue_store::service(&pool, &slug, Locale::En)
        .await
        .map_err(e)?
    else {
        return Ok(None);
    };
    if !actor.may_manage_department(s.department_id) {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("not allowed"));
    }
    let texts = catalogue_store::service_texts(&pool, s.id)
        .await
        .map_err(e)?;
    let text = |locale: &str| {
        texts
            .iter()
            .find(|t| t.0 == locale)
            .cloned()
            .unwrap_or_default()
    };
    let (en, or, hi) = (text("en"), text("or"), text("hi"));
    let events = catalogue_store::service_life_event_slugs(&pool, s.id)
        .await
        .map_err(e)?;
    let service = ServiceEdit {
        slug: s.slug.clone(),
        department: s.department_id.to_string(),
        category: s.category_slug.clone(),
        fee_rupees: format!("{}.{:02}", s.fee_paise / 100, s.fee_paise % 100),
        fee_varies: s.fee_varies.then(|| "on".into()),
        days: s.days_to_deliver.to_string(),
        apply_mode: s.apply_mode.clone(),
        handoff_url: s.handoff_url.clone().unwrap_or_default(),
        published: s.published.then(|| "on".into()),
        life_events: events.join(", "),
        name_en: en.1,
        summary_en: en.2,
        eligibility_en: en.3,
        documents_en: en.4,
        how_en: en.5,
        keywords_en: en.6,
        name_or: or.1,
        summary_or: or.2,
        name_hi: hi.1,
        summary_hi: hi.2,
    };
    Ok(Some(ServiceEditorData {
        service,
        is_new: false,
        departments,
        categories,
        life_events,
    }))
}

#[server(endpoint = "admin/save_service")]
pub async fn save_service(form: ServiceEdit) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require(is_admin)?;
    let actor = account.actor();
    let pool = request::pool();
    let mut problems = Vec::new();
    let department_id = form.department.parse::<domain::ids::DepartmentId>().ok();
    let Some(department_id) = department_id.filter(|d| actor.may_manage_department(*d)) else {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("not allowed"));
    };
    // Moving a service between departments needs the right to both.
    if let Some(existing) = catalogue_store::service(&pool, &form.slug, Locale::En)
        .await
        .map_err(request::unexpected)?
    {
        if !actor.may_manage_department(existing.department_id) {
            request::set_status(http::StatusCode::FORBIDDEN);
            return Err(ServerFnError::new("not allowed"));
        }
    }
    let fee_paise = domain::money::Paise::parse_rupees(&form.fee_rupees)
        .map(|p| p.0)
        .unwrap_or_else(|| {
            problems.push(FieldError::new("fee_rupees", "err_fee_invalid"));
            0
        });
    let days = form.days.trim().parse::<i32>().unwrap_or_else(|_| {
        problems.push(FieldError::new("days", "err_days_invalid"));
        0
    });
    let text = |locale,
                name: &str,
                summary: &str,
                eligibility: &str,
                documents: &str,
                how: &str,
                keywords: &str| {
        catalogue_store::ServiceText {
            locale,
            name: name.into(),
            summary: summary.into(),
            eligibility: eligibility.into(),
            documents: documents.into(),
            how_to_apply: how.into(),
            keywords: keywords.into(),
        }
    };
    let handoff = form.handoff_url.trim().to_string();
    let service = catalogue_store::ServiceForm {
        slug: form.slug.trim().to_string(),
        department_id,
        category_slug: form.category.clone(),
        fee_paise,
        fee_varies: form.fee_varies.is_some(),
        days_to_deliver: days,
        apply_mode: catalogue_store::ApplyMode::parse(&form.apply_mode),
        handoff_url: (!handoff.is_empty()).then_some(handoff),
        popularity: 0,
        published: form.published.is_some(),
        life_events: form
            .life_events
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        texts: vec![
            text(
                Locale::En,
                &form.name_en,
                &form.summary_en,
                &form.eligibility_en,
                &form.documents_en,
                &form.how_en,
                &form.keywords_en,
            ),
            text(Locale::Or, &form.name_or, &form.summary_or, "", "", "", ""),
            text(Locale::Hi, &form.name_hi, &form.summary_hi, "", "", "", ""),
        ],
    };
    problems.extend(catalogue_store::validate_service(&service));
    if !problems.is_empty() {
        return Ok(FormResult::Invalid(problems));
    }
    catalogue_store::save_service(&pool, &service, Some(account.id))
        .await
        .map_err(request::unexpected)?;
    Ok(FormResult::Done(service.slug))
}

#[component]
pub fn AdminServicesPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(admin_services());
    view! {
        <Title text=t::admin_services_title(l)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) => view! {
                        <section class="page">
                            <h1>{t::admin_services_title(l)}</h1>
                            <p><a class="button" href="/admin/services/new">{t::admin_new_service(l)}</a></p>
                            <div class="table-wrap" tabindex="0" role="region" aria-label=t::admin_services_title(l)>
                            <table class="table">
                                <thead><tr><th>{t::field_name(l)}</th><th>{t::department_label(l)}</th><th>{t::field_published(l)}</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td><a href=format!("/admin/services/{}", r.slug)>{r.name}</a></td>
                                            <td>{r.department_code.to_uppercase()}</td>
                                            <td>{if r.published { t::yes(l) } else { t::no(l) }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        </section>
                    }.into_any(),
                    Err(_) => refusal(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ServiceEditPage() -> impl IntoView {
    let l = use_locale();
    let slug = use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default();
    let data = OnceResource::new(service_editor(slug));
    view! {
        <Title text=t::admin_edit_service(l)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(d)) => view! {
                        <section class="page">
                            <h1>{if d.is_new { t::admin_new_service(l) } else { t::admin_edit_service(l) }}</h1>
                            {(!d.is_new).then(|| view! {
                                <p><a href=format!("/admin/services/{}/form", d.service.slug)>{t::edit_form(l)}</a></p>
                            })}
                            <ServiceEditor locale=l data=d/>
                        </section>
                    }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => refusal(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ServiceEditor(locale: Locale, data: ServiceEditorData) -> impl IntoView {
    let l = locale;
    let s = data.service;
    let text_field = move |name: &'static str,
                           label: &'static str,
                           value: String,
                           long: bool,
                           lang: &'static str| {
        let id = format!("svc-{name}");
        let input_name = format!("form[{name}]");
        let described = format!("{name}-error");
        view! {
            <label for=id.clone()>{label}</label>
            {if long {
                view! { <textarea id=id name=input_name rows="3" lang=lang aria-describedby=described.clone()>{value}</textarea> }.into_any()
            } else {
                view! { <input id=id name=input_name value=value lang=lang aria-describedby=described.clone() aria-invalid="false"/> }.into_any()
            }}
            <FieldMessage field=name/>
        }
    };
    view! {
        <ServerForm endpoint="admin/save_service".to_string() locale=l then=FormThen::show("service-saved") class="stack".to_string()>
            <FailureBanner locale=l/>
            {text_field("slug", t::field_slug(l), s.slug.clone(), false, "en")}
            <label for="svc-department">{t::department_label(l)}</label>
            <select id="svc-department" name="form[department]">
                {data.departments.into_iter().map(|d| {
                    let selected = d.id == s.department;
                    view! { <option value=d.id selected=selected>{d.code.to_uppercase()} " — " {d.name}</option> }
                }).collect_view()}
            </select>
            <label for="svc-category">{t::category_label(l)}</label>
            <select id="svc-category" name="form[category]">
                {data.categories.into_iter().map(|(slug, name)| {
                    let selected = slug == s.category;
                    view! { <option value=slug selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            {text_field("name_en", t::field_name_en(l), s.name_en.clone(), false, "en")}
            {text_field("summary_en", t::field_summary_en(l), s.summary_en.clone(), true, "en")}
            {text_field("eligibility_en", t::eligibility_heading(l), s.eligibility_en.clone(), true, "en")}
            {text_field("documents_en", t::field_documents(l), s.documents_en.clone(), true, "en")}
            {text_field("how_en", t::how_to_apply_heading(l), s.how_en.clone(), true, "en")}
            {text_field("keywords_en", t::field_keywords(l), s.keywords_en.clone(), false, "en")}
            {text_field("name_or", t::field_name_or(l), s.name_or.clone(), false, "or")}
            {text_field("summary_or", t::field_summary_or(l), s.summary_or.clone(), true, "or")}
            {text_field("name_hi", t::field_name_hi(l), s.name_hi.clone(), false, "hi")}
            {text_field("summary_hi", t::field_summary_hi(l), s.summary_hi.clone(), true, "hi")}
            {text_field("fee_rupees", t::fee_label(l), s.fee_rupees.clone(), false, "en")}
            <label class="checkbox"><input type="checkbox" name="form[fee_varies]" checked=s.fee_varies.is_some()/> {t::fee_varies(l)}</label>
            {text_field("days", t::time_to_deliver_label(l), s.days.clone(), false, "en")}
            <label for="svc-apply">{t::how_to_apply_heading(l)}</label>
            <select id="svc-apply" name="form[apply_mode]">
                <option value="in_app" selected=s.apply_mode == "in_app">{t::apply_mode_in_app(l)}</option>
                <option value="handoff" selected=s.apply_mode == "handoff">{t::apply_mode_handoff(l)}</option>
            </select>
            {text_field("handoff_url", t::field_handoff_url(l), s.handoff_url.clone(), false, "en")}
            <p class="hint">{t::field_life_events_hint(l)} " " {data.life_events.iter().map(|(slug, _)| slug.clone()).collect::<Vec<_>>().join(", ")}</p>
            {text_field("life_events", t::life_events_heading(l), s.life_events.clone(), false, "en")}
            <label class="checkbox"><input type="checkbox" name="form[published]" checked=s.published.is_some()/> {t::field_published(l)}</label>
            <button type="submit" class="button">{t::save(l)}</button>
            <p id="service-saved" role="status" class="banner" hidden>
                {t::saved(l)} " " <a data-slot-href="value" data-href-prefix="/services/" href="/admin/services">{t::view_service(l)}</a>
            </p>
        </ServerForm>
    }
}
