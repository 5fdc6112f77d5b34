//! `/admin/applications`: each department's record under the Right to Public Services Act:
//! applications being decided, past their time limit, appealed, and penalties ordered. A city
//! admin sees every department, a department admin their own.

use crate::i18n::{t, use_locale};
use crate::layout::{Refused, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::identity::Role;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordRow {
    pub department: String,
    pub open: i64,
    pub overdue: i64,
    pub appealed: i64,
    pub penalised: i64,
    pub penalties: String,
}

#[server(endpoint = "admin/application_records")]
pub async fn application_records() -> Result<Vec<RecordRow>, ServerFnError> {
    let account = request::require(crate::admin::is_admin)?;
    let department = match account.role {
        Role::CityAdmin => None,
        _ => Some(
            account
                .department_id
                .ok_or_else(|| request::refuse(domain::problem::Problem::Forbidden))?,
        ),
    };
    let rows = domain::applications::store::department_records(
        &request::pool(),
        department,
        time::OffsetDateTime::now_utc(),
        request::request_locale(),
    )
    .await
    .map_err(request::refuse)?;
    Ok(rows
        .into_iter()
        .map(|r| RecordRow {
            department: r.name,
            open: r.open,
            overdue: r.overdue,
            appealed: r.appealed,
            penalised: r.penalised,
            penalties: r.penalties.to_string(),
        })
        .collect())
}

#[component]
pub fn ApplicationRecordsPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(application_records());
    view! {
        <Title text=t::records_title(l)/>
        <section class="page stack">
            <p class="breadcrumb"><a href="/admin">{t::admin_title(l)}</a></p>
            <h1>{t::records_title(l)}</h1>
            <p class="lead">{t::records_lead(l)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) => view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label=t::records_title(l)>
                                <table class="table" data-testid="records">
                                    <thead><tr>
                                        <th scope="col">{t::department_label(l)}</th>
                                        <th scope="col">{t::records_open(l)}</th>
                                        <th scope="col">{t::records_overdue(l)}</th>
                                        <th scope="col">{t::records_appealed(l)}</th>
                                        <th scope="col">{t::records_penalised(l)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr>
                                                <th scope="row">{r.department.clone()}</th>
                                                <td>{r.open}</td>
                                                <td>{r.overdue}</td>
                                                <td>{r.appealed}</td>
                                                <td>{r.penalised}{(r.penalised > 0).then(|| format!(" ({})", r.penalties))}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/admin/applications"/> }.into_any(),
                        Err(_) => view! { <Refused/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
