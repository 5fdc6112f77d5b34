//! The officials' work queue (`/work`): every kind of item waiting on an official, one list
//! ordered by priority and deadline, paged, counted, filtered in the address; a department admin
//! hands a selection to another of the staff (`reassign`) and keeps the department's posts
//! (`posts`, `/admin/posts`).

pub mod posts;
pub mod reassign;

use crate::i18n::{fill, t, use_locale};
use crate::layout::{Refused, SignInFirst};
use domain::grievances::me_too::Priority;
use domain::money::group_indian;
use domain::work::{pager, Kind, QUEUE_PAGE};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::grievances::{ist, now};
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::identity::Role;
#[cfg(feature = "ssr")]
use domain::work::{last_page, parse_page, store, State};

/// One item of the queue as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkRow {
    pub kind: Kind,
    /// The number people read (a grievance's GR number).
    pub reference: String,
    /// `kind:reference`, as the reassign form names it.
    pub item: String,
    pub link: String,
    pub state: String,
    pub state_label: String,
    pub title: String,
    pub department: String,
    pub ward: Option<i32>,
    pub place: String,
    pub summary: String,
    pub assignee: Option<String>,
    pub post: Option<String>,
    pub level: i32,
    pub deadline: Option<String>,
    pub overdue: bool,
    pub supporters: i32,
    pub priority: Priority,
    pub filed_at: String,
}

#[cfg(feature = "ssr")]
fn row(i: store::Item, l: crate::i18n::Locale) -> WorkRow {
    let open = i.state.is_open();
    WorkRow {
        kind: i.kind,
        item: domain::work::ItemRef {
            kind: i.kind,
            reference: i.reference.clone(),
        }
        .to_string(),
        link: i.kind.link(&i.reference),
        overdue: open && (i.overdue_since.is_some() || i.due_at.is_some_and(|d| d <= now())),
        deadline: i.due_at.filter(|_| open).map(ist),
        reference: i.reference,
        state: i.state.as_str().to_string(),
        state_label: i.state.label(l).to_string(),
        title: i.title,
        department: i.department_name,
        ward: i.ward_number,
        place: i.place,
        summary: i.summary,
        assignee: i.assignee_name,
        post: i.post_title,
        level: i.level,
        supporters: i.supporters,
        priority: i.priority,
        filed_at: ist(i.created_at),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueView {
    pub rows: Vec<WorkRow>,
    /// A department admin (or city admin) may look at the whole department's queue.
    pub may_see_department: bool,
    pub wards: Vec<(i32, String)>,
    /// Every state the queue can be filtered by: (value, label).
    pub states: Vec<(String, String)>,
    /// The filters as they were read (unknown values dropped), for the form and the page links.
    pub filters: QueueFilters,
    /// How many items the whole filtered queue holds, and which page this is.
    pub total: i64,
    pub page: i64,
    /// The department's staff, when a department admin looks at the department's queue and may
    /// reassign from it.
    pub reassign_to: Vec<reassign::StaffOption>,
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

#[server(endpoint = "work/queue")]
pub async fn work_queue(
    status: Option<String>,
    ward: Option<String>,
    overdue: Option<String>,
    scope: Option<String>,
    page: Option<String>,
) -> Result<QueueView, ServerFnError> {
    let account = request::require(|a| a.role != Role::Citizen)?;
    let pool = request::pool();
    let may_see_department = matches!(account.role, Role::DepartmentAdmin | Role::CityAdmin)
        && account.department_id.is_some();
    let state = status.as_deref().and_then(State::parse_key);
    let filters = QueueFilters {
        status: state.map(State::key),
        ward: ward
            .as_deref()
            .and_then(domain::place::Ward::parse)
            .map(|w| w.number()),
        overdue: overdue.is_some_and(|o| !o.is_empty()),
        department: may_see_department && scope.as_deref() == Some("department"),
    };
    let mut filter = store::Filter {
        state,
        kind: None,
        ward: filters.ward,
        overdue_only: filters.overdue,
        department: account.department_id.filter(|_| filters.department),
        page: parse_page(page.as_deref()),
    };
    let l = request::request_locale();
    let mut found = store::queue(&pool, account.id, &filter, now(), l)
        .await
        .map_err(request::refuse)?;
    // A page past the end (a bookmark, or items resolved meanwhile) shows the last page instead.
    let last = last_page(found.total, QUEUE_PAGE);
    if filter.page > last {
        filter.page = last;
        found = store::queue(&pool, account.id, &filter, now(), l)
            .await
            .map_err(request::refuse)?;
    }
    let wards = domain::grievances::store::wards(&pool)
        .await
        .map_err(request::unexpected)?;
    let reassign_to = match account.department_id {
        Some(d) if filters.department && account.role == Role::DepartmentAdmin => {
            reassign::staff_options(d.uuid()).await?
        }
        _ => Vec::new(),
    };
    Ok(QueueView {
        rows: found.items.into_iter().map(|i| row(i, l)).collect(),
        may_see_department,
        wards,
        states: State::all()
            .into_iter()
            .map(|s| (s.key(), s.filter_label(l)))
            .collect(),
        filters,
        total: found.total,
        page: filter.page,
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
                {v.states.into_iter().map(|(value, label)| {
                    let selected = f.status.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=selected>{label}</option> }
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
        {select.then(|| view! { <reassign::ReassignForm staff=v.reassign_to.clone() back=f.href(v.page)/> })}
        <WorkList rows=v.rows select=select/>
        {(previous.is_some() || next.is_some()).then(|| view! {
            <nav class="pager" aria-label=t::queue_pages(l)>
                {previous.map(|p| view! { <a class="button button-secondary" rel="prev" href=f.href(p)>{t::page_previous(l)}</a> })}
                {next.map(|p| view! { <a class="button button-secondary" rel="next" href=f.href(p)>{t::page_next(l)}</a> })}
            </nav>
        })}
    }
}

/// Cards of work items; with `select`, each has a checkbox that belongs to the reassign form.
#[component]
fn WorkList(rows: Vec<WorkRow>, select: bool) -> impl IntoView {
    let l = use_locale();
    if rows.is_empty() {
        return view! { <p class="card">{t::queue_empty(l)}</p> }.into_any();
    }
    view! {
        <ul class="grievance-list">
            {rows.into_iter().enumerate().map(|(i, r)| view! {
                <li class=format!("card work-item work-{}", r.kind.as_str()) class:overdue=r.overdue>
                    <p class="meta">
                        {select.then(|| view! {
                            <input type="checkbox" class="select-item" form=reassign::REASSIGN_FORM
                                name=format!("ids[{i}]") value=r.item.clone()
                                aria-label=fill(t::select_item(l), &[("number", &r.reference)])/>
                            " "
                        })}
                        <a href=r.link.clone() class="grievance-number">{r.reference.clone()}</a>
                        " · "<span class=format!("badge status-{}", r.state)>{r.state_label.clone()}</span>
                        {r.overdue.then(|| view! { " · "<span class="badge badge-alert">{t::overdue(l)}</span> })}
                        {(r.priority != Priority::Normal).then(|| view! {
                            " · "<span class=format!("badge priority-{}", r.priority.as_str())>{r.priority.label(l)}</span>
                        })}
                    </p>
                    <h2 class="card-title">{r.title.clone()}</h2>
                    <p>{r.summary.clone()}</p>
                    <p class="meta">
                        {r.department.clone()}
                        {r.ward.map(|w| format!(" · {}", fill(t::ward_n(l), &[("number", &w.to_string())])))}
                        {(!r.place.is_empty()).then(|| format!(" · {}", r.place))}
                        {(r.supporters > 0).then(|| format!(" · {}", fill(t::me_too_count(l), &[("count", &r.supporters.to_string())])))}
                    </p>
                    <p class="meta">
                        {fill(t::filed_on(l), &[("at", &r.filed_at)])}
                        {r.deadline.clone().map(|d| format!(" · {}", fill(t::due_by(l), &[("at", &d)])))}
                        {r.assignee.clone().map(|a| format!(" · {}", fill(t::with_official(l), &[("name", &a)])))}
                        {r.post.clone().map(|p| format!(" · {}", fill(t::via_post(l), &[("post", &p)])))}
                    </p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

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
