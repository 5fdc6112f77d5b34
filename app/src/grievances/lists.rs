//! Lists of grievances: a citizen's own (with filings still waiting on the phone) and an
//! official's work queue.

use super::status_label;
use crate::i18n::{fill, t, use_locale};
use crate::layout::{LoadFailed, Refused, SignInFirst};
use domain::grievances::me_too::Priority;
use domain::grievances::QUEUE_PAGE;
use domain::money::group_indian;
use leptos::nonce::use_nonce;
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

/// Cards of grievances; with `select`, each has a checkbox that belongs to the reassign form.
#[component]
fn GrievanceList(
    rows: Vec<GrievanceRow>,
    empty: &'static str,
    #[prop(optional)] select: bool,
) -> impl IntoView {
    let l = use_locale();
    if rows.is_empty() {
        return view! { <p class="card">{empty}</p> }.into_any();
    }
    view! {
        <ul class="grievance-list">
            {rows.into_iter().enumerate().map(|(i, r)| {
                let href = format!("/grievances/{}", r.number);
                view! {
                    <li class="card grievance-card" class:overdue=r.overdue>
                        <p class="meta">
                            {select.then(|| view! {
                                <input type="checkbox" class="select-item" form=super::reassign::REASSIGN_FORM
                                    name=format!("ids[{i}]") value=r.number.clone()
                                    aria-label=fill(t::select_item(l), &[("number", &r.number)])/>
                                " "
                            })}
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
        <script nonce=use_nonce()>"(function(){if(!window.indexedDB||!('serviceWorker' in navigator))return;\
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
    /// The filters as they were read (unknown values dropped), for the form and the page links.
    pub filters: QueueFilters,
    /// How many items the whole filtered queue holds, and which page this is.
    pub total: i64,
    pub page: i64,
    /// The department's staff, when a department admin looks at the department's queue and may
    /// reassign from it.
    pub reassign_to: Vec<super::reassign::StaffOption>,
}

/// A work queue's filters, kept in the URL: `/work?status=…&ward=…&overdue=1&scope=department&page=2`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueFilters {
    pub status: Option<String>,
    pub ward: Option<i32>,
    pub overdue: bool,
    pub department: bool,
}

impl QueueFilters {
    /// The queue's address with these filters, at `page`.
    pub fn href(&self, page: i64) -> String {
        let mut q = Vec::new();
        if let Some(s) = &self.status {
            q.push(format!("status={s}"));
        }
        if let Some(w) = self.ward {
            q.push(format!("ward={w}"));
        }
        if self.overdue {
            q.push("overdue=1".to_string());
        }
        if self.department {
            q.push("scope=department".to_string());
        }
        if page > 1 {
            q.push(format!("page={page}"));
        }
        if q.is_empty() {
            "/work".into()
        } else {
            format!("/work?{}", q.join("&"))
        }
    }
}

/// The last page of a queue of `total` items (page 1 when it is empty).
pub fn last_page(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page).max(1)
}

/// Which items a page shows (from, to, 1-based) and the pages before and after it, if any. The
/// page is within the queue (`work_queue` keeps it there).
pub fn pager(total: i64, page: i64, per_page: i64) -> (i64, i64, Option<i64>, Option<i64>) {
    let to = (page * per_page).min(total);
    let previous = (page > 1).then_some(page - 1);
    let next = (to < total).then_some(page + 1);
    ((page - 1) * per_page + 1, to, previous, next)
}

#[server(endpoint = "grievances/queue")]
pub async fn work_queue(
    status: Option<String>,
    ward: Option<String>,
    overdue: Option<String>,
    scope: Option<String>,
    page: Option<String>,
) -> Result<QueueView, ServerFnError> {
    let account = request::require(|a| a.role != Role::Citizen)?;
    let pool = request::pool();
    let may_see_department = matches!(account.role(), Role::DepartmentAdmin | Role::CityAdmin)
        && account.department_id.is_some();
    let status = status.as_deref().and_then(Status::parse);
    let filters = QueueFilters {
        status: status.map(|s| s.as_str().to_string()),
        ward: ward.as_deref().and_then(|w| w.trim().parse().ok()),
        overdue: overdue.is_some_and(|o| !o.is_empty()),
        department: may_see_department && scope.as_deref() == Some("department"),
    };
    let page = page
        .as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1);
    let filter = store::QueueFilter {
        status,
        ward: filters.ward,
        category: None,
        overdue_only: filters.overdue,
        department: account.department_id.filter(|_| filters.department),
        page,
    };
    let locale = request::request_locale();
    let mut found = store::queue(&pool, account.id, &filter, now(), locale)
        .await
        .map_err(request::unexpected)?;
    // A page past the end (a bookmark, or items resolved meanwhile) shows the last page instead.
    let last = last_page(found.total, QUEUE_PAGE);
    let page = if page > last {
        let filter = store::QueueFilter {
            page: last,
            ..filter
        };
        found = store::queue(&pool, account.id, &filter, now(), locale)
            .await
            .map_err(request::unexpected)?;
        last
    } else {
        page
    };
    let wards = store::wards(&pool).await.map_err(request::unexpected)?;
    let reassign_to = match account.department_id {
        Some(d) if filters.department && account.role() == Role::DepartmentAdmin => {
            super::reassign::staff_options(d).await?
        }
        _ => Vec::new(),
    };
    Ok(QueueView {
        rows: found.rows.into_iter().map(row).collect(),
        may_see_department,
        wards,
        filters,
        total: found.total,
        page,
        reassign_to,
    })
}

#[component]
pub fn WorkQueuePage() -> impl IntoView {
    let l = use_locale();
    let q = use_query_map().get_untracked();
    let given = |k: &str| q.get(k).filter(|s| !s.is_empty());
    let data = OnceResource::new(work_queue(
        given("status"),
        given("ward"),
        given("overdue"),
        given("scope"),
        given("page"),
    ));
    view! {
        <Title text=t::work_queue_title(l)/>
        <section class="page">
            <div class="page-heading">
                <h1>{t::work_queue_title(l)}</h1>
                <a class="button button-secondary" href="/assist">{t::assist_title(l)}</a>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! { <QueueFilterForm v=v.clone()/><QueuePageView v=v/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/work"/> }.into_any(),
                        Err(_) => view! { <Refused/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The queue's filters, a plain GET form: they stay in the address, so a filtered queue can be
/// bookmarked, shared and paged.
#[component]
fn QueueFilterForm(v: QueueView) -> impl IntoView {
    let l = use_locale();
    let f = v.filters;
    view! {
        <form method="get" action="/work" class="filters" aria-label=t::filters_label(l)>
            <label for="f-status">{t::field_status(l)}</label>
            <select id="f-status" name="status">
                <option value="">{t::all_open(l)}</option>
                {domain::grievances::Status::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=f.status.as_deref() == Some(s.as_str())>{s.label(l)}</option>
                }).collect_view()}
            </select>
            <label for="f-ward">{t::field_ward(l)}</label>
            <select id="f-ward" name="ward">
                <option value="">{t::all_wards(l)}</option>
                {v.wards.iter().map(|(n, _)| view! {
                    <option value=n.to_string() selected=f.ward == Some(*n)>{fill(t::ward_n(l), &[("number", &n.to_string())])}</option>
                }).collect_view()}
            </select>
            <label class="checkbox"><input type="checkbox" name="overdue" value="1" checked=f.overdue/>{t::overdue_only(l)}</label>
            {v.may_see_department.then(|| view! {
                <label class="checkbox"><input type="checkbox" name="scope" value="department" checked=f.department/>{t::whole_department(l)}</label>
            })}
            <button type="submit" class="button button-small">{t::apply_filters(l)}</button>
        </form>
    }
}

/// One page of the queue, with how many there are in all and links to the pages around it.
#[component]
fn QueuePageView(v: QueueView) -> impl IntoView {
    let l = use_locale();
    let (from, to, previous, next) = pager(v.total, v.page, QUEUE_PAGE);
    let counts = (v.total > 0).then(|| {
        fill(
            t::queue_showing(l),
            &[
                ("from", &group_indian(from)),
                ("to", &group_indian(to)),
                ("total", &group_indian(v.total)),
            ],
        )
    });
    let f = v.filters.clone();
    let select = !v.reassign_to.is_empty() && !v.rows.is_empty();
    view! {
        {counts.map(|c| view! { <p class="meta" data-testid="queue-count">{c}</p> })}
        {select.then(|| view! { <super::reassign::ReassignForm staff=v.reassign_to.clone() back=f.href(v.page)/> })}
        <GrievanceList rows=v.rows empty=t::queue_empty(l) select=select/>
        {(previous.is_some() || next.is_some()).then(|| view! {
            <nav class="pager" aria-label=t::queue_pages(l)>
                {previous.map(|p| view! { <a class="button button-secondary" rel="prev" href=f.href(p)>{t::page_previous(l)}</a> })}
                {next.map(|p| view! { <a class="button button-secondary" rel="next" href=f.href(p)>{t::page_next(l)}</a> })}
            </nav>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_count_from_one_and_stop_at_the_end() {
        assert_eq!(pager(6600, 1, 50), (1, 50, None, Some(2)));
        assert_eq!(pager(6600, 2, 50), (51, 100, Some(1), Some(3)));
        assert_eq!(pager(6600, 132, 50), (6551, 6600, Some(131), None));
        assert_eq!(pager(30, 1, 50), (1, 30, None, None));
        assert_eq!(pager(0, 1, 50).3, None);
        assert_eq!(last_page(6600, 50), 132);
        assert_eq!(last_page(6601, 50), 133);
        assert_eq!(last_page(0, 50), 1);
    }

    #[test]
    fn filters_stay_in_the_address() {
        let f = QueueFilters {
            status: Some("in_progress".into()),
            ward: Some(12),
            overdue: true,
            department: false,
        };
        assert_eq!(f.href(1), "/work?status=in_progress&ward=12&overdue=1");
        assert_eq!(
            f.href(3),
            "/work?status=in_progress&ward=12&overdue=1&page=3"
        );
        assert_eq!(QueueFilters::default().href(1), "/work");
    }
}
