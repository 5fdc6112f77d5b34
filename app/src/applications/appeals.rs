//! Appeals on an application's page: the officer who would hear one, named; the applicant's
//! appeal (then revision) when the Act allows it; the officer's decision with a penalty if they
//! order one; and every appeal as it stands.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{fill, t, Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::now;
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::applications::{appeals, store, ApplicationNumber};
#[cfg(feature = "ssr")]
use domain::problem::Problem;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealView {
    pub level: String,
    pub ground: String,
    pub officer: Option<String>,
    pub filed: String,
    pub due: String,
    pub decision: Option<String>,
    pub penalty: Option<String>,
}

/// What the page shows of appeals, and what the caller may do.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppealsView {
    /// Who hears an appeal of this department's applications.
    pub appellate_officer: Option<String>,
    pub appeals: Vec<AppealView>,
    /// The applicant may appeal now: "Appeal" or "Revision".
    pub may_ask: Option<String>,
    /// The caller is the officer a pending appeal waits on.
    pub may_decide: bool,
}

/// The appeals part of an application's page, for `viewer`.
#[cfg(feature = "ssr")]
pub(crate) async fn appeals_view(
    pool: &sqlx::PgPool,
    a: &store::Application,
    viewer: uuid::Uuid,
    l: Locale,
) -> Result<AppealsView, Problem> {
    let today = store::to_date(store::today_in_india(now()))?;
    let rows = store::appeals_of(pool, a.id).await?;
    let officer =
        store::appellate_officer(pool, a.ownership.department_id, appeals::Level::Appeal).await?;
    let applicant = a.ownership.applicant_id == Some(viewer.into());
    let may_ask = applicant
        .then(|| store::open_to_appeal(a.status, store::to_date(a.due_on).ok()?, &rows, today))
        .flatten()
        .map(|(level, _)| level.label(l).to_string());
    let may_decide = rows
        .iter()
        .any(|r| r.decision.is_none() && r.officer_id == Some(viewer.into()));
    let day = |d: time::Date| super::day(store::from_date(d));
    Ok(AppealsView {
        appellate_officer: officer.map(|(_, name)| name),
        may_ask,
        may_decide,
        appeals: rows
            .into_iter()
            .map(|r| AppealView {
                level: r.level.label(l).into(),
                ground: r.ground.label(l).into(),
                officer: r.officer_name,
                filed: crate::grievances::ist(r.filed_at),
                due: day(r.due_on),
                decision: r.decision.map(|d| d.label(l).to_string()),
                penalty: r.penalty.map(|p| match r.penalised_name {
                    Some(who) => format!("{p} · {who}"),
                    None => p.to_string(),
                }),
            })
            .collect(),
    })
}

/// The applicant appeals (or asks for a revision), saying why.
#[server(endpoint = "applications/appeal")]
pub async fn appeal(number: String, note: String) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let number =
        ApplicationNumber::parse(&number).map_err(|_| request::refuse(Problem::NotFound))?;
    let appealed = store::appeal(&request::pool(), &number, account.id, &note, now()).await;
    super::back_to_page(&number, appealed.map(|l| l.number().to_string()))
}

/// The officer an appeal waits on decides it.
#[server(endpoint = "applications/decide_appeal")]
pub async fn decide_appeal(
    number: String,
    decision: Option<String>,
    note: String,
    penalty: String,
) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require(|a| a.role != domain::identity::Role::Citizen)?;
    let number =
        ApplicationNumber::parse(&number).map_err(|_| request::refuse(Problem::NotFound))?;
    let ruling = store::Ruling {
        decision: decision.as_deref().unwrap_or_default(),
        note: &note,
        penalty: &penalty,
    };
    let decided = store::decide_appeal(
        &request::pool(),
        &number,
        &account.actor(),
        account.id,
        &ruling,
        now(),
    )
    .await;
    super::back_to_page(&number, decided.map(|d| d.as_str().to_string()))
}

pub(crate) fn appeals_section(l: Locale, number: &str, v: AppealsView) -> impl IntoView {
    let page = format!("/applications/{number}");
    let number = number.to_string();
    let (page2, number2) = (page.clone(), number.clone());
    view! {
        <section aria-labelledby="appeals-heading">
            <h2 id="appeals-heading">{t::appeals_heading(l)}</h2>
            {v.appellate_officer.clone().map(|o| view! { <p class="hint" data-testid="appellate-officer">{fill(t::appellate_officer_is(l), &[("name", &o)])}</p> })}
            {v.appeals.into_iter().map(|p| view! {
                <div class="card">
                    <p><strong>{p.level.clone()}</strong>" · "{p.ground.clone()}</p>
                    <p class="meta">
                        {p.filed.clone()}
                        {p.officer.clone().map(|o| format!(" · {o}"))}
                        " · "{fill(t::decided_by(l), &[("date", &p.due)])}
                    </p>
                    <p data-testid="appeal-decision">{p.decision.clone().unwrap_or_else(|| t::appeal_pending(l).to_string())}</p>
                    {p.penalty.clone().map(|x| view! { <p class="meta">{fill(t::penalty_ordered(l), &[("penalty", &x)])}</p> })}
                </div>
            }).collect_view()}
            {v.may_ask.clone().map(|level| view! {
                <ServerForm endpoint="applications/appeal".to_string() locale=l then=FormThen::redirect(page.clone()) class="stack step-form".to_string()>
                    <FailureBanner locale=l/>
                    <input type="hidden" name="number" value=number.clone()/>
                    <label for="appeal-note">{t::appeal_grounds(l)}</label>
                    <textarea id="appeal-note" name="note" rows="3" maxlength="2000" aria-describedby="appeal-note-error" aria-invalid="false"></textarea>
                    <FieldMessage field="note" id="appeal-note-error"/>
                    <button type="submit" class="button">{fill(t::appeal_submit(l), &[("level", &level)])}</button>
                </ServerForm>
            })}
            {v.may_decide.then(|| view! {
                <ServerForm endpoint="applications/decide_appeal".to_string() locale=l then=FormThen::redirect(page2) class="stack step-form".to_string()>
                    <FailureBanner locale=l/>
                    <input type="hidden" name="number" value=number2/>
                    <fieldset class="field">
                        <legend>{t::appeal_decision(l)}</legend>
                        <label class="choice" for="decision-allowed">
                            <input type="radio" id="decision-allowed" name="decision" value="allowed" aria-describedby="decision-error"/>
                            {t::appeal_allowed(l)}
                        </label>
                        <label class="choice" for="decision-dismissed">
                            <input type="radio" id="decision-dismissed" name="decision" value="dismissed" aria-describedby="decision-error"/>
                            {t::appeal_dismissed(l)}
                        </label>
                        <FieldMessage field="decision"/>
                    </fieldset>
                    <label for="decision-note">{t::appeal_reasons(l)}</label>
                    <textarea id="decision-note" name="note" rows="3" maxlength="2000" aria-describedby="decision-note-error" aria-invalid="false"></textarea>
                    <FieldMessage field="note" id="decision-note-error"/>
                    <label for="decision-penalty">{t::penalty_label(l)}" "{t::optional_mark(l)}</label>
                    <p class="hint" id="penalty-help">{t::penalty_help(l)}</p>
                    <input type="text" inputmode="decimal" id="decision-penalty" name="penalty" aria-describedby="penalty-help penalty-error"/>
                    <FieldMessage field="penalty"/>
                    <button type="submit" class="button">{t::appeal_decide(l)}</button>
                </ServerForm>
            })}
        </section>
    }
}
