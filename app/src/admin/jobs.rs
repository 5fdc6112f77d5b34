//! Background jobs, for the city admin: how each stands (running well, failing, failed, stuck),
//! when it last ran well, its last error, and a way to send a troubled one back to the queue.

use crate::i18n::{t, use_locale, Locale};
use crate::layout::{Refused, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::identity::Role;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub key: String,
    /// `ok`, `failing`, `failed`, `stuck` or `done`
    pub health: String,
    pub retryable: bool,
    pub attempts: i32,
    pub next_run: String,
    pub last_ok: Option<String>,
    pub last_error: Option<String>,
}

#[server(endpoint = "admin/jobs")]
pub async fn jobs() -> Result<Vec<JobRow>, ServerFnError> {
    request::require(|a| a.role == Role::CityAdmin)?;
    let now = time::OffsetDateTime::now_utc();
    let jobs = domain::jobs::store::list(&request::pool(), now)
        .await
        .map_err(request::unexpected)?;
    Ok(jobs
        .into_iter()
        .map(|j| {
            let health = j.health();
            JobRow {
                id: j.id.to_string(),
                health: health.as_str().to_string(),
                retryable: health.retryable(),
                kind: j.kind,
                key: j.key,
                attempts: j.attempts,
                next_run: crate::grievances::ist(j.run_at),
                last_ok: j.last_ok_at.map(crate::grievances::ist),
                last_error: j.last_error,
            }
        })
        .collect())
}

/// Sends a troubled job back to the queue, due now. A plain form posts here; the answer sends
/// the browser back to the list, which shows how the job stands now.
#[server(endpoint = "admin/retry_job")]
pub async fn retry_job(id: String) -> Result<(), ServerFnError> {
    let admin = request::require(|a| a.role == Role::CityAdmin)?;
    let id = id
        .parse::<domain::ids::JobId>()
        .map_err(|_| request::refuse(domain::problem::Problem::NotFound))?;
    let now = time::OffsetDateTime::now_utc();
    match domain::jobs::store::retry(&request::pool(), id, now, admin.id).await {
        // it stands well again (it recovered meanwhile): the list says so
        Ok(()) | Err(domain::problem::Problem::Conflict(_)) => {}
        Err(p) => return Err(request::refuse(p)),
    }
    leptos_axum::redirect("/admin/jobs");
    Ok(())
}

fn kind_label(kind: &str, l: Locale) -> String {
    match kind {
        "notification_delivery" => t::job_notification_delivery(l).to_string(),
        "grievance_sweeps" => t::job_grievance_sweeps(l).to_string(),
        "throttle_sweep" => t::job_throttle_sweep(l).to_string(),
        "application_reminders" => t::job_application_reminders(l).to_string(),
        "retention_sweep" => t::job_retention_sweep(l).to_string(),
        other => other.to_string(),
    }
}

fn health_label(health: &str, l: Locale) -> &'static str {
    match health {
        "failing" => t::job_failing(l),
        "failed" => t::job_failed(l),
        "stuck" => t::job_stuck(l),
        "done" => t::job_done(l),
        _ => t::job_ok(l),
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(jobs());
    view! {
        <Title text=t::jobs_title(l)/>
        <section class="page stack">
            <p class="breadcrumb"><a href="/admin">{t::admin_title(l)}</a></p>
            <h1>{t::jobs_title(l)}</h1>
            <p class="lead">{t::jobs_lead(l)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) => view! { <JobsTable rows=rows/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/admin/jobs"/> }.into_any(),
                        Err(_) => view! { <Refused/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn JobsTable(rows: Vec<JobRow>) -> impl IntoView {
    let l = use_locale();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t::jobs_title(l)>
            <table class="table" data-testid="jobs">
                <thead><tr>
                    <th>{t::job_label(l)}</th><th>{t::job_standing(l)}</th><th>{t::job_last_ok(l)}</th>
                    <th>{t::job_next_run(l)}</th><th>{t::job_last_error(l)}</th><th>{t::actions_label(l)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|j| {
                        let name = format!("{} · {}", kind_label(&j.kind, l), j.key);
                        view! {
                            <tr data-health=j.health.clone()>
                                <td>{name.clone()}</td>
                                <td>
                                    <span class=format!("badge badge-{}", j.health)>{health_label(&j.health, l)}</span>
                                    {(j.attempts > 0).then(|| format!(" ({} × {})", j.attempts, t::job_tries_failed(l)))}
                                </td>
                                <td>{j.last_ok.clone().unwrap_or_else(|| "—".into())}</td>
                                <td>{j.next_run.clone()}</td>
                                <td class="job-error">{j.last_error.clone().unwrap_or_default()}</td>
                                <td>{j.retryable.then(|| view! {
                                    <form method="post" action="/api/admin/retry_job" class="inline-form">
                                        <input type="hidden" name="id" value=j.id.clone()/>
                                        <button type="submit" class="button button-secondary button-small"
                                            aria-label=format!("{} {}", t::job_retry(l), name)>{t::job_retry(l)}</button>
                                    </form>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
