//! Lists of grievances: a citizen's own (with filings still waiting on the phone) and an
//! official's work queue.

use super::status_label;
use crate::i18n::{fill, t, use_locale};
use crate::layout::{LoadFailed, Refused, SignInFirst};
use domain::grievances::me_too::Priority;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::{ist, now};
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::grievances::{store, Status};
#[cfg(feature = "ssr")]
use domain::identity::Role;

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
    view! {
        <section id="pending-filings" class="card" aria-labelledby="pending-heading" hidden>
            <h2 id="pending-heading">{t::pending_title(l)}</h2>
            <p class="hint">{t::pending_hint(l)}</p>
            <ul id="pending-list" data-testid="pending-list"></ul>
        </section>
        <script>"(function(){if(!window.indexedDB||!('serviceWorker' in navigator))return;\
    var o=indexedDB.open('nagarik',1);o.onupgradeneeded=function(){o.result.createObjectStore('outbox',{keyPath:'key'})};\
    o.onsuccess=function(){var r=o.result.transaction('outbox').objectStore('outbox').getAll();r.onsuccess=function(){\
    var items=r.result||[];if(!items.length)return;var ul=document.getElementById('pending-list');\
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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueView {
    pub rows: Vec<GrievanceRow>,
    /// A department admin (or city admin) may look at the whole department's queue.
    pub may_see_department: bool,
    pub wards: Vec<(i32, String)>,
}

#[server(endpoint = "grievances/queue")]
pub async fn work_queue(
    status: Option<String>,
    ward: Option<String>,
    overdue: Option<String>,
    scope: Option<String>,
) -> Result<QueueView, ServerFnError> {
    let account = request::require(|a| a.role != Role::Citizen)?;
    let pool = request::pool();
    let may_see_department = matches!(account.role(), Role::DepartmentAdmin | Role::CityAdmin)
        && account.department_id.is_some();
    let filter = store::QueueFilter {
        status: status.as_deref().and_then(Status::parse),
        ward: ward.as_deref().and_then(|w| w.trim().parse().ok()),
        category: None,
        overdue_only: overdue.is_some_and(|o| !o.is_empty()),
        department: if may_see_department && scope.as_deref() == Some("department") {
            account.department_id
        } else {
            None
        },
    };
    let rows = store::queue(&pool, account.id, &filter, now(), request::request_locale())
        .await
        .map_err(request::unexpected)?;
    let wards = store::wards(&pool).await.map_err(request::unexpected)?;
    Ok(QueueView {
        rows: rows.into_iter().map(row).collect(),
        may_see_department,
        wards,
    })
}

#[component]
pub fn WorkQueuePage() -> impl IntoView {
    let l = use_locale();
    let q = use_query_map().get_untracked();
    let status = q.get("status").filter(|s| !s.is_empty());
    let ward = q.get("ward").filter(|s| !s.is_empty());
    let overdue = q.get("overdue").filter(|s| !s.is_empty());
    let scope = q.get("scope").filter(|s| !s.is_empty());
    let data = OnceResource::new(work_queue(
        status.clone(),
        ward.clone(),
        overdue.clone(),
        scope.clone(),
    ));
    view! {
        <Title text=t::work_queue_title(l)/>
        <section class="page">
            <div class="page-heading">
                <h1>{t::work_queue_title(l)}</h1>
                <a class="button button-secondary" href="/assist">{t::assist_title(l)}</a>
            </div>
            <Suspense fallback=|| ()>
                {move || {
                    let (status, ward, overdue, scope) = (status.clone(), ward.clone(), overdue.clone(), scope.clone());
                    Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! {
                            <form method="get" action="/work" class="filters" aria-label=t::filters_label(l)>
                                <label for="f-status">{t::field_status(l)}</label>
                                <select id="f-status" name="status">
                                    <option value="">{t::all_open(l)}</option>
                                    {domain::grievances::Status::ALL.into_iter().map(|s| view! {
                                        <option value=s.as_str() selected=status.as_deref() == Some(s.as_str())>{status_label(l, s.as_str())}</option>
                                    }).collect_view()}
                                </select>
                                <label for="f-ward">{t::field_ward(l)}</label>
                                <select id="f-ward" name="form[ward]">
                                    <option value="">{t::all_wards(l)}</option>
                                    {v.wards.iter().map(|(n, _)| view! {
                                        <option value=n.to_string() selected=ward.as_deref() == Some(n.to_string().as_str())>{fill(t::ward_n(l), &[("number", &n.to_string())])}</option>
                                    }).collect_view()}
                                </select>
                                <label class="checkbox"><input type="checkbox" name="overdue" value="1" checked=overdue.is_some()/>{t::overdue_only(l)}</label>
                                {v.may_see_department.then(|| view! {
                                    <label class="checkbox"><input type="checkbox" name="scope" value="department" checked=scope.is_some()/>{t::whole_department(l)}</label>
                                })}
                                <button type="submit" class="button button-small">{t::apply_filters(l)}</button>
                            </form>
                            <GrievanceList rows=v.rows empty=t::queue_empty(l)/>
                        }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/work"/> }.into_any(),
                        Err(_) => view! { <Refused/> }.into_any(),
                    }
                })}}
            </Suspense>
        </section>
    }
}
