//! A citizen's own applications.

use crate::i18n::{fill, t, use_locale};
use crate::layout::{LoadFailed, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub number: String,
    pub service: String,
    pub department: String,
    pub status: String,
    pub status_label: String,
    pub filed_on: String,
    pub due_on: Option<String>,
}

#[server(endpoint = "applications/mine")]
pub async fn my_applications() -> Result<Vec<ApplicationRow>, ServerFnError> {
    let account = request::require_account()?;
    let l = request::request_locale();
    let rows = domain::applications::store::mine(&request::pool(), account.id, l)
        .await
        .map_err(request::refuse)?;
    Ok(rows
        .into_iter()
        .map(|s| ApplicationRow {
            due_on: s.status.clock_runs().then(|| super::day(s.due_on)),
            number: s.number,
            service: s.service_name,
            department: s.department_name,
            status: s.status.as_str().to_string(),
            status_label: s.status.label(l).to_string(),
            filed_on: super::day(s.filed_on),
        })
        .collect())
}

#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(my_applications());
    view! {
        <Title text=t::my_applications_title(l)/>
        <section class="page">
            <h1>{t::my_applications_title(l)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="card">{t::no_applications_yet(l)}</p> }.into_any(),
                        Ok(rows) => view! {
                            <ul class="grievance-list">
                                {rows.into_iter().map(|r| view! {
                                    <li class="card">
                                        <p class="meta">
                                            <a href=format!("/applications/{}", r.number) class="grievance-number">{r.number.clone()}</a>
                                            " · "<span class=format!("badge status-{}", r.status)>{r.status_label.clone()}</span>
                                        </p>
                                        <h2 class="card-title">{r.service.clone()}</h2>
                                        <p class="meta">
                                            {r.department.clone()}" · "{fill(t::applied_on(l), &[("date", &r.filed_on)])}
                                            {r.due_on.clone().map(|d| format!(" · {}", fill(t::decided_by(l), &[("date", &d)])))}
                                        </p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/applications"/> }.into_any(),
                        Err(_) => view! { <LoadFailed/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
