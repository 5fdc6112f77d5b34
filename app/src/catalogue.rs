//! Discovery: the home page, search, browsing by department, category and life event, and the
//! service page with its own address and title.

use crate::i18n::{fill, t, use_locale};
use crate::layout::{LoadFailed, NotFound};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::catalogue as store;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceCardView {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub department_code: String,
    pub department_name: String,
    pub fee: Option<String>,
    pub fee_varies: bool,
    pub days_to_deliver: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicView {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub service_count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentView {
    pub code: String,
    pub name: String,
    pub description: String,
    pub is_agency: bool,
    pub service_count: i64,
}

#[cfg(feature = "ssr")]
fn card(c: store::ServiceCard) -> ServiceCardView {
    ServiceCardView {
        slug: c.slug,
        name: c.name,
        summary: c.summary,
        department_code: c.department_code,
        department_name: c.department_name,
        fee: (c.fee_paise > 0).then(|| domain::money::Paise(c.fee_paise).to_string()),
        fee_varies: c.fee_varies,
        days_to_deliver: c.days_to_deliver,
    }
}

#[cfg(feature = "ssr")]
fn topic(t: store::Topic) -> TopicView {
    TopicView {
        slug: t.slug,
        name: t.name,
        description: t.description,
        icon: t.icon,
        service_count: t.service_count,
    }
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeContent {
    pub popular: Vec<ServiceCardView>,
    pub categories: Vec<TopicView>,
    pub life_events: Vec<TopicView>,
}

#[server(endpoint = "catalogue/home")]
pub async fn home_data() -> Result<HomeContent, ServerFnError> {
    let (pool, l) = (request::pool(), request::request_locale());
    let popular = store::popular(&pool, l, 8).await;
    let categories = store::categories(&pool, l).await;
    let life_events = store::life_events(&pool, l).await;
    Ok(HomeContent {
        popular: popular
            .map_err(request::unexpected)?
            .into_iter()
            .map(card)
            .collect(),
        categories: categories
            .map_err(request::unexpected)?
            .into_iter()
            .map(topic)
            .collect(),
        life_events: life_events
            .map_err(request::unexpected)?
            .into_iter()
            .map(topic)
            .collect(),
    })
}

#[server(endpoint = "catalogue/search")]
pub async fn search_services(query: String) -> Result<Vec<ServiceCardView>, ServerFnError> {
    let query: String = query.chars().take(200).collect();
    let found = store::search(&request::pool(), &query, request::request_locale(), 30)
        .await
        .map_err(request::unexpected)?;
    Ok(found.into_iter().map(card).collect())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicePageData {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub eligibility: String,
    pub documents: Vec<String>,
    pub how_to_apply: String,
    pub department_code: String,
    pub department_name: String,
    pub category_slug: String,
    pub category_name: String,
    pub fee: Option<String>,
    pub fee_varies: bool,
    pub days_to_deliver: i32,
    pub handoff_url: Option<String>,
    pub can_edit: bool,
}

#[server(endpoint = "catalogue/service")]
pub async fn service_page(slug: String) -> Result<Option<ServicePageData>, ServerFnError> {
    let found = store::service(&request::pool(), &slug, request::request_locale())
        .await
        .map_err(request::unexpected)?;
    let can_edit = |dept: &uuid::Uuid| {
        request::account().is_some_and(|a| a.actor().may_manage_department(&dept.to_string()))
    };
    Ok(found
        .filter(|s| s.published || can_edit(&s.department_id))
        .map(|s| ServicePageData {
            documents: s.document_list(),
            can_edit: can_edit(&s.department_id),
            handoff_url: if s.apply_mode() == store::ApplyMode::Handoff {
                s.handoff_url
            } else {
                None
            },
            slug: s.slug,
            name: s.name,
            summary: s.summary,
            eligibility: s.eligibility,
            how_to_apply: s.how_to_apply,
            department_code: s.department_code,
            department_name: s.department_name,
            category_slug: s.category_slug,
            category_name: s.category_name,
            fee: (s.fee_paise > 0).then(|| domain::money::Paise(s.fee_paise).to_string()),
            fee_varies: s.fee_varies,
            days_to_deliver: s.days_to_deliver,
        }))
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

// ---- pages ----

#[component]
fn SearchBox(#[prop(optional, into)] value: String) -> impl IntoView {
    let l = use_locale();
    view! {
        <form method="get" action="/search" role="search" class="search-box">
            <label for="q" class="visually-hidden">{t::search_label(l)}</label>
            <input id="q" name="q" type="search" value=value placeholder=t::search_placeholder(l)
                autocomplete="off" enterkeyhint="search"/>
            <button type="submit" class="button">{t::search_button(l)}</button>
        </form>
    }
}

#[component]
pub fn ServiceCard(
    service: ServiceCardView,
    #[prop(optional)] under_section: bool,
) -> impl IntoView {
    let l = use_locale();
    let fee = fee_text(l, &service.fee, service.fee_varies);
    view! {
        <li class="service-card">
            <a href=format!("/services/{}", service.slug)>
                {if under_section {
                    view! { <h3>{service.name}</h3> }.into_any()
                } else {
                    view! { <h2 class="card-title">{service.name}</h2> }.into_any()
                }}
            </a>
            <p>{service.summary}</p>
            <p class="meta">
                <span class="badge">{service.department_code.to_uppercase()}</span>
                " " {service.department_name} " · " {fee}
            </p>
        </li>
    }
}

fn fee_text(l: domain::Locale, fee: &Option<String>, varies: bool) -> String {
    match (fee, varies) {
        (_, true) => t::fee_varies(l).to_string(),
        (Some(f), false) => f.clone(),
        (None, false) => t::fee_free(l).to_string(),
    }
}

/// `under_section`: the list sits under an h2 of its own (the home page), so cards are h3.
fn service_list(services: Vec<ServiceCardView>, under_section: bool) -> impl IntoView {
    view! {
        <ul class="service-list">
            {services.into_iter().map(|s| view! { <ServiceCard service=s under_section=under_section/> }).collect_view()}
        </ul>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(home_data());
    view! {
        <Title text=""/>
        <Meta name="description" content=t::home_description(l)/>
        <section class="hero">
            <h1>{t::home_heading(l)}</h1>
            <p class="lead">{t::home_lead(l)}</p>
            <SearchBox/>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <section class="page">
                            <h2>{t::life_events_heading(l)}</h2>
                            <ul class="topic-grid">
                                {d.life_events.into_iter().map(|e| view! {
                                    <li><a class="topic" href=format!("/life-events/{}", e.slug)>
                                        <span class="topic-icon" aria-hidden="true">{e.icon}</span>
                                        <span>{e.name}</span>
                                    </a></li>
                                }).collect_view()}
                            </ul>
                            <h2>{t::popular_heading(l)}</h2>
                            {service_list(d.popular, true)}
                            <h2>{t::categories_heading(l)}</h2>
                            <ul class="topic-grid">
                                {d.categories.into_iter().map(|c| view! {
                                    <li><a class="topic" href=format!("/categories/{}", c.slug)>
                                        <span class="topic-icon" aria-hidden="true">{c.icon}</span>
                                        <span>{c.name}</span>
                                    </a></li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(_) => view! { <LoadFailed/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map().get_untracked().get("q").unwrap_or_default();
    let results = OnceResource::new(search_services(query.clone()));
    let heading = fill(t::search_results_for(l), &[("query", &query)]);
    let title = if query.is_empty() {
        t::search_button(l).to_string()
    } else {
        heading.clone()
    };
    view! {
        <Title text=title/>
        <section class="page">
            <SearchBox value=query.clone()/>
            <Suspense fallback=|| ()>
                {move || {
                    let (heading, query) = (heading.clone(), query.clone());
                    Suspend::new(async move {
                        match results.await {
                            Ok(found) if found.is_empty() && !query.is_empty() => view! {
                                <h1>{heading}</h1>
                                <p role="status">{t::search_nothing_found(l)}</p>
                                <p><a href="/departments">{t::browse_departments(l)}</a></p>
                            }.into_any(),
                            Ok(found) if found.is_empty() => view! { <h1>{t::search_button(l)}</h1> }.into_any(),
                            Ok(found) => view! {
                                <h1>{heading}</h1>
                                <p role="status" class="hint">{fill(t::search_count(l), &[("count", &found.len().to_string())])}</p>
                                {service_list(found, false)}
                            }.into_any(),
                            Err(_) => view! { <LoadFailed/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ServicePage() -> impl IntoView {
    let slug = use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default();
    let data = OnceResource::new(service_page(slug));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(s)) => view! { <ServiceView service=s/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <LoadFailed/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ServiceView(service: ServicePageData) -> impl IntoView {
    let l = use_locale();
    let fee = fee_text(l, &service.fee, service.fee_varies);
    let days = if service.days_to_deliver == 0 {
        t::delivered_at_once(l).to_string()
    } else {
        fill(
            t::days_count(l),
            &[("days", &service.days_to_deliver.to_string())],
        )
    };
    let apply = match service.handoff_url.clone() {
        Some(url) => view! {
            <a class="button" href=url rel="noopener" target="_blank">{t::apply_on_agency_site(l)}</a>
            <p class="hint">{t::handoff_hint(l)}</p>
        }
        .into_any(),
        None => view! { <p class="hint">{t::apply_in_app_soon(l)}</p> }.into_any(),
    };
    view! {
        <Title text=service.name.clone()/>
        <Meta name="description" content=service.summary.clone()/>
        <article class="page">
            <nav class="breadcrumb" aria-label=t::breadcrumb_label(l)>
                <a href=format!("/departments/{}", service.department_code)>{service.department_name.clone()}</a>
                " › "
                <a href=format!("/categories/{}", service.category_slug)>{service.category_name.clone()}</a>
            </nav>
            <h1>{service.name.clone()}</h1>
            <p class="lead">{service.summary.clone()}</p>
            <dl class="facts">
                <dt>{t::fee_label(l)}</dt><dd data-testid="fee">{fee}</dd>
                <dt>{t::time_to_deliver_label(l)}</dt><dd>{days}</dd>
                <dt>{t::department_label(l)}</dt><dd>{service.department_name.clone()}</dd>
            </dl>
            {(!service.eligibility.is_empty()).then(|| view! {
                <h2>{t::eligibility_heading(l)}</h2>
                <p>{service.eligibility.clone()}</p>
            })}
            {(!service.documents.is_empty()).then(|| view! {
                <h2>{t::documents_heading(l)}</h2>
                <ul>{service.documents.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
            })}
            <h2>{t::how_to_apply_heading(l)}</h2>
            {(!service.how_to_apply.is_empty()).then(|| view! { <p>{service.how_to_apply.clone()}</p> })}
            {apply}
            {service.can_edit.then(|| view! {
                <p><a href=format!("/admin/services/{}", service.slug)>{t::edit_service(l)}</a></p>
            })}
        </article>
    }
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
