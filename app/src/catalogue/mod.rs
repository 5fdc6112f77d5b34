//! Discovery: the home page, search, browsing by department, category and life event, and the
//! service page with its own address and title.
//!
//! One room per page and its server function: `home`, `search`, `service` (one service's page)
//! and `browse` (departments, and the services of one department, category or life event). Here
//! the service card every list shows.

mod browse;
mod home;
mod search;
mod service;

pub use browse::*;
pub use home::*;
pub use search::*;
pub use service::*;

use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
