//! Browsing: the list of departments, and the services of one department, category or life
//! event.

use super::{service_list, ServiceCardView};
use crate::i18n::{fill, t, use_locale};
use crate::layout::{LoadFailed, NotFound};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::card;
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::catalogue as store;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentView {
    pub code: String,
    pub name: String,
    pub description: String,
    pub is_agency: bool,
    pub service_count: i64,
}

#[cfg(feature = "ssr")]
fn department_view(d: domain::departments::store::DepartmentSummary) -> DepartmentView {
    DepartmentView {
        code: d.code,
        name: d.name,
        description: d.description,
        is_agency: d.is_agency,
        service_count: d.service_count,
    }
}

#[server(endpoint = "catalogue/departments")]
pub async fn departments() -> Result<Vec<DepartmentView>, ServerFnError> {
    let all = domain::departments::store::departments(&request::pool(), request::request_locale())
        .await
        .map_err(request::unexpected)?;
    Ok(all.into_iter().map(department_view).collect())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceListing {
    pub title: String,
    pub description: String,
    pub services: Vec<ServiceCardView>,
}

/// One browse page: the services of a department, a category or a life event.
#[server(endpoint = "catalogue/listing")]
pub async fn listing(kind: String, slug: String) -> Result<Option<ServiceListing>, ServerFnError> {
    let (pool, l) = (request::pool(), request::request_locale());
    let e = request::unexpected;
    let (title, description) = match kind.as_str() {
        "department" => match domain::departments::store::department(&pool, &slug, l)
            .await
            .map_err(e)?
        {
            Some(d) => (d.name, d.description),
            None => return Ok(None),
        },
        "category" => match store::categories(&pool, l)
            .await
            .map_err(e)?
            .into_iter()
            .find(|c| c.slug == slug)
        {
            Some(c) => (c.name, c.description),
            None => return Ok(None),
        },
        "life-event" => match store::life_events(&pool, l)
            .await
            .map_err(e)?
            .into_iter()
            .find(|c| c.slug == slug)
        {
            Some(c) => (c.name, c.description),
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    let services = match kind.as_str() {
        "department" => store::services_of_department(&pool, &slug, l).await,
        "category" => store::services_in_category(&pool, &slug, l).await,
        _ => store::services_for_life_event(&pool, &slug, l).await,
    }
    .map_err(e)?;
    Ok(Some(ServiceListing {
        title,
        description,
        services: services.into_iter().map(card).collect(),
    }))
}

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(departments());
    view! {
        <Title text=t::nav_departments(l)/>
        <section class="page">
            <h1>{t::nav_departments(l)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! {
                            <ul class="department-list">
                                {list.into_iter().map(|d| view! {
                                    <li class="card">
                                        <a href=format!("/departments/{}", d.code)><h2>{d.name}</h2></a>
                                        <p>{d.description}</p>
                                        <p class="meta">
                                            {if d.is_agency { t::agency(l) } else { t::city_department(l) }}
                                            " · " {fill(t::service_count(l), &[("count", &d.service_count.to_string())])}
                                        </p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => view! { <LoadFailed/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn listing_page(kind: &'static str, param: &'static str) -> impl IntoView {
    let slug = use_params_map()
        .get_untracked()
        .get(param)
        .unwrap_or_default();
    let data = OnceResource::new(listing(kind.to_string(), slug));
    let l = use_locale();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(list)) => view! {
                        <Title text=list.title.clone()/>
                        <section class="page">
                            <h1>{list.title}</h1>
                            {(!list.description.is_empty()).then(|| view! { <p class="lead">{list.description}</p> })}
                            {if list.services.is_empty() {
                                view! { <p>{t::no_services_here(l)}</p> }.into_any()
                            } else {
                                service_list(list.services, false).into_any()
                            }}
                        </section>
                    }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <LoadFailed/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn DepartmentPage() -> impl IntoView {
    listing_page("department", "code")
}

#[component]
pub fn CategoryPage() -> impl IntoView {
    listing_page("category", "slug")
}

#[component]
pub fn LifeEventPage() -> impl IntoView {
    listing_page("life-event", "slug")
}
