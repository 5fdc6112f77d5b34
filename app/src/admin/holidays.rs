//! The city's holiday calendar, kept by the city admin: a service's time limit counts working
//! days, and Sundays and second Saturdays are off by rule; these are the rest.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
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
pub struct HolidayRow {
    /// YYYY-MM-DD
    pub day: String,
    pub name: String,
}

/// Today in India, as a calendar day.
#[cfg(feature = "ssr")]
fn today() -> domain::applications::form::Day {
    domain::applications::store::today_in_india(time::OffsetDateTime::now_utc())
}

#[server(endpoint = "admin/holidays")]
pub async fn holidays() -> Result<Vec<HolidayRow>, ServerFnError> {
    request::require(|a| a.role == Role::CityAdmin)?;
    let l = request::request_locale();
    let rows = domain::applications::store::holidays_from(&request::pool(), today())
        .await
        .map_err(request::refuse)?;
    Ok(rows
        .into_iter()
        .map(|((y, m, d), name)| HolidayRow {
            day: format!("{y:04}-{m:02}-{d:02}"),
            name: name.get(l).to_string(),
        })
        .collect())
}

/// Adds a holiday (or renames one already kept); the answer is its day.
#[server(endpoint = "admin/keep_holiday")]
pub async fn keep_holiday(
    day: String,
    name_en: String,
    name_or: String,
    name_hi: String,
) -> Result<FormResult<String>, ServerFnError> {
    let admin = request::require(|a| a.role == Role::CityAdmin)?;
    let name = domain::applications::form::Words {
        en: name_en,
        or: name_or,
        hi: name_hi,
    };
    request::answer(
        domain::applications::store::keep_holiday(&request::pool(), &day, &name, Some(admin.id))
            .await
            .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
    )
}

#[component]
pub fn HolidaysPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(holidays());
    view! {
        <Title text=t::holidays_title(l)/>
        <section class="page stack">
            <p class="breadcrumb"><a href="/admin">{t::admin_title(l)}</a></p>
            <h1>{t::holidays_title(l)}</h1>
            <p class="lead">{t::holidays_lead(l)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) => view! { <HolidaysView rows=rows/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/admin/holidays"/> }.into_any(),
                        Err(_) => view! { <Refused/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn HolidaysView(rows: Vec<HolidayRow>) -> impl IntoView {
    let l = use_locale();
    view! {
        <ServerForm endpoint="admin/keep_holiday".to_string() locale=l then=FormThen::redirect("/admin/holidays") class="stack narrow".to_string()>
            <FailureBanner locale=l/>
            <label for="holiday-day">{t::holiday_day(l)}</label>
            <input id="holiday-day" name="day" type="date" required aria-describedby="day-error" aria-invalid="false"/>
            <FieldMessage field="day"/>
            <label for="holiday-name-en">{t::field_name_en(l)}</label>
            <input id="holiday-name-en" name="name_en" required maxlength="100" aria-describedby="name_en-error" aria-invalid="false"/>
            <FieldMessage field="name_en"/>
            <label for="holiday-name-or">{t::field_name_or(l)}</label>
            <input id="holiday-name-or" name="name_or" maxlength="100" lang="or" aria-describedby="name_or-error"/>
            <FieldMessage field="name_or"/>
            <label for="holiday-name-hi">{t::field_name_hi(l)}</label>
            <input id="holiday-name-hi" name="name_hi" maxlength="100" lang="hi" aria-describedby="name_hi-error"/>
            <FieldMessage field="name_hi"/>
            <button type="submit" class="button">{t::keep_holiday(l)}</button>
        </ServerForm>
        <div class="table-wrap" tabindex="0" role="region" aria-label=t::holidays_title(l)>
            <table class="table" data-testid="holidays">
                <thead><tr><th>{t::holiday_day(l)}</th><th>{t::holiday_name(l)}</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|h| view! {
                        <tr><td>{h.day}</td><td>{h.name}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
