//! One service's page, at its own address and with its own title: what it costs, how long it
//! takes, who may apply with what, and where to apply (here or on the agency's site).

use super::fee_text;
use crate::i18n::{fill, t, use_locale};
use crate::layout::{LoadFailed, NotFound};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::catalogue as store;

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
    /// It has a form: people apply here.
    pub applies_here: bool,
    /// a booking service whose department lets facilities: booked at `/book`
    pub books_here: bool,
    /// a bill's service: paid at `/bills`
    pub pays_here: bool,
    pub can_edit: bool,
}

#[server(endpoint = "catalogue/service")]
pub async fn service_page(slug: String) -> Result<Option<ServicePageData>, ServerFnError> {
    let found = store::service(&request::pool(), &slug, request::request_locale())
        .await
        .map_err(request::unexpected)?;
    let can_edit = |dept: domain::ids::DepartmentId| {
        request::account().is_some_and(|a| a.actor().may_manage_department(dept))
    };
    let Some(s) = found.filter(|s| s.published || can_edit(s.department_id)) else {
        return Ok(None);
    };
    let books_here = s.category_slug == "bookings"
        && domain::bookings::store::lets_facilities(&request::pool(), s.department_id)
            .await
            .map_err(request::refuse)?;
    let applies_here = domain::applications::store::current_form(&request::pool(), s.id)
        .await
        .map_err(request::refuse)?
        .is_some();
    Ok(Some(s).map(|s| ServicePageData {
        applies_here,
        books_here,
        pays_here: domain::bills::BillerId::ALL
            .iter()
            .any(|b| b.service() == s.slug),
        documents: s.document_list(),
        can_edit: can_edit(s.department_id),
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
    // Applied for here when the service has a form; an agency's own site is offered as well.
    let handoff = service.handoff_url.clone().map(|url| {
        view! {
            <a class=if service.applies_here { "button button-secondary" } else { "button" } href=url rel="noopener" target="_blank">
                {t::apply_on_agency_site(l)}
            </a>
            <p class="hint">{t::handoff_hint(l)}</p>
        }
    });
    let apply = match (
        service.applies_here || service.books_here || service.pays_here,
        handoff,
    ) {
        (true, handoff) if service.pays_here => view! {
            <p><a class="button" href="/bills">{t::bills_pay_here(l)}</a></p>
            {handoff}
        }
        .into_any(),
        (true, handoff) if service.books_here => view! {
            <p><a class="button" href="/book">{t::book_a_date(l)}</a></p>
            {handoff}
        }
        .into_any(),
        (true, handoff) => view! {
            <p><a class="button" href=format!("/services/{}/apply", service.slug)>{t::apply_online(l)}</a></p>
            {handoff}
        }
        .into_any(),
        (false, Some(handoff)) => handoff.into_any(),
        (false, None) => view! { <p class="hint">{t::apply_in_app_soon(l)}</p> }.into_any(),
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
