//! A citizen's own grievances (with filings still waiting on the phone); the officials' queue
//! is `crate::work`.

use super::status_label;
use crate::i18n::{fill, t, use_locale};
use crate::layout::{LoadFailed, SignInFirst};
use domain::grievances::me_too::Priority;
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::{ist, now};
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::grievances::{store, Status};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrievanceRow {
    pub number: String,
    pub status: String,
    pub category: String,
    pub department: String,
    pub ward: Option<i32>,
    pub landmark: String,
    pub description: String,
    pub assignee: Option<String>,
    pub level: i32,
    pub deadline: Option<String>,
    pub overdue: bool,
    pub me_too: i32,
    pub priority: Priority,
    pub filed_at: String,
}

#[cfg(feature = "ssr")]
pub(crate) fn row(s: store::Summary) -> GrievanceRow {
    let open = Status::parse(&s.status).is_some_and(|st| st.is_open());
    GrievanceRow {
        overdue: open && (s.overdue_since.is_some() || s.deadline_at.is_some_and(|d| d <= now())),
        deadline: s.deadline_at.filter(|_| open).map(ist),
        number: s.number,
        status: s.status,
        category: s.category_name,
        department: s.department_name,
        ward: s.ward_number,
        landmark: s.landmark,
        description: s.description.chars().take(140).collect(),
        assignee: s.assignee_name,
        level: s.level,
        me_too: s.me_too_count,
        priority: Priority::of(s.me_too_count),
        filed_at: ist(s.created_at),
    }
}

#[server(endpoint = "grievances/mine")]
pub async fn my_grievances() -> Result<Vec<GrievanceRow>, ServerFnError> {
    let account = request::require_account()?;
    let rows = store::filed_by(&request::pool(), account.id, request::request_locale())
        .await
        .map_err(request::unexpected)?;
    Ok(rows.into_iter().map(row).collect())
}

/// Cards of grievances.
#[component]
fn GrievanceList(rows: Vec<GrievanceRow>, empty: &'static str) -> impl IntoView {
    let l = use_locale();
    if rows.is_empty() {
        return view! { <p class="card">{empty}</p> }.into_any();
    }
    view! {
        <ul class="grievance-list">
            {rows.into_iter().map(|r| {
                let href = format!("/grievances/{}", r.number);
                view! {
                    <li class="card grievance-card" class:overdue=r.overdue>
                        <p class="meta">
                            <a href=href class="grievance-number">{r.number.clone()}</a>
                            " · "<span class=format!("badge status-{}", r.status)>{status_label(l, &r.status)}</span>
                            {r.overdue.then(|| view! { " · "<span class="badge badge-alert">{t::overdue(l)}</span> })}
                            {(r.priority != Priority::Normal).then(|| view! {
                                " · "<span class=format!("badge priority-{}", r.priority.as_str())>{r.priority.label(l)}</span>
                            })}
                        </p>
                        <h2 class="card-title">{r.category.clone()}</h2>
                        <p>{r.description.clone()}</p>
                        <p class="meta">
                            {r.department.clone()}
                            {r.ward.map(|w| format!(" · {}", fill(t::ward_n(l), &[("number", &w.to_string())])))}
                            {(!r.landmark.is_empty()).then(|| format!(" · {}", r.landmark))}
                            {(r.me_too > 0).then(|| format!(" · {}", fill(t::me_too_count(l), &[("count", &r.me_too.to_string())])))}
                        </p>
                        <p class="meta">
                            {fill(t::filed_on(l), &[("at", &r.filed_at)])}
                            {r.deadline.clone().map(|d| format!(" · {}", fill(t::due_by(l), &[("at", &d)])))}
                            {r.assignee.clone().map(|a| format!(" · {}", fill(t::with_official(l), &[("name", &a)])))}
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Filings kept on this phone while offline, read from the service worker's outbox; the page
/// reloads when one has been sent, so it then appears with its number.
#[component]
fn PendingFilings() -> impl IntoView {
    let l = use_locale();
    // Only the signed-in person's own filings are listed: on a shared phone the outbox also
    // keeps what someone else wrote, for when they sign in again.
    #[cfg(feature = "ssr")]
    let filer = crate::request::account()
        .map(|a| a.id.to_string())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let filer = String::new();
    view! {
        <section id="pending-filings" class="card" aria-labelledby="pending-heading" data-filer=filer hidden>
            <h2 id="pending-heading">{t::pending_title(l)}</h2>
            <p class="hint">{t::pending_hint(l)}</p>
            <ul id="pending-list" data-testid="pending-list"></ul>
        </section>
        <script nonce=use_nonce()>"(function(){if(!window.indexedDB||!('serviceWorker' in navigator))return;\
    var o=indexedDB.open('nagarik',1);o.onupgradeneeded=function(){o.result.createObjectStore('outbox',{keyPath:'key'})};\
    o.onsuccess=function(){var r=o.result.transaction('outbox').objectStore('outbox').getAll();r.onsuccess=function(){\
    var me=document.getElementById('pending-filings').dataset.filer;\
    var items=(r.result||[]).filter(function(i){return me&&i.filer===me});if(!items.length)return;var ul=document.getElementById('pending-list');\
    items.forEach(function(i){var li=document.createElement('li');li.textContent=i.description;ul.appendChild(li)});\
    document.getElementById('pending-filings').hidden=false}};\
    navigator.serviceWorker.addEventListener('message',function(e){if(e.data&&e.data.type==='outbox-sent')location.reload()})})()"</script>
    }
}

#[component]
pub fn MyGrievancesPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(my_grievances());
    view! {
        <Title text=t::my_grievances_title(l)/>
        <section class="page">
            <div class="page-heading">
                <h1>{t::my_grievances_title(l)}</h1>
                <a class="button" href="/grievances/new">{t::file_grievance_title(l)}</a>
            </div>
            <PendingFilings/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) => view! { <GrievanceList rows=rows empty=t::no_grievances_yet(l)/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/grievances"/> }.into_any(),
                        Err(_) => view! { <LoadFailed/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
